"""bot/orders/demo.py: the demo set tells each case's story on any day."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from bot.clock import KST, parse_instant
from bot.orders.demo import CASES, demo_documents, demo_records, readme_table
from bot.orders.model import (
    ClaimReason,
    ClaimStatus,
    ClaimType,
    DeliveryStatus,
    PlaceOrderStatus,
    ProductOrderRecord,
    ProductOrderStatus,
)
from bot.policy.fault import Side, fault_of
from bot.policy.returns import (
    AcceptAnswer,
    RefundKind,
    ReturnWindowStatus,
    must_accept,
    period_end,
    refund_timing,
    return_window,
)
from bot.policy.shipping import (
    LagClass,
    RefusalVerdict,
    dispatch_facts,
    refusal_facts,
    tracking_lag,
)
from bot.policy.stage import CancelPath, Stage, cancel_path, stage_of
from bot.settings import PolicySettings, StoreSettings
from tests.support.clock import FIXED_NOW, FIXED_NOW_TEXT
from tests.support.paths import FIXTURE_ORDERS, PROJECT_ROOT

POLICY = PolicySettings()
STORE = StoreSettings()

# The kinds of day a case's dates can depend on (weekends, holidays, the midnight edge).
NOWS = {
    "friday": FIXED_NOW,
    "monday": datetime(2026, 11, 30, 10, 0, tzinfo=KST),
    "monday-00:30": datetime(2026, 11, 30, 0, 30, tzinfo=KST),
    "saturday": datetime(2026, 11, 28, 10, 0, tzinfo=KST),
    "sunday-23:50": datetime(2026, 11, 29, 23, 50, tzinfo=KST),
    "after-chuseok": datetime(2026, 9, 28, 10, 0, tzinfo=KST),  # 09-24..27 off
    "after-foundation-day": datetime(2026, 10, 6, 10, 0, tzinfo=KST),  # 10-03..05 off
    "on-alt-holiday": datetime(2026, 10, 5, 15, 0, tzinfo=KST),
    "after-christmas": datetime(2026, 12, 28, 9, 0, tzinfo=KST),
}

# Counted by hand on a 2026 calendar (weekends, Chuseok 09-24..26, 개천절 10-03 and its
# alternative holiday 10-05, Christmas 12-25): the dates 4, 5 and 6 business days before
# each `now`, on which cases 06, 09 and 14 are built.
BUSINESS_DAYS_BEFORE = {
    "friday": (date(2026, 11, 23), date(2026, 11, 20), date(2026, 11, 19)),
    "monday": (date(2026, 11, 24), date(2026, 11, 23), date(2026, 11, 20)),
    "monday-00:30": (date(2026, 11, 24), date(2026, 11, 23), date(2026, 11, 20)),
    "saturday": (date(2026, 11, 24), date(2026, 11, 23), date(2026, 11, 20)),
    "sunday-23:50": (date(2026, 11, 24), date(2026, 11, 23), date(2026, 11, 20)),
    "after-chuseok": (date(2026, 9, 18), date(2026, 9, 17), date(2026, 9, 16)),
    "after-foundation-day": (date(2026, 9, 29), date(2026, 9, 28), date(2026, 9, 23)),
    "on-alt-holiday": (date(2026, 9, 29), date(2026, 9, 28), date(2026, 9, 23)),
    "after-christmas": (date(2026, 12, 21), date(2026, 12, 18), date(2026, 12, 17)),
}

ENUM_FIELDS = {
    "productOrderStatus": ProductOrderStatus,
    "placeOrderStatus": PlaceOrderStatus,
    "claimType": ClaimType,
    "claimStatus": ClaimStatus,
    "deliveryStatus": DeliveryStatus,
    "claimReason": ClaimReason,
    "cancelReason": ClaimReason,
    "returnReason": ClaimReason,
    "exchangeReason": ClaimReason,
}


def by_case(now: datetime) -> dict[str, ProductOrderRecord]:
    return {record.order_id[-2:]: record for record in demo_records(now)}


@pytest.fixture(params=list(NOWS), ids=list(NOWS))
def day(request) -> str:
    return request.param


@pytest.fixture
def demo_now(day) -> datetime:
    return NOWS[day]


@pytest.fixture
def demo(demo_now) -> dict[str, ProductOrderRecord]:
    """The demo set on each kind of day: for the cases whose dates depend on the calendar."""
    return by_case(demo_now)


@pytest.fixture
def friday() -> dict[str, ProductOrderRecord]:
    """The demo set at the fixed moment: for the cases the calendar does not touch."""
    return by_case(FIXED_NOW)


def missing_from(written: Any, given: Any, path: str = "") -> list[str]:
    """Where `written` lacks or changes a value of `given`; *Date strings compared as instants
    (the API writes .000, pydantic does not). Defaults `written` adds are allowed."""
    if isinstance(given, dict):
        if not isinstance(written, dict):
            return [path]
        return [gap for key, value in given.items()
                for gap in missing_from(written.get(key), value, f"{path}.{key}")]
    if isinstance(given, str) and path.endswith("Date") and isinstance(written, str):
        return [] if parse_instant(written) == parse_instant(given) else [path]
    return [] if written == given else [path]


# --- the set itself -----------------------------------------------------------------------


def test_there_is_one_order_per_case_and_one_product_order_per_item(now):
    records = demo_records(now)
    assert sorted({r.order_id for r in records}) == [case.order_id for case in CASES]
    assert [case.order_id[-2:] for case in CASES] == [
        f"{n:02d}" for n in [*range(1, 26), *range(30, 36)]]
    product_ids = [r.product_order_id for r in records]
    assert len(set(product_ids)) == len(product_ids) == sum(
        len(case.documents(now)) for case in CASES)
    assert all(len(pid) == 16 and pid.isdigit() for pid in product_ids)
    # The item picker's case: one order number, three product orders.
    assert [len(case.documents(now)) for case in CASES if len(case.documents(now)) > 1] == [3]


def test_each_case_carries_its_phone_and_product(now):
    records = demo_records(now)
    for case in CASES:
        items = [r for r in records if r.order_id == case.order_id]
        assert {r.phone_last4 for r in items} == {case.phone[-4:]}
        # A case of several items is named after its first one ("면 티셔츠 외 2건").
        assert case.product.startswith(items[0].productOrder.productName)
        assert (case.product == items[0].productOrder.productName) == (len(items) == 1)


def test_every_enum_value_in_the_demo_data_parses(now):
    found: dict[str, set[str]] = {}

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ENUM_FIELDS and isinstance(value, str):
                    found.setdefault(key, set()).add(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    documents = demo_documents(now)
    walk(documents)
    for key, values in found.items():
        for value in values:
            assert ENUM_FIELDS[key](value).value == value
    # The demo uses the statuses its cases need.
    assert found["productOrderStatus"] == {
        "PAYMENT_WAITING", "PAYED", "DELIVERING", "DELIVERED", "PURCHASE_DECIDED", "CANCELED",
        "RETURNED",
    }
    assert found["claimStatus"] >= {"CANCEL_REQUEST", "CANCEL_REJECT", "CANCEL_DONE", "COLLECTING"}
    assert found["deliveryStatus"] >= {"WRONG_INVOICE", "COLLECT_REQUEST", "DELIVERY_COMPLETION"}



def test_every_demo_document_survives_the_model_unchanged(now):
    # The builder's dicts, parsed and written back: nothing dropped, renamed or shifted in time.
    for document in demo_documents(now):
        record = ProductOrderRecord.parse_obj(document)
        assert missing_from(record.to_api(), document) == [], document["order"]["orderId"]
        assert ProductOrderRecord.parse_obj(json.loads(json.dumps(record.to_api()))) == record


def test_nothing_in_the_demo_happens_after_now(demo_now):
    # Every event time is in the past; only the promised dispatch deadline may lie ahead.
    for document in demo_documents(demo_now):
        for section in ("order", "productOrder", "delivery"):
            for key, value in document.get(section, {}).items():
                if key.endswith("Date") and key != "shippingDueDate":
                    assert parse_instant(value) <= demo_now, (document["order"]["orderId"], key)
        for claim in document.get("currentClaim", {}).values():
            for key, value in claim.items():
                if key.endswith("Date"):
                    assert parse_instant(value) <= demo_now


def test_demo_times_are_kst_api_strings(now):
    (document,) = [d for d in demo_documents(now) if d["order"]["orderId"].endswith("04")]
    assert document["delivery"]["sendDate"] == "2026-11-26T16:30:00.000+09:00"
    assert document["delivery"]["pickupDate"] == "2026-11-26T09:40:00.000+09:00"
    assert document["currentClaim"]["cancel"]["claimRequestDate"] == "2026-11-26T10:05:00.000+09:00"


def test_demo_documents_accept_now_in_any_zone():
    utc = datetime(2026, 11, 27, 1, 0, tzinfo=timezone.utc)
    assert demo_documents(utc) == demo_documents(FIXED_NOW)


def test_the_e2e_fixture_file_is_the_demo_set_at_its_date():
    fixture = json.loads(FIXTURE_ORDERS.read_text(encoding="utf-8"))
    assert fixture == demo_documents(FIXED_NOW), (
        "regenerate: .venv/bin/python -m bot.orders export-demo "
        f"--now {FIXED_NOW_TEXT} > tests/fixtures/orders.json"
    )


def test_cases_counted_in_business_days_land_on_the_hand_counted_dates(day):
    now = NOWS[day]
    four, five, six = BUSINESS_DAYS_BEFORE[day]
    demo = by_case(now)
    assert demo["06"].delivery.sendDate == datetime.combine(four, datetime.min.time(),
                                                            KST).replace(hour=15)
    assert demo["09"].order.paymentDate.date() == five
    assert demo["14"].order.paymentDate.date() == six


# --- each case's story: on every kind of day where its dates depend on the calendar -------


def test_case_01_before_confirmation_cancels_instantly(friday):
    record = friday["01"]
    assert stage_of(record).stage is Stage.BEFORE_CONFIRM
    assert cancel_path(record) is CancelPath.INSTANT
    assert refund_timing(record, NOWS["friday"], POLICY).kind is RefundKind.INSTANT


def test_case_02_preparing_a_cancel_is_a_request(demo, demo_now):
    record = demo["02"]
    assert stage_of(record).stage is Stage.PREPARING
    assert cancel_path(record) is CancelPath.REQUEST
    assert dispatch_facts(record, demo_now, POLICY).overdue is False
    assert must_accept(record, demo_now, POLICY, STORE).answer is AcceptAnswer.NOT_SHIPPED


def test_case_03_preparing_with_a_pending_request(friday):
    record = friday["03"]
    assert stage_of(record).stage is Stage.PREPARING
    assert cancel_path(record) is CancelPath.PENDING
    assert refund_timing(record, FIXED_NOW, POLICY).kind is RefundKind.AFTER_APPROVAL
    assert record.claim.claimRequestDate == datetime(2026, 11, 27, 9, 30, tzinfo=KST)


def test_case_04_refused_but_the_courier_had_it_before_the_request(demo, demo_now):
    record = demo["04"]
    assert stage_of(record).stage is Stage.SHIPPING
    assert cancel_path(record) is CancelPath.RETURN_INSTEAD
    facts = refusal_facts(record, demo_now, POLICY)
    assert facts.verdict is RefusalVerdict.SCANNED_BEFORE_REQUEST
    assert facts.scanned_at < facts.requested_at < facts.sent_at
    assert facts.deadline_missed_at_request is False
    lag = tracking_lag(record, demo_now, POLICY)
    assert lag.scan_before_invoice is True
    assert lag.lag_class is LagClass.NORMAL
    assert must_accept(record, demo_now, POLICY, STORE).answer is AcceptAnswer.REFUSE_COSTS_SHIPPING


def test_case_05_refused_and_handed_over_after_the_request(demo, demo_now):
    record = demo["05"]
    facts = refusal_facts(record, demo_now, POLICY)
    assert facts.verdict is RefusalVerdict.SCANNED_AFTER_REQUEST
    assert facts.requested_at < facts.sent_at < facts.scanned_at
    assert facts.deadline_missed_at_request is False
    lag = tracking_lag(record, demo_now, POLICY)
    assert lag.lag_class is LagClass.NORMAL
    assert lag.hours == pytest.approx(6 + 20 / 60)


def test_case_06_invoice_without_a_scan_is_suspicious(demo, demo_now):
    record = demo["06"]
    lag = tracking_lag(record, demo_now, POLICY)
    assert lag.lag_class is LagClass.SUSPICIOUS
    assert lag.carrier_has_it is False
    assert lag.wrong_invoice is False
    assert lag.business_days > 3.0
    facts = refusal_facts(record, demo_now, POLICY)
    assert facts.verdict is RefusalVerdict.NO_SCAN_YET
    assert facts.deadline_missed_at_request is False


def days_left(delivered_days_ago: int, now: datetime) -> int:
    """To the 7th day after delivery, moved past a weekend or holiday (민법 §161)."""
    today = now.date()
    nominal = today - timedelta(days=delivered_days_ago) + timedelta(days=7)
    return (period_end(nominal) - today).days


def test_case_07_delivered_3_days_ago_can_be_returned(demo, demo_now):
    window = return_window(demo["07"], demo_now, POLICY)
    assert window.status is ReturnWindowStatus.OPEN
    assert window.days_left == days_left(3, demo_now) >= 4
    answer = must_accept(demo["07"], demo_now, POLICY, STORE).answer
    assert answer is AcceptAnswer.ALREADY_DELIVERED


def test_case_08_delivered_10_days_ago_is_past_the_window(demo, demo_now):
    window = return_window(demo["08"], demo_now, POLICY)
    left = days_left(10, demo_now)
    # Closed three days ago, unless that 7th day was a day off that carries the period on
    # to today or later (after Chuseok, 개천절 or Christmas).
    assert window.days_left == left
    assert window.status is (ReturnWindowStatus.OPEN if left >= 0 else ReturnWindowStatus.CLOSED)
    assert left == -3 or window.extended
    assert window.defect_deadline > demo_now  # a defect can still be claimed


def test_case_09_past_the_dispatch_deadline_still_preparing(demo, demo_now):
    record = demo["09"]
    assert stage_of(record).stage is Stage.PREPARING
    facts = dispatch_facts(record, demo_now, POLICY)
    assert facts.overdue is True
    assert facts.business_days_overdue > 0
    assert cancel_path(record) is CancelPath.REQUEST


def test_case_10_delivered_2_days_ago(demo, demo_now):
    window = return_window(demo["10"], demo_now, POLICY)
    assert (window.status, window.days_left) == (ReturnWindowStatus.OPEN, days_left(2, demo_now))
    assert window.days_left >= 5


def test_case_11_return_for_breakage_under_way(friday):
    record = friday["11"]
    assert stage_of(record).stage is Stage.RETURN_EXCHANGE
    assert cancel_path(record) is CancelPath.CLOSED
    assert return_window(record, FIXED_NOW, POLICY).status is ReturnWindowStatus.IN_PROGRESS
    assert refund_timing(record, FIXED_NOW, POLICY).kind is RefundKind.AFTER_RETURN
    assert fault_of(record, FIXED_NOW, POLICY).side is Side.SELLER


def test_case_12_purchase_decided(friday):
    record = friday["12"]
    assert stage_of(record).stage is Stage.DECIDED
    assert cancel_path(record) is CancelPath.CLOSED
    assert return_window(record, FIXED_NOW, POLICY).status is ReturnWindowStatus.DECIDED


def test_case_13_cancelled_and_refunded(friday):
    record = friday["13"]
    assert stage_of(record).stage is Stage.CANCELED
    assert cancel_path(record) is CancelPath.ALREADY_CANCELED
    assert refund_timing(record, FIXED_NOW, POLICY).kind is RefundKind.REFUNDED


def test_case_14_cancel_after_the_missed_deadline_is_the_sellers_side(demo, demo_now):
    record = demo["14"]
    facts = refusal_facts(record, demo_now, POLICY)
    assert facts.deadline_missed_at_request is True
    assert facts.verdict is RefusalVerdict.SCANNED_AFTER_REQUEST
    assert dispatch_facts(record, demo_now, POLICY).sent_late is True
    assert fault_of(record, demo_now, POLICY).side is Side.SELLER
    answer = must_accept(record, demo_now, POLICY, STORE)
    assert answer.answer is AcceptAnswer.SELLER_PAYS
    assert answer.fee.amount == 0


def test_case_15_wrong_invoice_is_suspicious(friday):
    record = friday["15"]
    assert stage_of(record).stage is Stage.SHIPPING
    lag = tracking_lag(record, FIXED_NOW, POLICY)
    assert lag.wrong_invoice is True
    assert lag.lag_class is LagClass.SUSPICIOUS
    assert refusal_facts(record, FIXED_NOW, POLICY) is None


def test_only_the_cases_meant_to_be_refused_are(friday):
    refused = {case for case, record in friday.items() if refusal_facts(record, FIXED_NOW, POLICY)}
    assert refused == {"04", "05", "06", "14", "17", "23", "25"}


def test_the_readme_demo_table_is_the_demo_set():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_table() in readme, "update the README table from bot.orders.demo.readme_table()"
