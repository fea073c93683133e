"""bot/policy/returns.py: return window, who pays, must-accept, refund timing."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from bot.clock import KST
from bot.policy.fault import Side
from bot.policy.returns import (
    AcceptAnswer,
    RefundKind,
    ReturnFee,
    ReturnWindowStatus,
    add_months,
    must_accept,
    period_end,
    refund_timing,
    return_fee,
    return_window,
    settlement_days,
)
from bot.settings import PolicySettings, StoreSettings, get_settings

POLICY = PolicySettings()
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=KST)
STORE = StoreSettings(return_shipping_fee=3500, initial_shipping_fee=3500)


def kst(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=KST)


def delivered(make_record, at="2026-11-20T14:00:00.000+09:00", status="DELIVERED", **extra):
    product = {"productOrderStatus": status, **extra.pop("productOrder", {})}
    return make_record(
        productOrder=product,
        delivery={
            "deliveryStatus": "DELIVERY_COMPLETION",
            "sendDate": "2026-11-19T10:00:00.000+09:00",
            "pickupDate": "2026-11-19T11:00:00.000+09:00",
            "deliveredDate": at,
        },
        **extra,
    )


def refused_cancel(make_record, requested, reason="INTENT_CHANGED", dispatched="2026-11-27"):
    """Due Thu 11-26 23:59:59 (conftest base); dispatched on `dispatched` (15:00 invoice,
    17:00 first scan) despite the request."""
    return make_record(
        productOrder={
            "productOrderStatus": "DELIVERING",
            "claimType": "CANCEL",
            "claimStatus": "CANCEL_REJECT",
        },
        delivery={
            "deliveryStatus": "DELIVERING",
            "sendDate": f"{dispatched}T15:00:00.000+09:00",
            "pickupDate": f"{dispatched}T17:00:00.000+09:00",
        },
        currentClaim={
            "cancel": {
                "claimStatus": "CANCEL_REJECT",
                "claimRequestDate": requested,
                "cancelReason": reason,
            }
        },
    )


IN_TIME = "2026-11-26T10:00:00.000+09:00"
AFTER_DEADLINE = "2026-11-27T09:00:00.000+09:00"


# --- return window ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "status", "days_left"),
    [
        (kst(2026, 11, 20, 14, 0), ReturnWindowStatus.OPEN, 7),
        (kst(2026, 11, 26, 23, 59, 59), ReturnWindowStatus.OPEN, 1),
        (kst(2026, 11, 27, 0, 0), ReturnWindowStatus.OPEN, 0),
        (kst(2026, 11, 27, 23, 59, 59), ReturnWindowStatus.OPEN, 0),  # last second
        (kst(2026, 11, 28, 0, 0, 0), ReturnWindowStatus.CLOSED, -1),  # one second later
        (kst(2026, 11, 30, 10, 0), ReturnWindowStatus.CLOSED, -3),
    ],
)
def test_return_window_is_7_days_from_delivery_to_the_end_of_the_last_day(
    make_record, now, status, days_left
):
    # Delivered Fri 11-20 14:00: the last day is 11-20 + 7 = Fri 11-27.
    window = return_window(delivered(make_record), now, POLICY)
    assert window.status is status
    assert window.days_left == days_left
    assert window.deadline == kst(2026, 11, 27, 23, 59, 59)
    assert window.delivered_at == kst(2026, 11, 20, 14, 0)


@pytest.mark.parametrize(
    ("delivered_utc", "last_day", "status", "days_left"),
    [
        ("2026-11-20T14:59:00Z", (2026, 11, 27), ReturnWindowStatus.CLOSED, -1),  # 23:59 KST
        # 00:01 KST on Sat 11-21: the 7th day is Sat 11-28, so the period runs to Mon 11-30.
        ("2026-11-20T15:01:00Z", (2026, 11, 30), ReturnWindowStatus.OPEN, 2),
    ],
)
def test_return_window_midnight_edge_on_the_kst_date(
    make_record, delivered_utc, last_day, status, days_left
):
    window = return_window(delivered(make_record, at=delivered_utc), kst(2026, 11, 28, 12), POLICY)
    assert window.deadline == kst(*last_day, 23, 59, 59)
    assert window.status is status
    assert window.days_left == days_left


@pytest.mark.parametrize(
    ("now_utc", "status", "days_left"),
    [
        (datetime(2026, 11, 26, 16, 0, tzinfo=timezone.utc), ReturnWindowStatus.OPEN, 0),
        (datetime(2026, 11, 27, 14, 59, 59, tzinfo=timezone.utc), ReturnWindowStatus.OPEN, 0),
        (datetime(2026, 11, 27, 15, 30, tzinfo=timezone.utc), ReturnWindowStatus.CLOSED, -1),
    ],
)
def test_return_window_counts_days_on_the_kst_date_whatever_the_zone_of_now(
    make_record, now_utc, status, days_left
):
    # 16:00 UTC on 11-26 is 01:00 on 11-27 in Seoul: the last day, not the day before.
    window = return_window(delivered(make_record), now_utc, POLICY)
    assert window.status is status
    assert window.days_left == days_left


def test_return_window_is_open_for_the_whole_last_second(make_record):
    # A real clock has microseconds: 23:59:59.5 is still the last day (days_left 0).
    now = datetime(2026, 11, 27, 23, 59, 59, 500000, tzinfo=KST)
    window = return_window(delivered(make_record), now, POLICY)
    assert window.days_left == 0
    assert window.status is ReturnWindowStatus.OPEN


def test_return_window_length_comes_from_settings(make_record):
    window = return_window(
        delivered(make_record), kst(2026, 12, 4, 12), PolicySettings(return_window_days=14)
    )
    assert window.deadline == kst(2026, 12, 4, 23, 59, 59)
    assert (window.status, window.days_left) == (ReturnWindowStatus.OPEN, 0)


@pytest.mark.parametrize(
    ("delivered_at", "defect_day"),
    [
        ("2026-11-20T14:00:00.000+09:00", (2027, 2, 20)),
        ("2026-11-30T14:00:00.000+09:00", (2027, 2, 28)),  # no 02-30: the month's last day
    ],
)
def test_defect_deadline_is_3_months_from_delivery(make_record, delivered_at, defect_day):
    window = return_window(delivered(make_record, at=delivered_at), kst(2026, 12, 20), POLICY)
    assert window.status is ReturnWindowStatus.CLOSED
    assert window.defect_deadline == kst(*defect_day, 23, 59, 59)
    assert window.defect_discovery_days == 30


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 11, 20), 3, date(2027, 2, 20)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),  # leap year
        (date(2026, 12, 15), 3, date(2027, 3, 15)),
        (date(2026, 9, 30), 3, date(2026, 12, 30)),
        (date(2026, 10, 31), 0, date(2026, 10, 31)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("overrides", "status"),
    [
        ({"productOrder": {"productOrderStatus": "DELIVERING"}}, ReturnWindowStatus.NOT_DELIVERED),
        ({}, ReturnWindowStatus.NOT_DELIVERED),  # 배송준비중
        ({"productOrder": {"productOrderStatus": "CANCELED"}}, ReturnWindowStatus.CANCELED),
    ],
)
def test_return_window_before_delivery(make_record, now, overrides, status):
    window = return_window(make_record(**overrides), now, POLICY)
    assert window.status is status
    assert (window.delivered_at, window.deadline, window.days_left) == (None, None, None)
    assert window.defect_deadline is None


def test_return_window_after_purchase_decision(make_record):
    record = delivered(make_record, status="PURCHASE_DECIDED")
    window = return_window(record, kst(2026, 11, 23, 10), POLICY)
    assert window.status is ReturnWindowStatus.DECIDED  # even inside the 7 days
    assert window.days_left == 4


@pytest.mark.parametrize(
    ("claim_type", "claim_status", "status"),
    [
        ("RETURN", "COLLECTING", "DELIVERED"),
        ("EXCHANGE", "EXCHANGE_REQUEST", "DELIVERED"),
    ],
)
def test_return_window_when_a_return_is_under_way(make_record, claim_type, claim_status, status):
    record = delivered(
        make_record,
        status=status,
        productOrder={"claimType": claim_type, "claimStatus": claim_status},
    )
    window = return_window(record, kst(2026, 11, 23, 10), POLICY)
    assert window.status is ReturnWindowStatus.IN_PROGRESS


# --- who pays the return shipping ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("fee_amount", "side", "expected"),
    [
        (0, Side.BUYER, ReturnFee(Side.BUYER, 7000, True, True, 7000)),  # free: charged back
        # Not given: not assumed free. One way, and what a free first delivery would add.
        (None, Side.BUYER, ReturnFee(Side.BUYER, 3500, False, False, 7000)),
        (3000, Side.BUYER, ReturnFee(Side.BUYER, 3500, False, True, 7000)),  # paid: one way
        (0, Side.SELLER, ReturnFee(Side.SELLER, 0, False)),
        (3000, Side.SELLER, ReturnFee(Side.SELLER, 0, False)),
    ],
)
def test_return_fee(make_record, fee_amount, side, expected):
    record = make_record(productOrder={"deliveryFeeAmount": fee_amount})
    assert return_fee(record, side, STORE) == expected


def test_return_fee_amounts_come_from_the_store(make_record):
    store = StoreSettings(return_shipping_fee=4000, initial_shipping_fee=2500)
    free = make_record(productOrder={"deliveryFeeAmount": 0})
    assert return_fee(free, Side.BUYER, store).amount == 6500
    paid = make_record(productOrder={"deliveryFeeAmount": 2500})
    assert return_fee(paid, Side.BUYER, store).amount == 4000


# --- must the buyer accept the parcel? --------------------------------------------------------


def _shipping(make_record, **product):
    return make_record(
        productOrder={"productOrderStatus": "DELIVERING", **product},
        delivery={"deliveryStatus": "DELIVERING", "sendDate": "2026-11-24T15:00:00.000+09:00"},
    )


def test_nothing_to_accept_before_dispatch(make_record):
    before = make_record(productOrder={"placeOrderStatus": "NOT_YET"})
    assert must_accept(before, NOW, POLICY, STORE).answer is AcceptAnswer.NOT_SHIPPED
    assert must_accept(before, NOW, POLICY, STORE).fee is None
    preparing = make_record()
    assert must_accept(preparing, NOW, POLICY, STORE).answer is AcceptAnswer.NOT_SHIPPED


def test_shipping_change_of_mind_may_refuse_but_pays_both_ways(make_record):
    answer = must_accept(_shipping(make_record), NOW, POLICY, STORE)
    assert answer.answer is AcceptAnswer.REFUSE_COSTS_SHIPPING
    assert answer.fee == ReturnFee(Side.BUYER, 7000, True, True, 7000)


def test_shipping_with_paid_shipping_pays_one_way(make_record):
    answer = must_accept(_shipping(make_record, deliveryFeeAmount=3000), NOW, POLICY, STORE)
    assert answer.answer is AcceptAnswer.REFUSE_COSTS_SHIPPING
    assert answer.fee == ReturnFee(Side.BUYER, 3500, False, True, 7000)


def test_shipping_after_a_missed_deadline_the_seller_pays(make_record):
    answer = must_accept(refused_cancel(make_record, AFTER_DEADLINE), NOW, POLICY, STORE)
    assert answer.answer is AcceptAnswer.SELLER_PAYS
    assert answer.fee == ReturnFee(Side.SELLER, 0, False)


def test_shipping_after_a_fair_refusal_the_buyer_pays(make_record):
    # Asked on the due day, dispatched (first scan) that same afternoon: in time.
    record = refused_cancel(make_record, IN_TIME, dispatched="2026-11-26")
    answer = must_accept(record, NOW, POLICY, STORE)
    assert answer.answer is AcceptAnswer.REFUSE_COSTS_SHIPPING
    assert answer.fee == ReturnFee(Side.BUYER, 7000, True, True, 7000)


def test_delivered_is_a_return_with_the_buyers_fee(make_record):
    answer = must_accept(delivered(make_record), NOW, POLICY, STORE)
    assert answer.answer is AcceptAnswer.ALREADY_DELIVERED
    assert answer.fee == ReturnFee(Side.BUYER, 7000, True, True, 7000)


def test_delivered_after_a_rejected_defect_return_the_reason_no_longer_decides(make_record):
    record = delivered(
        make_record,
        productOrder={"claimType": "RETURN", "claimStatus": "RETURN_REJECT"},
        currentClaim={"return": {"claimStatus": "RETURN_REJECT", "returnReason": "BROKEN"}},
    )
    answer = must_accept(record, NOW, POLICY, STORE)
    assert answer.answer is AcceptAnswer.ALREADY_DELIVERED
    # The seller refused the BROKEN claim: the buyer's reason is not a fact any more.
    assert answer.fee.payer is Side.BUYER


@pytest.mark.parametrize(
    "overrides",
    [
        {"status": "PURCHASE_DECIDED"},
        {"status": "CANCELED"},
        {"status": "RETURNED"},
        {"status": "EXCHANGED"},
        {"productOrder": {"claimType": "RETURN", "claimStatus": "COLLECTING"}},
    ],
)
def test_must_accept_does_not_apply_after_the_fact(make_record, overrides):
    answer = must_accept(delivered(make_record, **overrides), NOW, POLICY, STORE)
    assert answer.answer is AcceptAnswer.NOT_APPLICABLE
    assert answer.fee is None


# --- when the money comes back ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "kind"),
    [
        ({"productOrder": {"placeOrderStatus": "NOT_YET"}}, RefundKind.INSTANT),
        ({}, RefundKind.NONE_PENDING),  # 배송준비중, nothing asked
        (
            {
                "productOrder": {"claimType": "CANCEL", "claimStatus": "CANCEL_REQUEST"},
                "currentClaim": {"cancel": {"claimStatus": "CANCEL_REQUEST"}},
            },
            RefundKind.AFTER_APPROVAL,
        ),
        (
            {
                "productOrder": {
                    "productOrderStatus": "CANCELED",
                    "claimType": "CANCEL",
                    "claimStatus": "CANCEL_DONE",
                },
                "currentClaim": {"cancel": {"claimStatus": "CANCEL_DONE"}},
            },
            RefundKind.REFUNDED,
        ),
        ({"productOrder": {"productOrderStatus": "DELIVERING"}}, RefundKind.NONE_PENDING),
    ],
)
def test_refund_timing_before_delivery(make_record, now, overrides, kind):
    assert refund_timing(make_record(**overrides), now, POLICY).kind is kind


@pytest.mark.parametrize(
    ("status", "claim", "kind"),
    [
        ("DELIVERED", None, RefundKind.NONE_PENDING),
        ("PURCHASE_DECIDED", None, RefundKind.NONE_PENDING),
        ("DELIVERED", ("RETURN", "RETURN_REQUEST"), RefundKind.AFTER_RETURN),
        ("DELIVERED", ("RETURN", "COLLECTING"), RefundKind.AFTER_RETURN),
        ("DELIVERED", ("RETURN", "COLLECT_DONE"), RefundKind.AFTER_RETURN),
        ("RETURNED", ("RETURN", "RETURN_DONE"), RefundKind.REFUNDED),
        # An exchange sends a new item back; no money is refunded.
        ("DELIVERED", ("EXCHANGE", "EXCHANGE_REQUEST"), RefundKind.NONE_PENDING),
        ("DELIVERED", ("EXCHANGE", "EXCHANGE_REDELIVERING"), RefundKind.NONE_PENDING),
        ("EXCHANGED", ("EXCHANGE", "EXCHANGE_DONE"), RefundKind.NONE_PENDING),
    ],
)
def test_refund_timing_after_delivery(make_record, now, status, claim, kind):
    product = {"claimType": claim[0], "claimStatus": claim[1]} if claim else {}
    record = delivered(make_record, status=status, productOrder=product)
    assert refund_timing(record, now, POLICY).kind is kind


def test_refund_timing_reports_the_platforms_expected_date_on_the_kst_date(make_record, now):
    record = delivered(
        make_record,
        productOrder={"claimType": "RETURN", "claimStatus": "COLLECT_DONE"},
        currentClaim={
            "return": {
                "claimStatus": "COLLECT_DONE",
                "returnReason": "BROKEN",
                "refundExpectedDate": "2026-11-30T15:30:00Z",  # 12-01 00:30 KST
            }
        },
    )
    timing = refund_timing(record, now, POLICY)
    assert timing.kind is RefundKind.AFTER_RETURN
    assert timing.expected_date == date(2026, 12, 1)
    assert timing.business_days_after_return == 3
    assert timing.payment_means == "신용카드"
    assert timing.settlement_days == (3, 7)


def test_refund_timing_without_expected_date(make_record, now):
    timing = refund_timing(make_record(), now, PolicySettings(refund_after_return_business_days=5))
    assert timing.expected_date is None
    assert timing.business_days_after_return == 5


@pytest.mark.parametrize(
    ("means", "days"),
    [
        ("신용카드", (3, 7)),
        ("네이버페이 포인트", (0, 0)),
        ("상품권", (3, 7)),  # unknown: the default
        (None, (3, 7)),
    ],
)
def test_settlement_days_of_the_shipped_settings(means, days):
    # The figures bot/settings.yml publishes, typed here by hand from card companies' pages.
    assert settlement_days(means, get_settings().policy) == days


def test_settlement_days_match_a_means_named_inside_a_longer_one():
    policy = PolicySettings(refund_settlement_business_days={"체크카드": (3, 5), "default": (1, 2)})
    assert settlement_days("체크카드(KB국민)", policy) == (3, 5)
    assert settlement_days("신용카드", policy) == (1, 2)


def test_settlement_days_without_a_default_entry():
    assert settlement_days("상품권", PolicySettings(refund_settlement_business_days={})) == (3, 7)


@pytest.mark.parametrize(
    ("completed", "check_by"),
    [
        # Thursday + 7 business days (신용카드 3~7: the upper bound) = the Monday after next.
        (datetime(2026, 11, 26, 15, 0, tzinfo=KST), date(2026, 12, 7)),
        # Over Chuseok (09-24..26) and the substitute holiday for 개천절 (10-05).
        (datetime(2026, 9, 23, 15, 0, tzinfo=KST), date(2026, 10, 7)),
        # Late evening in Seoul is still that day, though it is morning in UTC.
        (datetime(2026, 11, 26, 23, 30, tzinfo=KST), date(2026, 12, 7)),
    ],
)
def test_a_completed_refund_is_checked_by_the_slowest_settlement(make_record, now, completed,
                                                                  check_by):
    record = make_record(
        productOrder={"productOrderStatus": "CANCELED", "claimType": "CANCEL",
                      "claimStatus": "CANCEL_DONE"},
        currentClaim={"cancel": {"claimId": "C1", "claimStatus": "CANCEL_DONE",
                                 "claimRequestDate": completed, "cancelCompletedDate": completed}},
    )
    timing = refund_timing(record, now, get_settings().policy)
    assert timing.kind is RefundKind.REFUNDED
    assert timing.refunded_at == completed
    assert timing.check_by == check_by


def test_no_check_by_date_before_a_refund(make_record, now):
    timing = refund_timing(make_record(), now, POLICY)
    assert timing.refunded_at is None and timing.check_by is None


# --- issue 12: periods ending on a day off, finished and refused claims, unpaid orders -----


@pytest.mark.parametrize(
    ("last_day", "end"),
    [
        (date(2026, 11, 27), date(2026, 11, 27)),  # a Friday stays
        (date(2026, 11, 28), date(2026, 11, 30)),  # Saturday -> Monday
        (date(2026, 11, 29), date(2026, 11, 30)),  # Sunday -> Monday
        (date(2026, 9, 24), date(2026, 9, 28)),  # Chuseok Thu-Sat, then Sunday -> Monday
        (date(2026, 12, 25), date(2026, 12, 28)),  # Christmas (Fri), weekend -> Monday
    ],
)
def test_a_period_ending_on_a_day_off_runs_to_the_next_business_day(last_day, end):
    # 민법 §161 (through §155): a last day on a Saturday or public holiday moves on.
    assert period_end(last_day) == end


def test_the_7_day_window_ending_on_a_saturday_stays_open_until_monday(make_record):
    # Delivered Sat 11-21: the 7th day is Sat 11-28, so requests count until Mon 11-30.
    record = delivered(make_record, at="2026-11-21T15:00:00.000+09:00")
    window = return_window(record, kst(2026, 11, 30, 20, 0), POLICY)
    assert window.nominal_deadline == kst(2026, 11, 28, 23, 59, 59)
    assert window.deadline == kst(2026, 11, 30, 23, 59, 59)
    assert window.extended is True
    assert (window.status, window.days_left) == (ReturnWindowStatus.OPEN, 0)
    closed = return_window(record, kst(2026, 12, 1, 0, 0), POLICY)
    assert closed.status is ReturnWindowStatus.CLOSED


def test_a_window_ending_on_a_business_day_is_not_extended(make_record):
    window = return_window(delivered(make_record), kst(2026, 11, 25), POLICY)
    assert window.extended is False
    assert window.nominal_deadline == window.deadline


@pytest.mark.parametrize(
    ("status", "claim_type", "claim_status"),
    [
        ("RETURNED", "RETURN", "RETURN_DONE"),
        ("EXCHANGED", "EXCHANGE", "EXCHANGE_DONE"),
        ("DELIVERED", "RETURN", "RETURN_DONE"),  # the claim finished before the status moved
    ],
)
def test_a_finished_return_or_exchange_is_finished_not_in_progress(
    make_record, status, claim_type, claim_status
):
    record = delivered(make_record, status=status,
                       productOrder={"claimType": claim_type, "claimStatus": claim_status},
                       currentClaim={claim_type.lower(): {"claimStatus": claim_status}})
    assert return_window(record, kst(2026, 11, 23), POLICY).status is ReturnWindowStatus.FINISHED


def test_a_rejected_return_leaves_the_window_as_it_is_and_says_so(make_record):
    record = delivered(
        make_record,
        productOrder={"claimType": "RETURN", "claimStatus": "RETURN_REJECT"},
        currentClaim={"return": {"claimStatus": "RETURN_REJECT", "returnReason": "BROKEN"}},
    )
    window = return_window(record, kst(2026, 11, 23), POLICY)
    assert window.rejected is True
    assert window.status is ReturnWindowStatus.OPEN  # a new request is still possible
    assert refund_timing(record, kst(2026, 11, 23), POLICY).kind is RefundKind.NONE_PENDING


@pytest.mark.parametrize("status", ["PAYMENT_WAITING", "CANCELED_BY_NOPAYMENT"])
def test_nothing_paid_nothing_refunded(make_record, now, status):
    record = make_record(order={"paymentDate": None},
                         productOrder={"productOrderStatus": status, "placeOrderStatus": None})
    assert refund_timing(record, now, POLICY).kind is RefundKind.UNPAID


def test_an_exchange_costs_both_ways_and_is_paid_separately(make_record):
    record = delivered(make_record, productOrder={
        "claimType": "EXCHANGE", "claimStatus": "EXCHANGE_REQUEST", "deliveryFeeAmount": 3000})
    fee = return_fee(record, Side.BUYER, STORE)
    assert (fee.amount, fee.round_trip, fee.exchange) == (7000, True, True)
