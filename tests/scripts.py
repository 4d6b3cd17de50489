"""Running the repository's scripts (examples, benchmarks) as a user would."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_script(path: Path, *arguments: str, timeout: float = 60) -> str:
    """Run `python path arguments...` in a fresh interpreter; returns its output after
    checking that it exited 0."""
    completed = subprocess.run(
        [sys.executable, str(path), *arguments],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=timeout,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed.stdout
