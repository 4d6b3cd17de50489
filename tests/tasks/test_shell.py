"""`ShellTask`: running real `bash` commands, their output, logging and failures."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile

import pytest

import prefect_core
from prefect_core import Flow
from prefect_core.engine import signals
from prefect_core.engine.state import Failed, Success
from prefect_core.tasks.shell import ShellTask

pytestmark = [
    pytest.mark.filterwarnings("error::UserWarning"),
    pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash"),
]


def run_in_flow(shell_task: ShellTask, **inputs):
    """Run `shell_task` bound to `inputs` in a flow; return its final state."""
    with Flow("shell") as flow:
        bound = shell_task(**inputs)
    return flow.run().result[bound]


def records_of(caplog, task_name: str = "ShellTask") -> list[tuple[int, str]]:
    return [
        (record.levelno, record.getMessage())
        for record in caplog.records
        if record.name == f"prefect_core.{task_name}"
    ]


def test_shell_module_is_loaded_with_the_package():
    assert prefect_core.tasks.shell.ShellTask is ShellTask


def test_returns_the_last_line_of_output():
    assert ShellTask(command="echo a; echo b").run() == "b"


def test_return_all_returns_every_line():
    assert ShellTask(command="echo a; echo b", return_all=True).run() == ["a", "b"]


def test_stderr_is_merged_into_the_output():
    assert ShellTask(return_all=True).run(command="echo out; echo err >&2") == ["out", "err"]


def test_trailing_whitespace_is_stripped_from_lines():
    assert ShellTask().run(command="printf 'a  \\t\\n'") == "a"


def test_no_output_returns_none():
    assert ShellTask().run(command="true") is None


def test_no_output_with_return_all_returns_an_empty_list():
    assert ShellTask(return_all=True).run(command="true") == []


def test_command_given_at_init_runs_in_a_flow():
    state = run_in_flow(ShellTask(command="echo hi"))
    assert isinstance(state, Success)
    assert state.result == "hi"


def test_command_given_at_call_overrides_the_init_command():
    state = run_in_flow(ShellTask(command="echo init"), command="echo call")
    assert state.result == "call"


def test_env_adds_variables_to_the_inherited_environment(monkeypatch):
    monkeypatch.setenv("SHELL_TASK_INHERITED", "kept")
    task = ShellTask(env={"SHELL_TASK_ADDED": "added"})
    assert task.run(command='echo "$SHELL_TASK_INHERITED $SHELL_TASK_ADDED"') == "kept added"


def test_env_given_at_run_is_used():
    assert ShellTask().run(command="echo $GREETING", env={"GREETING": "hello"}) == "hello"


def test_helper_script_runs_before_the_command_in_the_same_shell():
    task = ShellTask(helper_script="greet() { echo \"hi $1\"; }")
    assert task.run(command="greet there") == "hi there"


def test_helper_script_can_change_the_directory(tmp_path):
    task = ShellTask(helper_script=f"cd {tmp_path}")
    assert os.path.realpath(task.run(command="pwd")) == os.path.realpath(tmp_path)


def test_shell_option_picks_the_program_running_the_script():
    assert ShellTask(shell="sh").run(command="echo from-sh") == "from-sh"


def test_temporary_script_is_removed_after_success(monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    ShellTask().run(command="echo done")
    assert list(tmp_path.iterdir()) == []


def test_temporary_script_is_removed_after_failure(monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(signals.FAIL):
        ShellTask().run(command="exit 3")
    assert list(tmp_path.iterdir()) == []


def test_temporary_script_has_the_prefect_prefix(monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    script_path = ShellTask().run(command='echo "$0"')
    assert os.path.basename(script_path).startswith("prefect-")


def test_non_zero_exit_fails_with_the_code_and_last_line():
    state = run_in_flow(ShellTask(), command="echo first; echo 'no such thing' >&2; exit 2")
    assert isinstance(state, Failed)
    assert state.message == "Command failed with exit code 2: no such thing"
    assert state.result == "no such thing"


def test_non_zero_exit_with_return_all_keeps_every_line_as_the_result():
    state = run_in_flow(ShellTask(return_all=True), command="echo a; echo b; exit 4")
    assert state.message == "Command failed with exit code 4: b"
    assert state.result == ["a", "b"]


def test_non_zero_exit_without_output_fails_with_the_code_only():
    state = run_in_flow(ShellTask(), command="exit 5")
    assert isinstance(state, Failed)
    assert state.message == "Command failed with exit code 5"
    assert state.result is None


def test_non_zero_exit_logs_the_code_at_error(caplog):
    with caplog.at_level(logging.DEBUG, logger="prefect_core"):
        with pytest.raises(signals.FAIL):
            ShellTask().run(command="echo oops; exit 1")
    assert records_of(caplog) == [(logging.ERROR, "Command failed with exit code 1")]


def test_log_stderr_logs_the_last_line_on_failure(caplog):
    with caplog.at_level(logging.DEBUG, logger="prefect_core"):
        with pytest.raises(signals.FAIL):
            ShellTask(log_stderr=True).run(command="echo a; echo b >&2; exit 1")
    assert records_of(caplog) == [
        (logging.ERROR, "Command failed with exit code 1"),
        (logging.ERROR, "b"),
    ]


def test_log_stderr_with_return_all_logs_every_line_on_failure(caplog):
    with caplog.at_level(logging.DEBUG, logger="prefect_core"):
        with pytest.raises(signals.FAIL):
            ShellTask(log_stderr=True, return_all=True).run(command="echo a; echo b; exit 1")
    assert records_of(caplog)[-1] == (logging.ERROR, "a\nb")


def test_log_stderr_is_ignored_when_streaming(caplog):
    task = ShellTask(log_stderr=True, stream_output=True)
    with caplog.at_level(logging.DEBUG, logger="prefect_core"):
        with pytest.raises(signals.FAIL):
            task.run(command="echo a; exit 1")
    assert records_of(caplog) == [
        (logging.INFO, "a"),
        (logging.ERROR, "Command failed with exit code 1"),
    ]


def test_stream_output_true_logs_each_line_at_info(caplog):
    with caplog.at_level(logging.DEBUG, logger="prefect_core"):
        ShellTask(stream_output=True).run(command="echo a; echo b")
    assert records_of(caplog) == [(logging.INFO, "a"), (logging.INFO, "b")]


def test_stream_output_level_name_logs_at_that_level(caplog):
    with caplog.at_level(logging.DEBUG, logger="prefect_core"):
        ShellTask(stream_output="WARNING").run(command="echo a")
    assert records_of(caplog) == [(logging.WARNING, "a")]


def test_stream_output_int_logs_at_that_level(caplog):
    with caplog.at_level(logging.DEBUG, logger="prefect_core"):
        ShellTask(stream_output=logging.DEBUG).run(command="echo a")
    assert records_of(caplog) == [(logging.DEBUG, "a")]


def test_output_is_not_logged_without_stream_output(caplog):
    with caplog.at_level(logging.DEBUG, logger="prefect_core"):
        ShellTask().run(command="echo a")
    assert records_of(caplog) == []


def test_stream_output_invalid_level_name_raises():
    with pytest.raises(TypeError) as raised:
        ShellTask(stream_output="NOTALEVEL")
    assert str(raised.value) == "'stream_output': Level NOTALEVEL is not a valid log level"


def test_stream_output_true_means_info():
    assert ShellTask(stream_output=True).stream_output == logging.INFO


def test_stream_output_level_name_is_converted_to_its_number():
    assert ShellTask(stream_output="DEBUG").stream_output == logging.DEBUG


def test_run_without_a_command_raises_type_error():
    with pytest.raises(TypeError) as raised:
        ShellTask().run()
    assert str(raised.value) == "run() missing required argument: 'command'"


def test_flow_task_without_a_command_fails():
    state = run_in_flow(ShellTask())
    assert isinstance(state, Failed)
    assert "run() missing required argument: 'command'" in state.message
    assert isinstance(state.result, TypeError)
