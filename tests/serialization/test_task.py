"""`TaskSchema` and `ParameterSchema`: task settings, loaded as base tasks."""

import datetime
import json

import pytest
from marshmallow import ValidationError

from prefect_core import Parameter, Task, task, triggers
from prefect_core.core.parameter import DateTimeParameter
from prefect_core.engine import cache_validators
from prefect_core.serialization.task import ParameterSchema, TaskSchema
from prefect_core.tasks.core.resource_manager import resource_cleanup_trigger

TASK_KEYS = [
    "type",
    "name",
    "slug",
    "tags",
    "max_retries",
    "retry_delay",
    "inputs",
    "outputs",
    "timeout",
    "trigger",
    "skip_on_upstream_skip",
    "cache_for",
    "cache_key",
    "cache_validator",
    "auto_generated",
    "__version__",
]


@task
def add(x: int, y=2) -> int:
    return x + y


def test_task_dump_has_every_key_in_order():
    assert list(TaskSchema().dump(Task())) == TASK_KEYS


def test_base_task_dump():
    assert TaskSchema().dump(Task(name="t", slug="t-1", tags=["b", "a"])) == {
        "type": "prefect_core.core.task.Task",
        "name": "t",
        "slug": "t-1",
        "tags": ["a", "b"],
        "max_retries": 0,
        "retry_delay": None,
        "inputs": {},
        "outputs": "None",
        "timeout": None,
        "trigger": {"fn": "prefect_core.triggers.all_successful", "kwargs": {}},
        "skip_on_upstream_skip": True,
        "cache_for": None,
        "cache_key": None,
        "cache_validator": {"fn": "prefect_core.engine.cache_validators.never_use", "kwargs": {}},
        "auto_generated": False,
        "__version__": "0.1.0",
    }


def test_function_task_dump_describes_inputs_and_outputs():
    dumped = TaskSchema().dump(add)
    assert dumped["type"] == "prefect_core.tasks.core.function.FunctionTask"
    assert dumped["inputs"] == {
        "x": {"required": True, "type": "<class 'int'>"},
        "y": {"required": False, "type": "typing.Any"},
    }
    assert dumped["outputs"] == "<class 'int'>"


def test_durations_are_whole_seconds_with_the_fraction_dropped():
    dumped = TaskSchema().dump(
        Task(
            max_retries=1,
            retry_delay=datetime.timedelta(seconds=2.9),
            cache_for=datetime.timedelta(minutes=1, microseconds=999_999),
            timeout=datetime.timedelta(seconds=30),
        )
    )
    assert (dumped["retry_delay"], dumped["cache_for"], dumped["timeout"]) == (2, 60, 30)
    assert all(type(dumped[key]) is int for key in ("retry_delay", "cache_for", "timeout"))


def test_task_round_trip_keeps_settings_as_a_base_task():
    original = add.copy(
        name="adder",
        slug="adder-1",
        tags={"x"},
        max_retries=3,
        retry_delay=datetime.timedelta(seconds=10),
        timeout=5,
        trigger=triggers.some_failed(at_least=1, at_most=0.5),
        skip_on_upstream_skip=False,
        cache_for=datetime.timedelta(hours=1),
        cache_key="k",
        cache_validator=cache_validators.all_inputs,
    )
    loaded = TaskSchema().load(json.loads(json.dumps(TaskSchema().dump(original))))
    assert type(loaded) is Task
    assert (loaded.name, loaded.slug, loaded.tags) == ("adder", "adder-1", {"x"})
    assert (loaded.max_retries, loaded.retry_delay, loaded.timeout) == (
        3,
        datetime.timedelta(seconds=10),
        5,
    )
    assert loaded.skip_on_upstream_skip is False
    assert (loaded.cache_for, loaded.cache_key) == (datetime.timedelta(hours=1), "k")
    assert loaded.cache_validator is cache_validators.all_inputs
    assert TaskSchema().dump(loaded)["trigger"] == {
        "fn": "prefect_core.triggers.some_failed",
        "kwargs": {"at_least": 1, "at_most": 0.5},
    }


def test_loaded_threshold_trigger_behaves_like_the_original():
    from prefect_core.engine.signals import TRIGGERFAIL
    from prefect_core.engine.state import Failed, Success

    loaded = TaskSchema().load(TaskSchema().dump(Task(trigger=triggers.some_successful(2))))
    assert loaded.trigger({1: Success(), 2: Success(), 3: Failed()}) is True
    with pytest.raises(TRIGGERFAIL):
        loaded.trigger({1: Success(), 2: Failed()})


@pytest.mark.parametrize(
    "trigger",
    [triggers.all_finished, triggers.always_run, triggers.manual_only, triggers.any_failed],
)
def test_standard_triggers_round_trip(trigger):
    loaded = TaskSchema().load(TaskSchema().dump(Task(trigger=trigger)))
    assert loaded.trigger is trigger


@pytest.mark.parametrize("trigger", [triggers.not_all_skipped, resource_cleanup_trigger])
def test_unlisted_library_triggers_dump_by_name_and_load_as_the_default(trigger):
    dumped = TaskSchema().dump(Task(trigger=trigger))
    assert dumped["trigger"] == {"fn": f"{trigger.__module__}.{trigger.__name__}", "kwargs": {}}
    assert TaskSchema().load(dumped).trigger is triggers.all_successful


def test_custom_trigger_dumps_by_name_and_loads_as_the_default():
    def my_trigger(upstream_states):
        return True

    dumped = TaskSchema().dump(Task(trigger=my_trigger))
    assert dumped["trigger"] == {"fn": f"{__name__}.{my_trigger.__qualname__}", "kwargs": {}}
    assert TaskSchema().load(dumped).trigger is triggers.all_successful


@pytest.mark.parametrize(
    "validator",
    [
        cache_validators.never_use,
        cache_validators.duration_only,
        cache_validators.all_inputs,
        cache_validators.all_parameters,
    ],
)
def test_standard_cache_validators_round_trip(validator):
    original = Task(cache_for=datetime.timedelta(minutes=1), cache_validator=validator)
    assert TaskSchema().load(TaskSchema().dump(original)).cache_validator is validator


def test_prefect_1_partial_validator_payload_loads():
    payload = TaskSchema().dump(Task(cache_for=datetime.timedelta(minutes=1)))
    payload["cache_validator"] = {
        "fn": "prefect.engine.cache_validators.partial_inputs_only",
        "kwargs": {"validate_on": ["x"]},
    }
    loaded = TaskSchema().load(payload)
    assert loaded.cache_validator.__qualname__.startswith("partial_inputs_only.")


@pytest.mark.parametrize(
    "factory", [cache_validators.partial_inputs_only, cache_validators.partial_parameters_only]
)
def test_partial_cache_validators_round_trip(factory):
    original = Task(cache_for=datetime.timedelta(minutes=1), cache_validator=factory(["x"]))
    dumped = TaskSchema().dump(original)
    assert dumped["cache_validator"]["kwargs"] == {"validate_on": ["x"]}
    assert TaskSchema().dump(TaskSchema().load(dumped)) == dumped


def test_load_ignores_the_class_named_in_type():
    payload = TaskSchema().dump(Task(name="t"))
    payload["type"] = "os.system"
    assert type(TaskSchema().load(payload)) is Task


def test_load_sets_auto_generated_afterwards():
    payload = TaskSchema().dump(Task())
    payload["auto_generated"] = True
    assert TaskSchema().load(payload).auto_generated is True


def test_load_without_create_object_returns_the_dict():
    # Prefect 1.4.1 crashed here with AttributeError.
    loaded = TaskSchema().load(TaskSchema().dump(Task(name="t", slug="s")), create_object=False)
    assert isinstance(loaded, dict)
    assert (loaded["name"], loaded["slug"]) == ("t", "s")


def test_constructor_validation_still_applies():
    payload = TaskSchema().dump(Task())
    payload["max_retries"] = 2
    with pytest.raises(ValueError, match="retry_delay"):
        TaskSchema().load(payload)


@pytest.mark.parametrize(
    "key, value",
    [
        ("retry_delay", "ten seconds"),
        ("max_retries", "many"),
        ("tags", "abc"),
        ("type", 7),
        ("trigger", "prefect_core.triggers.all_successful"),
        ("skip_on_upstream_skip", "sometimes"),
    ],
)
def test_bad_values_are_validation_errors_naming_the_key(key, value):
    payload = TaskSchema().dump(Task())
    payload[key] = value
    with pytest.raises(ValidationError) as raised:
        TaskSchema().load(payload)
    assert key in raised.value.messages


def test_the_same_slug_within_one_load_is_the_same_task():
    payload = TaskSchema().dump(Task(slug="a"))
    first, second = TaskSchema(many=True).load([payload, payload])
    assert first is second


def test_slugless_tasks_are_never_merged():
    # Prefect 1.4.1 returned the first slug-less task for every later one.
    payloads = [TaskSchema().dump(Task(name=name)) for name in ("a", "b")]
    assert [t.name for t in TaskSchema(many=True).load(payloads)] == ["a", "b"]


def test_separate_loads_on_one_schema_do_not_share_tasks():
    schema = TaskSchema()
    payload = schema.dump(Task(slug="a"))
    assert schema.load(payload) is not schema.load(payload)


def test_task_serialize_uses_the_schema():
    assert add.serialize() == TaskSchema().dump(add)


def test_dumping_inside_a_flow_block_adds_no_task():
    # marshmallow's default accessor tries `task["name"]`, which would add a GetItem task.
    from prefect_core import Flow

    with Flow("f") as flow:
        dumped_task = Task(name="t")
        flow.add_task(dumped_task)
        TaskSchema().dump(dumped_task)
    assert flow.tasks == {dumped_task}


# -- ParameterSchema -----------------------------------------------------------------------------


def test_parameter_dump():
    assert ParameterSchema().dump(Parameter("n", default=[1, 2], tags=["b", "a"])) == {
        "type": "prefect_core.core.parameter.Parameter",
        "name": "n",
        "slug": "n",
        "default": [1, 2],
        "required": False,
        "tags": ["a", "b"],
        "outputs": "typing.Any",  # as 1.4.1 writes it
        "__version__": "0.1.0",
    }


@pytest.mark.parametrize(
    "parameter",
    [
        Parameter("a"),
        Parameter("b", default={"x": [1, None]}),
        Parameter("c", default=None, required=True),
        Parameter("d", default=3, tags=["t"]),
    ],
    ids=["required", "default", "required-with-default", "tags"],
)
def test_parameter_round_trip(parameter):
    loaded = ParameterSchema().load(json.loads(json.dumps(ParameterSchema().dump(parameter))))
    assert type(loaded) is Parameter
    assert (loaded.name, loaded.slug, loaded.default, loaded.required, loaded.tags) == (
        parameter.name,
        parameter.name,
        parameter.default,
        parameter.required,
        parameter.tags,
    )


def test_datetime_parameter_loads_as_a_parameter():
    dumped = ParameterSchema().dump(DateTimeParameter("when", default=None))
    assert dumped["type"] == "prefect_core.core.parameter.DateTimeParameter"
    assert type(ParameterSchema().load(dumped)) is Parameter


def test_parameter_default_must_be_json_compatible():
    with pytest.raises(ValidationError, match="`Parameter.default` must be JSON compatible"):
        ParameterSchema().dump(Parameter("p", default={1, 2}))


def test_parameter_requires_a_name():
    with pytest.raises(ValidationError) as raised:
        ParameterSchema().load({"default": 1})
    assert raised.value.messages == {"name": ["Missing data for required field."]}


def test_parameter_serialize_uses_the_schema():
    parameter = Parameter("p", default=1)
    assert parameter.serialize() == ParameterSchema().dump(parameter)
