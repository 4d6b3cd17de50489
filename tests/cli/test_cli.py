"""The `prefect-core` program itself: version, config, help, usage errors."""

import json

import pytest

import prefect_core
from tests.cli.cli_helpers import assert_one_line_error, run_cli


def test_version_prints_the_package_version_and_api_level():
    completed = run_cli("version")
    assert completed.returncode == 0
    assert completed.stdout.strip() == (
        f"prefect_core {prefect_core.__version__} (Prefect Core API 1.4.1)"
    )


def test_console_script_is_installed_and_prints_the_version():
    completed = run_cli("version", script=True)
    assert completed.returncode == 0
    assert prefect_core.__version__ in completed.stdout


def test_config_prints_the_effective_configuration_as_json():
    completed = run_cli("config", env={"PREFECT_CORE__FLOWS__CHECKPOINTING": "true"})
    assert completed.returncode == 0, completed.stderr
    configuration = json.loads(completed.stdout)
    assert configuration["flows"]["checkpointing"] is True
    assert configuration["logging"]["level"] == "INFO"
    assert configuration["engine"]["executor"]["default_class"] == (
        "prefect_core.executors.LocalExecutor"
    )


def test_help_lists_every_command():
    completed = run_cli("--help")
    assert completed.returncode == 0
    for command in ("run", "inspect", "visualize", "config", "version"):
        assert command in completed.stdout


@pytest.mark.parametrize("command", ["run", "inspect", "visualize", "config", "version"])
def test_every_command_has_help(command):
    completed = run_cli(command, "--help")
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith(f"usage: prefect-core {command}")


def test_run_help_shows_the_flags_of_the_spec():
    completed = run_cli("run", "--help")
    for flag in ("--path", "--module", "--name", "--param", "--param-file", "--context",
                 "--log-level", "--schedule", "--quiet", "--no-logs", "--run-name",
                 "--executor"):
        assert flag in completed.stdout


def test_no_command_is_a_one_line_usage_error():
    assert_one_line_error(run_cli(), "COMMAND")


def test_unknown_command_is_a_one_line_usage_error():
    assert_one_line_error(run_cli("launch"), "invalid choice")


def test_unknown_option_is_a_one_line_usage_error():
    assert_one_line_error(run_cli("run", "--frobnicate"), "unrecognized arguments")
