"""bot/questions/after_sale.py: each new question by message name and values, on the demo
orders as of the fixed Friday (2026-11-27 10:00 KST)."""

from __future__ import annotations

import pytest

from bot.messages import render
from bot.orders.demo import demo_records
from bot.questions.registry import BY_KEY
from bot.questions.shared import Reply
from bot.settings import get_settings
from tests.support.clock import FIXED_NOW

RECORDS = demo_records(FIXED_NOW)
BY_CASE = {record.order_id[-2:]: record for record in RECORDS}
# The messages of these questions (the shared ones they reuse are checked with their own).
OWN = ("lost_", "return_rejected_", "pickup_", "bundle_fee_", "address_", "notice_", "opened_",
       "exception_", "auto_confirm_", "refund_less_")
NEW = ("lost", "return_rejected", "pickup", "bundle_fee", "address", "seller_notice", "opened",
       "exception", "auto_confirm", "refund_less")


def answer(key: str, case: str, record=None) -> list[Reply]:
    question = BY_KEY[key]
    order = [r for r in RECORDS if r.order_id.endswith(case)]
    extra = {"order": order} if question.whole_order else {}
    return question.answer(record or BY_CASE[case], FIXED_NOW, get_settings(), **extra)


def names(replies: list[Reply]) -> list[str]:
    return [reply.message for reply in replies]


@pytest.mark.parametrize("key", NEW)
def test_every_new_answer_renders_for_every_demo_product_order(key):
    for record in RECORDS:
        for reply in answer(key, record.order_id[-2:], record):
            if not reply.message.startswith(OWN):
                continue
            text = render(reply.message, reply.values)["text"]
            assert "(으)" not in text and "[" not in text and "  " not in text, (key, text)
            assert "저희" not in text  # the neutral helper's voice


def test_lost_on_a_delivered_order_gives_the_delivery_time_and_next_steps():
    assert answer("lost", "07") == [
        Reply("lost_delivered", {"delivered_at": "11월 24일(화) 오후 2시 10분",
                                 "carrier": "CJ대한통운"}),
        Reply("lost_next"),
    ]


@pytest.mark.parametrize(("case", "first"), [
    ("12", "lost_decided"), ("04", "lost_not_delivered"), ("02", "lost_not_delivered"),
    ("13", "lost_other"),
])
def test_lost_by_stage(case, first):
    assert names(answer("lost", case)) == [first]


def test_return_rejected_names_the_request_and_what_is_left():
    assert answer("return_rejected", "31") == [
        Reply("claim_rejected", {"claim_kind": "반품", "requested_at": "11월 24일(화)"}),
        # Delivered Mon 11-23: the seven days run to Mon 11-30.
        Reply("return_rejected_within", {"deadline": "11월 30일(월)"}),
        Reply("return_rejected_next", {"defect_deadline": "2월 23일(화)"}),
    ]


def test_return_rejected_without_a_rejection_says_so():
    assert names(answer("return_rejected", "07")) == ["return_rejected_none"]
    assert names(answer("return_rejected", "11")) == ["return_rejected_none", "claim_in_progress"]
    assert names(answer("return_rejected", "20")) == ["return_rejected_none", "claim_finished"]
    assert names(answer("return_rejected", "21"))[0] == "claim_rejected"  # the lead's demo


def test_pickup_late_counts_business_days_since_the_request():
    assert answer("pickup", "32") == [
        Reply("pickup_late", {"requested_at": "11월 24일(화)", "business_days": "3"}),
        Reply("pickup_self_send"),
    ]


def test_pickup_without_a_return_points_to_the_request_and_the_window():
    assert names(answer("pickup", "07")) == ["pickup_no_return", "return_open", "pickup_self_send"]
    assert names(answer("pickup", "35")) == ["pickup_done"]


def test_bundle_fee_of_the_multi_item_order():
    shirt = next(r for r in RECORDS if r.productOrder.productName == "면 티셔츠")
    replies = answer("bundle_fee", "30", shirt)
    assert replies[:2] == [
        Reply("bundle_fee_order", {"items": "3", "total": "40,000원", "product": "면 티셔츠",
                                   "price": "19,000원", "remaining": "21,000원"}),
        Reply("bundle_fee_falls", {"threshold": "30,000원", "initial_fee": "3,500원"}),
    ]
    assert names(replies)[2] == "fee_buyer"  # delivered: the return fee too
    bag = next(r for r in RECORDS if r.productOrder.productName == "에코백")
    assert names(answer("bundle_fee", "30", bag))[:2] == ["bundle_fee_order", "bundle_fee_stays"]


def test_bundle_fee_of_a_single_item_before_dispatch():
    assert names(answer("bundle_fee", "02")) == ["bundle_fee_single"]
    assert names(answer("bundle_fee", "13")) == ["bundle_fee_closed"]


@pytest.mark.parametrize(("case", "expected"), [
    ("01", ["address_before_confirm"]),
    ("02", ["address_preparing", "address_cancel_option"]),
    ("04", ["address_shipping"]),
    ("07", ["address_delivered"]),
    ("13", ["address_closed"]),
])
def test_address_change_by_stage(case, expected):
    assert names(answer("address", case)) == expected


def test_address_while_preparing_quotes_the_confirmation_and_the_deadline():
    assert answer("address", "02")[0] == Reply("address_preparing", {
        "confirmed_at": "11월 27일(금) 오전 7시 30분", "due": "12월 2일(수)"})


def test_seller_delay_notice_gives_the_reason_and_the_new_deadline():
    assert answer("seller_notice", "33") == [
        Reply("notice_delay", {"reason": "상품 준비 중", "due": "12월 7일(월)"}),
        Reply("notice_delay_rights"),
    ]


def test_sold_out_cancel_is_the_sellers_side_with_the_refund_deadline():
    replies = answer("seller_notice", "34")
    assert replies[0] == Reply("notice_soldout", {
        "canceled_at": "11월 27일(금)", "paid_at": "11월 26일(목)", "refund_days": "3",
        "refund_by": "12월 1일(화)"})  # §15②: 3 business days from the payment
    assert names(replies)[1:] == ["refund_done", "refund_check_by"]


def test_seller_notice_without_one():
    assert names(answer("seller_notice", "02")) == ["notice_none"]


def test_opened_and_exception_add_the_orders_window():
    assert names(answer("opened", "07")) == ["opened_rule", "return_open"]
    assert names(answer("opened", "08")) == ["opened_rule", "return_closed"]
    assert names(answer("exception", "07")) == ["exception_rule", "exception_overseas",
                                                 "return_open"]


def test_auto_confirm_estimates_a_date_and_says_how_to_hold_it():
    assert answer("auto_confirm", "07") == [
        Reply("auto_confirm_pending", {"delivered_at": "11월 24일(화)",
                                       "estimate": "12월 2일(수)", "days": "8"}),
        Reply("auto_confirm_hold"),
    ]


@pytest.mark.parametrize(("case", "expected"), [
    ("12", ["auto_confirm_decided"]),
    ("11", ["claim_in_progress", "auto_confirm_held"]),
    ("04", ["auto_confirm_not_delivered"]),
    ("13", ["auto_confirm_closed"]),
])
def test_auto_confirm_by_stage(case, expected):
    assert names(answer("auto_confirm", case)) == expected


def test_refund_less_names_the_deducted_return_fee():
    assert answer("refund_less", "35") == [
        Reply("refund_less_paid", {"claim_kind": "반품", "paid": "39,000원"}),
        Reply("refund_less_fee", {"fee": "7,000원"}),
        Reply("refund_less_check"),
    ]


def test_refund_less_of_a_sold_out_cancel_is_the_sellers_side():
    assert names(answer("refund_less", "34")) == [
        "refund_less_paid", "refund_less_seller", "refund_less_check"]
    assert names(answer("refund_less", "07")) == ["refund_less_none"]
