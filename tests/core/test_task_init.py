"""`Task.__init__`: every constructor option, its default and its validation."""

import warnings
from datetime import timedelta

import pytest

from prefect_core import triggers
from prefect_core.core import Flow, Task
from prefect_core.engine import cache_validators
from prefect_core.engine.result import Result
from prefect_core.engine.state import Failed, Success
from prefect_core.tasks.core.constants import Constant
from prefect_core.utilities.configuration import set_temporary_config
from prefect_core.utilities.context import context
from prefect_core.utilities.tasks import tags

pytestmark = pytest.mark.filterwarnings("error::UserWarning")

DELAY = timedelta(seconds=5)
RETRY_DELAY_MESSAGE = "A datetime.timedelta `retry_delay` must be provided if max_retries > 0"
RETRY_ON_MESSAGE = "A number of `max_retries` must be provided if `retry_on` is set."
DELAY_WITHOUT_RETRIES_MESSAGE = (
    "A `max_retries` argument greater than 0 must be provided if specifying a retry delay."
)
TIMEOUT_MESSAGE = "Only integer timeouts (representing seconds) are supported."

# -- name, slug, logger --------------------------------------------------------------------


def test_name_defaults_to_the_class_name():
    class Extract(Task):
        pass

    assert Task().name == "Task"
    assert Extract().name == "Extract"


def test_given_name_is_stored():
    assert Task(name="load").name == "load"


def test_empty_name_falls_back_to_the_class_name():
    assert Task(name="").name == "Task"


def test_slug_defaults_to_none_and_is_stored_when_given():
    assert Task().slug is None
    assert Task(slug="my-slug").slug == "my-slug"


def test_logger_is_the_child_of_the_package_logger_named_after_the_task():
    assert Task(name="load").logger.name == "prefect_core.load"


def test_positional_only_run_arguments_are_rejected_naming_the_task():
    class PositionalOnly(Task):
        def run(self, x, /):
            return x

    message = (
        "Found positional-only parameters in the function signature for task "
        "PositionalOnly: ['x']. Prefect passes arguments using keywords and does not "
        "support positional-only parameters."
    )
    with pytest.raises(TypeError) as raised:
        PositionalOnly()
    assert str(raised.value) == message


# -- tags ----------------------------------------------------------------------------------


def test_tags_as_a_string_are_rejected():
    with pytest.raises(TypeError, match="^Tags should be a set of tags, not a string.$"):
        Task(tags="io")


def test_tags_are_stored_as_a_set():
    assert Task(tags=["a", "b", "a"]).tags == {"a", "b"}


def test_tags_default_to_an_empty_set():
    assert Task().tags == set()


def test_tags_include_the_tags_of_the_context():
    with tags("ctx"):
        assert Task(tags=["own"]).tags == {"own", "ctx"}


# -- retries -------------------------------------------------------------------------------


def test_max_retries_defaults_to_the_configured_zero():
    assert Task().max_retries == 0
    assert Task().retry_delay is None


def test_max_retries_and_delay_come_from_the_configuration():
    config = {"tasks.defaults.max_retries": 2, "tasks.defaults.retry_delay": DELAY}
    with set_temporary_config(config):
        t = Task()
    assert (t.max_retries, t.retry_delay) == (2, DELAY)


def test_configured_retry_delay_is_only_used_when_retrying():
    with set_temporary_config({"tasks.defaults.retry_delay": DELAY}):
        t = Task()
    assert t.retry_delay is None


def test_explicit_retries_pick_up_the_configured_delay():
    with set_temporary_config({"tasks.defaults.retry_delay": DELAY}):
        assert Task(max_retries=1).retry_delay == DELAY


def test_retries_and_delay_are_stored():
    t = Task(max_retries=3, retry_delay=DELAY)
    assert (t.max_retries, t.retry_delay) == (3, DELAY)


def test_retries_without_a_delay_are_rejected():
    with pytest.raises(ValueError) as raised:
        Task(max_retries=1)
    assert str(raised.value) == RETRY_DELAY_MESSAGE


def test_a_delay_without_retries_is_rejected():
    with pytest.raises(ValueError) as raised:
        Task(retry_delay=DELAY)
    assert str(raised.value) == DELAY_WITHOUT_RETRIES_MESSAGE


def test_a_delay_with_zero_retries_is_rejected():
    with pytest.raises(ValueError, match="greater than 0 must be provided"):
        Task(max_retries=0, retry_delay=DELAY)


def test_retry_on_without_retries_is_rejected():
    with pytest.raises(ValueError) as raised:
        Task(retry_on=ValueError)
    assert str(raised.value) == RETRY_ON_MESSAGE


def test_retry_on_a_single_exception_type_is_stored_as_a_set():
    t = Task(max_retries=1, retry_delay=DELAY, retry_on=KeyError)
    assert t.retry_on == {KeyError}


def test_retry_on_several_exception_types_is_stored_as_a_set():
    t = Task(max_retries=1, retry_delay=DELAY, retry_on=[KeyError, OSError, KeyError])
    assert t.retry_on == {KeyError, OSError}


@pytest.mark.parametrize("falsy", [None, [], ()])
def test_falsy_retry_on_is_stored_as_none(falsy):
    assert Task(retry_on=falsy).retry_on is None


def test_retry_on_an_exception_instance_is_rejected():
    with pytest.raises(TypeError) as raised:
        Task(max_retries=1, retry_delay=DELAY, retry_on=KeyError("x"))
    assert str(raised.value) == (
        "Invalid `retry_on` value KeyError('x'). Expected an exception type but got an "
        "instance of KeyError"
    )


def test_retry_on_a_non_type_member_is_rejected():
    with pytest.raises(TypeError, match="Expected an exception type but got an instance of str"):
        Task(max_retries=1, retry_delay=DELAY, retry_on=[KeyError, "oops"])


@pytest.mark.parametrize("not_an_exception", [int, KeyboardInterrupt])
def test_retry_on_a_type_that_is_not_an_exception_subclass_is_rejected(not_an_exception):
    with pytest.raises(TypeError) as raised:
        Task(max_retries=1, retry_delay=DELAY, retry_on=not_an_exception)
    assert str(raised.value) == (
        f"Invalid `retry_on` value {not_an_exception!r}. Expected an exception subclass."
    )


def test_missing_delay_is_reported_before_any_other_retry_or_timeout_problem():
    with pytest.raises(ValueError) as raised:
        Task(max_retries=1, retry_on=int, timeout=1.5)
    assert str(raised.value) == RETRY_DELAY_MESSAGE


def test_retry_on_without_retries_is_reported_before_a_delay_without_retries():
    with pytest.raises(ValueError) as raised:
        Task(retry_on=KeyError, retry_delay=DELAY, timeout=1.5)
    assert str(raised.value) == RETRY_ON_MESSAGE


def test_bad_retry_on_members_are_reported_before_a_bad_timeout():
    with pytest.raises(TypeError, match="Expected an exception subclass"):
        Task(max_retries=1, retry_delay=DELAY, retry_on=int, timeout=1.5)


def test_delay_without_retries_is_reported_before_a_bad_timeout():
    with pytest.raises(ValueError) as raised:
        Task(retry_delay=DELAY, timeout=1.5)
    assert str(raised.value) == DELAY_WITHOUT_RETRIES_MESSAGE


# -- timeout -------------------------------------------------------------------------------


def test_timeout_defaults_to_the_configured_none():
    assert Task().timeout is None


def test_timeout_default_comes_from_the_configuration():
    with set_temporary_config({"tasks.defaults.timeout": 30}):
        assert Task().timeout == 30


def test_integer_timeout_is_stored():
    assert Task(timeout=10).timeout == 10


def test_timedelta_timeout_is_converted_to_whole_seconds():
    assert Task(timeout=timedelta(minutes=2)).timeout == 120


def test_sub_second_timeout_resolution_is_dropped_with_a_warning():
    with pytest.warns(UserWarning, match="sub-second"):
        t = Task(timeout=timedelta(seconds=3, microseconds=500))
    assert t.timeout == 3


def test_whole_second_timedelta_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Task(timeout=timedelta(seconds=3))


@pytest.mark.parametrize("bad", [1.5, "10", [10]])
def test_non_integer_timeouts_are_rejected(bad):
    with pytest.raises(TypeError) as raised:
        Task(timeout=bad)
    assert str(raised.value) == TIMEOUT_MESSAGE


# -- trigger, skipping, caching ------------------------------------------------------------


def test_trigger_defaults_to_all_successful():
    assert Task().trigger is triggers.all_successful


def test_given_trigger_is_stored():
    assert Task(trigger=triggers.always_run).trigger is triggers.always_run


def test_skip_on_upstream_skip_defaults_to_true_and_is_stored():
    assert Task().skip_on_upstream_skip is True
    assert Task(skip_on_upstream_skip=False).skip_on_upstream_skip is False


def test_without_cache_for_the_validator_is_never_use():
    t = Task()
    assert t.cache_for is None
    assert t.cache_validator is cache_validators.never_use


def test_with_cache_for_the_validator_defaults_to_duration_only():
    t = Task(cache_for=timedelta(hours=1))
    assert t.cache_for == timedelta(hours=1)
    assert t.cache_validator is cache_validators.duration_only


def test_given_validator_is_stored_with_cache_for():
    t = Task(cache_for=timedelta(hours=1), cache_validator=cache_validators.all_inputs)
    assert t.cache_validator is cache_validators.all_inputs


def test_validator_without_cache_for_warns_but_is_stored():
    with pytest.warns(UserWarning, match="will not be cached"):
        t = Task(cache_validator=cache_validators.all_inputs)
    assert t.cache_validator is cache_validators.all_inputs


def test_never_use_validator_without_cache_for_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Task(cache_validator=cache_validators.never_use)


def test_plain_options_are_stored_with_their_defaults():
    t = Task()
    assert (t.cache_key, t.checkpoint, t.task_run_name, t.log_stdout) == (None, None, None, False)
    named = Task(cache_key="k", checkpoint=False, task_run_name="run-{x}", log_stdout=True)
    assert named.cache_key == "k"
    assert named.checkpoint is False
    assert named.task_run_name == "run-{x}"
    assert named.log_stdout is True


def test_auto_generated_is_false():
    assert Task().auto_generated is False


# -- result and target ---------------------------------------------------------------------


def test_result_and_target_are_stored():
    result = Result()
    t = Task(result=result)
    assert t.result is result
    assert Task(target="{task_name}.txt").target == "{task_name}.txt"


def test_target_with_result_becomes_the_location_of_a_copy_of_the_result():
    result = Result()
    t = Task(result=result, target="out/{task_name}")
    assert t.result is not result
    assert t.result.location == "out/{task_name}"
    assert result.location is None


def test_target_overriding_a_different_result_location_warns():
    with pytest.warns(UserWarning, match="target"):
        t = Task(result=Result(location="elsewhere"), target="here")
    assert t.result.location == "here"


def test_target_equal_to_the_result_location_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Task(result=Result(location="here"), target="here")


# -- state handlers and on_failure ---------------------------------------------------------


def test_state_handlers_default_to_an_empty_list():
    assert Task().state_handlers == []


def test_state_handlers_list_is_stored_as_given():
    handlers = [lambda task, old, new: new]
    assert Task(state_handlers=handlers).state_handlers is handlers


def test_state_handlers_that_are_not_a_sequence_are_rejected():
    with pytest.raises(TypeError, match="^state_handlers should be iterable.$"):
        Task(state_handlers={lambda task, old, new: new})


def test_on_failure_is_appended_to_the_callers_list():
    handlers = [lambda task, old, new: new]
    t = Task(state_handlers=handlers, on_failure=lambda task, state: None)
    assert t.state_handlers is handlers
    assert len(handlers) == 2


def test_on_failure_with_a_tuple_of_handlers_gives_a_list():
    first = lambda task, old, new: new  # noqa: E731
    t = Task(state_handlers=(first,), on_failure=lambda task, state: None)
    assert isinstance(t.state_handlers, list)
    assert t.state_handlers[0] is first
    assert len(t.state_handlers) == 2


def test_on_failure_handler_calls_back_only_for_failed_states():
    calls = []
    t = Task(on_failure=lambda task, state: calls.append((task, state)))
    (handler,) = t.state_handlers
    failed, success = Failed("no"), Success()
    assert handler(t, None, success) is success
    assert calls == []
    assert handler(t, None, failed) is failed
    assert calls == [(t, failed)]


# -- unused-task tracking ------------------------------------------------------------------


def test_task_created_in_a_flow_block_is_tracked_as_unused():
    with Flow("f") as flow:
        t = Task()
        assert t in context.get("_unused_task_tracker")
        flow.add_task(t)


def test_constants_are_never_tracked_as_unused():
    with Flow("f"):
        constant = Constant(3)
        assert constant not in context.get("_unused_task_tracker")


def test_task_created_outside_a_flow_block_is_not_tracked():
    Task()
    assert context.get("_unused_task_tracker") is None
