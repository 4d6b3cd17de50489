"""Executors: where task runs happen (`LocalExecutor`; the Dask executors come later)."""

from prefect_core.executors.base import Executor
from prefect_core.executors.local import LocalExecutor

__all__ = ["Executor", "LocalExecutor"]
