"""Tests for prefect_core.utilities.logging."""

import contextlib
import logging
import os
import subprocess
import sys

import pytest

from prefect_core.utilities import logging as prefect_logging
from prefect_core.utilities.configuration import set_temporary_config
from prefect_core.utilities.context import context
from prefect_core.utilities.logging import (
    RedirectToLog,
    configure_extra_loggers,
    configure_logging,
    create_diagnostic_logger,
    get_logger,
    temporary_logger_config,
)


def stream_handlers(logger):
    return [h for h in logger.handlers if isinstance(h, prefect_logging._PrefectStreamHandler)]


@pytest.fixture
def clean_logger():
    """Yield a unique logger name and remove that logger's handlers afterwards."""
    name = "pc-test-extra-logger"
    yield name
    logging.getLogger(name).handlers.clear()


def make_record(msg="message"):
    return get_logger().makeRecord("prefect_core", logging.INFO, __file__, 1, msg, (), None)


class TestRootLogger:
    def test_root_logger_is_named_prefect_core(self):
        assert get_logger().name == "prefect_core"

    def test_root_logger_has_one_stream_handler(self):
        assert len(stream_handlers(get_logger())) == 1

    def test_stream_handler_writes_to_stdout_of_import_time(self):
        assert stream_handlers(get_logger())[0].stream is prefect_logging._STDOUT_AT_IMPORT

    def test_root_logger_propagates(self):
        assert get_logger().propagate is True

    def test_formatter_uses_configured_format_and_datefmt(self):
        formatter = stream_handlers(get_logger())[0].formatter
        assert formatter._fmt == context.config.logging.format
        assert formatter.datefmt == context.config.logging.datefmt

    def test_context_logger_is_the_root_logger(self):
        assert context.logger is get_logger()


class TestGetLogger:
    def test_named_logger_is_a_child_of_prefect_core(self):
        assert get_logger("FlowRunner").name == "prefect_core.FlowRunner"
        assert get_logger("FlowRunner").parent is get_logger()

    def test_child_logger_has_no_handlers_of_its_own(self):
        assert get_logger("SomeTask").handlers == []

    def test_child_records_propagate_to_caplog(self, caplog):
        get_logger("SomeTask").info("hello from a task")
        assert [r.getMessage() for r in caplog.records] == ["hello from a task"]
        assert caplog.records[0].name == "prefect_core.SomeTask"


class TestConfigureLogging:
    def test_reconfiguring_does_not_duplicate_handlers(self):
        configure_logging()
        configure_logging()
        assert len(stream_handlers(get_logger())) == 1

    def test_level_comes_from_the_context_config(self):
        with set_temporary_config({"logging.level": "DEBUG"}):
            logger = configure_logging()
        assert logger.level == logging.DEBUG

    def test_lower_case_level_is_accepted(self):
        with set_temporary_config({"logging.level": "warning"}):
            assert configure_logging().level == logging.WARNING

    def test_testing_configures_a_separate_logger(self):
        logger = configure_logging(testing=True)
        try:
            assert logger.name == "prefect_core-test-logger"
            assert len(stream_handlers(logger)) == 1
        finally:
            logger.handlers.clear()

    def test_extra_loggers_are_configured(self, clean_logger):
        with set_temporary_config(
            {"logging.extra_loggers": [clean_logger], "logging.level": "ERROR"}
        ):
            configure_extra_loggers()
        logger = logging.getLogger(clean_logger)
        assert len(stream_handlers(logger)) == 1
        assert logger.level == logging.ERROR

    def test_create_diagnostic_logger_configures_the_named_logger(self, clean_logger):
        logger = create_diagnostic_logger(clean_logger)
        assert logger.name == clean_logger
        assert len(stream_handlers(logger)) == 1


class TestContextAttributes:
    def test_context_keys_are_copied_onto_records(self):
        with context(
            flow_name="f", flow_run_id="fr", task_name="t", task_slug="t-1", task_run_id="tr"
        ):
            record = make_record()
        assert (record.flow_name, record.flow_run_id, record.task_name) == ("f", "fr", "t")
        assert (record.task_slug, record.task_run_id) == ("t-1", "tr")

    def test_missing_context_keys_are_not_set(self):
        record = make_record()
        assert not hasattr(record, "task_name")

    def test_falsy_context_keys_are_not_set(self):
        with context(task_name=""):
            record = make_record()
        assert not hasattr(record, "task_name")

    def test_log_attributes_are_copied_even_when_missing(self):
        with context(config={"logging": {"log_attributes": ["my_key", "absent_key"]}}, my_key=7):
            record = make_record()
        assert (record.my_key, record.absent_key) == (7, None)

    def test_single_string_log_attribute_is_accepted(self):
        with context(config={"logging": {"log_attributes": "my_key"}}, my_key=1):
            assert make_record().my_key == 1

    def test_records_from_caplog_carry_the_task_name(self, caplog):
        with context(task_name="my-task"):
            get_logger("my-task").info("running")
        assert caplog.records[0].task_name == "my-task"

    def test_format_may_use_task_name_inside_a_task(self):
        formatter = logging.Formatter("%(task_name)s | %(message)s")
        with context(task_name="t"):
            assert formatter.format(make_record("hi")) == "t | hi"

    def test_filtered_out_calls_create_no_record(self, monkeypatch):
        created = []
        base = prefect_logging._base_record_factory
        monkeypatch.setattr(
            prefect_logging,
            "_base_record_factory",
            lambda *args, **kwargs: created.append(1) or base(*args, **kwargs),
        )
        logger = get_logger("quiet")
        logger.setLevel(logging.ERROR)
        try:
            logger.info("dropped")
            assert created == []
            logger.error("kept")
            assert created == [1]
        finally:
            logger.setLevel(logging.NOTSET)


class TestTemporaryLoggerConfig:
    def test_yields_the_root_logger(self):
        with temporary_logger_config() as logger:
            assert logger is get_logger()

    def test_level_is_changed_and_restored(self):
        before = get_logger().level
        with temporary_logger_config(level=logging.CRITICAL):
            assert get_logger().level == logging.CRITICAL
        assert get_logger().level == before

    def test_format_is_changed_and_restored(self):
        handler = stream_handlers(get_logger())[0]
        before = handler.formatter
        with temporary_logger_config(stream_fmt="%(message)s", stream_datefmt="%H"):
            assert handler.formatter._fmt == "%(message)s"
            assert handler.formatter.datefmt == "%H"
        assert handler.formatter is before

    def test_only_date_format_keeps_the_configured_format(self):
        handler = stream_handlers(get_logger())[0]
        with temporary_logger_config(stream_datefmt="%H"):
            assert handler.formatter._fmt == context.config.logging.format

    def test_restored_after_an_error(self):
        before = get_logger().level
        with pytest.raises(RuntimeError):
            with temporary_logger_config(level="CRITICAL"):
                raise RuntimeError()
        assert get_logger().level == before

    def test_missing_handler_is_recreated(self):
        get_logger().handlers.clear()
        with temporary_logger_config(level="DEBUG"):
            assert len(stream_handlers(get_logger())) == 1


class TestRedirectToLog:
    def test_write_logs_at_info_on_the_stdout_logger(self, caplog):
        RedirectToLog().write("hello")
        record = caplog.records[0]
        assert (record.name, record.levelno, record.getMessage()) == (
            "prefect_core.stdout",
            logging.INFO,
            "hello",
        )

    def test_blank_writes_are_dropped(self, caplog):
        redirect = RedirectToLog()
        redirect.write("")
        redirect.write("\n")
        redirect.write("   ")
        assert caplog.records == []

    def test_non_string_raises_type_error(self):
        with pytest.raises(TypeError, match="string argument expected"):
            RedirectToLog().write(5)

    def test_each_print_argument_is_one_record(self, caplog):
        print("a", "b", file=RedirectToLog())
        assert [r.getMessage() for r in caplog.records] == ["a", "b"]

    def test_uses_the_given_logger(self, caplog):
        RedirectToLog(get_logger("TaskRunner")).write("x")
        assert caplog.records[0].name == "prefect_core.TaskRunner"

    def test_write_returns_the_length(self):
        assert RedirectToLog().write("abc") == 3

    def test_is_a_writable_text_stream(self):
        redirect = RedirectToLog()
        assert redirect.writable() is True
        assert redirect.isatty() is False

    def test_flush_flushes_the_logger_handlers(self):
        flushed = []

        class Recorder(logging.Handler):
            def emit(self, record):
                pass

            def flush(self):
                flushed.append(True)

        logger = get_logger("flush-test")
        logger.addHandler(Recorder())
        try:
            RedirectToLog(logger).flush()
        finally:
            logger.handlers.clear()
        assert flushed == [True]

    def test_redirected_stdout_does_not_loop_into_the_log(self, caplog):
        with contextlib.redirect_stdout(RedirectToLog()):
            print("printed")
            get_logger().info("logged")
        assert sorted(r.getMessage() for r in caplog.records) == ["logged", "printed"]


def run_python(code, **env):
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout


class TestImportTime:
    def test_records_are_written_to_stdout_with_the_configured_format(self):
        output = run_python(
            "from prefect_core.utilities.logging import get_logger\n"
            "get_logger('x').warning('hello')",
            PREFECT_CORE__LOGGING__FORMAT="%(levelname)s:%(name)s:%(message)s",
        )
        assert output.strip() == "WARNING:prefect_core.x:hello"

    def test_level_comes_from_environment(self):
        output = run_python(
            "from prefect_core.utilities.logging import get_logger\n"
            "get_logger('x').info('hidden'); get_logger('x').error('shown')",
            PREFECT_CORE__LOGGING__LEVEL="ERROR",
        )
        assert "hidden" not in output
        assert "shown" in output

    def test_extra_loggers_are_configured_at_import(self):
        output = run_python(
            "import logging, prefect_core.utilities.logging\n"
            "logging.getLogger('pc_extra').warning('from extra')",
            PREFECT_CORE__LOGGING__EXTRA_LOGGERS="['pc_extra']",
        )
        assert "from extra" in output
