"""Each answer action on the demo orders, as of Friday 2026-11-27 10:00 KST."""

import pytest

from actions.answers import ANSWER_ACTIONS
from tests.support.actions import run, slot_events, texts, verified_slots


def action(key):
    return ANSWER_ACTIONS[key]()


def answer(action, suffix, **slots):
    events, messages, _ = run(action, {**verified_slots(suffix), **slots})
    return texts(messages), messages, events


def test_refusal_scanned_before_request_gives_all_three_times_and_no_fault():
    text, messages, _ = answer(action("refusal"), "04")
    assert "11월 26일(목) 오전 10시 5분" in text  # the cancel request
    assert "11월 26일(목) 오전 9시 40분" in text  # the carrier's first scan, earlier
    assert "11월 26일(목) 오후 4시 30분" in text  # the invoice entry, later
    assert "판매자 잘못이라고 보긴 어려워요" in text
    titles = [b["title"] for m in messages for b in m["buttons"]]
    assert titles == ["꼭 받아야 하나요?", "반품 방법", "배송비는 누가 내나요?"]


def test_refusal_scanned_after_request_says_so_plainly():
    text, _, _ = answer(action("refusal"), "05")
    assert "11월 26일(목) 오전 9시 30분" in text and "11월 26일(목) 오후 5시 20분" in text
    assert "요청하신 뒤에 상품이 택배사로 넘어간 게 맞아요" in text


def test_refusal_without_any_scan_warns_of_a_false_invoice():
    text, _, _ = answer(action("refusal"), "06")
    assert "집화 기록이 없어요" in text
    assert "가송장" in text
    assert "11월 23일(월) 오후 3시" in text  # invoice entered four business days earlier


def test_refusal_after_missed_deadline_is_the_sellers_side():
    text, _, _ = answer(action("refusal"), "14")
    assert "11월 24일(화)까지" in text  # the dispatch deadline
    assert "11월 25일(수) 오전 9시" in text  # the request, after it
    assert "배송비는 판매자가 부담" in text


def test_no_refusal_on_a_new_order_explains_the_instant_cancel():
    text, _, _ = answer(action("refusal"), "01")
    assert "취소가 거부된 기록이 없어요" in text and "바로 취소되고 환불돼요" in text


@pytest.mark.parametrize(
    "suffix, expected",
    [
        ("01", "바로 취소되고 환불돼요"),
        ("02", "'취소 요청'으로 접수되고"),
        ("03", "판매자 확인을 기다리고 있어요"),
        ("04", "지금은 취소할 수 없어요"),
        ("13", "이미 취소됐어요"),
        ("12", "'구매확정' 단계라 주문 취소는 할 수 없어요"),
    ],
)
def test_cancel_path_by_stage(suffix, expected):
    assert expected in answer(action("cancel"), suffix)[0]


def test_return_deadline_three_days_after_delivery():
    text, _, _ = answer(action("return"), "07")
    assert "11월 24일(화)에 받으셨으니" in text
    assert "12월 1일(화)까지" in text and "4일 남았어요" in text
    assert "왕복 배송비 7,000원" in text  # a free-shipping order, changed mind


def test_return_ten_days_after_delivery_is_closed_for_change_of_mind():
    text, _, _ = answer(action("return"), "08")
    assert "11월 17일(화)에 받으셔서" in text and "(11월 24일(화))은 지났어요" in text
    assert "2월 17일(수)까지" in text  # three months from supply, for defects


def test_return_after_purchase_decision_goes_to_the_seller():
    text, _, _ = answer(action("return"), "12")
    assert "구매확정" in text and "판매자에게 직접 문의" in text


def test_missed_dispatch_deadline():
    text, _, _ = answer(action("delay"), "09")
    assert "11월 25일(수)까지였는데 아직 발송되지 않았어요" in text
    assert "'배송 지연'" in text


def test_must_accept_a_dispatched_parcel_costs_the_round_trip_if_refused():
    text, _, _ = answer(action("must_accept"), "04")
    assert "꼭 받아야 하는 건 아니에요" in text and "왕복 배송비 7,000원" in text


def test_must_accept_when_seller_missed_the_deadline():
    text, _, _ = answer(action("must_accept"), "14")
    assert "판매자 사유" in text and "배송 지연" in text


def test_defect_is_paid_by_the_seller_with_the_three_month_limit():
    text, _, _ = answer(action("defect"), "10")
    assert "판매자가 부담" in text and "11월 25일(수)에 받으셨으니" in text
    assert "2월 25일(목)까지" in text and "30일" in text


@pytest.mark.parametrize(
    "suffix, expected",
    [
        ("01", "바로 환불돼요"),
        ("03", "승인을 기다리고 있어요"),
        ("11", "3영업일 안에 환불해야 해요"),
        ("13", "환불은 이미 처리됐어요"),
        ("02", "진행 중인 환불이 없어요"),
    ],
)
def test_refund_timing(suffix, expected):
    text = answer(action("refund"), suffix)[0]
    assert expected in text and "신용카드" in text or expected in text and suffix == "02"


def test_lag_wrong_invoice():
    assert "잘못된 송장" in answer(action("lag"), "15")[0]


def test_lag_scan_before_invoice_is_normal():
    assert "흔한 일이에요" in answer(action("lag"), "04")[0]


def test_status_shipping_names_the_carrier_and_invoice():
    text = answer(action("status"), "05")[0]
    assert "CJ대한통운 송장번호 512500000005" in text


def test_fault_answers_follow_the_facts():
    assert "판매자 잘못으로 보기는 어려워요" in answer(action("fault"), "04")[0]
    assert "아쉬운 부분은 있어요" in answer(action("fault"), "05")[0]
    assert "판매자 사유로 볼 수 있어요" in answer(action("fault"), "14")[0]
    assert "판매자 사유예요" in answer(action("fault"), "09")[0]


def test_fee_in_general_without_an_order_offers_a_check():
    events, messages, _ = run(action("fee"), {})
    text = texts(messages)
    assert "단순 변심" in text and "판매자 부담" in text
    assert messages[-1]["buttons"][0]["payload"] == "/provide_order_id"
    assert slot_events(events)["asked"] == ["fee"]


def test_fee_for_a_verified_order():
    assert "왕복 배송비 7,000원" in answer(action("fee"), "07")[0]
    assert "판매자가 부담" in answer(action("fee"), "14")[0]


def test_process_in_general_and_for_an_order():
    _, messages, _ = run(action("process"), {})
    assert "발주확인" in texts(messages) and "내 주문" in texts(messages)
    assert "지금 '배송준비중' 단계예요" in answer(action("process"), "02")[0]


def test_asked_questions_are_remembered_for_the_handoff():
    _, _, events = answer(action("status"), "07", asked=["refusal"])
    assert slot_events(events)["asked"] == ["refusal", "status"]
