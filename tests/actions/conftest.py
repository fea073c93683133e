"""Action tests: trackers built from dicts, a real SQLite store in tmp, the clock fixed."""

from __future__ import annotations

import pytest

from actions import common
from bot.orders.demo import demo_records
from bot.orders.store import OrderStore
from tests.support.clock import FIXED_NOW, FIXED_NOW_TEXT


@pytest.fixture(autouse=True)
def demo_store(tmp_path, monkeypatch) -> OrderStore:
    monkeypatch.setenv("ORDERS_DB_URL", f"sqlite:///{tmp_path}/orders.db")
    monkeypatch.setenv("BOT_NOW", FIXED_NOW_TEXT)
    monkeypatch.delenv("LEDGER_REDIS_URL", raising=False)
    for live in ("COMMERCE_CLIENT_ID", "COMMERCE_CLIENT_SECRET", "DELIVERY_TRACKER_URL"):
        monkeypatch.delenv(live, raising=False)  # the demo store alone unless a test says so
    caches = (common.store, common.ledger, common.commerce, common.delivery_tracker)
    for cache in caches:
        cache.cache_clear()
    store = common.store()
    store.upsert(demo_records(FIXED_NOW))
    yield store
    for cache in caches:
        cache.cache_clear()
