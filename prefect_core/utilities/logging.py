"""Logging for prefect_core: the `prefect_core` logger, its children and context attributes.

At import:

* the `prefect_core` logger gets one `StreamHandler` writing to the `sys.stdout` object of
  that moment (so a task's redirected stdout can never loop back into the log), with the
  format, date format and level of `config.logging`; records still propagate to the root
  logger (so `caplog` and application handlers see them);
* every name in `config.logging.extra_loggers` is configured the same way;
* a log-record factory is installed that copies context keys onto each record *when a
  record is created* (filtered-out calls cost nothing): `flow_name`, `flow_run_id`,
  `task_name`, `task_slug` and `task_run_id` when set and truthy, plus every key named in
  `config.logging.log_attributes` (set to None when missing). A format string may only
  use `%(task_name)s` and friends if every record has them, i.e. outside a task run it
  fails; list such keys in `log_attributes` to make them always present;
* `context.logger` is set to the `prefect_core` logger.

`get_logger(name)` returns the child `prefect_core.<name>`, which has no handler of its own.

`RedirectToLog` (what tasks with `log_stdout=True` print to) logs every non-blank `write` as
one INFO record, like Prefect 1.4.1, so `print("a", "b")` makes the records `a` and `b`.
It does not buffer until a newline: nothing can be lost when the redirection ends without a
final `flush()`, and no partial line is ever held back.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from prefect_core.utilities.context import context

__all__ = [
    "CONTEXT_LOG_ATTRIBUTES",
    "ROOT_LOGGER_NAME",
    "RedirectToLog",
    "configure_extra_loggers",
    "configure_logging",
    "create_diagnostic_logger",
    "get_logger",
    "get_transient_logger",
    "temporary_logger_config",
]

ROOT_LOGGER_NAME = "prefect_core"
TEST_LOGGER_NAME = "prefect_core-test-logger"
CONTEXT_LOG_ATTRIBUTES = ("flow_name", "flow_run_id", "task_name", "task_slug", "task_run_id")

# The stdout of import time: handlers keep writing here even while a task redirects
# `sys.stdout` to a `RedirectToLog`.
_STDOUT_AT_IMPORT = sys.stdout


class _PrefectStreamHandler(logging.StreamHandler):
    """The stream handler installed by `configure_logging`, recognisable when replacing it."""


def _logging_settings() -> Any:
    """The `logging` section of the current context's configuration."""
    return context.current()["config"]["logging"]


def _as_level(level: Any) -> Any:
    """Accept `"debug"` as well as `"DEBUG"` and numeric levels."""
    return level.upper() if isinstance(level, str) else level


def _configure(name: str) -> logging.Logger:
    """Give logger `name` a fresh stream handler and the level from the configuration."""
    settings = _logging_settings()
    logger = logging.getLogger(name)
    for handler in [h for h in logger.handlers if isinstance(h, _PrefectStreamHandler)]:
        logger.removeHandler(handler)
    handler = _PrefectStreamHandler(_STDOUT_AT_IMPORT)
    handler.setFormatter(logging.Formatter(settings["format"], settings["datefmt"]))
    logger.addHandler(handler)
    logger.setLevel(_as_level(settings["level"]))
    return logger


def configure_logging(testing: bool = False) -> logging.Logger:
    """(Re)configure and return the `prefect_core` logger (or, with `testing=True`, the
    separate `prefect_core-test-logger`) from `config.logging`."""
    return _configure(TEST_LOGGER_NAME if testing else ROOT_LOGGER_NAME)


def configure_extra_loggers() -> None:
    """Configure every logger named in `config.logging.extra_loggers` like `prefect_core`."""
    for name in _logging_settings().get("extra_loggers") or ():
        _configure(name)


def create_diagnostic_logger(name: str) -> logging.Logger:
    """Return logger `name` configured like `prefect_core` (for debugging and diagnostics)."""
    return _configure(name)


def get_logger(name: str | None = None) -> logging.Logger:
    """Return the `prefect_core` logger, or its child `prefect_core.<name>`."""
    if not name:
        return logging.getLogger(ROOT_LOGGER_NAME)
    return logging.getLogger(f"{ROOT_LOGGER_NAME}.{name}")


def get_transient_logger(name: str) -> logging.Logger:
    """A `prefect_core.<name>` logger that the logging module does not keep.

    Mapped children each log under their own name (`prefect_core.task[3]`); registering
    a logger per child would keep a million of them alive after a million-item map. This
    one is built when the child runs (about 0.3 us), inherits levels and handlers from
    the `prefect_core` logger, and is released with the child's run.
    """
    logger = logging.Logger(f"{ROOT_LOGGER_NAME}.{name}")
    logger.parent = logging.getLogger(ROOT_LOGGER_NAME)
    return logger


_base_record_factory = logging.getLogRecordFactory()


def _record_with_context(*args: Any, **kwargs: Any) -> logging.LogRecord:
    """Build a record with the base factory and copy context keys onto it."""
    record = _base_record_factory(*args, **kwargs)
    current = context.current()
    attributes = record.__dict__
    for key in CONTEXT_LOG_ATTRIBUTES:
        value = current.get(key)
        if value:
            attributes[key] = value
    try:
        extra = current["config"]["logging"]["log_attributes"]
    except (KeyError, TypeError):
        return record
    if isinstance(extra, str):
        extra = (extra,)
    for key in extra or ():
        attributes[key] = current.get(key)
    return record


@contextmanager
def temporary_logger_config(
    level: int | str | None = None,
    stream_fmt: str | None = None,
    stream_datefmt: str | None = None,
) -> Iterator[logging.Logger]:
    """Temporarily change the level and/or the stream format of the `prefect_core` logger.

    Parts left as None keep their current setting (a new format takes the missing half,
    format or date format, from the configuration). Everything is restored on exit.

    Yields:
        - logging.Logger: the `prefect_core` logger
    """
    logger = get_logger()
    handlers = [h for h in logger.handlers if isinstance(h, _PrefectStreamHandler)]
    if not handlers:
        configure_logging()
        handlers = [h for h in logger.handlers if isinstance(h, _PrefectStreamHandler)]
    previous_level = logger.level
    previous_formatters = [(handler, handler.formatter) for handler in handlers]
    try:
        if level:
            logger.setLevel(_as_level(level))
        if stream_fmt or stream_datefmt:
            settings = _logging_settings()
            formatter = logging.Formatter(
                stream_fmt or settings["format"], stream_datefmt or settings["datefmt"]
            )
            for handler in handlers:
                handler.setFormatter(formatter)
        yield logger
    finally:
        logger.setLevel(previous_level)
        for handler, formatter in previous_formatters:
            handler.setFormatter(formatter)


class RedirectToLog:
    """A file-like text sink that logs what is written to it.

    Every `write(s)` with non-blank `s` becomes one INFO record on `logger` (default
    `prefect_core.stdout`); blank strings (such as `print`'s separators and line ends)
    are dropped. Writing anything but a `str` raises `TypeError`.

    Args:
        - logger (logging.Logger, optional): the logger to write to
    """

    def __init__(self, logger: logging.Logger | None = None) -> None:
        self.stdout_logger = logger or get_logger("stdout")

    def writable(self) -> bool:
        """Return True: this stream accepts writes."""
        return True

    def isatty(self) -> bool:
        """Return False: this stream is not a terminal."""
        return False

    def write(self, s: str) -> int:
        """Log `s` at INFO unless it is blank; return its length."""
        if not isinstance(s, str):
            raise TypeError(f"string argument expected, got {type(s)}")
        if s.strip():
            self.stdout_logger.info(s)
        return len(s)

    def flush(self) -> None:
        """Flush the handlers of the logger."""
        for handler in self.stdout_logger.handlers:
            handler.flush()


logging.setLogRecordFactory(_record_with_context)
context.logger = configure_logging()
configure_extra_loggers()
