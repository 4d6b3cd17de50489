"""Control flow for flows: `case` blocks, `switch`/`ifelse` branches, `merge`, `FilterTask`."""

from prefect_core.tasks.control_flow.case import case
from prefect_core.tasks.control_flow.conditional import ifelse, merge, switch
from prefect_core.tasks.control_flow.filter import FilterTask

__all__ = ["FilterTask", "case", "ifelse", "merge", "switch"]
