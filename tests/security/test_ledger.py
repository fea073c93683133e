"""bot/security/ledger.py on a real SQLite database and a real Redis server."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine

from bot.security.ledger import (
    RedisLedger,
    SqlLedger,
    Subject,
    attempts_left,
    is_locked,
    record_failure,
    subjects,
)
from bot.settings import Limit, SecuritySettings
from tests.support.redis_server import redis_server

SETTINGS = SecuritySettings(
    order=Limit(max_failures=3, window_minutes=10, lock_minutes=60),
    conversation=Limit(max_failures=5, window_minutes=10, lock_minutes=60),
    ip=Limit(max_failures=8, window_minutes=10, lock_minutes=30),
)
T0 = 1_800_000_000.0


@pytest.fixture(params=["sql", "redis"])
def ledger(request, tmp_path):
    if request.param == "sql":
        yield SqlLedger(create_engine(f"sqlite:///{tmp_path / 'ledger.db'}", future=True))
    else:
        with redis_server() as (port, _):
            yield RedisLedger(f"redis://127.0.0.1:{port}/0")


def fail(ledger, order="2026112500000004", conversation="rest:a", ip=None, at=T0):
    return record_failure(ledger, subjects(order, conversation, ip), SETTINGS, at)


def test_failures_count_per_subject_and_trip_at_the_limit(ledger):
    first = fail(ledger)
    assert [c.failures for c in first] == [1, 1]
    assert attempts_left(first) == 2  # the order's limit (3) is the tighter one
    fail(ledger, conversation="rest:b")
    third = fail(ledger, conversation="rest:c")
    order_count = third[0]
    assert order_count.failures == 3 and order_count.tripped and attempts_left(third) == 0
    assert is_locked(ledger, [Subject("order", "2026112500000004")], T0 + 1)
    assert not is_locked(ledger, [Subject("order", "2026112500000005")], T0 + 1)


def test_a_lock_lasts_its_period_then_opens(ledger):
    for n in range(3):
        fail(ledger, conversation=f"rest:{n}")
    order = [Subject("order", "2026112500000004")]
    assert is_locked(ledger, order, T0 + 59 * 60)
    assert not is_locked(ledger, order, T0 + 61 * 60)


def test_failures_outside_the_window_are_forgotten(ledger):
    fail(ledger, at=T0)
    fail(ledger, at=T0 + 5 * 60)
    later = fail(ledger, at=T0 + 11 * 60)  # the first one has left the 10-minute window
    assert later[0].failures == 2 and not later[0].tripped
    assert not is_locked(ledger, [Subject("order", "2026112500000004")], T0 + 11 * 60)


def test_the_ip_counts_across_orders_and_conversations(ledger):
    for n in range(8):
        counts = fail(ledger, order=f"20260101000000{n:02d}", conversation=f"rest:{n}",
                      ip="203.0.113.7")
    assert counts[-1].subject.scope == "ip" and counts[-1].tripped
    assert is_locked(ledger, [Subject("ip", "203.0.113.7")], T0 + 1)


def test_keys_are_hashes_not_the_values():
    subject = Subject("order", "2026112500000004")
    assert "2026112500000004" not in subject.key and len(subject.key) == 64
    assert subject.key != Subject("conversation", "2026112500000004").key


def test_nothing_readable_is_stored(tmp_path):
    path = tmp_path / "ledger.db"
    ledger = SqlLedger(create_engine(f"sqlite:///{path}", future=True))
    fail(ledger, ip="203.0.113.7")
    raw = path.read_bytes()
    assert b"2026112500000004" not in raw and b"203.0.113.7" not in raw and b"rest:a" not in raw
