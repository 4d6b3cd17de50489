"""Fixtures shared by the engine tests."""

from __future__ import annotations

import pytest

from prefect_core.utilities.context import context


@pytest.fixture(autouse=True)
def fresh_caches():
    """Each test starts without the process-wide `context.caches` of earlier tests."""
    context.pop("caches", None)
    yield
    context.pop("caches", None)
