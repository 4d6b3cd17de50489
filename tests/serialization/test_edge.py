"""`EdgeSchema`: task slugs plus key and flags."""

import pytest
from marshmallow import ValidationError

from prefect_core import Task
from prefect_core.core.edge import Edge
from prefect_core.serialization.edge import EdgeSchema


def make_edge(**flags):
    return Edge(Task(slug="up"), Task(slug="down"), **flags)


def test_edge_dump_layout():
    assert EdgeSchema().dump(make_edge(key="x", mapped=True)) == {
        "upstream_task": {"slug": "up", "__version__": "0.1.0"},
        "downstream_task": {"slug": "down", "__version__": "0.1.0"},
        "key": "x",
        "mapped": True,
        "flattened": False,
        "__version__": "0.1.0",
    }


@pytest.mark.parametrize(
    "flags",
    [{}, {"key": "x"}, {"key": "x", "mapped": True}, {"key": "y", "flattened": True}],
)
def test_edge_round_trip_keeps_key_and_flags(flags):
    loaded = EdgeSchema().load(EdgeSchema().dump(make_edge(**flags)))
    assert isinstance(loaded, Edge)
    assert (loaded.key, loaded.mapped, loaded.flattened) == (
        flags.get("key"),
        flags.get("mapped", False),
        flags.get("flattened", False),
    )


def test_a_standalone_edge_loads_bare_tasks_carrying_the_slugs():
    loaded = EdgeSchema().load(EdgeSchema().dump(make_edge()))
    assert (loaded.upstream_task.slug, loaded.downstream_task.slug) == ("up", "down")
    assert type(loaded.upstream_task) is Task and loaded.upstream_task.name == "Task"


def test_edges_loaded_together_share_their_tasks():
    middle = Task(slug="middle")
    edges = [Edge(Task(slug="a"), middle), Edge(middle, Task(slug="b"))]
    first, second = EdgeSchema(many=True).load(EdgeSchema(many=True).dump(edges))
    assert first.downstream_task is second.upstream_task


def test_edge_serialize_uses_the_schema():
    edge = make_edge(key="x")
    assert edge.serialize() == EdgeSchema().dump(edge)


def test_an_edge_needs_both_tasks():
    payload = EdgeSchema().dump(make_edge())
    del payload["upstream_task"]
    with pytest.raises(ValidationError) as raised:
        EdgeSchema().load(payload)
    assert raised.value.messages == {"upstream_task": ["Missing data for required field."]}


def test_a_bad_key_is_refused_by_edge():
    payload = EdgeSchema().dump(make_edge())
    payload["key"] = "not an identifier"
    with pytest.raises(ValueError, match="Key must be a valid identifier"):
        EdgeSchema().load(payload)
