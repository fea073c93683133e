"""bot/clock.py: one clock in Asia/Seoul, fixed by BOT_NOW."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot import clock
from bot.clock import KST, parse_instant, to_kst

NINE_HOURS = timedelta(hours=9)


def test_to_kst_takes_a_naive_time_as_kst_already():
    moment = to_kst(datetime(2026, 11, 27, 10, 0))
    assert moment.utcoffset() == NINE_HOURS
    assert (moment.hour, moment.minute) == (10, 0)


def test_to_kst_converts_an_aware_time():
    moment = to_kst(datetime(2026, 11, 27, 15, 30, tzinfo=timezone.utc))
    assert moment.tzinfo is KST
    assert (moment.date().isoformat(), moment.hour, moment.minute) == ("2026-11-28", 0, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The Commerce API's own form, milliseconds included.
        ("2026-11-26T10:05:00.000+09:00", datetime(2026, 11, 26, 10, 5, tzinfo=KST)),
        # UTC with Z: 15:01 UTC is already the next day in Seoul.
        ("2026-11-20T15:01:00Z", datetime(2026, 11, 21, 0, 1, tzinfo=KST)),
        ("2026-11-20T14:59:00.000Z", datetime(2026, 11, 20, 23, 59, tzinfo=KST)),
        ("2026-11-20T14:59:00+00:00", datetime(2026, 11, 20, 23, 59, tzinfo=KST)),
        ("2026-11-27T03:00:00+02:00", datetime(2026, 11, 27, 10, 0, tzinfo=KST)),
        # Naive: Seoul time, whatever the machine's time zone.
        ("2026-11-27T10:00:00", datetime(2026, 11, 27, 10, 0, tzinfo=KST)),
        ("  2026-11-27T10:00:00+09:00\n", datetime(2026, 11, 27, 10, 0, tzinfo=KST)),
    ],
)
def test_parse_instant(text, expected):
    parsed = parse_instant(text)
    assert parsed == expected
    assert parsed.utcoffset() == NINE_HOURS
    assert (parsed.date(), parsed.hour, parsed.minute) == (
        expected.date(),
        expected.hour,
        expected.minute,
    )


def test_now_follows_bot_now_with_z(monkeypatch):
    monkeypatch.setenv("BOT_NOW", "2026-11-27T01:00:00Z")
    fixed = clock.now()
    assert fixed.utcoffset() == NINE_HOURS
    assert (fixed.date().isoformat(), fixed.hour) == ("2026-11-27", 10)


def test_now_follows_bot_now_with_offset(monkeypatch):
    monkeypatch.setenv("BOT_NOW", "2026-11-27T10:00:00+09:00")
    assert clock.now() == datetime(2026, 11, 27, 1, 0, tzinfo=timezone.utc)


def test_now_reads_a_naive_bot_now_as_kst(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("BOT_NOW", "2026-11-27T23:30:00")
    fixed = clock.now()
    assert fixed.utcoffset() == NINE_HOURS
    assert (fixed.date().isoformat(), fixed.hour, fixed.minute) == ("2026-11-27", 23, 30)


@pytest.mark.parametrize("unset", ["", "   "])
def test_now_is_the_real_time_in_seoul_without_bot_now(monkeypatch, unset):
    monkeypatch.setenv("BOT_NOW", unset)
    before = datetime.now(timezone.utc)
    current = clock.now()
    after = datetime.now(timezone.utc)
    assert current.utcoffset() == NINE_HOURS
    assert before <= current <= after


@pytest.mark.parametrize("bad", ["tomorrow", "2026-13-01T10:00:00", "27/11/2026 10:00"])
def test_a_bad_bot_now_is_a_clear_error(monkeypatch, bad):
    monkeypatch.setenv("BOT_NOW", bad)
    with pytest.raises(ValueError) as caught:
        clock.now()
    message = str(caught.value)
    assert "BOT_NOW" in message
    assert repr(bad) in message
