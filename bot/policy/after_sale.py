"""After-sale facts: automatic purchase confirmation, the return pickup, the bundled shipping
fee of a partial cancel or return, and what a refund was reduced by. Pure functions of
product orders, a time and settings; periods and thresholds come from bot/settings.yml
(`after_sale`), each with its source there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from bot.calendar import business_days_elapsed
from bot.orders.model import ClaimReason, ClaimStatus, ClaimType, ProductOrderRecord
from bot.policy.fault import Side, side_of_reason
from bot.policy.stage import Stage, stage_of
from bot.settings import AfterSaleSettings

# --- automatic purchase confirmation ---------------------------------------------------------


class AutoDecisionStatus(str, Enum):
    NOT_SHIPPED = "not_shipped"  # nothing counts yet
    SHIPPING = "shipping"  # counted from delivery (or dispatch): not delivered yet
    PENDING = "pending"  # delivered, not confirmed: an estimated date
    HELD = "held"  # a return or exchange is under way
    DECIDED = "decided"
    CLOSED = "closed"  # canceled or returned: nothing to confirm


@dataclass(frozen=True)
class AutoDecision:
    status: AutoDecisionStatus
    decided_at: datetime | None = None
    # The earlier of the two reported rules: the buyer should act before it.
    estimate: datetime | None = None
    days_after_delivery: int = 0


def auto_decision(record: ProductOrderRecord, settings: AfterSaleSettings) -> AutoDecision:
    facts = stage_of(record)
    days = settings.auto_decision_days_after_delivery
    if facts.stage == Stage.DECIDED:
        return AutoDecision(AutoDecisionStatus.DECIDED, decided_at=facts.decided_at,
                            days_after_delivery=days)
    if facts.stage == Stage.RETURN_EXCHANGE and facts.return_exchange_status in (
        ClaimStatus.RETURN_REQUEST, ClaimStatus.COLLECTING, ClaimStatus.COLLECT_DONE,
        ClaimStatus.EXCHANGE_REQUEST, ClaimStatus.EXCHANGE_REDELIVERING,
    ):
        return AutoDecision(AutoDecisionStatus.HELD, days_after_delivery=days)
    if facts.stage in (Stage.CANCELED, Stage.RETURN_EXCHANGE):
        return AutoDecision(AutoDecisionStatus.CLOSED, days_after_delivery=days)
    if facts.stage in (Stage.BEFORE_CONFIRM, Stage.PREPARING):
        return AutoDecision(AutoDecisionStatus.NOT_SHIPPED, days_after_delivery=days)
    if facts.delivered_at is None:
        return AutoDecision(AutoDecisionStatus.SHIPPING, days_after_delivery=days)
    estimates = [facts.delivered_at + timedelta(days=days)]
    if facts.sent_at is not None:
        estimates.append(facts.sent_at + timedelta(days=settings.auto_decision_days_after_dispatch))
    return AutoDecision(AutoDecisionStatus.PENDING, estimate=min(estimates),
                        days_after_delivery=days)


# --- the return pickup -------------------------------------------------------------------------


class PickupStatus(str, Enum):
    NO_RETURN = "no_return"  # no return requested
    WAITING = "waiting"  # requested, not collected yet, within the usual time
    LATE = "late"  # requested, not collected after the threshold
    COLLECTED = "collected"  # the carrier has it, or the seller does
    DONE = "done"  # returned (or rejected): nothing to collect


@dataclass(frozen=True)
class Pickup:
    status: PickupStatus
    requested_at: datetime | None = None
    business_days: float = 0.0


def return_pickup(record: ProductOrderRecord, now: datetime, settings: AfterSaleSettings) -> Pickup:
    product = record.productOrder
    if product.claimType != ClaimType.RETURN:
        return Pickup(PickupStatus.NO_RETURN)
    claim = record.claim
    requested = claim.claimRequestDate if claim else None
    status = product.claimStatus
    if status == ClaimStatus.COLLECT_DONE:
        return Pickup(PickupStatus.COLLECTED, requested)
    if status in (ClaimStatus.RETURN_DONE, ClaimStatus.RETURN_REJECT):
        return Pickup(PickupStatus.DONE, requested)
    waited = business_days_elapsed(requested, now) if requested else 0.0
    late = requested is not None and waited >= settings.return_pickup_late_business_days
    return Pickup(PickupStatus.LATE if late else PickupStatus.WAITING, requested, waited)


# --- the bundled shipping fee ------------------------------------------------------------------


@dataclass(frozen=True)
class BundleFee:
    items: int  # product orders in the order (those the buyer proved they own)
    order_total: int  # what they cost together
    remaining: int  # without the item asked about
    threshold: int  # conditional free shipping from this amount (0: the store has none)
    shipping_free: bool  # no shipping fee was charged on this item
    falls_below: bool  # leaving this item out drops the rest under the threshold


def bundle_fee(
    record: ProductOrderRecord, order: list[ProductOrderRecord], settings: AfterSaleSettings
) -> BundleFee:
    items = [r for r in order if r.order_id == record.order_id] or [record]
    if record.product_order_id not in {r.product_order_id for r in items}:
        items.append(record)
    total = sum(r.productOrder.totalPaymentAmount for r in items)
    remaining = total - record.productOrder.totalPaymentAmount
    threshold = settings.free_shipping_threshold
    free = not record.productOrder.deliveryFeeAmount
    falls = bool(threshold) and free and total >= threshold > remaining and remaining > 0
    return BundleFee(len(items), total, remaining, threshold, free, falls)


# --- what a refund was reduced by -------------------------------------------------------------


@dataclass(frozen=True)
class RefundDeduction:
    paid: int  # what was paid for this product order
    fee_deducted: int | None  # the return shipping the seller charged (None: not stated)
    side: Side | None  # whose reason the claim names
    claim_kind: ClaimType | None


def refund_deduction(record: ProductOrderRecord) -> RefundDeduction:
    product = record.productOrder
    claim = record.claim
    reason: ClaimReason | None = claim.reason if claim else None
    return RefundDeduction(
        paid=product.totalPaymentAmount,
        fee_deducted=claim.claimDeliveryFeeDemandAmount if claim else None,
        side=side_of_reason(reason),
        claim_kind=product.claimType,
    )
