"""Dump or load one marshmallow field on its own, for the field tests."""

from marshmallow import Schema


class Holder:
    """An object with one attribute, `value`, to dump."""

    def __init__(self, value):
        self.value = value


def dump_field(field, value):
    """`field`'s dump of `value`, read as the `value` attribute of a `Holder`."""
    return Schema.from_dict({"value": field})().dump(Holder(value))["value"]


def load_field(field, value):
    """`field`'s load of `value`, given under the key `"value"`."""
    return Schema.from_dict({"value": field})().load({"value": value})["value"]
