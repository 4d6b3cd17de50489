"""Fixtures of the command-line tests."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture
def write_flow(tmp_path: Path) -> Callable[..., Path]:
    """`write_flow(source, name="flow.py")` writes a dedented flow file into `tmp_path`."""

    def write(source: str, name: str = "flow.py") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(source))
        return path

    return write
