"""Progress lines: printed when stdout is a terminal (here a pseudo-terminal)."""

import os
import pty
import subprocess
import sys

from tests.cli.cli_helpers import FAILING_FLOW, MAPPED_FLOW


def run_on_a_terminal(*arguments: str) -> tuple[int, str]:
    """Run `python -m prefect_core ARGUMENTS` with stdout on a pseudo-terminal; returns
    the exit code and what the terminal showed."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "prefect_core", *arguments],
        stdout=terminal,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    os.close(terminal)
    shown = bytearray()
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closed: the process has exited
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    return process.wait(timeout=60), shown.decode("utf-8").replace("\r\n", "\n")


def test_each_finished_task_gets_a_progress_line_on_a_terminal(write_flow):
    returncode, shown = run_on_a_terminal("run", "-p", str(write_flow(FAILING_FLOW)),
                                          "--no-logs")
    assert returncode == 1
    lines = shown.splitlines()
    assert "  ✓ extract  Success" in lines
    assert "  ✗ explode  Failed" in lines
    assert lines.index("  ✓ extract  Success") < lines.index("  ✗ explode  Failed")
    assert lines[-1] == "Flow run failed!"


def test_a_mapped_task_gets_one_progress_line_not_one_per_child(write_flow):
    returncode, shown = run_on_a_terminal("run", "-p", str(write_flow(MAPPED_FLOW)),
                                          "--no-logs", "--executor", "processes")
    assert "  ✓ invert   Mapped (4 children)" in shown.splitlines()
    assert shown.count("invert") == 2  # the progress line and the summary row


def test_quiet_prints_no_progress_lines(write_flow):
    _, shown = run_on_a_terminal("run", "-p", str(write_flow(FAILING_FLOW)), "--quiet",
                                 "--no-logs")
    assert shown == ""


def test_a_retried_attempt_shows_failed_then_retrying(write_flow):
    path = write_flow(
        """
        from datetime import timedelta
        from prefect_core import Flow, task

        attempts = []

        @task(max_retries=1, retry_delay=timedelta(seconds=0))
        def flaky():
            attempts.append(1)
            if len(attempts) == 1:
                raise ConnectionError("try again")

        with Flow("retrying") as flow:
            flaky()
        """
    )
    returncode, shown = run_on_a_terminal("run", "-p", str(path), "--no-logs")
    assert returncode == 0
    progress = [line for line in shown.splitlines() if line.startswith("  ")]
    assert progress == ["  ✗ flaky  Failed", "  ↻ flaky  Retrying", "  ✓ flaky  Success"]
