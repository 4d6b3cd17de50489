"""Schedules: when flows run, and with which parameter values.

A `Schedule` merges the events of its clocks (`clocks.IntervalClock`, `clocks.CronClock`,
`clocks.DatesClock`, `clocks.RRuleClock`), keeps those its `filters` accept and moves them
with its `adjustments`. `IntervalSchedule`, `CronSchedule` and `RRuleSchedule` build a
one-clock schedule. All of it is pure computation; `Flow.run` consumes it.
"""

from prefect_core.schedules import adjustments, clocks, filters, schedules
from prefect_core.schedules.schedules import (
    CronSchedule,
    IntervalSchedule,
    RRuleSchedule,
    Schedule,
)

__all__ = [
    "CronSchedule",
    "IntervalSchedule",
    "RRuleSchedule",
    "Schedule",
    "adjustments",
    "clocks",
    "filters",
    "schedules",
]
