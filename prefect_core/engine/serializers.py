"""Serializers turn a Python value into bytes and back.

A `Result` owns one serializer and writes exactly the bytes it produces (nothing is added
around them), so a result file is readable by whoever knows its serializer. Serializers are
stateless value objects: two serializers compare equal when they would produce the same bytes
(same class and, where they have them, the same options).

* `PickleSerializer` (the default): cloudpickle; also reads the base64-wrapped pickles older
  Prefect versions wrote.
* `JSONSerializer`: `json`, for JSON-compatible values (used by `PrefectResult`).
* `DateTimeSerializer`: ISO-8601 text for `datetime.datetime` values.
* `PandasSerializer`: any `DataFrame.to_<type>` / `pandas.read_<type>` pair (pandas is
  imported only when this serializer is built).
* `CompressedSerializer`: wraps another serializer and compresses its bytes.
"""

from __future__ import annotations

import base64
import datetime
import importlib
import io
import json
from collections.abc import Callable
from typing import Any

import cloudpickle

__all__ = [
    "CompressedSerializer",
    "DateTimeSerializer",
    "JSONSerializer",
    "PandasSerializer",
    "PickleSerializer",
    "Serializer",
]

_COMMON_COMPRESSION_MODULES = ("bz2", "gzip", "lzma", "zlib")


class Serializer:
    """Base class: `serialize(value) -> bytes` and `deserialize(bytes) -> value`."""

    def serialize(self, value: Any) -> bytes:
        """Return the bytes representing `value`."""
        raise NotImplementedError

    def deserialize(self, value: bytes) -> Any:
        """Rebuild the value that `serialize` turned into `value`."""
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)


class PickleSerializer(Serializer):
    """Serialize any picklable object with cloudpickle."""

    def serialize(self, value: Any) -> bytes:
        """Pickle `value` with cloudpickle."""
        return cloudpickle.dumps(value)

    def deserialize(self, value: bytes) -> Any:
        """Unpickle `value`; base64-wrapped pickles (an older format) are accepted too."""
        try:
            return cloudpickle.loads(value)
        except Exception as first_error:
            try:
                return cloudpickle.loads(base64.b64decode(value))
            except Exception:
                raise first_error from None


class JSONSerializer(Serializer):
    """Serialize JSON-compatible values as UTF-8 JSON text."""

    def serialize(self, value: Any) -> bytes:
        """Dump `value` as JSON bytes."""
        return json.dumps(value).encode()

    def deserialize(self, value: bytes) -> Any:
        """Load a value from JSON bytes."""
        return json.loads(value)


def _is_utc(value: datetime.datetime) -> bool:
    """True for naive values and for zones that call themselves UTC at offset zero."""
    if value.tzinfo is None:
        return True
    return value.utcoffset() == datetime.timedelta(0) and value.tzname() == "UTC"


class DateTimeSerializer(Serializer):
    """Serialize `datetime.datetime` values as ISO-8601 text.

    The text is `YYYY-MM-DDTHH:MM:SS`, then `.ffffff` only when there are microseconds, then
    the zone: `Z` for naive values (read as UTC) and for UTC zones (`timezone.utc`,
    `ZoneInfo("UTC")`, ...), `+HH:MM` / `-HH:MM` for any other zone. Reading gives an aware
    datetime; text without an offset (or a bare date) is read as UTC.
    """

    def serialize(self, value: Any) -> bytes:
        """Render a datetime as ISO-8601 bytes."""
        if not isinstance(value, datetime.datetime):
            raise ValueError(
                "DateTimeSerializer only serializes datetime.datetime objects, "
                f"not {type(value).__name__}: {value!r}"
            )
        timespec = "microseconds" if value.microsecond else "seconds"
        if _is_utc(value):
            text = value.replace(tzinfo=None).isoformat(timespec=timespec) + "Z"
        else:
            text = value.isoformat(timespec=timespec)
        return text.encode()

    def deserialize(self, value: bytes) -> datetime.datetime:
        """Parse ISO-8601 bytes into an aware datetime (UTC when no offset is given)."""
        text = value.decode() if isinstance(value, bytes) else str(value)
        parsed = datetime.datetime.fromisoformat(text.strip())
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=datetime.UTC)
        return parsed


class PandasSerializer(Serializer):
    """Serialize pandas DataFrames with `DataFrame.to_<file_type>` / `pandas.read_<file_type>`.

    Args:
        file_type: the pandas format name, e.g. `"csv"`, `"parquet"` or `"json"`.
        deserialize_kwargs: keyword arguments for `pandas.read_<file_type>`.
        serialize_kwargs: keyword arguments for `DataFrame.to_<file_type>`.

    Raises:
        ImportError: pandas is not installed.
        ValueError: pandas has no reader or no writer for `file_type`.
    """

    def __init__(
        self,
        file_type: str,
        deserialize_kwargs: dict[str, Any] | None = None,
        serialize_kwargs: dict[str, Any] | None = None,
    ) -> None:
        self.file_type = file_type
        self.deserialize_kwargs = deserialize_kwargs or {}
        self.serialize_kwargs = serialize_kwargs or {}
        pandas = self._import_pandas()
        if not callable(getattr(pandas, f"read_{file_type}", None)):
            raise ValueError(f"Could not find deserialization methods for {file_type}")
        if not callable(getattr(pandas.DataFrame, f"to_{file_type}", None)):
            raise ValueError(f"Could not find serialization methods for {file_type}")

    @staticmethod
    def _import_pandas() -> Any:
        try:
            return importlib.import_module("pandas")
        except ImportError as err:
            raise ImportError(
                "PandasSerializer needs pandas, which is not installed (`pip install pandas`)."
            ) from err

    def serialize(self, value: Any) -> bytes:
        """Write the DataFrame `value` in `file_type` format and return the bytes."""
        write = getattr(value, f"to_{self.file_type}")
        buffer = io.BytesIO()
        try:
            write(buffer, **self.serialize_kwargs)
        except TypeError:
            # Text-only writers (e.g. `to_csv` in some pandas versions) refuse a binary buffer.
            text_buffer = io.StringIO()
            write(text_buffer, **self.serialize_kwargs)
            return text_buffer.getvalue().encode()
        return buffer.getvalue()

    def deserialize(self, value: bytes) -> Any:
        """Read a DataFrame back from `file_type` bytes."""
        read = getattr(self._import_pandas(), f"read_{self.file_type}")
        return read(io.BytesIO(value), **self.deserialize_kwargs)

    def __eq__(self, other: object) -> bool:
        return (
            type(self) is type(other)
            and self.file_type == other.file_type
            and self.serialize_kwargs == other.serialize_kwargs
            and self.deserialize_kwargs == other.deserialize_kwargs
        )


class CompressedSerializer(Serializer):
    """Compress the bytes of another serializer.

    Args:
        serializer: the serializer producing the uncompressed bytes.
        format: name of a module with `compress` / `decompress` functions (`"zlib"`,
            `"gzip"`, `"bz2"`, `"lzma"`, ...). Give either this or both functions.
        compress: `fn(bytes, **compress_kwargs) -> bytes`.
        decompress: `fn(bytes, **decompress_kwargs) -> bytes`.
        compress_kwargs: extra keyword arguments for `compress`.
        decompress_kwargs: extra keyword arguments for `decompress`.
    """

    def __init__(
        self,
        serializer: Serializer,
        format: str | None = None,
        compress: Callable[..., bytes] | None = None,
        decompress: Callable[..., bytes] | None = None,
        compress_kwargs: dict[str, Any] | None = None,
        decompress_kwargs: dict[str, Any] | None = None,
    ) -> None:
        if format is not None:
            if compress is not None or decompress is not None:
                raise ValueError(
                    "You must specify either `format` or `compress`/`decompress`, but not both."
                )
            compress, decompress = self.compression_from_lib(format)
        elif compress is None or decompress is None:
            raise ValueError("You must specify either `format` or `compress`/`decompress`.")
        self._serializer = serializer
        self._compress = compress
        self._decompress = decompress
        self._compress_kwargs = compress_kwargs or {}
        self._decompress_kwargs = decompress_kwargs or {}

    @staticmethod
    def compression_from_lib(name: str) -> tuple[Callable[..., bytes], Callable[..., bytes]]:
        """Return the `compress` and `decompress` functions of the module called `name`."""
        try:
            module = importlib.import_module(name)
        except ImportError as err:
            raise ImportError(
                f"Compression module {name!r} is not installed; common choices are "
                f"{', '.join(_COMMON_COMPRESSION_MODULES)}."
            ) from err
        compress = getattr(module, "compress", None)
        decompress = getattr(module, "decompress", None)
        if not (callable(compress) and callable(decompress)):
            raise ValueError(
                f"Given compression format {name!r} module does not have 'compress' and "
                "'decompress' attributes; pass the functions as `compress`/`decompress`, or "
                f"use one of {', '.join(_COMMON_COMPRESSION_MODULES)}."
            )
        return compress, decompress

    def serialize(self, value: Any) -> bytes:
        """Serialize with the wrapped serializer, then compress."""
        return self._compress(self._serializer.serialize(value), **self._compress_kwargs)

    def deserialize(self, value: bytes) -> Any:
        """Decompress, then deserialize with the wrapped serializer."""
        return self._serializer.deserialize(self._decompress(value, **self._decompress_kwargs))

    def __eq__(self, other: object) -> bool:
        return (
            type(self) is type(other)
            and self._serializer == other._serializer
            and self._compress == other._compress
            and self._decompress == other._decompress
            and self._compress_kwargs == other._compress_kwargs
            and self._decompress_kwargs == other._decompress_kwargs
        )
