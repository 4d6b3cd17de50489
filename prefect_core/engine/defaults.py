"""The configured default executor, flow runner and task runner classes.

`config.engine.{executor,flow_runner,task_runner}.default_class` may hold a class or a
dotted name. A name is looked up among loaded modules first and, unlike 1.4.1, its module
is imported when it is not loaded yet; a leading `prefect.` is read as `prefect_core.`.
A name that cannot be resolved warns and falls back to the built-in default.
"""

from __future__ import annotations

import importlib
import warnings

from prefect_core.configuration import config


def _resolve_class(qualified_name: str) -> type:
    if qualified_name.startswith("prefect."):
        qualified_name = "prefect_core." + qualified_name[len("prefect."):]
    module_name, _, attribute = qualified_name.rpartition(".")
    if not module_name:
        raise ImportError(qualified_name)
    module = importlib.import_module(module_name)
    return getattr(module, attribute)


def _configured_class(section: str, fallback: str) -> type:
    configured = config.engine[section].default_class
    if isinstance(configured, type):
        return configured
    try:
        return _resolve_class(configured)
    except (ImportError, AttributeError, ValueError):
        warnings.warn(f"Could not import {configured}; using {fallback} instead.", stacklevel=3)
        return _resolve_class(fallback)


def get_default_executor_class() -> type:
    """The executor class `flow.run()` uses when none is given."""
    return _configured_class("executor", "prefect_core.executors.LocalExecutor")


def get_default_flow_runner_class() -> type:
    """The flow runner class `flow.run()` uses when none is given."""
    return _configured_class("flow_runner", "prefect_core.engine.flow_runner.FlowRunner")


def get_default_task_runner_class() -> type:
    """The task runner class a `FlowRunner` uses when none is given."""
    return _configured_class("task_runner", "prefect_core.engine.task_runner.TaskRunner")
