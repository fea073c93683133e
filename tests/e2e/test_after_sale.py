"""The after-sale questions and the item picker through the REST webhook: what a buyer reads
for the demo orders of tests/fixtures/orders.json as of Fri 2026-11-27 10:00."""

from __future__ import annotations

import itertools

import pytest

from tests.support.buyer import Buyer

pytestmark = pytest.mark.slow
_senders = itertools.count()


@pytest.fixture
def buyer(stack) -> Buyer:
    return Buyer(stack, f"after-sale-{next(_senders)}")


def test_delivered_but_not_received(buyer):
    buyer.says("배송완료라고 뜨는데 택배가 안 왔어요")
    assert buyer.names == ["ask_order_id"]
    buyer.verifies("2026112500000007", "1007")
    assert buyer.got("lost_delivered")["delivered_at"] == "11월 24일(화) 오후 2시 10분"
    assert "lost_next" in buyer.names
    assert "ask_auto_confirm" in buyer.button_intents


def test_return_rejected_general_then_for_the_order(buyer):
    buyer.says("판매자가 반품을 거부했어요")
    assert buyer.names[:1] == ["return_rejected_general"]
    assert "provide_order_id" in buyer.button_intents
    buyer.says("/provide_order_id")
    buyer.verifies("2026112500000031", "1031")
    assert buyer.got("claim_rejected")["requested_at"] == "11월 24일(화)"
    assert buyer.got("return_rejected_within")["deadline"] == "11월 30일(월)"


def test_pickup_never_came(buyer):
    buyer.says("반품 신청했는데 수거 기사님이 안 와요")
    assert buyer.names == ["pickup_general", "after_sale_offer"]  # a general answer at once
    buyer.says("/provide_order_id")  # its button: now for the order
    buyer.verifies("2026112500000032", "1032")
    assert buyer.got("pickup_late") == {"requested_at": "11월 24일(화)", "business_days": "3"}
    assert "pickup_self_send" in buyer.names


def test_item_picker_then_the_bundled_shipping_fee(buyer):
    buyer.says("반품하고 싶어요")
    buyer.verifies("2026112500000030", "1030")
    assert buyer.got("verified_items") == {"order": "2026********0030", "count": "3"}
    assert "pick_item" in buyer.names
    assert sorted(buyer.buttons) == ["면 티셔츠", "양말 세트", "에코백"]
    shirt = next(b["payload"] for m in buyer.last for b in m.get("buttons", [])
                 if b["title"] == "면 티셔츠")
    buyer.says(shirt)  # the button
    assert "ask_phone_last4" not in buyer.names  # the proof already names this item
    assert buyer.got("return_open")["deadline"] == "12월 1일(화)"
    buyer.says("하나만 반품하면 무료배송 풀려서 배송비 더 내요?")
    assert buyer.got("bundle_fee_order")["remaining"] == "21,000원"
    assert buyer.got("bundle_fee_falls") == {"threshold": "30,000원", "initial_fee": "3,500원"}


def test_address_change_while_preparing(buyer):
    buyer.says("배송지를 바꾸고 싶어요")
    buyer.verifies("2026112500000002", "1002")
    assert buyer.got("address_preparing")["due"] == "12월 2일(수)"
    assert "request_cancel" in buyer.button_intents


def test_seller_delay_notice(buyer):
    buyer.says("판매자한테 발송지연 안내를 받았어요")
    buyer.verifies("2026112500000033", "1033")
    assert buyer.got("notice_delay") == {"reason": "상품 준비 중", "due": "12월 7일(월)"}
    assert "notice_delay_rights" in buyer.names


def test_sold_out_cancel(buyer):
    buyer.says("품절이라고 판매자가 주문을 취소했대요")
    buyer.verifies("2026112500000034", "1034")
    assert buyer.got("notice_soldout")["refund_by"] == "12월 1일(화)"


def test_opened_item_general_answer(buyer):
    buyer.says("포장 뜯었는데 반품 되나요?")
    assert buyer.names == ["opened_rule", "after_sale_offer"]


def test_made_to_order_and_overseas_then_for_the_order(buyer):
    buyer.says("해외구매대행 상품은 반품이 안 되나요?")
    assert buyer.names[:2] == ["exception_rule", "exception_overseas"]
    buyer.says("/provide_order_id")
    buyer.verifies("2026112500000008", "1008")
    assert buyer.got("return_closed")["deadline"] == "11월 24일(화)"


def test_automatic_purchase_confirmation_for_the_order(buyer):
    buyer.says("자동 구매확정은 언제 돼요?")
    assert buyer.got("auto_confirm_general") == {"auto_decision_days_after_delivery": "8"}
    buyer.says("/provide_order_id")
    buyer.verifies("2026112500000007", "1007")
    assert buyer.got("auto_confirm_pending")["estimate"] == "12월 2일(수)"


def test_refund_smaller_than_expected(buyer):
    buyer.says("환불 금액이 결제한 것보다 적어요")
    assert "refund_less_general" in buyer.names
    buyer.says("/provide_order_id")
    buyer.verifies("2026112500000035", "1035")
    assert buyer.got("refund_less_fee") == {"fee": "7,000원"}
