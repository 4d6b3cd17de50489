"""Datetime helpers: `retry_delay` builds retry-delay functions with optional backoff."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

__all__ = ["retry_delay"]


def retry_delay(
    interval: datetime.timedelta | None = None,
    *,
    exponential_backoff: bool = False,
    max_delay: datetime.timedelta | None = datetime.timedelta(hours=2),
    **timedelta_kwargs: Any,
) -> Callable[[int], datetime.timedelta]:
    """Return `delay(run_number) -> timedelta` for retries.

    Give either `interval` or `datetime.timedelta` keywords (`retry_delay(minutes=1)`).
    With `exponential_backoff` the delay doubles from the third run on:
    `interval * 2 ** max(0, run_number - 2)` (1, 1, 2, 4, ... intervals). Every delay is
    capped at `max_delay` unless it is None.

    Raises:
        - ValueError: if both or neither of `interval` and keywords are given
    """
    if interval is not None and timedelta_kwargs:
        raise ValueError("Provide an interval or interval keywords, but not both.")
    if interval is None and not timedelta_kwargs:
        raise ValueError("Provide either an interval or interval keywords.")
    base = interval if interval is not None else datetime.timedelta(**timedelta_kwargs)

    def delay(run_number: int) -> datetime.timedelta:
        scale = 2 ** max(0, run_number - 2) if exponential_backoff else 1
        value = base * scale
        return value if max_delay is None else min(value, max_delay)

    return delay
