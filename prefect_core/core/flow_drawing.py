"""Drawing a flow with Graphviz: the code behind `Flow.visualize`.

`draw_flow` builds a `graphviz.Digraph` with one node per task and one edge per flow edge:

* a task with a mapped incoming edge is a mapped task, drawn as a `box` labelled
  `"<name> <map>"`; every other task is an `ellipse` labelled with its name;
* an edge is labelled with its key (key-less edges have no label) and is dashed when
  mapped.

With a flow state, each node is filled with its task's state colour at 50% alpha
(`state.color + "80"`); a task missing from the flow state gets `#00000080`. A task whose
state is `Mapped` stays **one node** (1.4.1 drew one node per child, which makes large maps
unreadable): its label gains a second line counting the children per state, e.g.
`"inc <map>\\n3 Success, 1 Failed"` (most frequent first), and its colour is the colour
of the children's *worst* state, so a single failed child shows on the node:

1. failed (`Failed`, `TriggerFailed`, `TimedOut`, ...) is the worst;
2. then anything not successful: still pending, running, retrying, paused, cancelled;
3. then `Skipped`;
4. then successful (`Success`, `Cached`, `Mapped`).

Within the worst group the most frequent state class gives the colour. A `Mapped` state
that knows only its number of children (a deserialized one) is labelled `"N children"`
and keeps the `Mapped` colour.

`render_flow_drawing` writes the drawing to a file with the `dot` program; nothing here
ever opens a viewer. `graphviz` is imported only when a drawing is made.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from prefect_core.core.flow import Flow
    from prefect_core.core.task import Task

MISSING_STATE_COLOR = "#00000080"

GRAPHVIZ_PACKAGE_MISSING = (
    "This feature requires graphviz.\n"
    "Install the Python package with `pip install graphviz`; rendering files also needs "
    "the Graphviz `dot` program."
)

DOT_PROGRAM_MISSING = (
    "It appears you do not have Graphviz installed, or it is not on your PATH. Please "
    "install Graphviz from http://www.graphviz.org/download/. And note: just installing "
    "the `graphviz` python package is not sufficient! The `dot` program is needed: on "
    "Debian or Ubuntu `apt-get install graphviz`, on macOS `brew install graphviz`, with "
    "conda `conda install -c conda-forge graphviz`."
)


def import_graphviz() -> Any:
    """The `graphviz` package, or an `ImportError` saying how to install it."""
    try:
        import graphviz
    except ImportError as exc:
        raise ImportError(GRAPHVIZ_PACKAGE_MISSING) from exc
    return graphviz


def dot_program_missing_error() -> Exception:
    """A `graphviz.ExecutableNotFound` whose message says how to install Graphviz."""
    graphviz = import_graphviz()
    error = graphviz.ExecutableNotFound(["dot"])
    # The constructor formats a fixed message from its argument list; replace it.
    error.args = (DOT_PROGRAM_MISSING,)
    return error


# -- mapped children --------------------------------------------------------------------


def _severity(state: Any) -> int:
    """0 for the worst child states (failed) up to 3 for successful ones."""
    if state.is_failed():
        return 0
    if state.is_skipped():
        return 2
    if state.is_successful():
        return 3
    return 1


def child_state_counts(mapped_state: Any) -> list[tuple[str, int]]:
    """`[(state class name, number of children)]`, most frequent first (ties: first seen)."""
    counts = Counter(type(child).__name__ for child in mapped_state.map_states)
    return counts.most_common()


def describe_children(mapped_state: Any) -> str:
    """`"3 Success, 1 Failed"`; `"N children"` when only the number of children is known."""
    counts = child_state_counts(mapped_state)
    if not counts:
        total = mapped_state.n_map_states
        return f"{total} child" if total == 1 else f"{total} children"
    return ", ".join(f"{number} {name}" for name, number in counts)


def mapped_state_color(mapped_state: Any) -> str:
    """The colour (without alpha) summing up a `Mapped` state's children; see the module
    docstring for the rule."""
    children = mapped_state.map_states
    if not children:
        return mapped_state.color
    worst = min(_severity(child) for child in children)
    in_worst_group = Counter(type(child) for child in children if _severity(child) == worst)
    state_class, _ = in_worst_group.most_common(1)[0]
    return state_class.color


# -- drawing ----------------------------------------------------------------------------


def _node_id(task: Task) -> str:
    return str(id(task))


def _label(graphviz: Any, text: str, detail: str | None = None) -> str:
    """A plain-text label: backslashes and `<...>` in `text` are taken literally."""
    label = text.replace("\\", "\\\\")
    if detail is not None:
        label += "\\n" + detail  # `\n` is DOT's centred line break
    return graphviz.nohtml(label)


def draw_flow(flow: Flow, flow_state: Any = None, horizontal: bool = False) -> Any:
    """Build the `graphviz.Digraph` of `flow`, coloured by `flow_state` when given."""
    graphviz = import_graphviz()
    graph = graphviz.Digraph()
    if horizontal:
        graph.graph_attr["rankdir"] = "LR"

    task_states = None
    if flow_state is not None:
        result = flow_state.result
        task_states = result if isinstance(result, dict) else {}
    mapped_tasks = {edge.downstream_task for edge in flow.edges if edge.mapped}

    for task in flow.slugs:  # insertion order, so the DOT source is stable
        is_mapped = task in mapped_tasks
        name = f"{task.name} <map>" if is_mapped else task.name
        attributes = {"shape": "box" if is_mapped else "ellipse"}
        detail = None
        if task_states is not None:
            state = task_states.get(task)
            if state is None:
                color = MISSING_STATE_COLOR
            elif state.is_mapped():
                detail = describe_children(state)
                color = mapped_state_color(state) + "80"
            else:
                color = state.color + "80"
            attributes.update(color=color, style="filled", colorscheme="svg")
        graph.node(_node_id(task), _label(graphviz, name, detail), **attributes)

    order = {task: index for index, task in enumerate(flow.slugs)}
    edges = sorted(
        flow.edges,
        key=lambda edge: (
            order[edge.upstream_task], order[edge.downstream_task], edge.key or ""
        ),
    )
    for edge in edges:
        graph.edge(
            _node_id(edge.upstream_task),
            _node_id(edge.downstream_task),
            edge.key,
            style="dashed" if edge.mapped else None,
        )
    return graph


def render_flow_drawing(graph: Any, filename: str, format: str | None = None) -> str:
    """Write `graph` to `"{filename}.{format or 'pdf'}"` with `dot`; return that path.

    The intermediate DOT source is deleted. Without the `dot` program, raise
    `graphviz.ExecutableNotFound` saying how to install Graphviz, leaving no file behind.
    """
    graphviz = import_graphviz()
    try:
        return graph.render(filename, format=format or "pdf", cleanup=True, view=False)
    except graphviz.ExecutableNotFound as exc:
        _remove_if_present(graph.filepath)  # the DOT source, saved before `dot` was called
        raise dot_program_missing_error() from exc


def _remove_if_present(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


def visualize(
    flow: Flow,
    flow_state: Any = None,
    filename: str | None = None,
    format: str | None = None,
    horizontal: bool = False,
) -> Any:
    """`Flow.visualize`: draw `flow`, write the drawing when `filename` is given, and return
    the `graphviz.Digraph` (notebooks display it inline)."""
    graph = draw_flow(flow, flow_state=flow_state, horizontal=horizontal)
    if filename:
        render_flow_drawing(graph, filename, format=format)
    return graph
