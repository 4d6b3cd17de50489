"""Collection tasks: build a list, tuple, set or dict from upstream results.

They are created automatically when a list/tuple/set/dict holding tasks is passed as a
task input (`as_task`), and can be used explicitly as well. Annotations are evaluated
(no postponed annotations), so `inputs()`/`outputs()` report real types.
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from prefect_core.core.task import Task

if TYPE_CHECKING:
    from prefect_core.core.flow import Flow


class VarArgsTask(Task):
    """Base of the collection tasks: positional inputs are bound as `arg_1, arg_2, ...`."""

    def bind(  # type: ignore[override]
        self,
        *args: Any,
        upstream_tasks: Iterable[Any] | None = None,
        mapped: bool = False,
        flow: "Flow | None" = None,
    ) -> Task:
        """Bind each positional argument under the key `arg_<position>`."""
        inputs = {f"arg_{position}": value for position, value in enumerate(args, start=1)}
        return super().bind(upstream_tasks=upstream_tasks, mapped=mapped, flow=flow, **inputs)


def _ordered_values(task_results: dict[str, Any]) -> list[Any]:
    """The values of `arg_N` keys, in the order of N."""
    return [task_results[key] for key in sorted(task_results, key=lambda k: int(k[4:]))]


class List(VarArgsTask):
    """Collect the upstream results into a list."""

    def run(self, **task_results: Any) -> list:
        """The results, in argument order."""
        return _ordered_values(task_results)


class Tuple(VarArgsTask):
    """Collect the upstream results into a tuple."""

    def run(self, **task_results: Any) -> tuple:
        """The results, in argument order."""
        return tuple(_ordered_values(task_results))


class Set(VarArgsTask):
    """Collect the upstream results into a set."""

    def run(self, **task_results: Any) -> set:
        """The distinct results."""
        return set(task_results.values())


class Dict(Task):
    """Build a dict from a list of keys and a list of values."""

    def run(self, keys: Iterable[Any], values: Iterable[Any]) -> dict:
        """`dict(zip(keys, values))`; the two must have the same length."""
        keys, values = list(keys), list(values)
        if len(keys) != len(values):
            raise ValueError("A different number of keys and values were provided!")
        return dict(zip(keys, values))
