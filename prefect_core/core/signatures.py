"""Checks and facts about a task's `run` signature, shared by `Task` and `FunctionTask`.

Prefect passes every task input as a keyword argument, so a `run` may not take `*args`,
positional-only parameters, or the names that `Task.__call__` reserves for itself.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from typing import Any

RESERVED_ARGUMENT_NAMES = ("upstream_tasks", "mapped", "task_args", "flow")

# The keyword-only extras that `Task.__call__` accepts beside `run`'s own arguments.
CALL_EXTRAS = (
    inspect.Parameter("mapped", inspect.Parameter.KEYWORD_ONLY, default=False, annotation=bool),
    inspect.Parameter("task_args", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=dict),
    inspect.Parameter(
        "upstream_tasks",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=typing.Iterable[Any],  # typing's alias: it prints as `Iterable[Any]`
    ),
    inspect.Parameter("flow", inspect.Parameter.KEYWORD_ONLY, default=None, annotation="Flow"),
)


def validate_run_signature(run: Callable) -> None:
    """Raise `ValueError` if `run` cannot be a task's `run` method."""
    function = inspect.unwrap(run)
    try:
        spec = inspect.getfullargspec(function)
    except TypeError as exc:
        if "unsupported callable" in str(exc):
            raise ValueError(
                f"The function {function!r} cannot be inspected (this is common for builtins "
                "and functions written in C, such as numpy's). Wrap it in a plain Python "
                "function and use that as the task instead."
            ) from exc
        raise
    if spec.varargs:
        raise ValueError(
            "Tasks with variable positional arguments (*args) are not supported, because "
            "all Prefect arguments are stored as keywords. As a workaround, consider "
            "modifying the run() method to accept **kwargs and feeding the values to *args."
        )
    reserved = [name for name in RESERVED_ARGUMENT_NAMES if name in spec.args]
    if reserved:
        raise ValueError(
            f"Tasks cannot have the following argument names: {', '.join(reserved)}. "
            "These are reserved keyword arguments."
        )


def positional_only_names(signature: inspect.Signature) -> list[str]:
    """Names of the positional-only parameters of `signature`."""
    return [
        name
        for name, parameter in signature.parameters.items()
        if parameter.kind is inspect.Parameter.POSITIONAL_ONLY
    ]


def call_signature(run_signature: inspect.Signature) -> inspect.Signature:
    """`run`'s signature with `__call__`'s keyword-only extras, returning a `Task`."""
    parameters = list(run_signature.parameters.values())
    var_keyword = [p for p in parameters if p.kind is inspect.Parameter.VAR_KEYWORD]
    others = [p for p in parameters if p.kind is not inspect.Parameter.VAR_KEYWORD]
    return run_signature.replace(
        parameters=[*others, *CALL_EXTRAS, *var_keyword], return_annotation="Task"
    )


def infer_nout(run: Callable) -> int | None:
    """The number of outputs promised by a `Tuple[...]` return annotation, else `None`.

    Annotations are read as written, never evaluated: a string annotation gives `None`.
    """
    try:
        annotation = inspect.signature(run).return_annotation
        # A bare `Tuple` says nothing about the length (`Tuple[()]` does: 0 outputs).
        if annotation is typing.Tuple or annotation is tuple:  # noqa: UP006
            return None
        if typing.get_origin(annotation) is not tuple:
            return None
        arguments = typing.get_args(annotation)
        if arguments and arguments[-1] is Ellipsis:
            return None
        return len(arguments)
    except Exception:
        return None
