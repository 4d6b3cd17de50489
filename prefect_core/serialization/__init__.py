"""Marshmallow schemas that turn flows, tasks, edges, states, results and schedules into
JSON-compatible dicts and back (see `docs/serialization.md`).

Submodules: `task` (`TaskSchema`, `ParameterSchema`), `edge` (`EdgeSchema`), `flow`
(`FlowSchema`), `state` (`StateSchema`), `result` (`StateResultSchema`) and `schedule`
(`ScheduleSchema`).

They are imported on first use (`prefect_core.serialization.flow` after a bare
`import prefect_core` works): importing marshmallow costs about 50 ms, which
`import prefect_core` should not pay for a feature most runs never use.
"""

from __future__ import annotations

import importlib
from typing import Any

_SUBMODULES = ("edge", "flow", "result", "schedule", "state", "task")

__all__ = list(_SUBMODULES)


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_SUBMODULES])
