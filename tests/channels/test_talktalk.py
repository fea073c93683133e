"""bot/channels/talktalk.py's pure parts: Rasa messages -> send API events, inbound events."""

from __future__ import annotations

from dataclasses import replace

from bot.channels.talktalk import (
    greeting,
    pass_thread,
    pressed_or_typed,
    send_events,
    source_allowed,
)
from bot.messages import button, render
from bot.settings import TalkTalkSettings

LIMITS = TalkTalkSettings()
USER = "al-2eGuGr5WQOnco1_V-FQ"
SHORT = [button("ask_return"), button("request_human")]  # titles within 10 characters
LONG = [button("ask_must_accept"), button("ask_return_fee")]  # 10 and 12 characters


def test_plain_text_is_one_send_event():
    assert send_events(USER, [{"text": "안녕하세요."}], LIMITS) == [
        {"event": "send", "user": USER, "textContent": {"text": "안녕하세요."}}
    ]


def test_short_buttons_on_the_last_message_become_a_quick_reply():
    events = send_events(USER, [{"text": "첫째"}, {"text": "둘째", "buttons": SHORT}], LIMITS)
    assert [e["textContent"]["text"] for e in events] == ["첫째", "둘째"]
    quick = events[-1]["textContent"]["quickReply"]["buttonList"]
    assert quick == [{"type": "TEXT", "data": {"title": "반품 방법", "code": "/ask_return"}},
                     {"type": "TEXT", "data": {"title": "상담원 연결", "code": "/request_human"}}]


def test_long_titles_or_a_later_message_make_a_composite_card():
    events = send_events(USER, [{"text": "설명이에요.", "buttons": LONG}], LIMITS)
    assert len(events) == 1
    card = events[0]["compositeContent"]["compositeList"][0]
    assert card["description"] == "설명이에요."
    assert [b["data"] for b in card["buttonList"]] == [
        {"title": "꼭 받아야 하나요?", "code": "/ask_must_accept"},
        {"title": "배송비는 누가 내나요?", "code": "/ask_return_fee"}]
    # Quick buttons would vanish under the next message, so a card keeps them.
    events = send_events(USER, [{"text": "a", "buttons": SHORT}, {"text": "b"}], LIMITS)
    assert "compositeContent" in events[0] and events[1]["textContent"] == {"text": "b"}


def test_many_buttons_fill_numbered_cards_and_long_titles_are_shortened():
    limits = replace(LIMITS, composite_buttons_max=2, composite_button_title_max_chars=5)
    many = [button(i) for i in ("ask_return", "ask_refund_timing", "report_defect")]
    (event,) = send_events(USER, [{"text": "골라 주세요.", "buttons": many}], limits)
    first, second = event["compositeContent"]["compositeList"]
    assert first["description"] == "골라 주세요." and len(first["buttonList"]) == 2
    assert second["title"] == "2/2" and second["buttonList"][0]["data"] == {
        "title": "상품에 …", "code": "/report_defect"}


def test_long_text_is_split_at_the_limit_on_sentence_boundaries():
    limits = replace(LIMITS, text_max_chars=15)
    text = "첫 문장이에요. 두 번째 문장이에요. 세 번째예요."
    events = send_events(USER, [{"text": text, "buttons": SHORT}], limits)
    texts = [e["textContent"]["text"] for e in events]
    assert texts == ["첫 문장이에요.", "두 번째 문장이에요.", "세 번째예요."]
    assert "quickReply" in events[-1]["textContent"]
    assert "quickReply" not in events[0]["textContent"]


def test_a_handoff_passes_the_thread_after_the_summary_message():
    summary = {"order": "2026********0004", "stage": "배송중", "questions": ["취소 거부 사유"],
               "verification_failures": 0}
    messages = [{"text": "상담원에게 연결해 드릴게요. … 주문 2026********0004 (배송중)"},
                {"custom": {"handoff": summary}}]
    events = send_events(USER, messages, LIMITS)
    assert events[-1] == pass_thread(USER) == {
        "event": "handover", "user": USER,
        "options": {"control": "passThread", "targetId": 1}}
    assert "2026********0004" in events[-2]["textContent"]["text"]
    assert events[0]["textContent"]["text"] == render("handoff_talktalk")["text"]
    assert len(events) == 3


def test_inbound_send_events():
    pressed = {"event": "send", "user": USER,
               "textContent": {"text": "반품 방법", "code": "/ask_return", "inputType": "button"}}
    typed = {"event": "send", "user": USER,
             "textContent": {"text": "반품 어떻게 해요", "inputType": "typing"}}
    assert pressed_or_typed(pressed) == "/ask_return"
    assert pressed_or_typed(typed) == "반품 어떻게 해요"
    assert pressed_or_typed({"event": "send", "imageContent": {"imageUrl": "x"}}) is None


def test_source_allowlist():
    ranges = ("211.249.40.0/27", "211.249.68.0/27", "220.230.168.0/27")
    assert source_allowed("1.2.3.4", ())
    assert source_allowed("211.249.40.17", ranges)
    assert not source_allowed("211.249.40.40", ranges)
    assert not source_allowed(None, ranges)


def test_greeting_is_the_domain_greeting_with_its_buttons():
    greet = greeting()
    assert greet["text"].startswith("안녕하세요") and greet["buttons"]
    assert all(b["payload"].startswith("/") for b in greet["buttons"])
