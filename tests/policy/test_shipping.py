"""bot/policy/shipping.py: dispatch deadline, tracking lag classes, refused-cancel facts."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.clock import KST
from bot.policy.shipping import (
    DispatchEvidence,
    LagClass,
    RefusalVerdict,
    deadline_missed_at,
    dispatch_due,
    dispatch_facts,
    is_cancel_refused,
    refusal_facts,
    tracking_lag,
)
from bot.settings import PolicySettings

POLICY = PolicySettings()
SECOND = timedelta(seconds=1)
# The base record (conftest) was paid Mon 11-23 10:00 and is due Thu 11-26 23:59:59.
BASE_DUE = datetime(2026, 11, 26, 23, 59, 59, tzinfo=KST)
# Well after every time in these tests.
LATER = datetime(2026, 12, 10, 12, 0, tzinfo=KST)


def kst(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=KST)


# --- dispatch deadline ---------------------------------------------------------------------


def test_the_orders_shipping_due_date_is_the_deadline(make_record):
    assert dispatch_due(make_record(), POLICY) == BASE_DUE


@pytest.mark.parametrize(
    ("paid", "due_day"),
    [
        ("2026-11-27T10:00:00.000+09:00", (2026, 12, 2)),  # Fri -> Mon, Tue, Wed
        ("2026-11-28T10:00:00.000+09:00", (2026, 12, 2)),  # paid on a Saturday
        ("2026-09-23T10:00:00.000+09:00", (2026, 9, 30)),  # over Chuseok 09-24..26
        ("2026-10-01T10:00:00.000+09:00", (2026, 10, 7)),  # over 10-03 and alt. 10-05
        ("2026-12-22T10:00:00.000+09:00", (2026, 12, 28)),  # over Christmas
        # 15:30 UTC Thursday is 00:30 Friday in Seoul: counted from Friday.
        ("2026-11-26T15:30:00Z", (2026, 12, 2)),
        ("2026-11-26T14:30:00Z", (2026, 12, 1)),  # 23:30 Thursday KST
    ],
)
def test_without_shipping_due_date_the_deadline_is_payment_plus_3_business_days(
    make_record, paid, due_day
):
    record = make_record(order={"paymentDate": paid}, productOrder={"shippingDueDate": None})
    due = dispatch_due(record, POLICY)
    assert due == kst(*due_day, 23, 59, 59)
    assert due.tzinfo is KST


def test_without_payment_date_the_order_date_counts(make_record):
    record = make_record(
        order={"paymentDate": None, "orderDate": "2026-11-24T09:00:00.000+09:00"},
        productOrder={"shippingDueDate": None},
    )
    assert dispatch_due(record, POLICY) == kst(2026, 11, 27, 23, 59, 59)


def test_the_default_dispatch_period_comes_from_settings(make_record):
    record = make_record(
        order={"paymentDate": "2026-09-23T10:00:00.000+09:00"},
        productOrder={"shippingDueDate": None},
    )
    one_day = PolicySettings(default_dispatch_business_days=1)
    assert dispatch_due(record, one_day) == kst(2026, 9, 28, 23, 59, 59)


def test_not_overdue_at_the_deadline_itself(make_record):
    facts = dispatch_facts(make_record(), BASE_DUE, POLICY)
    assert facts.due == BASE_DUE
    assert facts.overdue is False
    assert facts.sent_late is False
    assert facts.business_days_overdue == 0.0


def test_overdue_one_second_after_the_deadline(make_record):
    facts = dispatch_facts(make_record(), BASE_DUE + SECOND, POLICY)
    assert facts.overdue is True
    assert facts.sent_at is None
    assert facts.business_days_overdue == pytest.approx(1 / 86400)


def test_overdue_days_skip_the_holidays(make_record):
    record = make_record(productOrder={"shippingDueDate": "2026-10-02T23:59:59.000+09:00"})
    # Fri's last second + Tue 00:00-06:00; 10-03 (Sat), Sun and alt. 10-05 count nothing.
    facts = dispatch_facts(record, kst(2026, 10, 6, 6, 0), POLICY)
    assert facts.overdue is True
    assert facts.business_days_overdue == pytest.approx((1 + 6 * 3600) / 86400)


def test_sent_after_the_deadline_is_late_not_overdue(make_record):
    record = make_record(delivery={"sendDate": "2026-11-27T11:00:00.000+09:00",
                                   "pickupDate": "2026-11-27T12:00:00.000+09:00"})
    facts = dispatch_facts(record, kst(2026, 12, 3, 10, 0), POLICY)
    assert facts.overdue is False
    assert facts.sent_late is True
    assert facts.dispatched_at == kst(2026, 11, 27, 12, 0)
    assert facts.evidence is DispatchEvidence.SCAN
    # Measured to the dispatch, not to now.
    assert facts.business_days_overdue == pytest.approx((1 + 12 * 3600) / 86400)


def test_sent_exactly_at_the_deadline_is_on_time(make_record):
    record = make_record(delivery={"sendDate": BASE_DUE})
    facts = dispatch_facts(record, kst(2026, 11, 30, 10, 0), POLICY)
    assert (facts.overdue, facts.sent_late, facts.business_days_overdue) == (False, False, 0.0)


def test_dispatch_facts_carry_the_sellers_delay_reason(make_record):
    record = make_record(productOrder={"delayedDispatchReason": "PRODUCT_PREPARE"})
    assert dispatch_facts(record, BASE_DUE, POLICY).reason == "PRODUCT_PREPARE"


@pytest.mark.parametrize(
    ("moment", "sent", "missed"),
    [
        (BASE_DUE, None, False),
        (BASE_DUE + SECOND, None, True),
        (BASE_DUE + SECOND, kst(2026, 11, 27, 12, 0), True),  # sent late
        (kst(2026, 11, 27, 12, 0), kst(2026, 11, 26, 20, 0), False),  # sent in time
    ],
)
def test_deadline_missed_at(make_record, moment, sent, missed):
    record = make_record(delivery={"sendDate": sent} if sent else None)
    assert deadline_missed_at(record, moment, kst(2026, 11, 27, 13, 0), POLICY) is missed


# --- tracking lag ----------------------------------------------------------------------------


def shipped(make_record, sent, scanned=None, **delivery):
    return make_record(
        productOrder={"productOrderStatus": "DELIVERING"},
        delivery={
            "deliveryCompany": "CJGLS",
            "trackingNumber": "512345678901",
            "deliveryStatus": "COLLECT_REQUEST",
            "sendDate": sent,
            "pickupDate": scanned,
            **delivery,
        },
    )


def test_no_lag_without_an_invoice(make_record, now):
    assert tracking_lag(make_record(), now, POLICY) is None
    no_send = make_record(delivery={"deliveryCompany": "CJGLS", "deliveryStatus": "COLLECT_WAIT"})
    assert tracking_lag(no_send, now, POLICY) is None


@pytest.mark.parametrize(
    ("sent", "now", "days", "lag"),
    [
        # Monday 10:00 invoice, no scan.
        (kst(2026, 11, 23, 10), kst(2026, 11, 24, 9, 59, 59), 1 - 1 / 86400, LagClass.NORMAL),
        (kst(2026, 11, 23, 10), kst(2026, 11, 24, 10), 1.0, LagClass.LATE),
        (kst(2026, 11, 23, 10), kst(2026, 11, 26, 9, 59, 59), 3 - 1 / 86400, LagClass.LATE),
        (kst(2026, 11, 23, 10), kst(2026, 11, 26, 10), 3.0, LagClass.SUSPICIOUS),
        # Friday 15:00 invoice: the weekend does not count.
        (kst(2026, 11, 27, 15), kst(2026, 11, 30, 14, 59, 59), 1 - 1 / 86400, LagClass.NORMAL),
        (kst(2026, 11, 27, 15), kst(2026, 11, 30, 15), 1.0, LagClass.LATE),
        (kst(2026, 11, 27, 15), kst(2026, 12, 2, 14, 59, 59), 3 - 1 / 86400, LagClass.LATE),
        (kst(2026, 11, 27, 15), kst(2026, 12, 2, 15), 3.0, LagClass.SUSPICIOUS),
        # Wednesday before Chuseok: five calendar days are less than one business day.
        (kst(2026, 9, 23, 15), kst(2026, 9, 28, 14, 59, 59), 1 - 1 / 86400, LagClass.NORMAL),
        # Thursday before Christmas: Thu 9 h + Mon + Tue + Wed 15 h.
        (kst(2026, 12, 24, 15), kst(2026, 12, 30, 14, 59, 59), 3 - 1 / 86400, LagClass.LATE),
        (kst(2026, 12, 24, 15), kst(2026, 12, 30, 15), 3.0, LagClass.SUSPICIOUS),
    ],
)
def test_lag_without_a_scan_at_the_thresholds(make_record, sent, now, days, lag):
    facts = tracking_lag(shipped(make_record, sent), now, POLICY)
    assert facts.lag_class is lag
    assert facts.business_days == pytest.approx(days)
    assert facts.scanned_at is None
    assert facts.carrier_has_it is False
    assert facts.hours == pytest.approx((now - sent).total_seconds() / 3600)


def test_lag_hours_are_wall_clock_hours(make_record):
    facts = tracking_lag(
        shipped(make_record, kst(2026, 9, 23, 15)), kst(2026, 9, 28, 15), POLICY
    )
    assert facts.hours == pytest.approx(120.0)
    assert facts.business_days == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("scanned", "days", "lag"),
    [
        (kst(2026, 11, 23, 16), 0.25, LagClass.NORMAL),
        (kst(2026, 11, 24, 9, 59, 59), 1 - 1 / 86400, LagClass.NORMAL),
        (kst(2026, 11, 24, 10), 1.0, LagClass.LATE),
        # Late, but the carrier has it: never suspicious, however late.
        (kst(2026, 11, 26, 10), 3.0, LagClass.LATE),
        (kst(2026, 12, 1, 10), 6.0, LagClass.LATE),
    ],
)
def test_lag_to_an_existing_scan(make_record, scanned, days, lag):
    record = shipped(make_record, kst(2026, 11, 23, 10), scanned, deliveryStatus="DELIVERING")
    facts = tracking_lag(record, kst(2026, 12, 4, 10), POLICY)  # now is much later
    assert facts.lag_class is lag
    assert facts.business_days == pytest.approx(days)
    assert facts.carrier_has_it is True
    assert facts.scan_before_invoice is False
    assert facts.scanned_at == scanned


@pytest.mark.parametrize("scanned", [kst(2026, 11, 23, 9, 40), kst(2026, 11, 23, 16, 30)])
def test_a_scan_before_or_at_the_invoice_is_normal(make_record, scanned):
    # Parcels are handed over first and invoices entered in a batch later.
    record = shipped(make_record, kst(2026, 11, 23, 16, 30), scanned)
    facts = tracking_lag(record, kst(2026, 11, 27, 10), POLICY)
    assert facts.lag_class is LagClass.NORMAL
    assert facts.scan_before_invoice is True
    assert facts.business_days == 0.0
    assert facts.hours == 0.0


@pytest.mark.parametrize(
    "delivery",
    [
        {"deliveryStatus": "COLLECT_CARGO"},
        {"deliveryStatus": "DELIVERING"},
        {"deliveryStatus": "DELIVERY_COMPLETION"},
        {"deliveredDate": "2026-11-25T14:00:00.000+09:00"},
    ],
)
def test_the_carrier_has_it_without_a_scan_time(make_record, delivery):
    record = shipped(make_record, kst(2026, 11, 23, 10), **delivery)
    facts = tracking_lag(record, kst(2026, 11, 27, 10), POLICY)
    assert facts.carrier_has_it is True
    assert facts.scanned_at is None
    assert facts.lag_class is LagClass.NORMAL
    assert facts.business_days == pytest.approx(4.0)


@pytest.mark.parametrize(
    "delivery",
    [
        {"isWrongTrackingNumber": True},
        {"deliveryStatus": "WRONG_INVOICE"},
        {"isWrongTrackingNumber": True, "pickupDate": "2026-11-23T11:00:00.000+09:00"},
    ],
)
def test_a_wrong_invoice_is_suspicious_at_once(make_record, delivery):
    record = shipped(make_record, kst(2026, 11, 23, 10), **delivery)
    facts = tracking_lag(record, kst(2026, 11, 23, 10, 5), POLICY)
    assert facts.wrong_invoice is True
    assert facts.lag_class is LagClass.SUSPICIOUS


def test_lag_thresholds_come_from_settings(make_record):
    tight = PolicySettings(lag_late_business_days=0.5, lag_suspicious_business_days=2.0)
    record = shipped(make_record, kst(2026, 11, 23, 10))
    assert tracking_lag(record, kst(2026, 11, 23, 21, 59), tight).lag_class is LagClass.NORMAL
    assert tracking_lag(record, kst(2026, 11, 23, 22), tight).lag_class is LagClass.LATE
    assert tracking_lag(record, kst(2026, 11, 25, 10), tight).lag_class is LagClass.SUSPICIOUS


def test_lag_facts_name_the_carrier_and_invoice(make_record):
    facts = tracking_lag(shipped(make_record, kst(2026, 11, 23, 10)), kst(2026, 11, 23, 12), POLICY)
    assert (facts.carrier, facts.tracking_number) == ("CJGLS", "512345678901")
    assert facts.sent_at == kst(2026, 11, 23, 10)
    assert facts.wrong_invoice is False


# --- refused cancel ---------------------------------------------------------------------------


def refused(make_record, requested, sent, scanned, reason="INTENT_CHANGED", **overrides):
    claim = {"claimId": "C1", "claimStatus": "CANCEL_REJECT", "cancelReason": reason}
    if requested is not None:
        claim["claimRequestDate"] = requested
    return make_record(
        productOrder={
            "productOrderStatus": "DELIVERING",
            "claimType": "CANCEL",
            "claimStatus": "CANCEL_REJECT",
            **overrides.pop("productOrder", {}),
        },
        delivery={"deliveryStatus": "DELIVERING", "sendDate": sent, "pickupDate": scanned},
        currentClaim={"cancel": claim},
        **overrides,
    )


REQUESTED = kst(2026, 11, 24, 10, 5)


@pytest.mark.parametrize(
    ("scanned", "verdict"),
    [
        (kst(2026, 11, 24, 9, 40), RefusalVerdict.SCANNED_BEFORE_REQUEST),
        (REQUESTED, RefusalVerdict.SCANNED_BEFORE_REQUEST),  # equal: the courier had it
        (REQUESTED + SECOND, RefusalVerdict.SCANNED_AFTER_REQUEST),
        (kst(2026, 11, 24, 17, 20), RefusalVerdict.SCANNED_AFTER_REQUEST),
        (None, RefusalVerdict.NO_SCAN_YET),
    ],
)
def test_refusal_verdict_by_scan_and_request(make_record, scanned, verdict):
    record = refused(make_record, REQUESTED, kst(2026, 11, 24, 16, 30), scanned)
    facts = refusal_facts(record, LATER, POLICY)
    assert facts.verdict is verdict
    assert facts.requested_at == REQUESTED
    assert facts.scanned_at == scanned
    assert facts.sent_at == kst(2026, 11, 24, 16, 30)
    assert facts.deadline_missed_at_request is False


def test_refusal_without_a_request_time(make_record):
    record = refused(make_record, None, kst(2026, 11, 24, 16, 30), kst(2026, 11, 24, 9, 40))
    facts = refusal_facts(record, LATER, POLICY)
    assert facts.verdict is RefusalVerdict.REQUEST_TIME_UNKNOWN
    assert facts.requested_at is None
    assert facts.deadline_missed_at_request is False


def test_refusal_known_only_from_the_product_order(make_record):
    record = make_record(
        productOrder={
            "productOrderStatus": "DELIVERING",
            "claimType": "CANCEL",
            "claimStatus": "CANCEL_REJECT",
        },
        delivery={"sendDate": "2026-11-24T16:30:00.000+09:00"},
    )
    assert is_cancel_refused(record) is True
    assert refusal_facts(record, LATER, POLICY).verdict is RefusalVerdict.REQUEST_TIME_UNKNOWN


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"productOrder": {"claimType": "CANCEL", "claimStatus": "CANCEL_REQUEST"},
         "currentClaim": {"cancel": {"claimStatus": "CANCEL_REQUEST"}}},
        {"productOrder": {"claimType": "CANCEL", "claimStatus": "CANCEL_DONE"},
         "currentClaim": {"cancel": {"claimStatus": "CANCEL_DONE"}}},
        {"productOrder": {"claimType": "RETURN", "claimStatus": "RETURN_REJECT"},
         "currentClaim": {"return": {"claimStatus": "RETURN_REJECT"}}},
    ],
)
def test_no_refusal_facts_without_a_refused_cancel(make_record, overrides):
    record = make_record(**overrides)
    assert is_cancel_refused(record) is False
    assert refusal_facts(record, LATER, POLICY) is None


def test_a_request_at_the_deadline_itself_is_not_late(make_record):
    record = refused(make_record, BASE_DUE, kst(2026, 11, 27, 10), kst(2026, 11, 27, 11))
    facts = refusal_facts(record, LATER, POLICY)
    assert facts.deadline_missed_at_request is False


def test_a_request_after_the_missed_deadline_is_the_sellers_side(make_record):
    record = refused(
        make_record, BASE_DUE + SECOND, kst(2026, 11, 27, 10), kst(2026, 11, 27, 11),
        reason="DELAYED_DELIVERY",
    )
    facts = refusal_facts(record, LATER, POLICY)
    assert facts.verdict is RefusalVerdict.SCANNED_AFTER_REQUEST
    assert facts.deadline_missed_at_request is True
    assert facts.deadline_missed_at_request is True


@pytest.mark.parametrize(
    ("requested", "missed"),
    [
        # Paid Wed 09-23: due Wed 09-30 (Chuseok Thu-Sat and Sunday skipped).
        (kst(2026, 9, 29, 9, 0), False),  # six calendar days later, still in time
        (kst(2026, 9, 30, 23, 59, 59), False),
        (kst(2026, 10, 1, 0, 0), True),
    ],
)
def test_missed_deadline_estimated_from_payment(make_record, requested, missed):
    record = refused(
        make_record, requested, kst(2026, 10, 2, 10), kst(2026, 10, 2, 12),
        order={"paymentDate": "2026-09-23T10:00:00.000+09:00"},
        productOrder={"shippingDueDate": None},
    )
    facts = refusal_facts(record, LATER, POLICY)
    assert facts.deadline_missed_at_request is missed
    assert facts.deadline_missed_at_request is missed


# --- issue 12: dispatch is judged by the carrier's first scan, never by the invoice alone ---


def test_invoice_on_the_due_day_scanned_4_business_days_later_is_a_late_dispatch(make_record):
    # The seed's trick: an invoice entered on the due day to look on time.
    record = make_record(
        productOrder={"productOrderStatus": "DELIVERING"},
        delivery={"deliveryStatus": "DELIVERING", "sendDate": "2026-11-26T20:00:00.000+09:00",
                  "pickupDate": "2026-12-02T10:00:00.000+09:00"},
    )
    facts = dispatch_facts(record, kst(2026, 12, 3, 10, 0), POLICY)
    assert facts.sent_at == kst(2026, 11, 26, 20, 0)  # the invoice was in time ...
    assert facts.dispatched_at == kst(2026, 12, 2, 10, 0)  # ... the parcel was not
    assert (facts.sent_late, facts.overdue) == (True, False)
    assert facts.evidence is DispatchEvidence.SCAN


def test_an_invoice_nobody_scanned_for_days_is_no_dispatch(make_record):
    record = make_record(
        productOrder={"productOrderStatus": "DELIVERING"},
        delivery={"deliveryStatus": "COLLECT_REQUEST", "sendDate": "2026-11-25T15:00:00.000+09:00"},
    )
    early = dispatch_facts(record, kst(2026, 11, 26, 10, 0), POLICY)
    assert (early.dispatched_at, early.evidence) == (kst(2026, 11, 25, 15, 0),
                                                     DispatchEvidence.INVOICE)
    assert early.overdue is False
    late = dispatch_facts(record, kst(2026, 12, 2, 10, 0), POLICY)  # 4+ business days on
    assert (late.dispatched_at, late.evidence) == (None, DispatchEvidence.NONE)
    assert late.overdue is True


def test_a_wrong_invoice_is_no_dispatch(make_record):
    record = make_record(
        productOrder={"productOrderStatus": "DELIVERING"},
        delivery={"deliveryStatus": "WRONG_INVOICE", "sendDate": "2026-11-25T15:00:00.000+09:00",
                  "isWrongTrackingNumber": True},
    )
    facts = dispatch_facts(record, kst(2026, 11, 25, 16, 0), POLICY)
    assert facts.dispatched_at is None
    assert facts.evidence is DispatchEvidence.NONE


def test_an_unpaid_order_runs_no_deadline(make_record):
    record = make_record(order={"paymentDate": None},
                         productOrder={"productOrderStatus": "PAYMENT_WAITING",
                                       "placeOrderStatus": None})
    facts = dispatch_facts(record, LATER, POLICY)
    assert facts.unpaid is True and facts.overdue is False


def test_a_request_left_open_past_the_deadline_then_shipped_late(make_record):
    # Requested Tue 11-17, due Thu 11-19, dispatched Tue 11-24: the seller sat on it.
    record = refused(
        make_record, kst(2026, 11, 17, 10, 0), kst(2026, 11, 24, 14, 0), kst(2026, 11, 24, 17, 0),
        productOrder={"shippingDueDate": "2026-11-19T23:59:59.000+09:00"},
    )
    facts = refusal_facts(record, LATER, POLICY)
    assert facts.deadline_missed_at_request is False
    assert facts.shipped_late_on_open_request is True


def test_a_request_answered_by_a_dispatch_in_time_is_not_left_open(make_record):
    record = refused(make_record, REQUESTED, kst(2026, 11, 24, 16, 30), kst(2026, 11, 24, 17, 0))
    assert refusal_facts(record, LATER, POLICY).shipped_late_on_open_request is False


@pytest.mark.parametrize(
    ("scanned", "gap"),
    [
        (REQUESTED + timedelta(minutes=10), 10 / 60),
        (REQUESTED + timedelta(days=3), 72.0),
        (kst(2026, 11, 24, 9, 40), None),  # before the request: no gap to speak of
    ],
)
def test_the_gap_from_request_to_scan(make_record, scanned, gap):
    record = refused(make_record, REQUESTED, kst(2026, 11, 24, 16, 30), scanned)
    facts = refusal_facts(record, LATER, POLICY)
    assert facts.gap_hours == (pytest.approx(gap) if gap is not None else None)
