"""Running an action outside Rasa: trackers built from dicts, a collecting dispatcher, proofs."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.security import proof

SENDER = "test"


def tracker(slots: dict[str, Any] | None = None, text: str = "", entities=None,
            intent: str = "", ranking=None, metadata=None, sender: str = SENDER) -> Tracker:
    return Tracker.from_dict(
        {
            "sender_id": sender,
            "slots": {"verify_failures": 0.0, "verified": False, **(slots or {})},
            "latest_message": {
                "text": text,
                "intent": {"name": intent, "confidence": 1.0},
                "entities": entities or [],
                "intent_ranking": ranking or [],
                "metadata": metadata or {},
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


def proof_for(number: str, product_order_ids: list[str], sender: str = SENDER,
              issued_at: float | None = None) -> str:
    issued = time.time() if issued_at is None else issued_at
    return proof.issue(sender, number, product_order_ids, issued)


def verified_slots(suffix: str) -> dict[str, Any]:
    """The slots of a conversation that has just proven it owns demo order `suffix`."""
    number = f"20261125000000{suffix}"
    return {"verified": True, "order_id": number,
            "verified_proof": proof_for(number, [f"20261125900000{suffix}"])}
