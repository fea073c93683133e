"""bot/calendar.py: business days with weekends and Korean public holidays."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from bot.calendar import (
    add_business_days,
    business_days_elapsed,
    end_of_day,
    is_business_day,
    subtract_business_days,
)
from bot.clock import KST


def kst(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=KST)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 9, 24),  # the day before Chuseok (Thu)
        date(2026, 9, 25),  # Chuseok (Fri)
        date(2026, 9, 26),  # the day after Chuseok (Sat)
        date(2026, 10, 3),  # National Foundation Day (Sat)
        date(2026, 10, 5),  # its alternative holiday (Mon)
        date(2026, 10, 9),  # Hangul Day (Fri)
        date(2026, 12, 25),  # Christmas (Fri)
        date(2027, 1, 1),  # New Year's Day (Fri)
        date(2026, 11, 28),  # Saturday
        date(2026, 11, 29),  # Sunday
    ],
)
def test_holidays_and_weekends_are_not_business_days(day):
    assert not is_business_day(day)


@pytest.mark.parametrize(
    "day",
    [date(2026, 9, 23), date(2026, 9, 28), date(2026, 10, 2), date(2026, 10, 6),
     date(2026, 11, 27), date(2026, 12, 24), date(2026, 12, 28)],
)
def test_ordinary_weekdays_are_business_days(day):
    assert is_business_day(day)


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (date(2026, 11, 23), 1, date(2026, 11, 24)),  # Mon -> Tue
        (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Fri -> Mon over the weekend
        (date(2026, 11, 27), 3, date(2026, 12, 2)),  # Fri -> Wed
        (date(2026, 11, 28), 1, date(2026, 11, 30)),  # from a Saturday
        (date(2026, 9, 23), 1, date(2026, 9, 28)),  # Wed -> Mon: Chuseok Thu-Sat + Sun
        (date(2026, 9, 23), 3, date(2026, 9, 30)),
        (date(2026, 10, 2), 1, date(2026, 10, 6)),  # Fri -> Tue: 10-03 Sat, Sun, 10-05 alt.
        (date(2026, 10, 1), 3, date(2026, 10, 7)),  # Thu -> Fri, Tue, Wed
        (date(2026, 10, 8), 1, date(2026, 10, 12)),  # Thu -> Mon: Hangul Day Fri
        (date(2026, 12, 24), 1, date(2026, 12, 28)),  # Thu -> Mon: Christmas Fri
        (date(2026, 12, 22), 3, date(2026, 12, 28)),  # Wed, Thu, (Fri 25), Mon
        (date(2026, 12, 31), 1, date(2027, 1, 4)),  # over New Year's Day and a weekend
        (date(2026, 11, 23), 0, date(2026, 11, 23)),
    ],
)
def test_add_business_days(start, count, expected):
    assert add_business_days(start, count) == expected


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (date(2026, 11, 30), 1, date(2026, 11, 27)),  # Mon -> Fri
        (date(2026, 9, 28), 1, date(2026, 9, 23)),  # back over Chuseok
        (date(2026, 10, 6), 1, date(2026, 10, 2)),  # back over 10-03..05
        (date(2026, 12, 28), 1, date(2026, 12, 24)),  # back over Christmas
        (date(2026, 11, 28), 4, date(2026, 11, 24)),  # from a Saturday
        (date(2026, 11, 27), 0, date(2026, 11, 27)),
    ],
)
def test_subtract_business_days(start, count, expected):
    assert subtract_business_days(start, count) == expected


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (kst(2026, 11, 24, 10), kst(2026, 11, 24, 16), 0.25),  # six hours of a Tuesday
        (kst(2026, 11, 23, 10), kst(2026, 11, 24, 10), 1.0),
        (kst(2026, 11, 23, 10), kst(2026, 11, 26, 10), 3.0),
        (kst(2026, 11, 27, 16), kst(2026, 11, 30, 10), 0.75),  # Fri 8 h + Mon 10 h
        (kst(2026, 11, 27, 15), kst(2026, 11, 30, 15), 1.0),  # a weekend counts nothing
        (kst(2026, 9, 23, 12), kst(2026, 9, 28, 12), 1.0),  # Chuseok + Sunday: nothing
        (kst(2026, 10, 2, 18), kst(2026, 10, 6, 18), 1.0),  # 10-03, Sun, alt. 10-05
        (kst(2026, 12, 24, 12), kst(2026, 12, 28, 12), 1.0),  # Christmas + weekend
        (kst(2026, 9, 24, 9), kst(2026, 9, 27, 23), 0.0),  # wholly inside the holidays
        (kst(2026, 11, 24, 10), kst(2026, 11, 24, 10), 0.0),
        (kst(2026, 11, 24, 16), kst(2026, 11, 24, 10), 0.0),  # end before start
    ],
)
def test_business_days_elapsed(start, end, days):
    assert business_days_elapsed(start, end) == pytest.approx(days)


def test_business_days_elapsed_counts_on_the_kst_calendar():
    # 15:30-16:30 UTC on Friday 11-27 is 00:30-01:30 on Saturday in Seoul: no business time.
    start = datetime(2026, 11, 27, 15, 30, tzinfo=timezone.utc)
    end = datetime(2026, 11, 27, 16, 30, tzinfo=timezone.utc)
    assert business_days_elapsed(start, end) == 0.0
    # 15:00 UTC Thursday = Friday 00:00 KST; to 03:00 UTC Friday = 12:00 KST: half a day.
    start = datetime(2026, 11, 26, 15, 0, tzinfo=timezone.utc)
    end = datetime(2026, 11, 27, 3, 0, tzinfo=timezone.utc)
    assert business_days_elapsed(start, end) == pytest.approx(0.5)


def test_business_days_elapsed_of_one_second():
    start = kst(2026, 11, 26, 23, 59, 59)
    end = kst(2026, 11, 27, 0, 0, 0)
    assert business_days_elapsed(start, end) == pytest.approx(1 / 86400)


def test_end_of_day_is_the_last_second_in_seoul():
    end = end_of_day(date(2026, 11, 27))
    assert end == kst(2026, 11, 27, 23, 59, 59)
    assert end.tzinfo is KST
