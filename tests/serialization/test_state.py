"""`StateSchema`: every state class dumps its fields and loads back as the same class."""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from prefect_core.engine import state as states
from prefect_core.engine.result import NoResult, Result
from prefect_core.engine.results import LocalResult, PrefectResult
from prefect_core.engine.state import (
    Cached,
    Failed,
    Looped,
    Mapped,
    Paused,
    Queued,
    Retrying,
    Scheduled,
    State,
    Submitted,
    Success,
)
from prefect_core.serialization.state import StateSchema

START = datetime.datetime(2020, 1, 1, 12, 30, tzinfo=datetime.UTC)
COMMON_KEYS = ["context", "message", "_result", "cached_inputs"]
REGISTERED = sorted(StateSchema.type_schemas)


def dump(state):
    return StateSchema().dump(state)


def load(payload):
    return StateSchema().load(payload)


def round_trip(state):
    return load(json.loads(json.dumps(dump(state))))


def test_every_public_state_class_but_state_itself_is_registered():
    public = {cls.__name__ for cls in State.children()}
    assert set(REGISTERED) == public


@pytest.mark.parametrize("name", REGISTERED)
def test_every_state_class_round_trips_to_the_same_class(name):
    state_class = getattr(states, name)
    loaded = round_trip(state_class(message="hello", context={"tags": ["a"]}))
    assert type(loaded) is state_class
    assert loaded.message == "hello"
    assert loaded.context == {"tags": ["a"]}


@pytest.mark.parametrize(
    "state, extra_keys",
    [
        (Success(), []),
        (Scheduled(start_time=START), ["start_time"]),
        (Paused(), ["start_time"]),
        (Retrying(start_time=START, run_count=2), ["start_time", "run_count"]),
        (Queued(state=Success(), start_time=START), ["state", "start_time"]),
        (Submitted(state=Success()), ["state"]),
        (Looped(loop_count=2), ["loop_count"]),
        (Cached(), ["cached_parameters", "cached_result_expiration", "hashed_inputs"]),
    ],
)
def test_dump_keys_in_order(state, extra_keys):
    assert list(dump(state)) == [*COMMON_KEYS, *extra_keys, "__version__", "type"]


def test_mapped_dumps_only_the_number_of_its_children():
    dumped = dump(Mapped(message="m", map_states=[Success(), Failed()], result=[1, 2]))
    assert dumped == {
        "context": {},
        "message": "m",
        "cached_inputs": {},
        "n_map_states": 2,
        "__version__": "0.1.0",
        "type": "Mapped",
    }


def test_loaded_mapped_has_placeholder_children():
    loaded = round_trip(Mapped(map_states=[Success(), Failed(), Success()]))
    assert loaded.map_states == [None, None, None]
    assert loaded.n_map_states == 3


def test_retrying_keeps_start_time_and_run_count():
    loaded = round_trip(Retrying(message="r", start_time=START, run_count=2))
    assert (loaded.start_time, loaded.run_count) == (START, 2)


def test_start_times_keep_their_instant_in_any_zone():
    start = datetime.datetime(2020, 7, 1, 9, tzinfo=ZoneInfo("America/New_York"))
    dumped = dump(Scheduled(start_time=start))
    assert dumped["start_time"] == "2020-07-01T09:00:00-04:00"
    assert load(dumped).start_time == start


def test_paused_without_start_time_stays_without_one():
    assert round_trip(Paused()).start_time is None


def test_looped_keeps_its_loop_count():
    assert round_trip(Looped(loop_count=4)).loop_count == 4


def test_cached_keeps_its_cache_fields():
    expiration = datetime.datetime(2021, 1, 1, tzinfo=datetime.UTC)
    loaded = round_trip(
        Cached(
            message="c",
            cached_parameters={"x": [1, 2]},
            cached_result_expiration=expiration,
            hashed_inputs={"a": "token"},
        )
    )
    assert loaded.cached_parameters == {"x": [1, 2]}
    assert loaded.cached_result_expiration == expiration
    assert loaded.hashed_inputs == {"a": "token"}


def test_meta_states_keep_the_wrapped_state():
    loaded = round_trip(Queued(state=Retrying(run_count=3, start_time=START), start_time=START))
    assert type(loaded.state) is Retrying
    assert (loaded.state.run_count, loaded.state.start_time, loaded.start_time) == (3, START, START)


def test_results_keep_class_and_location_but_not_value(tmp_path):
    state = Success(
        result=LocalResult(dir=str(tmp_path), location="out.pkl", value=[1, 2, 3]),
        cached_inputs={"x": PrefectResult(value=3, location="3")},
    )
    loaded = round_trip(state)
    assert type(loaded._result) is LocalResult
    assert (loaded._result.location, loaded._result.value) == ("out.pkl", None)
    assert loaded.cached_inputs["x"].location == "3"
    assert loaded.cached_inputs["x"].value is None


def test_a_loaded_state_reads_its_result_back_from_the_location(tmp_path):
    written = LocalResult(dir=str(tmp_path)).write({"answer": 42})
    loaded = round_trip(Success(result=written))
    assert loaded.load_result().result == {"answer": 42}


def test_a_state_without_result_loads_with_no_result():
    assert round_trip(Success())._result is NoResult


def test_a_plain_value_result_keeps_no_value():
    dumped = dump(Failed(result=ValueError("boom")))
    assert dumped["_result"] == {"location": None, "__version__": "0.1.0", "type": "Result"}
    assert type(load(dumped)._result) is Result


def test_an_exception_message_is_stringified():
    assert dump(Failed(message=ValueError("boom")))["message"] == "boom"


def test_missing_keys_take_the_constructor_defaults():
    loaded = load({"type": "Success", "message": "m"})
    assert type(loaded) is Success
    assert (loaded.message, loaded.context, loaded.cached_inputs) == ("m", {}, {})
    assert load({"type": "Retrying"}).run_count == 1


def test_state_serialize_and_deserialize_use_the_schema():
    original = Retrying(message="r", run_count=2, start_time=START)
    assert original.serialize() == dump(original)
    loaded = State.deserialize(original.serialize())
    assert type(loaded) is Retrying and loaded.run_count == 2


def test_dumps_are_json():
    state = Queued(state=Cached(hashed_inputs={"a": "b"}), start_time=START)
    assert json.loads(json.dumps(dump(state))) == dump(state)


def test_prefect_1_state_payloads_load(prefect_1_payloads):
    loaded = [load(payload) for payload in prefect_1_payloads["states"]]
    assert [type(state).__name__ for state in loaded] == [
        "Retrying", "Success", "Cached", "Mapped", "Queued", "Paused", "Looped", "Failed",
    ]  # fmt: skip
    retrying, success, cached, mapped, queued, paused, looped, failed = loaded
    assert retrying.run_count == 2
    assert retrying.start_time == datetime.datetime(2020, 1, 1, 5, tzinfo=datetime.UTC)
    assert type(success._result) is LocalResult
    assert success._result.location == "/tmp/results/a"
    assert success.cached_inputs["a"].location == "3"
    assert success.context == {"tags": ["x"]}
    assert cached.hashed_inputs == {"a": "tok"}
    assert mapped.map_states == [None, None]
    assert queued.state.run_count == 3
    assert paused.start_time is None
    assert looped.loop_count == 3
    assert failed.message == "boom"


# -- bad payloads and unsupported states -------------------------------------------------------


def test_unknown_type_is_a_validation_error():
    with pytest.raises(ValidationError) as raised:
        load({"type": "Exploded"})
    assert raised.value.messages == {"type": ["Unsupported value: Exploded"]}


def test_a_qualified_class_name_is_not_a_state_type():
    with pytest.raises(ValidationError) as raised:
        load({"type": "prefect_core.engine.state.Success"})
    assert raised.value.messages == {
        "type": ["Unsupported value: prefect_core.engine.state.Success"]
    }


def test_missing_type_is_a_validation_error():
    with pytest.raises(ValidationError) as raised:
        load({"message": "m"})
    assert raised.value.messages == {"type": ["Missing data for required field."]}


def test_unknown_nested_state_type_names_the_field():
    with pytest.raises(ValidationError) as raised:
        load({"type": "Queued", "state": {"type": "Nope"}})
    assert raised.value.messages == {"state": {"type": ["Unsupported value: Nope"]}}


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"type": "Retrying", "run_count": "many"}, "run_count"),
        ({"type": "Scheduled", "start_time": "tomorrow"}, "start_time"),
        ({"type": "Success", "context": ["not", "a", "dict"]}, "context"),
        ({"type": "Success", "message": 12}, "message"),
        ({"type": "Looped", "loop_count": None}, "loop_count"),
        ({"type": "Mapped", "n_map_states": -1}, "n_map_states"),
        ({"type": "Success", "_result": {"type": "LocalResult", "dir": None}}, "_result"),
    ],
)
def test_bad_field_values_are_validation_errors_naming_the_field(payload, field):
    with pytest.raises(ValidationError) as raised:
        load(payload)
    assert field in raised.value.messages


def test_dumping_the_base_state_class_is_a_validation_error():
    # Prefect 1.4.1 returned the error tuple (None, {...}) instead of raising.
    with pytest.raises(ValidationError) as raised:
        dump(State())
    assert raised.value.messages == {"_schema": "Unsupported object type: State"}


def test_a_context_value_that_is_not_json_is_a_validation_error():
    with pytest.raises(ValidationError, match="`Success.context` must be JSON compatible"):
        dump(Success(context={"when": datetime.datetime(2020, 1, 1)}))


def test_a_state_of_a_real_flow_run_serializes():
    from prefect_core import Flow, task

    @task
    def double(x):
        return 2 * x

    with Flow("states") as flow:
        double.map([1, 2, 3])
    flow_state = flow.run()
    for state in [flow_state, *flow_state.result.values()]:
        assert type(round_trip(state)) is type(state)


# -- property ------------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=5,
)
aware_datetimes = st.datetimes(
    min_value=datetime.datetime(1970, 1, 2), max_value=datetime.datetime(2200, 1, 1)
).map(lambda moment: moment.replace(tzinfo=datetime.UTC))
results = st.one_of(
    st.just(NoResult),
    st.builds(Result, location=st.none() | st.text(max_size=8)),
    st.builds(PrefectResult, location=st.text(max_size=8)),
)
common = {
    "message": st.none() | st.text(max_size=10),
    "context": st.dictionaries(st.text(max_size=5), json_values, max_size=3),
    "result": results,
    "cached_inputs": st.dictionaries(st.text(max_size=5), results, max_size=2),
}
any_state = st.one_of(
    *[
        st.builds(getattr(states, name), **common)
        for name in REGISTERED
        if name not in ("Retrying", "Scheduled", "Looped", "Cached", "Mapped", "Queued")
    ],
    st.builds(Scheduled, start_time=aware_datetimes, **common),
    st.builds(
        Retrying, start_time=aware_datetimes, run_count=st.integers(1, 10**6), **common
    ),
    st.builds(Looped, loop_count=st.integers(1, 10**6), **common),
    st.builds(
        Cached,
        cached_parameters=st.none() | st.dictionaries(st.text(max_size=5), json_values),
        cached_result_expiration=st.none() | aware_datetimes,
        hashed_inputs=st.none() | st.dictionaries(st.text(max_size=5), st.text(max_size=8)),
        **common,
    ),
    st.builds(Queued, start_time=aware_datetimes, state=st.builds(Success, **common), **common),
)


def serialized_fields(state):
    """What a round trip must keep: class, fields, and each result's class and location."""

    def describe(result):
        return type(result), result.location

    return {
        **{
            key: value
            for key, value in vars(state).items()
            if key not in ("_result", "_state", "cached_inputs")
        },
        "class": type(state),
        "result": describe(state._result),
        "cached_inputs": {key: describe(result) for key, result in state.cached_inputs.items()},
        "state": serialized_fields(state.state) if isinstance(state, Queued) else None,
    }


@settings(max_examples=150, deadline=None)
@given(any_state)
def test_round_trip_keeps_every_serialized_field(state):
    assert serialized_fields(round_trip(state)) == serialized_fields(state)
