"""Operator tasks: indexing, attribute access, arithmetic, logic and comparisons.

`Task`'s operator overloads create these (`t + 1` is an `Add`, `t[0]` a `GetItem`);
they can also be used explicitly. Annotations are evaluated (no postponed annotations),
so `inputs()`/`outputs()` report `typing.Any` rather than the string "Any".
"""

import operator
from typing import Any

from prefect_core.core.task import NoDefault, Task
from prefect_core.utilities.tasks import defaults_from_attrs


class GetItem(Task):
    """`task_result[key]`; a missing key gives `default` when one was set."""

    def __init__(self, default: Any = NoDefault.value, **task_kwargs: Any) -> None:
        self.default = default
        super().__init__(**task_kwargs)

    @defaults_from_attrs("default")
    def run(self, task_result: Any, key: Any, default: Any = NoDefault.value) -> Any:
        """Index `task_result` with `key`."""
        try:
            return task_result[key]
        except KeyError:
            if default is NoDefault.value:
                raise
            return default


class GetAttr(Task):
    """`task_result.<attr>` (dotted paths allowed); a missing one gives `default` if set."""

    def __init__(self, default: Any = NoDefault.value, **task_kwargs: Any) -> None:
        self.default = default
        super().__init__(**task_kwargs)

    @defaults_from_attrs("default")
    def run(self, task_result: Any, attr: str, default: Any = NoDefault.value) -> Any:
        """Read the attribute `attr` of `task_result`."""
        try:
            return operator.attrgetter(attr)(task_result)
        except AttributeError:
            if default is NoDefault.value:
                raise
            return default


class Add(Task):
    """`x + y`."""

    def run(self, x: Any, y: Any) -> Any:
        """Add."""
        return x + y


class Sub(Task):
    """`x - y`."""

    def run(self, x: Any, y: Any) -> Any:
        """Subtract."""
        return x - y


class Mul(Task):
    """`x * y`."""

    def run(self, x: Any, y: Any) -> Any:
        """Multiply."""
        return x * y


class Div(Task):
    """`x / y`."""

    def run(self, x: Any, y: Any) -> Any:
        """Divide."""
        return x / y


class FloorDiv(Task):
    """`x // y`."""

    def run(self, x: Any, y: Any) -> Any:
        """Divide, rounding down."""
        return x // y


class Pow(Task):
    """`x ** y`."""

    def run(self, x: Any, y: Any) -> Any:
        """Raise to a power."""
        return x**y


class Mod(Task):
    """`x % y`."""

    def run(self, x: Any, y: Any) -> Any:
        """Remainder."""
        return x % y


class And(Task):
    """`x and y`."""

    def run(self, x: Any, y: Any) -> Any:
        """Logical and."""
        return x and y


class Or(Task):
    """`x or y`."""

    def run(self, x: Any, y: Any) -> Any:
        """Logical or."""
        return x or y


class Not(Task):
    """`not x`."""

    def run(self, x: Any) -> bool:
        """Logical not."""
        return not x


class Equal(Task):
    """`x == y`."""

    def run(self, x: Any, y: Any) -> bool:
        """Compare for equality."""
        return x == y


class NotEqual(Task):
    """`x != y`."""

    def run(self, x: Any, y: Any) -> bool:
        """Compare for inequality."""
        return x != y


class GreaterThan(Task):
    """`x > y`."""

    def run(self, x: Any, y: Any) -> bool:
        """Compare."""
        return x > y


class GreaterThanOrEqual(Task):
    """`x >= y`."""

    def run(self, x: Any, y: Any) -> bool:
        """Compare."""
        return x >= y


class LessThan(Task):
    """`x < y`."""

    def run(self, x: Any, y: Any) -> bool:
        """Compare."""
        return x < y


class LessThanOrEqual(Task):
    """`x <= y`."""

    def run(self, x: Any, y: Any) -> bool:
        """Compare."""
        return x <= y
