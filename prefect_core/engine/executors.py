"""Deprecated location of the executors; import them from `prefect_core.executors`."""

from __future__ import annotations

import warnings
from typing import Any

from prefect_core import executors
from prefect_core.executors import Executor


class LocalExecutor(executors.LocalExecutor):
    """Deprecated alias of `prefect_core.executors.LocalExecutor`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        warnings.warn(
            "prefect_core.engine.executors.LocalExecutor has been moved to "
            "`prefect_core.executors.LocalExecutor`, please update your imports",
            stacklevel=2,
        )
        super().__init__(*args, **kwargs)


__all__ = ["Executor", "LocalExecutor"]
