"""`prefect_core.utilities.references`: qualified names and function references."""

import datetime
import functools
import json

import pytest
from marshmallow import ValidationError

import prefect_core
from prefect_core import triggers
from prefect_core.schedules import adjustments, filters
from prefect_core.utilities.references import (
    FunctionReference,
    StatefulFunctionReference,
    from_qualified_name,
    to_qualified_name,
)
from tests.utilities.field_helpers import dump_field, load_field

# -- qualified names -------------------------------------------------------------------------


def test_to_qualified_name_joins_module_and_qualname():
    assert to_qualified_name(prefect_core.Flow) == "prefect_core.core.flow.Flow"
    assert to_qualified_name(triggers.some_successful(1)) == (
        "prefect_core.triggers.some_successful.<locals>._some_successful"
    )


def test_from_qualified_name_walks_attributes_of_an_imported_module():
    assert from_qualified_name("prefect_core.core.flow.Flow") is prefect_core.Flow
    assert from_qualified_name("prefect_core.Flow.run") is prefect_core.Flow.run


def test_from_qualified_name_rewrites_names_written_by_prefect_1():
    assert from_qualified_name("prefect.core.flow.Flow") is prefect_core.Flow
    assert from_qualified_name("prefect.triggers.all_finished") is triggers.all_finished


def test_from_qualified_name_imports_nothing():
    with pytest.raises(ValueError, match="maybe it hasn't been imported yet"):
        from_qualified_name("antigravity.fly")


def test_from_qualified_name_reports_a_missing_attribute():
    with pytest.raises(ValueError, match='Couldn\'t load "prefect_core.core.flow.Nope"'):
        from_qualified_name("prefect_core.core.flow.Nope")


# -- FunctionReference -----------------------------------------------------------------------


def test_function_reference_stores_a_valid_function_by_name():
    field = FunctionReference([filters.is_weekday])
    assert dump_field(field, filters.is_weekday) == "prefect_core.schedules.filters.is_weekday"
    assert load_field(field, "prefect_core.schedules.filters.is_weekday") is filters.is_weekday


def test_function_reference_loads_names_written_by_prefect_1():
    field = FunctionReference([filters.is_weekday])
    assert load_field(field, "prefect.schedules.filters.is_weekday") is filters.is_weekday


def test_function_reference_rejects_other_functions():
    field = FunctionReference([filters.is_weekday])
    with pytest.raises(ValidationError, match="Invalid function reference"):
        dump_field(field, filters.is_weekend)
    with pytest.raises(ValidationError, match="Invalid function reference"):
        load_field(field, "os.system")


def test_function_reference_without_rejecting_keeps_unknown_names():
    field = FunctionReference([filters.is_weekday], reject_invalid=False)
    assert dump_field(field, filters.is_weekend) == "prefect_core.schedules.filters.is_weekend"
    assert load_field(field, "os.system") == "os.system"


# -- StatefulFunctionReference ---------------------------------------------------------------

TRIGGERS = [triggers.all_successful, triggers.some_successful, triggers.some_failed]


def test_stateful_reference_stores_a_plain_function_without_kwargs():
    field = StatefulFunctionReference(TRIGGERS)
    assert dump_field(field, triggers.all_successful) == {
        "fn": "prefect_core.triggers.all_successful",
        "kwargs": {},
    }
    assert load_field(field, {"fn": "prefect_core.triggers.all_successful"}) is (
        triggers.all_successful
    )


def test_stateful_reference_stores_a_closure_as_its_factory_and_arguments():
    field = StatefulFunctionReference(TRIGGERS)
    dumped = dump_field(field, triggers.some_successful(at_least=2, at_most=0.5))
    assert dumped == {
        "fn": "prefect_core.triggers.some_successful",
        "kwargs": {"at_least": 2, "at_most": 0.5},
    }
    loaded = load_field(field, dumped)
    assert to_qualified_name(loaded).startswith("prefect_core.triggers.some_successful.")
    assert dump_field(field, loaded) == dumped


def test_stateful_reference_picks_the_longest_matching_name():
    field = StatefulFunctionReference([filters.between_times, filters.between_dates])
    dumped = dump_field(field, filters.between_dates(1, 1, 2, 2))
    assert dumped["fn"] == "prefect_core.schedules.filters.between_dates"


def test_stateful_reference_does_not_match_a_name_that_only_shares_a_prefix():
    def all_successful_or_not(upstream_states):
        return True

    all_successful_or_not.__module__ = "prefect_core.triggers"
    all_successful_or_not.__qualname__ = "all_successful_or_not"
    field = StatefulFunctionReference(TRIGGERS)
    with pytest.raises(ValidationError, match="custom functions aren't supported"):
        dump_field(field, all_successful_or_not)


def test_stateful_reference_encodes_datetimes_times_and_timedeltas():
    field = StatefulFunctionReference(
        [filters.between_datetimes, filters.between_times, adjustments.add]
    )
    start = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    end = datetime.datetime(2021, 1, 1, tzinfo=datetime.UTC)
    assert dump_field(field, filters.between_datetimes(start, end))["kwargs"] == {
        "start": "//datetime:2020-01-01T00:00:00+00:00",
        "end": "//datetime:2021-01-01T00:00:00+00:00",
    }
    assert dump_field(field, filters.between_times(datetime.time(1), datetime.time(5)))[
        "kwargs"
    ] == {"start": "//time:01:00:00", "end": "//time:05:00:00"}
    assert dump_field(field, adjustments.add(datetime.timedelta(minutes=5)))["kwargs"] == {
        "interval": "//timedelta:300.0"
    }


def test_stateful_reference_decodes_markers_when_recreating_the_closure():
    field = StatefulFunctionReference([filters.between_times, adjustments.add])
    between = load_field(
        field,
        {
            "fn": "prefect.schedules.filters.between_times",
            "kwargs": {"start": "//time:01:00:00", "end": "//time:05:00:00"},
        },
    )
    assert between(datetime.datetime(2020, 1, 1, 3))
    assert not between(datetime.datetime(2020, 1, 1, 6))
    add = load_field(field, {"fn": "prefect_core.schedules.adjustments.add",
                             "kwargs": {"interval": "//timedelta:300.0"}})
    moment = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    assert add(moment) == moment + datetime.timedelta(minutes=5)


def test_stateful_reference_rejecting_refuses_custom_functions_by_name():
    field = StatefulFunctionReference(TRIGGERS)
    with pytest.raises(ValidationError) as raised:
        dump_field(field, lambda states: True)
    assert "custom functions aren't supported for `Holder.value`" in str(raised.value)


def test_stateful_reference_not_rejecting_stores_custom_functions_by_own_name():
    def my_trigger(upstream_states):
        return True

    field = StatefulFunctionReference(TRIGGERS, reject_invalid=False)
    dumped = dump_field(field, my_trigger)
    assert dumped == {"fn": to_qualified_name(my_trigger), "kwargs": {}}
    assert load_field(field, dumped) is None


def test_stateful_reference_keeps_custom_closure_variables_unconverted():
    limit = 3

    def my_trigger(upstream_states):
        return len(upstream_states) < limit

    field = StatefulFunctionReference(TRIGGERS, reject_invalid=False)
    assert dump_field(field, my_trigger)["kwargs"] == {"limit": 3}


@pytest.mark.parametrize(
    "value",
    [functools.partial(triggers.some_successful(), {}), type("Call", (), {"__call__": id})()],
    ids=["partial", "callable-object"],
)
def test_stateful_reference_refuses_a_callable_without_a_name_even_when_allowed(value):
    # Prefect 1.4.1 crashed with UnboundLocalError here.
    field = StatefulFunctionReference(TRIGGERS, reject_invalid=False)
    with pytest.raises(ValidationError, match="custom functions aren't supported"):
        dump_field(field, value)


def test_stateful_reference_stores_a_builtin_without_kwargs():
    field = StatefulFunctionReference(TRIGGERS, reject_invalid=False)
    assert dump_field(field, len) == {"fn": "builtins.len", "kwargs": {}}


def test_stateful_reference_never_calls_a_function_outside_its_list():
    field = StatefulFunctionReference(TRIGGERS)
    with pytest.raises(ValidationError, match="Invalid function reference"):
        load_field(field, {"fn": "os.system", "kwargs": {"command": "echo hacked"}})
    lenient = StatefulFunctionReference(TRIGGERS, reject_invalid=False)
    assert load_field(lenient, {"fn": "os.system", "kwargs": {"command": "echo hi"}}) is None


@pytest.mark.parametrize(
    "payload",
    ["prefect_core.triggers.all_successful", 7, {"kwargs": {}}, {"fn": "x", "kwargs": [1]}],
)
def test_stateful_reference_rejects_malformed_payloads(payload):
    field = StatefulFunctionReference(TRIGGERS, reject_invalid=False)
    with pytest.raises(ValidationError, match="Invalid function reference"):
        load_field(field, payload)


ON_DATE = "prefect_core.schedules.filters.on_date"


def test_stateful_reference_reports_arguments_the_factory_refuses():
    field = StatefulFunctionReference([filters.on_date])
    with pytest.raises(ValidationError, match="Invalid arguments for .*on_date"):
        load_field(field, {"fn": ON_DATE, "kwargs": {"month": 13, "day": 1}})
    with pytest.raises(ValidationError, match="Invalid arguments"):
        load_field(field, {"fn": ON_DATE, "kwargs": {"x": 1}})


def test_stateful_reference_dumps_are_json():
    field = StatefulFunctionReference([filters.on_datetime])
    dumped = dump_field(field, filters.on_datetime(datetime.datetime(2020, 1, 1)))
    assert json.loads(json.dumps(dumped)) == dumped
