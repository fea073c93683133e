"""Handing over to a person, and asking again when the assistant did not understand."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import failures, say, verified_record
from bot.messages import render
from bot.policy.stage import stage_of
from bot.present import INTENT_BUTTONS, QUESTION_LABELS
from bot.replies import handoff_summary
from bot.settings import get_settings


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        record = verified_record(tracker)
        asked = [QUESTION_LABELS.get(q, q) for q in tracker.get_slot("asked") or []]
        questions = list(dict.fromkeys(asked))  # unique, in order
        summary = handoff_summary(
            questions,
            record.order_id if record else None,
            stage_of(record).stage.value if record else None,
            failures(tracker),
        )
        parts = [f"주문 {summary['order']} ({summary['stage']})" if record else "주문 미확인"]
        if questions:
            parts.append("문의: " + ", ".join(questions))
        shop = get_settings().store
        say(dispatcher, "handoff",
            store_name=shop.name,
            store_phone=shop.contact_phone,
            store_hours=shop.hours,
            store_talktalk=shop.contact_talktalk,
            summary=" / ".join(parts),
        )
        dispatcher.utter_message(json_message={"handoff": summary})
        return []


FALLBACK_SKIP = {"nlu_fallback", "out_of_scope", "greet", "goodbye", "thank", "affirm", "deny"}


class ActionFallbackOptions(Action):
    """Ask to rephrase, offering the two likeliest topics as buttons."""

    def name(self) -> str:
        return "action_fallback_options"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        ranking = tracker.latest_message.get("intent_ranking") or []
        likely = [
            item["name"]
            for item in ranking
            if item.get("name") in INTENT_BUTTONS and item.get("name") not in FALLBACK_SKIP
        ][:2]
        if len(likely) < 2:
            likely += [i for i in ("ask_cancel_refused", "ask_return") if i not in likely]
        buttons = [{"title": INTENT_BUTTONS[name], "payload": f"/{name}"} for name in likely[:2]]
        buttons.append({"title": INTENT_BUTTONS["request_human"], "payload": "/request_human"})
        text = render("fallback_options")["text"]
        dispatcher.utter_message(text=text, buttons=buttons)
        return []
