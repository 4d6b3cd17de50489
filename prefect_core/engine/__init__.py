"""The engine: the values a run is made of, and the runners that produce them.

* `state`: the state classes a task or flow run moves through.
* `signals`: exceptions a task raises to choose its own state.
* `result` / `results`: where values are stored and how they are read back.
* `serializers`: how values become bytes.
* `cache_validators`: whether a cached state may replace a new run.
* `runner`, `task_runner`, `flow_runner`: running one task, and a whole flow.
* `flow_run_loop`: what `Flow.run()` does around the flow runner (retry passes, caches,
  pauses, schedules).
"""

from prefect_core.engine import cache_validators, result, results, serializers, signals, state
from prefect_core.engine.defaults import (
    get_default_executor_class,
    get_default_flow_runner_class,
    get_default_task_runner_class,
)
from prefect_core.engine.flow_runner import FlowRunner
from prefect_core.engine.task_runner import TaskRunner

__all__ = [
    "FlowRunner",
    "TaskRunner",
    "cache_validators",
    "get_default_executor_class",
    "get_default_flow_runner_class",
    "get_default_task_runner_class",
    "result",
    "results",
    "serializers",
    "signals",
    "state",
]
