"""The buyer questions the assistant answers from an order: one row each.

A row ties together everything that names the question: the intents that ask it, the
`question` slot value remembering it through verification, the action answering it, the
answer function, and the general answer given without an order. Its handoff label is
labels.questions.<key> and its button the title of its first intent (bot/messages.yml).
tests/test_registry.py names any part of domain.yml or data/rules/rules.yml that disagrees.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.questions import cancel, escalation, returns, shipping
from bot.questions.shared import Answer


@dataclass(frozen=True)
class Question:
    key: str  # the `question` slot's value
    intents: tuple[str, ...]  # the first one's button title offers the question
    answer: Answer
    # Said when no order is verified. A question with a general answer is answered at once,
    # even while verifying; the others wait for the order.
    general: tuple[str, ...] = ()
    action: str = ""  # defaults to action_explain_<key>

    @property
    def action_name(self) -> str:
        return self.action or f"action_explain_{self.key}"

    @property
    def button_intent(self) -> str:
        return self.intents[0]


QUESTIONS: tuple[Question, ...] = (
    Question("refusal", ("ask_cancel_refused",), cancel.refusal),
    Question("cancel", ("request_cancel",), cancel.cancel),
    Question("status", ("ask_order_status",), shipping.status),
    Question("lag", ("ask_tracking_lag",), shipping.lag),
    Question("must_accept", ("ask_must_accept",), returns.accept),
    Question("return", ("ask_return",), returns.return_),
    # The action kept its older name: renaming it would need a retrained model.
    Question("fee", ("ask_return_fee",), returns.fee, general=("fee_general",),
             action="action_explain_return_fee"),
    Question("delay", ("complain_shipping_delay",), shipping.delay),
    Question("refund", ("ask_refund_timing",), returns.refund),
    Question("defect", ("report_defect",), returns.defect),
    Question("fault", ("ask_seller_fault",), cancel.fault),
    Question("process", ("ask_order_process",), shipping.process,
             general=("order_process", "process_offer")),
    Question("escalate", ("ask_escalation",), escalation.escalate,
             general=("escalation_seller_first", "escalation")),
)

BY_KEY = {question.key: question for question in QUESTIONS}
BY_INTENT = {intent: question for question in QUESTIONS for intent in question.intents}
