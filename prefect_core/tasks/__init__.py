"""The task library (`prefect_core.tasks`)."""

from prefect_core.core.task import Task
from prefect_core.tasks import control_flow, core, shell
