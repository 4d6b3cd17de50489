"""Small collection helpers: attribute-access dicts, deep merges, flattening.

* `DotDict` is a mutable mapping whose items are also attributes (`d.a is d["a"]`).
* `merge_dicts` merges nested mappings without touching its inputs.
* `as_nested_dict` converts nested mappings (also inside lists, tuples and sets) to one
  mapping class, e.g. to turn a context into plain `dict`s.
* `flatten_seq` flattens arbitrarily nested iterables, keeping strings and bytes whole.
* `dict_to_flatdict` / `flatdict_to_dict` convert between nested dicts and flat dicts keyed
  by `CompoundKey` paths; the configuration loader works on the flat form.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from typing import Any

__all__ = [
    "CompoundKey",
    "DotDict",
    "as_nested_dict",
    "dict_to_flatdict",
    "flatdict_to_dict",
    "flatten_seq",
    "merge_dicts",
]


class DotDict(MutableMapping):
    """A mutable mapping whose items are stored as instance attributes.

    `d.key` and `d["key"]` read the same value; keys that are not identifiers are only
    reachable with `[]`. A missing attribute raises `AttributeError`, a missing item
    `KeyError`. Nested dicts given to the constructor are kept as they are (not converted).

    Args:
        - init_dict (Mapping, optional): initial items
        - **kwargs: more initial items (they win over `init_dict`)
    """

    def __init__(self, init_dict: Mapping | None = None, **kwargs: Any) -> None:
        if init_dict:
            self.update(init_dict)
        self.update(kwargs)

    def __getitem__(self, key: Any) -> Any:
        return self.__dict__[key]

    def __setitem__(self, key: Any, value: Any) -> None:
        self.__dict__[key] = value

    def __delitem__(self, key: Any) -> None:
        del self.__dict__[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.__dict__)

    def __len__(self) -> int:
        return len(self.__dict__)

    def __contains__(self, key: object) -> bool:
        return key in self.__dict__

    def get(self, key: Any, default: Any = None) -> Any:
        """Return the value for `key`, or `default` if it is missing."""
        return self.__dict__.get(key, default)

    def copy(self) -> DotDict:
        """Return a shallow copy of the same type."""
        return type(self)(self.__dict__.copy())

    def to_dict(self) -> dict:
        """Return a plain `dict` copy, converting nested mappings recursively."""
        return as_nested_dict(self, dict)

    def __repr__(self) -> str:
        name = type(self).__name__
        if not len(self):
            return f"<{name}>"
        return f"<{name}: {', '.join(sorted(repr(key) for key in self.keys()))}>"


def merge_dicts(d1: MutableMapping, d2: Mapping) -> MutableMapping:
    """Return a copy of `d1` updated from `d2`, merging recursively where both values
    are mappings. Neither input is modified.

    Args:
        - d1 (MutableMapping): the base mapping (its type is kept)
        - d2 (Mapping): the mapping whose values win
    """
    merged = d1.copy()
    for key, value in d2.items():
        current = merged.get(key)
        if isinstance(current, Mapping) and isinstance(value, Mapping):
            merged[key] = merge_dicts(current, value)
        else:
            merged[key] = value
    return merged


def as_nested_dict(obj: Any, dct_class: type = DotDict) -> Any:
    """Convert `obj` and every dict/`DotDict` nested in it to `dct_class`.

    Lists, tuples (named tuples too) and sets are rebuilt with the same container type
    so that mappings inside them are converted; any other value is returned as is.

    Args:
        - obj (Any): the object to convert
        - dct_class (type, optional): the mapping class to build (default `DotDict`)
    """
    if isinstance(obj, (dict, DotDict)):
        return dct_class({key: as_nested_dict(value, dct_class) for key, value in obj.items()})
    if isinstance(obj, (list, tuple, set)):
        items = [as_nested_dict(item, dct_class) for item in obj]
        if isinstance(obj, tuple) and hasattr(obj, "_fields"):
            return type(obj)(*items)
        return type(obj)(items)
    return obj


def flatten_seq(seq: Iterable) -> Iterator[Any]:
    """Yield the items of arbitrarily nested iterables in order.

    `str` and `bytes` are treated as single items: `[1, [2, ["ab"]]]` yields 1, 2, "ab".
    """
    for item in seq:
        if isinstance(item, Iterable) and not isinstance(item, (str, bytes)):
            yield from flatten_seq(item)
        else:
            yield item


class CompoundKey(tuple):
    """A path of keys into a nested dict, used as the key of a flat dict."""


def dict_to_flatdict(dct: Mapping, parent: CompoundKey | None = None) -> dict:
    """Flatten a nested dict to `{CompoundKey(path): value}`.

    Only `dict` values (including `Config`) are descended into; an empty nested dict
    contributes no keys.

    Args:
        - dct (Mapping): the nested mapping
        - parent (CompoundKey, optional): a path prefix for every key
    """
    prefix = tuple(parent or ())
    flat: dict = {}
    for key, value in dct.items():
        path = CompoundKey((*prefix, key))
        if isinstance(value, dict):
            flat.update(dict_to_flatdict(value, parent=path))
        else:
            flat[path] = value
    return flat


def flatdict_to_dict(dct: Mapping, dct_class: type | None = None) -> Any:
    """Rebuild a nested dict from a flat dict made by `dict_to_flatdict`.

    Keys that are not `CompoundKey`s are kept at the top level. When one path is a prefix
    of another (`("a",)` and `("a", "b")`), the later key in `dct` wins instead of raising.

    Args:
        - dct (Mapping): the flat mapping
        - dct_class (type, optional): the mapping class for every level (default `dict`)
    """
    new_mapping = dct_class or dict
    result = new_mapping()
    for key, value in dct.items():
        if not isinstance(key, CompoundKey):
            result[key] = value
            continue
        level = result
        for part in key[:-1]:
            child = level.get(part)
            if not isinstance(child, MutableMapping):
                child = level[part] = new_mapping()
            level = child
        level[key[-1]] = value
    return result
