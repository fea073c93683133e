"""bot/channels/messenger.py: sentence-boundary splits, pressed buttons, handoff detection."""

from __future__ import annotations

import re

import pytest

from bot.channels.messenger import handoff_summary, inbound_text, namespaced, shorten, split_text
from bot.messages import button

TEXT = ("블루투스 스피커 주문을 확인했어요. 지금은 '배송중' 단계예요. 취소를 요청하신 건 "
        "11월 26일(목) 오전 10시 5분이에요! 그런데 상품은 이미 넘어가 있었어요?\n"
        "송장번호는 나중에 등록됐어요.")


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("limit", [30, 45, 60, 80, 200])
def test_split_keeps_every_character_and_cuts_between_sentences(limit):
    chunks = split_text(TEXT, limit)
    assert all(0 < len(chunk) <= limit for chunk in chunks)
    assert squeezed("".join(chunks)) == squeezed(TEXT)  # only white space at a cut goes
    if limit >= 45:  # every sentence fits: each chunk ends a sentence
        assert all(re.search(r"[.?!]$", chunk) for chunk in chunks), chunks


def test_short_text_is_one_chunk_unchanged():
    assert split_text("안녕하세요!  ", 100) == ["안녕하세요!  "]


def test_a_sentence_longer_than_the_limit_is_cut_at_a_space_then_hard():
    sentence = "가나다 라마바 사아자 차카타 파하" * 3
    chunks = split_text(sentence, 10)
    assert all(len(chunk) <= 10 for chunk in chunks)
    assert squeezed("".join(chunks)) == squeezed(sentence)
    assert split_text("가" * 25, 10) == ["가" * 10, "가" * 10, "가" * 5]


def test_pressed_button_becomes_its_payload():
    refund = button("ask_refund_timing")
    assert inbound_text(refund["title"], refund["payload"]) == "/ask_refund_timing"  # code
    assert inbound_text(refund["title"]) == "/ask_refund_timing"  # the title alone
    assert inbound_text("환불은 언제 되나요?", "/restart") == "/ask_refund_timing"
    assert inbound_text("/restart", "/restart") == "/restart"  # the NLU guard reads it as text
    assert inbound_text("반품하고 싶어요 ㅠㅠ") == "반품하고 싶어요 ㅠㅠ"
    assert inbound_text(None) == ""


def test_handoff_summary_is_found_in_the_custom_payload():
    summary = {"order": "2026********0004", "stage": "배송중", "questions": [],
               "verification_failures": 0}
    assert handoff_summary([{"text": "x"}, {"custom": {"handoff": summary}}]) == summary
    assert handoff_summary([{"text": "x"}, {"custom": {"other": 1}}]) is None


def test_names_and_labels():
    assert namespaced("talktalk", "al-2eGuGr5WQOnco1_V-FQ") == "talktalk:al-2eGuGr5WQOnco1_V-FQ"
    assert shorten("배송비는 누가 내나요?", 10) == "배송비는 누가 내…"
    assert shorten("반품 방법", 10) == "반품 방법"
