"""`Flow.visualize` (`core.flow_drawing`): nodes, edges, state colours, collapsed mapped
tasks, and files really rendered with Graphviz's `dot`."""

import re
import sys

import graphviz
import pytest

from prefect_core.core import Flow, Task
from prefect_core.core.flow_drawing import (
    describe_children,
    mapped_state_color,
)
from prefect_core.engine.state import (
    Cached,
    Failed,
    Mapped,
    Pending,
    Retrying,
    Skipped,
    Success,
    TriggerFailed,
)
from tests.sample_flows import mapped_flow_with_a_failing_child

# -- reading the DOT source -------------------------------------------------------------

_ATTRIBUTE = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|[^\s\]]+)')


def _attributes(text):
    return {name: value.strip('"') for name, value in _ATTRIBUTE.findall(text)}


def parse(graph):
    """`(nodes, edges)` of a Digraph: nodes `{id: attributes}`, edges
    `[(upstream id, downstream id, attributes)]`."""
    nodes, edges = {}, []
    for line in graph.body:
        edge = re.match(r"\s*(\S+) -> (\S+)(?: \[(.*)\])?\s*$", line)
        if edge:
            edges.append((edge[1], edge[2], _attributes(edge[3] or "")))
            continue
        node = re.match(r"\s*(\S+) \[(.*)\]\s*$", line)
        if node:
            nodes[node[1]] = _attributes(node[2])
    return nodes, edges


def node_of(graph, task):
    nodes, _ = parse(graph)
    return nodes[str(id(task))]


def labels(graph):
    nodes, _ = parse(graph)
    return sorted(attributes["label"] for attributes in nodes.values())


# -- flows ------------------------------------------------------------------------------


@pytest.fixture
def mapped_flow():
    return mapped_flow_with_a_failing_child()


@pytest.fixture
def mapped_flow_state(mapped_flow):
    return mapped_flow.run()


# -- structure --------------------------------------------------------------------------


def test_visualize_returns_a_digraph_with_a_node_per_task_and_an_edge_per_flow_edge(
    mapped_flow,
):
    graph = mapped_flow.visualize()
    assert isinstance(graph, graphviz.Digraph)
    nodes, edges = parse(graph)
    assert len(nodes) == 3
    assert len(edges) == 2


def test_mapped_tasks_are_boxes_labelled_map_and_other_tasks_ellipses(mapped_flow):
    graph = mapped_flow.visualize()
    tasks = mapped_flow.tasks_by_name
    assert node_of(graph, tasks["inc"]) == {"label": "inc <map>", "shape": "box"}
    assert node_of(graph, tasks["total"]) == {"label": "total", "shape": "ellipse"}


def test_keyword_edges_carry_the_key_and_mapped_edges_are_dashed(mapped_flow):
    nodes, edges = parse(mapped_flow.visualize())
    by_names = {
        (nodes[up]["label"], nodes[down]["label"]): attributes for up, down, attributes in edges
    }
    assert by_names == {
        ("n", "inc <map>"): {"label": "x", "style": "dashed"},
        ("inc <map>", "total"): {"label": "xs"},
    }


def test_key_less_edges_have_no_label():
    flow = Flow("chain")
    first, second = Task(name="first"), Task(name="second")
    flow.chain(first, second)
    _, edges = parse(flow.visualize())
    assert [(up, down, attributes) for up, down, attributes in edges] == [
        (str(id(first)), str(id(second)), {})
    ]


def test_horizontal_lays_the_graph_out_left_to_right(mapped_flow):
    assert mapped_flow.visualize(horizontal=True).graph_attr["rankdir"] == "LR"
    assert "rankdir" not in mapped_flow.visualize().graph_attr


def test_task_names_that_look_like_html_or_hold_backslashes_are_taken_literally(tmp_path):
    flow = Flow("odd names")
    flow.chain(Task(name="<b>bold</b>"), Task(name="back\\slash"))
    graph = flow.visualize()
    assert labels(graph) == ["<b>bold</b>", "back\\\\slash"]
    svg = graph.pipe(format="svg", encoding="utf-8")
    assert "&lt;b&gt;bold&lt;/b&gt;" in svg
    assert "back\\slash" in svg


# -- colours ----------------------------------------------------------------------------


def test_without_a_flow_state_nodes_are_not_coloured(mapped_flow):
    nodes, _ = parse(mapped_flow.visualize())
    assert all("color" not in attributes for attributes in nodes.values())


def test_with_a_flow_state_each_node_is_filled_with_its_state_colour(
    mapped_flow, mapped_flow_state
):
    graph = mapped_flow.visualize(flow_state=mapped_flow_state)
    tasks = mapped_flow.tasks_by_name
    assert node_of(graph, tasks["n"]) == {
        "label": "n",
        "shape": "ellipse",
        "color": "#28a74580",
        "style": "filled",
        "colorscheme": "svg",
    }
    assert node_of(graph, tasks["total"])["color"] == TriggerFailed.color + "80"


def test_a_task_missing_from_the_flow_state_is_drawn_with_no_state_colour(mapped_flow):
    tasks = mapped_flow.tasks_by_name
    flow_state = Success(result={tasks["n"]: Success()})
    graph = mapped_flow.visualize(flow_state=flow_state)
    assert node_of(graph, tasks["n"])["color"] == "#28a74580"
    assert node_of(graph, tasks["inc"])["color"] == "#00000080"
    assert node_of(graph, tasks["inc"])["label"] == "inc <map>"
    assert node_of(graph, tasks["total"])["color"] == "#00000080"


def test_a_flow_state_without_task_states_colours_every_task_as_missing(mapped_flow):
    graph = mapped_flow.visualize(flow_state=Failed("Cycle found; flows must be acyclic!"))
    nodes, _ = parse(graph)
    assert {attributes["color"] for attributes in nodes.values()} == {"#00000080"}


# -- collapsed mapped tasks ---------------------------------------------------------------


def test_a_mapped_task_is_one_node_counting_its_children_per_state(
    mapped_flow, mapped_flow_state
):
    graph = mapped_flow.visualize(flow_state=mapped_flow_state)
    nodes, edges = parse(graph)
    inc_node = node_of(graph, mapped_flow.tasks_by_name["inc"])
    assert inc_node["label"] == "inc <map>\\n3 Success, 1 Failed"
    assert inc_node["shape"] == "box"
    assert inc_node["color"] == "#eb000080"  # the worst child: Failed
    assert (len(nodes), len(edges)) == (3, 2)  # no node or edge per child


def test_children_counts_are_most_frequent_first():
    state = Mapped(map_states=[Failed(), Success(), Failed(), Skipped(), Failed()])
    assert describe_children(state) == "3 Failed, 1 Success, 1 Skipped"


def test_a_mapped_state_knowing_only_its_width_shows_the_number_of_children():
    assert describe_children(Mapped(n_map_states=4)) == "4 children"
    assert describe_children(Mapped(n_map_states=1)) == "1 child"
    assert describe_children(Mapped()) == "0 children"
    assert mapped_state_color(Mapped(n_map_states=4)) == Mapped.color


@pytest.mark.parametrize(
    ("children", "expected"),
    [
        ([Success(), Cached()], Success.color),
        ([Success(), Skipped()], Skipped.color),
        ([Skipped(), Pending(), Success()], Pending.color),
        ([Retrying(), Failed(), Success()], Failed.color),
        ([Failed(), TriggerFailed(), TriggerFailed(), Success()], TriggerFailed.color),
    ],
    ids=["success", "skipped", "unfinished", "failed", "most-frequent-failure"],
)
def test_a_mapped_node_takes_the_colour_of_its_worst_children(children, expected):
    assert mapped_state_color(Mapped(map_states=children)) == expected


# -- output -------------------------------------------------------------------------------


def test_without_a_filename_nothing_is_rendered_or_opened(mapped_flow, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("visualize() without a filename must not render or view")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(graphviz.Digraph, "render", refuse)
    monkeypatch.setattr(graphviz.Digraph, "view", refuse)
    assert isinstance(mapped_flow.visualize(), graphviz.Digraph)
    assert list(tmp_path.iterdir()) == []


def test_a_filename_writes_a_pdf_by_default_and_removes_the_dot_source(
    mapped_flow, mapped_flow_state, tmp_path
):
    target = tmp_path / "flow"
    graph = mapped_flow.visualize(flow_state=mapped_flow_state, filename=str(target))
    assert isinstance(graph, graphviz.Digraph)
    assert [path.name for path in tmp_path.iterdir()] == ["flow.pdf"]
    assert (tmp_path / "flow.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(("output_format", "magic"), [("svg", b"<?xml"), ("png", b"\x89PNG")])
def test_format_chooses_the_file_type(mapped_flow, tmp_path, output_format, magic):
    mapped_flow.visualize(filename=str(tmp_path / "flow"), format=output_format)
    written = tmp_path / f"flow.{output_format}"
    assert written.read_bytes().startswith(magic)
    assert [path.name for path in tmp_path.iterdir()] == [written.name]


def test_the_svg_file_shows_the_collapsed_counts(mapped_flow, mapped_flow_state, tmp_path):
    mapped_flow.visualize(
        flow_state=mapped_flow_state, filename=str(tmp_path / "flow"), format="svg"
    )
    svg = (tmp_path / "flow.svg").read_text()
    assert "3 Success, 1 Failed" in svg


def test_a_filename_without_the_dot_program_says_how_to_install_graphviz(
    mapped_flow, tmp_path, monkeypatch
):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(graphviz.ExecutableNotFound) as raised:
        mapped_flow.visualize(filename=str(tmp_path / "flow"))
    message = str(raised.value)
    assert message.startswith("It appears you do not have Graphviz installed")
    assert "apt-get install graphviz" in message
    assert "brew install graphviz" in message
    assert "conda install" in message
    assert "python package is not sufficient" in message
    assert list(tmp_path.iterdir()) == [empty]  # no DOT source left behind


def test_without_the_dot_program_and_no_filename_the_graph_is_still_returned(
    mapped_flow, tmp_path, monkeypatch
):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert isinstance(mapped_flow.visualize(), graphviz.Digraph)


def test_without_the_graphviz_package_visualize_raises_import_error(mapped_flow, monkeypatch):
    monkeypatch.setitem(sys.modules, "graphviz", None)
    with pytest.raises(ImportError, match=r"^This feature requires graphviz\.\n.*pip install"):
        mapped_flow.visualize()
