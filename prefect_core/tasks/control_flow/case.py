"""`case`: a block of tasks that runs only when a task's result equals a value.

While the block is open, context key `case` holds it, and `Flow.add_task` registers with
it every task newly added to a flow (Parameters and Constants excepted). On exit, a
`CompareValue` named `case({value})` is bound to the condition and set upstream of every
registered task that has no upstream among the registered tasks; at run time a mismatch
skips it, and skip propagation skips the whole block.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from prefect_core.core.task import Task
from prefect_core.tasks.control_flow.conditional import CompareValue
from prefect_core.utilities.tasks import TaskBlock

if TYPE_CHECKING:
    from prefect_core.core.flow import Flow

__all__ = ["case"]


class case(TaskBlock):  # noqa: N801 - public 1.x name
    """`with case(task, value):` runs the block's tasks only if `task`'s result == `value`.

    `task` may be a task or a constant; `value` must not be a task. Entering returns
    `None`. Blocks nest: an inner block's condition task joins the outer block.
    """

    context_key = "case"
    multiple_flows_message = "Multiple flows cannot be used with the same case statement"

    def __init__(self, task: Any, value: Any) -> None:
        if isinstance(value, Task):
            raise TypeError("`value` cannot be a task")
        super().__init__()
        self.task = task
        self.value = value

    def __enter__(self) -> None:
        self._open()

    def __exit__(self, *exc_info: object) -> None:
        self._close()
        # Built after restoring the outer case, so a nested block's condition joins it,
        # and even when the block raised, so the tasks it did add stay guarded.
        if self._flow is not None:
            self._guard(self._flow)

    def _guard(self, flow: Flow) -> None:
        """Bind the condition task and set it upstream of the block's root tasks.

        A task that a failed build call took out of the flow again is left out.
        """
        block_tasks = [task for task in self._tasks if task in flow.tasks]
        if not block_tasks:
            return
        condition = CompareValue(self.value, name=f"case({self.value})").bind(
            value=self.task, flow=flow
        )
        members = set(block_tasks)
        for task in block_tasks:
            if members.isdisjoint(flow.upstream_tasks(task)):
                task.set_upstream(condition, flow=flow)
