"""What every answer is made of: a Reply (message name + values) and the pieces that more
than one topic says (the claim under way, the return window, the tracking lag, the overdue
dispatch, the refund). Pure functions of (record, now, settings); dates come from the
policy, Korean from bot/messages.yml.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.messages import label, labels
from bot.orders.model import ProductOrderRecord
from bot.policy.returns import (
    RefundKind,
    ReturnWindow,
    ReturnWindowStatus,
    Side,
    known_side,
    refund_timing,
    return_fee,
    return_window,
)
from bot.policy.shipping import LagClass, dispatch_facts, refusal_facts, tracking_lag
from bot.policy.stage import Stage, stage_of
from bot.present import (
    carrier_name,
    day_text,
    days_left_text,
    deadline_text,
    duration_text,
    mask_order_id,
    moment_text,
    stage_text,
    won,
)
from bot.settings import Settings


@dataclass(frozen=True)
class Reply:
    message: str  # a name in bot/messages.yml
    values: dict[str, str] = field(default_factory=dict)


# An answer to one question about one order, as of `now`.
Answer = Callable[[ProductOrderRecord, datetime, Settings], list[Reply]]


def reply(message: str, **values: object) -> Reply:
    """A reply; None values are left out, so the message's `defaults` word fills them."""
    return Reply(message, {key: str(value) for key, value in values.items() if value is not None})


def when(moment: datetime | None) -> str | None:
    return moment_text(moment) if moment else None


def day(moment: datetime | None) -> str | None:
    return day_text(moment) if moment else None


def stage_value(record: ProductOrderRecord) -> str:
    return stage_text(stage_of(record).stage)


def order_values(record: ProductOrderRecord) -> dict[str, str]:
    return {
        "product": record.productOrder.productName,
        "order": mask_order_id(record.order_id),
        "stage": stage_value(record),
    }


def verified(record: ProductOrderRecord) -> list[Reply]:
    return [reply("verified", **order_values(record))]


def settle_text(days: tuple[int, int]) -> str:
    low, high = days
    return str(low) if low == high else f"{low}~{high}"


# --- pieces more than one topic says ------------------------------------------------------


def fee_replies(record: ProductOrderRecord, settings: Settings) -> list[Reply]:
    side = known_side(record, settings.policy)
    if side == Side.SELLER:
        refusal = refusal_facts(record, settings.policy)
        reason = record.claim.reason.value if record.claim and record.claim.reason else None
        if reason is None or (refusal is not None and refusal.deadline_missed_at_request):
            reason = "DELAYED_DELIVERY"
        return [reply("fee_seller", reason=labels("reasons").get(reason))]
    fee = return_fee(record, Side.BUYER, settings.store)
    basis = label("fee_basis", "round_trip" if fee.round_trip else "one_way")
    return [reply("fee_buyer", fee=won(fee.amount), fee_basis=basis)]


def claim_in_progress(record: ProductOrderRecord) -> Reply:
    product = record.productOrder
    kind = product.claimType.value if product.claimType else None
    status = product.claimStatus.value if product.claimStatus else None
    claim = record.claim
    return reply(
        "claim_in_progress",
        claim_kind=labels("claim_kinds").get(kind),
        claim_status=labels("claim_statuses").get(status, status),
        requested_at=day(claim.claimRequestDate if claim else None),
    )


def settled_by_claim(record: ProductOrderRecord, window: ReturnWindow) -> list[Reply]:
    """What the return and the defect answers both say when the window no longer applies:
    the claim under way, or the order already canceled; [] while the window applies."""
    if window.status == ReturnWindowStatus.IN_PROGRESS:
        return [claim_in_progress(record)]
    if window.status == ReturnWindowStatus.CANCELED:
        return [reply("return_canceled")]
    return []


def return_window_replies(
    record: ProductOrderRecord, now: datetime, settings: Settings, *, with_how: bool
) -> list[Reply]:
    window = return_window(record, now, settings.policy)
    facts = stage_of(record)
    if window.status == ReturnWindowStatus.OPEN:
        replies = [
            reply(
                "return_open",
                delivered_at=day(window.delivered_at),
                deadline=day(window.deadline),
                days_left=days_left_text(window.days_left),
            )
        ]
        if with_how:
            replies.append(reply("return_how"))
            replies += fee_replies(record, settings)
        return replies
    if window.status == ReturnWindowStatus.CLOSED:
        return [
            reply(
                "return_closed",
                delivered_at=day(window.delivered_at),
                deadline=day(window.deadline),
                defect_deadline=day(window.defect_deadline),
                discovery_days=window.defect_discovery_days,
            )
        ]
    if window.status == ReturnWindowStatus.DECIDED:
        return [
            reply(
                "return_decided",
                decided_at=day(facts.decided_at or window.delivered_at),
                defect_deadline=day(window.defect_deadline),
                defect_months=settings.policy.defect_window_months,
            )
        ]
    settled = settled_by_claim(record, window)
    if settled:
        return settled
    if facts.stage in (Stage.BEFORE_CONFIRM, Stage.PREPARING):
        return [reply("return_cancel_instead", stage=stage_text(facts.stage))]
    return [reply("return_not_delivered")]


def lag_replies(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    lag = tracking_lag(record, now, settings.policy)
    if lag is None:
        return [reply("lag_no_invoice", stage=stage_value(record))]
    base = {
        "sent_at": moment_text(lag.sent_at),
        "carrier": carrier_name(lag.carrier),
        "tracking": lag.tracking_number or None,
    }
    if lag.wrong_invoice:
        return [reply("lag_wrong_invoice", **base)]
    if lag.scanned_at is not None:
        scanned = {**base, "scanned_at": moment_text(lag.scanned_at)}
        if lag.scan_before_invoice:
            return [reply("lag_scan_before_invoice", **scanned)]
        replies = [reply("lag_scanned", gap=duration_text(lag.hours), **scanned)]
        if lag.lag_class == LagClass.LATE:
            replies.append(reply("lag_scanned_late"))
        return replies
    if lag.carrier_has_it:
        return [reply("lag_in_transit", **base)]
    waited = {**base, "waited": duration_text(lag.hours),
              "business_days": f"{lag.business_days:.1f}".rstrip("0").rstrip(".")}
    message = {
        LagClass.NORMAL: "lag_waiting",
        LagClass.LATE: "lag_late",
        LagClass.SUSPICIOUS: "lag_suspicious",
    }[lag.lag_class]
    return [reply(message, **waited)]


def overdue_replies(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    dispatch = dispatch_facts(record, now, settings.policy)
    if not dispatch.overdue:
        return []
    replies = [
        reply(
            "delay_overdue",
            due=deadline_text(dispatch.due),
            overdue_days=max(int(dispatch.business_days_overdue), 1),
        )
    ]
    if dispatch.reason:
        replies.append(reply("delay_seller_reason", reason=dispatch.reason))
    return replies


def refund_replies(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    timing = refund_timing(record, now, settings.policy)
    values = {
        "means": timing.payment_means or None,
        "settle": settle_text(timing.settlement_days),
        "stage": stage_value(record),
    }
    if timing.kind == RefundKind.INSTANT:
        return [reply("refund_instant", **values)]
    if timing.kind == RefundKind.AFTER_APPROVAL:
        return [reply("refund_after_approval", **values)]
    if timing.kind == RefundKind.AFTER_RETURN:
        replies = [reply("refund_after_return", days=timing.business_days_after_return, **values)]
        if timing.expected_date:
            replies.append(reply("refund_expected", expected=day_text(timing.expected_date)))
        return replies
    if timing.kind == RefundKind.REFUNDED:
        replies = [reply("refund_done", **values)]
        if timing.refunded_at is not None and timing.check_by is not None:
            replies.append(
                reply("refund_check_by", done_at=day(timing.refunded_at),
                      check_by=day_text(timing.check_by))
            )
        return replies
    return [reply("refund_none", **values)]
