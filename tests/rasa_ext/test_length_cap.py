"""The NLU length cap (bot/rasa_ext/length_cap.py)."""

import pytest
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa_ext.length_cap import SEPARATOR, MessageLengthCap, shorten


def test_short_text_is_untouched():
    assert shorten("취소 거부 왜 됐어요?", 100) == "취소 거부 왜 됐어요?"
    assert shorten("가" * 100, 100) == "가" * 100


def test_long_text_keeps_its_beginning_and_its_end_within_the_cap():
    text = (
        "주문번호 2026112500000004 "
        + "어제 있었던 일을 길게 설명하자면 " * 500
        + "그래서 반품비 누가 내요?"
    )
    short = shorten(text, 1000)
    assert len(short) == 1000
    assert short.startswith("주문번호 2026112500000004 ")
    assert short.endswith("그래서 반품비 누가 내요?")
    assert SEPARATOR in short


def test_component_shortens_only_the_analysed_text_of_long_messages():
    cap = MessageLengthCap({"max_chars": 200})
    long, short = Message(data={TEXT: "ㅋ" * 5000}), Message(data={TEXT: "환불 언제 돼요"})
    cap.process([long, short])
    assert len(long.get(TEXT)) == 200
    assert short.get(TEXT) == "환불 언제 돼요"


def test_component_treats_training_data_the_same_way():
    data = TrainingData([Message(data={TEXT: "가" * 3000, "intent": "out_of_scope"})])
    MessageLengthCap({"max_chars": 500}).process_training_data(data)
    assert len(data.training_examples[0].get(TEXT)) == 500


def test_a_cap_too_small_to_hold_the_separator_is_refused():
    with pytest.raises(ValueError):
        MessageLengthCap({"max_chars": 3})
