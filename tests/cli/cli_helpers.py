"""Helpers for the command-line tests: run the real CLI in a subprocess; sample flow files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def console_script() -> str:
    """The installed `prefect-core` console script (beside the running Python, or on PATH)."""
    beside_python = Path(sys.executable).parent / "prefect-core"
    script = str(beside_python) if beside_python.exists() else shutil.which("prefect-core")
    assert script is not None, "the prefect-core console script is not installed"
    return script


def run_cli(
    *arguments: str,
    cwd: Path | str | None = None,
    env: dict[str, str] | None = None,
    script: bool = False,
    timeout: float = 60,
) -> subprocess.CompletedProcess:
    """Run `python -m prefect_core ARGUMENTS` (or the console script) and capture its
    output; stdin is closed, as in CI."""
    command = [console_script()] if script else [sys.executable, "-m", "prefect_core"]
    return subprocess.run(
        [*command, *arguments],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
        timeout=timeout,
    )


def assert_one_line_error(completed: subprocess.CompletedProcess, fragment: str) -> None:
    """Exit code 2, exactly one stderr line `prefect-core: error: ...` holding
    `fragment`, and no traceback anywhere."""
    assert completed.returncode == 2, completed.stdout + completed.stderr
    lines = completed.stderr.splitlines()
    assert len(lines) == 1, completed.stderr
    assert lines[0].startswith("prefect-core: error: "), completed.stderr
    assert fragment in lines[0], completed.stderr
    assert "Traceback" not in completed.stdout + completed.stderr


HELLO_FLOW = """
    from prefect_core import Flow, task

    @task
    def greet():
        return "hello"

    @task
    def shout(text):
        return text.upper()

    with Flow("hello") as flow:
        shout(greet())

    if __name__ == "__main__":
        raise SystemExit("the CLI must not run the __main__ block")
"""

FAILING_FLOW = """
    from prefect_core import Flow, task

    @task
    def extract():
        return [1, 2, 3]

    @task
    def explode(data):
        raise ValueError("bad data")

    with Flow("failing") as flow:
        explode(extract())
"""

MAPPED_FLOW = """
    from prefect_core import Flow, task

    @task
    def numbers():
        return [1, 2, 3, 4]

    @task
    def invert(x):
        if x == 3:
            raise ValueError("no threes")
        return 1 / x

    with Flow("mapped") as flow:
        invert.map(numbers())
"""

PARAMETER_FLOW = """
    import prefect_core
    from prefect_core import Flow, Parameter, task

    @task
    def report(n, name, options):
        context = prefect_core.context
        prefect_core.context.logger.info(
            "got n=%r name=%r options=%r env=%r run=%r",
            n, name, options, context.get("env"), context.get("flow_run_name"),
        )

    with Flow("params") as flow:
        n = Parameter("n")
        report(n, Parameter("name", default="world"), Parameter("options", default=None))
"""

TWO_FLOWS = """
    from prefect_core import Flow, task

    @task
    def one():
        return 1

    with Flow("first") as first:
        one()

    with Flow("second") as second:
        one()

    also_first = first  # the same flow under two names counts once
"""
