"""One action per registry question (bot/questions/registry.py): load the verified order,
ask the question's answer function, utter the result.

A buyer who has verified asks a question and the rules run its answer action alone (one
action-server call, data/rules/rules.yml "… once verified"); the `verified` slot that rule
reads opens nothing by itself. The answer checks the signed proof here, and when the proof
is missing, forged, expired or names another order than the one the buyer just typed, it
hands the turn to the verification form, exactly where the rules used to send every
question (the form asks what is missing, then the "answer … after verification" rule
answers).
"""

from __future__ import annotations

import asyncio
import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (
    STORE_UNAVAILABLE,
    current_proof,
    digits,
    proven_numbers,
    say,
    say_unavailable,
    utter,
    verified_record,
    verified_records,
    with_carrier_scans,
)
from actions.picker import ask_item, general_values, picked_item
from bot import clock
from bot.questions.registry import QUESTIONS, Question
from bot.settings import get_settings

logger = logging.getLogger(__name__)

ASKED_KEPT = 20  # the handoff summary needs the recent questions only
# The questions whose answers quote the carrier's scans: with a delivery-tracker configured,
# they say whether the times come from the carrier or from the order data.
SCAN_QUESTIONS = frozenset({"refusal", "status", "lag", "fault"})


class ExplainAction(Action):
    question: Question | None = None  # set on each generated subclass below

    def name(self) -> str:
        # The base class is registered too (rasa_sdk registers every subclass); its name is
        # never used by the domain.
        return self.question.action_name if self.question else "action_explain"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        question = self.question
        if not question.general and needs_verification(tracker):
            return [FollowupAction(VERIFY_FORM)]
        asked = list(tracker.get_slot("asked") or []) + [question.key]
        try:
            records = verified_records(tracker)
            record = verified_record(tracker) if records else None
        except STORE_UNAVAILABLE:  # the order database is down: say so, keep the proof
            logger.exception("order store unavailable")
            say_unavailable(dispatcher)
            return [SlotSet("asked", asked[-ASKED_KEPT:])]
        if len(records) > 1 and picked_item(tracker, records) is None:
            # Several items under one order number: ask which one instead of guessing.
            ask_item(dispatcher, records)
        elif record is not None:
            # the carrier's server may take a few seconds: not on the event loop
            record, source = await asyncio.to_thread(with_carrier_scans, record)
            extra = {"order": records} if question.whole_order else {}
            utter(dispatcher, question.answer(record, clock.now(), get_settings(), **extra))
            if source is not None and question.key in SCAN_QUESTIONS:
                say(dispatcher, f"source_{source.value}")
        elif question.general:
            values = general_values()
            for message in question.general:
                say(dispatcher, message, **values)
        else:  # rules verify first; reaching here means the order vanished from the store
            say(dispatcher, "ask_order_id")
        return [SlotSet("asked", asked[-ASKED_KEPT:])]


VERIFY_FORM = "verify_form"


def needs_verification(tracker: Tracker) -> bool:
    """No genuine, current proof for the order this buyer is asking about.

    The number typed last (slot `order_id`, kept after a successful check) must be one the
    proof covers (the order or one of its items, as the item picker's buttons send); a buyer
    who types another order number with a question proves that one first, as the
    verification form would have made them do (the same test as action_verify_order's).
    """
    found = current_proof(tracker)
    if found is None:
        return True
    typed = digits(tracker.get_slot("order_id"))[:32]
    return bool(typed) and typed not in proven_numbers(found)


def _class_name(question: Question) -> str:
    return "Action" + "".join(part.title() for part in question.action_name.split("_")[1:])


# One class per question, so the action server registers each action name.
ANSWER_ACTIONS: dict[str, type[ExplainAction]] = {
    question.key: type(_class_name(question), (ExplainAction,),
                       {"question": question, "__module__": __name__})
    for question in QUESTIONS
}
