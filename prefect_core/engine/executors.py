"""Deprecated location of the executors; import them from `prefect_core.executors`."""

from __future__ import annotations

import warnings
from typing import Any

from prefect_core import executors
from prefect_core.executors import Executor


def _warn_moved(name: str) -> None:
    warnings.warn(
        f"prefect_core.engine.executors.{name} has been moved to "
        f"`prefect_core.executors.{name}`, please update your imports",
        stacklevel=3,
    )


class LocalExecutor(executors.LocalExecutor):
    """Deprecated alias of `prefect_core.executors.LocalExecutor`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        _warn_moved("LocalExecutor")
        super().__init__(*args, **kwargs)


class LocalDaskExecutor(executors.LocalDaskExecutor):
    """Deprecated alias of `prefect_core.executors.LocalDaskExecutor`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        _warn_moved("LocalDaskExecutor")
        super().__init__(*args, **kwargs)


class DaskExecutor(executors.DaskExecutor):
    """Deprecated alias of `prefect_core.executors.DaskExecutor`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        _warn_moved("DaskExecutor")
        super().__init__(*args, **kwargs)


__all__ = ["DaskExecutor", "Executor", "LocalDaskExecutor", "LocalExecutor"]
