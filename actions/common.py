"""What every action needs: the order store, the clock, the settings, and uttering replies."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.messages import render
from bot.orders.model import ProductOrderRecord
from bot.orders.store import OrderStore
from bot.replies import Reply

MAX_VERIFY_FAILURES = 5


@lru_cache(maxsize=1)
def store() -> OrderStore:
    return OrderStore()


def say(dispatcher: CollectingDispatcher, name: str, **values: str) -> None:
    """Utter message `name` from bot/messages.yml, filled with `values`."""
    message = render(name, values)
    dispatcher.utter_message(text=message["text"], buttons=message["buttons"])


def utter(dispatcher: CollectingDispatcher, replies: list[Reply]) -> None:
    for reply in replies:
        say(dispatcher, reply.response, **reply.values)


def digits(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return "".join(ch for ch in str(value or "") if ch.isdigit())


def primary_record(records: list[ProductOrderRecord], number: str) -> ProductOrderRecord:
    """The product order a question is about: the one named, else one with a claim."""
    for record in records:
        if record.product_order_id == number:
            return record
    with_claim = [record for record in records if record.productOrder.claimType is not None]
    return (with_claim or records)[0]


def verified_record(tracker: Tracker) -> ProductOrderRecord | None:
    """The order this conversation has proven ownership of, fresh from the store."""
    number = tracker.get_slot("verified_order_id")
    if not number or not tracker.get_slot("verified"):
        return None
    records = store().find(number)
    return primary_record(records, number) if records else None


def failures(tracker: Tracker) -> int:
    return int(tracker.get_slot("verify_failures") or 0)
