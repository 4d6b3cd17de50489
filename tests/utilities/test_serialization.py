"""The marshmallow machinery of `prefect_core.utilities.serialization`."""

import datetime
import threading
import uuid
from zoneinfo import ZoneInfo

import pytest
from marshmallow import ValidationError, fields, missing

from prefect_core.utilities import references, serialization
from prefect_core.utilities.serialization import (
    UUID,
    Bytes,
    DateTimeTZ,
    JSONCompatible,
    Nested,
    ObjectSchema,
    OneOfSchema,
    SortedList,
    load_cache,
    zone_from_name,
    zone_name,
)
from tests.utilities.field_helpers import Holder, dump_field, load_field


def test_the_spec_names_are_importable_from_this_module():
    for name in ("to_qualified_name", "from_qualified_name", "FunctionReference",
                 "StatefulFunctionReference"):
        assert getattr(serialization, name) is getattr(references, name)


# -- ObjectSchema ----------------------------------------------------------------------------


class Point:
    def __init__(self, x, y=0):
        self.x = x
        self.y = y


class PointSchema(ObjectSchema):
    class Meta:
        object_class = Point
        exclude_fields = ["label"]

    x = fields.Integer()
    y = fields.Integer()
    label = fields.String()


class LazyPointSchema(ObjectSchema):
    class Meta:
        object_class = lambda: Point  # noqa: E731 - a zero-argument function breaks cycles

    x = fields.Integer()


def test_object_schema_dump_adds_the_version():
    assert PointSchema().dump(Point(1, 2)) == {"x": 1, "y": 2, "__version__": "0.1.0"}


def test_object_schema_load_builds_the_object_without_excluded_fields():
    point = PointSchema().load({"x": 1, "y": 2, "label": "a"})
    assert isinstance(point, Point)
    assert (point.x, point.y) == (1, 2)


def test_object_class_may_be_a_function_returning_the_class():
    assert isinstance(LazyPointSchema().load({"x": 1}), Point)


def test_load_ignores_the_version_and_does_not_mutate_the_input():
    data = {"x": 1, "__version__": "1.4.1"}
    assert PointSchema().load(data).x == 1
    assert data == {"x": 1, "__version__": "1.4.1"}


def test_load_accepts_any_version_string():
    # The version records who wrote a payload; it never changes how it loads.
    assert PointSchema().load({"x": 1, "__version__": "99.0"}).x == 1


def test_load_ignores_unknown_keys():
    assert PointSchema().load({"x": 1, "surprise": True}).x == 1


def test_load_without_create_object_returns_the_dict():
    assert PointSchema().load({"x": 1, "label": "a"}, create_object=False) == {
        "x": 1,
        "label": "a",
    }


def test_load_of_a_non_mapping_is_a_validation_error():
    with pytest.raises(ValidationError):
        PointSchema().load([1, 2])


def test_object_schema_reads_attributes_with_getattr_not_indexing():
    class Indexable(Point):
        def __getitem__(self, key):
            raise AssertionError("indexed")

    assert PointSchema().dump(Indexable(3))["x"] == 3


def test_object_schema_dumps_mappings_too():
    assert PointSchema().dump({"x": 1, "y": 2})["y"] == 2


# -- the per-load cache ----------------------------------------------------------------------


class CachingSchema(ObjectSchema):
    name = fields.String()

    def create_object(self, data):
        return load_cache("objects").setdefault(data["name"], object())


class HolderSchema(ObjectSchema):
    first = fields.Nested(CachingSchema)
    second = fields.Nested(CachingSchema)


def test_nested_loads_share_one_cache():
    loaded = HolderSchema().load({"first": {"name": "a"}, "second": {"name": "a"}})
    assert loaded["first"] is loaded["second"]


def test_each_top_level_load_has_its_own_cache():
    schema = CachingSchema()
    assert schema.load({"name": "a"}) is not schema.load({"name": "a"})


def test_one_load_with_many_shares_its_cache():
    first, second = CachingSchema(many=True).load([{"name": "a"}, {"name": "a"}])
    assert first is second


def test_outside_a_load_the_cache_is_a_fresh_dict():
    load_cache("objects")["x"] = 1
    assert load_cache("objects") == {}


def test_concurrent_loads_do_not_share_caches():
    results = []
    barrier = threading.Barrier(2)

    class SlowSchema(ObjectSchema):
        name = fields.String()

        def create_object(self, data):
            barrier.wait(timeout=5)
            return load_cache("objects").setdefault(data["name"], object())

    threads = [
        threading.Thread(target=lambda: results.append(SlowSchema().load({"name": "a"})))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results[0] is not results[1]


# -- OneOfSchema -----------------------------------------------------------------------------


class Circle:
    def __init__(self, radius):
        self.radius = radius


class CircleSchema(ObjectSchema):
    class Meta:
        object_class = Circle

    radius = fields.Integer()


class ShapeSchema(OneOfSchema):
    type_schemas = {"Point": PointSchema, "Circle": CircleSchema}


def test_one_of_schema_dumps_with_the_schema_of_the_type_and_adds_the_type_last():
    assert list(ShapeSchema().dump(Circle(2)).items()) == [
        ("radius", 2),
        ("__version__", "0.1.0"),
        ("type", "Circle"),
    ]


def test_one_of_schema_loads_by_type():
    circle = ShapeSchema().load({"type": "Circle", "radius": 2, "extra": 1})
    assert isinstance(circle, Circle) and circle.radius == 2


def test_one_of_schema_handles_many():
    payloads = [{"type": "Circle", "radius": 1}, {"type": "Point", "x": 1}]
    shapes = ShapeSchema(many=True).load(payloads)
    assert [type(shape) for shape in shapes] == [Circle, Point]
    assert [d["type"] for d in ShapeSchema(many=True).dump(shapes)] == ["Circle", "Point"]


def test_one_of_schema_rejects_an_unknown_type():
    with pytest.raises(ValidationError) as raised:
        ShapeSchema().load({"type": "Square"})
    assert raised.value.messages == {"type": ["Unsupported value: Square"]}


def test_one_of_schema_rejects_a_qualified_name_outside_its_registry():
    with pytest.raises(ValidationError) as raised:
        ShapeSchema().load({"type": "os.system"})
    assert raised.value.messages == {"type": ["Unsupported value: os.system"]}


def test_one_of_schema_requires_a_type():
    with pytest.raises(ValidationError) as raised:
        ShapeSchema().load({"radius": 1})
    assert raised.value.messages == {"type": ["Missing data for required field."]}


def test_one_of_schema_rejects_a_non_string_type():
    with pytest.raises(ValidationError, match="Unsupported value"):
        ShapeSchema().load({"type": ["Circle"]})


def test_one_of_schema_collects_errors_of_many_by_index():
    with pytest.raises(ValidationError) as raised:
        ShapeSchema(many=True).load([{"type": "Circle", "radius": 1}, {"type": "Nope"}])
    assert raised.value.messages == {1: {"type": ["Unsupported value: Nope"]}}


def test_one_of_schema_refuses_to_dump_an_unregistered_type():
    with pytest.raises(ValidationError) as raised:
        ShapeSchema().dump(object())
    assert raised.value.messages == {"_schema": "Unsupported object type: object"}


def test_one_of_schema_works_as_a_nested_field():
    class DrawingSchema(ObjectSchema):
        shape = fields.Nested(ShapeSchema)

    with pytest.raises(ValidationError) as raised:
        DrawingSchema().load({"shape": {"type": "Nope"}})
    assert raised.value.messages == {"shape": {"type": ["Unsupported value: Nope"]}}


# -- fields ----------------------------------------------------------------------------------


def test_json_compatible_passes_json_values_through():
    assert dump_field(JSONCompatible(), {"a": [1, "b", None]}) == {"a": [1, "b", None]}
    assert load_field(JSONCompatible(), [1, 2]) == [1, 2]


def test_json_compatible_dump_names_the_object_and_attribute():
    with pytest.raises(ValidationError, match=r"values for `Holder.value` must be JSON compatible"):
        dump_field(JSONCompatible(), {1, 2})


def test_json_compatible_load_rejects_other_values():
    with pytest.raises(ValidationError, match=r"Values must be JSON compatible, got `\{1\}`"):
        load_field(JSONCompatible(), {1})


def test_nested_dumps_the_selected_value():
    class PairSchema(ObjectSchema):
        point = Nested(PointSchema, value_selection_fn=lambda obj, context: Point(obj.value))

    assert PairSchema().dump(Holder(5))["point"]["x"] == 5


def test_nested_selection_returning_missing_omits_the_key():
    class PairSchema(ObjectSchema):
        point = Nested(PointSchema, value_selection_fn=lambda obj, context: missing)

    assert "point" not in PairSchema().dump(Holder(5))


def test_nested_selection_receives_value_and_attribute():
    seen = []

    class PairSchema(ObjectSchema):
        value = Nested(PointSchema, value_selection_fn=lambda obj, ctx: seen.append(ctx) or None)

    PairSchema().dump(Holder(5))
    assert seen == [{"value": None, "attr": "value"}]


def test_sorted_list_sorts_dumped_items():
    assert dump_field(SortedList(fields.String()), {"b", "a", "c"}) == ["a", "b", "c"]
    assert dump_field(SortedList(fields.String(), allow_none=True), None) is None


def test_bytes_round_trip_through_base64():
    assert dump_field(Bytes(), b"\x00hi") == "AGhp"
    assert load_field(Bytes(), "AGhp") == b"\x00hi"
    assert dump_field(Bytes(allow_none=True), None) is None


def test_bytes_load_rejects_bad_base64():
    with pytest.raises(ValidationError, match="Not valid base64"):
        load_field(Bytes(), "not base64!")


def test_uuid_loads_as_a_string():
    value = str(uuid.uuid4())
    assert load_field(UUID(), value) == value
    with pytest.raises(ValidationError):
        load_field(UUID(), "nope")


# -- DateTimeTZ ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "moment, dumped",
    [
        (
            datetime.datetime(2020, 3, 1, 9, tzinfo=ZoneInfo("America/New_York")),
            {"dt": "2020-03-01T09:00:00", "tz": "America/New_York"},
        ),
        (
            datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
            {"dt": "2020-01-01T00:00:00", "tz": "UTC"},
        ),
        (
            datetime.datetime(2020, 1, 1, 0, 0, 0, 5),
            {"dt": "2020-01-01T00:00:00.000005", "tz": "UTC"},
        ),
        (
            datetime.datetime(2021, 2, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=2))),
            {"dt": "2021-02-01T00:00:00", "tz": "+02:00"},
        ),
        (
            datetime.datetime(
                2021, 2, 1, tzinfo=datetime.timezone(-datetime.timedelta(hours=3, minutes=30))
            ),
            {"dt": "2021-02-01T00:00:00", "tz": "-03:30"},
        ),
    ],
)
def test_datetime_tz_dumps_local_time_and_zone_name(moment, dumped):
    assert dump_field(DateTimeTZ(), moment) == dumped


def test_datetime_tz_round_trip_keeps_the_zone_and_its_dst_rules():
    winter = datetime.datetime(2020, 1, 15, 9, tzinfo=ZoneInfo("Europe/Paris"))
    loaded = load_field(DateTimeTZ(), dump_field(DateTimeTZ(), winter))
    assert loaded == winter
    assert loaded.tzinfo == ZoneInfo("Europe/Paris")
    assert (loaded + datetime.timedelta(days=180)).utcoffset() == datetime.timedelta(hours=2)


def test_datetime_tz_loads_fixed_offsets_that_prefect_1_could_not():
    loaded = load_field(DateTimeTZ(), {"dt": "2021-02-01T00:00:00", "tz": "+02:00"})
    assert loaded.utcoffset() == datetime.timedelta(hours=2)


def test_datetime_tz_keeps_none():
    assert dump_field(DateTimeTZ(allow_none=True), None) is None
    assert load_field(DateTimeTZ(allow_none=True), None) is None


@pytest.mark.parametrize(
    "payload, message",
    [
        ({"dt": "2020-01-01T00:00:00", "tz": "Mars/Olympus"}, "Unknown time zone"),
        ({"dt": "yesterday", "tz": "UTC"}, "Not a valid ISO-8601 datetime"),
        ("2020-01-01T00:00:00", "must be"),
        ({"dt": "2020-01-01T00:00:00"}, "must be"),
    ],
)
def test_datetime_tz_rejects_bad_payloads(payload, message):
    with pytest.raises(ValidationError, match=message):
        load_field(DateTimeTZ(), payload)


def test_zone_name_and_zone_from_name_agree():
    for name in ("UTC", "America/New_York", "+05:45"):
        zone = zone_from_name(name)
        assert zone_name(datetime.datetime(2020, 1, 1, tzinfo=zone)) == name
