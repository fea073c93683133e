"""Every answer to every question about every demo order, rendered and read like a buyer
would: no template marks left, no doubled spaces, particles that fit the word before them,
and nothing said of an order that its stage contradicts."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from bot.clock import KST
from bot.messages import particle, render
from bot.orders.demo import demo_records
from bot.policy.stage import Stage, stage_of
from bot.questions.registry import QUESTIONS
from bot.settings import get_settings
from tests.support.clock import FIXED_NOW

# A weekday and a weekend: the dates in the answers change with both.
MOMENTS = [FIXED_NOW, datetime(2026, 11, 29, 22, 0, tzinfo=KST)]

# Words that end in a particle-like syllable but are not a noun plus a particle.
NOT_PARTICLES = {"차이", "따로", "새로", "바로", "주로", "너무", "같이", "없이", "함께"}

PAIRS = [("이에요", "예요"), ("이었어요", "였어요"), ("으로", "로"), ("을", "를"), ("이", "가"),
         ("과", "와"), ("은", "는"), ("이고", "고"), ("이라서", "라서")]
_FORMS = "|".join(sorted({form for pair in PAIRS for form in pair}, key=len, reverse=True))
# A word (ending in a digit, Hangul, a closing bracket or quote) and the particle after it.
_ATTACHED = re.compile(rf"(\S*[0-9가-힣)'\"])({_FORMS})(?=[\s.,?!]|$)")


def rendered() -> list[tuple[str, str, str, str]]:
    """(order, question, message, text) for every reply."""
    found = []
    settings = get_settings()
    for now in MOMENTS:
        for record in demo_records(now):
            for question in QUESTIONS:
                for reply in question.answer(record, now, settings):
                    text = render(reply.message, reply.values)["text"]
                    found.append((record.order_id[-2:], question.key, reply.message, text))
    return found


RENDERED = rendered()


def antecedent(text: str, end: int) -> str:
    """The last spoken character before `end`: closing quotes skipped, a bracketed aside
    skipped whole ("집화(11월 26일(목))가" is read as 집화가)."""
    i = end - 1
    while i >= 0:
        ch = text[i]
        if ch in "'\"":
            i -= 1
        elif ch == ")":
            depth = 0
            while i >= 0:
                depth += {")": 1, "(": -1}.get(text[i], 0)
                i -= 1
                if depth == 0:
                    break
        else:
            return ch
    return ""


def wrong_particles(text: str) -> list[str]:
    """Particles that do not fit the word before them ('수거 중'이에요, 서울로, 3분이에요).

    Judged after the ends of filled-in values (a digit, a closing bracket or quote), where
    bot/messages.py chooses; after Hangul only the copula at a sentence's end (…예요)."""
    wrong = []
    for match in _ATTACHED.finditer(text):
        word, form = match.groups()
        after_value = re.search(r"[0-9)'\"]$", word) is not None
        if not after_value and form not in ("이에요", "예요", "이었어요", "였어요"):
            continue
        if word + form in NOT_PARTICLES:
            continue
        spoken = antecedent(text, match.start(2))
        for with_final, without_final in PAIRS:
            if form in (with_final, without_final) and form != particle(
                spoken, with_final, without_final
            ):
                wrong.append(word + form)
    return wrong


def test_every_demo_answer_is_rendered():
    orders = {order for order, *_ in RENDERED}
    assert len(orders) >= 25 and len(RENDERED) > 500


@pytest.mark.parametrize("mark", ["(으)", "(이)", "(을)", "(가)", "  ", "{", "}", "[이", "/가]",
                                  "만에", "None"])
def test_no_template_marks_or_doubled_spaces(mark):
    found = [(o, q, m, t) for o, q, m, t in RENDERED if mark in t]
    if mark == "만에":  # "6시간만에" is wrong; "6시간 만에" is right
        found = [(o, q, m, t) for o, q, m, t in found if re.search(r"[^\s]만에", t)]
    assert found == []


def test_particles_fit_the_words_they_follow():
    found = {(message, word) for _, _, message, text in RENDERED for word in wrong_particles(text)}
    assert found == set()


def test_the_particle_check_catches_a_wrong_particle():
    assert wrong_particles("현재 상태는 '수거 중'예요.") == ["중'예요"]
    assert wrong_particles("사유를 '배송 지연'로 선택해 주세요.") == ["지연'로"]
    assert wrong_particles("송장은 11월 26일(목) 오후 3시 10분예요.") == ["10분예요"]
    assert wrong_particles("택배사 집화(11월 26일(목) 오전 9시 40분)이 먼저예요.") == ["40분)이"]
    assert wrong_particles("택배사 집화(11월 26일(목) 오전 9시 40분)가 먼저예요.") == []
    assert wrong_particles("현재 상태는 '수거 중'이에요. 7,000원을 내요.") == []


def test_business_days_are_whole_numbers():
    assert [t for *_, t in RENDERED if re.search(r"\d\.\d+일", t)] == []


def test_delivered_orders_are_never_said_to_be_on_their_way():
    on_the_way = {"lag_on_its_way", "lag_in_transit", "status_shipping"}
    for now in MOMENTS:
        delivered = {r.order_id[-2:] for r in demo_records(now)
                     if stage_of(r).stage not in (Stage.SHIPPING,)}
        said = {(o, m) for o, _, m, _ in RENDERED if o in delivered and m in on_the_way}
        assert said == set()


def test_no_answer_says_the_same_sentence_twice():
    settings = get_settings()
    for record in demo_records(FIXED_NOW):
        for question in QUESTIONS:
            texts = [render(r.message, r.values)["text"]
                     for r in question.answer(record, FIXED_NOW, settings)]
            sentences = [s for t in texts for s in re.split(r"(?<=[.?!])\s+", t) if len(s) > 15]
            assert len(sentences) == len(set(sentences)), (record.order_id, question.key)


def test_equal_scan_and_invoice_times_are_not_one_after_the_other():
    same = re.compile(r"(\S+ \S+ \S+)고, 송장 등록은 그 뒤인 \1")
    assert [t for *_, t in RENDERED if same.search(t)] == []
