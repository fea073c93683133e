"""bot/policy/after_sale.py: automatic purchase confirmation, the return pickup, the bundled
shipping fee and refund deductions, on the demo orders and hand-made boundaries."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.clock import KST
from bot.orders.demo import demo_records
from bot.policy.after_sale import (
    AutoDecisionStatus,
    PickupStatus,
    auto_decision,
    bundle_fee,
    refund_deduction,
    return_pickup,
)
from bot.policy.fault import Side
from bot.settings import AfterSaleSettings, get_settings
from tests.support.clock import FIXED_NOW

RECORDS = demo_records(FIXED_NOW)
BY_CASE = {r.order_id[-2:]: r for r in RECORDS}
SETTINGS = get_settings().after_sale


def items(case: str):
    return [r for r in RECORDS if r.order_id.endswith(case)]


def test_auto_decision_is_estimated_from_delivery_and_dispatch_whichever_comes_first():
    found = auto_decision(BY_CASE["07"], SETTINGS)
    assert found.status == AutoDecisionStatus.PENDING
    # Delivered Tue 11-24 14:10: + 8 days = Wed 12-02; dispatch + 28 days is later.
    assert found.estimate.date() == datetime(2026, 12, 2).date()
    sooner = AfterSaleSettings(auto_decision_days_after_delivery=30,
                               auto_decision_days_after_dispatch=5)
    sent = BY_CASE["07"].delivery.sendDate
    assert auto_decision(BY_CASE["07"], sooner).estimate == sent + timedelta(days=5)


def test_auto_decision_by_stage():
    assert auto_decision(BY_CASE["12"], SETTINGS).status == AutoDecisionStatus.DECIDED
    assert auto_decision(BY_CASE["11"], SETTINGS).status == AutoDecisionStatus.HELD  # collecting
    assert auto_decision(BY_CASE["32"], SETTINGS).status == AutoDecisionStatus.HELD  # requested
    assert auto_decision(BY_CASE["02"], SETTINGS).status == AutoDecisionStatus.NOT_SHIPPED
    assert auto_decision(BY_CASE["04"], SETTINGS).status == AutoDecisionStatus.SHIPPING
    assert auto_decision(BY_CASE["13"], SETTINGS).status == AutoDecisionStatus.CLOSED
    assert auto_decision(BY_CASE["35"], SETTINGS).status == AutoDecisionStatus.CLOSED


def test_pickup_is_late_from_the_threshold_in_business_days():
    record = BY_CASE["32"]  # requested Tue 11-24 10:00
    assert return_pickup(record, FIXED_NOW, SETTINGS).status == PickupStatus.LATE
    # Two business days after the request is the threshold itself.
    at_threshold = datetime(2026, 11, 26, 10, 0, tzinfo=KST)
    assert return_pickup(record, at_threshold, SETTINGS).status == PickupStatus.LATE
    just_before = datetime(2026, 11, 26, 9, 0, tzinfo=KST)
    assert return_pickup(record, just_before, SETTINGS).status == PickupStatus.WAITING


def test_pickup_other_claims():
    assert return_pickup(BY_CASE["07"], FIXED_NOW, SETTINGS).status == PickupStatus.NO_RETURN
    assert return_pickup(BY_CASE["11"], FIXED_NOW, SETTINGS).status in (
        PickupStatus.WAITING, PickupStatus.LATE)  # COLLECTING: the carrier has not scanned
    assert return_pickup(BY_CASE["31"], FIXED_NOW, SETTINGS).status == PickupStatus.DONE
    assert return_pickup(BY_CASE["35"], FIXED_NOW, SETTINGS).status == PickupStatus.DONE


def test_bundle_fee_falls_below_the_threshold_when_the_rest_is_under_it():
    order = items("30")
    shirt, socks, bag = sorted(order, key=lambda r: -r.productOrder.totalPaymentAmount)
    without_shirt = bundle_fee(shirt, order, SETTINGS)
    assert (without_shirt.items, without_shirt.order_total, without_shirt.remaining) == (
        3, 40000, 21000)
    assert without_shirt.threshold == 30000 and without_shirt.falls_below
    assert not bundle_fee(bag, order, SETTINGS).falls_below  # 31,000 left
    assert bundle_fee(socks, order, SETTINGS).falls_below  # 28,000 left
    assert bundle_fee(bag, order, AfterSaleSettings(free_shipping_threshold=35000)).falls_below


def test_bundle_fee_of_a_single_item_or_without_a_threshold():
    alone = bundle_fee(BY_CASE["07"], [BY_CASE["07"]], SETTINGS)
    assert alone.items == 1 and not alone.falls_below
    order = items("30")
    assert not any(bundle_fee(r, order, AfterSaleSettings()).falls_below for r in order)


def test_refund_deduction_names_the_fee_and_the_side():
    returned = refund_deduction(BY_CASE["35"])
    assert (returned.paid, returned.fee_deducted, returned.side) == (39000, 7000, Side.BUYER)
    soldout = refund_deduction(BY_CASE["34"])
    assert soldout.side == Side.SELLER and soldout.fee_deducted is None
