"""What every action needs: the order store, the ledger, the clock, the settings, and
uttering replies."""

from __future__ import annotations

import time
from functools import lru_cache
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import InterfaceError, OperationalError

from bot.live.commerce import CommerceClient, CommerceError
from bot.live.commerce import configured as commerce_configured
from bot.live.sync import fetch_order
from bot.live.tracking import DeliveryTracker, Source, scans_for, tracker_from_env
from bot.messages import render
from bot.nlp.digits import ascii_digits
from bot.orders.model import ProductOrderRecord
from bot.orders.store import OrderStore
from bot.questions.shared import Reply
from bot.security import proof
from bot.security.ledger import Ledger, ledger_for
from bot.settings import get_settings

# What the order database raises when it cannot be reached (down, restarting, network lost).
# Such an outage is nobody's failed check: actions answer `lookup_unavailable` and count
# nothing. Errors tied to one order's data stay ordinary failures, so that no answer tells
# an existing order number from an unknown one. The live Commerce API, when configured, is
# part of the store: an API that cannot answer is an outage too.
STORE_UNAVAILABLE = (OperationalError, InterfaceError, CommerceError)


@lru_cache(maxsize=1)
def store() -> OrderStore:
    return OrderStore()


@lru_cache(maxsize=1)
def ledger() -> Ledger:
    return ledger_for(store().engine)


@lru_cache(maxsize=1)
def commerce() -> CommerceClient | None:
    """The live Commerce API for on-demand lookups; None unless COMMERCE_CLIENT_ID/SECRET."""
    config = commerce_configured()
    if config is None:
        return None
    live = get_settings().live
    return CommerceClient(config, live, attempts=live.on_demand_attempts)


@lru_cache(maxsize=1)
def delivery_tracker() -> DeliveryTracker | None:
    return tracker_from_env(get_settings().live)


def fetch_unknown(number: str) -> bool:
    """An order number the store lacks, fetched once from the live API; whether it was found.

    Raises CommerceError when the API cannot answer (STORE_UNAVAILABLE: nobody's failure)."""
    api = commerce()
    if api is None or store().find(number):
        return False
    return fetch_order(api, store(), number) > 0


def with_carrier_scans(record: ProductOrderRecord) -> tuple[ProductOrderRecord, Source | None]:
    """The record completed from the carrier's own scans, and which source the answer used;
    (record, None) without a delivery-tracker."""
    tracker = delivery_tracker()
    return scans_for(record, tracker) if tracker is not None else (record, None)


def say(dispatcher: CollectingDispatcher, name: str, **values: str) -> None:
    """Utter message `name` from bot/messages.yml, filled with `values`."""
    message = render(name, values)
    dispatcher.utter_message(text=message["text"], buttons=message["buttons"])


def shop_values() -> dict[str, str]:
    shop = get_settings().store
    return {"store_name": shop.name, "store_phone": shop.contact_phone, "store_hours": shop.hours}


def say_unavailable(dispatcher: CollectingDispatcher) -> None:
    """Lookups are down for now: say so politely and point to the store's customer service."""
    say(dispatcher, "lookup_unavailable", **shop_values())


def utter(dispatcher: CollectingDispatcher, replies: list[Reply]) -> None:
    for reply in replies:
        say(dispatcher, reply.message, **reply.values)


def digits(value: Any) -> str:
    return ascii_digits(value)


def client(tracker: Tracker) -> dict[str, Any]:
    """What the channel (not the user) said about the client: bot/channels/guard.py."""
    metadata = tracker.latest_message.get("metadata") or {}
    found = metadata.get("client") if isinstance(metadata, dict) else None
    return found if isinstance(found, dict) else {}


def conversation_key(tracker: Tracker) -> str:
    return f"{client(tracker).get('channel') or 'unknown'}:{tracker.sender_id}"


def primary_record(records: list[ProductOrderRecord], number: str) -> ProductOrderRecord:
    """The product order a question is about: the one named, else one with a claim."""
    for record in records:
        if record.product_order_id == number:
            return record
    with_claim = [record for record in records if record.productOrder.claimType is not None]
    return (with_claim or records)[0]


def current_proof(tracker: Tracker) -> proof.Proof | None:
    """The conversation's proof of ownership, if it is genuine, its own and recent."""
    max_age = get_settings().security.verification_max_age_minutes * 60
    return proof.check(tracker.get_slot("verified_proof"), tracker.sender_id, time.time(), max_age)


def proven_numbers(found: proof.Proof) -> set[str]:
    """The numbers a proof covers: its order number and the product orders it names."""
    return {found.order_id, *found.product_order_ids}


def verified_records(tracker: Tracker) -> list[ProductOrderRecord]:
    """The product orders this conversation has proven it owns, fresh from the store.

    Only the product orders the proof names are loaded: never other records that share
    the order number, and nothing at all on the word of a `verified` slot alone.
    """
    found = current_proof(tracker)
    if found is None:
        return []
    named = set(found.product_order_ids)
    return [r for r in store().find(found.order_id) if r.product_order_id in named]


def picked_item(tracker: Tracker, records: list[ProductOrderRecord]) -> str | None:
    """The product order the buyer picked (the `item` slot), if it is one of `records`."""
    item = tracker.get_slot("item")
    return item if item in {r.product_order_id for r in records} else None


def verified_record(tracker: Tracker) -> ProductOrderRecord | None:
    """The proven product order a question is about: the picked item, else the primary one."""
    records = verified_records(tracker)
    if not records:
        return None
    return primary_record(records, picked_item(tracker, records) or current_proof(tracker).order_id)


def failures(tracker: Tracker) -> int:
    return int(tracker.get_slot("verify_failures") or 0)
