"""The graph: `Task`, `Flow`, `Parameter` and `Edge` (no knowledge of running)."""

from prefect_core.core.edge import Edge
from prefect_core.core.flow import Flow
from prefect_core.core.parameter import Parameter
from prefect_core.core.task import Task

__all__ = ["Edge", "Flow", "Parameter", "Task"]
