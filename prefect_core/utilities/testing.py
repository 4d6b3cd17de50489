"""Test support: `restored_context_and_config()` isolates a test from the global state.

The repository's root `conftest.py` wraps every test in it. On exit it restores:

* the current thread's context keys (keys added by the test vanish, changed keys return);
* the global configuration, in place (the same `Config` objects at every level, so
  references taken earlier stay valid), and the `prefect_core.config` /
  `prefect_core.configuration.config` bindings;
* the level, handlers, propagation and handler formatters of the `prefect_core` logger,
  and the log-record factory.
"""

from __future__ import annotations

import copy
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from prefect_core import configuration
from prefect_core.configuration import Config, ConfigView
from prefect_core.utilities import logging as prefect_logging
from prefect_core.utilities.context import context

__all__ = ["restored_context_and_config"]


def _restore_config_in_place(target: Config, snapshot: Config) -> None:
    """Make `target` equal to `snapshot`, keeping `target`'s own nested `Config` objects."""
    for key in [key for key in dict.keys(target) if key not in snapshot]:
        dict.pop(target, key)
    for key, value in dict.items(snapshot):
        current = dict.get(target, key)
        if (
            isinstance(value, Config)
            and isinstance(current, Config)
            and not isinstance(current, ConfigView)
        ):
            _restore_config_in_place(current, value)
        else:
            target[key] = value


@contextmanager
def restored_context_and_config() -> Iterator[None]:
    """Snapshot the context, the configuration and the `prefect_core` logger; restore
    them when the block ends (even on error)."""
    live_config = configuration.config
    config_snapshot = copy.deepcopy(live_config)
    context_snapshot = dict(context.current())
    logger = prefect_logging.get_logger()
    logger_state = (logger.level, list(logger.handlers), logger.propagate, logger.disabled)
    formatters = [(handler, handler.level, handler.formatter) for handler in logger.handlers]
    record_factory = logging.getLogRecordFactory()
    try:
        yield
    finally:
        configuration.config = live_config
        package = sys.modules.get("prefect_core")
        if package is not None and hasattr(package, "config"):
            package.config = live_config
        _restore_config_in_place(live_config, config_snapshot)

        current = context.current()
        current.clear()
        current.update(context_snapshot)

        level, handlers, logger.propagate, logger.disabled = logger_state
        logger.handlers[:] = handlers
        logger.setLevel(level)  # setLevel, not `.level =`: it clears the loggers' level caches
        for handler, level, formatter in formatters:
            handler.setLevel(level)
            handler.setFormatter(formatter)
        logging.setLogRecordFactory(record_factory)
