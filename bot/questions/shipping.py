"""Where the order is: its stage, the tracking lag, a late dispatch, the order process."""

from __future__ import annotations

from datetime import datetime

from bot.messages import label
from bot.orders.model import ProductOrderRecord
from bot.policy.returns import return_window
from bot.policy.shipping import RefusalVerdict, dispatch_facts, refusal_facts, tracking_lag
from bot.policy.stage import CancelPath, Stage, cancel_path, stage_of
from bot.present import carrier_name, day_text, deadline_text, moment_text
from bot.questions.cancel import pending_request
from bot.questions.shared import (
    Reply,
    claim_state,
    lag_replies,
    overdue_replies,
    refund_replies,
    reply,
    return_window_replies,
    stage_value,
    when,
)
from bot.settings import Settings


def status(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    facts = stage_of(record)
    dispatch = dispatch_facts(record, now, settings.policy)
    if facts.stage == Stage.PAYMENT_WAITING:
        return [reply("status_unpaid", ordered_at=moment_text(record.order.orderDate))]
    if facts.stage == Stage.BEFORE_CONFIRM:
        return [
            reply(
                "status_before_confirm",
                ordered_at=moment_text(record.order.orderDate),
                due=day_text(dispatch.due),
            )
        ]
    if facts.stage == Stage.PREPARING:
        replies = [
            reply(
                "status_preparing",
                confirmed_at=when(facts.confirmed_at),
                due=deadline_text(dispatch.due),
            )
        ]
        if cancel_path(record) == CancelPath.PENDING:
            replies.append(pending_request(record))
        return replies + overdue_replies(record, now, settings)
    if facts.stage == Stage.SHIPPING:
        delivery = record.delivery
        return [
            reply(
                "status_shipping",
                sent_at=when(facts.sent_at),
                carrier=carrier_name(delivery.deliveryCompany if delivery else None),
                tracking=(delivery.trackingNumber if delivery else None) or None,
            )
        ] + lag_replies(record, now, settings)
    if facts.stage == Stage.DELIVERED:
        return [
            reply("status_delivered", delivered_at=when(facts.delivered_at))
        ] + return_window_replies(record, now, settings, with_how=False)
    if facts.stage == Stage.DECIDED:
        return return_window_replies(record, now, settings, with_how=False)
    if facts.stage == Stage.CANCELED:
        return [reply("cancel_done")] + refund_replies(record, now, settings)
    window = return_window(record, now, settings.policy)
    return claim_state(record, window) + refund_replies(record, now, settings)


def lag(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    replies = lag_replies(record, now, settings)
    if tracking_lag(record, now, settings.policy) is None:  # no invoice yet: is it late?
        replies += overdue_replies(record, now, settings)
    refusal = refusal_facts(record, now, settings.policy)
    if refusal and refusal.verdict == RefusalVerdict.SCANNED_AFTER_REQUEST:
        replies.append(
            reply(
                "lag_after_request",
                requested_at=when(refusal.requested_at),
                scanned_at=when(refusal.scanned_at),
            )
        )
    return replies


def delay(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    facts = stage_of(record)
    dispatch = dispatch_facts(record, now, settings.policy)
    if facts.stage == Stage.PAYMENT_WAITING:
        return status(record, now, settings)
    if facts.stage in (Stage.BEFORE_CONFIRM, Stage.PREPARING):
        if dispatch.overdue:
            return overdue_replies(record, now, settings) + [reply("delay_how_to_cancel")]
        return [reply("delay_not_yet", due=deadline_text(dispatch.due))]
    if dispatch.dispatched_at is not None:
        message = "delay_sent_late" if dispatch.sent_late else "delay_sent_on_time"
        lag = [] if dispatch.sent_late else lag_replies(record, now, settings)
        return [
            reply(
                message,
                due=deadline_text(dispatch.due),
                dispatched_at=when(dispatch.dispatched_at),
                evidence=label("dispatch_evidence", dispatch.evidence.value),
            )
        ] + lag
    if dispatch.sent_at is not None:  # an invoice nobody has scanned: not shown to be sent
        return lag_replies(record, now, settings)
    return status(record, now, settings)


def process(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    return [reply("order_process"), reply("process_current", stage=stage_value(record))]
