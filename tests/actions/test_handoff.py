from actions.handoff import ActionFallbackOptions, ActionHandoff
from bot.messages import label, render
from bot.settings import get_settings
from tests.support.actions import run, texts, verified_slots
from tests.support.messages import heard


def test_handoff_gives_the_store_contact_and_a_masked_summary():
    _, messages, _ = run(ActionHandoff(), {**verified_slots("04"), "asked": ["refusal", "fee"]})
    (handoff,) = heard(messages)
    store = get_settings().store
    assert handoff.name == "handoff"
    assert (handoff.values["store_phone"], handoff.values["store_hours"]) == (
        store.contact_phone, store.hours)
    assert "2026********0004" in handoff.values["summary"]
    assert "2026112500000004" not in texts(messages)
    questions = f'{label("questions", "refusal")}, {label("questions", "fee")}'
    assert questions in handoff.values["summary"]
    payload = [m["custom"] for m in messages if m.get("custom")][0]["handoff"]
    assert payload == {
        "order": "2026********0004",
        "stage": label("stages", "shipping"),
        "questions": [label("questions", "refusal"), label("questions", "fee")],
        "verification_failures": 0,
    }


def test_handoff_without_a_verified_order_shows_no_order():
    _, messages, _ = run(ActionHandoff(), {"verify_failures": 5.0})
    assert render("handoff_no_order")["text"] in heard(messages)[0].values["summary"]
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
    assert [reply.name for reply in heard(messages)] == ["fallback_options"]
