from actions.handoff import ActionFallbackOptions, ActionHandoff
from tests.support.actions import run, texts, verified_slots


def test_handoff_gives_the_store_contact_and_a_masked_summary():
    _, messages, _ = run(ActionHandoff(), {**verified_slots("04"), "asked": ["refusal", "fee"]})
    text = texts(messages)
    assert "1588-0000" in text and "평일 10:00~17:00" in text
    assert "2026********0004" in text and "2026112500000004" not in text
    assert "취소 거부 사유, 반품 배송비" in text
    payload = [m["custom"] for m in messages if m.get("custom")][0]["handoff"]
    assert payload == {
        "order": "2026********0004",
        "stage": "배송중",
        "questions": ["취소 거부 사유", "반품 배송비"],
        "verification_failures": 0,
    }


def test_handoff_without_a_verified_order_shows_no_order():
    _, messages, _ = run(ActionHandoff(), {"verify_failures": 5.0})
    assert "주문 미확인" in texts(messages)
    payload = [m["custom"] for m in messages if m.get("custom")][0]["handoff"]
    assert payload["order"] is None and payload["verification_failures"] == 5


def test_fallback_offers_the_two_likeliest_topics_and_a_person():
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.6},
        {"name": "ask_return_fee", "confidence": 0.3},
        {"name": "greet", "confidence": 0.2},
        {"name": "ask_return", "confidence": 0.1},
        {"name": "ask_order_status", "confidence": 0.05},
    ]
    _, messages, _ = run(ActionFallbackOptions(), {}, ranking=ranking)
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads == ["/ask_return_fee", "/ask_return", "/request_human"]
    assert "다르게 말씀해" in messages[0]["text"]
