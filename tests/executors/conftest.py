"""Fixtures shared by the executor tests: a Dask cluster started from the command line."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import distributed
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def _start_process(arguments: list[str], log: Path) -> subprocess.Popen:
    """Start a dask command in its own session, its output going to `log`."""
    with open(log, "wb") as output:
        return subprocess.Popen(
            arguments,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: the worker it spawns goes too
            # The workers import this module to unpickle the task functions defined here.
            env={
                **os.environ,
                "PYTHONPATH": os.pathsep.join(
                    filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])
                ),
            },
            cwd=REPO_ROOT,
        )


def _stop_process(process: subprocess.Popen) -> None:
    """Terminate the process group started by `_start_process`; kill it if it lingers."""
    for stop_signal, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        if process.poll() is not None:
            break
        try:
            os.killpg(process.pid, stop_signal)
        except ProcessLookupError:
            break
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            continue
    try:  # children left in the group (the worker a nanny spawned) go too
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _scheduler_address_from(log: Path, process: subprocess.Popen, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(r"Scheduler at:\s+(tcp://[\d.]+:\d+)", log.read_text(errors="replace"))
        if found:
            return found.group(1)
        assert process.poll() is None, f"dask scheduler exited:\n{log.read_text()}"
        time.sleep(0.1)
    raise AssertionError(f"no scheduler address in:\n{log.read_text()}")


@pytest.fixture
def command_line_cluster(tmp_path):
    """`dask scheduler` and two `dask worker --nthreads 1`; yields the scheduler address.

    The processes are always terminated, whether the test passed or not.
    """
    dask_command = str(Path(sys.executable).parent / "dask")
    processes = []
    try:
        scheduler_log = tmp_path / "scheduler.log"
        processes.append(
            _start_process(
                [dask_command, "scheduler", "--host", "127.0.0.1", "--port", "0",
                 "--no-dashboard"],
                scheduler_log,
            )
        )
        address = _scheduler_address_from(scheduler_log, processes[0])
        for number in range(2):
            processes.append(
                _start_process(
                    [dask_command, "worker", address, "--nthreads", "1", "--no-dashboard",
                     "--name", f"cli-worker-{number}"],
                    tmp_path / f"worker-{number}.log",
                )
            )
        with distributed.Client(address, set_as_default=False) as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for process in reversed(processes):
            _stop_process(process)
