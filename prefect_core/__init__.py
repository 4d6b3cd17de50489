"""prefect_core: a fast, graph-first workflow engine speaking the Prefect 1.x Core API.

`import prefect_core as prefect` gives Prefect 1 code the names it expects.
"""

import prefect_core.engine
import prefect_core.exceptions
import prefect_core.executors
import prefect_core.schedules
import prefect_core.serialization
import prefect_core.tasks
import prefect_core.triggers
import prefect_core.utilities
from prefect_core._version import PREFECT_API_VERSION, __version__
from prefect_core.configuration import config
from prefect_core.core import Flow, Parameter, Task
from prefect_core.tasks.control_flow import case
from prefect_core.tasks.core.resource_manager import resource_manager
from prefect_core.utilities.context import context
from prefect_core.utilities.edges import flatten, mapped, unmapped
from prefect_core.utilities.tasks import apply_map, tags, task

__all__ = [
    "Flow",
    "PREFECT_API_VERSION",
    "Parameter",
    "Task",
    "apply_map",
    "case",
    "config",
    "context",
    "flatten",
    "mapped",
    "resource_manager",
    "tags",
    "task",
    "unmapped",
]
