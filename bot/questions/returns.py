"""After delivery: must I accept it, how to return, who pays, when the money comes, defects."""

from __future__ import annotations

from datetime import datetime

from bot.messages import label
from bot.orders.model import ProductOrderRecord
from bot.policy.returns import AcceptAnswer, ReturnWindowStatus, must_accept, return_window
from bot.policy.stage import Stage, stage_of
from bot.present import day_text, stage_text, won
from bot.questions.cancel import cancel
from bot.questions.shared import (
    Reply,
    claim_in_progress,
    day,
    fee_replies,
    refund_replies,
    reply,
    return_window_replies,
    settled_by_claim,
    when,
)
from bot.settings import Settings


def accept(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    answer = must_accept(record, settings.policy, settings.store)
    facts = stage_of(record)
    if answer.answer == AcceptAnswer.NOT_SHIPPED:
        return [reply("accept_not_shipped")] + cancel(record, now, settings)
    if answer.answer == AcceptAnswer.REFUSE_COSTS_SHIPPING:
        fee = answer.fee
        basis = label("fee_basis", "round_trip" if fee.round_trip else "one_way")
        return [reply("accept_buyer_pays", fee=won(fee.amount), fee_basis=basis)]
    if answer.answer == AcceptAnswer.SELLER_PAYS:
        return [reply("accept_seller_pays")] + fee_replies(record, settings)
    if answer.answer == AcceptAnswer.ALREADY_DELIVERED:
        return [
            reply("accept_delivered", delivered_at=when(facts.delivered_at))
        ] + return_window_replies(record, now, settings, with_how=True)
    return [reply("accept_not_applicable", stage=stage_text(facts.stage))]


def return_(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    return return_window_replies(record, now, settings, with_how=True)


def fee(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    stage = stage_of(record).stage
    if stage in (Stage.BEFORE_CONFIRM, Stage.PREPARING):
        return [reply("fee_not_shipped")]
    if stage == Stage.CANCELED:
        return [reply("return_canceled")]
    if stage == Stage.RETURN_EXCHANGE:
        return [claim_in_progress(record)] + fee_replies(record, settings)
    return fee_replies(record, settings)


def refund(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    return refund_replies(record, now, settings)


def defect(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    window = return_window(record, now, settings.policy)
    if window.status in (ReturnWindowStatus.OPEN, ReturnWindowStatus.CLOSED):
        within = now <= window.defect_deadline
        return [
            reply(
                "defect" if within else "defect_late",
                delivered_at=day(window.delivered_at),
                defect_deadline=day_text(window.defect_deadline),
                discovery_days=window.defect_discovery_days,
            )
        ]
    if window.status == ReturnWindowStatus.DECIDED:
        return [
            reply(
                "defect_decided",
                defect_deadline=day(window.defect_deadline),
                defect_months=settings.policy.defect_window_months,
            )
        ]
    return settled_by_claim(record, window) or [reply("defect_not_delivered")]
