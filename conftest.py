"""Test-wide fixtures: every test starts from a clean context and configuration."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_context_and_config():
    """Restore `prefect_core.context` and `prefect_core.config` after each test."""
    from prefect_core.utilities.testing import restored_context_and_config

    with restored_context_and_config():
        yield
