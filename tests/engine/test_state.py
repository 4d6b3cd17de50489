"""Tests for prefect_core.engine.state."""

import datetime
import inspect
import sys
import threading
import types

import cloudpickle
import pytest

from prefect_core.engine import signals, state
from prefect_core.engine.result import NoResult, Result
from prefect_core.engine.results import PrefectResult
from prefect_core.engine.state import (
    Cached,
    Cancelled,
    Cancelling,
    ClientFailed,
    Failed,
    Finished,
    Looped,
    Mapped,
    Paused,
    Pending,
    Queued,
    Resume,
    Retrying,
    Running,
    Scheduled,
    Skipped,
    State,
    Submitted,
    Success,
    TimedOut,
    TriggerFailed,
    ValidationFailed,
    _MetaState,
)
from prefect_core.utilities.context import context

UTC = datetime.UTC

ALL_STATES = [
    State,
    Pending,
    Scheduled,
    Paused,
    Resume,
    Retrying,
    ClientFailed,
    Submitted,
    Queued,
    Running,
    Cancelling,
    Finished,
    Looped,
    Success,
    Cached,
    Mapped,
    Skipped,
    Cancelled,
    Failed,
    TimedOut,
    TriggerFailed,
    ValidationFailed,
]


def _parameter_names(cls):
    return list(inspect.signature(cls.__init__).parameters)[1:]


# ----------------------------------------------------------------- hierarchy and colors


def test_children_lists_public_states_in_definition_order():
    names = [cls.__name__ for cls in State.children() if cls.__module__ == state.__name__]
    assert names == [
        "Pending",
        "Scheduled",
        "Paused",
        "Resume",
        "Retrying",
        "ClientFailed",
        "Submitted",
        "Queued",
        "Running",
        "Cancelling",
        "Finished",
        "Looped",
        "Success",
        "Cached",
        "Mapped",
        "Skipped",
        "Cancelled",
        "Failed",
        "TimedOut",
        "TriggerFailed",
        "ValidationFailed",
    ]


def test_children_names_only_returns_strings():
    assert Failed.children(names_only=True) == ["TimedOut", "TriggerFailed", "ValidationFailed"]


def test_children_include_self_appends_the_class():
    assert Cached.children(include_self=True, names_only=True) == ["Cached"]


def test_children_skips_private_meta_state_but_includes_its_subclasses():
    children = State.children()
    assert _MetaState not in children
    assert Queued in children


def test_parents_excludes_object_the_class_and_private_classes():
    assert Failed.parents(names_only=True) == ["Finished", "State"]
    assert Queued.parents(names_only=True) == ["State"]


def test_parents_returns_classes_by_default():
    assert Success.parents() == [Finished, State]


def test_parents_include_self_puts_the_class_first():
    assert Success.parents(include_self=True, names_only=True) == [
        "Success",
        "Finished",
        "State",
    ]


@pytest.mark.parametrize(
    ("cls", "color"),
    [
        (State, "#696969"),
        (Pending, "#7ebdff"),
        (Scheduled, "#ffab00"),
        (Paused, "#99a8e8"),
        (Resume, "#f58c0c"),
        (Retrying, "#f66a0a"),
        (ClientFailed, "#eb0000"),
        (Submitted, "#ffdf5d"),
        (Queued, "#ffea7f"),
        (Running, "#3d67ff"),
        (Cancelling, "#E8E8E8"),
        (Finished, "#003ccb"),
        (Looped, "#003ccb"),
        (Success, "#28a745"),
        (Cached, "#34d058"),
        (Mapped, "#003ccb"),
        (Skipped, "#62757f"),
        (Cancelled, "#bdbdbd"),
        (Failed, "#eb0000"),
        (TimedOut, "#ff4e33"),
        (TriggerFailed, "#ff5131"),
        (ValidationFailed, "#ff5131"),
    ],
)
def test_color_class_attribute(cls, color):
    assert cls.color == color


@pytest.mark.parametrize(
    ("cls", "names"),
    [
        (State, ["message", "result", "context", "cached_inputs"]),
        (Pending, ["message", "result", "cached_inputs", "context"]),
        (Scheduled, ["message", "result", "start_time", "cached_inputs", "context"]),
        (Paused, ["message", "result", "start_time", "cached_inputs", "context"]),
        (Resume, ["message", "result", "start_time", "cached_inputs", "context"]),
        (
            Retrying,
            ["message", "result", "start_time", "cached_inputs", "context", "run_count"],
        ),
        (_MetaState, ["message", "result", "state", "context", "cached_inputs"]),
        (Submitted, ["message", "result", "state", "context", "cached_inputs"]),
        (ClientFailed, ["message", "result", "state", "context", "cached_inputs"]),
        (Queued, ["message", "result", "state", "start_time", "context", "cached_inputs"]),
        (Running, ["message", "result", "context", "cached_inputs"]),
        (Looped, ["message", "result", "loop_count", "context", "cached_inputs"]),
        (Success, ["message", "result", "context", "cached_inputs"]),
        (
            Cached,
            [
                "message",
                "result",
                "cached_inputs",
                "cached_parameters",
                "cached_result_expiration",
                "context",
                "hashed_inputs",
            ],
        ),
        (
            Mapped,
            ["message", "result", "map_states", "context", "cached_inputs", "n_map_states"],
        ),
        (Skipped, ["message", "result", "context", "cached_inputs"]),
        (Failed, ["message", "result", "cached_inputs", "context"]),
        (TimedOut, ["message", "result", "cached_inputs", "context"]),
    ],
)
def test_constructor_positional_order(cls, names):
    assert _parameter_names(cls) == names


def test_positional_arguments_follow_the_class_order():
    pending = Pending("m", 1, {"x": Result(2)}, {"k": "v"})
    assert pending.cached_inputs == {"x": Result(2)}
    assert pending.context == {"k": "v"}
    generic = State("m", 1, {"k": "v"}, {"x": Result(2)})
    assert generic.context == {"k": "v"}
    assert generic.cached_inputs == {"x": Result(2)}


# ------------------------------------------------------------------- common attributes


def test_defaults_are_empty():
    success = Success()
    assert success.message is None
    assert success.context == {}
    assert success.cached_inputs == {}


def test_no_result_is_stored_as_the_no_result_singleton():
    success = Success()
    assert success._result is NoResult
    assert success.result is None


def test_plain_result_value_is_wrapped_in_a_result():
    success = Success(result=3)
    assert isinstance(success._result, Result)
    assert success._result.value == 3
    assert success.result == 3


def test_falsy_result_value_is_kept():
    assert Success(result=0).result == 0
    assert Success(result=False)._result == Result(False)


def test_result_object_is_stored_as_is():
    stored = Result(3, location="somewhere")
    success = Success(result=stored)
    assert success._result is stored
    assert success.result == 3


def test_result_setter_wraps_values_including_none():
    success = Success(result=1)
    success.result = None
    assert success._result is not NoResult
    assert success._result == Result(None)


def test_result_property_returns_the_wrapper_when_it_has_no_value():
    success = Success()
    wrapper = object()
    success._result = wrapper
    assert success.result is wrapper


def test_context_is_copied_from_the_argument():
    given = {"k": 1}
    success = Success(context=given)
    success.context["other"] = 2
    assert given == {"k": 1}


def test_cached_inputs_are_copied_from_the_argument():
    given = {"a": Result(1)}
    success = Success(cached_inputs=given)
    success.cached_inputs["b"] = Result(2)
    assert list(given) == ["a"]


def test_task_tags_in_context_become_state_tags():
    with context(task_tags={"etl"}):
        assert Success().context == {"tags": ["etl"]}


def test_explicit_tags_win_over_task_tags():
    with context(task_tags={"etl"}):
        assert Success(context={"tags": ["mine"]}).context == {"tags": ["mine"]}


def test_states_made_outside_a_task_run_have_no_tags():
    assert "tags" not in Success().context


# ---------------------------------------------------------------------- predicates

PREDICATE_TABLE = {
    "is_pending": {Pending, Scheduled, Paused, Resume, Retrying},
    "is_scheduled": {Scheduled, Paused, Resume, Retrying, Queued},
    "is_retrying": {Retrying},
    "is_queued": {Queued},
    "is_submitted": {Submitted},
    "is_running": {Running, Cancelling},
    "is_finished": {
        Finished,
        Looped,
        Success,
        Cached,
        Mapped,
        Skipped,
        Cancelled,
        Failed,
        TimedOut,
        TriggerFailed,
        ValidationFailed,
    },
    "is_looped": {Looped},
    "is_successful": {Success, Cached, Mapped, Skipped},
    "is_cached": {Cached},
    "is_mapped": {Mapped},
    "is_skipped": {Skipped},
    "is_failed": {Failed, TimedOut, TriggerFailed, ValidationFailed},
    "is_meta_state": {ClientFailed, Submitted, Queued},
}


@pytest.mark.parametrize("predicate", sorted(PREDICATE_TABLE))
def test_predicate_is_true_exactly_for_its_classes(predicate):
    true_for = {cls for cls in ALL_STATES if getattr(cls(), predicate)()}
    assert true_for == PREDICATE_TABLE[predicate]


def test_cancelled_and_looped_are_neither_successful_nor_failed():
    for finished in (Cancelled(), Looped()):
        assert not finished.is_successful()
        assert not finished.is_failed()


# ----------------------------------------------------------------- scheduled family


def test_scheduled_start_time_defaults_to_now_in_utc():
    before = datetime.datetime.now(UTC)
    scheduled = Scheduled()
    after = datetime.datetime.now(UTC)
    assert before <= scheduled.start_time <= after
    assert scheduled.start_time.tzinfo is not None


def test_scheduled_naive_start_time_is_read_as_utc():
    scheduled = Scheduled(start_time=datetime.datetime(2020, 1, 1, 5))
    assert scheduled.start_time == datetime.datetime(2020, 1, 1, 5, tzinfo=UTC)


def test_scheduled_aware_start_time_keeps_its_zone():
    zone = datetime.timezone(datetime.timedelta(hours=2))
    start = datetime.datetime(2020, 1, 1, tzinfo=zone)
    assert Scheduled(start_time=start).start_time.utcoffset() == datetime.timedelta(hours=2)


def test_scheduled_records_the_task_run_count_from_context():
    with context(task_run_count=3):
        assert Scheduled(context={"task_run_count": 9}).context["task_run_count"] == 3


def test_scheduled_without_run_count_in_context_leaves_context_alone():
    assert Scheduled().context == {}


def test_paused_without_start_time_waits_indefinitely():
    assert Paused().start_time is None


def test_paused_with_start_time_normalises_it():
    paused = Paused(start_time=datetime.datetime(2021, 6, 1))
    assert paused.start_time == datetime.datetime(2021, 6, 1, tzinfo=UTC)


def test_resume_start_time_defaults_to_now():
    assert Resume().start_time is not None


def test_retrying_run_count_defaults_to_one():
    assert Retrying().run_count == 1


def test_retrying_run_count_comes_from_context():
    with context(task_run_count=4):
        assert Retrying().run_count == 4


def test_retrying_explicit_run_count_wins():
    with context(task_run_count=4):
        assert Retrying(run_count=2).run_count == 2


# -------------------------------------------------------------------- meta states


def test_meta_state_stores_the_wrapped_state():
    inner = Retrying()
    assert Submitted(state=inner).state is inner


def test_meta_state_unwraps_nested_meta_states():
    inner = Retrying()
    assert Submitted(state=Queued(state=inner)).state is inner


def test_meta_state_setter_unwraps_too():
    submitted = Submitted(state=Success())
    inner = Failed()
    submitted.state = Queued(state=ClientFailed(state=inner))
    assert submitted.state is inner


def test_meta_state_defaults_to_no_wrapped_state():
    assert Submitted().state is None


def test_queued_start_time_defaults_to_now():
    assert Queued().start_time.tzinfo is not None


def test_queued_start_time_is_not_normalised():
    naive = datetime.datetime(2020, 1, 1)
    assert Queued(start_time=naive).start_time is naive


# ----------------------------------------------------------------- finished family


def test_looped_loop_count_defaults_to_one():
    assert Looped().loop_count == 1


def test_looped_loop_count_comes_from_context():
    with context(task_loop_count=5):
        assert Looped().loop_count == 5


def test_cached_defaults():
    cached = Cached()
    assert cached.cached_parameters is None
    assert cached.cached_result_expiration is None
    assert cached.hashed_inputs is None


def test_cached_naive_expiration_is_read_as_utc():
    cached = Cached(cached_result_expiration=datetime.datetime(2020, 1, 1))
    assert cached.cached_result_expiration == datetime.datetime(2020, 1, 1, tzinfo=UTC)


def test_mapped_map_states_default_to_empty_list():
    assert Mapped().map_states == []


def test_mapped_n_map_states_counts_children():
    assert Mapped(map_states=[Success(), Failed()]).n_map_states == 2


def test_mapped_explicit_n_map_states_wins():
    assert Mapped(map_states=[Success()], n_map_states=4).n_map_states == 4


def test_mapped_zero_n_map_states_falls_back_to_children():
    assert Mapped(map_states=[Success()], n_map_states=0).n_map_states == 1


def test_mapped_n_map_states_can_be_assigned():
    mapped = Mapped()
    mapped.n_map_states = 7
    assert mapped.n_map_states == 7


# ------------------------------------------------------------------- repr, equality


def test_repr_with_message():
    assert repr(Success("done")) == '<Success: "done">'


def test_repr_without_message():
    assert repr(TriggerFailed()) == "<TriggerFailed>"


def test_repr_of_exception_message_uses_its_text():
    assert repr(Failed(ValueError("boom"))) == '<Failed: "boom">'


def test_str_matches_repr():
    assert str(Success("x")) == repr(Success("x"))


def test_equality_ignores_message_and_context():
    assert Success("a", context={"x": 1}) == Success("b")


def test_equality_requires_exact_type():
    assert Success() != Cached()
    assert Success() != "Success"


def test_equality_compares_result_values():
    assert Success(result=3) == Success(result=Result(3))
    assert Success(result=3) != Success(result=4)


def test_equality_compares_public_attributes():
    moment = datetime.datetime(2020, 1, 1, tzinfo=UTC)
    assert Scheduled(start_time=moment) == Scheduled(start_time=moment)
    assert Retrying(start_time=moment, run_count=1) != Retrying(start_time=moment, run_count=2)


def test_equality_compares_cached_inputs():
    assert Success(cached_inputs={"a": Result(1)}) != Success(cached_inputs={"a": Result(2)})


def test_scheduled_states_made_at_different_instants_differ():
    first = Scheduled(start_time=datetime.datetime(2020, 1, 1))
    second = Scheduled(start_time=datetime.datetime(2020, 1, 2))
    assert first != second


def test_equality_ignores_wrapped_state_of_meta_states():
    assert Submitted(state=Success()) == Submitted(state=Failed())


def test_equality_ignores_explicit_n_map_states():
    assert Mapped(n_map_states=3) == Mapped(n_map_states=5)


def test_equality_compares_map_states():
    assert Mapped(map_states=[Success()]) == Mapped(map_states=[Success()])
    assert Mapped(map_states=[Success()]) != Mapped(map_states=[Failed()])


def test_hash_is_identity_so_equal_states_are_distinct_in_sets():
    first, second = Success(), Success()
    assert first == second
    assert len({first, second}) == 2
    assert hash(first) == id(first)


# ------------------------------------------------------------------------- pickling


class _UnpicklableError(Exception):
    def __init__(self):
        super().__init__("bad")
        self.lock = threading.Lock()


def test_pickling_round_trips_a_plain_state():
    original = Success("ok", result=[1, 2], context={"k": "v"})
    copy = cloudpickle.loads(cloudpickle.dumps(original))
    assert copy == original
    assert copy.message == "ok"
    assert copy.context == {"k": "v"}


def test_pickling_replaces_unpicklable_exception_result_with_description():
    failed = Failed(result=_UnpicklableError())
    copy = cloudpickle.loads(cloudpickle.dumps(failed))
    assert copy.result.startswith("The following exception could not be pickled due to ")
    assert copy.result.endswith(": _UnpicklableError('bad')")


def test_pickling_does_not_change_the_live_state():
    error = _UnpicklableError()
    failed = Failed(result=error)
    cloudpickle.dumps(failed)
    assert failed.result is error


def test_pickling_keeps_the_result_class_and_location_of_unpicklable_exceptions():
    failed = Failed(result=PrefectResult(value=_UnpicklableError(), location="loc"))
    copy = cloudpickle.loads(cloudpickle.dumps(failed))
    assert type(copy._result) is PrefectResult
    assert copy._result.location == "loc"


def test_pickling_keeps_picklable_exception_results():
    copy = cloudpickle.loads(cloudpickle.dumps(Failed(result=ValueError("x"))))
    assert isinstance(copy.result, ValueError)


def test_pickling_a_signal_state_keeps_the_signal():
    signal = signals.FAIL("nope")
    copy = cloudpickle.loads(cloudpickle.dumps(signal.state))
    assert isinstance(copy.result, signals.FAIL)
    assert copy.message == "nope"


def test_unpicklable_non_exception_result_still_fails_to_pickle():
    with pytest.raises(TypeError):
        cloudpickle.dumps(Success(result=threading.Lock()))


# -------------------------------------------------------------------- load_result


def test_load_result_reads_from_the_location():
    success = Success(result=PrefectResult(location="[1, 2]"))
    assert success.load_result().result == [1, 2]


def test_load_result_returns_the_same_state():
    success = Success(result=PrefectResult(location="1"))
    assert success.load_result() is success


def test_load_result_uses_the_given_reader():
    success = Success(result=Result(location="5"))
    success.load_result(PrefectResult())
    assert success.result == 5
    assert type(success._result) is PrefectResult


def test_load_result_keeps_a_value_already_present():
    success = Success(result=PrefectResult(value=0, location="5"))
    assert success.load_result().result == 0


def test_load_result_without_location_does_nothing():
    success = Success()
    assert success.load_result()._result is NoResult


def test_load_result_on_mapped_loads_children_and_collects_their_results():
    children = [Success(result=PrefectResult(location=str(i))) for i in range(3)]
    mapped = Mapped(map_states=children).load_result()
    assert mapped.result == [0, 1, 2]
    assert [child.result for child in children] == [0, 1, 2]


def test_load_result_on_mapped_passes_the_reader_to_children():
    mapped = Mapped(map_states=[Success(result=Result(location="7"))])
    assert mapped.load_result(PrefectResult()).result == [7]


def test_load_result_with_base_result_location_raises_not_implemented():
    with pytest.raises(NotImplementedError):
        Success(result=Result(location="a")).load_result()


def test_load_cached_results_reads_each_input():
    success = Success(cached_inputs={"a": PrefectResult(location="3")})
    success.load_cached_results()
    assert success.cached_inputs["a"].value == 3


def test_load_cached_results_uses_per_input_readers():
    success = Success(cached_inputs={"a": Result(location="4")})
    assert success.load_cached_results({"a": PrefectResult()}) is success
    assert success.cached_inputs["a"].value == 4


def test_load_cached_results_keeps_values_already_present():
    success = Success(cached_inputs={"a": PrefectResult(value=7, location="3")})
    success.load_cached_results()
    assert success.cached_inputs["a"].value == 7


# ------------------------------------------------------------------ serialization


def test_serialize_delegates_to_the_state_schema(monkeypatch):
    calls = []

    class FakeSchema:
        def dump(self, obj):
            calls.append(("dump", obj))
            return {"type": type(obj).__name__}

        def load(self, blob):
            calls.append(("load", blob))
            return Success()

    fake = types.ModuleType("prefect_core.serialization.state")
    fake.StateSchema = FakeSchema
    monkeypatch.setitem(sys.modules, "prefect_core.serialization.state", fake)
    original = Failed()
    assert original.serialize() == {"type": "Failed"}
    assert State.deserialize({"type": "Success"}) == Success()
    assert calls == [("dump", original), ("load", {"type": "Success"})]
