"""`Parameter` and `DateTimeParameter`."""

import logging
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from prefect_core.core import Edge, Flow, Parameter, Task
from prefect_core.core.parameter import DateTimeParameter, no_default
from prefect_core.core.task import NoDefault
from prefect_core.engine import signals
from prefect_core.engine.results import PrefectResult
from prefect_core.engine.serializers import DateTimeSerializer
from prefect_core.utilities.context import context
from prefect_core.utilities.tasks import task

pytestmark = pytest.mark.filterwarnings("error::UserWarning")


@task
def add(x, y=10):
    return x + y


def run_with(parameter, **values):
    with context(parameters=values):
        return parameter.run()


# -- construction --------------------------------------------------------------------------


def test_no_default_is_the_no_default_sentinel():
    assert no_default is NoDefault.value


def test_a_parameter_without_default_is_required_with_a_none_default():
    p = Parameter("x")
    assert p.required is True
    assert p.default is None


def test_a_parameter_with_a_default_is_optional():
    p = Parameter("x", default=3)
    assert (p.required, p.default) == (False, 3)


def test_a_none_default_counts_as_a_default():
    assert Parameter("x", default=None).required is False


def test_required_can_be_forced_with_a_default():
    p = Parameter("x", default=3, required=True)
    assert (p.required, p.default) == (True, 3)


def test_the_name_is_also_the_slug():
    p = Parameter("x")
    assert (p.name, p.slug) == ("x", "x")


def test_parameters_checkpoint_into_a_prefect_result():
    p = Parameter("x")
    assert isinstance(p.result, PrefectResult)
    assert p.checkpoint is True


def test_parameter_tags_are_stored():
    assert Parameter("x", tags=["input"]).tags == {"input"}


def test_repr_shows_the_parameter_name():
    assert repr(Parameter("x")) == "<Parameter: x>"


# -- in a flow -----------------------------------------------------------------------------


def test_two_parameters_with_one_name_collide_in_a_flow():
    flow = Flow("f")
    flow.add_task(Parameter("x"))
    with pytest.raises(ValueError) as raised:
        flow.add_task(Parameter("x"))
    assert str(raised.value) == 'A task with the slug "x" already exists in this flow.'


def test_flow_slug_of_a_parameter_is_its_name():
    p = Parameter("x")
    flow = Flow("f", tasks=[p])
    assert flow.slugs[p] == "x"


def test_calling_a_parameter_adds_it_to_the_active_flow_and_returns_it():
    p = Parameter("x")
    with Flow("f") as flow:
        assert p() is p
    assert flow.tasks == {p}


def test_calling_a_parameter_with_an_explicit_flow():
    p = Parameter("x")
    flow = Flow("f")
    p(flow=flow)
    assert flow.tasks == {p}


def test_calling_a_parameter_with_data_keywords_is_a_type_error():
    with pytest.raises(TypeError, match="unexpected keyword argument 'x'"):
        Parameter("x")(x=1)


def test_a_positional_argument_to_a_parameter_is_taken_as_the_flow():
    with pytest.raises(AttributeError, match="'int' object has no attribute 'set_dependencies'"):
        Parameter("x")(1)


def test_a_parameter_created_in_a_flow_block_is_only_added_when_used():
    with Flow("f") as flow:
        p = Parameter("x")
        assert flow.tasks == set()
        result = add(p)
    assert flow.tasks == {p, result}
    assert flow.edges == {Edge(p, result, key="x")}


def test_parameters_cannot_have_upstream_tasks():
    p = Parameter("x")
    flow = Flow("f", tasks=[p])
    with pytest.raises(ValueError, match="^Parameters must be root tasks"):
        p.set_upstream(Task(), flow=flow)
    assert flow.tasks == {p}


def test_parameters_are_listed_by_the_flow():
    x, y = Parameter("x"), Parameter("y", default=1)
    flow = Flow("f", tasks=[x, y, Task()])
    assert flow.parameters() == {x, y}


# -- copy ----------------------------------------------------------------------------------


def test_copy_takes_a_new_name_that_is_also_the_slug():
    copied = Parameter("x", default=1).copy("y")
    assert (copied.name, copied.slug, copied.default) == ("y", "y", 1)


def test_copy_requires_a_name():
    with pytest.raises(TypeError):
        Parameter("x").copy()


def test_a_copy_can_live_beside_the_original():
    original = Parameter("x")
    flow = Flow("f", tasks=[original, original.copy("x2")])
    assert sorted(flow.slugs.values()) == ["x", "x2"]


# -- run -----------------------------------------------------------------------------------


def test_run_returns_the_value_given_for_its_name():
    assert run_with(Parameter("x"), x=5) == 5


def test_run_returns_the_default_when_no_value_was_given():
    assert run_with(Parameter("x", default=3)) == 3
    assert run_with(Parameter("x", default=None)) is None


def test_run_without_any_parameters_in_context_uses_the_default():
    assert Parameter("x", default=3).run() == 3


def test_a_required_parameter_without_a_value_fails():
    with pytest.raises(signals.FAIL) as raised:
        run_with(Parameter("x"), other=1)
    assert str(raised.value) == 'Parameter "x" was required but not provided.'


def test_a_missing_required_parameter_is_logged_at_debug_level(caplog):
    caplog.set_level(logging.DEBUG, logger="prefect_core")
    with pytest.raises(signals.FAIL):
        run_with(Parameter("x"))
    assert any(
        record.levelno == logging.DEBUG and "required but not provided" in record.getMessage()
        for record in caplog.records
    )


def test_a_forced_required_parameter_ignores_its_default_at_run_time():
    with pytest.raises(signals.FAIL):
        run_with(Parameter("x", default=3, required=True))


# -- DateTimeParameter ---------------------------------------------------------------------


def test_datetime_parameter_is_required_even_with_a_default():
    p = DateTimeParameter("when", default="2020-01-01")
    assert p.required is True
    assert p.default == "2020-01-01"


def test_datetime_parameter_can_be_made_optional():
    assert DateTimeParameter("when", required=False).required is False


def test_datetime_parameter_serializes_with_the_datetime_serializer():
    p = DateTimeParameter("when")
    assert isinstance(p.result, PrefectResult)
    assert isinstance(p.result.serializer, DateTimeSerializer)
    assert repr(p) == "<Parameter: when>"


def test_datetime_parameter_parses_an_iso_string_with_an_offset():
    value = run_with(DateTimeParameter("when"), when="2021-03-04T05:06:07+02:00")
    assert value == datetime(2021, 3, 4, 5, 6, 7, tzinfo=timezone(timedelta(hours=2)))
    assert value.utcoffset() == timedelta(hours=2)


def test_datetime_parameter_reads_a_string_without_offset_as_utc():
    value = run_with(DateTimeParameter("when"), when="2021-03-04T05:06:07")
    assert value == datetime(2021, 3, 4, 5, 6, 7, tzinfo=UTC)
    assert value.utcoffset() == timedelta(0)


def test_datetime_parameter_reads_a_date_only_string_as_midnight_utc():
    assert run_with(DateTimeParameter("when"), when="2021-03-04") == datetime(
        2021, 3, 4, tzinfo=UTC
    )


def test_datetime_parameter_reads_a_utc_z_suffix():
    assert run_with(DateTimeParameter("when"), when="2021-03-04T00:00:00Z") == datetime(
        2021, 3, 4, tzinfo=UTC
    )


def test_datetime_parameter_keeps_an_aware_datetime():
    aware = datetime(2021, 3, 4, 5, tzinfo=timezone(timedelta(hours=-5)))
    value = run_with(DateTimeParameter("when"), when=aware)
    assert value == aware
    assert value.utcoffset() == timedelta(hours=-5)


def test_datetime_parameter_reads_a_naive_datetime_as_utc():
    value = run_with(DateTimeParameter("when"), when=datetime(2021, 3, 4, 5))
    assert value == datetime(2021, 3, 4, 5, tzinfo=UTC)


def test_datetime_parameter_returns_a_plain_aware_datetime_for_a_date():
    value = run_with(DateTimeParameter("when"), when=date(2021, 3, 4))
    assert type(value) is datetime
    assert value == datetime(2021, 3, 4, tzinfo=UTC)


def test_datetime_parameter_keeps_none():
    assert run_with(DateTimeParameter("when", default=None, required=False)) is None
    assert run_with(DateTimeParameter("when"), when=None) is None


def test_datetime_parameter_uses_its_default_when_optional():
    p = DateTimeParameter("when", default="2021-03-04", required=False)
    assert run_with(p) == datetime(2021, 3, 4, tzinfo=UTC)


def test_a_required_datetime_parameter_without_a_value_fails():
    with pytest.raises(signals.FAIL, match='Parameter "when" was required but not provided.'):
        run_with(DateTimeParameter("when", default="2021-03-04"))
