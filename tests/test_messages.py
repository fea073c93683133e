import re

import pytest

from bot.messages import catalogue, labels, particle, placeholders, render
from bot.orders.demo import demo_records
from bot.questions.registry import QUESTIONS
from bot.questions.shared import Reply
from bot.settings import get_settings
from tests.support.clock import FIXED_NOW as NOW
from tests.support.messages import domain_responses, identify


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


def demo_replies() -> list[tuple[str, str, Reply]]:
    """(order id, question, reply) of every answer to every question on every demo order."""
    settings = get_settings()
    return [(record.order_id, question.key, reply)
            for record in demo_records(NOW)
            for question in QUESTIONS
            for reply in question.answer(record, NOW, settings)]


def test_every_reply_on_every_demo_order_renders_fully():
    for order, question, reply in demo_replies():
        text = render(reply.message, reply.values)["text"]
        assert "{" not in text and "}" not in text, (order, question, reply)
        assert "None" not in text, (order, question, reply)


# Parts of a summary, said inside another message, not on their own.
FRAGMENTS = {"handoff_order", "handoff_no_order", "handoff_questions", "delay_seller_reason"}
# A 해요체 sentence ends in 요 or 죠, then at most one closing mark.
POLITE_END = re.compile(r"(요|죠)[.?!]?$")
# 합니다체 (…습니다, …합니까?) and 해라체 (…한다.) endings, anywhere in a message.
NOT_HAEYO = re.compile(r"니다(?![가-힣])|니까\?|[^니]다[.?!]")


def every_text() -> list[tuple[str, str]]:
    """(name, text) of every sentence source the buyer reads, templates left unfilled."""
    found = [(name, m["text"]) for name, m in catalogue().items() if name not in FRAGMENTS]
    found += [(name, text) for name, texts in domain_responses().items() for text in texts]
    found += [(f"days_left.{key}", text) for key, text in labels("days_left").items()]
    return found


def sentences(template: str) -> list[str]:
    """The template's sentences, its {placeholders} as X and each {x}[이/가] as X가."""
    text = re.sub(r"\{\w+\}(['\"]?)\[[^/\]]*/([^\]]*)\]", r"X\1\2", template)
    text = re.sub(r"\{\w+\}", "X", text)
    return [sentence.strip() for line in text.splitlines()
            for sentence in re.split(r"(?<=[.?!])\s+", line.strip()) if sentence.strip()]


def is_polite(sentence: str) -> bool:
    sentence = re.sub(r"^(•|\d\))\s*", "", sentence)  # a list item's marker
    if re.fullmatch(r"\([^()]*\)", sentence) or sentence.startswith("예:"):
        return True  # an aside in brackets, an example
    if re.fullmatch(r"[^:]+: [^가-힣]*", sentence):
        return True  # a heading and the values it introduces ("고객센터: X (X), X.")
    sentence = re.sub(r"\([^()]*\)(?=[.?!]?$)", "", sentence)  # "…있어요(결제완료)."
    return POLITE_END.search(sentence) is not None


@pytest.mark.parametrize(
    ("sentence", "polite"),
    [("확인했어요.", True), ("무엇이 궁금하세요?", True), ("그렇죠.", True),
     ("준비하고 있어요(배송준비중).", True), ("(남은 시도 X번)", True),
     ("• X: 구매자 부담이에요.", True),
     ("확인했습니다.", False), ("취소를 요청하신 건 X.", False), ("배송이 시작된다.", False),
     ("주문 X", False)],
)
def test_the_polite_check_tells_haeyo_from_other_endings(sentence, polite):
    assert is_polite(sentence) is polite


def test_every_sentence_the_buyer_reads_is_haeyo_polite_korean():
    impolite = [(name, sentence) for name, text in every_text() for sentence in sentences(text)
                if not is_polite(sentence)]
    assert impolite == []
    assert [(name, text) for name, text in every_text() if NOT_HAEYO.search(text)] == []


def test_messages_name_no_api_fields_and_buttons_send_intents():
    api_words = re.compile(r"sendDate|pickupDate|claimStatus|CANCEL_REJECT|productOrder|None")
    for name, message in catalogue().items():
        assert not api_words.search(message["text"]), name
        assert re.search("[가-힣]", message["text"]), name
        for button in message.get("buttons", []):
            assert button["payload"].startswith("/"), name


def test_every_placeholder_is_filled_and_every_particle_mark_resolved():
    for name in catalogue():
        values = {field: "11월 26일(목) 오전 9시 40분" for field in placeholders(name)}
        text = render(name, values)["text"]
        assert not re.search(r"[{}]|\[[^\]]*/[^\]]*\]", text), (name, text)


def test_a_reply_is_known_by_its_message_name_and_values():
    for _, _, reply in demo_replies():
        found = identify(render(reply.message, reply.values)["text"])
        assert found is not None and found.name == reply.message, (reply, found)
        for field in placeholders(reply.message):
            assert found.values[field] == reply.values[field], (reply, field)
    assert identify("확인했습니다.") is None
    assert identify(render("cancel_done")["text"] + " ") is None


def test_placeholders_ignore_particle_marks():
    assert placeholders("refusal_scanned_after") == {
        "requested_at", "sent_at", "scanned_at"}


def test_the_assistant_never_speaks_as_the_store():
    # A neutral helper: the seller is 판매자, in the third person (bot/messages.yml header).
    store_voice = re.compile(r"저희|당사|제가 판매")
    assert [(name, text) for name, text in every_text() if store_voice.search(text)] == []
