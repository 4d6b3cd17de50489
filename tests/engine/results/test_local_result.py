"""Tests for prefect_core.engine.results.LocalResult."""

import os
import re

import cloudpickle
import pytest

from prefect_core import configuration
from prefect_core.engine.result import ResultDeserializationError
from prefect_core.engine.results import LocalResult
from prefect_core.engine.results import local_result as local_result_module
from prefect_core.engine.serializers import JSONSerializer, PickleSerializer


@pytest.fixture
def home(tmp_path, monkeypatch):
    """Point `config.home_dir` at a temporary folder."""
    home_dir = tmp_path / "home"
    home_dir.mkdir()
    monkeypatch.setitem(configuration.config, "home_dir", str(home_dir))
    return home_dir


@pytest.fixture
def result_dir(tmp_path):
    return tmp_path / "results"


# -------------------------------------------------------------------- construction


def test_dir_defaults_to_results_under_home_dir(home):
    assert LocalResult().dir == str(home / "results")


def test_default_dir_is_created(home):
    LocalResult()
    assert (home / "results").is_dir()


def test_given_dir_is_created(result_dir):
    LocalResult(dir=str(result_dir / "nested"))
    assert (result_dir / "nested").is_dir()


def test_absolute_dir_inside_home_dir_is_replaced_by_the_default(home):
    assert LocalResult(dir=str(home / "mine"), validate_dir=False).dir == str(home / "results")


def test_home_dir_itself_is_replaced_by_the_default(home):
    assert LocalResult(dir=str(home), validate_dir=False).dir == str(home / "results")


def test_sibling_sharing_a_name_prefix_with_home_dir_is_kept(home):
    sibling = str(home) + "x"
    assert LocalResult(dir=sibling, validate_dir=False).dir == sibling


def test_tilde_dir_is_not_compared_with_home_dir_before_expansion(home, monkeypatch):
    monkeypatch.setenv("HOME", str(home.parent))
    result = LocalResult(dir="~/home/sub", validate_dir=True)
    assert result.dir == str(home / "sub")


def test_validate_dir_makes_a_relative_dir_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert LocalResult(dir="relative").dir == str(tmp_path / "relative")


def test_without_validation_the_dir_is_kept_verbatim(tmp_path):
    result = LocalResult(dir="relative/x", validate_dir=False)
    assert result.dir == "relative/x"
    assert not (tmp_path / "relative").exists()


def test_uncreatable_dir_raises_an_os_error_naming_the_path(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    target = str(blocker / "sub")
    with pytest.raises(OSError, match="could not create its result folder") as raised:
        LocalResult(dir=target)
    assert raised.value.filename == target
    assert target in str(raised.value)


def test_unwritable_dir_raises_a_permission_error_naming_the_path(result_dir, monkeypatch):
    monkeypatch.setattr(local_result_module.os, "access", lambda path, mode: False)
    with pytest.raises(PermissionError, match="cannot write to its result folder") as raised:
        LocalResult(dir=str(result_dir))
    assert raised.value.filename == str(result_dir)


def test_keyword_arguments_reach_the_result(result_dir):
    serializer = JSONSerializer()
    result = LocalResult(dir=str(result_dir), value=1, location="f", serializer=serializer)
    assert (result.value, result.location, result.serializer) == (1, "f", serializer)


def test_equality_includes_the_dir(tmp_path):
    first = LocalResult(dir=str(tmp_path / "a"), location="f")
    assert first == LocalResult(dir=str(tmp_path / "a"), location="f")
    assert first != LocalResult(dir=str(tmp_path / "b"), location="f")


def test_logger_is_named_after_the_class(result_dir):
    assert LocalResult(dir=str(result_dir)).logger.name == "prefect_core.LocalResult"


# ---------------------------------------------------------------- default location


def test_default_location_is_a_timestamp_slug_in_dir(result_dir):
    result = LocalResult(dir=str(result_dir))
    folder, name = os.path.split(result.default_location)
    assert folder == str(result_dir)
    assert re.fullmatch(r"prefect-result-\d{4}-\d\d-\d\dt\d\d-\d\d-\d\d-\d{6}-00-00", name)


def test_default_locations_never_repeat(result_dir):
    result = LocalResult(dir=str(result_dir))
    locations = [result.default_location for _ in range(200)]
    assert len(set(locations)) == 200


# -------------------------------------------------------------------------- write


def test_write_stores_exactly_the_serializer_bytes(result_dir):
    result = LocalResult(dir=str(result_dir), location="out.bin")
    result.write({"a": 1})
    assert (result_dir / "out.bin").read_bytes() == cloudpickle.dumps({"a": 1})


def test_write_returns_a_copy_with_value_and_full_path(result_dir):
    result = LocalResult(dir=str(result_dir), location="out.bin")
    written = result.write(5)
    assert written is not result
    assert written.value == 5
    assert written.location == str(result_dir / "out.bin")
    assert (result.value, result.location) == (None, "out.bin")


def test_write_formats_the_location_and_creates_subfolders(result_dir):
    result = LocalResult(dir=str(result_dir), location="{flow}/{task}.txt")
    written = result.write(7, flow="f", task="t")
    assert written.location == str(result_dir / "f" / "t.txt")
    assert (result_dir / "f" / "t.txt").exists()


def test_write_without_location_uses_the_default_location(result_dir):
    written = LocalResult(dir=str(result_dir)).write(1)
    assert os.path.basename(written.location).startswith("prefect-result-")
    assert os.path.exists(written.location)


def test_write_accepts_an_absolute_location(result_dir, tmp_path):
    target = tmp_path / "elsewhere" / "f.bin"
    written = LocalResult(dir=str(result_dir), location=str(target)).write(1)
    assert written.location == str(target)
    assert target.exists()


def test_write_uses_the_configured_serializer(result_dir):
    result = LocalResult(dir=str(result_dir), location="v.json", serializer=JSONSerializer())
    result.write([1, 2])
    assert (result_dir / "v.json").read_bytes() == b"[1, 2]"


def test_write_replaces_an_existing_file(result_dir):
    result = LocalResult(dir=str(result_dir), location="f")
    result.write(1)
    result.write(2)
    assert result.read("f").value == 2


def test_write_leaves_no_temporary_file(result_dir):
    LocalResult(dir=str(result_dir), location="f").write(1)
    assert os.listdir(result_dir) == ["f"]


def test_serializer_error_leaves_no_file(result_dir):
    class Exploding(PickleSerializer):
        def serialize(self, value):
            raise RuntimeError("cannot serialize")

    result = LocalResult(dir=str(result_dir), location="f", serializer=Exploding())
    with pytest.raises(RuntimeError, match="cannot serialize"):
        result.write(1)
    assert os.listdir(result_dir) == []


def test_crash_after_partial_write_leaves_no_file_at_the_target(result_dir, monkeypatch):
    def crash(descriptor):
        raise OSError("disk gone")

    result = LocalResult(dir=str(result_dir), location="f")
    monkeypatch.setattr(local_result_module.os, "fsync", crash)
    with pytest.raises(OSError, match="disk gone"):
        result.write(list(range(1000)))
    assert not (result_dir / "f").exists()
    assert os.listdir(result_dir) == []


def test_crash_during_write_keeps_the_previous_file_whole(result_dir, monkeypatch):
    result = LocalResult(dir=str(result_dir), location="f")
    result.write("old")

    def crash(source, destination):
        raise KeyboardInterrupt

    monkeypatch.setattr(local_result_module.os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        result.write("new")
    monkeypatch.undo()
    assert result.read("f").value == "old"
    assert os.listdir(result_dir) == ["f"]


def test_written_file_permissions_follow_the_umask(result_dir):
    previous = os.umask(0o022)
    try:
        written = LocalResult(dir=str(result_dir), location="f").write(1)
    finally:
        os.umask(previous)
    assert os.stat(written.location).st_mode & 0o777 == 0o644


# --------------------------------------------------------------------------- read


def test_read_returns_a_copy_with_value_and_given_location(result_dir):
    result = LocalResult(dir=str(result_dir), location="f")
    result.write(42)
    loaded = result.read("f")
    assert loaded is not result
    assert (loaded.value, loaded.location) == (42, "f")


def test_read_accepts_the_full_path_returned_by_write(result_dir):
    written = LocalResult(dir=str(result_dir), location="f").write("x")
    assert LocalResult(dir=str(result_dir)).read(written.location).value == "x"


def test_read_uses_the_configured_serializer(result_dir):
    (result_dir).mkdir()
    (result_dir / "v.json").write_bytes(b'{"a": 1}')
    result = LocalResult(dir=str(result_dir), serializer=JSONSerializer())
    assert result.read("v.json").value == {"a": 1}


def test_read_of_a_missing_file_raises_file_not_found(result_dir):
    with pytest.raises(FileNotFoundError):
        LocalResult(dir=str(result_dir)).read("nope")


def test_read_of_a_torn_file_raises_deserialization_error_naming_it(result_dir):
    result = LocalResult(dir=str(result_dir))
    (result_dir / "torn").write_bytes(cloudpickle.dumps(list(range(100)))[:20])
    with pytest.raises(ResultDeserializationError) as raised:
        result.read("torn")
    assert raised.value.location == str(result_dir / "torn")
    assert str(result_dir / "torn") in str(raised.value)


def test_read_of_an_empty_file_raises_deserialization_error(result_dir):
    result = LocalResult(dir=str(result_dir))
    (result_dir / "empty").write_bytes(b"")
    with pytest.raises(ResultDeserializationError):
        result.read("empty")


def test_deserialization_error_chains_the_original_error(result_dir):
    result = LocalResult(dir=str(result_dir), serializer=JSONSerializer())
    (result_dir / "bad.json").write_bytes(b"{not json")
    with pytest.raises(ResultDeserializationError) as raised:
        result.read("bad.json")
    assert isinstance(raised.value.__cause__, ValueError)


def test_read_loads_files_written_in_the_1_4_1_format(result_dir):
    (result_dir).mkdir()
    (result_dir / "old").write_bytes(cloudpickle.dumps({"legacy": True}))
    assert LocalResult(dir=str(result_dir)).read("old").value == {"legacy": True}


# ------------------------------------------------------------------------- exists


def test_exists_is_true_for_a_written_file(result_dir):
    result = LocalResult(dir=str(result_dir), location="f")
    result.write(1)
    assert result.exists("f") is True


def test_exists_is_false_for_a_missing_file(result_dir):
    assert LocalResult(dir=str(result_dir)).exists("nope") is False


def test_exists_formats_the_location(result_dir):
    result = LocalResult(dir=str(result_dir), location="{name}.bin")
    result.write(1, name="q")
    assert result.exists("{name}.bin", name="q") is True


def test_exists_accepts_an_absolute_path(result_dir):
    written = LocalResult(dir=str(result_dir), location="f").write(1)
    assert LocalResult(dir=str(result_dir)).exists(written.location) is True


def test_exists_is_a_path_check_even_for_a_corrupt_file(result_dir):
    result = LocalResult(dir=str(result_dir))
    (result_dir / "corrupt").write_bytes(b"\x80garbage")
    assert result.exists("corrupt") is True
