"""Tests for prefect_core.engine.serializers."""

import base64
import bz2
import datetime
import gzip
import importlib.util
import io
import json
import lzma
import sys
import types
import zlib
from zoneinfo import ZoneInfo

import cloudpickle
import pytest

from prefect_core.engine.serializers import (
    CompressedSerializer,
    DateTimeSerializer,
    JSONSerializer,
    PandasSerializer,
    PickleSerializer,
    Serializer,
)

UTC = datetime.UTC


# -------------------------------------------------------------------------- base


def test_base_serialize_is_not_implemented():
    with pytest.raises(NotImplementedError):
        Serializer().serialize(1)


def test_base_deserialize_is_not_implemented():
    with pytest.raises(NotImplementedError):
        Serializer().deserialize(b"")


def test_serializers_of_the_same_type_are_equal():
    assert PickleSerializer() == PickleSerializer()
    assert JSONSerializer() != PickleSerializer()


# -------------------------------------------------------------------------- pickle


def test_pickle_round_trips_a_lambda():
    serializer = PickleSerializer()
    double = serializer.deserialize(serializer.serialize(lambda x: 2 * x))
    assert double(4) == 8


def test_pickle_writes_cloudpickle_bytes():
    assert PickleSerializer().serialize([1]) == cloudpickle.dumps([1])


def test_pickle_reads_the_old_base64_format():
    assert PickleSerializer().deserialize(base64.b64encode(cloudpickle.dumps(5))) == 5


def test_pickle_reraises_the_first_error_when_both_formats_fail():
    with pytest.raises(Exception) as raised:
        PickleSerializer().deserialize(b"nonsense!!")
    assert "invalid load key" in str(raised.value)


# ---------------------------------------------------------------------------- json


def test_json_serializes_to_utf8_text():
    assert JSONSerializer().serialize({"a": [1, None]}) == b'{"a": [1, null]}'


def test_json_round_trips():
    serializer = JSONSerializer()
    assert serializer.deserialize(serializer.serialize({"x": "é"})) == {"x": "é"}


def test_json_refuses_non_json_values():
    with pytest.raises(TypeError):
        JSONSerializer().serialize(object())


# ------------------------------------------------------------------------ datetime


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (datetime.datetime(2020, 1, 1, 5, 6, 7), b"2020-01-01T05:06:07Z"),
        (datetime.datetime(2020, 1, 1, 5, 6, 7, 12), b"2020-01-01T05:06:07.000012Z"),
        (datetime.datetime(2020, 1, 1, 5, 6, 7, tzinfo=UTC), b"2020-01-01T05:06:07Z"),
        (
            datetime.datetime(2020, 1, 1, 5, 6, 7, tzinfo=ZoneInfo("UTC")),
            b"2020-01-01T05:06:07Z",
        ),
        (
            datetime.datetime(2020, 1, 1, 5, 6, 7, tzinfo=ZoneInfo("America/New_York")),
            b"2020-01-01T05:06:07-05:00",
        ),
        (
            datetime.datetime(2020, 1, 1, 5, 6, 7, tzinfo=ZoneInfo("Europe/London")),
            b"2020-01-01T05:06:07+00:00",
        ),
        (
            datetime.datetime(
                2020, 1, 1, 5, 6, 7, 500000, tzinfo=datetime.timezone(datetime.timedelta(hours=5))
            ),
            b"2020-01-01T05:06:07.500000+05:00",
        ),
    ],
)
def test_datetime_serialize_format(value, text):
    assert DateTimeSerializer().serialize(value) == text


@pytest.mark.parametrize("value", [datetime.date(2020, 1, 1), "2020-01-01", 5])
def test_datetime_serialize_rejects_non_datetimes(value):
    with pytest.raises(ValueError, match="only serializes datetime.datetime"):
        DateTimeSerializer().serialize(value)


def test_datetime_deserialize_z_as_utc():
    parsed = DateTimeSerializer().deserialize(b"2020-01-01T05:06:07Z")
    assert parsed == datetime.datetime(2020, 1, 1, 5, 6, 7, tzinfo=UTC)
    assert parsed.utcoffset() == datetime.timedelta(0)


def test_datetime_deserialize_keeps_an_explicit_offset():
    parsed = DateTimeSerializer().deserialize(b"2020-01-01T05:06:07-05:00")
    assert parsed.utcoffset() == datetime.timedelta(hours=-5)
    assert parsed.hour == 5


def test_datetime_deserialize_offsetless_text_as_utc():
    parsed = DateTimeSerializer().deserialize(b"2020-01-01T05:06:07")
    assert parsed.tzinfo is UTC


def test_datetime_deserialize_a_bare_date_as_midnight_utc():
    assert DateTimeSerializer().deserialize(b"2020-01-01") == datetime.datetime(
        2020, 1, 1, tzinfo=UTC
    )


def test_datetime_deserialize_rejects_garbage():
    with pytest.raises(ValueError):
        DateTimeSerializer().deserialize(b"garbage")


def test_datetime_round_trip_keeps_the_instant():
    serializer = DateTimeSerializer()
    moment = datetime.datetime(2021, 7, 4, 12, 0, 1, 250, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert serializer.deserialize(serializer.serialize(moment)) == moment


# ---------------------------------------------------------------------- compressed


@pytest.mark.parametrize(
    ("name", "module"), [("zlib", zlib), ("gzip", gzip), ("bz2", bz2), ("lzma", lzma)]
)
def test_compressed_with_a_standard_format_round_trips(name, module):
    serializer = CompressedSerializer(PickleSerializer(), format=name)
    data = serializer.serialize({"k": list(range(50))})
    assert module.decompress(data) == cloudpickle.dumps({"k": list(range(50))})
    assert serializer.deserialize(data) == {"k": list(range(50))}


def test_compressed_with_explicit_functions():
    serializer = CompressedSerializer(
        JSONSerializer(), compress=zlib.compress, decompress=zlib.decompress
    )
    assert zlib.decompress(serializer.serialize([1])) == b"[1]"


def test_compressed_passes_keyword_arguments():
    calls = []

    def compress(data, **kwargs):
        calls.append(("compress", kwargs))
        return data

    def decompress(data, **kwargs):
        calls.append(("decompress", kwargs))
        return data

    serializer = CompressedSerializer(
        JSONSerializer(),
        compress=compress,
        decompress=decompress,
        compress_kwargs={"level": 9},
        decompress_kwargs={"fast": True},
    )
    serializer.deserialize(serializer.serialize(1))
    assert calls == [("compress", {"level": 9}), ("decompress", {"fast": True})]


def test_compressed_requires_format_or_functions():
    with pytest.raises(ValueError, match="either `format` or `compress`/`decompress`"):
        CompressedSerializer(PickleSerializer())


def test_compressed_requires_both_functions():
    with pytest.raises(ValueError, match="either `format` or `compress`/`decompress`"):
        CompressedSerializer(PickleSerializer(), compress=zlib.compress)


def test_compressed_refuses_format_and_functions_together():
    with pytest.raises(ValueError, match="but not both"):
        CompressedSerializer(PickleSerializer(), format="zlib", compress=zlib.compress)


def test_compressed_unknown_module_raises_import_error():
    with pytest.raises(ImportError, match="'no_such_compressor' is not installed"):
        CompressedSerializer(PickleSerializer(), format="no_such_compressor")


def test_compressed_module_without_functions_raises_value_error():
    with pytest.raises(ValueError, match="does not have 'compress' and 'decompress'"):
        CompressedSerializer(PickleSerializer(), format="json")


def test_compression_from_lib_returns_the_module_functions():
    assert CompressedSerializer.compression_from_lib("zlib") == (zlib.compress, zlib.decompress)


def test_compressed_equality_compares_inner_serializer_and_format():
    reference = CompressedSerializer(PickleSerializer(), format="zlib")
    assert reference == CompressedSerializer(PickleSerializer(), format="zlib")
    assert reference != CompressedSerializer(PickleSerializer(), format="bz2")
    assert reference != CompressedSerializer(JSONSerializer(), format="zlib")


def test_compressed_equality_compares_keyword_arguments():
    reference = CompressedSerializer(PickleSerializer(), format="zlib")
    assert reference != CompressedSerializer(
        PickleSerializer(), format="zlib", compress_kwargs={"level": 1}
    )


# -------------------------------------------------------------------------- pandas


class _FakeFrame:
    """Stands in for a DataFrame: `to_csv` writes text only, like pandas' text writers."""

    def __init__(self, rows):
        self.rows = rows

    def to_csv(self, buffer, **kwargs):
        if not isinstance(buffer, io.StringIO):
            raise TypeError("text buffer required")
        buffer.write(json.dumps({"rows": self.rows, "kwargs": kwargs}))

    def to_feather(self, buffer, **kwargs):
        buffer.write(json.dumps(self.rows).encode())


@pytest.fixture
def fake_pandas(monkeypatch):
    module = types.ModuleType("pandas")
    module.DataFrame = _FakeFrame

    def read_csv(buffer, **kwargs):
        return _FakeFrame(json.loads(buffer.read())["rows"] + [kwargs])

    def read_feather(buffer, **kwargs):
        return _FakeFrame(json.loads(buffer.read()))

    module.read_csv = read_csv
    module.read_feather = read_feather
    module.read_only = read_csv
    monkeypatch.setitem(sys.modules, "pandas", module)
    return module


def test_pandas_missing_reader_raises(fake_pandas):
    with pytest.raises(ValueError, match="Could not find deserialization methods for nope"):
        PandasSerializer("nope")


def test_pandas_missing_writer_raises(fake_pandas):
    with pytest.raises(ValueError, match="Could not find serialization methods for only"):
        PandasSerializer("only")


def test_pandas_binary_writer_round_trips(fake_pandas):
    serializer = PandasSerializer("feather")
    assert serializer.deserialize(serializer.serialize(_FakeFrame([1, 2]))).rows == [1, 2]


def test_pandas_text_writer_retries_through_a_string_buffer(fake_pandas):
    data = PandasSerializer("csv", serialize_kwargs={"index": False}).serialize(_FakeFrame([1]))
    assert json.loads(data) == {"rows": [1], "kwargs": {"index": False}}


def test_pandas_deserialize_kwargs_reach_the_reader(fake_pandas):
    serializer = PandasSerializer("csv", deserialize_kwargs={"sep": ";"})
    assert serializer.deserialize(serializer.serialize(_FakeFrame([]))).rows == [{"sep": ";"}]


def test_pandas_equality_compares_file_type_and_kwargs(fake_pandas):
    assert PandasSerializer("csv") == PandasSerializer("csv")
    assert PandasSerializer("csv") != PandasSerializer("feather")
    assert PandasSerializer("csv") != PandasSerializer("csv", serialize_kwargs={"index": False})
    assert PandasSerializer("csv") != PandasSerializer("csv", deserialize_kwargs={"sep": ";"})


def test_pandas_missing_library_raises_import_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="PandasSerializer needs pandas"):
        PandasSerializer("csv")


@pytest.mark.skipif(importlib.util.find_spec("pandas") is None, reason="pandas is not installed")
def test_pandas_real_csv_round_trip():
    import pandas

    frame = pandas.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    serializer = PandasSerializer("csv", serialize_kwargs={"index": False})
    assert serializer.deserialize(serializer.serialize(frame)).equals(frame)
