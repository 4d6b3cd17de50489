"""Notebook display: how flow states and flows show up in Jupyter.

IPython asks an object for rich output through `_repr_*_` methods:

* a flow state (a `State` whose result is `{task: state}`, as `flow.run()` returns) gives
  `_repr_html_`: a table with one row per task (task name, state class, message) and,
  for mapped tasks, the children's counts per state. Any other state has no HTML form and
  shows its usual `repr`;
* a `Flow` gives `_repr_mimebundle_`: the SVG drawing of `flow.visualize()` when the
  Graphviz `dot` program is available, and always a `text/plain` fallback (the `repr`,
  the task and edge counts, and why there is no drawing). Flows with more than
  `MAX_TASKS_DRAWN_INLINE` tasks are not drawn inline: `dot` would take minutes.

Everything shown is HTML-escaped. `State` lives in `prefect_core.engine`, which builds no
display code; importing `prefect_core` gives `State` its `_repr_html_` from here.
"""

from __future__ import annotations

import html
from typing import Any

from prefect_core.core.flow_drawing import (
    describe_children,
    draw_flow,
    import_graphviz,
    mapped_state_color,
)
from prefect_core.core.task import Task
from prefect_core.engine.state import State

MAX_TASKS_DRAWN_INLINE = 500
MAX_MESSAGE_LENGTH = 300

_ALIGN = "text-align: left; vertical-align: top"


def _message_text(message: Any) -> str:
    """The state's message as one short line of text."""
    if message is None:
        return ""
    text = message if isinstance(message, str) else repr(message)
    if len(text) > MAX_MESSAGE_LENGTH:
        text = text[: MAX_MESSAGE_LENGTH - 1] + "…"
    return text


def _cell(text: str, color: str | None = None, tag: str = "td") -> str:
    """A table cell holding `text`, its background `color` at 50% alpha when given."""
    style = _ALIGN if color is None else f"{_ALIGN}; background-color: {color}80"
    return f'<{tag} style="{style}">{html.escape(text)}</{tag}>'


def _is_flow_state(state: State) -> bool:
    result = state.result
    return isinstance(result, dict) and all(
        isinstance(task, Task) and isinstance(task_state, State)
        for task, task_state in result.items()
    )


def state_html(state: State) -> str | None:
    """An HTML table of a flow state's task states; `None` for any other state."""
    if not _is_flow_state(state):
        return None
    task_states: dict[Task, State] = state.result
    with_children = any(task_state.is_mapped() for task_state in task_states.values())
    headers = ["Task", "State", "Message"] + (["Mapped children"] if with_children else [])
    rows = []
    for task, task_state in task_states.items():
        cells = [
            _cell(task.name),
            _cell(type(task_state).__name__, task_state.color),
            _cell(_message_text(task_state.message)),
        ]
        if with_children:
            if task_state.is_mapped():
                cells.append(
                    _cell(describe_children(task_state), mapped_state_color(task_state))
                )
            else:
                cells.append(_cell(""))
        rows.append("<tr>" + "".join(cells) + "</tr>")
    caption = type(state).__name__
    if state.message is not None:
        caption += f": {_message_text(state.message)}"
    header = "".join(_cell(name, tag="th") for name in headers)
    return (
        "<table>"
        f"<caption>{html.escape(caption)}</caption>"
        f"<thead><tr>{header}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody>"
        "</table>"
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _svg_or_reason(flow: Any) -> tuple[str | None, str]:
    """The flow's SVG drawing, or `None` and the reason there is none."""
    if len(flow.tasks) > MAX_TASKS_DRAWN_INLINE:
        return None, (
            f"too many tasks to draw inline (more than {MAX_TASKS_DRAWN_INLINE}); "
            "write a file with flow.visualize(filename=...)"
        )
    try:
        graphviz = import_graphviz()
    except ImportError:
        return None, "install the graphviz Python package and Graphviz's `dot` to see it"
    try:
        return draw_flow(flow).pipe(format="svg", encoding="utf-8"), ""
    except graphviz.ExecutableNotFound:
        return None, "install Graphviz's `dot` program to see it (apt-get install graphviz)"


def flow_mimebundle(
    flow: Any, include: Any = None, exclude: Any = None
) -> dict[str, str]:
    """`Flow._repr_mimebundle_`: `image/svg+xml` when the flow can be drawn, and always
    `text/plain`. `include`/`exclude` are IPython's lists of wanted/unwanted types."""
    wanted = set(include) if include is not None else {"image/svg+xml", "text/plain"}
    wanted -= set(exclude or ())
    bundle: dict[str, str] = {}
    reason = ""
    if "image/svg+xml" in wanted:
        svg, reason = _svg_or_reason(flow)
        if svg is not None:
            bundle["image/svg+xml"] = svg
    if "text/plain" in wanted:
        summary = f"{_count(len(flow.tasks), 'task')}, {_count(len(flow.edges), 'edge')}"
        bundle["text/plain"] = f"{flow!r}\n{summary}" + (f"; {reason}" if reason else "")
    return bundle
