"""`prefect_core.serialization`: present after `import prefect_core`, loaded on use."""

import subprocess
import sys

import pytest

import prefect_core


def test_submodules_resolve_after_a_bare_import():
    assert prefect_core.serialization.state.StateSchema.__name__ == "StateSchema"
    assert prefect_core.serialization.flow.FlowSchema.__name__ == "FlowSchema"
    assert set(prefect_core.serialization.__all__) <= set(dir(prefect_core.serialization))


def test_an_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="storage"):
        prefect_core.serialization.storage  # out of scope


def test_importing_prefect_core_does_not_import_marshmallow():
    code = "import sys, prefect_core; print('marshmallow' in sys.modules)"
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == "False"
