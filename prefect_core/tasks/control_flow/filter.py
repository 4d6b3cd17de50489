"""`FilterTask`: clean up a list of results, typically the reduce of a mapped task."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from prefect_core import triggers
from prefect_core.core.task import Task

__all__ = ["FilterTask"]


def _is_real_result(item: Any) -> bool:
    """The default filter: drop `None` and exceptions.

    Prefect signals derive from `BaseException`, not `Exception`, so they are kept.
    """
    return not (item is None or isinstance(item, Exception))


class FilterTask(Task):
    """Keeps the items of its input list for which `filter_func(item)` is true.

    Runs whatever its upstreams ended in (`trigger=all_finished`,
    `skip_on_upstream_skip=False`, both overridable), so a reduce over a partly failed or
    skipped map reaches it. The default filter drops `None` and exceptions. `log_func`,
    when given, turns the filtered list into a message logged at INFO.
    """

    def __init__(
        self,
        filter_func: Callable[[Any], bool] | None = None,
        log_func: Callable[[list], Any] | None = None,
        **task_kwargs: Any,
    ) -> None:
        task_kwargs.setdefault("skip_on_upstream_skip", False)
        task_kwargs.setdefault("trigger", triggers.all_finished)
        self.filter_func = filter_func or _is_real_result
        self.log_func = log_func
        super().__init__(**task_kwargs)

    def run(self, task_results: list[Any]) -> list[Any]:
        """The items of `task_results` that pass `filter_func`, in order."""
        filtered = [item for item in task_results if self.filter_func(item)]
        if self.log_func is not None:
            self.logger.info(self.log_func(filtered))
        return filtered
