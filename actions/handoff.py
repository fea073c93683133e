"""Handing over to a person, and asking again when the assistant did not understand."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import STORE_UNAVAILABLE, failures, utter, verified_record
from bot.messages import button, render
from bot.questions.handoff import handoff
from bot.questions.registry import BY_INTENT
from bot.settings import get_settings


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        try:
            record = verified_record(tracker)
        except STORE_UNAVAILABLE:  # the order database is down: hand over without the order
            record = None
        replies, summary = handoff(
            record,
            list(tracker.get_slot("asked") or []),
            failures(tracker),
            get_settings(),
        )
        utter(dispatcher, replies)
        dispatcher.utter_message(json_message={"handoff": summary})
        return []


# Offered when the buyer asked nothing we answer; then two common questions stand in.
FALLBACK_DEFAULTS = ("ask_cancel_refused", "ask_return")


class ActionFallbackOptions(Action):
    """Ask to rephrase, offering the two likeliest questions as buttons."""

    def name(self) -> str:
        return "action_fallback_options"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        ranking = tracker.latest_message.get("intent_ranking") or []
        # Only questions of the registry: their buttons start an answer.
        likely = [item["name"] for item in ranking if item.get("name") in BY_INTENT][:2]
        likely += [i for i in FALLBACK_DEFAULTS if i not in likely]
        buttons = [button(intent) for intent in likely[:2]] + [button("request_human")]
        dispatcher.utter_message(text=render("fallback_options")["text"], buttons=buttons)
        return []
