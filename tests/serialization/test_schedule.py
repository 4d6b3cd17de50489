"""`ScheduleSchema`: clocks, filters and adjustments round trip to an equivalent schedule."""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
from dateutil import rrule
from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from prefect_core.schedules import (
    CronSchedule,
    IntervalSchedule,
    Schedule,
    adjustments,
    clocks,
    filters,
)
from prefect_core.serialization.schedule import ClockSchema, ScheduleSchema

UTC = datetime.UTC
NEW_YORK = ZoneInfo("America/New_York")
AFTER = datetime.datetime(2020, 3, 1, tzinfo=UTC)


def round_trip(schedule):
    return ScheduleSchema().load(json.loads(json.dumps(ScheduleSchema().dump(schedule))))


def assert_same_times(original, loaded, n=10, after=AFTER):
    assert loaded.next(n, after=after, return_events=True) == original.next(
        n, after=after, return_events=True
    )


def test_schedule_dump_layout():
    dumped = ScheduleSchema().dump(
        Schedule(
            clocks=[clocks.IntervalClock(datetime.timedelta(hours=1))],
            filters=[filters.between_times(datetime.time(1), datetime.time(5))],
        )
    )
    assert list(dumped) == [
        "clocks",
        "filters",
        "or_filters",
        "not_filters",
        "adjustments",
        "__version__",
    ]
    assert dumped["filters"] == [
        {
            "fn": "prefect_core.schedules.filters.between_times",
            "kwargs": {"end": "//time:05:00:00", "start": "//time:01:00:00"},
        }
    ]
    assert (dumped["or_filters"], dumped["not_filters"], dumped["adjustments"]) == ([], [], [])


# -- clocks ----------------------------------------------------------------------------------------


def test_interval_clock_dump():
    clock = clocks.IntervalClock(
        datetime.timedelta(hours=1, microseconds=5),
        start_date=datetime.datetime(2020, 1, 1, 9, tzinfo=NEW_YORK),
        end_date=datetime.datetime(2021, 1, 1, tzinfo=UTC),
        parameter_defaults={"n": [1, 2]},
        labels=["prod"],
    )
    assert ClockSchema().dump(clock) == {
        "start_date": {"dt": "2020-01-01T09:00:00", "tz": "America/New_York"},
        "end_date": {"dt": "2021-01-01T00:00:00", "tz": "UTC"},
        "interval": 3_600_000_005,
        "parameter_defaults": {"n": [1, 2]},
        "labels": ["prod"],
        "__version__": "0.1.0",
        "type": "IntervalClock",
    }


def test_cron_clock_dump():
    clock = clocks.CronClock("0 9 * * 1-5", start_date=datetime.datetime(2020, 1, 1), day_or=False)
    assert ClockSchema().dump(clock) == {
        "start_date": {"dt": "2020-01-01T00:00:00", "tz": "UTC"},
        "end_date": None,
        "cron": "0 9 * * 1-5",
        "parameter_defaults": {},
        "labels": None,
        "day_or": False,
        "__version__": "0.1.0",
        "type": "CronClock",
    }


def test_dates_clock_dump_keeps_each_zone():
    clock = clocks.DatesClock(
        [
            datetime.datetime(2021, 1, 1, tzinfo=ZoneInfo("Europe/Paris")),
            datetime.datetime(2021, 2, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=2))),
        ]
    )
    assert ClockSchema().dump(clock)["dates"] == [
        {"dt": "2021-01-01T00:00:00", "tz": "Europe/Paris"},
        {"dt": "2021-02-01T00:00:00", "tz": "+02:00"},
    ]


def test_rrule_clock_dump():
    rule = rrule.rrule(rrule.DAILY, dtstart=datetime.datetime(2020, 1, 1), count=5)
    assert ClockSchema().dump(clocks.RRuleClock(rule))["rrule_obj"] == {
        "rr": "DTSTART:20200101T000000\nRRULE:FREQ=DAILY;COUNT=5",
        "_dtstart": "2020-01-01T00:00:00",
        "_until": None,
        "__version__": "0.1.0",
        "type": "rrule",
    }


def test_rrule_in_a_named_zone_also_records_the_zone():
    rule = rrule.rrule(
        rrule.DAILY,
        dtstart=datetime.datetime(2020, 1, 1, 9, tzinfo=NEW_YORK),
        until=datetime.datetime(2020, 6, 1, tzinfo=NEW_YORK),
    )
    dumped = ClockSchema().dump(clocks.RRuleClock(rule))["rrule_obj"]
    assert dumped["_dtstart"] == "2020-01-01T09:00:00-05:00"
    assert dumped["_tzinfo"] == "America/New_York"


CLOCKS = {
    "interval": clocks.IntervalClock(
        datetime.timedelta(hours=1, minutes=30),
        start_date=datetime.datetime(2020, 1, 1, tzinfo=NEW_YORK),
        parameter_defaults={"n": 1},
        labels=["a"],
    ),
    "interval-days-dst": clocks.IntervalClock(
        datetime.timedelta(days=1),
        start_date=datetime.datetime(2020, 1, 1, 9, tzinfo=NEW_YORK),
        end_date=datetime.datetime(2020, 4, 1, tzinfo=NEW_YORK),
    ),
    "cron": clocks.CronClock(
        "30 2 * * *", start_date=datetime.datetime(2020, 1, 1, tzinfo=NEW_YORK), labels=["b"]
    ),
    "cron-day-and": clocks.CronClock("0 9 8-14 * 5", day_or=False),
    "dates": clocks.DatesClock(
        [
            datetime.datetime(2020, 3, 8, 2, 30, tzinfo=UTC),
            datetime.datetime(2020, 5, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=-3))),
        ],
        parameter_defaults={"x": "y"},
    ),
    "rrule": clocks.RRuleClock(
        rrule.rrule(rrule.WEEKLY, dtstart=datetime.datetime(2020, 1, 1), count=20)
    ),
    "rrule-zoned": clocks.RRuleClock(
        rrule.rrule(
            rrule.DAILY,
            dtstart=datetime.datetime(2020, 3, 1, 9, tzinfo=NEW_YORK),
            until=datetime.datetime(2020, 4, 1, 9, tzinfo=NEW_YORK),
        )
    ),
    "rruleset": clocks.RRuleClock(_rule_set := rrule.rruleset()),
}
_rule_set.rrule(rrule.rrule(rrule.DAILY, dtstart=datetime.datetime(2020, 3, 1), count=10))
_rule_set.rdate(datetime.datetime(2020, 3, 20, 12))
_rule_set.exrule(rrule.rrule(rrule.WEEKLY, dtstart=datetime.datetime(2020, 3, 1), count=2))
_rule_set.exdate(datetime.datetime(2020, 3, 3))


@pytest.mark.parametrize("clock", list(CLOCKS.values()), ids=list(CLOCKS))
def test_every_clock_round_trips_to_the_same_events(clock):
    original = Schedule(clocks=[clock])
    loaded = round_trip(original)
    assert type(loaded.clocks[0]) is type(clock)
    assert_same_times(original, loaded)


def test_loaded_clocks_keep_dates_zones_defaults_and_labels():
    (loaded,) = round_trip(Schedule(clocks=[CLOCKS["interval"]])).clocks
    assert loaded.start_date == CLOCKS["interval"].start_date
    assert loaded.start_date.tzinfo == NEW_YORK
    assert loaded.interval == datetime.timedelta(hours=1, minutes=30)
    assert (loaded.parameter_defaults, loaded.labels) == ({"n": 1}, ["a"])


def test_cron_clock_keeps_day_or():
    (loaded,) = round_trip(Schedule(clocks=[CLOCKS["cron-day-and"]])).clocks
    assert loaded.day_or is False


def test_schedule_factories_round_trip():
    for schedule in (
        IntervalSchedule(interval=datetime.timedelta(minutes=5)),
        CronSchedule("*/10 * * * *", start_date=datetime.datetime(2020, 1, 1, tzinfo=NEW_YORK)),
    ):
        assert_same_times(schedule, round_trip(schedule))


def test_a_clock_shorter_than_a_minute_cannot_be_dumped_or_loaded():
    schedule = IntervalSchedule(interval=datetime.timedelta(seconds=59))
    with pytest.raises(ValueError, match="Interval can not be less than one minute"):
        ScheduleSchema().dump(schedule)
    payload = ScheduleSchema().dump(IntervalSchedule(interval=datetime.timedelta(minutes=1)))
    payload["clocks"][0]["interval"] = 59_000_000
    with pytest.raises(ValueError, match="Interval can not be less than one minute"):
        ScheduleSchema().load(payload)


def test_an_unregistered_clock_cannot_be_dumped():
    class SundialClock(clocks.Clock):
        pass

    with pytest.raises(ValidationError, match="Unsupported object type: SundialClock"):
        ScheduleSchema().dump(Schedule(clocks=[SundialClock()]))


# -- filters and adjustments -----------------------------------------------------------------------

FILTERS = {
    "on_datetime": filters.on_datetime(datetime.datetime(2020, 3, 2, 9, tzinfo=UTC)),
    "on_date": filters.on_date(3, 4),
    "at_time": filters.at_time(datetime.time(9)),
    "between_datetimes": filters.between_datetimes(
        datetime.datetime(2020, 3, 2, tzinfo=UTC), datetime.datetime(2020, 3, 5, tzinfo=UTC)
    ),
    "between_dates": filters.between_dates(3, 2, 3, 6),
    "between_times": filters.between_times(datetime.time(8), datetime.time(10, 30)),
    "is_weekday": filters.is_weekday,
    "is_weekend": filters.is_weekend,
    "is_month_end": filters.is_month_end,
    "is_month_start": filters.is_month_start,
    "is_day_of_week": filters.is_day_of_week(2),
}


@pytest.mark.parametrize("kind", ["filters", "or_filters", "not_filters"])
@pytest.mark.parametrize("name", list(FILTERS))
def test_every_filter_round_trips(name, kind):
    hourly = clocks.IntervalClock(datetime.timedelta(hours=1))
    original = Schedule(clocks=[hourly], **{kind: [FILTERS[name]]})
    loaded = round_trip(original)
    dumped = ScheduleSchema().dump(original)[kind]
    assert dumped[0]["fn"] == f"prefect_core.schedules.filters.{name}"
    assert ScheduleSchema().dump(loaded)[kind] == dumped
    assert_same_times(original, loaded, n=5)


@pytest.mark.parametrize(
    "adjustment",
    [adjustments.add(datetime.timedelta(minutes=90)), adjustments.next_weekday],
    ids=["add", "next_weekday"],
)
def test_every_adjustment_round_trips(adjustment):
    original = Schedule(
        clocks=[clocks.IntervalClock(datetime.timedelta(hours=7))], adjustments=[adjustment]
    )
    assert_same_times(original, round_trip(original), n=20)


def test_combined_filters_and_adjustments_round_trip():
    original = Schedule(
        clocks=[CLOCKS["interval"], CLOCKS["cron"]],
        filters=[filters.is_weekday, filters.between_times(datetime.time(1), datetime.time(20))],
        or_filters=[filters.on_date(3, 3), filters.is_day_of_week(3)],
        not_filters=[filters.at_time(datetime.time(2, 30))],
        adjustments=[adjustments.add(datetime.timedelta(minutes=5)), adjustments.next_weekday],
    )
    assert_same_times(original, round_trip(original), n=15)


def test_custom_filters_are_refused():
    schedule = Schedule(clocks=[], filters=[lambda moment: True])
    with pytest.raises(ValidationError, match="custom functions aren't supported"):
        ScheduleSchema().dump(schedule)


def test_a_filter_outside_the_filter_list_is_refused_on_load():
    payload = ScheduleSchema().dump(Schedule(clocks=[]))
    payload["adjustments"] = [{"fn": "prefect_core.schedules.filters.is_weekday", "kwargs": {}}]
    with pytest.raises(ValidationError) as raised:
        ScheduleSchema().load(payload)
    assert "adjustments" in raised.value.messages


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda p: p.pop("clocks"), "clocks"),
        (lambda p: p["clocks"][0].update(type="SundialClock"), "clocks"),
        (lambda p: p["clocks"][0].update(interval="hourly"), "clocks"),
        (lambda p: p["clocks"][0].update(start_date={"dt": "2020-01-01", "tz": "Mars"}), "clocks"),
        (lambda p: p["clocks"][0].update(parameter_defaults=[1]), "clocks"),
        (lambda p: p.update(filters=[None]), "filters"),
        (lambda p: p.update(filters=[{"fn": "builtins.eval", "kwargs": {}}]), "filters"),
        (lambda p: p.update(or_filters=[{"fn": "prefect.schedules.filters.on_date",
                                          "kwargs": {"month": 2, "day": 30}}]), "or_filters"),
    ],
    ids=[
        "no-clocks",
        "unknown-clock",
        "bad-interval",
        "unknown-zone",
        "bad-defaults",
        "null-filter",
        "function-outside-prefect-core",
        "bad-filter-arguments",
    ],
)
def test_bad_payloads_are_validation_errors_naming_the_field(change, field):
    payload = ScheduleSchema().dump(
        Schedule(clocks=[clocks.IntervalClock(datetime.timedelta(hours=1))])
    )
    change(payload)
    with pytest.raises(ValidationError) as raised:
        ScheduleSchema().load(payload)
    assert field in raised.value.messages


def test_a_bad_cron_string_is_a_validation_error():
    payload = ClockSchema().dump(clocks.CronClock("0 9 * * *"))
    payload["cron"] = "every morning"
    with pytest.raises(ValidationError) as raised:
        ClockSchema().load(payload)
    assert "cron" in raised.value.messages


def test_a_bad_rrule_is_a_validation_error():
    payload = ClockSchema().dump(CLOCKS["rrule"])
    payload["rrule_obj"]["rr"] = "RRULE:FREQ=SOMETIMES"
    with pytest.raises(ValidationError, match="Not a valid rrule"):
        ClockSchema().load(payload)


# -- property --------------------------------------------------------------------------------------

zones = st.sampled_from([UTC, NEW_YORK, ZoneInfo("Europe/Paris"), ZoneInfo("Asia/Kathmandu")])
start_dates = st.builds(
    lambda moment, zone: moment.replace(tzinfo=zone),
    st.datetimes(datetime.datetime(2019, 1, 1), datetime.datetime(2021, 1, 1)),
    zones,
)
interval_clocks = st.builds(
    clocks.IntervalClock,
    interval=st.timedeltas(datetime.timedelta(minutes=1), datetime.timedelta(days=3)),
    start_date=st.none() | start_dates,
    parameter_defaults=st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    labels=st.none() | st.lists(st.text(max_size=3), max_size=2),
)
cron_clocks = st.builds(
    clocks.CronClock,
    cron=st.sampled_from(["0 * * * *", "30 2 * * *", "*/15 9-17 * * 1-5", "0 0 1 * *"]),
    start_date=st.none() | start_dates,
    day_or=st.booleans(),
)
any_filter = st.one_of(
    st.sampled_from([filters.is_weekday, filters.is_weekend, filters.is_month_start]),
    st.builds(filters.between_times, st.times(), st.times()),
    st.builds(filters.is_day_of_week, st.integers(0, 6)),
    st.builds(filters.between_dates, st.integers(1, 12), st.integers(1, 28),
              st.integers(1, 12), st.integers(1, 28)),
)
any_adjustment = st.one_of(
    st.just(adjustments.next_weekday),
    st.builds(adjustments.add, st.timedeltas(datetime.timedelta(0), datetime.timedelta(days=2))),
)
schedules = st.builds(
    Schedule,
    clocks=st.lists(st.one_of(interval_clocks, cron_clocks), min_size=1, max_size=3),
    filters=st.lists(any_filter, max_size=2),
    or_filters=st.lists(any_filter, max_size=2),
    not_filters=st.lists(any_filter, max_size=1),
    adjustments=st.lists(any_adjustment, max_size=2),
)


@settings(max_examples=60, deadline=None)
@given(schedules)
def test_round_trip_gives_the_same_events(schedule):
    loaded = round_trip(schedule)
    assert ScheduleSchema().dump(loaded) == ScheduleSchema().dump(schedule)
    assert_same_times(schedule, loaded, n=5, after=datetime.datetime(2020, 6, 1, tzinfo=UTC))
