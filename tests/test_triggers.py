"""Tests for prefect_core.triggers."""

import pytest

from prefect_core import triggers
from prefect_core.engine import signals
from prefect_core.engine.state import (
    Cached,
    Cancelled,
    Failed,
    Looped,
    Mapped,
    Pending,
    Retrying,
    Running,
    Skipped,
    Success,
    TimedOut,
    TriggerFailed,
)
from prefect_core.utilities.context import context


def upstream(*states):
    """Upstream states keyed like edges (the keys are opaque to triggers)."""
    return {f"edge-{index}": state for index, state in enumerate(states)}


def trigger_fail_message(name, reason):
    return f'Trigger was "{name}" but {reason}.'


# ------------------------------------------------------------------- all_finished


def test_all_finished_with_no_upstreams_runs():
    assert triggers.all_finished({}) is True


@pytest.mark.parametrize("state", [Success(), Failed(), Skipped(), Cancelled(), Looped()])
def test_all_finished_runs_after_any_finished_state(state):
    assert triggers.all_finished(upstream(state, Success())) is True


@pytest.mark.parametrize("state", [Pending(), Running(), Retrying()])
def test_all_finished_fails_when_an_upstream_is_not_finished(state):
    with pytest.raises(signals.TRIGGERFAIL) as raised:
        triggers.all_finished(upstream(Success(), state))
    assert str(raised.value) == trigger_fail_message(
        "all_finished", "some of the upstream tasks were not finished"
    )


def test_always_run_is_all_finished():
    assert triggers.always_run is triggers.all_finished


# -------------------------------------------------------------------- manual_only


def test_manual_only_pauses_without_resume():
    with pytest.raises(signals.PAUSE) as raised:
        triggers.manual_only(upstream(Success()))
    assert str(raised.value) == 'Trigger function is "manual_only"'


def test_manual_only_pauses_even_with_no_upstreams():
    with pytest.raises(signals.PAUSE):
        triggers.manual_only({})


def test_manual_only_pause_state_waits_indefinitely():
    with pytest.raises(signals.PAUSE) as raised:
        triggers.manual_only({})
    assert raised.value.state.start_time is None


def test_manual_only_runs_when_resumed():
    with context(resume=True):
        assert triggers.manual_only(upstream(Failed())) is True


def test_manual_only_pauses_when_resume_is_falsy():
    with context(resume=False), pytest.raises(signals.PAUSE):
        triggers.manual_only({})


# ------------------------------------------------------------------ all_successful


def test_all_successful_with_no_upstreams_runs():
    assert triggers.all_successful({}) is True


@pytest.mark.parametrize("state", [Success(), Cached(), Skipped(), Mapped(map_states=[Success()])])
def test_all_successful_counts_every_success_kind(state):
    assert triggers.all_successful(upstream(Success(), state)) is True


@pytest.mark.parametrize("state", [Failed(), TriggerFailed(), Cancelled(), Looped(), Pending()])
def test_all_successful_fails_on_a_non_success(state):
    with pytest.raises(signals.TRIGGERFAIL) as raised:
        triggers.all_successful(upstream(Success(), state))
    assert str(raised.value) == trigger_fail_message(
        "all_successful", "some of the upstream tasks failed"
    )


def test_trigger_failure_produces_a_trigger_failed_state():
    with pytest.raises(signals.TRIGGERFAIL) as raised:
        triggers.all_successful(upstream(Failed()))
    assert isinstance(raised.value.state, TriggerFailed)


def test_all_successful_expands_mapped_children():
    mapped = Mapped(map_states=[Success(), Failed()])
    with pytest.raises(signals.TRIGGERFAIL):
        triggers.all_successful(upstream(mapped))


def test_all_successful_with_all_mapped_children_successful_runs():
    mapped = Mapped(map_states=[Success(), Skipped()])
    assert triggers.all_successful(upstream(mapped, Success())) is True


# ---------------------------------------------------------------------- all_failed


def test_all_failed_with_no_upstreams_runs():
    assert triggers.all_failed({}) is True


def test_all_failed_runs_when_every_upstream_failed():
    assert triggers.all_failed(upstream(Failed(), TimedOut(), TriggerFailed())) is True


@pytest.mark.parametrize("state", [Success(), Cancelled(), Skipped()])
def test_all_failed_fails_on_a_non_failure(state):
    with pytest.raises(signals.TRIGGERFAIL) as raised:
        triggers.all_failed(upstream(Failed(), state))
    assert str(raised.value) == trigger_fail_message(
        "all_failed", "some of the upstream tasks succeeded"
    )


def test_all_failed_expands_mapped_children():
    assert triggers.all_failed(upstream(Mapped(map_states=[Failed(), Failed()]))) is True


# ------------------------------------------------------------------ any_successful


def test_any_successful_with_no_upstreams_runs():
    assert triggers.any_successful({}) is True


def test_any_successful_runs_with_one_success():
    assert triggers.any_successful(upstream(Failed(), Skipped())) is True


def test_any_successful_fails_without_successes():
    with pytest.raises(signals.TRIGGERFAIL) as raised:
        triggers.any_successful(upstream(Failed(), Cancelled()))
    assert str(raised.value) == trigger_fail_message(
        "any_successful", "none of the upstream tasks succeeded"
    )


def test_any_successful_finds_a_success_among_mapped_children():
    mapped = Mapped(map_states=[Failed(), Success()])
    assert triggers.any_successful(upstream(mapped, Failed())) is True


def test_any_successful_with_an_empty_mapped_upstream_fails():
    with pytest.raises(signals.TRIGGERFAIL):
        triggers.any_successful(upstream(Mapped(map_states=[])))


# ---------------------------------------------------------------------- any_failed


def test_any_failed_with_no_upstreams_runs():
    assert triggers.any_failed({}) is True


def test_any_failed_runs_with_one_failure():
    assert triggers.any_failed(upstream(Success(), TimedOut())) is True


def test_any_failed_fails_without_failures():
    with pytest.raises(signals.TRIGGERFAIL) as raised:
        triggers.any_failed(upstream(Success(), Skipped()))
    assert str(raised.value) == trigger_fail_message(
        "any_failed", "none of the upstream tasks failed"
    )


def test_any_failed_finds_a_failure_among_mapped_children():
    assert triggers.any_failed(upstream(Mapped(map_states=[Success(), Failed()]))) is True


# ----------------------------------------------------------------- not_all_skipped


def test_not_all_skipped_runs_with_a_mix_of_success_and_skips():
    assert triggers.not_all_skipped(upstream(Success(), Skipped())) is True


def test_not_all_skipped_skips_when_all_upstreams_skipped():
    with pytest.raises(signals.SKIP) as raised:
        triggers.not_all_skipped(upstream(Skipped(), Skipped()))
    assert str(raised.value) == "All upstreams were skipped"


def test_not_all_skipped_skip_carries_no_result():
    with pytest.raises(signals.SKIP) as raised:
        triggers.not_all_skipped(upstream(Skipped()))
    assert raised.value.state.result is None


def test_not_all_skipped_with_no_upstreams_skips():
    with pytest.raises(signals.SKIP):
        triggers.not_all_skipped({})


def test_not_all_skipped_fails_on_a_failure():
    with pytest.raises(signals.TRIGGERFAIL) as raised:
        triggers.not_all_skipped(upstream(Skipped(), Failed()))
    assert str(raised.value) == trigger_fail_message(
        "not_all_skipped", "some of the upstream tasks failed"
    )


def test_not_all_skipped_expands_mapped_children():
    with pytest.raises(signals.SKIP):
        triggers.not_all_skipped(upstream(Mapped(map_states=[Skipped(), Skipped()])))


# ---------------------------------------------------------- some_successful / failed


def test_some_successful_with_no_upstreams_runs():
    assert triggers.some_successful(at_least=5)({}) is True


def test_some_successful_defaults_accept_anything():
    assert triggers.some_successful()(upstream(Failed(), Failed())) is True


def test_some_successful_absolute_lower_bound_met():
    assert triggers.some_successful(at_least=2)(upstream(Success(), Success(), Failed()))


def test_some_successful_absolute_lower_bound_missed():
    with pytest.raises(signals.TRIGGERFAIL) as raised:
        triggers.some_successful(at_least=2)(upstream(Success(), Failed()))
    assert str(raised.value) == trigger_fail_message("some_successful", "thresholds were not met")


def test_some_successful_fractional_lower_bound_met():
    assert triggers.some_successful(at_least=0.5)(upstream(Success(), Failed())) is True


def test_some_successful_fractional_lower_bound_missed():
    with pytest.raises(signals.TRIGGERFAIL):
        triggers.some_successful(at_least=0.6)(upstream(Success(), Failed()))


def test_some_successful_bound_of_one_is_absolute():
    assert triggers.some_successful(at_least=1.0)(upstream(Success(), Failed())) is True


def test_some_successful_absolute_upper_bound_exceeded():
    with pytest.raises(signals.TRIGGERFAIL):
        triggers.some_successful(at_most=1)(upstream(Success(), Success()))


def test_some_successful_fractional_upper_bound_met():
    assert triggers.some_successful(at_most=0.5)(upstream(Success(), Failed())) is True


def test_some_successful_zero_upper_bound_allows_no_success():
    assert triggers.some_successful(at_most=0)(upstream(Failed())) is True
    with pytest.raises(signals.TRIGGERFAIL):
        triggers.some_successful(at_most=0)(upstream(Success()))


def test_some_successful_counts_mapped_children():
    mapped = Mapped(map_states=[Success(), Success(), Failed()])
    assert triggers.some_successful(at_least=2)(upstream(mapped)) is True


def test_some_successful_with_empty_mapped_upstream_counts_zero():
    with pytest.raises(signals.TRIGGERFAIL):
        triggers.some_successful(at_least=1)(upstream(Mapped(map_states=[])))


def test_some_successful_fraction_of_zero_states_is_zero():
    assert triggers.some_successful(at_least=0.5)(upstream(Mapped(map_states=[]))) is True


def test_a_state_reached_through_two_edges_counts_once():
    shared = Success()
    check = triggers.some_successful(at_most=1)
    assert check({"x": shared, "y": shared, "z": Failed()}) is True


def test_some_failed_absolute_bounds():
    check = triggers.some_failed(at_least=1, at_most=1)
    assert check(upstream(Failed(), Success())) is True
    with pytest.raises(signals.TRIGGERFAIL):
        check(upstream(Failed(), Failed()))


def test_some_failed_fractional_bound():
    check = triggers.some_failed(at_least=1, at_most=0.5)
    with pytest.raises(signals.TRIGGERFAIL) as raised:
        check(upstream(Failed(), Failed(), Failed(), Success()))
    assert str(raised.value) == trigger_fail_message("some_failed", "thresholds were not met")


def test_some_failed_fractional_bound_met():
    assert triggers.some_failed(at_most=0.5)(upstream(Failed(), Success())) is True


def test_some_failed_with_no_upstreams_runs():
    assert triggers.some_failed(at_least=1)({}) is True


def test_some_failed_lower_bound_missed():
    with pytest.raises(signals.TRIGGERFAIL):
        triggers.some_failed(at_least=1)(upstream(Success(), Skipped()))


def test_threshold_factories_name_their_triggers():
    assert triggers.some_successful().__name__ == "_some_successful"
    assert triggers.some_failed().__name__ == "_some_failed"
