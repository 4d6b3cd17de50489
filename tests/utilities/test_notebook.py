"""Notebook display (`utilities.notebook`): a flow state's HTML table of task states and a
flow's SVG drawing, with text fallbacks."""

import re
import sys

import pytest

from prefect_core.core import Flow, Task
from prefect_core.engine.state import Failed, Mapped, Success
from prefect_core.utilities import notebook
from tests.sample_flows import mapped_flow_with_a_failing_child


@pytest.fixture
def mapped_flow():
    return mapped_flow_with_a_failing_child()


def table_rows(table_html):
    """The text of each body row's cells (entities left as they are)."""
    body = re.search(r"<tbody>(.*)</tbody>", table_html)[1]
    return [
        re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", body)
    ]


def headers(table_html):
    return re.findall(r"<th(?: [^>]*)?>(.*?)</th>", table_html)


# -- flow states ---------------------------------------------------------------------------


def test_a_flow_state_is_a_table_with_a_row_per_task_and_mapped_children_counts(mapped_flow):
    table_html = mapped_flow.run()._repr_html_()
    assert headers(table_html) == ["Task", "State", "Message", "Mapped children"]
    assert sorted(table_rows(table_html)) == [
        ["inc", "Mapped", "Ready to proceed with mapping.", "3 Success, 1 Failed"],
        ["n", "Success", "Task run succeeded.", ""],
        [
            "total",
            "TriggerFailed",
            "Trigger was &quot;all_successful&quot; but some of the upstream tasks failed.",
            "",
        ],
    ]


def test_the_caption_is_the_flow_state_and_its_message(mapped_flow):
    table_html = mapped_flow.run()._repr_html_()
    assert "<caption>Failed: Some reference tasks failed.</caption>" in table_html


def test_state_cells_are_tinted_with_the_state_colour_and_children_with_the_worst(
    mapped_flow,
):
    table_html = mapped_flow.run()._repr_html_()
    assert f"background-color: {Mapped.color}80\">Mapped<" in table_html
    assert f"background-color: {Failed.color}80\">3 Success, 1 Failed<" in table_html


def test_without_mapped_tasks_there_is_no_children_column():
    first = Task(name="first")
    table_html = Success("done", result={first: Success("ok")})._repr_html_()
    assert headers(table_html) == ["Task", "State", "Message"]
    assert table_rows(table_html) == [["first", "Success", "ok"]]


def test_names_and_messages_are_html_escaped():
    sneaky = Task(name="<script>alert(1)</script>")
    table_html = Failed("a & b", result={sneaky: Failed("<b>bad</b>")})._repr_html_()
    assert "<script>" not in table_html
    assert table_rows(table_html) == [
        ["&lt;script&gt;alert(1)&lt;/script&gt;", "Failed", "&lt;b&gt;bad&lt;/b&gt;"]
    ]
    assert "<caption>Failed: a &amp; b</caption>" in table_html


def test_a_long_message_is_shortened():
    first = Task(name="first")
    table_html = Success(result={first: Failed("x" * 1000)})._repr_html_()
    message = table_rows(table_html)[0][2]
    assert len(message) == notebook.MAX_MESSAGE_LENGTH
    assert message.endswith("…")


def test_a_state_that_is_not_a_flow_state_has_no_html_form():
    assert Success("ok", result=3)._repr_html_() is None
    assert Success(result={"not a task": Success()})._repr_html_() is None


def test_the_text_repr_of_states_is_unchanged():
    first = Task(name="first")
    assert repr(Success("done", result={first: Success()})) == '<Success: "done">'


# -- flows -------------------------------------------------------------------------------


def test_a_flow_displays_as_its_svg_drawing_and_a_text_summary(mapped_flow):
    bundle = mapped_flow._repr_mimebundle_()
    assert bundle["image/svg+xml"].startswith("<?xml")
    assert "inc &lt;map&gt;" in bundle["image/svg+xml"]
    assert bundle["text/plain"] == '<Flow: name="mapped">\n3 tasks, 2 edges'


def test_the_flow_display_honours_include_and_exclude(mapped_flow):
    assert set(mapped_flow._repr_mimebundle_(include=["text/plain"])) == {"text/plain"}
    assert set(mapped_flow._repr_mimebundle_(exclude=["image/svg+xml"])) == {"text/plain"}


def test_without_the_dot_program_a_flow_displays_as_text(mapped_flow, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    bundle = mapped_flow._repr_mimebundle_()
    assert set(bundle) == {"text/plain"}
    assert bundle["text/plain"].startswith('<Flow: name="mapped">\n3 tasks, 2 edges; ')
    assert "apt-get install graphviz" in bundle["text/plain"]


def test_without_the_graphviz_package_a_flow_displays_as_text(mapped_flow, monkeypatch):
    monkeypatch.setitem(sys.modules, "graphviz", None)
    bundle = mapped_flow._repr_mimebundle_()
    assert set(bundle) == {"text/plain"}
    assert "install the graphviz Python package" in bundle["text/plain"]


def test_a_flow_too_large_to_draw_inline_displays_as_text(mapped_flow, monkeypatch):
    monkeypatch.setattr(notebook, "MAX_TASKS_DRAWN_INLINE", 2)
    bundle = mapped_flow._repr_mimebundle_()
    assert set(bundle) == {"text/plain"}
    assert "too many tasks to draw inline" in bundle["text/plain"]


def test_the_text_summary_counts_in_the_singular_when_there_is_one():
    flow = Flow("pair")
    flow.chain(Task(name="first"), Task(name="second"))
    assert flow._repr_mimebundle_(include=["text/plain"]) == {
        "text/plain": '<Flow: name="pair">\n2 tasks, 1 edge'
    }
