"""What a buyer reads through the REST webhook, for every demo case (Fri 2026-11-27 10:00)."""

from __future__ import annotations

import itertools
import time

import pytest

from tests.support.buyer import Buyer

pytestmark = pytest.mark.slow
_senders = itertools.count()


@pytest.fixture
def buyer(stack) -> Buyer:
    return Buyer(stack, f"buyer-{next(_senders)}")


def test_instant_cancel_before_the_seller_confirms(buyer):
    assert "16자리" in buyer.says("주문 취소하고 싶어요")
    assert "끝 4자리" in buyer.says("2026112500000001")
    answer = buyer.says("1001")
    assert "무선 가습기" in answer and "2026********0001" in answer
    assert "바로 취소되고 환불돼요" in answer


def test_refused_cancel_scanned_before_the_request(buyer):
    buyer.says("취소 요청했는데 왜 거부된 거예요?")
    answer = buyer.verifies("2026 1125 0000 0004", "1004")
    assert "11월 26일(목) 오전 10시 5분" in answer  # request
    assert "11월 26일(목) 오전 9시 40분" in answer  # first scan, before it
    assert "11월 26일(목) 오후 4시 30분" in answer  # invoice entered after
    assert "판매자 잘못이라고 보긴 어려워요" in answer
    assert buyer.buttons == ["꼭 받아야 하나요?", "반품 방법", "배송비는 누가 내나요?"]
    follow_up = buyer.says("/ask_must_accept")  # the quick reply
    assert "꼭 받아야 하는 건 아니에요" in follow_up and "왕복 배송비 7,000원" in follow_up
    assert "16자리" not in follow_up  # the verified order is remembered


def test_refused_cancel_scanned_only_after_the_request_with_number_up_front(buyer):
    assert "끝 4자리" in buyer.says("2026112500000005 주문 취소가 왜 거부됐나요")
    answer = buyer.says("1005")
    assert "11월 26일(목) 오전 9시 30분" in answer and "11월 26일(목) 오후 5시 20분" in answer
    assert "요청하신 뒤에 상품이 택배사로 넘어간 게 맞아요" in answer


def test_invoice_without_any_scan_for_three_business_days(buyer):
    buyer.says("송장번호는 떴는데 조회가 하나도 안 돼요")
    answer = buyer.verifies("2026112500000006", "1006")
    assert "11월 23일(월) 오후 3시" in answer
    assert "가송장" in answer and "판매자 사유" in answer


def test_delivered_three_days_ago_return_deadline(buyer):
    buyer.says("반품하고 싶은데 언제까지 돼요?")
    answer = buyer.verifies("2026112500000007", "1007")
    assert "12월 1일(화)까지" in answer and "4일 남았어요" in answer
    assert "반품 요청" in answer  # where to press
    assert "왕복 배송비 7,000원" in answer  # who pays, how much


def test_delivered_ten_days_ago(buyer):
    buyer.says("반품 가능한가요?")
    answer = buyer.verifies("2026112500000008", "1008")
    assert "11월 24일(화)" in answer and "지났어요" in answer
    assert "2월 17일(수)까지" in answer  # defects: three months from supply


def test_missed_dispatch_deadline(buyer):
    buyer.says("발송기한 지났는데 아직도 배송준비중이에요")
    answer = buyer.verifies("2026112500000009", "1009")
    assert "11월 25일(수)까지였는데 아직 발송되지 않았어요" in answer
    assert "'배송 지연'" in answer and "배송비 부담도 없어요" in answer


def test_defect_seller_pays(buyer):
    buyer.says("받은 머그컵이 깨져서 왔어요")
    answer = buyer.verifies("2026112500000010", "1010")
    assert "판매자가 부담" in answer and "2월 25일(목)까지" in answer


def test_general_question_is_answered_without_an_order(buyer):
    answer = buyer.says("반품비는 보통 누가 내요?")
    assert "단순 변심" in answer and "판매자 부담" in answer
    assert "내 주문으로 확인하기" in buyer.buttons


def test_question_during_verification_is_answered_and_the_form_resumes(buyer):
    buyer.says("취소했는데 송장이 왔어요")
    interrupted = buyer.says("배송준비중이 무슨 뜻이에요?")
    assert "발주확인" in interrupted and "16자리" in interrupted
    answer = buyer.verifies("2026112500000004", "1004")
    assert "11월 26일(목) 오전 9시 40분" in answer


def test_handoff_summary_masks_the_order(buyer):
    buyer.says("취소 요청했는데 왜 거부됐어요?")
    buyer.verifies("2026112500000004", "1004")
    answer = buyer.says("상담원 연결해 주세요")
    assert "1588-0000" in answer and "2026********0004" in answer
    assert "2026112500000004" not in answer
    handoff = [m["custom"] for m in buyer.last if "custom" in m]
    assert handoff and handoff[0]["handoff"]["order"] == "2026********0004"


@pytest.mark.parametrize("text", ["", " ", "😀😀😀", "<script>alert(1)</script>",
                                  "'; DROP TABLE product_orders; --", "가" * 5000,
                                  "\u200b\u200f\u202e반품\u202c", "/restart"])
def test_odd_input_gets_a_polite_answer(buyer, text):
    replies = buyer.stack.rest(buyer.sender, text)
    assert any((m.get("text") or "").strip() for m in replies), replies
    assert all("Traceback" not in (m.get("text") or "") for m in replies)
    # And the assistant still works afterwards.
    assert "16자리" in buyer.says("제 주문 어디쯤 왔어요?")


def test_a_long_message_under_the_cap_is_understood(buyer):
    # 1,900 characters: under the 2,000-character cap, over the NLU's 1,000-character window,
    # which keeps the beginning and the end.
    text = "반품 배송비는 누가 내요? " + "그러니까 " * 370 + "반품비 누가 부담해요?"
    assert len(text) < 2000
    started = time.monotonic()
    replies = buyer.stack.rest(buyer.sender, text)
    assert time.monotonic() - started < 15
    assert any("반품" in m.get("text", "") for m in replies)
