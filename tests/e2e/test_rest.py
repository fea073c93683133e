"""What a buyer reads through the REST webhook, for every demo case (Fri 2026-11-27 10:00)."""

from __future__ import annotations

import itertools
import time

import pytest

from bot.messages import label
from bot.settings import get_settings
from tests.support.buyer import Buyer
from tests.support.messages import heard

pytestmark = pytest.mark.slow
_senders = itertools.count()


@pytest.fixture
def buyer(stack) -> Buyer:
    return Buyer(stack, f"buyer-{next(_senders)}")


# The buyer's facts: the demo orders of tests/fixtures/orders.json as of Fri 2026-11-27 10:00.
ROUND_TRIP = label("fee_basis", "round_trip")


def test_instant_cancel_before_the_seller_confirms(buyer):
    buyer.says("주문 취소하고 싶어요")
    assert buyer.names == ["ask_order_id"]
    buyer.says("2026112500000001")
    assert buyer.names == ["ask_phone_last4"]
    buyer.says("1001")
    assert buyer.got("verified") == {"product": "무선 가습기", "order": "2026********0001",
                                     "stage": label("stages", "before_confirm")}
    assert "cancel_instant" in buyer.names


def test_refused_cancel_scanned_before_the_request(buyer):
    buyer.says("취소 요청했는데 왜 거부된 거예요?")
    buyer.verifies("2026 1125 0000 0004", "1004")
    times = buyer.got("refusal_scanned_before")
    assert times["requested_at"] == "11월 26일(목) 오전 10시 5분"
    assert times["scanned_at"] == "11월 26일(목) 오전 9시 40분"  # the first scan, before it
    assert times["sent_at"] == "11월 26일(목) 오후 4시 30분"  # the invoice, entered after
    assert buyer.button_intents == ["ask_must_accept", "ask_return", "ask_return_fee"]
    buyer.says("/ask_must_accept")  # the quick reply
    assert buyer.got("accept_buyer_pays") == {"fee_basis": ROUND_TRIP, "fee": "7,000원"}
    assert "ask_order_id" not in buyer.names  # the verified order is remembered


def test_refused_cancel_scanned_only_after_the_request_with_number_up_front(buyer):
    buyer.says("2026112500000005 주문 취소가 왜 거부됐나요")
    assert buyer.names == ["ask_phone_last4"]
    buyer.says("1005")
    times = buyer.got("refusal_scanned_after")
    assert times["requested_at"] == "11월 26일(목) 오전 9시 30분"
    assert times["scanned_at"] == "11월 26일(목) 오후 5시 20분"


def test_invoice_without_any_scan_for_three_business_days(buyer):
    buyer.says("송장번호는 떴는데 조회가 하나도 안 돼요")
    buyer.verifies("2026112500000006", "1006")
    assert buyer.got("lag_suspicious")["sent_at"] == "11월 23일(월) 오후 3시"
    assert "ask_seller_fault" in buyer.button_intents


def test_delivered_three_days_ago_return_deadline(buyer):
    buyer.says("반품하고 싶은데 언제까지 돼요?")
    buyer.verifies("2026112500000007", "1007")
    window = buyer.got("return_open")
    assert window["deadline"] == "12월 1일(화)"
    assert window["days_left"] == label("days_left", "left").format(days=4)
    assert "return_how" in buyer.names  # where to press
    assert buyer.got("fee_buyer") == {"fee_basis": ROUND_TRIP, "fee": "7,000원"}  # who pays


def test_delivered_ten_days_ago(buyer):
    buyer.says("반품 가능한가요?")
    buyer.verifies("2026112500000008", "1008")
    closed = buyer.got("return_closed")
    assert closed["deadline"] == "11월 24일(화)"
    assert closed["defect_deadline"] == "2월 17일(수)"  # defects: three months from supply


def test_missed_dispatch_deadline(buyer):
    buyer.says("발송기한 지났는데 아직도 배송준비중이에요")
    buyer.verifies("2026112500000009", "1009")
    assert buyer.got("delay_overdue")["due"] == "11월 25일(수)"
    assert "delay_how_to_cancel" in buyer.names


def test_defect_seller_pays(buyer):
    buyer.says("받은 머그컵이 깨져서 왔어요")
    buyer.verifies("2026112500000010", "1010")
    assert buyer.got("defect")["defect_deadline"] == "2월 25일(목)"


def test_general_question_is_answered_without_an_order(buyer):
    buyer.says("반품비는 보통 누가 내요?")
    assert "fee_general" in buyer.names
    assert "provide_order_id" in buyer.button_intents


def test_question_during_verification_is_answered_and_the_form_resumes(buyer):
    buyer.says("취소했는데 송장이 왔어요")
    buyer.says("배송준비중이 무슨 뜻이에요?")
    assert "order_process" in buyer.names and "ask_order_id" in buyer.names
    buyer.verifies("2026112500000004", "1004")
    assert buyer.got("refusal_scanned_before")["scanned_at"] == "11월 26일(목) 오전 9시 40분"


def test_handoff_summary_masks_the_order(buyer):
    buyer.says("취소 요청했는데 왜 거부됐어요?")
    buyer.verifies("2026112500000004", "1004")
    buyer.says("상담원 연결해 주세요")
    handoff = buyer.got("handoff")
    assert handoff["store_phone"] == get_settings().store.contact_phone
    assert "2026********0004" in handoff["summary"]
    assert "2026112500000004" not in "".join(m.get("text") or "" for m in buyer.last)
    custom = [m["custom"] for m in buyer.last if "custom" in m]
    assert custom and custom[0]["handoff"]["order"] == "2026********0004"


@pytest.mark.parametrize("text", ["", " ", "😀😀😀", "<script>alert(1)</script>",
                                  "'; DROP TABLE product_orders; --", "가" * 5000,
                                  "\u200b\u200f\u202e반품\u202c", "/restart"])
def test_odd_input_gets_a_polite_answer(buyer, text):
    replies = buyer.stack.rest(buyer.sender, text)
    answers = heard(replies)
    # An answer, and only messages of bot/messages.yml or domain.yml (which
    # tests/test_messages.py holds to polite Korean): no error text, no echo.
    assert answers and all(answer.name != "?" for answer in answers), replies
    # And the assistant still works afterwards.
    buyer.says("제 주문 어디쯤 왔어요?")
    assert "ask_order_id" in buyer.names


def test_a_long_message_under_the_cap_is_understood(buyer):
    # 1,900 characters: under the 2,000-character cap, over the NLU's 1,000-character window,
    # which keeps the beginning and the end.
    text = "반품 배송비는 누가 내요? " + "그러니까 " * 370 + "반품비 누가 부담해요?"
    assert len(text) < 2000
    started = time.monotonic()
    replies = buyer.stack.rest(buyer.sender, text)
    assert time.monotonic() - started < 15
    assert "fee_general" in [answer.name for answer in heard(replies)]


# --- issue 12: the seed's hard cases, over the real stack -----------------------------------


def test_false_invoice_is_the_sellers_side_from_refusal_to_fee(buyer):
    buyer.says("취소했는데 거부되고 송장만 올라왔어요")
    buyer.verifies("2026112500000006", "1006")
    assert "lag_suspicious" in buyer.names and "not_dispatched_next" in buyer.names
    assert "refusal_next_shipping" not in buyer.names  # not "receive it, then return it"
    buyer.says("/ask_must_accept")
    assert buyer.names == ["accept_not_dispatched", "not_dispatched_next"]
    buyer.says("반품 배송비는 누가 내요?")
    assert buyer.got("fee_seller") == {"reason": label("reasons", "NOT_YET_DELIVERY")}


def test_a_cancel_request_left_open_then_shipped_late(buyer):
    buyer.says("취소 요청했는데 기한 지나서 보내놓고 거부했어요")
    buyer.verifies("2026112500000017", "1017")
    late = buyer.got("refusal_seller_late")
    assert late["due"] == "11월 20일(금)"
    assert late["requested_at"] == "11월 18일(수) 오전 10시"
    assert late["dispatched_at"] == "11월 24일(화) 오후 5시"
    buyer.says("판매자 잘못 아닌가요?")
    assert buyer.names == ["fault_seller_late", "evidence_keep", "escalation"]


def test_a_return_period_ending_on_a_saturday_runs_to_monday(buyer):
    buyer.says("반품 언제까지 돼요?")
    buyer.verifies("2026112500000018", "1018")
    assert buyer.got("return_extended")["deadline"] == "11월 30일(월)"
    assert buyer.got("return_open")["deadline"] == "11월 30일(월)"
