"""Proving ownership: order number + last 4 phone digits, with one answer for every failure."""

from __future__ import annotations

import hmac
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (
    MAX_VERIFY_FAILURES,
    digits,
    failures,
    primary_record,
    say,
    store,
    utter,
)
from bot import replies
from bot.settings import get_settings


def _lookup_locked_values() -> dict[str, str]:
    shop = get_settings().store
    return {"store_name": shop.name, "store_phone": shop.contact_phone, "store_hours": shop.hours}


class ValidateVerifyForm(FormValidationAction):
    def name(self) -> str:
        return "validate_verify_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        if failures(tracker) >= MAX_VERIFY_FAILURES:
            return []  # locked: end the form at once; action_verify_order says why
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
        if number != tracker.get_slot("verified_order_id"):
            given_now = {e.get("entity") for e in tracker.latest_message.get("entities", [])}
            if "phone_last4" not in given_now:
                result["phone_last4"] = None
            result["verified"] = False
        return result

    def validate_phone_last4(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        number = digits(value)
        if len(number) < 4:
            say(dispatcher, "phone_format")
            return {"phone_last4": None}
        return {"phone_last4": number[-4:]}


class ActionVerifyOrder(Action):
    def name(self) -> str:
        return "action_verify_order"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        failed = failures(tracker)
        if failed >= MAX_VERIFY_FAILURES:
            say(dispatcher, "lookup_locked", **_lookup_locked_values())
            return [SlotSet("verified", False)]

        number = digits(tracker.get_slot("order_id"))
        phone = digits(tracker.get_slot("phone_last4"))[-4:]
        if (
            tracker.get_slot("verified")
            and number
            and number == tracker.get_slot("verified_order_id")
        ):
            return [SlotSet("verified", True)]

        records = store().find(number) if len(number) == 16 and len(phone) == 4 else []
        owned = [r for r in records if hmac.compare_digest(r.phone_last4, phone)]
        if owned:
            utter(dispatcher, replies.verified(primary_record(owned, number)))
            return [
                SlotSet("verified", True),
                SlotSet("verified_order_id", number),
                SlotSet("order_id", number),
            ]

        failed += 1
        if failed >= MAX_VERIFY_FAILURES:
            say(dispatcher, "lookup_locked", **_lookup_locked_values())
        else:
            say(dispatcher, "verify_failed", attempts_left=str(MAX_VERIFY_FAILURES - failed)
            )
        return [
            SlotSet("verified", False),
            SlotSet("verified_order_id", None),
            SlotSet("order_id", None),
            SlotSet("phone_last4", None),
            SlotSet("verify_failures", float(failed)),
        ]


class ActionSwitchOrder(Action):
    """'다른 주문': forget the verified order so the next question asks for a new one."""

    def name(self) -> str:
        return "action_switch_order"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        say(dispatcher, "order_switched")
        return [
            SlotSet("verified", False),
            SlotSet("verified_order_id", None),
            SlotSet("order_id", None),
            SlotSet("phone_last4", None),
        ]


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
