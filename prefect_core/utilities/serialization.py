"""The marshmallow machinery under `prefect_core.serialization`.

Works with marshmallow 3 (3.18 and later) and 4. marshmallow 4 removed `Schema.context`
and `Field.context`, so nothing here uses them: the state of one load operation (whether
to build objects, and the caches that tie tasks, edges and reference tasks together) lives
in a `contextvars.ContextVar` that the outermost `ObjectSchema.load` call sets and resets.
Nested loads share it; two loads, even on one schema instance, never do.

Loading never imports or calls anything a payload names, except through an allow-list:
states, results and clocks are chosen by class name among registered schemas (`OneOfSchema`),
functions (triggers, cache validators, schedule filters and adjustments) among the valid
functions of a `FunctionReference` / `StatefulFunctionReference`. The `"type"` strings of
tasks and flows are informative only. `from_qualified_name` is for names the program
itself chose; it imports nothing either.

Pieces:

* `to_qualified_name` / `from_qualified_name`: object <-> `"module.QualName"` (defined in
  `prefect_core.utilities.references`, with the function references).
* `ObjectSchema`: builds `Meta.object_class(**fields)` after loading, adds and drops
  `"__version__"`, ignores unknown keys, reads attributes with `getattr`.
* `OneOfSchema`: dispatches on a `"type"` key (a local replacement for
  `marshmallow-oneofschema`).
* Fields: `JSONCompatible`, `Nested` (value chosen by a function), `SortedList`, `Bytes`,
  `UUID`, `DateTimeTZ` (a datetime with its zone name), `FunctionReference` and
  `StatefulFunctionReference` (functions stored by name, closures by factory name plus
  arguments).
"""

from __future__ import annotations

import base64
import binascii
import contextvars
import datetime
import functools
import json
import re
import types
import zoneinfo
from collections.abc import Callable, Mapping
from typing import Any

from marshmallow import (
    EXCLUDE,
    Schema,
    SchemaOpts,
    ValidationError,
    fields,
    missing,
    post_dump,
    post_load,
    pre_load,
)
from marshmallow.orderedset import OrderedSet

from prefect_core._version import __version__
from prefect_core.utilities.references import (
    FunctionReference,
    StatefulFunctionReference,
    from_qualified_name,
    to_qualified_name,
)

__all__ = [
    "UUID",
    "Bytes",
    "DateTimeTZ",
    "FunctionReference",
    "JSONCompatible",
    "Nested",
    "ObjectSchema",
    "OneOfSchema",
    "SortedList",
    "StatefulFunctionReference",
    "from_qualified_name",
    "load_cache",
    "to_qualified_name",
    "zone_from_name",
    "zone_name",
]


# -- the state of one load operation ------------------------------------------------------


class _LoadScope:
    """What one top-level `load` call shares with the loads nested in it."""

    def __init__(self, create_object: bool, caches: dict[str, dict] | None = None) -> None:
        self.create_object = create_object
        self.caches: dict[str, dict] = caches if caches is not None else {}


_load_scope: contextvars.ContextVar[_LoadScope | None] = contextvars.ContextVar(
    "prefect_core_load_scope", default=None
)


def load_cache(name: str) -> dict:
    """The cache called `name` of the load operation in progress (e.g. tasks by slug).

    Outside a load a new, empty dict is returned, so nothing is ever shared by accident.
    """
    scope = _load_scope.get()
    if scope is None:
        return {}
    return scope.caches.setdefault(name, {})


def _creating_objects() -> bool:
    scope = _load_scope.get()
    return True if scope is None else scope.create_object


def _load_in_scope(load: Callable[[], Any], create_object: bool | None) -> Any:
    """Run `load` in the current load scope, opening one if none is open.

    An explicit `create_object` inside an open scope opens an inner scope sharing its
    caches.
    """
    scope = _load_scope.get()
    if scope is not None and create_object is None:
        return load()
    if scope is None:
        new_scope = _LoadScope(True if create_object is None else create_object)
    else:
        new_scope = _LoadScope(bool(create_object), scope.caches)
    token = _load_scope.set(new_scope)
    try:
        return load()
    finally:
        _load_scope.reset(token)


# -- ObjectSchema ---------------------------------------------------------------------------


class ObjectSchemaOptions(SchemaOpts):
    """`class Meta` options of an `ObjectSchema`.

    * `object_class`: the class to build (or a zero-argument function returning it, to
      break import cycles);
    * `exclude_fields`: loaded fields not passed to its constructor;
    * `unknown`: unknown input keys are excluded (ignored) unless set otherwise.
    """

    def __init__(self, meta: Any, **kwargs: Any) -> None:
        super().__init__(meta, **kwargs)
        self.object_class = getattr(meta, "object_class", None)
        self.exclude_fields = list(getattr(meta, "exclude_fields", None) or [])
        self.unknown = getattr(meta, "unknown", EXCLUDE)


class ObjectSchema(Schema):
    """A schema that loads into an instance of `Meta.object_class`.

    Dumps carry `"__version__": prefect_core.__version__`; loads ignore it (payloads from
    Prefect 1.4.1 carry `"1.4.1"` and load the same way). `load(data, create_object=False)`
    returns the validated dict instead of an object, for this load and the loads nested
    in it. Subclasses customise construction by overriding `create_object(data)`.
    """

    OPTIONS_CLASS = ObjectSchemaOptions
    opts: ObjectSchemaOptions
    # Keys come out in declaration order, and fields load in that order (a flow's
    # parameters before its tasks). marshmallow 3.26+ always does this; earlier 3.x
    # releases used an unordered set unless told otherwise.
    set_class = OrderedSet

    class Meta:
        object_class: Any = None
        exclude_fields: list[str] = []
        unknown = EXCLUDE

    def get_attribute(self, obj: Any, attr: str, default: Any) -> Any:
        """Read `attr` of an object with `getattr` (marshmallow would try `obj[attr]`
        first, which on a `Task` builds a `GetItem` task); mappings are indexed."""
        if isinstance(obj, Mapping):
            return super().get_attribute(obj, attr, default)
        return getattr(obj, attr, default)

    @pre_load
    def _remove_version(self, data: Any, **kwargs: Any) -> Any:
        if isinstance(data, Mapping) and "__version__" in data:
            data = {key: value for key, value in data.items() if key != "__version__"}
        return data

    @post_dump
    def _add_version(self, data: dict, **kwargs: Any) -> dict:
        data.setdefault("__version__", __version__)
        return data

    def load(self, data: Any, create_object: bool | None = None, **kwargs: Any) -> Any:
        """Validate `data` and build the object (or, with `create_object=False`, the dict).

        Raises:
            marshmallow.ValidationError: the payload does not fit the schema.
        """
        return _load_in_scope(lambda: super(ObjectSchema, self).load(data, **kwargs), create_object)

    @post_load
    def _build(self, data: dict, **kwargs: Any) -> Any:
        if not _creating_objects():
            return data
        return self.create_object(data)

    def create_object(self, data: dict) -> Any:
        """`object_class(**data)` without the `exclude_fields`; `data` if there is no class."""
        object_class = self.opts.object_class
        if object_class is None:
            return data
        if isinstance(object_class, types.FunctionType):
            object_class = object_class()
        excluded = self.opts.exclude_fields
        return object_class(**{key: value for key, value in data.items() if key not in excluded})


# -- OneOfSchema ----------------------------------------------------------------------------


class OneOfSchema(Schema):
    """A schema that picks another schema by type name, stored in a `"type"` key.

    `type_schemas` maps type names to schema classes; `get_obj_type(obj)` names the type
    of an object to dump (default: its class name) and `get_data_type(data)` the type of a
    payload to load (default: its `"type"` value). Dumping an unregistered type raises
    `ValidationError({"_schema": "Unsupported object type: X"})`; loading one raises
    `ValidationError({"type": ["Unsupported value: X"]})`. Unknown keys are ignored.
    """

    type_field = "type"
    type_schemas: dict[str, type[Schema]] = {}

    class Meta:
        unknown = EXCLUDE

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._schemas: dict[str, Schema] = {}

    def _schema(self, type_name: str) -> Schema:
        schema = self._schemas.get(type_name)
        if schema is None:
            schema = self._schemas[type_name] = self.type_schemas[type_name]()
        return schema

    def get_obj_type(self, obj: Any) -> str:
        """The type name under which `obj` is dumped."""
        return type(obj).__name__

    def get_data_type(self, data: Mapping[str, Any]) -> Any:
        """The type name of a payload (`missing` when it has none)."""
        return data.get(self.type_field, missing)

    def dump(self, obj: Any, *, many: bool | None = None, **kwargs: Any) -> Any:
        """Dump `obj` (or each of `obj`, with `many`) with the schema of its type."""
        many = self.many if many is None else bool(many)
        if many:
            return [self._dump_one(item) for item in obj]
        return self._dump_one(obj)

    def _dump_one(self, obj: Any) -> dict:
        type_name = self.get_obj_type(obj)
        if type_name not in self.type_schemas:
            raise ValidationError({"_schema": f"Unsupported object type: {type_name}"})
        result = self._schema(type_name).dump(obj)
        result[self.type_field] = type_name
        return result

    def load(
        self,
        data: Any,
        *,
        many: bool | None = None,
        partial: Any = None,
        unknown: Any = None,
        **kwargs: Any,
    ) -> Any:
        """Load a payload (or a list of them, with `many`) with the schema its type names."""
        many = self.many if many is None else bool(many)
        if not many:
            return self._load_one(data, partial, kwargs)
        if not isinstance(data, list):
            raise ValidationError({"_schema": ["Invalid input type."]})
        loaded, errors = [], {}
        for index, item in enumerate(data):
            try:
                loaded.append(self._load_one(item, partial, kwargs))
            except ValidationError as error:
                errors[index] = error.messages
        if errors:
            raise ValidationError(errors)
        return loaded

    def _load_one(self, data: Any, partial: Any, kwargs: dict) -> Any:
        if not isinstance(data, Mapping):
            raise ValidationError({"_schema": ["Invalid input type."]})
        type_name = self.get_data_type(data)
        if type_name is missing:
            raise ValidationError({self.type_field: ["Missing data for required field."]})
        if not isinstance(type_name, str) or type_name not in self.type_schemas:
            raise ValidationError({self.type_field: [f"Unsupported value: {type_name}"]})
        payload = {key: value for key, value in data.items() if key != self.type_field}
        return self._schema(type_name).load(payload, partial=partial, **kwargs)


# -- fields ---------------------------------------------------------------------------------


def _json_error(value: Any) -> Exception | None:
    try:
        json.dumps(value)
    except (TypeError, ValueError, OverflowError, RecursionError) as error:
        return error
    return None


class JSONCompatible(fields.Field):
    """A value that `json.dumps` accepts, checked on dump and on load."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if _json_error(value) is not None:
            raise ValidationError(
                "When running with Prefect Cloud/Server, values for "
                f"`{type(obj).__name__}.{attr}` must be JSON compatible. "
                f"Unable to serialize `{value!r}`."
            )
        return value

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if _json_error(value) is not None:
            raise ValidationError(f"Values must be JSON compatible, got `{value!r}`")
        return value


class Nested(fields.Nested):
    """A nested schema whose dumped value is `value_selection_fn(obj, context)`.

    `context` is `{"value": <attribute value or None>, "attr": <field name>}`. Returning
    `marshmallow.missing` leaves the key out. Loading is a normal nested load.
    """

    def __init__(
        self,
        nested: Any,
        value_selection_fn: Callable[[Any, dict], Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(nested, **kwargs)
        self.value_selection_fn = value_selection_fn
        if value_selection_fn is not None:
            self._CHECK_ATTRIBUTE = False

    def _serialize(self, nested_obj: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if self.value_selection_fn is not None:
            nested_obj = self.value_selection_fn(obj, {"value": nested_obj, "attr": attr})
        if nested_obj is missing:
            return missing
        return super()._serialize(nested_obj, attr, obj, **kwargs)


class SortedList(fields.List):
    """A list whose dumped items are sorted (deterministic output for sets)."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        items = super()._serialize(value, attr, obj, **kwargs)
        return None if items is None else sorted(items)


class Bytes(fields.Field):
    """Bytes dumped as base64 text (`None` stays `None`)."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if value is None:
            return None
        return base64.b64encode(value).decode("utf-8")

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if value is None:
            return None
        try:
            return base64.b64decode(value, validate=True)
        except (TypeError, ValueError, binascii.Error):
            raise ValidationError(f"Not valid base64 text: {value!r}") from None


class UUID(fields.UUID):
    """A UUID, validated, but loaded as a `str` rather than a `uuid.UUID`."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        return str(super()._deserialize(value, attr, data, **kwargs))


# -- datetimes with their zone --------------------------------------------------------------

_OFFSET_NAME = re.compile(r"^([+-])(\d{2}):?(\d{2})(?::?(\d{2}))?$")


@functools.lru_cache(maxsize=256)
def _zone(name: str) -> datetime.tzinfo:
    """The tzinfo for a zone name: `"UTC"`, a fixed offset `"+02:00"`, or an IANA key."""
    if name in ("UTC", "Z"):
        return datetime.UTC
    match = _OFFSET_NAME.match(name)
    if match:
        sign, hours, minutes, seconds = match.groups()
        offset = datetime.timedelta(
            hours=int(hours), minutes=int(minutes), seconds=int(seconds or 0)
        )
        return datetime.timezone(-offset if sign == "-" else offset)
    return zoneinfo.ZoneInfo(name)


def _offset_name(offset: datetime.timedelta) -> str:
    sign = "-" if offset < datetime.timedelta(0) else "+"
    seconds = int(abs(offset).total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    text = f"{sign}{hours:02d}:{minutes:02d}"
    return text + f":{seconds:02d}" if seconds else text


def zone_name(value: datetime.datetime) -> str:
    """The name of an aware datetime's zone: an IANA key when there is one (`zoneinfo`,
    pytz or pendulum zones), `"UTC"`, or else its fixed offset such as `"+02:00"`."""
    tzinfo = value.tzinfo
    for attribute in ("key", "zone", "name"):
        candidate = getattr(tzinfo, attribute, None)
        if isinstance(candidate, str) and candidate:
            try:
                _zone(candidate)
            except (ValueError, zoneinfo.ZoneInfoNotFoundError):
                continue
            return candidate
    offset = value.utcoffset()
    if offset == datetime.timedelta(0) and tzinfo.tzname(value) in ("UTC", "Z"):
        return "UTC"
    return _offset_name(offset)


def zone_from_name(name: Any) -> datetime.tzinfo:
    """The zone `zone_name` named: `datetime.UTC`, a fixed offset or a `ZoneInfo`.

    Raises:
        marshmallow.ValidationError: `Unknown time zone: '<name>'.`
    """
    try:
        return _zone(name)
    except (TypeError, ValueError, zoneinfo.ZoneInfoNotFoundError):
        raise ValidationError(f"Unknown time zone: {name!r}.") from None


class DateTimeTZ(fields.Field):
    """A datetime stored with its zone name: `{"dt": <local ISO time>, "tz": <zone>}`.

    Unlike an ISO string with an offset, this keeps the zone (and so its DST rules).
    Naive datetimes are taken as UTC. Loads an aware `datetime` in that zone; zone names
    are IANA keys (`"America/New_York"`), `"UTC"` or fixed offsets (`"+02:00"`).
    """

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            value = value.replace(tzinfo=datetime.UTC)
        return {"dt": value.replace(tzinfo=None).isoformat(), "tz": zone_name(value)}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, Mapping) or not {"dt", "tz"} <= value.keys():
            raise ValidationError(
                'A datetime with its zone must be {"dt": "<ISO datetime>", "tz": "<zone>"}, '
                f"got {value!r}."
            )
        zone = zone_from_name(value["tz"])
        try:
            moment = datetime.datetime.fromisoformat(value["dt"])
        except (TypeError, ValueError):
            raise ValidationError(f"Not a valid ISO-8601 datetime: {value['dt']!r}.") from None
        if moment.tzinfo is not None:
            return moment.astimezone(zone)
        return moment.replace(tzinfo=zone)
