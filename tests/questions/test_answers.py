"""Answers by message name and values, on the demo orders as of the fixed Friday."""

from __future__ import annotations

import pytest

from bot.orders.demo import demo_records
from bot.questions.registry import BY_KEY
from bot.questions.shared import Reply
from bot.settings import get_settings
from tests.support.clock import FIXED_NOW

RECORDS = {record.order_id[-2:]: record for record in demo_records(FIXED_NOW)}


def answer(key: str, case: str) -> list[Reply]:
    return BY_KEY[key].answer(RECORDS[case], FIXED_NOW, get_settings())


def names(replies: list[Reply]) -> list[str]:
    return [reply.message for reply in replies]


def test_refusal_scanned_before_the_request_quotes_the_three_times():
    first = answer("refusal", "04")[0]
    assert first == Reply("refusal_scanned_before", {
        "requested_at": "11월 26일(목) 오전 10시 5분",
        "sent_at": "11월 26일(목) 오후 4시 30분",
        "scanned_at": "11월 26일(목) 오전 9시 40분",
        "carrier": "CJ대한통운",
    })
    assert names(answer("refusal", "04"))[1:] == ["refusal_next_shipping"]


def test_refusal_after_the_missed_deadline_adds_the_sellers_side():
    replies = answer("refusal", "14")
    seller = [r for r in replies if r.message == "refusal_seller_side"]
    assert seller == [Reply("refusal_seller_side", {
        "due": "11월 24일(화)", "requested_at": "11월 25일(수) 오전 9시"})]


@pytest.mark.parametrize(("case", "first"), [
    ("01", "cancel_instant"), ("02", "cancel_request"), ("03", "cancel_pending"),
    ("04", "cancel_return_instead"), ("13", "cancel_done"), ("12", "cancel_closed"),
])
def test_cancel_path_by_stage(case, first):
    assert names(answer("cancel", case))[0] == first


def test_closed_cancel_names_the_stage_in_the_buyers_words():
    assert answer("cancel", "12") == [Reply("cancel_closed", {"stage": "구매확정"})]


def test_a_refunded_cancel_gives_the_check_by_date_from_the_policy():
    assert answer("refund", "13") == [
        Reply("refund_done", {"means": "신용카드", "settle": "3~7", "stage": "취소"}),
        # Completed Thursday 11-26; seven business days later is Monday 12-07.
        Reply("refund_check_by", {"done_at": "11월 26일(목)", "check_by": "12월 7일(월)"}),
    ]


def test_return_open_counts_the_days_left():
    assert answer("return", "07")[0] == Reply("return_open", {
        "delivered_at": "11월 24일(화)", "deadline": "12월 1일(화)", "days_left": "4일 남았어요",
        "window_days": "7"})
    assert names(answer("return", "07")) == ["return_open", "return_how", "fee_buyer",
                                             "fee_notes"]


def test_decided_order_without_a_known_deadline_leaves_the_default_to_the_message():
    replies = answer("return", "12")
    assert names(replies) == ["return_decided"]
    assert replies[0].values["defect_months"] == "3"


def test_status_while_a_cancel_is_pending_adds_the_pending_request():
    assert names(answer("status", "03")) == ["status_preparing", "cancel_pending"]


def test_lag_without_an_invoice_adds_the_overdue_dispatch():
    assert names(answer("lag", "09")) == ["lag_no_invoice", "delay_overdue"]


def test_fee_is_the_sellers_on_a_late_dispatch():
    assert answer("fee", "14") == [Reply("fee_seller", {"reason": "배송 지연"})]


def test_process_names_the_current_stage():
    assert answer("process", "02") == [
        Reply("order_process"), Reply("process_current", {"stage": "배송준비중"})]


@pytest.mark.parametrize(("case", "return_names", "defect_names"), [
    ("01", ["return_cancel_instead"], ["defect_not_delivered"]),  # not even confirmed
    ("04", ["return_not_delivered"], ["defect_not_delivered"]),  # on its way
    ("08", ["return_closed"], ["defect"]),  # change of mind too late, a defect still in time
    ("10", ["return_open", "return_how", "fee_buyer", "fee_notes"], ["defect"]),
    ("11", ["claim_in_progress"], ["claim_in_progress"]),  # a return already under way
    ("12", ["return_decided"], ["defect_decided"]),
    ("13", ["return_canceled"], ["return_canceled"]),  # nothing to send back
])
def test_return_and_defect_answers_by_the_state_of_the_order(case, return_names, defect_names):
    assert names(answer("return", case)) == return_names
    assert names(answer("defect", case)) == defect_names
