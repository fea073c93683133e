"""bot/channels/kakao.py's pure parts: Rasa messages -> skill response pages."""

from __future__ import annotations

from dataclasses import replace

from bot.channels.kakao import asks_for_more, bubbles, more_label, pages, utterance_text
from bot.messages import button
from bot.settings import KakaoSettings

LIMITS = KakaoSettings()


def texts(page: dict) -> list[str]:
    return [output["simpleText"]["text"] for output in page["outputs"]]


def test_one_bubble_per_message_and_buttons_as_quick_replies():
    messages = [{"text": "확인했어요."},
                {"text": "설명이에요.", "buttons": [button("ask_return_fee")]}]
    (page,) = pages(messages, LIMITS)
    assert texts(page) == ["확인했어요.", "설명이에요."]
    assert page["quickReplies"] == [{"label": "배송비는 누가 내나요?", "action": "message",
                                     "messageText": "배송비는 누가 내나요?",
                                     "extra": {"payload": "/ask_return_fee"}}]


def test_more_messages_than_bubbles_are_packed_in_order():
    messages = [{"text": f"{n}번째 문장이에요."} for n in range(1, 6)]
    (page,) = pages(messages, LIMITS)
    (bubble,) = texts(page)
    assert bubble.split("\n\n") == [m["text"] for m in messages]


def test_what_does_not_fit_waits_behind_a_more_reply():
    limits = replace(LIMITS, text_max_chars=12, outputs_max=2)
    messages = [{"text": "첫 문장이에요. 두 문장이에요."}, {"text": "셋째예요."},
                {"text": "넷째 문장이에요.", "buttons": [button("ask_return")]}]
    first, second = pages(messages, limits)
    assert texts(first) == ["첫 문장이에요.", "두 문장이에요."]
    assert first["quickReplies"] == [{"label": more_label(), "action": "message",
                                      "messageText": more_label(), "extra": {"more": True}}]
    assert texts(second) == ["셋째예요.", "넷째 문장이에요."]
    assert [r["extra"] for r in second["quickReplies"]] == [{"payload": "/ask_return"}]
    assert all(len(t) <= 12 for page in (first, second) for t in texts(page))


def test_too_many_buttons_spill_onto_a_repeat_of_the_last_bubble():
    limits = replace(LIMITS, quick_replies_max=2, quick_reply_label_max_chars=5)
    many = [button(i) for i in ("ask_return", "ask_refund_timing", "report_defect")]
    first, second = pages([{"text": "골라 주세요.", "buttons": many}], limits)
    assert [r["label"] for r in first["quickReplies"]] == ["반품 방법", more_label()]
    assert texts(second) == ["골라 주세요."]
    assert [r["messageText"] for r in second["quickReplies"]] == [
        "환불은 언제 되나요?", "상품에 문제가 있어요"]
    assert [r["label"] for r in second["quickReplies"]] == ["환불은 …", "상품에 …"]


def test_bubbles_split_long_messages():
    limits = replace(LIMITS, text_max_chars=10)
    split = bubbles(["가나다라마 바사아자차 카타파하"], limits)
    assert split == ["가나다라마", "바사아자차 카타파하"]


def request(utterance: str, extra: dict | None = None) -> dict:
    return {"userRequest": {"utterance": utterance, "user": {"id": "u"}},
            "action": {"clientExtra": extra or {}}, "bot": {"id": "b"}}


def test_requests_to_rasa_text():
    assert utterance_text(request("배송비는 누가 내나요?", {"payload": "/ask_return_fee"})) == (
        "/ask_return_fee")
    assert utterance_text(request("배송비는 누가 내나요?")) == "/ask_return_fee"
    assert utterance_text(request("반품하고 싶어", {"payload": "/restart"})) == "반품하고 싶어"
    assert asks_for_more(request(more_label())) and asks_for_more(request("x", {"more": True}))
    assert not asks_for_more(request("반품"))
