"""`get_default_*_class`: the configured executor, flow runner and task runner classes."""

from __future__ import annotations

import pytest

from prefect_core.engine import (
    get_default_executor_class,
    get_default_flow_runner_class,
    get_default_task_runner_class,
)
from prefect_core.engine.flow_runner import FlowRunner
from prefect_core.engine.task_runner import TaskRunner
from prefect_core.executors import LocalExecutor
from prefect_core.utilities.configuration import set_temporary_config

GETTERS = [
    ("executor", get_default_executor_class, LocalExecutor),
    ("flow_runner", get_default_flow_runner_class, FlowRunner),
    ("task_runner", get_default_task_runner_class, TaskRunner),
]


class CustomExecutor(LocalExecutor):
    pass


@pytest.mark.parametrize(("section", "getter", "default"), GETTERS)
def test_defaults_are_the_built_in_classes(section, getter, default):
    assert getter() is default


@pytest.mark.parametrize(("section", "getter", "default"), GETTERS)
def test_a_configured_class_is_returned_as_is(section, getter, default):
    custom = type("Custom", (default,), {})
    with set_temporary_config({f"engine.{section}.default_class": custom}):
        assert getter() is custom


@pytest.mark.parametrize(("section", "getter", "default"), GETTERS)
def test_unknown_name_warns_and_falls_back(section, getter, default):
    with set_temporary_config({f"engine.{section}.default_class": "nowhere.Missing"}):
        with pytest.warns(UserWarning, match="Could not import nowhere.Missing; using "):
            assert getter() is default


def test_a_dotted_name_is_resolved():
    name = f"{__name__}.CustomExecutor"
    with set_temporary_config({"engine.executor.default_class": name}):
        assert get_default_executor_class() is CustomExecutor


def test_a_dotted_name_of_an_unloaded_module_is_imported(tmp_path, monkeypatch):
    import sys

    (tmp_path / "unloaded_executors_module.py").write_text(
        "from prefect_core.executors import LocalExecutor\nclass Mine(LocalExecutor):\n    pass\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert "unloaded_executors_module" not in sys.modules
    name = "unloaded_executors_module.Mine"
    with set_temporary_config({"engine.executor.default_class": name}):
        assert get_default_executor_class() is sys.modules["unloaded_executors_module"].Mine
    monkeypatch.delitem(sys.modules, "unloaded_executors_module")


def test_legacy_prefect_names_are_read_as_prefect_core():
    with set_temporary_config(
        {
            "engine.executor.default_class": "prefect.executors.LocalExecutor",
            "engine.flow_runner.default_class": "prefect.engine.flow_runner.FlowRunner",
            "engine.task_runner.default_class": "prefect.engine.task_runner.TaskRunner",
        }
    ):
        assert get_default_executor_class() is LocalExecutor
        assert get_default_flow_runner_class() is FlowRunner
        assert get_default_task_runner_class() is TaskRunner


def test_missing_attribute_warns_and_falls_back():
    with set_temporary_config({"engine.flow_runner.default_class": "prefect_core.Nope"}):
        with pytest.warns(UserWarning, match="prefect_core.engine.flow_runner.FlowRunner"):
            assert get_default_flow_runner_class() is FlowRunner


def test_flow_run_uses_the_configured_flow_runner():
    from prefect_core import Flow, task

    used = []

    class Recording(FlowRunner):
        def run(self, **kwargs):
            used.append(type(self))
            return super().run(**kwargs)

    @task
    def one():
        return 1

    with Flow("configured") as flow:
        one()
    with set_temporary_config({"engine.flow_runner.default_class": Recording}):
        assert flow.run().is_successful()
    assert used == [Recording]


def test_flow_runner_uses_the_configured_task_runner():
    from prefect_core import Flow

    class Custom(TaskRunner):
        pass

    with set_temporary_config({"engine.task_runner.default_class": Custom}):
        assert FlowRunner(Flow("f")).task_runner_cls is Custom
