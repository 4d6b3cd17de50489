"""`StateResultSchema` and the result schemas: class and location, never the value."""

import pytest
from marshmallow import ValidationError

from prefect_core.engine.result import NoResult, NoResultType, Result
from prefect_core.engine.results import ConstantResult, LocalResult, PrefectResult, SecretResult
from prefect_core.serialization.result import StateResultSchema


class NamedSecret:
    name = "db-password"

    def run(self, name):
        return "hunter2"


class MyResult(Result):
    pass


def dump(result):
    return StateResultSchema().dump(result)


def load(payload):
    return StateResultSchema().load(payload)


def test_base_result_dumps_its_location_only():
    assert dump(Result(value=42, location="here")) == {
        "location": "here",
        "__version__": "0.1.0",
        "type": "Result",
    }


def test_no_result_dumps_no_fields_and_loads_the_singleton():
    assert dump(NoResult) == {"__version__": "0.1.0", "type": "NoResultType"}
    assert load(dump(NoResult)) is NoResult


def test_local_result_dumps_dir_and_location(tmp_path):
    result = LocalResult(dir=str(tmp_path), location="a.pkl", value=[1, 2])
    assert dump(result) == {
        "dir": str(tmp_path),
        "location": "a.pkl",
        "__version__": "0.1.0",
        "type": "LocalResult",
    }


def test_local_result_loads_without_touching_its_folder(tmp_path):
    folder = tmp_path / "never-created"
    loaded = load({"type": "LocalResult", "dir": str(folder), "location": "a.pkl"})
    assert isinstance(loaded, LocalResult)
    assert (loaded.dir, loaded.location, loaded.value) == (str(folder), "a.pkl", None)
    assert not folder.exists()


@pytest.mark.parametrize("result_class", [PrefectResult, ConstantResult])
def test_located_results_round_trip_without_value(result_class):
    loaded = load(dump(result_class(value=3, location="3")))
    assert type(loaded) is result_class
    assert (loaded.location, loaded.value) == ("3", None)


def test_prefect_result_location_still_reads_the_value_back():
    written = PrefectResult().write({"a": 1})
    loaded = load(dump(written))
    assert loaded.read(loaded.location).value == {"a": 1}


def test_secret_result_dumps_its_secret_type_and_loads_as_a_base_result():
    dumped = dump(SecretResult(NamedSecret()))
    assert dumped == {
        "location": "db-password",
        "secret_type": "NamedSecret",
        "__version__": "0.1.0",
        "type": "SecretResult",
    }
    loaded = load(dumped)
    assert type(loaded) is Result and loaded.location == "db-password"


def test_other_result_classes_dump_as_custom_results():
    assert dump(MyResult(value=1, location="l")) == {
        "location": "l",
        "type": "CustomResult",
        "__version__": "0.1.0",
    }


@pytest.mark.parametrize(
    "payload",
    [
        {"type": "CustomResult", "location": "l"},
        {"type": "S3Result", "bucket": "b", "location": "l"},
        {"type": "GCSResult", "bucket": "b", "location": "l"},
        {"type": "AzureResult", "container": "c", "location": "l"},
        {"type": "os.system", "location": "l"},
        {"location": "l"},
    ],
    ids=["custom", "s3", "gcs", "azure", "outside-prefect-core", "no-type"],
)
def test_unimplemented_and_unknown_results_load_as_base_results(payload):
    loaded = load(payload)
    assert type(loaded) is Result
    assert loaded.location == "l"


def test_values_are_never_dumped():
    assert "value" not in dump(LocalResult(dir="/tmp", validate_dir=False, value="secret"))


def test_a_non_mapping_payload_is_a_validation_error():
    with pytest.raises(ValidationError):
        load("LocalResult")


def test_local_result_requires_a_dir():
    with pytest.raises(ValidationError) as raised:
        load({"type": "LocalResult", "dir": None, "location": "x"})
    assert "dir" in raised.value.messages


def test_no_result_type_is_the_class_of_the_loaded_singleton():
    assert isinstance(load({"type": "NoResultType"}), NoResultType)
