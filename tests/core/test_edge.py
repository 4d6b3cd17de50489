"""`Edge` and `is_valid_identifier`."""

import pickle

import pytest

from prefect_core.core import Edge, Flow, Task
from prefect_core.core.edge import is_valid_identifier
from prefect_core.tasks.core.collections import List
from prefect_core.tasks.core.constants import Constant
from prefect_core.utilities.edges import flatten, mapped, unmapped

pytestmark = pytest.mark.filterwarnings("error::UserWarning")


def test_edge_stores_its_ends_and_flags():
    a, b = Task(), Task()
    edge = Edge(a, b, key="x", mapped=True, flattened=True)
    assert (edge.upstream_task, edge.downstream_task) == (a, b)
    assert (edge.key, edge.mapped, edge.flattened) == ("x", True, True)


def test_edge_flags_default_to_false_and_key_to_none():
    edge = Edge(Task(), Task())
    assert (edge.key, edge.mapped, edge.flattened) == (None, False, False)


def test_none_flags_are_stored_as_false():
    edge = Edge(Task(), Task(), mapped=None, flattened=None)
    assert (edge.mapped, edge.flattened) == (False, False)


def test_tasks_property_holds_both_ends():
    a, b = Task(), Task()
    assert Edge(a, b).tasks == {a, b}


def test_an_edge_from_a_task_to_itself_is_rejected():
    t = Task()
    with pytest.raises(ValueError, match="^Edges can not connect a task to itself.$"):
        Edge(t, t)


def test_the_self_edge_check_uses_identity_before_conversion():
    value = object()
    with pytest.raises(ValueError, match="connect a task to itself"):
        Edge(value, value)


@pytest.mark.parametrize("key", ["1x", "has space", "class", "None", "", 3, ("x",)])
def test_keys_that_are_not_valid_identifiers_are_rejected(key):
    with pytest.raises(ValueError) as raised:
        Edge(Task(), Task(), key=key)
    assert str(raised.value) == f'Key must be a valid identifier (received "{key}")'


@pytest.mark.parametrize("key", ["x", "_private", "arg_1", "naïve", "task_result"])
def test_valid_identifiers_are_accepted_as_keys(key):
    assert Edge(Task(), Task(), key=key).key == key


@pytest.mark.parametrize(
    ("string", "valid"),
    [("x", True), ("x1", True), ("_", True), ("1x", False), ("for", False), ("a-b", False)],
)
def test_is_valid_identifier(string, valid):
    assert is_valid_identifier(string) is valid


def test_a_mapped_annotation_on_the_upstream_end_maps_the_edge():
    a, b = Task(), Task()
    edge = Edge(mapped(a), b)
    assert edge.mapped is True
    assert edge.upstream_task is a


def test_annotations_override_the_arguments():
    a, b = Task(), Task()
    assert Edge(unmapped(a), b, mapped=True).mapped is False
    assert Edge(flatten(a), b, flattened=False).flattened is True


def test_annotations_on_the_downstream_end_are_merged_after_the_upstream_ones():
    a, b = Task(), Task()
    edge = Edge(mapped(a), unmapped(flatten(b)))
    assert (edge.mapped, edge.flattened) == (False, True)
    assert edge.downstream_task is b


def test_a_constant_end_becomes_a_constant_task():
    b = Task()
    edge = Edge(5, b, key="x")
    assert isinstance(edge.upstream_task, Constant)
    assert edge.upstream_task.value == 5


def test_a_collection_of_tasks_becomes_a_collection_task_in_the_flow():
    a, b = Task(), Task()
    flow = Flow("f")
    edge = Edge([a], b, key="x", flow=flow)
    assert isinstance(edge.upstream_task, List)
    assert flow.upstream_tasks(edge.upstream_task) == {a}


def test_edges_with_the_same_ends_and_flags_are_equal_and_hash_alike():
    a, b = Task(), Task()
    first, second = Edge(a, b, key="x"), Edge(a, b, key="x")
    assert first == second
    assert hash(first) == hash(second)
    assert len({first, second}) == 1


@pytest.mark.parametrize(
    "changes",
    [{"key": "y"}, {"mapped": True}, {"flattened": True}, {"key": None}],
    ids=["key", "mapped", "flattened", "no-key"],
)
def test_edges_differing_in_any_attribute_are_not_equal(changes):
    a, b = Task(), Task()
    options = {"key": "x", "mapped": False, "flattened": False}
    assert Edge(a, b, **options) != Edge(a, b, **{**options, **changes})


def test_edges_between_lookalike_tasks_are_not_equal():
    assert Edge(Task(name="a"), Task(name="b")) != Edge(Task(name="a"), Task(name="b"))


def test_an_edge_is_not_equal_to_other_objects():
    edge = Edge(Task(), Task())
    assert edge != (edge.upstream_task, edge.downstream_task)
    assert edge != "edge"


def test_repr_shows_the_flags_and_task_names():
    edge = Edge(Task(name="a"), Task(name="b"), key="x", mapped=True)
    assert repr(edge) == "<Edge(key=x, mapped=True, flattened=False): a to b>"


def test_a_pickled_edge_keeps_its_attributes_and_hashes_with_its_new_tasks():
    edge = Edge(Task(name="a"), Task(name="b"), key="x", flattened=True)
    restored = pickle.loads(pickle.dumps(edge))
    assert (restored.key, restored.mapped, restored.flattened) == ("x", False, True)
    assert restored.upstream_task.name == "a"
    twin = Edge(restored.upstream_task, restored.downstream_task, key="x", flattened=True)
    assert restored == twin
    assert hash(restored) == hash(twin)
