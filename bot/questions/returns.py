"""After delivery: must I accept it, how to return, who pays, when the money comes, defects."""

from __future__ import annotations

from datetime import datetime

from bot.orders.model import ProductOrderRecord
from bot.policy.fault import Basis, fault_of
from bot.policy.returns import AcceptAnswer, ReturnWindowStatus, must_accept, return_window
from bot.policy.stage import Stage, stage_of
from bot.present import stage_text
from bot.questions.cancel import cancel
from bot.questions.shared import (
    Reply,
    buyer_fee_values,
    claim_state,
    day,
    defect_values,
    fee_replies,
    refund_replies,
    reply,
    return_window_replies,
    settled_by_claim,
    when,
)
from bot.settings import Settings


def accept(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    answer = must_accept(record, now, settings.policy, settings.store)
    facts = stage_of(record)
    if answer.answer == AcceptAnswer.NOT_SHIPPED:
        return [reply("accept_not_shipped")] + cancel(record, now, settings)
    if answer.answer == AcceptAnswer.REFUSE_COSTS_SHIPPING:
        return [reply("accept_buyer_pays", **buyer_fee_values(answer.fee)),
                reply("accept_refuse_how")]
    if answer.answer == AcceptAnswer.SELLER_PAYS:
        basis = fault_of(record, now, settings.policy).basis
        if basis in (Basis.NO_DISPATCH_EVIDENCE, Basis.WRONG_INVOICE):
            return [reply("accept_not_dispatched"), reply("not_dispatched_next")]
        return [reply("accept_seller_pays"), reply("accept_refuse_how")] + fee_replies(
            record, now, settings)
    if answer.answer == AcceptAnswer.ALREADY_DELIVERED:
        return [
            reply("accept_delivered", delivered_at=when(facts.delivered_at))
        ] + return_window_replies(record, now, settings, with_how=True)
    return [reply("accept_not_applicable", stage=stage_text(facts.stage))]


def return_(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    return return_window_replies(record, now, settings, with_how=True)


def fee(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    stage = stage_of(record).stage
    if stage in (Stage.PAYMENT_WAITING, Stage.BEFORE_CONFIRM, Stage.PREPARING):
        return [reply("fee_not_shipped")]
    if stage == Stage.CANCELED:
        return [reply("return_canceled")]
    window = return_window(record, now, settings.policy)
    if window.status == ReturnWindowStatus.FINISHED:
        return claim_state(record, window)
    return claim_state(record, window) + fee_replies(record, now, settings)


def refund(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    return refund_replies(record, now, settings)


def defect(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    window = return_window(record, now, settings.policy)
    if window.status in (ReturnWindowStatus.OPEN, ReturnWindowStatus.CLOSED):
        within = now <= window.defect_deadline
        rejected = claim_state(record, window)
        return rejected + [
            reply(
                "defect" if within else "defect_late",
                delivered_at=day(window.delivered_at),
                **defect_values(window, settings),
            )
        ]
    if window.status == ReturnWindowStatus.DECIDED:
        return [reply("defect_decided", **defect_values(window, settings))]
    return settled_by_claim(record, window) or [reply("defect_not_delivered")]
