"""Fixtures for the serialization tests."""

import json
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def prefect_1_payloads():
    """Payloads dumped by Prefect 1.4.1 itself (see `data/README.md`)."""
    return json.loads((DATA / "prefect_1_4_1_payloads.json").read_text())
