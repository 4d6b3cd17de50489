"""Task-run log lines from Dask workers, printed once, by the process running the flow.

A `DaskExecutor` started for a flow run registers `ForwardTaskLogs` on the cluster's
workers for as long as it is started:

- in a worker *process*, `prefect_core` records are sent to the caller (a Dask event
  on `TOPIC`) instead of being printed by the worker, so a `LocalCluster`'s workers,
  which share the caller's terminal, do not print every line twice;
- a worker *thread* of the caller's own process (an in-process cluster) is left alone:
  its records are logged there already, and forwarding them would echo each record
  between client and worker for ever.

On exit the plugin is removed, and long-lived workers print their own lines again.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from prefect_core.utilities.logging import ROOT_LOGGER_NAME

TOPIC = "prefect_core-task-logs"


@contextmanager
def forwarded_task_logs(client: Any) -> Iterator[None]:
    """Forward the workers' `prefect_core` records to this process while inside."""
    client.subscribe_topic(TOPIC, log_forwarded_record)
    client.register_plugin(ForwardTaskLogs(os.getpid()), name=TOPIC)
    try:
        yield
    finally:
        try:
            client.unregister_worker_plugin(TOPIC)
        except Exception:  # the scheduler is gone, and its workers with it
            pass
        client.unsubscribe_topic(TOPIC)


def log_forwarded_record(event: tuple) -> None:
    """Log a record sent by `SendToCaller` with the logger of the same name."""
    _, attributes = event
    record = logging.makeLogRecord(attributes)
    logging.getLogger(record.name).handle(record)


class ForwardTaskLogs(WorkerPlugin):
    """On a worker process other than the caller's: send `prefect_core` records to the
    caller instead of printing them."""

    def __init__(self, caller_pid: int) -> None:
        self.caller_pid = caller_pid
        self.sender: logging.Handler | None = None
        self.printers: list[logging.Handler] = []

    def setup(self, worker: Any) -> None:
        if os.getpid() == self.caller_pid:
            return
        logger = logging.getLogger(ROOT_LOGGER_NAME)
        self.printers = [h for h in logger.handlers if isinstance(h, logging.StreamHandler)]
        for printer in self.printers:
            logger.removeHandler(printer)
        self.sender = SendToCaller(worker)
        logger.addHandler(self.sender)

    def teardown(self, worker: Any) -> None:
        logger = logging.getLogger(ROOT_LOGGER_NAME)
        if self.sender is not None:
            logger.removeHandler(self.sender)
        for printer in self.printers:
            logger.addHandler(printer)


class SendToCaller(logging.Handler):
    """Sends each record, as plain attributes, to the clients subscribed to `TOPIC`."""

    def __init__(self, worker: Any) -> None:
        super().__init__()
        self.worker = worker

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.format(record)  # fills `exc_text`; the traceback object cannot travel
        attributes = dict(record.__dict__, msg=record.getMessage(), args=None, exc_info=None)
        attributes.pop("message", None)
        self.worker.log_event(TOPIC, attributes)
