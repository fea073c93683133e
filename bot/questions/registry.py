"""The buyer questions the assistant answers from an order: one row each.

A row ties together everything that names the question: the intents that ask it, the
`question` slot value remembering it through verification, the action answering it, the
answer function, and the general answer given without an order. Its handoff label is
labels.questions.<key> and its button the title of its first intent (bot/messages.yml).
tests/test_registry.py names any part of domain.yml or data/rules/rules.yml that disagrees.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.questions import after_sale, cancel, escalation, returns, shipping
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
    # The answer also takes `order=`: every product order of the order the buyer proved
    # they own (a partial cancel or return is about the rest of the order too).
    whole_order: bool = False

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
    Question("lost", ("report_not_received",), after_sale.lost),
    Question("return_rejected", ("ask_return_rejected",), after_sale.return_rejected,
             general=("return_rejected_general", "after_sale_offer")),
    Question("pickup", ("ask_return_pickup",), after_sale.pickup,
             general=("pickup_general", "after_sale_offer")),
    Question("bundle_fee", ("ask_bundle_fee",), after_sale.bundle,
             general=("bundle_fee_general", "after_sale_offer"), whole_order=True),
    Question("address", ("request_address_change",), after_sale.address),
    Question("seller_notice", ("ask_seller_notice",), after_sale.seller_notice),
    Question("opened", ("ask_opened_return",), after_sale.opened,
             general=("opened_rule", "after_sale_offer")),
    Question("exception", ("ask_return_exception",), after_sale.exception,
             general=("exception_rule", "exception_overseas", "after_sale_offer")),
    Question("auto_confirm", ("ask_auto_confirm",), after_sale.auto_confirm,
             general=("auto_confirm_general", "after_sale_offer")),
    Question("refund_less", ("ask_refund_less",), after_sale.refund_less,
             general=("refund_less_general", "after_sale_offer"), whole_order=True),
)

BY_KEY = {question.key: question for question in QUESTIONS}
BY_INTENT = {intent: question for question in QUESTIONS for intent in question.intents}
