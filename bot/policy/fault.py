"""Whose side a return (or a refused parcel) falls on, and on what ground.

One decision for every answer (refusal, must-accept, fee, fault, return), so no two
answers about one order can disagree. Facts in the order's own data come first: a
suspicious or wrong invoice, a deadline missed before the cancel request, a request left
open past the deadline and then shipped late. A reason the buyer picked on a return is a
claim, not a fact: the seller pays if the inspection confirms it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from bot.orders.model import (
    Claim,
    ClaimReason,
    ClaimStatus,
    ClaimType,
    ProductOrderRecord,
)
from bot.policy.shipping import (
    DispatchEvidence,
    dispatch_facts,
    refusal_facts,
    tracking_lag,
)
from bot.policy.stage import Stage, stage_of
from bot.settings import PolicySettings

# Claim reasons that put the return on the seller (전자상거래법 §18⑩): defects, delays ...
SELLER_SIDE_REASONS = frozenset(
    {
        ClaimReason.PRODUCT_UNSATISFIED,
        ClaimReason.DELAYED_DELIVERY,
        ClaimReason.SOLD_OUT,
        ClaimReason.DROPPED_DELIVERY,
        ClaimReason.NOT_YET_DELIVERY,
        ClaimReason.BROKEN,
        ClaimReason.INCORRECT_INFO,
        ClaimReason.WRONG_DELIVERY,
        ClaimReason.WRONG_OPTION,
    }
)

REJECTED = frozenset({ClaimStatus.RETURN_REJECT, ClaimStatus.EXCHANGE_REJECT})


class Side(str, Enum):
    BUYER = "buyer"  # change of mind
    SELLER = "seller"  # defect, wrong item, delay, no real dispatch ...


class Basis(str, Enum):
    """What puts the case on its side."""

    WRONG_INVOICE = "wrong_invoice"  # the carrier flags the invoice as wrong
    NO_DISPATCH_EVIDENCE = "no_dispatch_evidence"  # an invoice nobody scanned for days (가송장)
    DEADLINE_PASSED_AT_REQUEST = "deadline_passed_at_request"  # cancel asked when already late
    SHIPPED_LATE_ON_OPEN_REQUEST = "shipped_late_on_open_request"  # sat on the request
    SHIPPED_LATE = "shipped_late"  # the first scan came after the deadline
    DISPATCH_OVERDUE = "dispatch_overdue"  # past the deadline, nothing dispatched
    CLAIMED_REASON = "claimed_reason"  # the reason the buyer picked on a return or exchange
    CHANGE_OF_MIND = "change_of_mind"  # nothing on the seller's side is shown


@dataclass(frozen=True)
class Fault:
    side: Side
    basis: Basis
    reason: ClaimReason | None  # the claim reason that fits (or that the buyer picked)
    # True when the order's data shows it; False when it rests on the buyer's reason, to be
    # confirmed by the seller's inspection of the returned item.
    confirmed: bool


def side_of_reason(reason: ClaimReason | None) -> Side | None:
    if reason is None:
        return None
    return Side.SELLER if reason in SELLER_SIDE_REASONS else Side.BUYER


def return_claim(record: ProductOrderRecord) -> Claim | None:
    """The return or exchange the product order names, whatever its status."""
    if record.productOrder.claimType in (ClaimType.RETURN, ClaimType.EXCHANGE):
        return record.claim
    return None


def _seller(basis: Basis, reason: ClaimReason) -> Fault:
    return Fault(Side.SELLER, basis, reason, confirmed=True)


def fault_of(record: ProductOrderRecord, now: datetime, settings: PolicySettings) -> Fault:
    stage = stage_of(record).stage
    dispatch = dispatch_facts(record, now, settings)
    # An invoice that shows no dispatch (shipping.dispatch_evidence): wrong, or never scanned.
    no_dispatch = dispatch.sent_at is not None and dispatch.evidence == DispatchEvidence.NONE
    if stage == Stage.SHIPPING and no_dispatch:
        wrong = tracking_lag(record, now, settings).wrong_invoice
        basis = Basis.WRONG_INVOICE if wrong else Basis.NO_DISPATCH_EVIDENCE
        return _seller(basis, ClaimReason.NOT_YET_DELIVERY)
    refusal = refusal_facts(record, now, settings)
    if refusal is not None and refusal.deadline_missed_at_request:
        return _seller(Basis.DEADLINE_PASSED_AT_REQUEST, ClaimReason.DELAYED_DELIVERY)
    if refusal is not None and refusal.shipped_late_on_open_request:
        return _seller(Basis.SHIPPED_LATE_ON_OPEN_REQUEST, ClaimReason.DELAYED_DELIVERY)
    claim = return_claim(record)
    if claim is not None and claim.reason is not None and claim.claimStatus not in REJECTED:
        if side_of_reason(claim.reason) == Side.SELLER:
            return Fault(Side.SELLER, Basis.CLAIMED_REASON, claim.reason, confirmed=False)
        return Fault(Side.BUYER, Basis.CHANGE_OF_MIND, claim.reason, confirmed=True)
    if dispatch.sent_late:
        return _seller(Basis.SHIPPED_LATE, ClaimReason.DELAYED_DELIVERY)
    if dispatch.overdue and stage in (Stage.BEFORE_CONFIRM, Stage.PREPARING):
        return _seller(Basis.DISPATCH_OVERDUE, ClaimReason.DELAYED_DELIVERY)
    return Fault(Side.BUYER, Basis.CHANGE_OF_MIND, None, confirmed=False)
