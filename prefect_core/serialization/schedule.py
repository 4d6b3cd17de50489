"""`ScheduleSchema`: a schedule's clocks, filters and adjustments.

```json
{"clocks": [<clock>...], "filters": [<ref>...], "or_filters": [...], "not_filters": [...],
 "adjustments": [...], "__version__": "0.1.0"}
```

Clocks are chosen by class name (`ClockSchema`); their dates keep their time zone
(`DateTimeTZ`). Filters and adjustments are stored as references to the functions of
`prefect_core.schedules.filters` / `.adjustments` (a factory's name plus its arguments,
e.g. `{"fn": "prefect_core.schedules.filters.between_times", "kwargs": {"start":
"//time:01:00:00", "end": "//time:05:00:00"}}`); custom functions are refused. A loaded
schedule has real clocks and re-created filter closures, so `next(n)` gives the same times.

As in Prefect 1.4.1, an `IntervalClock` shorter than a minute cannot be dumped or loaded
(`ValueError`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from dateutil import rrule
from marshmallow import ValidationError, fields, missing, post_dump

from prefect_core.schedules import adjustments, filters
from prefect_core.schedules.clocks import CronClock, DatesClock, IntervalClock, RRuleClock
from prefect_core.schedules.schedules import Schedule
from prefect_core.utilities.serialization import (
    DateTimeTZ,
    JSONCompatible,
    ObjectSchema,
    OneOfSchema,
    StatefulFunctionReference,
    zone_from_name,
    zone_name,
)

__all__ = [
    "ClockSchema",
    "CronClockSchema",
    "DatesClockSchema",
    "IntervalClockSchema",
    "RRuleBaseSchema",
    "RRuleClockSchema",
    "RRuleSchema",
    "RRuleSetSchema",
    "ScheduleSchema",
]

FILTERS = [
    filters.on_datetime,
    filters.on_date,
    filters.at_time,
    filters.between_datetimes,
    filters.between_dates,
    filters.between_times,
    filters.is_weekday,
    filters.is_weekend,
    filters.is_month_end,
    filters.is_day_of_week,
    filters.is_month_start,
]

ADJUSTMENTS = [adjustments.add, adjustments.next_weekday]

_SHORT_INTERVAL_MESSAGE = (
    "Interval can not be less than one minute when deploying to Prefect Cloud."
)


def _parameter_defaults() -> fields.Dict:
    return fields.Dict(keys=fields.Str(), values=JSONCompatible(), allow_none=True)


def _labels() -> fields.List:
    return fields.List(fields.Str(), allow_none=True)


class Microseconds(fields.Field):
    """A `timedelta` stored as an int number of microseconds."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if value is None:
            return None
        return value // timedelta(microseconds=1)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f"Not an int number of microseconds: {value!r}.")
        return timedelta(microseconds=value)


class IntervalClockSchema(ObjectSchema):
    """An `IntervalClock`; the interval is an int of microseconds."""

    class Meta:
        object_class = IntervalClock

    start_date = DateTimeTZ(allow_none=True)
    end_date = DateTimeTZ(allow_none=True)
    interval = Microseconds(required=True)
    parameter_defaults = _parameter_defaults()
    labels = _labels()

    @post_dump
    def _check_interval(self, data: dict, **kwargs: Any) -> dict:
        if data["interval"] < 60_000_000:
            raise ValueError(_SHORT_INTERVAL_MESSAGE)
        return data

    def create_object(self, data: dict) -> IntervalClock:
        if data["interval"].total_seconds() < 60:
            raise ValueError(_SHORT_INTERVAL_MESSAGE)
        return super().create_object(data)


class CronClockSchema(ObjectSchema):
    """A `CronClock`."""

    class Meta:
        object_class = CronClock

    start_date = DateTimeTZ(allow_none=True)
    end_date = DateTimeTZ(allow_none=True)
    cron = fields.String(required=True)
    parameter_defaults = _parameter_defaults()
    labels = _labels()
    day_or = fields.Boolean(allow_none=True)

    def create_object(self, data: dict) -> CronClock:
        try:
            return super().create_object(data)
        except ValueError as error:  # a bad cron string
            raise ValidationError({"cron": [str(error)]}) from None


class DatesClockSchema(ObjectSchema):
    """A `DatesClock`: its dates, each with its zone."""

    class Meta:
        object_class = DatesClock

    dates = fields.List(DateTimeTZ(), required=True)
    parameter_defaults = _parameter_defaults()
    labels = _labels()


class RRuleSchema(ObjectSchema):
    """A `dateutil.rrule.rrule`: its RFC 5545 text plus `dtstart` and `until` with their
    offsets (the text has none).

    `_tzinfo` (an addition to Prefect 1.4.1's layout, present only when the rule's
    `dtstart` is in a named zone other than UTC) names that zone, so the loaded rule keeps
    its DST rules instead of a fixed offset.
    """

    class Meta:
        object_class = rrule.rrule

    rr = fields.Method("dump_rrule_text", "load_rrule_text", required=True)
    _dtstart = fields.DateTime(allow_none=True)
    _until = fields.DateTime(allow_none=True)
    _tzinfo = fields.Method("dump_zone", "load_zone")

    def dump_rrule_text(self, rule: rrule.rrule) -> str:
        """`str(rule)`: `DTSTART` and `RRULE` lines (without time zone)."""
        return str(rule)

    def load_rrule_text(self, text: Any) -> rrule.rrule:
        """Parse the text written by `dump_rrule_text`."""
        try:
            rule = rrule.rrulestr(text)
        except (TypeError, ValueError) as error:
            raise ValidationError(f"Not a valid rrule: {text!r} ({error}).") from None
        if not isinstance(rule, rrule.rrule):
            raise ValidationError(f"Not a single rrule: {text!r}.")
        return rule

    def dump_zone(self, rule: rrule.rrule) -> Any:
        """The name of the zone of `dtstart`, when it is a named zone other than UTC."""
        dtstart = rule._dtstart
        if dtstart is None or dtstart.tzinfo is None:
            return missing
        name = zone_name(dtstart)
        if name == "UTC" or name[0] in "+-":
            return missing
        return name

    def load_zone(self, name: Any) -> Any:
        """The zone named by `dump_zone`."""
        return zone_from_name(name)

    def create_object(self, data: dict) -> rrule.rrule:
        zone = data.get("_tzinfo")

        def in_zone(moment: Any) -> Any:
            if moment is None or zone is None or moment.tzinfo is None:
                return moment
            return moment.astimezone(zone)

        replacements = {}
        if data.get("_dtstart") is not None:
            replacements["dtstart"] = in_zone(data["_dtstart"])
        if "_until" in data:
            replacements["until"] = in_zone(data["_until"])
        try:
            return data["rr"].replace(**replacements)
        except (TypeError, ValueError) as error:
            raise ValidationError(f"Not a valid rrule: {error}.") from None


class RRuleSetSchema(ObjectSchema):
    """A `dateutil.rrule.rruleset`: its rules, dates, exclusion rules and excluded dates."""

    class Meta:
        object_class = rrule.rruleset

    _rrule = fields.List(fields.Nested(RRuleSchema))
    _rdate = fields.List(fields.DateTime())
    _exrule = fields.List(fields.Nested(RRuleSchema))
    _exdate = fields.List(fields.DateTime())

    def create_object(self, data: dict) -> rrule.rruleset:
        rules = rrule.rruleset()
        for rule in data.get("_rrule", []):
            rules.rrule(rule)
        for date in data.get("_rdate", []):
            rules.rdate(date)
        for rule in data.get("_exrule", []):
            rules.exrule(rule)
        for date in data.get("_exdate", []):
            rules.exdate(date)
        return rules


class RRuleBaseSchema(OneOfSchema):
    """An `rrule` or an `rruleset`."""

    type_schemas = {"rrule": RRuleSchema, "rruleset": RRuleSetSchema}


class RRuleClockSchema(ObjectSchema):
    """An `RRuleClock`."""

    class Meta:
        object_class = RRuleClock

    rrule_obj = fields.Nested(RRuleBaseSchema, required=True)
    start_date = DateTimeTZ(allow_none=True)
    end_date = DateTimeTZ(allow_none=True)
    parameter_defaults = _parameter_defaults()
    labels = _labels()


class ClockSchema(OneOfSchema):
    """Any clock, by class name."""

    type_schemas = {
        "IntervalClock": IntervalClockSchema,
        "CronClock": CronClockSchema,
        "DatesClock": DatesClockSchema,
        "RRuleClock": RRuleClockSchema,
    }


def _function_references(valid_functions: list) -> fields.List:
    return fields.List(StatefulFunctionReference(valid_functions=valid_functions))


class ScheduleSchema(ObjectSchema):
    """A `Schedule`: clocks plus references to standard filters and adjustments."""

    class Meta:
        object_class = Schedule

    clocks = fields.Nested(ClockSchema, required=True, many=True)
    filters = _function_references(FILTERS)
    or_filters = _function_references(FILTERS)
    not_filters = _function_references(FILTERS)
    adjustments = _function_references(ADJUSTMENTS)
