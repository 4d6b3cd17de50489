"""The project's lint: `ruff check` over the repository must be clean."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_reports_no_problems():
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    completed = subprocess.run(
        [ruff, "check", str(ROOT)], capture_output=True, text=True, cwd=ROOT
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
