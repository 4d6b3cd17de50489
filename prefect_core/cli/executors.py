"""`--executor local|threads|processes|dask[=ADDRESS]`: the executor a run uses."""

from __future__ import annotations

import socket

from prefect_core.cli.errors import CliError
from prefect_core.executors import DaskExecutor, Executor, LocalDaskExecutor, LocalExecutor

EXECUTOR_CHOICES = "local, threads, processes, dask or dask=ADDRESS"


def executor_from_option(option: str | None) -> Executor | None:
    """The executor named by `--executor` (None when not given: the flow's own executor,
    else the configured default).

    `local` is `LocalExecutor()`, `threads` and `processes` are `LocalDaskExecutor` with
    that scheduler, `dask` is `DaskExecutor()` (a temporary local cluster, or the
    configured `engine.executor.dask.address`) and `dask=ADDRESS` connects to the
    scheduler at ADDRESS, which must answer (checked at once: otherwise distributed
    would keep trying for its 30 s connect timeout and fail the run).
    """
    if option is None:
        return None
    kind, equals, address = option.partition("=")
    kind = kind.strip().lower()
    if kind == "dask" and equals:
        if not address.strip():
            raise CliError("--executor dask=ADDRESS needs a scheduler address after '='.")
        address = address.strip()
        _check_reachable(address)
        return DaskExecutor(address=address)
    if not equals:
        if kind == "local":
            return LocalExecutor()
        if kind in ("threads", "processes"):
            return LocalDaskExecutor(scheduler=kind)
        if kind == "dask":
            return DaskExecutor()
    raise CliError(f"Unknown executor {option!r}; expected {EXECUTOR_CHOICES}.")


def _check_reachable(address: str, timeout: float = 5) -> None:
    """Raise `CliError` when nothing accepts a connection at a `tcp://` (or scheme-less)
    scheduler address; other schemes are left to distributed."""
    scheme, _, location = address.rpartition("://")
    if scheme not in ("", "tcp"):
        return
    host, colon, port = location.rpartition(":")
    if not colon:
        host, port = location, "8786"  # distributed's default scheduler port
    if not port.isdigit():
        raise CliError(f"--executor dask={address}: {port!r} is not a port number.")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as exc:
        raise CliError(f"Cannot reach the Dask scheduler at {address}: {exc}") from None


def runs_in_this_terminal(executor: Executor | None) -> bool:
    """Whether task runs on `executor` share this process's terminal, so that a line a
    task run prints shows here: true for every executor but a `DaskExecutor` connected
    to an existing cluster (its workers print on their own terminals)."""
    return not (isinstance(executor, DaskExecutor) and executor.address)
