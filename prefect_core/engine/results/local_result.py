"""`LocalResult`: results stored as files in a local folder.

File format: exactly the serializer's bytes (cloudpickle by default), nothing added, as
Prefect 1.4.1 wrote them, so checkpoints and targets written by either can be read by both.

Crash safety: `write` puts the bytes in a hidden temporary file in the target's folder
(`.<name>.<random>.tmp`), flushes and fsyncs it, then `os.replace`s it over the target. A
reader therefore finds either no file or a whole one, never a torn file; a crash leaves at
most a stray hidden temporary file, which no location ever points to.

Reading safely (what the engine does for targets and checkpoints): `exists` is a cheap
path check; `read` raises `ResultDeserializationError` (naming the file) when the bytes do
not deserialize, and `FileNotFoundError` when the file vanished in between. The caller
treats both like "no result": it logs a warning naming the file and runs the task again,
which overwrites the bad file.
"""

from __future__ import annotations

import datetime
import errno
import logging
import os
import re
import threading
from typing import Any

from prefect_core import configuration
from prefect_core.engine.result import Result, ResultDeserializationError
from prefect_core.utilities.files import write_atomically

__all__ = ["LocalResult"]

_NON_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")


class LocalResult(Result):
    """A result stored as a file under `dir`.

    Args:
        dir: the folder for result files; default `{config.home_dir}/results`. Kept from
            1.4.1: an absolute path inside `home_dir` is replaced by that default too.
        validate_dir: expand `~`, make `dir` absolute, create it and check it is writable
            (raising an `OSError` naming the folder when it cannot be used).
        **kwargs: `value`, `location` and `serializer`, as for `Result`. A relative
            `location` is taken relative to `dir`.
    """

    def __init__(self, dir: str | None = None, validate_dir: bool = True, **kwargs: Any) -> None:
        home_dir = str(configuration.config.home_dir)
        if dir is None or _is_inside(str(dir), home_dir):
            dir = os.path.join(home_dir, "results")
        dir = str(dir)
        if validate_dir:
            dir = os.path.abspath(os.path.expanduser(dir))
            _ensure_usable_folder(dir)
        self.dir = dir
        super().__init__(**kwargs)

    @property
    def default_location(self) -> str:
        """`{dir}/prefect-result-{utc timestamp slug}`, unique within this process."""
        stamp = _unique_utc_now().isoformat(timespec="microseconds").lower()
        return os.path.join(self.dir, "prefect-result-" + _NON_ALPHANUMERIC.sub("-", stamp))

    def exists(self, location: str, **kwargs: Any) -> bool:
        """Whether a file is at `location` (formatted with `kwargs`, relative to `dir`).

        This checks the path only; a file that does not deserialize still "exists", and
        `read` reports it with `ResultDeserializationError`.
        """
        return os.path.exists(os.path.join(self.dir, location.format(**kwargs)))

    def read(self, location: str) -> Result:
        """Return a copy holding the value stored at `location` (relative to `dir`).

        Raises:
            FileNotFoundError: no file at that path.
            ResultDeserializationError: the file's bytes do not deserialize.
        """
        path = os.path.join(self.dir, location)
        if self.logger.isEnabledFor(logging.DEBUG):
            self.logger.debug("Reading result from %s", path)
        with open(path, "rb") as file:
            data = file.read()
        try:
            value = self.serializer.deserialize(data)
        except Exception as err:
            raise ResultDeserializationError(path, err) from err
        new = self.copy()
        new.value = value
        new.location = location
        return new

    def write(self, value_: Any, **kwargs: Any) -> Result:
        """Serialize `value_` into the file at this result's location formatted with `kwargs`.

        Parent folders are created. The file appears atomically (see the module docstring).
        Returns a copy holding the value, whose `location` is the file's full path.
        """
        new = self.format(**kwargs)
        new.value = value_
        path = os.path.join(self.dir, new.location)
        data = self.serializer.serialize(value_)
        if self.logger.isEnabledFor(logging.DEBUG):
            self.logger.debug("Writing result to %s", path)
        folder = os.path.dirname(path)
        if folder:
            os.makedirs(folder, exist_ok=True)
        write_atomically(path, data)
        new.location = path
        return new


def _is_inside(path: str, folder: str) -> bool:
    """Whether the absolute `path` is `folder` or lies below it (a relative path never does)."""
    if not os.path.isabs(path):
        return False
    folder = os.path.abspath(folder)
    return os.path.commonpath([folder, os.path.abspath(path)]) == folder


def _ensure_usable_folder(path: str) -> None:
    """Create `path` if needed; raise an `OSError` naming it when it cannot hold results."""
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as err:
        raise OSError(
            err.errno, f"LocalResult could not create its result folder ({err.strerror})", path
        ) from err
    if not os.access(path, os.W_OK | os.X_OK):
        raise OSError(errno.EACCES, "LocalResult cannot write to its result folder", path)


_clock_lock = threading.Lock()
_last_stamp = datetime.datetime.min.replace(tzinfo=datetime.UTC)


def _unique_utc_now() -> datetime.datetime:
    """UTC now, strictly later than the previous call, so default locations never collide."""
    global _last_stamp
    with _clock_lock:
        now = datetime.datetime.now(datetime.UTC)
        if now <= _last_stamp:
            now = _last_stamp + datetime.timedelta(microseconds=1)
        _last_stamp = now
        return now
