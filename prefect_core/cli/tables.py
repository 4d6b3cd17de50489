"""Plain-text tables and task labels shared by `run` (its summary) and `inspect`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from prefect_core.core.flow import Flow
    from prefect_core.core.task import Task


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "") -> str:
    """Rows as left-aligned columns two spaces apart, under an upper-case header.

    The last column is not padded, so lines carry no trailing spaces.
    """
    lines = [[column.upper() for column in header], *[list(row) for row in rows]]
    widths = [max(len(line[index]) for line in lines) for index in range(len(header))]
    formatted = []
    for line in lines:
        cells = [cell.ljust(width) for cell, width in zip(line[:-1], widths)]
        formatted.append((indent + "  ".join([*cells, line[-1]])).rstrip())
    return "\n".join(formatted)


def task_labels(flow: Flow) -> dict[Task, str]:
    """Each task's name, or its slug when several tasks of the flow share that name."""
    name_counts = Counter(task.name for task in flow.tasks)
    return {
        task: task.name if name_counts[task.name] == 1 else slug
        for task, slug in flow.slugs.items()
    }


def shorten(text: str, width: int = 100) -> str:
    """`text` on one line, cut to `width` characters (ending in `...` when cut)."""
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 3] + "..."
