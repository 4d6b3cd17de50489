"""Branching and rejoining: `CompareValue`, `switch`, `ifelse`, `Merge` and `merge`.

A branch is guarded by a `CompareValue` task upstream of it: when the condition's result
differs from the branch's value the `CompareValue` raises `SKIP`, and skip propagation
skips the branch and everything downstream of it. `Merge` (built by `merge`) rejoins the
branches: it does not skip on a skipped upstream and returns the first non-`None` result.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from prefect_core import triggers
from prefect_core.core.task import Task
from prefect_core.engine import signals
from prefect_core.utilities.tasks import as_task, tags, task

if TYPE_CHECKING:
    from prefect_core.core.flow import Flow

__all__ = ["CompareValue", "Merge", "ifelse", "merge", "switch"]


class CompareValue(Task):
    """Succeeds (returning `None`) when its input equals `value`; otherwise raises `SKIP`.

    Named `'CompareValue: "{value}"'` unless a name is given.
    """

    def __init__(self, value: Any, **task_kwargs: Any) -> None:
        self.value = value
        task_kwargs.setdefault("name", f'CompareValue: "{value}"')
        super().__init__(**task_kwargs)

    def run(self, value: Any) -> None:
        """Raise `SKIP` unless `value` equals the stored value."""
        if value != self.value:
            raise signals.SKIP(f'Provided value "{value}" did not match "{self.value}"')


class Merge(Task):
    """Rejoins conditional branches: returns the first non-`None` upstream result.

    Runs when at least one upstream was not skipped (`triggers.not_all_skipped`), so it
    must not skip on a skipped upstream: `skip_on_upstream_skip=True` is rejected.
    """

    def __init__(self, **task_kwargs: Any) -> None:
        if task_kwargs.setdefault("skip_on_upstream_skip", False):
            raise ValueError("Merge tasks must have `skip_on_upstream_skip=False`.")
        task_kwargs.setdefault("trigger", triggers.not_all_skipped)
        super().__init__(**task_kwargs)

    def run(self, **task_results: Any) -> Any:
        """The first non-`None` value, taking the inputs in order of their key strings."""
        for _key, value in sorted(task_results.items()):
            if value is not None:
                return value
        return None


def merge(
    *tasks: Any, flow: Flow | None = None, mapped: bool = False, **task_kwargs: Any
) -> Task:
    """A `Merge` bound to `tasks` as inputs `task_1`, `task_2`, ... in `flow`.

    Only the branch that ran has a result, so the merge returns it; when every input was
    skipped the merge is skipped too. `task_kwargs` go to the `Merge` constructor.
    """
    inputs = {f"task_{position}": upstream for position, upstream in enumerate(tasks, 1)}
    return Merge(**task_kwargs).bind(**inputs, flow=flow, mapped=mapped)


def switch(condition: Any, cases: Mapping[Any, Any], mapped: bool = False) -> None:
    """Run only the branch of `cases` whose key equals the result of `condition`.

    Each branch gets a `CompareValue` (tagged `"switch"`) upstream of it; the others are
    skipped, together with their downstream tasks. Needs an active flow. A list or dict
    branch becomes a collection task, and only that collection task is guarded.
    """
    with tags("switch"):
        for value, branch in cases.items():
            branch_task = as_task(branch)
            match = CompareValue(value=value).bind(value=condition, mapped=mapped)
            branch_task.set_dependencies(upstream_tasks=[match], mapped=mapped)


def ifelse(condition: Any, true_task: Any, false_task: Any, mapped: bool = False) -> None:
    """Run `true_task` when `condition`'s result is truthy, `false_task` otherwise.

    Either branch may be `None` (no branch). The condition goes through a task named
    `as_bool`; the branches are then guarded as in `switch`.
    """
    cases = {
        value: branch for value, branch in ((True, true_task), (False, false_task))
        if branch is not None
    }
    if cases:
        as_bool = task(_as_bool, name="as_bool")
        switch(as_bool(condition, mapped=mapped), cases, mapped=mapped)


def _as_bool(x: Any) -> bool:
    """The truth value of `x` (the run function of `ifelse`'s condition task)."""
    return bool(x)
