"""Business days in Korea: weekends and Korean public holidays excluded."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

from bot.clock import KST, to_kst


@lru_cache(maxsize=32)
def _korean_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("KR", years=year)


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _korean_holidays(day.year)


def add_business_days(day: date, count: int) -> date:
    """The date `count` business days after `day` (`day` itself not counted)."""
    current = day
    remaining = count
    while remaining > 0:
        current += timedelta(days=1)
        if is_business_day(current):
            remaining -= 1
    return current


def business_days_elapsed(start: datetime, end: datetime) -> float:
    """Business time between two instants, in days: weekend and holiday hours don't count."""
    start, end = to_kst(start), to_kst(end)
    if end <= start:
        return 0.0
    total = timedelta()
    day = start.date()
    while day <= end.date():
        if is_business_day(day):
            day_start = datetime.combine(day, time.min, KST)
            day_end = day_start + timedelta(days=1)
            overlap = min(end, day_end) - max(start, day_start)
            if overlap > timedelta():
                total += overlap
        day += timedelta(days=1)
    return total.total_seconds() / 86400


def end_of_day(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), KST)


def subtract_business_days(day: date, count: int) -> date:
    """The date `count` business days before `day` (`day` itself not counted)."""
    current = day
    remaining = count
    while remaining > 0:
        current -= timedelta(days=1)
        if is_business_day(current):
            remaining -= 1
    return current
