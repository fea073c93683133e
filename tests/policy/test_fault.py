"""bot/policy/fault.py: whose side a return falls on, and on what ground (issue 12's cases)."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.clock import KST
from bot.orders.model import ClaimReason
from bot.policy.fault import Basis, Fault, Side, fault_of, side_of_reason
from bot.settings import PolicySettings

POLICY = PolicySettings()
# The base record (tests/conftest.py) is due Thu 11-26 23:59:59.
NOW = datetime(2026, 12, 3, 10, 0, tzinfo=KST)


def kst(*parts: int) -> str:
    return datetime(*parts, tzinfo=KST).isoformat()


def shipping(make_record, sent, scanned=None, status="DELIVERING", **overrides):
    return make_record(
        productOrder={"productOrderStatus": "DELIVERING", **overrides.pop("productOrder", {})},
        delivery={"deliveryStatus": status, "sendDate": sent, "pickupDate": scanned,
                  **overrides.pop("delivery", {})},
        **overrides,
    )


def refused(make_record, requested, sent, scanned, reason="INTENT_CHANGED", **overrides):
    return shipping(
        make_record, sent, scanned,
        productOrder={"claimType": "CANCEL", "claimStatus": "CANCEL_REJECT",
                      **overrides.pop("productOrder", {})},
        currentClaim={"cancel": {"claimStatus": "CANCEL_REJECT", "claimRequestDate": requested,
                                 "cancelReason": reason}},
        **overrides,
    )


@pytest.mark.parametrize(
    ("reason", "side"),
    [(r, Side.BUYER) for r in ("INTENT_CHANGED", "COLOR_AND_SIZE", "WRONG_ORDER",
                                "SIMPLE_INTENT_CHANGED", "MISTAKE_ORDER")]
    + [(r, Side.SELLER) for r in ("PRODUCT_UNSATISFIED", "DELAYED_DELIVERY", "SOLD_OUT",
                                   "DROPPED_DELIVERY", "NOT_YET_DELIVERY", "BROKEN",
                                   "INCORRECT_INFO", "WRONG_DELIVERY", "WRONG_OPTION")],
)
def test_side_of_every_reason(reason, side):
    assert side_of_reason(ClaimReason(reason)) is side
    assert side_of_reason(None) is None


def test_nothing_shown_is_a_change_of_mind(make_record):
    assert fault_of(make_record(), datetime(2026, 11, 25, 10, tzinfo=KST), POLICY) == Fault(
        Side.BUYER, Basis.CHANGE_OF_MIND, None, confirmed=False)


# 1. A suspected false invoice or a wrong invoice: the seller's side, cancel for non-dispatch.
def test_case_1_an_invoice_with_no_scan_for_days_is_the_sellers_side(make_record):
    record = refused(make_record, kst(2026, 11, 24, 14), kst(2026, 11, 24, 15), None)
    record.delivery.deliveryStatus = None
    fault = fault_of(record, NOW, POLICY)
    assert (fault.side, fault.basis, fault.confirmed) == (
        Side.SELLER, Basis.NO_DISPATCH_EVIDENCE, True)
    assert fault.reason is ClaimReason.NOT_YET_DELIVERY


def test_case_1_the_same_invoice_a_few_hours_old_is_not_yet_anyones_fault(make_record):
    record = refused(make_record, kst(2026, 11, 24, 14), kst(2026, 11, 24, 15), None)
    record.delivery.deliveryStatus = None
    assert fault_of(record, datetime(2026, 11, 24, 18, tzinfo=KST), POLICY).side is Side.BUYER


def test_case_1_a_wrong_invoice_is_the_sellers_side(make_record):
    record = shipping(make_record, kst(2026, 11, 25, 15), status="WRONG_INVOICE",
                      delivery={"isWrongTrackingNumber": True})
    fault = fault_of(record, datetime(2026, 11, 25, 16, tzinfo=KST), POLICY)
    assert (fault.side, fault.basis) == (Side.SELLER, Basis.WRONG_INVOICE)


# 2. Dispatch is the first scan: an invoice on the due day scanned 4 days later is late.
def test_case_2_invoice_on_the_due_day_scanned_late_is_the_sellers_side(make_record):
    record = shipping(make_record, kst(2026, 11, 26, 20), kst(2026, 12, 2, 10))
    fault = fault_of(record, NOW, POLICY)
    assert (fault.side, fault.basis, fault.reason) == (
        Side.SELLER, Basis.SHIPPED_LATE, ClaimReason.DELAYED_DELIVERY)


def test_case_2_a_scan_within_the_deadline_is_on_time(make_record):
    record = shipping(make_record, kst(2026, 11, 26, 20), kst(2026, 11, 26, 21))
    assert fault_of(record, NOW, POLICY).side is Side.BUYER


# 3. A cancel request left open past the deadline, then shipped late.
def test_case_3_request_before_the_deadline_shipped_after_it_is_the_sellers_side(make_record):
    record = refused(make_record, kst(2026, 11, 17, 10), kst(2026, 11, 24, 14),
                     kst(2026, 11, 24, 17),
                     productOrder={"shippingDueDate": kst(2026, 11, 19, 23, 59, 59)})
    fault = fault_of(record, NOW, POLICY)
    assert (fault.side, fault.basis) == (Side.SELLER, Basis.SHIPPED_LATE_ON_OPEN_REQUEST)


def test_a_request_after_the_missed_deadline_is_the_sellers_side(make_record):
    record = refused(make_record, kst(2026, 11, 27, 9), kst(2026, 11, 27, 15),
                     kst(2026, 11, 27, 17))
    fault = fault_of(record, NOW, POLICY)
    assert (fault.side, fault.basis) == (Side.SELLER, Basis.DEADLINE_PASSED_AT_REQUEST)


def test_a_refusal_by_a_dispatch_in_time_is_the_buyers_side(make_record):
    # Domain §2: a refusal at 배송준비중 is not by itself the seller's fault.
    record = refused(make_record, kst(2026, 11, 26, 10), kst(2026, 11, 26, 15),
                     kst(2026, 11, 26, 17), reason="DELAYED_DELIVERY")
    assert fault_of(record, NOW, POLICY).side is Side.BUYER


# 9. A reason the buyer picked is a claim, not a fact.
@pytest.mark.parametrize("reason", ["PRODUCT_UNSATISFIED", "BROKEN"])
def test_case_9_a_seller_side_reason_waits_for_the_inspection(make_record, reason):
    record = shipping(
        make_record, kst(2026, 11, 25, 15), kst(2026, 11, 25, 16), status="DELIVERY_COMPLETION",
        productOrder={"productOrderStatus": "DELIVERED", "claimType": "RETURN",
                      "claimStatus": "RETURN_REQUEST"},
        delivery={"deliveredDate": kst(2026, 11, 26, 12)},
        currentClaim={"return": {"claimStatus": "RETURN_REQUEST", "returnReason": reason}},
    )
    fault = fault_of(record, NOW, POLICY)
    assert (fault.side, fault.basis, fault.confirmed) == (
        Side.SELLER, Basis.CLAIMED_REASON, False)
    assert fault.reason is ClaimReason(reason)


def test_case_9_a_later_broken_return_is_not_overridden_by_an_earlier_fair_refusal(make_record):
    record = refused(
        make_record, kst(2026, 11, 24, 12), kst(2026, 11, 24, 12), kst(2026, 11, 24, 10),
        productOrder={"productOrderStatus": "DELIVERED", "claimType": "RETURN",
                      "claimStatus": "COLLECTING"},
        delivery={"deliveredDate": kst(2026, 11, 25, 12), "deliveryStatus": "DELIVERY_COMPLETION"},
    )
    record.currentClaim.return_ = type(record.currentClaim.cancel)(
        claimStatus="COLLECTING", returnReason="BROKEN")
    fault = fault_of(record, NOW, POLICY)
    assert (fault.side, fault.basis) == (Side.SELLER, Basis.CLAIMED_REASON)


@pytest.mark.parametrize(("kind", "reason", "side"), [
    ("return", "INTENT_CHANGED", Side.BUYER),
    ("exchange", "COLOR_AND_SIZE", Side.BUYER),
    ("exchange", "WRONG_OPTION", Side.SELLER),
])
def test_a_return_or_exchange_reason_decides_when_the_order_shows_nothing(
    make_record, kind, reason, side
):
    record = make_record(
        productOrder={"productOrderStatus": "DELIVERED", "claimType": kind.upper(),
                      "claimStatus": f"{kind.upper()}_REQUEST"},
        currentClaim={kind: {"claimStatus": f"{kind.upper()}_REQUEST", f"{kind}Reason": reason}},
    )
    assert fault_of(record, NOW, POLICY).side is side


def test_a_rejected_claims_reason_no_longer_decides(make_record):
    record = make_record(
        productOrder={"productOrderStatus": "DELIVERED", "claimType": "RETURN",
                      "claimStatus": "RETURN_REJECT"},
        currentClaim={"return": {"claimStatus": "RETURN_REJECT", "returnReason": "BROKEN"}},
    )
    assert fault_of(record, NOW, POLICY).basis is Basis.CHANGE_OF_MIND


def test_an_overdue_dispatch_before_shipping_is_the_sellers_side(make_record):
    fault = fault_of(make_record(), NOW, POLICY)  # 배송준비중, due 11-26, nothing sent
    assert (fault.side, fault.basis) == (Side.SELLER, Basis.DISPATCH_OVERDUE)
