"""Tests for prefect_core.engine.cache_validators."""

import datetime

from dask.base import tokenize

from prefect_core.engine import cache_validators as validators
from prefect_core.engine.result import Result
from prefect_core.engine.state import Cached

UTC = datetime.UTC


def in_an_hour():
    return datetime.datetime.now(UTC) + datetime.timedelta(hours=1)


def an_hour_ago():
    return datetime.datetime.now(UTC) - datetime.timedelta(hours=1)


def hashed(**inputs):
    return {name: tokenize(value) for name, value in inputs.items()}


# ----------------------------------------------------------------------- never_use


def test_never_use_rejects_a_fresh_cache():
    assert validators.never_use(Cached(cached_result_expiration=in_an_hour()), {}, {}) is False


def test_never_use_rejects_a_cache_without_expiration():
    assert validators.never_use(Cached(), {}, {}) is False


# ------------------------------------------------------------------- duration_only


def test_duration_only_accepts_a_cache_without_expiration():
    assert validators.duration_only(Cached(), {}, {}) is True


def test_duration_only_accepts_an_unexpired_cache():
    assert validators.duration_only(Cached(cached_result_expiration=in_an_hour()), {}, {})


def test_duration_only_rejects_an_expired_cache():
    state = Cached(cached_result_expiration=an_hour_ago())
    assert validators.duration_only(state, {}, {}) is False


def test_duration_only_reads_a_naive_expiration_set_later_as_utc():
    state = Cached()
    state.cached_result_expiration = (in_an_hour()).replace(tzinfo=None)
    assert validators.duration_only(state, {}, {}) is True


# ---------------------------------------------------------------------- all_inputs


def test_all_inputs_accepts_matching_hashed_inputs():
    state = Cached(hashed_inputs=hashed(a=1, b=[2]), cached_result_expiration=in_an_hour())
    assert validators.all_inputs(state, {"a": 1, "b": [2]}, {}) is True


def test_all_inputs_rejects_a_different_value():
    state = Cached(hashed_inputs=hashed(a=1, b=2))
    assert validators.all_inputs(state, {"a": 1, "b": 3}, {}) is False


def test_all_inputs_rejects_a_missing_input():
    state = Cached(hashed_inputs=hashed(a=1, b=2))
    assert validators.all_inputs(state, {"a": 1}, {}) is False


def test_all_inputs_rejects_an_extra_input():
    state = Cached(hashed_inputs=hashed(a=1))
    assert validators.all_inputs(state, {"a": 1, "b": 2}, {}) is False


def test_all_inputs_rejects_an_expired_cache_with_matching_inputs():
    state = Cached(hashed_inputs=hashed(a=1), cached_result_expiration=an_hour_ago())
    assert validators.all_inputs(state, {"a": 1}, {}) is False


def test_all_inputs_falls_back_to_cached_input_values():
    state = Cached(cached_inputs={"a": Result(1)})
    assert validators.all_inputs(state, {"a": 1}, {}) is True
    assert validators.all_inputs(state, {"a": 2}, {}) is False


def test_all_inputs_with_no_inputs_on_either_side_accepts():
    assert validators.all_inputs(Cached(), {}, {}) is True


# ------------------------------------------------------------------ all_parameters


def test_all_parameters_accepts_equal_parameters():
    state = Cached(cached_parameters={"p": 1}, cached_result_expiration=in_an_hour())
    assert validators.all_parameters(state, {}, {"p": 1}) is True


def test_all_parameters_rejects_different_parameters():
    assert validators.all_parameters(Cached(cached_parameters={"p": 1}), {}, {"p": 2}) is False


def test_all_parameters_rejects_an_expired_cache():
    state = Cached(cached_parameters={"p": 1}, cached_result_expiration=an_hour_ago())
    assert validators.all_parameters(state, {}, {"p": 1}) is False


def test_all_parameters_distinguishes_none_from_empty():
    assert validators.all_parameters(Cached(), {}, None) is True
    assert validators.all_parameters(Cached(), {}, {}) is False


# ------------------------------------------------------------- partial_inputs_only


def test_partial_inputs_only_compares_only_listed_inputs():
    state = Cached(hashed_inputs=hashed(a=1, b=2))
    assert validators.partial_inputs_only(["a"])(state, {"a": 1, "b": 99}, {}) is True


def test_partial_inputs_only_rejects_a_changed_listed_input():
    state = Cached(hashed_inputs=hashed(a=1, b=2))
    assert validators.partial_inputs_only(["a"])(state, {"a": 5, "b": 2}, {}) is False


def test_partial_inputs_only_rejects_a_listed_input_now_missing():
    state = Cached(hashed_inputs=hashed(a=1))
    assert validators.partial_inputs_only(["a"])(state, {"b": 3}, {}) is False


def test_partial_inputs_only_ignores_a_listed_name_absent_on_both_sides():
    state = Cached(hashed_inputs=hashed(a=1))
    assert validators.partial_inputs_only(["a", "z"])(state, {"a": 1}, {}) is True


def test_partial_inputs_only_falls_back_to_cached_input_values():
    state = Cached(cached_inputs={"a": Result(1), "b": Result(2)})
    assert validators.partial_inputs_only(["a"])(state, {"a": 1, "b": 0}, {}) is True
    assert validators.partial_inputs_only(["a"])(state, {}, {}) is False


def test_partial_inputs_only_without_names_checks_expiration_only():
    assert validators.partial_inputs_only()(Cached(hashed_inputs=hashed(a=1)), {"a": 2}, {})
    expired = Cached(cached_result_expiration=an_hour_ago())
    assert validators.partial_inputs_only()(expired, {}, {}) is False


def test_partial_inputs_only_rejects_an_expired_cache():
    state = Cached(hashed_inputs=hashed(a=1), cached_result_expiration=an_hour_ago())
    assert validators.partial_inputs_only(["a"])(state, {"a": 1}, {}) is False


def test_partial_inputs_only_accepts_any_iterable_of_names():
    state = Cached(hashed_inputs=hashed(a=1, b=2))
    assert validators.partial_inputs_only(name for name in ["a"])(state, {"a": 1}, {}) is True


# --------------------------------------------------------- partial_parameters_only


def test_partial_parameters_only_compares_only_listed_parameters():
    state = Cached(cached_parameters={"p": 1, "q": 2})
    assert validators.partial_parameters_only(["p"])(state, {}, {"p": 1, "q": 5}) is True


def test_partial_parameters_only_rejects_a_changed_listed_parameter():
    state = Cached(cached_parameters={"p": 1, "q": 2})
    assert validators.partial_parameters_only(["p"])(state, {}, {"p": 9, "q": 2}) is False


def test_partial_parameters_only_treats_missing_parameters_as_empty():
    check = validators.partial_parameters_only(["p"])
    assert check(Cached(), {}, None) is True
    assert check(Cached(), {}, {"p": 1}) is False


def test_partial_parameters_only_without_names_checks_expiration_only():
    state = Cached(cached_parameters={"p": 1})
    assert validators.partial_parameters_only()(state, {}, {"p": 2}) is True


def test_partial_parameters_only_rejects_an_expired_cache():
    state = Cached(cached_parameters={"p": 1}, cached_result_expiration=an_hour_ago())
    assert validators.partial_parameters_only(["p"])(state, {}, {"p": 1}) is False
