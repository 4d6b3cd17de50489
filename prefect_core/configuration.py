"""The configuration of prefect_core: loading, interpolation and the `Config` mapping.

`config` is loaded once, at import, by `load_default_config()`, in this order (later wins):

1. the packaged defaults (`DEFAULT_CONFIG`, `prefect_core/config.toml`);
2. the user file `USER_CONFIG` and then the backend file `BACKEND_CONFIG`, when they exist
   (deep-merged);
3. environment variables `PREFECT__SECTION__KEY`, then `PREFECT_CORE__SECTION__KEY` (so the
   documented `PREFECT_CORE__` form wins when both name one key);
4. interpolation: `$VAR`/`~` expansion and type casting of every string, then `${a.b}`
   references to other keys;
5. validation (no key may shadow a `Config` method) and task defaults processing.

The loaded `Config` is *shared*: the context refers to this very object and nothing copies
it, so changing `prefect_core.config` at run time takes effect. `Config.overlay(partial)`
returns a `ConfigView`, a read-through view used by `prefect_core.context(config={...})`:
the keys named in `partial` (at any depth) override, all others read the underlying config.
"""

from __future__ import annotations

import datetime
import json
import os
import re
from ast import literal_eval
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import toml

from prefect_core.utilities.collections import (
    CompoundKey,
    as_nested_dict,
    dict_to_flatdict,
    flatdict_to_dict,
    merge_dicts,
)

__all__ = [
    "BACKEND_CONFIG",
    "DEFAULT_CONFIG",
    "ENV_VAR_PREFIX",
    "LEGACY_ENV_VAR_PREFIX",
    "USER_CONFIG",
    "Config",
    "ConfigKeyError",
    "ConfigView",
    "config",
    "create_user_config",
    "interpolate_config",
    "interpolate_env_vars",
    "load_configuration",
    "load_default_config",
    "load_toml",
    "process_task_defaults",
    "string_to_type",
    "to_environment_variables",
    "validate_config",
]

ENV_VAR_PREFIX = "PREFECT_CORE"
"""Prefix of the documented environment variables (`PREFECT_CORE__LOGGING__LEVEL`)."""

LEGACY_ENV_VAR_PREFIX = "PREFECT"
"""Prefix read for drop-in compatibility with Prefect 1.4.1 (`PREFECT__LOGGING__LEVEL`)."""

ENV_VAR_PREFIXES = (LEGACY_ENV_VAR_PREFIX, ENV_VAR_PREFIX)
"""Prefixes applied by `load_default_config`, in order: the later one wins."""

DEFAULT_CONFIG = os.path.join(os.path.dirname(__file__), "config.toml")


def _path_from_env(name: str, default: str) -> str:
    """Read `PREFECT_CORE__<name>`, else `PREFECT__<name>`, else `default`."""
    return (
        os.environ.get(f"{ENV_VAR_PREFIX}__{name}")
        or os.environ.get(f"{LEGACY_ENV_VAR_PREFIX}__{name}")
        or default
    )


USER_CONFIG = _path_from_env("USER_CONFIG_PATH", "~/.prefect_core/config.toml")
BACKEND_CONFIG = _path_from_env("BACKEND_CONFIG_PATH", "~/.prefect_core/backend.toml")

_REFERENCE = re.compile(r"\$\{([^${}]+)\}")
_MAX_INTERPOLATION_ROUNDS = 10


class ConfigKeyError(KeyError, AttributeError):
    """A configuration key is missing; both a `KeyError` and an `AttributeError`."""

    def __str__(self) -> str:
        return f"Config has no key {self.args[0]!r}" if self.args else "Config has no such key"


def _as_config(value: Any) -> Any:
    """Wrap a plain dict in a `Config` (recursively); return anything else unchanged."""
    if isinstance(value, dict) and not isinstance(value, Config):
        return Config(value)
    return value


class Config(dict):
    """A dict with attribute access, whose nested dicts are `Config`s too.

    `config.logging.level` is `config["logging"]["level"]`; assigning an attribute sets a
    key. A missing key raises `ConfigKeyError` (a `KeyError` and an `AttributeError`).
    Keys that would shadow a method (`"keys"`, `"copy"`, ...) are rejected with
    `ValueError('Invalid config key: "keys"')`.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()
        # The instance's attribute dict is the mapping itself, so `config.key` is a plain
        # C-level attribute lookup (attribute reads are on the engine's hot path).
        object.__setattr__(self, "__dict__", self)
        self.update(*args, **kwargs)

    # Only reached when the key is missing (or, in a `ConfigView`, read through to the
    # base): the item lookup ends in `__missing__`.
    __getattr__ = dict.__getitem__

    def __missing__(self, key: Any) -> Any:
        raise ConfigKeyError(key)

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value

    def __delattr__(self, name: str) -> None:
        try:
            del self[name]
        except KeyError:
            raise ConfigKeyError(name) from None

    def __setitem__(self, key: Any, value: Any) -> None:
        if key in _RESERVED_KEYS:
            raise ValueError(f'Invalid config key: "{key}"')
        super().__setitem__(key, _as_config(value))

    def __reduce__(self) -> tuple:
        return (Config, (dict(self),))

    def __ior__(self, other: Any) -> Config:
        self.update(other)
        return self

    def update(self, other: Any = (), /, **kwargs: Any) -> None:
        """Set keys from a mapping or an iterable of pairs, converting dicts to `Config`."""
        pairs = other.items() if isinstance(other, Mapping) else other
        for key, value in pairs:
            self[key] = value
        for key, value in kwargs.items():
            self[key] = value

    def setdefault(self, key: Any, default: Any = None) -> Any:
        """Return `self[key]`, first setting it to `default` when missing."""
        if key not in self:
            self[key] = default
        return self[key]

    def copy(self) -> Config:
        """Return a new `Config` at every level; leaf values are shared, not copied."""
        return Config(
            {
                key: value.copy() if isinstance(value, Config) else value
                for key, value in self.items()
            }
        )

    def to_dict(self) -> dict:
        """Return a plain nested `dict` copy."""
        return as_nested_dict(self, dict)

    def to_json(self, **json_kwargs: Any) -> str:
        """Return the configuration as JSON text (`json_kwargs` go to `json.dumps`)."""
        return json.dumps(self.to_dict(), **json_kwargs)

    def overlay(self, partial: Mapping) -> ConfigView:
        """Return a read-through view of this config with `partial` laid over it.

        Keys named in `partial` override; a mapping given for an existing section is itself
        laid over that section, so `{"flows": {"checkpointing": True}}` changes one key and
        every other key, in every section, still reads this config. Nothing is copied.
        """
        view = ConfigView(self)
        for key, value in partial.items():
            section = self.get(key)
            if isinstance(value, Mapping) and isinstance(section, Config):
                value = section.overlay(value)
            view[key] = value
        return view

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.to_dict()!r})"


class ConfigView(Config):
    """A `Config` whose own keys overlay a base `Config` that every other key reads through.

    Made by `Config.overlay`. Reads, `in`, iteration, `len`, `keys`/`items`/`values`, `get`
    and equality see the merged result. Writes (`view.key = value`, `update`, `setdefault`)
    go to the view's own layer and never reach the base; `del`/`pop`/`clear` act on that
    layer only. `copy()`, pickling and deep copies produce a plain `Config` snapshot.
    """

    __slots__ = ("_base",)

    def __init__(self, base: Config) -> None:
        object.__setattr__(self, "_base", base)
        super().__init__()

    def __missing__(self, key: Any) -> Any:
        return self._base[key]

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or key in self._base

    def get(self, key: Any, default: Any = None) -> Any:
        """Return the value for `key` (own layer first, then the base), else `default`."""
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        return self._base.get(key, default)

    def __iter__(self) -> Iterator[Any]:
        yield from self._base
        for key in dict.__iter__(self):
            if key not in self._base:
                yield key

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def _merged(self) -> dict:
        return {key: self[key] for key in self}

    def keys(self) -> Any:
        """Return the merged keys (a snapshot)."""
        return self._merged().keys()

    def items(self) -> Any:
        """Return the merged items (a snapshot)."""
        return self._merged().items()

    def values(self) -> Any:
        """Return the merged values (a snapshot)."""
        return self._merged().values()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mapping):
            return NotImplemented
        return self._merged() == dict(other.items())

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __reduce__(self) -> tuple:
        return (Config, (self._merged(),))


# Besides every attribute of `Config`, the names python-box gives Prefect 1.4.1's Config are
# rejected too, so that a file accepted by prefect_core is also accepted by 1.4.1.
_BOX_ATTRIBUTE_NAMES = frozenset(
    {
        "from_json",
        "from_msgpack",
        "from_toml",
        "from_yaml",
        "merge_update",
        "to_dict",
        "to_json",
        "to_msgpack",
        "to_toml",
        "to_yaml",
    }
)
_RESERVED_KEYS = frozenset(dir(ConfigView)) | _BOX_ATTRIBUTE_NAMES


def string_to_type(val: str) -> Any:
    """Cast a string: `"true"`/`"false"` (any case) to bool, else a Python literal
    (`"4200"` → 4200, `"[]"` → [], `"None"` → None) when it parses, else the string."""
    lowered = val.lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    try:
        return literal_eval(val)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return val


def interpolate_env_vars(env_var: Any) -> Any:
    """Expand `$VAR`/`${VAR}` and `~` in a string, repeatedly, until it stops changing.

    Non-strings and `""` are returned unchanged. The result is type-cast with
    `string_to_type` only when expansion changed the text in at least two rounds (a nested
    variable). Returns `None` when the text still changes after 10 rounds (a cycle).
    """
    if not env_var or not isinstance(env_var, str):
        return env_var
    text = env_var
    for rounds in range(_MAX_INTERPOLATION_ROUNDS):
        expanded = os.path.expanduser(os.path.expandvars(text))
        if expanded == text:
            return string_to_type(expanded) if rounds > 1 else expanded
        text = expanded
    return None


def create_user_config(dest_path: str, source_path: str = DEFAULT_CONFIG) -> None:
    """Copy the file at `source_path` (the defaults) to `dest_path` for the user to edit.

    Raises:
        - ValueError: if `dest_path` already exists
    """
    destination = str(interpolate_env_vars(dest_path))
    if os.path.isfile(destination):
        raise ValueError(f"File already exists: {destination}")
    os.makedirs(os.path.dirname(destination) or ".", exist_ok=True)
    with open(source_path, encoding="utf-8") as source:
        text = source.read()
    with open(destination, "w", encoding="utf-8") as dest:
        dest.write(text)


def load_toml(path: str) -> dict:
    """Load a TOML file (the path may use `$VAR` and `~`) into a plain dict."""
    return dict(toml.load(str(interpolate_env_vars(path))))


def _env_var_overrides(prefix: str) -> dict:
    """Collect `{CompoundKey: value}` from the `PREFIX__...` environment variables."""
    marker = f"{prefix}__"
    overrides = {}
    for name, raw in os.environ.items():
        if not name.startswith(marker) or len(name) == len(marker):
            continue
        parts = name[len(marker) :].split("__")
        if [part.upper() for part in parts[:2]] == ["CONTEXT", "SECRETS"] and len(parts) > 2:
            # secret names are case-sensitive
            parts = ["context", "secrets", *parts[2:]]
        else:
            parts = [part.lower() for part in parts]
        value = interpolate_env_vars(raw)
        overrides[CompoundKey(parts)] = string_to_type(value) if isinstance(value, str) else value
    return overrides


def _substitute_references(flat: dict) -> None:
    """Replace `${a.b}` references with the referenced values, in place (10 passes)."""

    def lookup(reference: str) -> Any:
        return flat.get(CompoundKey(reference.split(".")), "")

    pending = {key for key, value in flat.items() if isinstance(value, str) and "${" in value}
    for _ in range(_MAX_INTERPOLATION_ROUNDS):
        if not pending:
            return
        for key in list(pending):
            value = flat[key]
            whole = _REFERENCE.fullmatch(value)
            if whole:
                value = lookup(whole.group(1))
            else:
                value = _REFERENCE.sub(lambda match: str(lookup(match.group(1))), value)
            flat[key] = value
            if not (isinstance(value, str) and _REFERENCE.search(value)):
                pending.discard(key)


def interpolate_config(
    config: Mapping, env_var_prefix: str | Sequence[str] | None = None
) -> Config:
    """Apply environment variables, expand and cast strings, resolve `${...}` references.

    Args:
        - config (Mapping): a nested configuration, e.g. from `load_toml`
        - env_var_prefix (str or sequence of str, optional): environment variables named
          `<prefix>__SECTION__KEY` set `section.key`; with several prefixes the later wins

    Returns:
        - Config: a new configuration
    """
    flat = dict_to_flatdict(config)
    if isinstance(env_var_prefix, str):
        env_var_prefix = (env_var_prefix,)
    for prefix in env_var_prefix or ():
        flat.update(_env_var_overrides(prefix))
    for key, value in flat.items():
        value = interpolate_env_vars(value)
        flat[key] = string_to_type(value) if isinstance(value, str) else value
    _substitute_references(flat)
    return flatdict_to_dict(flat, dct_class=Config)


def validate_config(config: Mapping) -> None:
    """Check, at every level, that no key shadows a `Config` attribute or method.

    Raises:
        - ValueError: `Invalid config key: "keys"` for the first offending key
    """
    for key, value in config.items():
        if key in _RESERVED_KEYS:
            raise ValueError(f'Invalid config key: "{key}"')
        if isinstance(value, Mapping):
            validate_config(value)


def load_configuration(
    path: str,
    user_config_path: str | None = None,
    backend_config_path: str | None = None,
    env_var_prefix: str | Sequence[str] | None = None,
) -> Config:
    """Load, merge, interpolate and validate a configuration.

    Args:
        - path (str): the base TOML file
        - user_config_path (str, optional): a TOML file merged over the base, if it exists
        - backend_config_path (str, optional): a TOML file merged after that, if it exists
        - env_var_prefix (str or sequence of str, optional): see `interpolate_config`
    """
    merged = load_toml(path)
    for extra_path in (user_config_path, backend_config_path):
        if extra_path and os.path.isfile(str(interpolate_env_vars(extra_path))):
            merged = merge_dicts(merged, load_toml(extra_path))
    loaded = interpolate_config(merged, env_var_prefix=env_var_prefix)
    validate_config(loaded)
    return loaded


def process_task_defaults(config: Config) -> Config:
    """Normalise `tasks.defaults` in place and return `config`.

    `max_retries` falsy or absent → 0; `retry_delay` false or absent → None, a number →
    `timedelta(seconds=number)`; `timeout` false or absent → None.
    """
    defaults = config.setdefault("tasks", Config()).setdefault("defaults", Config())
    defaults["max_retries"] = defaults.get("max_retries") or 0
    retry_delay = defaults.get("retry_delay", False)
    if retry_delay is False:
        defaults["retry_delay"] = None
    elif isinstance(retry_delay, (int, float)) and not isinstance(retry_delay, bool):
        defaults["retry_delay"] = datetime.timedelta(seconds=retry_delay)
    if defaults.get("timeout", False) is False:
        defaults["timeout"] = None
    return config


def to_environment_variables(
    config: Mapping, include: Iterable[str] | None = None, prefix: str = "PREFECT"
) -> dict:
    """Flatten `config` to `{"PREFIX__SECTION__KEY": str(value)}`.

    Args:
        - config (Mapping): the configuration
        - include (iterable of str, optional): dotted keys (`"logging.level"`) to keep;
          all keys when omitted
        - prefix (str, optional): the variable prefix (default `"PREFECT"`)
    """
    wanted = set(include) if include else None
    return {
        "__".join([prefix, *map(str, key)]).upper(): str(value)
        for key, value in dict_to_flatdict(config).items()
        if wanted is None or ".".join(map(str, key)) in wanted
    }


def load_default_config() -> Config:
    """Load the configuration from the default locations and environment variables."""
    loaded = load_configuration(
        path=DEFAULT_CONFIG,
        user_config_path=USER_CONFIG,
        backend_config_path=BACKEND_CONFIG,
        env_var_prefix=ENV_VAR_PREFIXES,
    )
    return process_task_defaults(loaded)


config: Config = load_default_config()
