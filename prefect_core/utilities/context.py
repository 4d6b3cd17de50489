"""The run context: thread-local key/value data shared by the engine and user code.

`context` (exported as `prefect_core.context`) is the single `Context` of the process.

Design
------
Each thread holds one plain, flat `dict`: the *current* context of that thread. Reading a key
(`context.flow_name`, `context["flow_name"]`, `context.get("flow_name")`) is one lookup in
that dict. `with context(updates):` installs `{**current, **updates}` (a shallow copy: values
are shared, never copied) and, on exit, puts the previous dict back, so keys added or
reassigned inside the block vanish and nesting works. Outside any block, assignments
(`context.key = value`) change the thread's base dict and persist.

A new thread starts from the constructor state only: key `config` plus the keys of the
`[context]` configuration section. It does not see keys set in other threads; the engine
passes the full dict of a task run to the thread that runs it.

`context.config` is the shared `prefect_core.configuration.config` object, never a copy.
A `config` value that is a plain mapping (not a `Config`), whether given to `context(...)`,
assigned, or passed to `update`/`setdefault`, is laid over the current config as a
read-through `ConfigView` (see `Config.overlay`): the keys it names override, every other
key reads the current config. A `Config` value (such as the global config, or a view taken
from another context) is installed as it is.

Engine fast path
----------------
* `context.current()` returns the current thread's live dict: the cheapest way to read many
  keys, or to take a snapshot with `dict(context.current())` to hand to another thread.
  Treat it as read-only; writing to it is the same as assigning keys.
* `with context(task_context):` with one dict argument costs about one microsecond: the
  argument is merged into a new dict, nothing else is copied. Each call returns a
  single-use context manager. `saved = context._push(updates)` ... `context._restore(saved)`
  does the same in two calls (the task runner's form).
* `thread_state.current` (module attribute) is the current dict without a method call,
  for code that runs several times per task run (state constructors).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from typing import Any

from prefect_core import configuration
from prefect_core.configuration import Config
from prefect_core.utilities.collections import DotDict, as_nested_dict

__all__ = ["Context", "context"]


def _layered_config(current: Any, value: Any) -> Any:
    """Return the object to store under `config`: a partial mapping becomes a view over
    the current config; a `Config` (or anything else) is used as is."""
    if isinstance(value, Config) or not isinstance(value, Mapping):
        return value
    base = current if isinstance(current, Config) else configuration.config
    return base.overlay(value)


class _ThreadState(threading.local):
    """Holds `current`, the context dict of each thread (seeded on first use per thread)."""

    def __init__(self, initial: dict) -> None:
        self.current = dict(initial)


class _ContextBlock:
    """The context manager returned by `context(...)`; single use."""

    __slots__ = ("_context", "_updates", "_saved")

    def __init__(self, context: Context, updates: Mapping) -> None:
        self._context = context
        self._updates = updates

    def __enter__(self) -> Context:
        self._saved = self._context._push(self._updates)
        return self._context

    def __exit__(self, *exc_info: object) -> None:
        self._context._restore(self._saved)


class Context(DotDict):
    """Thread-local key/value store with attribute access (see the module docstring).

    Construction starts from the `[context]` configuration section, updates it with
    `dict(*args, **kwargs)` and sets `config` to the shared configuration (a partial
    `config` mapping in the arguments is laid over it as a view). That state seeds every
    thread.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        initial = dict(configuration.config.get("context") or {})
        initial.update(*args, **kwargs)
        given = initial.get("config")
        shared = configuration.config
        initial["config"] = shared if given is None else _layered_config(shared, given)
        object.__setattr__(self, "_state", _ThreadState(initial))

    def current(self) -> dict:
        """Return the current thread's live context dict (read it; do not keep it)."""
        return self._state.current

    def _push(self, updates: Mapping) -> dict:
        """Install `{**current, **updates}` (as entering `context(updates)` does) and
        return the previous dict, which the caller must put back with `_restore`."""
        state = self._state
        saved = state.current
        current = {**saved, **updates}
        if "config" in updates:
            current["config"] = _layered_config(saved.get("config"), updates["config"])
        state.current = current
        return saved

    def _restore(self, saved: dict) -> None:
        """Put back the dict `_push` returned."""
        self._state.current = saved

    def __call__(self, *args: Any, **kwargs: Any) -> _ContextBlock:
        """Return a context manager that adds `dict(*args, **kwargs)` for its block."""
        if len(args) == 1 and not kwargs:
            return _ContextBlock(self, args[0])
        return _ContextBlock(self, dict(*args, **kwargs))

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["_state"].current[name]
        except KeyError:
            raise AttributeError(f"'Context' object has no attribute '{name}'") from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value

    def __delattr__(self, name: str) -> None:
        try:
            del self[name]
        except KeyError:
            raise AttributeError(f"'Context' object has no attribute '{name}'") from None

    def __getitem__(self, key: Any) -> Any:
        return self._state.current[key]

    def __setitem__(self, key: Any, value: Any) -> None:
        current = self._state.current
        if key == "config":
            value = _layered_config(current.get("config"), value)
        current[key] = value

    def __delitem__(self, key: Any) -> None:
        del self._state.current[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._state.current)

    def __len__(self) -> int:
        return len(self._state.current)

    def __contains__(self, key: object) -> bool:
        return key in self._state.current

    def get(self, key: Any, default: Any = None) -> Any:
        """Return the value of `key`, or `default` if it is not set."""
        return self._state.current.get(key, default)

    def keys(self) -> Any:
        """Return the current keys."""
        return self._state.current.keys()

    def items(self) -> Any:
        """Return the current items."""
        return self._state.current.items()

    def values(self) -> Any:
        """Return the current values."""
        return self._state.current.values()

    def update(self, *args: Any, **kwargs: Any) -> None:
        """Set several keys (a `config` mapping is laid over the current config)."""
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def setdefault(self, key: Any, default: Any = None) -> Any:
        """Return the value of `key`, first setting it to `default` if it is not set."""
        current = self._state.current
        if key not in current:
            self[key] = default
        return current[key]

    def clear(self) -> None:
        """Remove every key from the current context (including `config`)."""
        self._state.current.clear()

    def copy(self) -> DotDict:
        """Return a shallow `DotDict` copy of the current keys."""
        return DotDict(self._state.current)

    def to_dict(self) -> dict:
        """Return a plain nested `dict` copy (the config too becomes plain dicts)."""
        return as_nested_dict(self._state.current, dict)

    def __repr__(self) -> str:
        return "<Context>"

    def __reduce_ex__(self, protocol: Any) -> Any:
        raise TypeError(
            "Pickling context objects is explicitly not supported. You should always "
            "access context as an attribute of the `prefect_core` module, as in "
            "`prefect_core.context`"
        )


context = Context()
thread_state = context._state
