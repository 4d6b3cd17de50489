"""The command line, run for real as a subprocess."""

import shutil
import subprocess
import sys
from pathlib import Path

import prefect_core


def run_cli(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "prefect_core", *arguments], capture_output=True, text=True
    )


def test_version_prints_the_package_version_and_api_level():
    completed = run_cli("version")
    assert completed.returncode == 0
    assert completed.stdout.strip() == (
        f"prefect_core {prefect_core.__version__} (Prefect Core API 1.4.1)"
    )


def test_help_lists_the_version_command():
    completed = run_cli("--help")
    assert completed.returncode == 0
    assert "version" in completed.stdout


def test_no_command_is_a_usage_error_with_exit_code_2():
    completed = run_cli()
    assert completed.returncode == 2
    assert "COMMAND" in completed.stderr


def test_unknown_command_is_a_usage_error_with_exit_code_2():
    completed = run_cli("launch")
    assert completed.returncode == 2
    assert "invalid choice" in completed.stderr


def test_console_script_is_installed_and_prints_the_version():
    beside_python = Path(sys.executable).parent / "prefect-core"
    script = str(beside_python) if beside_python.exists() else shutil.which("prefect-core")
    assert script is not None, "the prefect-core console script is not installed"
    completed = subprocess.run([script, "version"], capture_output=True, text=True)
    assert completed.returncode == 0
    assert prefect_core.__version__ in completed.stdout
