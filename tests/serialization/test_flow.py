"""`Flow.serialize`, `Flow.serialized_hash` and `FlowSchema`."""

import datetime
import hashlib
import json

import pytest
from marshmallow import ValidationError

from prefect_core import Flow, Parameter, Task, flatten, task, triggers, unmapped
from prefect_core.schedules import IntervalSchedule, Schedule, clocks, filters
from prefect_core.serialization.flow import FlowSchema
from prefect_core.tasks.core.constants import Constant

FLOW_KEYS = [
    "name",
    "type",
    "schedule",
    "parameters",
    "tasks",
    "edges",
    "reference_tasks",
    "run_config",
    "__version__",
    "storage",
]


@task
def inc(x: int) -> int:
    return x + 1


@task(max_retries=2, retry_delay=datetime.timedelta(seconds=3), tags=["math"])
def add(x, y=2):
    return x + y


@task
def total(xs):
    return sum(xs)


def build_flow():
    schedule = Schedule(
        clocks=[clocks.IntervalClock(datetime.timedelta(hours=1), parameter_defaults={"n": [3]})],
        filters=[filters.is_weekday],
    )
    with Flow("ser", schedule=schedule) as flow:
        numbers = Parameter("n", default=[1, 2])
        incremented = inc.map(numbers)
        summed = add(incremented, y=5)
        add.map(x=[1, 2, 3], y=unmapped(inc(1)), task_args={"trigger": triggers.any_failed})
        total(flatten(incremented))
    flow.set_reference_tasks([summed])
    return flow


def strip_code_description(payload):
    """A payload without what depends on task code (`type`, `inputs`, `outputs`)."""
    payload = json.loads(json.dumps(payload))
    for task_payload in payload["tasks"]:
        for key in ("type", "inputs", "outputs"):
            task_payload.pop(key)
    return payload


def test_serialize_key_order_and_fixed_values():
    payload = build_flow().serialize()
    assert list(payload) == FLOW_KEYS
    assert payload["name"] == "ser"
    assert payload["type"] == "prefect_core.core.flow.Flow"
    assert (payload["run_config"], payload["storage"]) == (None, None)
    assert payload["__version__"] == "0.1.0"


def test_serialize_is_json():
    payload = build_flow().serialize()
    assert json.loads(json.dumps(payload)) == payload


def test_tasks_include_parameters_and_auto_generated_tasks_sorted_by_slug():
    flow = build_flow()
    payload = flow.serialize()
    slugs = [task_payload["slug"] for task_payload in payload["tasks"]]
    assert slugs == sorted(flow.slugs.values())
    assert "n" in slugs
    constants = [t for t in payload["tasks"] if t["type"].endswith(".Constant")]
    assert constants and all(t["auto_generated"] for t in constants)


def test_parameters_appear_in_both_lists():
    payload = build_flow().serialize()
    assert [p["slug"] for p in payload["parameters"]] == ["n"]
    assert payload["parameters"][0]["default"] == [1, 2]
    assert [t["type"] for t in payload["tasks"] if t["slug"] == "n"] == [
        "prefect_core.core.parameter.Parameter"
    ]


def test_edges_are_sorted_and_keep_keys_and_flags():
    payload = build_flow().serialize()
    keys = [
        (e["upstream_task"]["slug"], e["downstream_task"]["slug"], e["key"] or "")
        for e in payload["edges"]
    ]
    assert keys == sorted(keys)
    flags = {(e["key"], e["mapped"], e["flattened"]) for e in payload["edges"]}
    assert ("x", True, False) in flags  # the map over the parameter
    assert ("xs", False, True) in flags  # flatten(...)


def test_plain_constants_are_not_serialized():
    with Flow("constants") as flow:
        inc(41)
    payload = flow.serialize()
    assert [t["slug"] for t in payload["tasks"]] == ["inc-1"]
    assert payload["edges"] == []


def test_reference_tasks_are_only_the_explicit_ones():
    flow = build_flow()
    assert flow.serialize()["reference_tasks"] == [{"slug": "add-math-1", "__version__": "0.1.0"}]
    flow.set_reference_tasks([])
    assert flow.serialize()["reference_tasks"] == []


def test_serialize_gives_every_task_its_slug_and_keeps_it():
    flow = build_flow()
    assert any(task.slug is None for task in flow.tasks)
    flow.serialize()
    assert all(task.slug == slug for task, slug in flow.slugs.items())


def test_serialize_validates_the_flow():
    first, second = Task(name="a"), Task(name="b")
    flow = Flow("cycle")
    flow.add_edge(first, second)
    flow.add_edge(second, first)
    with pytest.raises(ValueError, match="Cycle found"):
        flow.serialize()


def test_build_without_storage_is_a_value_error():
    with pytest.raises(ValueError, match="This flow has no storage to build"):
        build_flow().serialize(build=True)


def test_build_with_storage_is_not_implemented():
    flow = build_flow()
    flow.storage = object()
    with pytest.raises(NotImplementedError, match="storage"):
        flow.serialize(build=True)


def test_storage_and_run_config_are_always_null():
    flow = build_flow()
    flow.storage, flow.run_config = object(), object()
    payload = flow.serialize()
    assert (payload["storage"], payload["run_config"]) == (None, None)


def test_flow_schema_dump_alone_has_storage_before_version():
    flow = build_flow()
    flow.serialize()
    assert list(FlowSchema().dump(flow))[-3:] == ["run_config", "storage", "__version__"]


def test_schedule_is_dumped_with_the_schedule_schema():
    schedule = build_flow().serialize()["schedule"]
    assert schedule["clocks"][0]["type"] == "IntervalClock"
    assert schedule["filters"] == [
        {"fn": "prefect_core.schedules.filters.is_weekday", "kwargs": {}}
    ]


def test_a_schedule_with_a_too_short_interval_cannot_be_serialized():
    flow = Flow("fast", schedule=IntervalSchedule(interval=datetime.timedelta(seconds=30)))
    with pytest.raises(ValueError, match="less than one minute"):
        flow.serialize()


def test_a_parameter_default_that_is_not_json_is_a_validation_error():
    flow = Flow("bad-default")
    flow.add_task(Parameter("when", default=datetime.date(2020, 1, 1)))
    with pytest.raises(ValidationError, match="`Parameter.default` must be JSON compatible"):
        flow.serialize()


# -- serialized_hash -------------------------------------------------------------------------------


def test_serialized_hash_is_the_sha256_of_the_sorted_json():
    flow = build_flow()
    expected = hashlib.sha256(json.dumps(flow.serialize(), sort_keys=True).encode()).hexdigest()
    assert flow.serialized_hash() == expected


def test_serialized_hash_is_the_same_for_the_same_structure():
    assert build_flow().serialized_hash() == build_flow().serialized_hash()


def test_serialized_hash_changes_with_the_structure():
    flow = build_flow()
    before = flow.serialized_hash()
    flow.add_task(Task(name="extra"))
    assert flow.serialized_hash() != before


def test_serialized_hash_passes_build_through():
    with pytest.raises(ValueError, match="no storage"):
        build_flow().serialized_hash(build=True)


# -- loading ---------------------------------------------------------------------------------------


def test_load_rebuilds_the_structure_with_base_tasks():
    original = build_flow()
    payload = original.serialize()
    loaded = FlowSchema().load(json.loads(json.dumps(payload)))
    assert isinstance(loaded, Flow)
    assert loaded.name == "ser"
    assert sorted(loaded.slugs.values()) == sorted(original.slugs.values())
    assert all(task.slug == slug for task, slug in loaded.slugs.items())
    parameter = loaded.get_tasks(slug="n")[0]
    assert type(parameter) is Parameter and parameter.default == [1, 2]
    assert {type(task) for task in loaded.tasks} == {Task, Parameter}
    assert len(loaded.edges) == len(original.edges)


def test_load_then_serialize_gives_the_same_payload_apart_from_task_code():
    payload = build_flow().serialize()
    reloaded = FlowSchema().load(payload).serialize()
    assert strip_code_description(reloaded) == strip_code_description(payload)


def test_loaded_edges_connect_the_loaded_tasks():
    loaded = FlowSchema().load(build_flow().serialize())
    by_slug = {slug: task for task, slug in loaded.slugs.items()}
    mapped_edge = next(e for e in loaded.edges if e.mapped and e.upstream_task.slug == "n")
    assert mapped_edge.upstream_task is by_slug["n"]
    assert mapped_edge.downstream_task is by_slug[mapped_edge.downstream_task.slug]
    assert all(edge.tasks <= loaded.tasks for edge in loaded.edges)


def test_loaded_flow_keeps_settings_triggers_and_reference_tasks():
    loaded = FlowSchema().load(build_flow().serialize())
    (reference,) = loaded.reference_tasks()
    assert reference.slug == "add-math-1"
    assert (reference.max_retries, reference.retry_delay, reference.tags) == (
        2,
        datetime.timedelta(seconds=3),
        {"math"},
    )
    mapped_adds = [t for t in loaded.tasks if t.trigger is triggers.any_failed]
    assert len(mapped_adds) == 1


def test_loaded_flow_keeps_auto_generated_flags():
    loaded = FlowSchema().load(build_flow().serialize())
    assert any(task.auto_generated for task in loaded.tasks)


def test_loaded_schedule_gives_the_same_times():
    original = build_flow()
    loaded = FlowSchema().load(original.serialize())
    after = datetime.datetime(2020, 1, 3, tzinfo=datetime.UTC)
    assert loaded.schedule.next(5, after=after) == original.schedule.next(5, after=after)


def test_a_flow_without_schedule_loads_without_one():
    with Flow("plain") as flow:
        inc(1)
    assert FlowSchema().load(flow.serialize()).schedule is None


def test_load_ignores_storage_run_config_and_unknown_keys():
    payload = build_flow().serialize()
    payload.update(
        storage={"type": "Local", "directory": "/x"},
        run_config={"type": "LocalRun"},
        project="p",
        version="1",
        description="d",
        executor="dask",
    )
    loaded = FlowSchema().load(payload)
    assert (loaded.storage, loaded.run_config) == (None, None)


def test_load_without_create_object_returns_dicts():
    loaded = FlowSchema().load(build_flow().serialize(), create_object=False)
    assert isinstance(loaded, dict)
    assert all(isinstance(task_payload, dict) for task_payload in loaded["tasks"])


def test_an_edge_to_an_unlisted_slug_adds_a_bare_task():
    payload = build_flow().serialize()
    payload["edges"].append(
        {"upstream_task": {"slug": "n"}, "downstream_task": {"slug": "ghost"}, "key": None}
    )
    loaded = FlowSchema().load(payload)
    assert loaded.get_tasks(slug="ghost")[0].name == "Task"


def test_serialize_then_load_of_a_constant_map():
    with Flow("constant-map") as flow:
        inc.map([1, 2, 3])
    loaded = FlowSchema().load(flow.serialize())
    (edge,) = loaded.edges
    assert edge.mapped and edge.key == "x"
    assert edge.upstream_task.auto_generated
    assert type(next(t for t in flow.tasks if t.auto_generated)) is Constant


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda p: p.pop("name"), "name"),
        (lambda p: p.update(name=None), "name"),
        (lambda p: p.update(tasks="all of them"), "tasks"),
        (lambda p: p["tasks"][0].update(max_retries="x"), "tasks"),
        (lambda p: p["edges"][0].update(mapped="maybe"), "edges"),
        (lambda p: p["schedule"]["clocks"][0].update(type="SundialClock"), "schedule"),
        (lambda p: p["schedule"]["filters"].append({"fn": "os.system", "kwargs": {}}), "schedule"),
    ],
    ids=[
        "no-name",
        "null-name",
        "tasks-not-a-list",
        "bad-task-field",
        "bad-edge-flag",
        "unknown-clock",
        "function-outside-prefect-core",
    ],
)
def test_bad_payloads_are_validation_errors_naming_the_field(change, field):
    payload = build_flow().serialize()
    change(payload)
    with pytest.raises(ValidationError) as raised:
        FlowSchema().load(payload)
    assert field in raised.value.messages


def test_prefect_1_flow_payload_loads(prefect_1_payloads):
    payload = prefect_1_payloads["flow"]
    loaded = FlowSchema().load(payload)
    assert loaded.name == "prefect-1"
    assert sorted(loaded.slugs.values()) == ["add-a-b-1", "add-a-b-2", "inc-1", "inc-2", "n"]
    assert {task.slug for task in loaded.reference_tasks()} == {"add-a-b-1"}
    parameter = loaded.get_tasks(slug="n")[0]
    assert type(parameter) is Parameter and parameter.default == [1, 2]
    adder = loaded.get_tasks(slug="add-a-b-1")[0]
    assert adder.tags == {"a", "b"}
    assert (adder.max_retries, adder.retry_delay) == (2, datetime.timedelta(seconds=2))
    assert adder.trigger.__qualname__ == "some_successful.<locals>._some_successful"
    assert adder.cache_validator.__qualname__.startswith("partial_inputs_only.")
    loaded_edges = {
        (edge.upstream_task.slug, edge.downstream_task.slug, edge.key, edge.mapped)
        for edge in loaded.edges
    }
    assert loaded_edges == {
        (e["upstream_task"]["slug"], e["downstream_task"]["slug"], e["key"], e["mapped"])
        for e in payload["edges"]
    }


def test_prefect_1_schedule_loads_and_gives_the_same_times(prefect_1_payloads):
    loaded = FlowSchema().load(prefect_1_payloads["flow"])
    after = datetime.datetime(2020, 3, 2, tzinfo=datetime.UTC)
    expected = [
        datetime.datetime.fromisoformat(moment)
        for moment in prefect_1_payloads["schedule_next_3_after_2020_03_02"]
    ]
    assert loaded.schedule.next(3, after=after) == expected
