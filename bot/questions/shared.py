"""What every answer is made of: a Reply (message name + values) and the pieces that more
than one topic says (the claim under way, the return window, the tracking lag, the overdue
dispatch, the refund). Pure functions of (record, now, settings); dates come from the
policy, Korean from bot/messages.yml.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.clock import to_kst
from bot.messages import label, labels
from bot.orders.model import ClaimReason, ProductOrderRecord
from bot.policy.fault import Side, fault_of
from bot.policy.returns import (
    RefundKind,
    ReturnFee,
    ReturnWindow,
    ReturnWindowStatus,
    refund_timing,
    return_fee,
    return_window,
)
from bot.policy.shipping import LagClass, dispatch_facts, tracking_lag
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


def reason_label(reason: ClaimReason | None) -> str | None:
    return labels("reasons").get(reason.value) if reason else None


def buyer_fee_values(fee: ReturnFee) -> dict[str, str]:
    basis = label("fee_basis", "round_trip" if fee.round_trip else "one_way")
    return {"fee": won(fee.amount), "fee_basis": basis}


def buyer_fee_replies(record: ProductOrderRecord, settings: Settings) -> list[Reply]:
    """A change-of-mind return or exchange: the amount, and what can change it."""
    fee = return_fee(record, Side.BUYER, settings.store)
    message = "fee_buyer_exchange" if fee.exchange else "fee_buyer"
    replies = [reply(message, **buyer_fee_values(fee))]
    if not fee.initial_fee_known:
        replies.append(reply("fee_if_free", round_trip=won(fee.round_trip_amount)))
    return replies + [reply("fee_notes")]


def fee_replies(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    fault = fault_of(record, now, settings.policy)
    if fault.side == Side.SELLER and fault.confirmed:
        return [reply("fee_seller", reason=reason_label(fault.reason))]
    if fault.side == Side.SELLER:  # the buyer's chosen reason, for the inspection to confirm
        fee = return_fee(record, Side.BUYER, settings.store)
        return [reply("fee_seller_claimed", reason=reason_label(fault.reason),
                      **buyer_fee_values(fee))]
    return buyer_fee_replies(record, settings)


def claim_values(record: ProductOrderRecord) -> dict[str, str | None]:
    product = record.productOrder
    kind = product.claimType.value if product.claimType else None
    claim = record.claim
    return {
        "claim_kind": labels("claim_kinds").get(kind),
        "requested_at": day(claim.claimRequestDate if claim else None),
    }


def claim_in_progress(record: ProductOrderRecord) -> Reply:
    status = record.productOrder.claimStatus
    status = status.value if status else None
    return reply("claim_in_progress", claim_status=labels("claim_statuses").get(status, status),
                 **claim_values(record))


def claim_state(record: ProductOrderRecord, window: ReturnWindow) -> list[Reply]:
    """The return or exchange as it stands: under way, finished, or refused; [] if none."""
    if window.status == ReturnWindowStatus.IN_PROGRESS:
        return [claim_in_progress(record)]
    if window.status == ReturnWindowStatus.FINISHED:
        return [reply("claim_finished", **claim_values(record))]
    if window.rejected:
        return [reply("claim_rejected", **claim_values(record))]
    return []


def settled_by_claim(record: ProductOrderRecord, window: ReturnWindow) -> list[Reply]:
    """What the return and the defect answers both say when the window no longer applies:
    the claim under way or finished, or the order already canceled; [] while it applies."""
    if window.status in (ReturnWindowStatus.IN_PROGRESS, ReturnWindowStatus.FINISHED):
        return claim_state(record, window)
    if window.status == ReturnWindowStatus.CANCELED:
        return [reply("return_canceled")]
    return []


def non_business_day_kind(moment: datetime) -> str:
    weekday = to_kst(moment).weekday()
    key = {5: "saturday", 6: "sunday"}.get(weekday, "holiday")
    return label("non_business_days", key)


def defect_values(window: ReturnWindow, settings: Settings) -> dict[str, str | None]:
    return {
        "defect_deadline": day(window.defect_deadline),
        "defect_months": str(settings.policy.defect_window_months),
        "discovery_days": str(window.defect_discovery_days),
    }


def return_window_replies(
    record: ProductOrderRecord, now: datetime, settings: Settings, *, with_how: bool
) -> list[Reply]:
    window = return_window(record, now, settings.policy)
    facts = stage_of(record)
    window_days = str(settings.policy.return_window_days)
    rejected = claim_state(record, window)  # a refused claim, while the window still applies
    if window.status == ReturnWindowStatus.OPEN:
        replies = rejected + [
            reply(
                "return_open",
                delivered_at=day(window.delivered_at),
                deadline=day(window.deadline),
                days_left=days_left_text(window.days_left),
                window_days=window_days,
            )
        ]
        if window.extended:
            replies.append(
                reply(
                    "return_extended",
                    nominal=day(window.nominal_deadline),
                    why=non_business_day_kind(window.nominal_deadline),
                    deadline=day(window.deadline),
                )
            )
        if with_how:
            replies.append(reply("return_how"))
            replies += fee_replies(record, now, settings)
        return replies
    if window.status == ReturnWindowStatus.CLOSED:
        return rejected + [
            reply(
                "return_closed",
                delivered_at=day(window.delivered_at),
                deadline=day(window.deadline),
                window_days=window_days,
                **defect_values(window, settings),
            )
        ]
    if window.status == ReturnWindowStatus.DECIDED:
        return [
            reply(
                "return_decided",
                decided_at=day(facts.decided_at or window.delivered_at),
                **defect_values(window, settings),
            )
        ]
    settled = settled_by_claim(record, window)
    if settled:
        return settled
    if facts.stage in (Stage.PAYMENT_WAITING, Stage.BEFORE_CONFIRM, Stage.PREPARING):
        return [reply("return_cancel_instead", stage=stage_text(facts.stage))]
    return [reply("return_not_delivered")]


def whole_days(days: float) -> str:
    """Business days shown as a whole number, never '3.8일'."""
    return str(max(int(days), 1))


def lag_replies(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    lag = tracking_lag(record, now, settings.policy)
    if lag is None:
        return [reply("lag_no_invoice", stage=stage_value(record))]
    base = {
        "sent_at": moment_text(lag.sent_at),
        "carrier": carrier_name(lag.carrier),
        "tracking": lag.tracking_number or None,
    }
    delivered_at = record.delivery.deliveredDate if record.delivery else None
    on_its_way = [reply("lag_on_its_way")] if stage_of(record).stage == Stage.SHIPPING else []
    if lag.wrong_invoice and not lag.carrier_has_it:
        return [reply("lag_wrong_invoice", **base), reply("not_dispatched_next")]
    if lag.scanned_at is not None:
        scanned = {**base, "scanned_at": moment_text(lag.scanned_at)}
        dispatch = dispatch_facts(record, now, settings.policy)
        late = (
            [reply("lag_scanned_after_due", due=deadline_text(dispatch.due),
                   scanned_at=scanned["scanned_at"])]
            if dispatch.sent_late else []
        )
        if lag.scanned_at == lag.sent_at:
            return [reply("lag_scan_with_invoice", **base)] + late + on_its_way
        if lag.scan_before_invoice:
            return [reply("lag_scan_before_invoice", **scanned)] + late + on_its_way
        replies = [reply("lag_scanned", gap=duration_text(lag.hours), **scanned)]
        if late:
            return replies + late
        if lag.lag_class == LagClass.LATE:
            replies.append(reply("lag_scanned_late"))
        return replies
    if delivered_at is not None:
        return [reply("lag_delivered", sent_at=base["sent_at"], delivered_at=when(delivered_at))]
    if lag.carrier_has_it:
        return [reply("lag_in_transit", **base)]
    waited = {**base, "waited": duration_text(lag.hours),
              "business_days": whole_days(lag.business_days)}
    if lag.lag_class == LagClass.SUSPICIOUS:
        return [reply("lag_suspicious", **waited), reply("not_dispatched_next")]
    message = "lag_late" if lag.lag_class == LagClass.LATE else "lag_waiting"
    return [reply(message, **waited)]


def overdue_replies(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    dispatch = dispatch_facts(record, now, settings.policy)
    if not dispatch.overdue:
        return []
    replies = [
        reply(
            "delay_overdue",
            due=deadline_text(dispatch.due),
            overdue_days=whole_days(dispatch.business_days_overdue),
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
    if timing.kind == RefundKind.UNPAID:
        return [reply("refund_unpaid")]
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
