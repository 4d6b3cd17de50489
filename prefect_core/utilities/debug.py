"""Debugging helpers: make task errors propagate, and check that an object survives
pickling into a fresh interpreter."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from contextlib import AbstractContextManager
from typing import Any

import cloudpickle

from prefect_core.utilities.context import Context, context

__all__ = ["is_serializable", "raise_on_exception"]

_LOAD_SCRIPT = "import sys, cloudpickle; cloudpickle.load(open(sys.argv[1], 'rb'))"


def raise_on_exception() -> AbstractContextManager[Context]:
    """Return a context manager in which the first task error is raised out of
    `flow.run()` instead of becoming a `Failed` state (handy with a debugger).

    It sets the context key `raise_on_exception` to True for the block.
    """
    return context(raise_on_exception=True)


def is_serializable(obj: Any, raise_on_error: bool = False) -> bool:
    """Return whether `obj` can be cloudpickled here and loaded in a fresh interpreter.

    The object is written to a temporary file and loaded by a new `python` process (same
    executable, environment and working directory, but none of this process's imports).

    Args:
        - obj (Any): the object to check
        - raise_on_error (bool, optional): raise the error instead of returning False; a
          failed load raises `subprocess.CalledProcessError` whose `output` holds the
          child's traceback

    Raises:
        - Exception: only with `raise_on_error=True`
    """
    handle, path = tempfile.mkstemp(suffix=".pkl")
    try:
        with os.fdopen(handle, "wb") as file:
            cloudpickle.dump(obj, file)
        subprocess.run(
            [sys.executable, "-c", _LOAD_SCRIPT, path],
            check=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
    except Exception:
        if raise_on_error:
            raise
        return False
    finally:
        os.unlink(path)
    return True
