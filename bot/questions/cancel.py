"""Cancelling: can it be cancelled, why was a cancel refused, was that the seller's fault."""

from __future__ import annotations

from datetime import datetime

from bot.orders.model import ProductOrderRecord
from bot.policy.shipping import (
    LagClass,
    RefusalVerdict,
    dispatch_facts,
    refusal_facts,
    tracking_lag,
)
from bot.policy.stage import CancelPath, Stage, cancel_path, stage_of
from bot.present import carrier_name, deadline_text, stage_text
from bot.questions.shared import (
    Reply,
    lag_replies,
    overdue_replies,
    refund_replies,
    reply,
    return_window_replies,
    stage_value,
    when,
)
from bot.settings import Settings


def pending_request(record: ProductOrderRecord) -> Reply:
    """The open cancel request, waiting for the seller."""
    claim = record.claim
    return reply("cancel_pending", requested_at=when(claim.claimRequestDate if claim else None))


def cancel(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    path = cancel_path(record)
    facts = stage_of(record)
    if path == CancelPath.INSTANT:
        return [reply("cancel_instant")]
    if path == CancelPath.REQUEST:
        return [reply("cancel_request", confirmed_at=when(facts.confirmed_at))] + overdue_replies(
            record, now, settings
        )
    if path == CancelPath.PENDING:
        return [pending_request(record)] + overdue_replies(record, now, settings)
    if path == CancelPath.RETURN_INSTEAD:
        return [reply("cancel_return_instead", sent_at=when(facts.sent_at))] + (
            return_window_replies(record, now, settings, with_how=False)
        )
    if path == CancelPath.ALREADY_CANCELED:
        return [reply("cancel_done")] + refund_replies(record, now, settings)
    return [reply("cancel_closed", stage=stage_text(facts.stage))]


def refusal(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    facts = refusal_facts(record, settings.policy)
    if facts is None:
        return [reply("refusal_none", stage=stage_value(record))] + cancel(record, now, settings)
    delivery = record.delivery
    times = {
        # An unknown time reads as nothing: the refusal messages only quote known ones.
        "requested_at": when(facts.requested_at) or "",
        "sent_at": when(facts.sent_at) or "",
        "scanned_at": when(facts.scanned_at) or "",
        "carrier": carrier_name(delivery.deliveryCompany if delivery else None),
    }
    replies: list[Reply]
    if facts.verdict == RefusalVerdict.SCANNED_BEFORE_REQUEST:
        replies = [reply("refusal_scanned_before", **times)]
    elif facts.verdict == RefusalVerdict.SCANNED_AFTER_REQUEST:
        replies = [reply("refusal_scanned_after", **times)]
    elif facts.verdict == RefusalVerdict.NO_SCAN_YET:
        replies = [reply("refusal_no_scan", **times)] + lag_replies(record, now, settings)
    else:
        replies = [reply("refusal_unknown", **times)]
    if facts.deadline_missed_at_request:
        due = dispatch_facts(record, now, settings.policy).due
        replies.append(
            reply("refusal_seller_side", due=deadline_text(due), requested_at=times["requested_at"])
        )
    if stage_of(record).stage == Stage.SHIPPING:
        replies.append(reply("refusal_next_shipping"))
    else:
        replies += return_window_replies(record, now, settings, with_how=False)
    return replies


def fault(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    facts = refusal_facts(record, settings.policy)
    dispatch = dispatch_facts(record, now, settings.policy)
    if facts is not None:
        if facts.deadline_missed_at_request:
            return [
                reply(
                    "fault_seller_delay",
                    due=deadline_text(dispatch.due),
                    requested_at=when(facts.requested_at),
                )
            ]
        times = {"requested_at": when(facts.requested_at), "scanned_at": when(facts.scanned_at)}
        if facts.verdict == RefusalVerdict.SCANNED_BEFORE_REQUEST:
            return [reply("fault_no", **times)]
        if facts.verdict == RefusalVerdict.SCANNED_AFTER_REQUEST:
            return [reply("fault_partly", **times)]
        return [reply("fault_unclear")] + lag_replies(record, now, settings)
    if dispatch.overdue:
        return [reply("fault_overdue", due=deadline_text(dispatch.due))]
    lag = tracking_lag(record, now, settings.policy)
    if lag is not None and lag.lag_class == LagClass.SUSPICIOUS:
        return lag_replies(record, now, settings)
    return [reply("fault_general")]
