"""One action per question type: load the verified order, ask bot.replies, utter the result."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import say, utter, verified_record
from bot import clock, replies
from bot.settings import get_settings


class ExplainAction(Action):
    question: str = ""
    # Answered in general terms, with an offer to check the order, when nothing is verified.
    general_response: str | None = None

    def name(self) -> str:
        return f"action_explain_{self.question}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        record = verified_record(tracker)
        asked = list(tracker.get_slot("asked") or []) + [self.question]
        if record is None:
            if self.general_response:
                say(dispatcher, self.general_response)
                if self.question == "process":
                    say(dispatcher, "process_offer")
            else:  # rules verify first; reaching here means the order vanished from the store
                say(dispatcher, "ask_order_id")
            return [SlotSet("asked", asked[-20:])]
        answer = replies.QUESTIONS[self.question]
        utter(dispatcher, answer(record, clock.now(), get_settings()))
        return [SlotSet("asked", asked[-20:])]


class ActionExplainRefusal(ExplainAction):
    question = "refusal"


class ActionExplainCancel(ExplainAction):
    question = "cancel"


class ActionExplainStatus(ExplainAction):
    question = "status"


class ActionExplainLag(ExplainAction):
    question = "lag"


class ActionExplainMustAccept(ExplainAction):
    question = "must_accept"


class ActionExplainReturn(ExplainAction):
    question = "return"


class ActionExplainReturnFee(ExplainAction):
    question = "fee"
    general_response = "fee_general"

    def name(self) -> str:
        return "action_explain_return_fee"


class ActionExplainDelay(ExplainAction):
    question = "delay"


class ActionExplainRefund(ExplainAction):
    question = "refund"


class ActionExplainDefect(ExplainAction):
    question = "defect"


class ActionExplainFault(ExplainAction):
    question = "fault"


class ActionExplainProcess(ExplainAction):
    question = "process"
    general_response = "order_process"
