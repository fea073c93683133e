"""Issue 12's wrong cases, each by name: what every answer about the order says, on the demo
orders as of the fixed Friday (README table). Message names and values, never Korean."""

from __future__ import annotations

from datetime import datetime

from bot.clock import KST
from bot.messages import catalogue, label, render
from bot.orders.demo import demo_records
from bot.questions.registry import BY_KEY, QUESTIONS
from bot.questions.shared import Reply
from bot.settings import get_settings
from tests.support.clock import FIXED_NOW

RECORDS = {record.order_id[-2:]: record for record in demo_records(FIXED_NOW)}
ANSWERS_ABOUT_PAYING = ("refusal", "must_accept", "fee", "fault", "return", "status", "lag",
                        "delay")


def answer(key: str, case: str, now: datetime = FIXED_NOW) -> list[Reply]:
    records = RECORDS if now == FIXED_NOW else {
        r.order_id[-2:]: r for r in demo_records(now)}
    return BY_KEY[key].answer(records[case], now, get_settings())


def names(key: str, case: str) -> list[str]:
    return [reply.message for reply in answer(key, case)]


def everything_said(case: str) -> dict[str, list[Reply]]:
    return {question.key: answer(question.key, case) for question in QUESTIONS}


def buyer_pays_anywhere(case: str) -> list[tuple[str, str]]:
    paying = {"fee_buyer", "fee_buyer_exchange", "accept_buyer_pays", "fault_no", "fault_partly"}
    return [(key, r.message) for key, replies in everything_said(case).items()
            for r in replies if r.message in paying]


# 1. Suspected false invoice (송장만 등록, no scan for days) and a wrong invoice.
def test_case_1_false_invoice_demo_06_is_the_sellers_side_in_every_answer():
    assert buyer_pays_anywhere("06") == []
    assert names("must_accept", "06") == ["accept_not_dispatched", "not_dispatched_next"]
    assert answer("fee", "06") == [
        Reply("fee_seller", {"reason": label("reasons", "NOT_YET_DELIVERY")})]
    fault = names("fault", "06")
    assert fault[0] == "fault_no_dispatch" and "fault_unclear" not in fault
    assert "refusal_next_shipping" not in names("refusal", "06")  # not "receive and return"


def test_case_1_wrong_invoice_demo_15_is_the_sellers_side_in_every_answer():
    assert buyer_pays_anywhere("15") == []
    assert names("fault", "15")[:2] == ["fault_wrong_invoice", "not_dispatched_next"]
    assert names("cancel", "15") == ["lag_wrong_invoice", "not_dispatched_next"]


# 2. Dispatch is judged by the first carrier scan, never by the invoice entry.
def test_case_2_invoice_on_the_due_day_scanned_4_days_later_demo_16_is_late():
    (late,) = [r for r in answer("delay", "16")]
    assert late == Reply("delay_sent_late", {
        "due": "11월 20일(금)", "dispatched_at": "11월 26일(목) 오전 10시 30분",
        "evidence": label("dispatch_evidence", "scan")})
    lag = names("lag", "16")
    assert "lag_scanned_after_due" in lag and "lag_scanned_late" not in lag
    assert buyer_pays_anywhere("16") == []
    assert names("fault", "16") == ["fault_shipped_late"]


# 3. A seller who sat on a cancel request and shipped late.
def test_case_3_request_left_open_and_shipped_late_demo_17_is_the_sellers_side():
    seller_late = [r for r in answer("refusal", "17") if r.message == "refusal_seller_late"]
    assert seller_late == [Reply("refusal_seller_late", {
        "due": "11월 20일(금)", "requested_at": "11월 18일(수) 오전 10시",
        "dispatched_at": "11월 24일(화) 오후 5시",
        "evidence": label("dispatch_evidence", "scan")})]
    assert names("fault", "17") == ["fault_seller_late", "evidence_keep", "escalation"]
    assert buyer_pays_anywhere("17") == []


# 4. A 7-day period ending on a Saturday runs to the next business day.
def test_case_4_return_period_ending_on_a_saturday_demo_18():
    replies = answer("return", "18")
    assert replies[0] == Reply("return_open", {
        "delivered_at": "11월 21일(토)", "deadline": "11월 30일(월)",
        "days_left": label("days_left", "left").format(days=3), "window_days": "7"})
    assert replies[1] == Reply("return_extended", {
        "nominal": "11월 28일(토)", "why": label("non_business_days", "saturday"),
        "deadline": "11월 30일(월)"})
    text = render("return_extended", replies[1].values)["text"]
    assert "161" in text  # names the rule it rests on


def test_case_4_on_the_extended_monday_the_window_is_still_open():
    monday_evening = datetime(2026, 11, 30, 21, 0, tzinfo=KST)
    # The demo set as seeded on Friday, asked about on Monday night.
    record = RECORDS["18"]
    replies = BY_KEY["return"].answer(record, monday_evening, get_settings())
    assert replies[0].message == "return_open"
    assert replies[0].values["days_left"] == label("days_left", "today")


# 5. "배송완료" is not the buyer's receipt.
def test_case_5_the_window_counts_from_the_delivery_date_and_says_so():
    for message in ("return_open", "return_closed"):
        assert "배송완료일" in catalogue()[message]["text"]
        assert "{window_days}" in catalogue()[message]["text"]


# 6. Defects: 3 months from supply and 30 days from knowing or being able to know.
def test_case_6_every_defect_window_names_both_limits():
    for message in ("defect", "return_closed", "return_decided", "defect_decided"):
        text = catalogue()[message]["text"]
        assert "{discovery_days}" in text and "알 수 있었던" in text, message
        assert "{defect_months}" in text, message


# 7. PAYMENT_WAITING: nothing paid, no deadline yet.
def test_case_7_payment_waiting_demo_19():
    assert names("cancel", "19") == ["cancel_unpaid"]
    assert names("status", "19") == ["status_unpaid"]
    assert names("refund", "19") == ["refund_unpaid"]
    assert names("delay", "19") == ["status_unpaid"]
    said = {r.message for replies in everything_said("19").values() for r in replies}
    assert not said & {"cancel_instant", "refund_instant", "delay_overdue", "status_before_confirm"}


# 8. Finished and rejected claims.
def test_case_8_a_finished_return_demo_20_is_finished():
    assert names("return", "20") == ["claim_finished"]
    assert names("status", "20") == ["claim_finished", "refund_done", "refund_check_by"]
    said = {r.message for replies in everything_said("20").values() for r in replies}
    assert "claim_in_progress" not in said


def test_case_8_a_rejected_return_demo_21_says_so_before_any_window():
    for key in ("return", "fee", "status"):
        said = names(key, "21")
        assert "claim_rejected" in said, key
        assert said.index("claim_rejected") < len(said) - 1, key


# 9. A reason the buyer chose is a claim, not a fact.
def test_case_9_product_unsatisfied_demo_22_is_the_sellers_only_if_confirmed():
    fee = [r for r in answer("fee", "22") if r.message.startswith("fee_")]
    assert [r.message for r in fee] == ["fee_seller_claimed"]
    assert fee[0].values["reason"] == label("reasons", "PRODUCT_UNSATISFIED")
    assert names("fault", "22") == ["fault_claimed"]


def test_case_9_a_later_broken_return_demo_23_is_not_overridden_by_the_earlier_refusal():
    fee = [r.message for r in answer("fee", "23")]
    assert "fee_seller_claimed" in fee and "fee_buyer" not in fee
    assert names("fault", "23") == ["fault_claimed"]


# 10. Over-strong claims and fee amounts.
def test_case_10_fee_answers_give_their_basis_and_what_changes_them():
    assert "상품 페이지" in catalogue()["fee_buyer"]["text"]
    assert names("fee", "07")[-1] == "fee_notes"
    notes = catalogue()["fee_notes"]["text"]
    assert "도서산간" in notes and "조건부 무료배송" in notes


def test_case_10_an_exchange_with_an_unknown_first_fee_demo_24():
    fee = answer("fee", "24")
    assert [r.message for r in fee] == ["claim_in_progress", "fee_buyer_exchange", "fee_notes"]
    assert fee[1].values["fee"] == "7,000원"  # both ways; paid separately, no refund


def test_case_10_no_promise_of_a_refund_or_a_free_cancel_without_a_source():
    texts = " ".join(m["text"] for m in catalogue().values())
    assert "처리 기한이 지나면 환불" not in texts
    assert "배송비 부담 없이 취소할 수 있어요" not in texts


# Missing pieces: the gap, evidence, escalation.
def test_the_gap_reads_differently_for_ten_minutes_and_for_hours():
    short = [r for r in answer("refusal", "25") if r.message.startswith("refusal_gap")]
    long = [r for r in answer("refusal", "05") if r.message.startswith("refusal_gap")]
    assert short == [Reply("refusal_gap_short", {"gap": "10분"})]
    assert long == [Reply("refusal_gap_long", {"gap": "약 8시간"})]


def test_escalation_comes_only_after_the_orders_own_answer():
    for case in RECORDS:
        for key, replies in everything_said(case).items():
            said = [r.message for r in replies]
            if "escalation" in said:
                assert said.index("escalation") > 0 and said[0].startswith("fault_"), (case, key)


def test_disputed_refusals_ask_to_keep_the_evidence():
    for case in ("05", "06", "14", "17", "25"):
        assert "evidence_keep" in names("refusal", case), case
    assert "evidence_keep" not in names("refusal", "04")  # a fair refusal: nothing to dispute


def test_refusing_at_the_door_says_how():
    for case in ("04", "14"):
        assert "accept_refuse_how" in names("must_accept", case)
    text = catalogue()["accept_refuse_how"]["text"]
    assert "구매확정" in text and "반품 요청" in text


def test_opening_the_box_keeps_the_right_to_return():
    assert "열어" in catalogue()["return_how"]["text"]


def test_asking_where_to_complain_answers_the_order_first():
    said = names("escalate", "17")
    assert said[0] == "fault_seller_late" and said.count("escalation") == 1
    fair = names("escalate", "04")
    assert fair == ["fault_no", "escalation"]  # the fair refusal first, then where to turn
    assert BY_KEY["escalate"].general == ("escalation_seller_first", "escalation")
