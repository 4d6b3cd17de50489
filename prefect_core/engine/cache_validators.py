"""Cache validators: decide whether a `Cached` state may stand in for a new run.

A validator is `fn(state: Cached, inputs: dict, parameters: dict) -> bool`, called by the
task runner with the candidate cached state, the task's current input values and the flow
parameters. Every validator except `never_use` first requires the cache not to have expired
(`cached_result_expiration` is `None` or later than now).

Inputs are compared through `state.hashed_inputs` (input name -> `dask.base.tokenize` token)
when the state has them, else through the raw values of `state.cached_inputs`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from dask.base import tokenize

from prefect_core.engine.state import Cached

__all__ = [
    "all_inputs",
    "all_parameters",
    "duration_only",
    "never_use",
    "partial_inputs_only",
    "partial_parameters_only",
]

Validator = Callable[[Cached, dict[str, Any], dict[str, Any]], bool]


def never_use(state: Cached, inputs: dict[str, Any], parameters: dict[str, Any]) -> bool:
    """Never reuse a cache."""
    return False


def duration_only(state: Cached, inputs: dict[str, Any], parameters: dict[str, Any]) -> bool:
    """Reuse the cache while it has not expired."""
    expiration = state.cached_result_expiration
    if expiration is None:
        return True
    if expiration.tzinfo is None:
        expiration = expiration.replace(tzinfo=datetime.UTC)
    return expiration > datetime.datetime.now(datetime.UTC)


def _inputs_match(
    state: Cached, inputs: dict[str, Any], names: Iterable[str] | None = None
) -> bool:
    """Compare the inputs (all of them, or only `names`) with those the cache was made from."""
    wanted = None if names is None else set(names)

    def keep(name: str) -> bool:
        return wanted is None or name in wanted

    current = {name: value for name, value in inputs.items() if keep(name)}
    if state.hashed_inputs is not None:
        cached_tokens = {name: token for name, token in state.hashed_inputs.items() if keep(name)}
        return cached_tokens == {name: tokenize(value) for name, value in current.items()}
    cached_values = {
        name: result.value for name, result in state.cached_inputs.items() if keep(name)
    }
    return cached_values == current


def all_inputs(state: Cached, inputs: dict[str, Any], parameters: dict[str, Any]) -> bool:
    """Reuse an unexpired cache made from exactly the same inputs."""
    return duration_only(state, inputs, parameters) and _inputs_match(state, inputs)


def all_parameters(state: Cached, inputs: dict[str, Any], parameters: dict[str, Any]) -> bool:
    """Reuse an unexpired cache made with exactly the same flow parameters."""
    return duration_only(state, inputs, parameters) and state.cached_parameters == parameters


def partial_inputs_only(validate_on: Iterable[str] | None = None) -> Validator:
    """Make a validator comparing only the inputs named in `validate_on`.

    Args:
        validate_on: input names to compare; `None` compares nothing (expiration only).
    """
    # Captured under its own name, as a list: the serializer reads it back from the closure.
    validate_on = None if validate_on is None else list(validate_on)

    def _partial_inputs_only(
        state: Cached, inputs: dict[str, Any], parameters: dict[str, Any]
    ) -> bool:
        if not duration_only(state, inputs, parameters):
            return False
        return validate_on is None or _inputs_match(state, inputs, validate_on)

    return _partial_inputs_only


def partial_parameters_only(validate_on: Iterable[str] | None = None) -> Validator:
    """Make a validator comparing only the flow parameters named in `validate_on`.

    Args:
        validate_on: parameter names to compare (a missing parameter set counts as empty);
            `None` compares nothing (expiration only).
    """
    # Captured under its own name, as a list: the serializer reads it back from the closure.
    validate_on = None if validate_on is None else list(validate_on)

    def _partial_parameters_only(
        state: Cached, inputs: dict[str, Any], parameters: dict[str, Any]
    ) -> bool:
        if not duration_only(state, inputs, parameters):
            return False
        if validate_on is None:
            return True
        cached = state.cached_parameters or {}
        current = parameters or {}
        return {k: v for k, v in cached.items() if k in validate_on} == {
            k: v for k, v in current.items() if k in validate_on
        }

    return _partial_parameters_only
