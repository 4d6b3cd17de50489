"""Tests for prefect_core.utilities.datetimes.retry_delay."""

from datetime import timedelta

import pytest

from prefect_core.utilities.datetimes import retry_delay


def test_interval_is_returned_for_every_run():
    delay = retry_delay(timedelta(seconds=5))
    assert [delay(n) for n in (1, 2, 3, 10)] == [timedelta(seconds=5)] * 4


def test_timedelta_keywords_build_the_interval():
    assert retry_delay(minutes=2)(1) == timedelta(minutes=2)


def test_interval_and_keywords_together_raise():
    with pytest.raises(ValueError, match="Provide an interval or interval keywords, but not both."):
        retry_delay(timedelta(seconds=1), minutes=1)


def test_neither_interval_nor_keywords_raise():
    with pytest.raises(ValueError, match="Provide either an interval or interval keywords."):
        retry_delay()


def test_exponential_backoff_doubles_from_the_third_run():
    delay = retry_delay(seconds=1, exponential_backoff=True)
    assert [delay(n).total_seconds() for n in (1, 2, 3, 4, 5)] == [1, 1, 2, 4, 8]


def test_backoff_is_capped_at_max_delay():
    delay = retry_delay(minutes=1, exponential_backoff=True, max_delay=timedelta(minutes=3))
    assert delay(10) == timedelta(minutes=3)


def test_default_max_delay_is_two_hours():
    delay = retry_delay(hours=1, exponential_backoff=True)
    assert delay(10) == timedelta(hours=2)


def test_max_delay_none_means_uncapped():
    delay = retry_delay(hours=1, exponential_backoff=True, max_delay=None)
    assert delay(10) == timedelta(hours=256)


def test_max_delay_also_caps_a_plain_interval():
    assert retry_delay(hours=3)(1) == timedelta(hours=2)


def test_interval_is_keyword_only_after_the_first_argument():
    with pytest.raises(TypeError):
        retry_delay(timedelta(seconds=1), True)
