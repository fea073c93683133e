"""Dispatch deadline, tracking lag and the facts behind a refused cancel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from bot.calendar import add_business_days, business_days_elapsed, end_of_day
from bot.orders.model import (
    ClaimStatus,
    ClaimType,
    DeliveryStatus,
    ProductOrderRecord,
)
from bot.settings import PolicySettings

CARRIER_HAS_IT = frozenset(
    {DeliveryStatus.COLLECT_CARGO, DeliveryStatus.DELIVERING, DeliveryStatus.DELIVERY_COMPLETION}
)


# --- dispatch deadline -------------------------------------------------------------------


@dataclass(frozen=True)
class DispatchFacts:
    due: datetime  # 발송기한, the time the seller promised to dispatch by
    sent_at: datetime | None
    overdue: bool  # past the deadline and still not dispatched
    sent_late: bool  # dispatched, but after the deadline
    business_days_overdue: float
    reason: str | None  # the seller's delayedDispatchReason, if any


def dispatch_due(record: ProductOrderRecord, settings: PolicySettings) -> datetime:
    """The dispatch deadline; estimated from the payment date when the order has none."""
    if record.productOrder.shippingDueDate is not None:
        return record.productOrder.shippingDueDate
    paid = record.order.paymentDate or record.order.orderDate
    due_day = add_business_days(paid.date(), settings.default_dispatch_business_days)
    return end_of_day(due_day)


def dispatch_facts(
    record: ProductOrderRecord, now: datetime, settings: PolicySettings
) -> DispatchFacts:
    due = dispatch_due(record, settings)
    sent_at = record.delivery.sendDate if record.delivery else None
    overdue = sent_at is None and now > due
    sent_late = sent_at is not None and sent_at > due
    until = sent_at if sent_at is not None else now
    return DispatchFacts(
        due=due,
        sent_at=sent_at,
        overdue=overdue,
        sent_late=sent_late,
        business_days_overdue=business_days_elapsed(due, until),
        reason=record.productOrder.delayedDispatchReason,
    )


def deadline_missed_at(record: ProductOrderRecord, moment: datetime, settings: PolicySettings):
    """Whether, at `moment`, the deadline had passed with the parcel not yet dispatched."""
    due = dispatch_due(record, settings)
    sent_at = record.delivery.sendDate if record.delivery else None
    return moment > due and (sent_at is None or sent_at > due)


# --- tracking lag --------------------------------------------------------------------------


class LagClass(str, Enum):
    NORMAL = "normal"
    LATE = "late"
    SUSPICIOUS = "suspicious"  # possibly a wrong or false invoice (가송장)


@dataclass(frozen=True)
class LagFacts:
    sent_at: datetime  # invoice registered
    scanned_at: datetime | None  # carrier's first pickup scan
    carrier_has_it: bool  # a scan exists (its time may be unknown)
    scan_before_invoice: bool  # normal: invoices are often entered in batches after hand-over
    business_days: float  # from the invoice to the scan, or to now while there is none
    hours: float  # the same, in wall-clock hours
    wrong_invoice: bool
    lag_class: LagClass
    carrier: str | None
    tracking_number: str | None


def tracking_lag(
    record: ProductOrderRecord, now: datetime, settings: PolicySettings
) -> LagFacts | None:
    delivery = record.delivery
    if delivery is None or delivery.sendDate is None:
        return None
    sent_at = delivery.sendDate
    scanned_at = delivery.pickupDate
    carrier_has_it = scanned_at is not None or delivery.deliveryStatus in CARRIER_HAS_IT
    carrier_has_it = carrier_has_it or delivery.deliveredDate is not None
    until = scanned_at if scanned_at is not None else now
    wrong_invoice = (
        delivery.isWrongTrackingNumber or delivery.deliveryStatus == DeliveryStatus.WRONG_INVOICE
    )
    days = business_days_elapsed(sent_at, until)
    if wrong_invoice:
        lag_class = LagClass.SUSPICIOUS
    elif carrier_has_it:
        # A late scan is late, never suspicious: the carrier has the parcel.
        late = scanned_at is not None and days >= settings.lag_late_business_days
        lag_class = LagClass.LATE if late else LagClass.NORMAL
    elif days >= settings.lag_suspicious_business_days:
        lag_class = LagClass.SUSPICIOUS
    elif days >= settings.lag_late_business_days:
        lag_class = LagClass.LATE
    else:
        lag_class = LagClass.NORMAL
    return LagFacts(
        sent_at=sent_at,
        scanned_at=scanned_at,
        carrier_has_it=carrier_has_it,
        scan_before_invoice=scanned_at is not None and scanned_at <= sent_at,
        business_days=days,
        hours=max((until - sent_at).total_seconds(), 0) / 3600,
        wrong_invoice=wrong_invoice,
        lag_class=lag_class,
        carrier=delivery.deliveryCompany,
        tracking_number=delivery.trackingNumber,
    )


# --- refused cancel ------------------------------------------------------------------------


class RefusalVerdict(str, Enum):
    SCANNED_BEFORE_REQUEST = "scanned_before_request"  # the courier had it: a fair refusal
    SCANNED_AFTER_REQUEST = "scanned_after_request"  # handed over only after the request
    NO_SCAN_YET = "no_scan_yet"
    REQUEST_TIME_UNKNOWN = "request_time_unknown"


@dataclass(frozen=True)
class RefusalFacts:
    requested_at: datetime | None
    sent_at: datetime | None
    scanned_at: datetime | None
    verdict: RefusalVerdict
    # the seller was already late: a seller-side reason, so the seller bears the return shipping
    deadline_missed_at_request: bool


def is_cancel_refused(record: ProductOrderRecord) -> bool:
    cancel = record.claim_of(ClaimType.CANCEL)
    if cancel is not None and cancel.claimStatus is not None:
        return cancel.claimStatus == ClaimStatus.CANCEL_REJECT
    return record.productOrder.claimStatus == ClaimStatus.CANCEL_REJECT


def refusal_facts(
    record: ProductOrderRecord, settings: PolicySettings
) -> RefusalFacts | None:
    """The three times that explain a 취소 거부, and what they mean; None if none happened."""
    if not is_cancel_refused(record):
        return None
    cancel = record.claim_of(ClaimType.CANCEL)
    requested_at = cancel.claimRequestDate if cancel else None
    delivery = record.delivery
    sent_at = delivery.sendDate if delivery else None
    scanned_at = delivery.pickupDate if delivery else None

    if requested_at is None:
        verdict = RefusalVerdict.REQUEST_TIME_UNKNOWN
    elif scanned_at is None:
        verdict = RefusalVerdict.NO_SCAN_YET
    elif scanned_at <= requested_at:
        verdict = RefusalVerdict.SCANNED_BEFORE_REQUEST
    else:
        verdict = RefusalVerdict.SCANNED_AFTER_REQUEST

    missed = requested_at is not None and deadline_missed_at(record, requested_at, settings)
    return RefusalFacts(
        requested_at=requested_at,
        sent_at=sent_at,
        scanned_at=scanned_at,
        verdict=verdict,
        deadline_missed_at_request=missed,
    )
