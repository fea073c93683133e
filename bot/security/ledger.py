"""The attempt ledger: failed ownership checks, counted outside any conversation.

A conversation's own counter resets with every new sender id, `/restart` or session
expiry. The ledger counts failures per *key* (an order number, a conversation, an IP
address) over a sliding window; a key that reaches its limit is locked for a while, and
every lookup through a locked key is refused, whichever conversation it comes from.

Keys are stored as keyed hashes, never as order numbers or addresses. The ledger lives in
the order store's database (one SQL table pair) or, when LEDGER_REDIS_URL is set, in Redis
(the lock store's server at scale). Times are real epoch seconds: BOT_NOW fixes the clock
the policy reasons with, not the clock of an attack.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, delete, func, select
from sqlalchemy.engine import Engine

from bot.security.keys import keyed_hash
from bot.settings import Limit, SecuritySettings

metadata = MetaData()
failures = Table(
    "verification_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(64), nullable=False, index=True),
    Column("at", Float, nullable=False),
)
locks = Table(
    "verification_locks",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("until", Float, nullable=False),
)


@dataclass(frozen=True)
class Subject:
    """One thing failures are counted against: scope ("order", "conversation", "ip")."""

    scope: str
    value: str

    @property
    def key(self) -> str:
        return keyed_hash("ledger", f"{self.scope}:{self.value}")


@dataclass(frozen=True)
class Count:
    subject: Subject
    failures: int  # within the window, this one included
    limit: Limit

    @property
    def left(self) -> int:
        return max(self.limit.max_failures - self.failures, 0)

    @property
    def tripped(self) -> bool:
        """This failure is the one that reached the limit."""
        return self.failures == self.limit.max_failures


def subjects(order_number: str, conversation: str, ip: str | None) -> list[Subject]:
    found = [Subject("order", order_number), Subject("conversation", conversation)]
    if ip:
        found.append(Subject("ip", ip))
    return found


def limit_of(subject: Subject, settings: SecuritySettings) -> Limit:
    return getattr(settings, subject.scope)


class Ledger(Protocol):
    def locked(self, keys: Iterable[str], now: float) -> bool: ...

    def fail(self, key: str, limit: Limit, now: float) -> int:
        """Record a failure; lock the key when it reaches the limit; failures in window."""
        ...


class SqlLedger:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        metadata.create_all(engine)

    def locked(self, keys: Iterable[str], now: float) -> bool:
        query = select(func.count()).select_from(locks).where(
            locks.c.key.in_(list(keys)), locks.c.until > now
        )
        with self.engine.connect() as connection:
            return connection.execute(query).scalar_one() > 0

    def fail(self, key: str, limit: Limit, now: float) -> int:
        since = now - limit.window_minutes * 60
        with self.engine.begin() as connection:
            old = delete(failures).where(failures.c.key == key, failures.c.at <= since)
            connection.execute(old)
            connection.execute(failures.insert().values(key=key, at=now))
            count = connection.execute(
                select(func.count()).select_from(failures).where(failures.c.key == key)
            ).scalar_one()
            if count >= limit.max_failures:
                connection.execute(delete(locks).where(locks.c.key == key))
                connection.execute(
                    locks.insert().values(key=key, until=now + limit.lock_minutes * 60)
                )
        return count


class RedisLedger:
    """Failures as a sorted set per key (scored by time), locks as expiring keys."""

    def __init__(self, url: str) -> None:
        import redis

        self.redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    def locked(self, keys: Iterable[str], now: float) -> bool:
        names = [f"ledger:lock:{key}" for key in keys]
        return any(float(until) > now for until in self.redis.mget(names) if until is not None)

    def fail(self, key: str, limit: Limit, now: float) -> int:
        name = f"ledger:failures:{key}"
        window = int(limit.window_minutes * 60)
        pipe = self.redis.pipeline(transaction=True)
        pipe.zremrangebyscore(name, "-inf", now - window)
        pipe.zadd(name, {uuid.uuid4().hex: now})
        pipe.zcard(name)
        pipe.expire(name, window)
        count = int(pipe.execute()[2])
        if count >= limit.max_failures:
            lock_seconds = int(limit.lock_minutes * 60)
            self.redis.set(f"ledger:lock:{key}", now + lock_seconds, ex=lock_seconds)
        return count


def ledger_for(order_store_engine: Engine) -> Ledger:
    url = os.environ.get("LEDGER_REDIS_URL", "").strip()
    return RedisLedger(url) if url else SqlLedger(order_store_engine)


def record_failure(
    ledger: Ledger, found: list[Subject], settings: SecuritySettings, now: float | None = None
) -> list[Count]:
    when = time.time() if now is None else now
    counts = []
    for subject in found:
        limit = limit_of(subject, settings)
        counts.append(Count(subject, ledger.fail(subject.key, limit, when), limit))
    return counts


def is_locked(ledger: Ledger, found: list[Subject], now: float | None = None) -> bool:
    return ledger.locked([s.key for s in found], time.time() if now is None else now)


def attempts_left(counts: list[Count]) -> int:
    return min(count.left for count in counts)
