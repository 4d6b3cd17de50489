"""Tests for prefect_core.utilities.debug."""

import subprocess
import sys
import threading

import pytest

from prefect_core.utilities.context import context
from prefect_core.utilities.debug import is_serializable, raise_on_exception


class TestRaiseOnException:
    def test_sets_the_context_key_inside_the_block(self):
        with raise_on_exception():
            assert context.raise_on_exception is True

    def test_key_is_removed_after_the_block(self):
        with raise_on_exception():
            pass
        assert "raise_on_exception" not in context

    def test_removed_even_after_an_error(self):
        with pytest.raises(ValueError):
            with raise_on_exception():
                raise ValueError()
        assert "raise_on_exception" not in context


@pytest.fixture
def module_outside_sys_path(tmp_path, monkeypatch):
    """Import a module from a folder that a fresh interpreter will not search."""
    folder = tmp_path / "private_modules"
    folder.mkdir()
    (folder / "pc_private_module.py").write_text("def hidden():\n    return 1\n")
    monkeypatch.syspath_prepend(str(folder))
    import pc_private_module

    yield pc_private_module
    sys.modules.pop("pc_private_module", None)


class TestIsSerializable:
    def test_plain_data_is_serializable(self):
        assert is_serializable({"a": [1, 2.5, "x"]}) is True

    def test_lambda_is_serializable(self):
        assert is_serializable(lambda x: x + 1) is True

    def test_object_that_cannot_be_pickled_is_not(self):
        assert is_serializable(threading.Lock()) is False

    def test_pickling_error_is_raised_on_request(self):
        with pytest.raises(TypeError):
            is_serializable(threading.Lock(), raise_on_error=True)

    def test_object_needing_a_module_the_fresh_process_lacks_is_not(self, module_outside_sys_path):
        assert is_serializable(module_outside_sys_path.hidden) is False

    def test_load_failure_is_raised_with_output_on_request(self, module_outside_sys_path):
        with pytest.raises(subprocess.CalledProcessError) as info:
            is_serializable(module_outside_sys_path.hidden, raise_on_error=True)
        assert b"pc_private_module" in info.value.output

    def test_temporary_file_is_removed(self, tmp_path, monkeypatch):
        monkeypatch.setenv("TMPDIR", str(tmp_path))
        import tempfile

        monkeypatch.setattr(tempfile, "tempdir", None)
        is_serializable(1)
        assert list(tmp_path.iterdir()) == []
