import re

import pytest

from bot.messages import catalogue, particle, placeholders, render
from bot.orders.demo import demo_records
from bot.questions.registry import QUESTIONS
from bot.settings import get_settings
from tests.support.clock import FIXED_NOW as NOW
from tests.support.messages import identify


@pytest.mark.parametrize(
    "word, pair, expected",
    [
        ("오후 4시", ("이에요", "예요"), "예요"),
        ("오전 9시 40분", ("이에요", "예요"), "이에요"),
        ("CJ대한통운", ("이", "가"), "이"),
        ("롯데택배", ("이", "가"), "가"),
        ("512500000005", ("으로", "로"), "로"),  # 오
        ("512500000003", ("으로", "로"), "으로"),  # 삼
        ("512500000001", ("으로", "로"), "로"),  # 일: ㄹ takes 로
        ("12월 1일(화)", ("이에요", "예요"), "이에요"),  # the weekday in brackets is skipped
        ("신용카드", ("으로", "로"), "로"),
    ],
)
def test_particles_follow_the_final_sound(word, pair, expected):
    assert particle(word, *pair) == expected


def test_render_fills_values_and_particles():
    text = render("refusal_scanned_after", {
        "requested_at": "11월 26일(목) 오전 9시 30분", "sent_at": "11월 26일(목) 오전 11시",
        "scanned_at": "11월 26일(목) 오후 5시", "carrier": "CJ대한통운"})["text"]
    assert "오전 9시 30분이고" in text and "오후 5시예요" in text


def test_a_missing_value_is_an_error_not_a_blank():
    with pytest.raises(KeyError, match="requested_at"):
        render("refusal_scanned_after", {"sent_at": "x"})


def test_every_reply_on_every_demo_order_renders_fully():
    settings = get_settings()
    for record in demo_records(NOW):
        for question in QUESTIONS:
            for reply in question.answer(record, NOW, settings):
                text = render(reply.message, reply.values)["text"]
                assert "{" not in text and "}" not in text, (question.key, reply)
                assert "None" not in text, (record.order_id, question.key, reply)


# The polite 해요체 ending (…요, …세요) and the plain 해라체 one (…한다.) it must never slip into.
POLITE = re.compile(r"요[\].?!)']|요$")
PLAIN = re.compile(r"[^니]다[.?!]|[^니]다$")
# Parts of a summary, said inside another message, not on their own.
FRAGMENTS = {"handoff_order", "handoff_no_order", "handoff_questions", "delay_seller_reason"}


def test_messages_are_polite_korean_and_name_no_api_fields():
    api_words = re.compile(r"sendDate|pickupDate|claimStatus|CANCEL_REJECT|productOrder|None")
    for name, message in catalogue().items():
        text = message["text"]
        assert not api_words.search(text), name
        assert re.search("[가-힣]", text), name
        assert not PLAIN.search(text), name
        if name not in FRAGMENTS:
            assert POLITE.search(text), name
        for button in message.get("buttons", []):
            assert button["payload"].startswith("/"), name


def test_a_reply_is_known_by_its_message_name_and_values():
    settings = get_settings()
    for record in demo_records(NOW):
        for question in QUESTIONS:
            for reply in question.answer(record, NOW, settings):
                text = render(reply.message, reply.values)["text"]
                found = identify(text)
                assert found is not None and found.name == reply.message, (reply, found)
                for field in placeholders(reply.message):
                    assert found.values[field] == reply.values[field], (reply, field)
    assert identify("확인했습니다.") is None
    assert identify(render("cancel_done")["text"] + " ") is None


def test_placeholders_ignore_particle_marks():
    assert placeholders("refusal_scanned_after") == {
        "requested_at", "sent_at", "scanned_at"}
