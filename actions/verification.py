"""Proving ownership: order number + last 4 phone digits, with one answer for every failure.

Failures are counted in the attempt ledger (bot/security/ledger.py) per order number, per
conversation and per IP address, so a new sender id, `/restart` or an expired session
gives an outsider no new guesses. Success is recorded as a signed proof
(bot/security/proof.py) that answers check on every turn; the digits themselves are
never kept: the phone slot holds a keyed hash from the moment it is validated.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (
    STORE_UNAVAILABLE,
    client,
    conversation_key,
    current_proof,
    digits,
    failures,
    fetch_unknown,
    ledger,
    primary_record,
    proven_numbers,
    say,
    say_unavailable,
    shop_values,
    store,
    utter,
)
from bot.orders.model import ProductOrderRecord
from bot.present import mask_order_id
from bot.questions import shared
from bot.security import alerts, proof
from bot.security.ledger import attempts_left, is_locked, record_failure, subjects
from bot.settings import get_settings

logger = logging.getLogger(__name__)

FORGET_ATTEMPT = [SlotSet("order_id", None), SlotSet("phone_last4", None), SlotSet("item", None)]


def _client_subjects(tracker: Tracker, number: str = "") -> list:
    """Ledger subjects of this attempt; without a number, the conversation and IP only."""
    found = subjects(number, conversation_key(tracker), client(tracker).get("ip"))
    return found if number else found[1:]


def _sealed(value: Any) -> str | None:
    if proof.is_sealed(value):
        return value
    typed = digits(value)
    return proof.seal_phone(typed[-4:]) if len(typed) >= 4 else None


# The slot a number is, by the intent the NLU gave the message.
TYPED_AS = {"provide_order_id": "order_id", "provide_phone_last4": "phone_last4"}


def _typed_number(slot: str, tracker: Tracker) -> dict[str, Any]:
    """A number typed while the form asks for the *other* number.

    The slot mappings take text only for the slot being asked for, so "a 20-digit number
    while the phone digits are asked" would fill nothing and leave the buyer without an
    answer. Taken for what the NLU says it is, it is checked (and fails) like any other.
    """
    message = tracker.latest_message
    requested = tracker.get_slot("requested_slot")
    typed_as = TYPED_AS.get((message.get("intent") or {}).get("name"))
    entities = {e.get("entity") for e in message.get("entities") or []}
    if requested is None or typed_as != slot or typed_as == requested:
        return {}
    if entities & set(TYPED_AS.values()) or not digits(message.get("text")):
        return {}
    return {slot: message.get("text")}


class ValidateVerifyForm(FormValidationAction):
    def name(self) -> str:
        return "validate_verify_form"

    async def extract_order_id(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return _typed_number("order_id", tracker)

    async def extract_phone_last4(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return _typed_number("phone_last4", tracker)

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        try:
            locked = is_locked(ledger(), _client_subjects(tracker))
        except Exception:  # noqa: BLE001 - fail closed: action_verify_order explains
            logger.exception("attempt ledger unavailable")
            locked = True
        if locked:
            return []  # end the form at once; action_verify_order says why
        verified = current_proof(tracker)
        typed = digits(tracker.get_slot("order_id"))
        if verified is not None and typed in proven_numbers(verified):
            return []  # this order (or an item of it) is proven: nothing to ask
        return domain_slots

    def validate_order_id(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        number = digits(value)
        if not number:
            say(dispatcher, "order_id_help")
            return {"order_id": None}
        # Any digits are kept, even a malformed number: the check after both answers fails
        # with the same message as a wrong phone, so nothing tells which part was wrong.
        result: dict[str, Any] = {"order_id": number[:32]}
        verified = current_proof(tracker)
        if verified is None or number not in proven_numbers(verified):
            given_now = {e.get("entity") for e in tracker.latest_message.get("entities", [])}
            if "phone_last4" not in given_now:
                result["phone_last4"] = None
            result["verified"] = False
        return result

    def validate_phone_last4(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        sealed = _sealed(value)
        if sealed is None:
            say(dispatcher, "phone_format")
        return {"phone_last4": sealed}


class ActionVerifyOrder(Action):
    def name(self) -> str:
        return "action_verify_order"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        number = digits(tracker.get_slot("order_id"))[:32]
        verified = current_proof(tracker)
        if verified is not None and number in proven_numbers(verified):
            # The order again, or one of its items picked (a button of actions/picker.py).
            item = number if number in verified.product_order_ids else None
            return [SlotSet("verified", True), SlotSet("phone_last4", None), SlotSet("item", item)]

        now = time.time()
        attempt = _client_subjects(tracker, number or "none")
        try:
            locked = is_locked(ledger(), attempt, now)
        except Exception:  # noqa: BLE001 - no ledger, no lookups (fail closed)
            logger.exception("attempt ledger unavailable")
            say_unavailable(dispatcher)
            return [SlotSet("verified", False), *FORGET_ATTEMPT]
        if locked:
            say(dispatcher, "lookup_locked", **shop_values())
            return [SlotSet("verified", False), *FORGET_ATTEMPT]

        try:
            # off the event loop: with the live API configured, the check may ask it (seconds)
            owned = await asyncio.to_thread(
                self._owned, number, _sealed(tracker.get_slot("phone_last4"))
            )
        except STORE_UNAVAILABLE:  # fail closed: no lookup, and nothing counted against the buyer
            logger.exception("order store unavailable")
            say_unavailable(dispatcher)
            return [SlotSet("verified", False), *FORGET_ATTEMPT]
        if owned:
            if len(owned) > 1:  # several items: the answer asks which one
                say(dispatcher, "verified_items", order=mask_order_id(number),
                    count=str(len(owned)))
            else:
                utter(dispatcher, shared.verified(primary_record(owned, number)))
            token = proof.issue(
                tracker.sender_id, number, [r.product_order_id for r in owned], now
            )
            return [
                SlotSet("verified", True),
                SlotSet("verified_proof", token),
                SlotSet("order_id", number),
                SlotSet("phone_last4", None),
                SlotSet("item", None),
            ]
        return self._failed(dispatcher, tracker, attempt, now)

    @staticmethod
    def _owned(number: str, sealed: str | None) -> list[ProductOrderRecord]:
        if len(number) != 16 or sealed is None:
            return []
        try:
            owned = store().find_owned(number, sealed)
            if not owned and fetch_unknown(number):  # live API: an order not synced yet
                owned = store().find_owned(number, sealed)
            return owned  # a miss, fetched or not, fails below like any unknown order
        except STORE_UNAVAILABLE:
            raise  # the database is down: not this buyer's failure (see STORE_UNAVAILABLE)
        except Exception:  # noqa: BLE001 - any other error is a failure, reported like any other
            logger.exception("ownership check failed")
            return []

    @staticmethod
    def _failed(
        dispatcher: CollectingDispatcher, tracker: Tracker, attempt: list, now: float
    ) -> list[EventType]:
        counts = record_failure(ledger(), attempt, get_settings().security, now)
        for count in counts:
            if count.tripped:
                alerts.announce(count, client(tracker).get("channel") or "unknown", now)
        left = attempts_left(counts)
        if left == 0:
            say(dispatcher, "lookup_locked", **shop_values())
        else:
            say(dispatcher, "verify_failed", attempts_left=str(left))
        return [
            SlotSet("verified", False),
            SlotSet("verified_proof", None),
            *FORGET_ATTEMPT,
            SlotSet("verify_failures", float(failures(tracker) + 1)),
        ]


class ActionSwitchOrder(Action):
    """'다른 주문': forget the verified order so the next question asks for a new one."""

    def name(self) -> str:
        return "action_switch_order"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        say(dispatcher, "order_switched")
        return [SlotSet("verified", False), SlotSet("verified_proof", None), *FORGET_ATTEMPT]


class ActionAskOrderId(Action):
    """The form's question for the order number (text in bot/messages.yml)."""

    def name(self) -> str:
        return "action_ask_order_id"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        say(dispatcher, "ask_order_id")
        return []


class ActionAskPhoneLast4(Action):
    def name(self) -> str:
        return "action_ask_phone_last4"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        say(dispatcher, "ask_phone_last4")
        return []
