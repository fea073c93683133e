"""Action tests: trackers built from dicts, a real SQLite store in tmp, the clock fixed."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import common
from bot.clock import parse_instant
from bot.orders.demo import demo_records
from bot.orders.store import OrderStore

NOW = "2026-11-27T10:00:00+09:00"  # a Friday


@pytest.fixture(autouse=True)
def demo_store(tmp_path, monkeypatch) -> OrderStore:
    monkeypatch.setenv("ORDERS_DB_URL", f"sqlite:///{tmp_path}/orders.db")
    monkeypatch.setenv("BOT_NOW", NOW)
    common.store.cache_clear()
    store = common.store()
    store.upsert(demo_records(parse_instant(NOW)))
    yield store
    common.store.cache_clear()


def tracker(slots: dict[str, Any] | None = None, text: str = "", entities=None,
            intent: str = "", ranking=None) -> Tracker:
    return Tracker.from_dict(
        {
            "sender_id": "test",
            "slots": {"verify_failures": 0.0, "verified": False, **(slots or {})},
            "latest_message": {
                "text": text,
                "intent": {"name": intent, "confidence": 1.0},
                "entities": entities or [],
                "intent_ranking": ranking or [],
            },
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


def run(action, slots=None, **kwargs) -> tuple[list[dict], list[dict], CollectingDispatcher]:
    """Run an action; returns (events, messages)."""
    dispatcher = CollectingDispatcher()
    result = action.run(dispatcher, tracker(slots, **kwargs), {})
    events = asyncio.run(result) if asyncio.iscoroutine(result) else result
    return events, dispatcher.messages, dispatcher


def slot_events(events: list[dict]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def texts(messages: list[dict]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def verified_slots(suffix: str) -> dict[str, Any]:
    number = f"20261125000000{suffix}"
    return {"verified": True, "verified_order_id": number, "order_id": number,
            "phone_last4": f"10{suffix}"}
