"""Saving a flow to a file and loading it back: the code behind `Flow.save` / `Flow.load`.

File format (1.4.1's): UTF-8 JSON
`{"flow": base64(cloudpickle.dumps(flow, protocol=4)), "versions": {"cloudpickle": ...,
"prefect_core": ..., "python": "X.Y.Z"}}`. A file that is not such JSON is read as raw
cloudpickle bytes (the format of older Prefect releases).

The default path is `{home_dir}/flows/{slugify(flow name)}.prefect`, `home_dir` read from
the context's configuration; `load` maps a non-absolute path, taken as a flow name, to it.

Writes are atomic: the bytes go to a hidden temporary file in the target folder, which is
flushed, fsynced and renamed over the target, so a reader finds the old file or the whole
new one, and a flow that cannot be pickled leaves nothing behind (it is pickled before any
file is opened).

Loading unpickles, and **unpickling runs code**: only load files you trust. A truncated,
corrupt or foreign file raises `FlowStorageError` naming the path.
"""

from __future__ import annotations

import binascii
import json
import os
import re
import sys
import unicodedata
import warnings
from typing import TYPE_CHECKING

import cloudpickle

from prefect_core import configuration
from prefect_core._version import __version__
from prefect_core.exceptions import FlowStorageError
from prefect_core.utilities.context import context
from prefect_core.utilities.files import write_atomically

if TYPE_CHECKING:
    from prefect_core.core.flow import Flow

UNPICKLING_ERROR = "An error occurred while unpickling the flow:"


def slugify(text: str) -> str:
    """Lower case ASCII with runs of other characters replaced by `-`: `"My Flow!"` ->
    `"my-flow"`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def default_flow_path(name: str) -> str:
    """`{home_dir}/flows/{slugify(name)}.prefect`, user-expanded."""
    settings = context.get("config") or configuration.config
    folder = os.path.expanduser(os.path.join(str(settings.home_dir), "flows"))
    return os.path.join(folder, f"{slugify(name)}.prefect")


def _versions() -> dict[str, str]:
    """The versions that decide whether a pickled flow loads."""
    return {
        "cloudpickle": cloudpickle.__version__,
        "prefect_core": __version__,
        "python": ".".join(str(part) for part in sys.version_info[:3]),
    }


# -- saving -----------------------------------------------------------------------------


def flow_to_bytes(flow: Flow) -> bytes:
    """The file content for `flow`: JSON holding the base64 pickle and the versions."""
    pickled = cloudpickle.dumps(flow, protocol=4)
    encoded = binascii.b2a_base64(pickled, newline=False).decode("ascii")
    return json.dumps({"flow": encoded, "versions": _versions()}).encode("utf-8")


def save_flow(flow: Flow, fpath: str | os.PathLike | None = None) -> str:
    """`Flow.save`: write `flow` to `fpath` (default: under `home_dir`); return the path.

    Only the default path's folders are created; an explicit path in a missing folder
    raises `FileNotFoundError`.
    """
    if fpath is None:
        path = default_flow_path(flow.name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
    else:
        path = os.fspath(fpath)
    try:
        data = flow_to_bytes(flow)
    except Exception as exc:
        exc.add_note(f"(while saving flow {flow.name!r} to {path})")
        raise
    write_atomically(path, data)
    return path


# -- loading ----------------------------------------------------------------------------


def _unwrap(path: str, data: bytes) -> tuple[bytes, dict[str, str]]:
    """The pickled bytes and the recorded versions of a saved flow file's content."""
    try:
        info = json.loads(data.decode("utf-8"))
    except ValueError as exc:  # includes UnicodeDecodeError
        if data.lstrip().startswith(b"{"):
            raise FlowStorageError(
                f"{UNPICKLING_ERROR} {path} is not a saved prefect_core flow: it looks "
                f"truncated or corrupt (invalid JSON: {exc})"
            ) from exc
        return data, {}  # raw cloudpickle bytes
    if not isinstance(info, dict) or not isinstance(info.get("flow"), str):
        raise FlowStorageError(
            f'{path} is not a saved prefect_core flow: its JSON has no "flow" entry'
        )
    try:
        pickled = binascii.a2b_base64(info["flow"])
    except binascii.Error as exc:
        raise FlowStorageError(
            f"{UNPICKLING_ERROR} {path} is not a saved prefect_core flow: its "
            f"base64 data is corrupt ({exc})"
        ) from exc
    versions = info.get("versions")
    return pickled, versions if isinstance(versions, dict) else {}


def _unpickling_error(path: str, exc: Exception, recorded: dict[str, str]) -> FlowStorageError:
    """1.4.1's unpickling error, naming the file, with version mismatches and hints."""
    parts = [
        f"{UNPICKLING_ERROR} {path} is not a saved prefect_core flow, or is truncated or "
        "corrupt.",
        f"  {exc!r}",
    ]
    current = _versions()
    mismatches = [
        f"  - {name}: (flow built with {built!r}, currently running with {current[name]!r})"
        for name, built in sorted(recorded.items())
        if name in current and str(built) != current[name]
    ]
    if mismatches:
        parts.append(
            "This may be due to one of the following version mismatches between "
            "the flow build and execution environments:"
        )
        parts.extend(mismatches)
    if isinstance(exc, ImportError):
        prefix = "This also may" if mismatches else "This may"
        parts.append(
            f"{prefix} be due to a missing Python module in your current "
            "environment. Please ensure you have all required flow "
            "dependencies installed."
        )
    return FlowStorageError("\n".join(parts))


def load_flow(fpath: str | os.PathLike) -> Flow:
    """`Flow.load`: read the flow saved at `fpath` (a non-absolute `fpath` is a flow name).

    Unpickling runs code: only load files you trust.
    """
    from prefect_core.core.flow import Flow

    path = os.fspath(fpath)
    if not os.path.isabs(path):
        name, path = path, default_flow_path(path)
        if not os.path.exists(path):
            raise FileNotFoundError(
                f"No saved flow named {name!r}: {path} does not exist (a path that is not "
                "absolute is read as a flow name; pass an absolute path to load a file)"
            )
    with open(path, "rb") as file:
        data = file.read()
    pickled, recorded = _unwrap(path, data)
    try:
        flow = cloudpickle.loads(pickled)
    except Exception as exc:
        raise _unpickling_error(path, exc, recorded) from exc
    if not isinstance(flow, Flow):
        raise FlowStorageError(
            f"{path} is not a saved prefect_core flow: it holds a "
            f"{type(flow).__qualname__} object, not a Flow"
        )
    built_with = recorded.get("prefect_core")
    if built_with and str(built_with) != __version__:
        warnings.warn(
            f"This flow was built using prefect_core {built_with!r}, but you currently have "
            f"prefect_core {__version__!r} installed. We recommend loading flows with the "
            "same prefect_core version they were built with, failure to do so may result "
            "in errors.",
            stacklevel=3,
        )
    return flow
