"""Objects and functions stored by name: qualified names, and the marshmallow fields that
store functions (`FunctionReference`) or closures made by factories
(`StatefulFunctionReference`) as references.

Loading resolves a reference only among the valid functions given to the field, so a
payload can never make prefect_core import or call anything else. Names written by Prefect
1.4.1 (`prefect.triggers.all_successful`) are also read as `prefect_core.` names.

Re-exported by `prefect_core.utilities.serialization`, where the spec places these names.
"""

from __future__ import annotations

import datetime
import inspect
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from marshmallow import ValidationError, fields

__all__ = [
    "FunctionReference",
    "StatefulFunctionReference",
    "from_qualified_name",
    "to_qualified_name",
]


# -- qualified names ----------------------------------------------------------------------


def to_qualified_name(obj: Any) -> str:
    """`obj.__module__ + "." + obj.__qualname__`, e.g. `"prefect_core.core.flow.Flow"`."""
    return obj.__module__ + "." + obj.__qualname__


def _as_prefect_core_name(path: str) -> str | None:
    """The `prefect_core.` spelling of a name written by Prefect 1.4.1 (`prefect.`), if any."""
    if path == "prefect" or path.startswith("prefect."):
        return "prefect_core" + path[len("prefect") :]
    return None


def _lookup_imported(path: str) -> Any:
    parts = path.split(".")
    for i in range(len(parts), 0, -1):
        module = sys.modules.get(".".join(parts[:i]))
        if module is not None:
            obj: Any = module
            for part in parts[i:]:
                obj = getattr(obj, part)
            return obj
    raise LookupError(path)


def from_qualified_name(path: str) -> Any:
    """The object named `path`, found among the modules **already imported**.

    The longest imported module prefix of `path` is taken and the rest is walked with
    `getattr`; nothing is imported. A name written by Prefect 1.4.1 (`prefect.x.y`) is
    also tried as `prefect_core.x.y`.

    Raises:
        ValueError: `Couldn't load "<path>"; maybe it hasn't been imported yet?`
    """
    for candidate in (path, _as_prefect_core_name(path)):
        if candidate is None:
            continue
        try:
            return _lookup_imported(candidate)
        except Exception:
            continue
    raise ValueError(f'Couldn\'t load "{path}"; maybe it hasn\'t been imported yet?')


# -- function references --------------------------------------------------------------------


def _valid_function_names(valid_functions: Iterable[Callable]) -> dict[str, Callable]:
    return {to_qualified_name(function): function for function in valid_functions}


def _known_name(name: Any, valid: dict[str, Callable]) -> str | None:
    """`name`, or its `prefect_core.` spelling, if it is among the valid names."""
    if not isinstance(name, str):
        return None
    if name in valid:
        return name
    rewritten = _as_prefect_core_name(name)
    return rewritten if rewritten in valid else None


class FunctionReference(fields.Field):
    """A function stored by qualified name and loaded from a list of valid functions.

    Args:
        valid_functions: the functions that may be stored and loaded.
        reject_invalid: raise `ValidationError` for others; otherwise dump any function's
            name and load an unknown name as the string itself.
    """

    def __init__(
        self, valid_functions: Iterable[Callable], reject_invalid: bool = True, **kwargs: Any
    ) -> None:
        self.valid_functions = _valid_function_names(valid_functions)
        self.reject_invalid = reject_invalid
        super().__init__(**kwargs)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if value is None:
            return None
        if value not in self.valid_functions.values() and self.reject_invalid:
            raise ValidationError(f"Invalid function reference: {value!r}")
        return to_qualified_name(value)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        name = _known_name(value, self.valid_functions)
        if name is not None:
            return self.valid_functions[name]
        if self.reject_invalid:
            raise ValidationError(f"Invalid function reference: {value!r}")
        return value


_DATETIME_MARK = "//datetime:"
_TIME_MARK = "//time:"
_TIMEDELTA_MARK = "//timedelta:"


def _encode_argument(value: Any) -> Any:
    # `datetime` before `time`: datetimes are not `time` instances, but keep the order clear.
    if isinstance(value, datetime.datetime):
        return _DATETIME_MARK + value.isoformat()
    if isinstance(value, datetime.time):
        return _TIME_MARK + value.isoformat()
    if isinstance(value, datetime.timedelta):
        return _TIMEDELTA_MARK + str(value.total_seconds())
    return value


def _decode_argument(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if value.startswith(_DATETIME_MARK):
        return datetime.datetime.fromisoformat(value[len(_DATETIME_MARK) :])
    if value.startswith(_TIME_MARK):
        return datetime.time.fromisoformat(value[len(_TIME_MARK) :])
    if value.startswith(_TIMEDELTA_MARK):
        return datetime.timedelta(seconds=float(value[len(_TIMEDELTA_MARK) :]))
    return value


class StatefulFunctionReference(fields.Field):
    """A function, or a closure made by a factory, stored as `{"fn": ..., "kwargs": ...}`.

    `fn` is the longest valid function name that the value's qualified name starts with
    (so the closure made by `some_successful(at_least=2)` is stored under
    `prefect_core.triggers.some_successful`), and `kwargs` the closure's free variables
    (datetimes, times and timedeltas written as `"//datetime:..."`, `"//time:..."`,
    `"//timedelta:<seconds>"`). Loading calls the factory with the kwargs again, or returns
    the function itself when there are none.

    Args:
        valid_functions: the functions and factories that may be stored and loaded.
        reject_invalid: raise `ValidationError` for any other function; otherwise store it
            under its own name (it loads as `None`, i.e. the caller's default).
    """

    def __init__(
        self, valid_functions: Iterable[Callable], reject_invalid: bool = True, **kwargs: Any
    ) -> None:
        self.valid_functions = _valid_function_names(valid_functions)
        self.reject_invalid = reject_invalid
        super().__init__(**kwargs)

    def _base_name(self, qualified_name: str) -> str | None:
        matches = [
            name
            for name in self.valid_functions
            if qualified_name == name or qualified_name.startswith(name + ".")
        ]
        return max(matches, key=len) if matches else None

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if value is None:
            return None
        try:
            qualified_name = to_qualified_name(value)
        except AttributeError:
            # e.g. a functools.partial or a callable object: there is no name to store.
            qualified_name = None
        base_name = None if qualified_name is None else self._base_name(qualified_name)
        if base_name is None and (self.reject_invalid or qualified_name is None):
            raise ValidationError(
                "When running with Prefect Cloud/Server, custom functions aren't supported "
                f"for `{type(obj).__name__}.{attr}`. Unable to serialize `{value!r}`."
            )
        try:
            nonlocals = dict(inspect.getclosurevars(value).nonlocals)
        except TypeError:  # a builtin: no closure
            nonlocals = {}
        arguments = {name: _encode_argument(item) for name, item in nonlocals.items()}
        return {"fn": base_name or qualified_name, "kwargs": arguments}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, Mapping) or "fn" not in value:
            raise ValidationError(f"Invalid function reference: {value!r}")
        arguments = value.get("kwargs") or {}
        if not isinstance(arguments, Mapping):
            raise ValidationError(f"Invalid function reference: {value!r}")
        name = _known_name(value["fn"], self.valid_functions)
        if name is None:
            if self.reject_invalid:
                raise ValidationError(f"Invalid function reference: {value!r}")
            return None
        function = self.valid_functions[name]
        if not arguments:
            return function
        try:
            decoded = {key: _decode_argument(item) for key, item in arguments.items()}
            return function(**decoded)
        except (TypeError, ValueError) as error:
            raise ValidationError(
                f"Invalid arguments for {name}: {dict(arguments)!r} ({error})"
            ) from None
