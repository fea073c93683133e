"""Receiving, returning and getting the money back: deadlines, who pays, when."""

from __future__ import annotations

import calendar as month_calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum

from bot.calendar import add_business_days, end_of_day, is_business_day
from bot.clock import to_kst
from bot.orders.model import ClaimStatus, ClaimType, ProductOrderRecord, ProductOrderStatus
from bot.policy.fault import REJECTED, Side, fault_of, return_claim
from bot.policy.stage import CancelPath, Stage, cancel_path, stage_of
from bot.settings import PolicySettings, StoreSettings

# --- return window ------------------------------------------------------------------------


class ReturnWindowStatus(str, Enum):
    NOT_DELIVERED = "not_delivered"  # the 7 days start on receipt
    OPEN = "open"
    CLOSED = "closed"  # past 7 days: change of mind no longer; defects still possible
    DECIDED = "decided"  # 구매확정: the platform flow is closed, ask the seller
    IN_PROGRESS = "in_progress"  # a return or exchange is under way
    FINISHED = "finished"  # returned or exchanged: nothing left to send back
    CANCELED = "canceled"


@dataclass(frozen=True)
class ReturnWindow:
    status: ReturnWindowStatus
    delivered_at: datetime | None  # 배송완료 as the carrier reported it: the days count from it
    # The 7th day after delivery, and the day the period really ends: the next business
    # day when the 7th is a Saturday, Sunday or public holiday (민법 §161 through §155).
    nominal_deadline: datetime | None
    deadline: datetime | None  # end of the last day for a change-of-mind return
    extended: bool  # deadline moved past a weekend or holiday
    days_left: int | None  # to `deadline`; 0 = today is the last day; negative = days past
    defect_deadline: datetime | None  # 3 months from supply (and 30 days from discovery)
    defect_discovery_days: int
    rejected: bool  # the last return or exchange request was refused by the seller


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = month_calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def period_end(last_day: date) -> date:
    """민법 §161: a period whose last day is a Saturday or public holiday ends the next day
    (Sundays are public holidays); repeated until a business day."""
    day = last_day
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def return_window(
    record: ProductOrderRecord, now: datetime, settings: PolicySettings
) -> ReturnWindow:
    now = to_kst(now)  # the days are counted on the Seoul calendar
    facts = stage_of(record)
    delivered_at = facts.delivered_at
    nominal = deadline = days_left = defect_deadline = None
    extended = False
    if delivered_at is not None:
        # 민법 §157: the day of receipt is not counted, so the 7th day is receipt + 7.
        nominal_day = to_kst(delivered_at).date() + timedelta(days=settings.return_window_days)
        last_day = period_end(nominal_day)
        extended = last_day != nominal_day
        nominal, deadline = end_of_day(nominal_day), end_of_day(last_day)
        days_left = (last_day - now.date()).days
        defect_deadline = end_of_day(
            add_months(to_kst(delivered_at).date(), settings.defect_window_months)
        )

    claim = return_claim(record)
    rejected = claim is not None and claim.claimStatus in REJECTED
    if facts.stage == Stage.CANCELED:
        status = ReturnWindowStatus.CANCELED
    elif facts.status in (ProductOrderStatus.RETURNED, ProductOrderStatus.EXCHANGED) or (
        claim is not None
        and claim.claimStatus in (ClaimStatus.RETURN_DONE, ClaimStatus.EXCHANGE_DONE)
    ):
        status = ReturnWindowStatus.FINISHED
    elif facts.stage == Stage.RETURN_EXCHANGE:
        status = ReturnWindowStatus.IN_PROGRESS
    elif facts.stage == Stage.DECIDED:
        status = ReturnWindowStatus.DECIDED
    elif deadline is None:
        status = ReturnWindowStatus.NOT_DELIVERED
    elif days_left >= 0:  # open for the whole last day, sub-second clock times included
        status = ReturnWindowStatus.OPEN
    else:
        status = ReturnWindowStatus.CLOSED
    return ReturnWindow(
        status=status,
        delivered_at=delivered_at,
        nominal_deadline=nominal,
        deadline=deadline,
        extended=extended,
        days_left=days_left,
        defect_deadline=defect_deadline,
        defect_discovery_days=settings.defect_discovery_days,
        rejected=rejected,
    )


# --- who pays the return shipping -----------------------------------------------------------


@dataclass(frozen=True)
class ReturnFee:
    payer: Side
    amount: int  # what the buyer pays for a return (0 when the seller pays)
    round_trip: bool  # the free initial shipping is charged back too
    # False when the order does not say what the first delivery cost: `amount` is then the
    # one-way fee and `round_trip_amount` what it becomes if the first delivery was free.
    initial_fee_known: bool = True
    round_trip_amount: int = 0
    exchange: bool = False  # an exchange: nothing is refunded, so the fee is paid separately


def return_fee(record: ProductOrderRecord, side: Side, store: StoreSettings) -> ReturnFee:
    """Change of mind: the buyer pays (§18⑨); the seller's side: the seller pays (§18⑩).
    Amounts are the store's product-page 반품배송비 (settings), remote areas extra."""
    exchange = record.productOrder.claimType == ClaimType.EXCHANGE
    round_trip_amount = store.return_shipping_fee + store.initial_shipping_fee
    if side == Side.SELLER:
        return ReturnFee(Side.SELLER, 0, False, True, 0, exchange)
    if exchange:  # the item goes back and a new one comes: both ways, whatever came first
        return ReturnFee(Side.BUYER, round_trip_amount, True, True, round_trip_amount, True)
    initial = record.productOrder.deliveryFeeAmount
    if initial is None:  # unknown: quote one way and say what a free first delivery adds
        return ReturnFee(
            Side.BUYER, store.return_shipping_fee, False, False, round_trip_amount, exchange
        )
    free_shipping = initial == 0
    amount = round_trip_amount if free_shipping else store.return_shipping_fee
    return ReturnFee(Side.BUYER, amount, free_shipping, True, round_trip_amount, exchange)


# --- must the buyer accept the parcel? -------------------------------------------------------


class AcceptAnswer(str, Enum):
    NOT_SHIPPED = "not_shipped"  # nothing to accept yet: cancel instead
    REFUSE_COSTS_SHIPPING = "refuse_costs_shipping"  # may refuse, but it is a paid return
    SELLER_PAYS = "seller_pays"  # the seller's side: refusing or returning costs nothing
    ALREADY_DELIVERED = "already_delivered"  # it arrived: return within the window
    NOT_APPLICABLE = "not_applicable"  # cancelled, decided, or a return is under way


@dataclass(frozen=True)
class MustAccept:
    answer: AcceptAnswer
    fee: ReturnFee | None


def must_accept(
    record: ProductOrderRecord, now: datetime, settings: PolicySettings, store: StoreSettings
) -> MustAccept:
    stage = stage_of(record).stage
    side = fault_of(record, now, settings).side
    if stage in (Stage.PAYMENT_WAITING, Stage.BEFORE_CONFIRM, Stage.PREPARING):
        return MustAccept(AcceptAnswer.NOT_SHIPPED, None)
    if stage == Stage.DELIVERED:
        return MustAccept(AcceptAnswer.ALREADY_DELIVERED, return_fee(record, side, store))
    if stage != Stage.SHIPPING:
        return MustAccept(AcceptAnswer.NOT_APPLICABLE, None)
    fee = return_fee(record, side, store)
    if side == Side.SELLER:
        return MustAccept(AcceptAnswer.SELLER_PAYS, fee)
    return MustAccept(AcceptAnswer.REFUSE_COSTS_SHIPPING, fee)


# --- when the money comes back ------------------------------------------------------------


class RefundKind(str, Enum):
    UNPAID = "unpaid"  # nothing was paid, nothing comes back
    INSTANT = "instant"  # cancel before 발주확인: refunded at once
    AFTER_APPROVAL = "after_approval"  # a pending cancel: refunded when the seller approves
    AFTER_RETURN = "after_return"  # within N business days of the return reaching the seller
    REFUNDED = "refunded"  # cancelled or returned: the refund has been made
    NONE_PENDING = "none_pending"  # nothing to refund yet


@dataclass(frozen=True)
class RefundTiming:
    kind: RefundKind
    expected_date: date | None  # from the claim, when the platform announced one
    business_days_after_return: int
    # business days the payment means takes to show the refund, (low, high)
    settlement_days: tuple[int, int]
    payment_means: str | None
    refunded_at: datetime | None  # when a cancel was completed, if it was
    # the last day to wait for a completed refund to show before asking the card company
    check_by: date | None


def settlement_days(payment_means: str | None, settings: PolicySettings) -> tuple[int, int]:
    table = settings.refund_settlement_business_days
    for means, days in table.items():
        if payment_means and means in payment_means:
            return days
    return table.get("default", (3, 7))


def refund_timing(
    record: ProductOrderRecord, now: datetime, settings: PolicySettings
) -> RefundTiming:
    facts = stage_of(record)
    claim = record.claim
    expected = claim.refundExpectedDate.date() if claim and claim.refundExpectedDate else None
    returned = return_claim(record)
    rejected = returned is not None and returned.claimStatus in REJECTED
    if facts.status in (
        ProductOrderStatus.CANCELED_BY_NOPAYMENT, ProductOrderStatus.PAYMENT_WAITING
    ):
        kind = RefundKind.UNPAID  # never paid, nothing to give back
    elif rejected:
        kind = RefundKind.NONE_PENDING
    elif facts.stage == Stage.CANCELED:
        kind = RefundKind.REFUNDED
    elif facts.stage == Stage.RETURN_EXCHANGE:
        exchange = (
            facts.status == ProductOrderStatus.EXCHANGED
            or record.productOrder.claimType == ClaimType.EXCHANGE
        )
        if facts.status == ProductOrderStatus.RETURNED:
            kind = RefundKind.REFUNDED
        elif exchange:  # an exchange sends a new item; no money comes back
            kind = RefundKind.NONE_PENDING
        else:
            kind = RefundKind.AFTER_RETURN
    elif facts.stage == Stage.BEFORE_CONFIRM:
        kind = RefundKind.INSTANT
    elif facts.stage == Stage.PREPARING:
        pending = cancel_path(record) == CancelPath.PENDING
        kind = RefundKind.AFTER_APPROVAL if pending else RefundKind.NONE_PENDING
    else:
        kind = RefundKind.NONE_PENDING
    settle = settlement_days(record.order.paymentMeans, settings)
    refunded_at = claim.cancelCompletedDate if claim and kind == RefundKind.REFUNDED else None
    return RefundTiming(
        kind=kind,
        expected_date=expected,
        business_days_after_return=settings.refund_after_return_business_days,
        settlement_days=settle,
        payment_means=record.order.paymentMeans,
        refunded_at=refunded_at,
        # At the upper bound: the buyer should start asking only once the slowest case passed.
        check_by=add_business_days(to_kst(refunded_at).date(), settle[1]) if refunded_at else None,
    )
