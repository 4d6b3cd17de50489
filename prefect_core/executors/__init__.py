"""Executors: where task runs happen (`LocalExecutor`, `LocalDaskExecutor`, `DaskExecutor`)."""

from prefect_core.executors.base import Executor
from prefect_core.executors.dask import DaskExecutor, LocalDaskExecutor
from prefect_core.executors.local import LocalExecutor

__all__ = ["DaskExecutor", "Executor", "LocalDaskExecutor", "LocalExecutor"]
