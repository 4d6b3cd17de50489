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


class RunSignature:
    """`run`'s signature with what binding call arguments to it needs, computed once.

    `bind` is the hot path of building a flow (one call per task call), so it maps the
    arguments itself; whenever they do not fit (a missing, unknown or repeated argument)
    it defers to `inspect.Signature.bind`, whose `TypeError` is the one users see.
    """

    __slots__ = (
        "signature",
        "positional_only",
        "_positional_names",
        "_keyword_names",
        "_required_names",
        "_parameter_order",
        "_var_keyword",
        "_fast",
    )

    def __init__(self, signature: inspect.Signature) -> None:
        kinds = inspect.Parameter
        parameters = list(signature.parameters.values())
        self.signature = signature
        self.positional_only = [p.name for p in parameters if p.kind is kinds.POSITIONAL_ONLY]
        self._positional_names = tuple(
            p.name for p in parameters if p.kind is kinds.POSITIONAL_OR_KEYWORD
        )
        named = (kinds.POSITIONAL_OR_KEYWORD, kinds.KEYWORD_ONLY)
        self._keyword_names = frozenset(p.name for p in parameters if p.kind in named)
        self._required_names = tuple(
            p.name for p in parameters if p.kind in named and p.default is kinds.empty
        )
        # Only named parameters: everything `**kwargs` collects sorts after them.
        self._parameter_order = {
            p.name: index for index, p in enumerate(parameters) if p.kind is not kinds.VAR_KEYWORD
        }
        self._var_keyword = next((p.name for p in parameters if p.kind is kinds.VAR_KEYWORD), None)
        self._fast = not any(
            p.kind in (kinds.POSITIONAL_ONLY, kinds.VAR_POSITIONAL) for p in parameters
        )

    def bind(self, args: tuple, kwargs: dict[str, Any]) -> dict[str, Any]:
        """`{argument name: value}` for the arguments actually passed (no defaults).

        Values collected by a `**kwargs` parameter appear under their own names, after
        the named parameters, which come in signature order (as `inspect` orders them).
        """
        if self._fast and len(args) <= len(self._positional_names):
            inputs = dict(zip(self._positional_names, args))
            fits = all(
                name not in inputs and (name in self._keyword_names or self._var_keyword)
                for name in kwargs
            )
            if fits and all(name in inputs or name in kwargs for name in self._required_names):
                if not kwargs:
                    return inputs
                inputs.update(kwargs)
                order = self._parameter_order
                last = len(order)
                return dict(sorted(inputs.items(), key=lambda item: order.get(item[0], last)))
        inputs = dict(self.signature.bind(*args, **kwargs).arguments)
        if self._var_keyword is not None and self._var_keyword in inputs:
            inputs.update(inputs.pop(self._var_keyword))
        return inputs


def call_signature(run_signature: inspect.Signature) -> inspect.Signature:
    """`run`'s signature with `__call__`'s keyword-only extras, returning a `Task`."""
    parameters = list(run_signature.parameters.values())
    var_keyword = [p for p in parameters if p.kind is inspect.Parameter.VAR_KEYWORD]
    others = [p for p in parameters if p.kind is not inspect.Parameter.VAR_KEYWORD]
    return run_signature.replace(
        parameters=[*others, *CALL_EXTRAS, *var_keyword], return_annotation="Task"
    )


def infer_nout(annotation: Any) -> int | None:
    """The number of outputs promised by a `Tuple[...]` return annotation, else `None`.

    Annotations are read as written, never evaluated: a string annotation gives `None`.
    """
    try:
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
