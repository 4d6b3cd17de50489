"""`--executor local|threads|processes|dask[=ADDRESS]`: the executor a run uses."""

from __future__ import annotations

from prefect_core.cli.errors import CliError
from prefect_core.executors import DaskExecutor, Executor, LocalDaskExecutor, LocalExecutor

EXECUTOR_CHOICES = "local, threads, processes, dask or dask=ADDRESS"


def executor_from_option(option: str | None) -> Executor | None:
    """The executor named by `--executor` (None when not given: the flow's own executor,
    else the configured default).

    `local` is `LocalExecutor()`, `threads` and `processes` are `LocalDaskExecutor` with
    that scheduler, `dask` is `DaskExecutor()` (a temporary local cluster, or the
    configured `engine.executor.dask.address`) and `dask=ADDRESS` connects to the
    scheduler at ADDRESS.
    """
    if option is None:
        return None
    kind, equals, address = option.partition("=")
    kind = kind.strip().lower()
    if kind == "dask" and equals:
        if not address.strip():
            raise CliError("--executor dask=ADDRESS needs a scheduler address after '='.")
        return DaskExecutor(address=address.strip())
    if not equals:
        if kind == "local":
            return LocalExecutor()
        if kind in ("threads", "processes"):
            return LocalDaskExecutor(scheduler=kind)
        if kind == "dask":
            return DaskExecutor()
    raise CliError(f"Unknown executor {option!r}; expected {EXECUTOR_CHOICES}.")


def runs_in_this_terminal(executor: Executor | None) -> bool:
    """Whether task runs on `executor` share this process's terminal, so that a line a
    task run prints shows here: true for every executor but a `DaskExecutor` connected
    to an existing cluster (its workers print on their own terminals)."""
    return not (isinstance(executor, DaskExecutor) and executor.address)
