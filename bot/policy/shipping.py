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
    ProductOrderStatus,
)
from bot.settings import PolicySettings

CARRIER_HAS_IT = frozenset(
    {DeliveryStatus.COLLECT_CARGO, DeliveryStatus.DELIVERING, DeliveryStatus.DELIVERY_COMPLETION}
)


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


# --- dispatch deadline -------------------------------------------------------------------


class DispatchEvidence(str, Enum):
    SCAN = "scan"  # the carrier's first pickup scan: when the parcel really left
    CARRIER = "carrier"  # the carrier has it, its scan time unknown: the invoice time stands in
    INVOICE = "invoice"  # an invoice only, within the normal lag: provisionally dispatched
    NONE = "none"  # nothing dispatched, or an invoice nobody has scanned (or a wrong one)


@dataclass(frozen=True)
class DispatchFacts:
    due: datetime  # 발송기한, the time the seller promised to dispatch by
    sent_at: datetime | None  # invoice registered (발송처리)
    # When the parcel left, judged by the first carrier scan when there is one, never by
    # the invoice alone once the lag is suspicious (an invoice is not a dispatch).
    dispatched_at: datetime | None
    evidence: DispatchEvidence
    overdue: bool  # past the deadline and not (shown to be) dispatched
    sent_late: bool  # dispatched, but after the deadline
    business_days_overdue: float
    reason: str | None  # the seller's delayedDispatchReason, if any
    unpaid: bool = False  # PAYMENT_WAITING: no deadline runs until the payment arrives


def dispatch_due(record: ProductOrderRecord, settings: PolicySettings) -> datetime:
    """The dispatch deadline; estimated from the payment date when the order has none."""
    if record.productOrder.shippingDueDate is not None:
        return record.productOrder.shippingDueDate
    paid = record.order.paymentDate or record.order.orderDate
    due_day = add_business_days(paid.date(), settings.default_dispatch_business_days)
    return end_of_day(due_day)


def dispatch_evidence(
    record: ProductOrderRecord, now: datetime, settings: PolicySettings
) -> tuple[datetime | None, DispatchEvidence]:
    """When the parcel left and what shows it: the first scan beats the invoice entry."""
    lag = tracking_lag(record, now, settings)
    if lag is None:
        return None, DispatchEvidence.NONE
    if lag.scanned_at is not None:
        return lag.scanned_at, DispatchEvidence.SCAN
    if lag.carrier_has_it:
        return lag.sent_at, DispatchEvidence.CARRIER
    if lag.lag_class == LagClass.SUSPICIOUS:
        return None, DispatchEvidence.NONE
    return lag.sent_at, DispatchEvidence.INVOICE


def dispatch_facts(
    record: ProductOrderRecord, now: datetime, settings: PolicySettings
) -> DispatchFacts:
    due = dispatch_due(record, settings)
    sent_at = record.delivery.sendDate if record.delivery else None
    dispatched_at, evidence = dispatch_evidence(record, now, settings)
    unpaid = record.productOrder.productOrderStatus == ProductOrderStatus.PAYMENT_WAITING
    overdue = dispatched_at is None and now > due and not unpaid
    sent_late = dispatched_at is not None and dispatched_at > due
    until = dispatched_at if dispatched_at is not None else now
    return DispatchFacts(
        due=due,
        sent_at=sent_at,
        dispatched_at=dispatched_at,
        evidence=evidence,
        overdue=overdue,
        sent_late=sent_late,
        business_days_overdue=business_days_elapsed(due, until),
        reason=record.productOrder.delayedDispatchReason,
        unpaid=unpaid,
    )


def deadline_missed_at(
    record: ProductOrderRecord, moment: datetime, now: datetime, settings: PolicySettings
) -> bool:
    """Whether, at `moment`, the deadline had passed with the parcel not yet dispatched
    (dispatch judged as of `now`, by the first carrier scan when there is one)."""
    return _missed_at(dispatch_facts(record, now, settings), moment)


def _missed_at(facts: DispatchFacts, moment: datetime) -> bool:
    return moment > facts.due and (facts.dispatched_at is None or facts.dispatched_at > facts.due)


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
    due: datetime
    # the seller was already late at the request: a cancel for delay was legitimate
    deadline_missed_at_request: bool
    # the request was open at the deadline and the parcel left only after it: the seller
    # sat on the request and shipped late
    shipped_late_on_open_request: bool
    # from the request to the first scan, when the scan came after the request
    gap_hours: float | None


def is_cancel_refused(record: ProductOrderRecord) -> bool:
    cancel = record.claim_of(ClaimType.CANCEL)
    if cancel is not None and cancel.claimStatus is not None:
        return cancel.claimStatus == ClaimStatus.CANCEL_REJECT
    return record.productOrder.claimStatus == ClaimStatus.CANCEL_REJECT


def refusal_facts(
    record: ProductOrderRecord, now: datetime, settings: PolicySettings
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

    dispatch = dispatch_facts(record, now, settings)
    missed = requested_at is not None and _missed_at(dispatch, requested_at)
    # Refused means the seller dispatched on the open request; the request was still open
    # at the deadline if it came before it and the parcel left only after it.
    late_on_open = (
        requested_at is not None
        and not missed
        and requested_at <= dispatch.due
        and (dispatch.dispatched_at is None or dispatch.dispatched_at > dispatch.due)
        and now > dispatch.due
    )
    gap = None
    if verdict == RefusalVerdict.SCANNED_AFTER_REQUEST:
        gap = (scanned_at - requested_at).total_seconds() / 3600
    return RefusalFacts(
        requested_at=requested_at,
        sent_at=sent_at,
        scanned_at=scanned_at,
        verdict=verdict,
        due=dispatch.due,
        deadline_missed_at_request=missed,
        shipped_late_on_open_request=late_on_open,
        gap_hours=gap,
    )
