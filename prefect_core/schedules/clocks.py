"""Clocks: the sources of a schedule's candidate start times.

A clock is a recipe for an ordered, possibly endless stream of `ClockEvent`s;
`Clock.events(after)` is a generator, so nothing is computed ahead of time and asking for
the next few events costs the same whatever the distance from the clock's anchor.

Datetimes. Every datetime a clock returns is timezone-aware, in the zone of the clock's
`start_date` (UTC when there is none). A naive datetime given anywhere (start/end dates,
`after`, the dates of a `DatesClock`) is taken as UTC, the package-wide rule.

Daylight saving time follows one design for every clock:

* `IntervalClock` shorter than a day: event k = anchor + k * interval in absolute time,
  so an hourly clock fires every real hour, across any DST change.
* `IntervalClock` of a day or more: the whole days are counted on the wall clock (a daily
  09:00 stays 09:00 local), the sub-day remainder in absolute time.
* `CronClock`: the expression is matched against local wall-clock times. A time inside a
  spring-forward gap fires once, pushed forward by the gap; a repeated (fall-back) time
  fires once at its first occurrence, or at both occurrences when the hour field matches
  every hour, so an hourly cron job runs in every real hour.

Instants are always compared in UTC: two aware datetimes sharing one tzinfo object compare
(and subtract) by wall-clock time, which would confuse 01:00 EDT with 01:00 EST.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from croniter import CroniterBadDateError, CroniterError, croniter

__all__ = ["Clock", "ClockEvent", "CronClock", "DatesClock", "IntervalClock", "RRuleClock"]

#: Anchor of an `IntervalClock` without a start date.
DEFAULT_INTERVAL_ANCHOR = datetime(2019, 1, 1, tzinfo=UTC)

#: A `CronClock.events()` call stops after this many events (1.4.1's escape hatch).
MAX_CRON_EVENTS = 1000

#: How far local wall-clock time can run backwards at a DST change (all real shifts are
#: at most two hours); the cron search looks this far back and holds events this long.
_DST_HORIZON = timedelta(hours=3)


def ensure_aware(value: datetime, name: str = "datetime") -> datetime:
    """Return `value` as an aware datetime; a naive one is taken as UTC.

    `name` names the argument in the `TypeError` raised for anything but a datetime.
    """
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(value).__name__}: {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=UTC)
    return value


def as_utc(value: datetime) -> datetime:
    """The instant of an aware datetime, expressed in UTC (safe to compare and subtract)."""
    return value.astimezone(UTC)


def _now() -> datetime:
    return datetime.now(UTC)


def _localize_later(wall: datetime, zone: tzinfo) -> datetime:
    """UTC instant of a naive wall time in `zone`, the `IntervalClock` way.

    A repeated wall time takes its later (standard-time) occurrence; a wall time inside a
    gap is read with the offset in force before the change, i.e. pushed forward by the gap.
    """
    first = wall.replace(tzinfo=zone, fold=0)
    second = wall.replace(tzinfo=zone, fold=1)
    if first.utcoffset() > second.utcoffset():
        return as_utc(second)
    return as_utc(first)


class ClockEvent:
    """One event of a clock: a start time plus the parameter values and labels of the run.

    Events compare by their instant (in UTC): `==` against a datetime looks at the start
    time only, against another event also at `parameter_defaults` and `labels`.
    """

    def __init__(
        self,
        start_time: datetime,
        parameter_defaults: dict | None = None,
        labels: list[str] | None = None,
    ) -> None:
        self.start_time = start_time
        self.parameter_defaults = parameter_defaults or {}
        self.labels = labels

    def _instant_of(self, other: Any, operator: str) -> datetime:
        if isinstance(other, ClockEvent):
            return as_utc(other.start_time)
        if isinstance(other, datetime):
            return as_utc(ensure_aware(other))
        raise TypeError(
            f"'{operator}' not supported between instances of 'ClockEvent' and "
            f"{type(other).__name__}"
        )

    def __eq__(self, other: object) -> bool:
        if isinstance(other, datetime):
            return as_utc(self.start_time) == as_utc(ensure_aware(other))
        if isinstance(other, ClockEvent):
            return (
                as_utc(self.start_time) == as_utc(other.start_time)
                and self.parameter_defaults == other.parameter_defaults
                and self.labels == other.labels
            )
        return False

    def __lt__(self, other: ClockEvent | datetime) -> bool:
        return as_utc(self.start_time) < self._instant_of(other, "<")

    def __gt__(self, other: ClockEvent | datetime) -> bool:
        return as_utc(self.start_time) > self._instant_of(other, ">")

    def __hash__(self) -> int:
        return hash(as_utc(self.start_time))

    def __repr__(self) -> str:
        return f"<{self.start_time},{self.labels},{self.parameter_defaults}>"


class Clock:
    """Base class of clocks.

    Args:
        start_date: no event is earlier than this; naive means UTC. Its zone is the zone
            of the emitted times.
        end_date: no event is later than this (an event exactly at `end_date` is kept).
        parameter_defaults: parameter values for the runs this clock starts.
        labels: labels attached to every event.
    """

    def __init__(
        self,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
        parameter_defaults: dict | None = None,
        labels: list[str] | None = None,
    ) -> None:
        self.start_date = None if start_date is None else ensure_aware(start_date, "start_date")
        self.end_date = None if end_date is None else ensure_aware(end_date, "end_date")
        if (
            self.start_date is not None
            and self.end_date is not None
            and as_utc(self.end_date) < as_utc(self.start_date)
        ):
            raise ValueError(
                f"end_date ({self.end_date.isoformat()}) is before "
                f"start_date ({self.start_date.isoformat()})."
            )
        self.parameter_defaults = parameter_defaults or {}
        self.labels = labels

    @property
    def zone(self) -> tzinfo:
        """The time zone of the emitted times: the start date's, else UTC."""
        return self.start_date.tzinfo if self.start_date is not None else UTC

    def events(self, after: datetime | None = None) -> Iterator[ClockEvent]:
        """Yield the clock's events strictly later than `after` (default: now), in order."""
        raise NotImplementedError("Clock subclasses must implement events().")

    def _event(self, start_time: datetime) -> ClockEvent:
        return ClockEvent(start_time, dict(self.parameter_defaults), self.labels)

    def _is_past_end(self, instant: datetime) -> bool:
        return self.end_date is not None and as_utc(instant) > as_utc(self.end_date)


class IntervalClock(Clock):
    """Fires every `interval`, counted from `start_date` (default 2019-01-01 00:00 UTC).

    An interval shorter than a day is counted in absolute time (an hourly clock fires every
    real hour); whole days are counted on the wall clock of the start date's zone (a daily
    clock keeps its local time of day), any sub-day remainder in absolute time. A wall time
    that does not exist is pushed forward by the gap; a repeated one takes its later
    (standard-time) occurrence.
    """

    def __init__(
        self,
        interval: timedelta,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
        parameter_defaults: dict | None = None,
        labels: list[str] | None = None,
    ) -> None:
        if not isinstance(interval, timedelta):
            raise TypeError("Interval must be a timedelta.")
        if interval <= timedelta(0):
            raise ValueError(f"Interval must be greater than 0. Got {interval!r}.")
        super().__init__(start_date, end_date, parameter_defaults, labels)
        self.interval = interval
        self._days = timedelta(days=interval.days)
        self._remainder = interval - self._days

    @property
    def _anchor(self) -> datetime:
        return self.start_date if self.start_date is not None else DEFAULT_INTERVAL_ANCHOR

    def event_time(self, k: int) -> datetime:
        """The start time of event number `k` (k >= 0; event 0 is the anchor)."""
        anchor = self._anchor
        if k == 0:
            return anchor
        zone = anchor.tzinfo
        if not self._days:
            return (as_utc(anchor) + k * self.interval).astimezone(zone)
        wall = anchor.replace(tzinfo=None) + k * self._days
        return (_localize_later(wall, zone) + k * self._remainder).astimezone(zone)

    def _first_index_after(self, after: datetime) -> int:
        """Index of the earliest event strictly later than `after` (no walk from the anchor)."""
        after = as_utc(after)
        elapsed = after - as_utc(self._anchor)
        if elapsed < timedelta(0):
            return 0
        k = elapsed // self.interval + 1
        if self._days:
            # Wall-clock days are 23 or 25 hours long across DST changes, so the estimate
            # made in absolute time can be one off either way.
            while k > 1 and as_utc(self.event_time(k - 1)) > after:
                k -= 1
            while as_utc(self.event_time(k)) <= after:
                k += 1
        return k

    def events(self, after: datetime | None = None) -> Iterator[ClockEvent]:
        """Yield the events strictly later than `after` (default: now), up to `end_date`."""
        after = _now() if after is None else ensure_aware(after, "after")
        previous: datetime | None = None
        try:
            k = self._first_index_after(after)
        except OverflowError:  # `after` is too close to the end of the calendar
            return
        while True:
            try:
                start_time = self.event_time(k)
            except OverflowError:
                return
            if self._is_past_end(start_time):
                return
            instant = as_utc(start_time)
            # A gap as long as the interval (e.g. a skipped calendar day) could map two wall
            # times to one instant: keep the stream strictly increasing.
            if previous is None or instant > previous:
                previous = instant
                yield self._event(start_time)
            k += 1


def _check_cron(cron: str) -> list:
    """Validate `cron` and return croniter's expansion of its fields."""
    if not isinstance(cron, str):
        raise ValueError(
            f"Invalid cron string: {cron!r} (expected a str, got {type(cron).__name__})."
        )
    try:
        return croniter.expand(cron)[0]
    except CroniterError as exc:
        raise ValueError(f"Invalid cron string: {cron!r} ({exc})") from None


class CronClock(Clock):
    """Fires at the local wall-clock times a cron expression matches.

    Args:
        cron: a cron string, e.g. `"0 9 * * 1-5"`.
        start_date: no event before it (a matching start date is itself the first event);
            its zone is the zone the expression is read in (default UTC).
        end_date, parameter_defaults, labels: as for `Clock`.
        day_or: True (default) fires when the day of month OR the day of week matches,
            classic cron; False requires both (e.g. `"0 9 8-14 * 5"`, the second Friday).

    A wall time inside a spring-forward gap fires once, pushed forward by the gap
    (02:30 -> 03:30 daylight time). A repeated fall-back time fires once, at its first
    (daylight-time) occurrence, unless the hour field matches every hour: then it fires at
    both, so an hourly job runs in every real hour. Times come out strictly increasing.
    """

    def __init__(
        self,
        cron: str,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
        parameter_defaults: dict | None = None,
        labels: list[str] | None = None,
        day_or: bool | None = None,
    ) -> None:
        fields = _check_cron(cron)
        super().__init__(start_date, end_date, parameter_defaults, labels)
        self.cron = cron
        self.day_or = True if day_or is None else day_or
        hours = fields[1]
        self._every_hour = hours == ["*"] or set(range(24)) <= set(hours)

    def _instants(self, wall: datetime) -> list[datetime]:
        """The UTC instants at which the matching naive local time `wall` fires."""
        first = wall.replace(tzinfo=self.zone, fold=0)
        instants = [as_utc(first)]
        second = wall.replace(tzinfo=self.zone, fold=1)
        if self._every_hour and first.utcoffset() > second.utcoffset():
            instants.append(as_utc(second))
        return instants

    def events(self, after: datetime | None = None) -> Iterator[ClockEvent]:
        """Yield the events strictly later than `after` (default: now) and not before
        `start_date`, up to `end_date`; at most `MAX_CRON_EVENTS` per call.
        """
        zone = self.zone
        lower = as_utc(_now() if after is None else ensure_aware(after, "after"))
        start = None if self.start_date is None else as_utc(self.start_date)
        search_from = lower if start is None else max(lower, start)

        # Local time runs backwards at a fall-back, so start the wall-clock search early and
        # release an instant only once the search is well past its own wall time.
        cursor = search_from.astimezone(zone).replace(tzinfo=None, microsecond=0)
        matches = croniter(self.cron, cursor - _DST_HORIZON, day_or=self.day_or)
        pending: list[tuple[datetime, datetime]] = []
        previous: datetime | None = None
        emitted = 0
        while True:
            try:
                wall: datetime | None = matches.get_next(datetime)
            except (CroniterBadDateError, OverflowError):
                wall = None
            while pending and (wall is None or wall - _DST_HORIZON > pending[0][1]):
                instant, _ = heapq.heappop(pending)
                if instant <= lower or (start is not None and instant < start):
                    continue
                if previous is not None and instant <= previous:
                    continue
                if self._is_past_end(instant):
                    return
                previous = instant
                emitted += 1
                yield self._event(instant.astimezone(zone))
                if emitted >= MAX_CRON_EVENTS:
                    return
            if wall is None:
                return
            for instant in self._instants(wall):
                own_wall = instant.astimezone(zone).replace(tzinfo=None)
                heapq.heappush(pending, (instant, own_wall))


class DatesClock(Clock):
    """Fires once at each of the given datetimes (naive ones are taken as UTC).

    `start_date` is the earliest date and `end_date` the latest. Each date keeps the zone it
    was given in. Duplicates are yielded as given (`Schedule` drops repeats).
    """

    def __init__(
        self,
        dates: Iterable[datetime],
        parameter_defaults: dict | None = None,
        labels: list[str] | None = None,
    ) -> None:
        aware = [ensure_aware(date, "each of dates") for date in dates]
        if not aware:
            raise ValueError("DatesClock needs at least one date.")
        super().__init__(
            start_date=min(aware, key=as_utc),
            end_date=max(aware, key=as_utc),
            parameter_defaults=parameter_defaults,
            labels=labels,
        )
        self.dates = aware

    def events(self, after: datetime | None = None) -> Iterator[ClockEvent]:
        """Yield the dates strictly later than `after` (default: now), in order."""
        lower = as_utc(_now() if after is None else ensure_aware(after, "after"))
        for date in sorted(self.dates, key=as_utc):
            if as_utc(date) > lower:
                yield self._event(date)


class RRuleClock(Clock):
    """Fires at the occurrences of a `dateutil.rrule.rrule` or `rruleset`.

    The rule's own `dtstart`, `until` and `count` apply, further limited by `start_date`
    and `end_date`. A rule of naive datetimes is read as UTC and yields UTC times.
    """

    def __init__(
        self,
        rrule_obj: Any,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
        parameter_defaults: dict | None = None,
        labels: list[str] | None = None,
    ) -> None:
        from dateutil.rrule import rrulebase

        if not isinstance(rrule_obj, rrulebase):
            raise TypeError(
                f"rrule_obj must be an rrule or rruleset, got: {type(rrule_obj).__name__}"
            )
        super().__init__(start_date, end_date, parameter_defaults, labels)
        self.rrule_obj = rrule_obj

    def events(self, after: datetime | None = None) -> Iterator[ClockEvent]:
        """Yield the occurrences later than `after` (default: from now on, inclusive).

        When `after` is before `start_date`, the search starts at `start_date` inclusive.
        """
        inclusive = after is None
        after = _now() if after is None else ensure_aware(after, "after")
        if self.start_date is not None and as_utc(after) < as_utc(self.start_date):
            after = self.start_date
            inclusive = True
        first = next(iter(self.rrule_obj), None)
        if first is not None and first.tzinfo is None:
            search_from = as_utc(after).replace(tzinfo=None)
        elif first is not None:
            search_from = after.astimezone(first.tzinfo)
        else:
            return
        for occurrence in self.rrule_obj.xafter(search_from, inc=inclusive):
            start_time = ensure_aware(occurrence)
            if self._is_past_end(start_time):
                return
            yield self._event(start_time)
