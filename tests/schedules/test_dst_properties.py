"""Property tests of the DST invariants I1-I3 (schedules.md §2.5).

Every UTC-offset transition from 2015 through 2030 of four zones is a separate test case;
hypothesis draws anchors (including wall times inside the gap or the repeated hour),
intervals and cron expressions around it. The expected events come from oracles written
independently of the clocks: wall times are resolved by trying the zone's nearby UTC
offsets instead of relying on `fold`, and cron matches are found by walking every minute.
All instants are compared in UTC.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from croniter import croniter
from hypothesis import given, settings
from hypothesis import strategies as st

from prefect_core.schedules.clocks import Clock, CronClock, IntervalClock

ZONES = ("America/New_York", "Europe/London", "Australia/Sydney", "America/Santiago")
WINDOW = timedelta(days=1)
EXAMPLES = settings(max_examples=5, deadline=None, database=None, derandomize=True)


@dataclass(frozen=True)
class Transition:
    """A change of a zone's UTC offset at instant `at` (UTC)."""

    zone_name: str
    at: datetime
    offset_before: timedelta
    offset_after: timedelta

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.zone_name)

    def __str__(self) -> str:
        return f"{self.zone_name}@{self.at:%Y-%m-%dT%H:%M}Z"


def find_transitions(zone_name: str, first_year: int = 2015, last_year: int = 2030) -> list:
    """Scan for changes of `utcoffset` in twelve-hour steps, then bisect to the second."""
    zone = ZoneInfo(zone_name)
    step = timedelta(hours=12)
    moment = datetime(first_year, 1, 1, tzinfo=UTC)
    offset = moment.astimezone(zone).utcoffset()
    transitions = []
    while moment.year <= last_year:
        later = moment + step
        later_offset = later.astimezone(zone).utcoffset()
        if later_offset != offset:
            low, high = moment, later
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) // 2
                if middle.astimezone(zone).utcoffset() == offset:
                    low = middle
                else:
                    high = middle
            transitions.append(Transition(zone_name, high, offset, later_offset))
        moment, offset = later, later_offset
    return [t for t in transitions if first_year <= t.at.year <= last_year]


TRANSITIONS = [transition for zone in ZONES for transition in find_transitions(zone)]


def utc_offsets_near(wall: datetime, zone: tzinfo) -> set:
    probe = wall.replace(tzinfo=UTC)
    return {(probe + shift).astimezone(zone).utcoffset() for shift in (-WINDOW, 0 * WINDOW, WINDOW)}


def instants_showing(wall: datetime, zone: tzinfo) -> list:
    """All UTC instants whose local wall time in `zone` is `wall`, sorted (0, 1 or 2)."""
    candidates = {wall.replace(tzinfo=UTC) - offset for offset in utc_offsets_near(wall, zone)}
    return sorted(
        instant for instant in candidates if instant.astimezone(zone).replace(tzinfo=None) == wall
    )


def pushed_forward(wall: datetime, zone: tzinfo) -> datetime:
    """A wall time inside a gap, read with the offset in force before the change."""
    return wall.replace(tzinfo=UTC) - min(utc_offsets_near(wall, zone))


def events_between(clock: Clock, low: datetime, high: datetime) -> list:
    """UTC instants of the clock's events in (low, high]."""
    found = []
    for event in clock.events(after=low):
        instant = event.start_time.astimezone(UTC)
        if instant > high:
            break
        found.append(instant)
    return found


@st.composite
def anchors(draw, transition: Transition) -> datetime:
    """Start dates up to 300 days before the transition day, often at a wall time that is
    missing or repeated on the transition day itself."""
    zone = transition.zone
    shift = abs(transition.offset_after - transition.offset_before)
    affected_start = (
        transition.at + min(transition.offset_before, transition.offset_after)
    ).replace(tzinfo=None)
    if draw(st.booleans()):
        seconds = draw(st.integers(0, int(shift.total_seconds()) - 1))
        wall = affected_start + timedelta(seconds=seconds)
    else:
        midnight = affected_start.replace(hour=0, minute=0, second=0)
        wall = midnight + timedelta(minutes=draw(st.integers(0, 24 * 60 - 1)))
    wall -= timedelta(days=draw(st.integers(0, 300)))
    return wall.replace(tzinfo=zone, fold=draw(st.sampled_from([0, 1])))


sub_day_intervals = st.one_of(
    st.sampled_from([timedelta(hours=1), timedelta(minutes=30), timedelta(hours=23)]),
    st.integers(5 * 60, 24 * 3600 - 1).map(lambda seconds: timedelta(seconds=seconds)),
)

day_or_longer_intervals = st.builds(
    lambda days, remainder: timedelta(days=days, seconds=remainder),
    st.integers(1, 8),
    st.one_of(st.just(0), st.integers(1, 24 * 3600 - 1)),
)

ALL_HOURS = ("*", "*/1", "0-23")
cron_hours = st.sampled_from(
    ALL_HOURS + ("0", "1", "2", "3", "23", "1-4", "0,2", "*/2", "22-23,0-3")
)
cron_minutes = st.sampled_from(["0", "15", "30", "45", "59", "*/20", "10,50", "*/30"])
cron_days_of_week = st.sampled_from(["*", "*", "0", "6", "1-5"])


# I1 --------------------------------------------------------------------------------------


@pytest.mark.parametrize("transition", TRANSITIONS, ids=str)
@EXAMPLES
@given(data=st.data())
def test_sub_day_interval_event_k_is_anchor_plus_k_intervals_in_utc(transition, data):
    anchor = data.draw(anchors(transition), label="anchor")
    interval = data.draw(sub_day_intervals, label="interval")
    low, high = transition.at - WINDOW, transition.at + WINDOW
    origin = anchor.astimezone(UTC)
    k = 0 if low < origin else (low - origin) // interval + 1
    expected = []
    while origin + k * interval <= high:
        expected.append(origin + k * interval)
        k += 1
    assert events_between(IntervalClock(interval, anchor), low, high) == expected


# I2 --------------------------------------------------------------------------------------


def expected_day_interval_events(anchor, interval, low, high) -> list:
    """Event k = the anchor's wall time + k whole days, resolved in the anchor's zone
    (repeated -> later occurrence, missing -> pushed forward), + k * remainder."""
    zone = anchor.tzinfo
    days = timedelta(days=interval.days)
    remainder = interval - days
    origin = anchor.astimezone(UTC)
    k = max(0, (low - origin) // interval - 2)
    expected = []
    while True:
        if k == 0:
            event = origin
        else:
            wall = anchor.replace(tzinfo=None) + k * days
            showing = instants_showing(wall, zone)
            base = showing[-1] if showing else pushed_forward(wall, zone)
            event = base + k * remainder
        if event > high + WINDOW:
            return expected
        if low < event <= high:
            expected.append(event)
        k += 1


@pytest.mark.parametrize("transition", TRANSITIONS, ids=str)
@EXAMPLES
@given(data=st.data())
def test_day_or_longer_interval_counts_days_on_the_wall_clock(transition, data):
    anchor = data.draw(anchors(transition), label="anchor")
    interval = data.draw(day_or_longer_intervals, label="interval")
    low, high = transition.at - 10 * WINDOW, transition.at + 10 * WINDOW
    expected = expected_day_interval_events(anchor, interval, low, high)
    assert events_between(IntervalClock(interval, anchor), low, high) == expected


@pytest.mark.parametrize("transition", TRANSITIONS, ids=str)
@EXAMPLES
@given(data=st.data())
def test_daily_interval_utc_distance_is_a_day_or_a_day_plus_minus_the_shift(transition, data):
    anchor = data.draw(anchors(transition), label="anchor")
    shift = abs(transition.offset_after - transition.offset_before)
    low, high = transition.at - 3 * WINDOW, transition.at + 3 * WINDOW
    times = events_between(IntervalClock(timedelta(days=1), anchor), low, high)
    allowed = {timedelta(days=1), timedelta(days=1) - shift, timedelta(days=1) + shift}
    assert {later - earlier for earlier, later in pairwise(times)} <= allowed


# I3 --------------------------------------------------------------------------------------


def expected_cron_events(expression, every_hour, zone, low, high) -> list:
    """Walk every local minute around (low, high] and map each match to its instants.

    Only minutes whose minute and hour are in the expression's expanded fields are worth
    asking `croniter.match` about; it decides (day fields included).
    """
    minute_field, hour_field = croniter.expand(expression)[0][:2]
    minutes = range(60) if minute_field == ["*"] else set(minute_field)
    hours = range(24) if hour_field == ["*"] else set(hour_field)
    minute = low.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0) - timedelta(hours=3)
    last = high.astimezone(zone).replace(tzinfo=None) + timedelta(hours=3)
    instants = set()
    while minute <= last:
        candidate = minute.minute in minutes and minute.hour in hours
        if candidate and croniter.match(expression, minute):
            showing = instants_showing(minute, zone)
            if not showing:
                instants.add(pushed_forward(minute, zone))
            else:
                instants.add(showing[0])
                if every_hour:
                    instants.add(showing[-1])
        minute += timedelta(minutes=1)
    return sorted(instant for instant in instants if low < instant <= high)


@pytest.mark.parametrize("transition", TRANSITIONS, ids=str)
@EXAMPLES
@given(
    minutes=cron_minutes,
    hours=cron_hours,
    days_of_week=cron_days_of_week,
    before=st.integers(0, 36 * 3600),
)
def test_cron_events_are_exactly_the_matching_wall_times_mapped_by_the_dst_rules(
    transition, minutes, hours, days_of_week, before
):
    expression = f"{minutes} {hours} * * {days_of_week}"
    zone = transition.zone
    low, high = transition.at - timedelta(seconds=before), transition.at + WINDOW
    start = (low - 30 * WINDOW).astimezone(zone)
    expected = expected_cron_events(expression, hours in ALL_HOURS, zone, low, high)
    assert events_between(CronClock(expression, start), low, high) == expected


@pytest.mark.parametrize("transition", TRANSITIONS, ids=str)
def test_hourly_cron_events_are_one_hour_apart_in_utc_across_the_transition(transition):
    start = (transition.at - 10 * WINDOW).astimezone(transition.zone)
    times = events_between(
        CronClock("0 * * * *", start), transition.at - WINDOW, transition.at + WINDOW
    )
    assert {later - earlier for earlier, later in pairwise(times)} == {timedelta(hours=1)}


def test_every_zone_has_two_transitions_a_year_except_santiago_in_2015():
    counts = {zone: len([t for t in TRANSITIONS if t.zone_name == zone]) for zone in ZONES}
    assert counts == {
        "America/New_York": 32,
        "Europe/London": 32,
        "Australia/Sydney": 32,
        "America/Santiago": 30,
    }
