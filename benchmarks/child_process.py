"""Running one benchmark case in a fresh interpreter, so its peak memory is its own."""

from __future__ import annotations

import json
import subprocess
import sys


def figures_from_child(script: str, *arguments: object, python: str = sys.executable) -> dict:
    """Run `python script arguments...` and return the JSON object on its last line."""
    output = subprocess.run(
        [python, script, *map(str, arguments)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])
