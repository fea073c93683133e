"""The messengers' limits on a stack whose settings make them bite: TalkTalk's text limit
and source allowlist, Kakao's bubbles and its 5 s answer (bot/settings.yml `channels`)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

import pytest
import yaml

from bot.messages import label
from tests.channels.conftest import KAKAO_BOT_ID, NOW, ORDERS_FILE, TALKTALK_TOKEN
from tests.channels.messengers import KakaoBuyer, TalkTalkBuyer
from tests.support.stack import PROJECT_ROOT, Stack, running_stack

pytestmark = pytest.mark.slow
_users = itertools.count()
TEXT_MAX = 120  # TalkTalk: the refusal answer is longer than this
BUBBLE_MAX = 150  # Kakao
ALLOWED_SOURCE = "127.0.0.2"


@pytest.fixture(scope="module")
def limits_stack(trained_model, tmp_path_factory, fake_talktalk) -> Iterator[Stack]:
    workdir = tmp_path_factory.mktemp("limits-stack")
    raw = yaml.safe_load((PROJECT_ROOT / "bot" / "settings.yml").read_text(encoding="utf-8"))
    raw["channels"]["talktalk"].update(
        text_max_chars=TEXT_MAX, composite_description_max_chars=TEXT_MAX,
        allowed_sources=[ALLOWED_SOURCE], send_timeout_seconds=1.0)
    raw["channels"]["kakao"].update(text_max_chars=BUBBLE_MAX, outputs_max=2,
                                    reply_within_seconds=0.05)
    settings = workdir / "settings.yml"
    settings.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with running_stack(
        workdir, trained_model, orders_file=ORDERS_FILE, now=NOW,
        extra_env={"BOT_SETTINGS": str(settings), "TALKTALK_TOKEN": TALKTALK_TOKEN,
                   "TALKTALK_API_URL": fake_talktalk.url, "KAKAO_BOT_ID": KAKAO_BOT_ID},
    ) as stack:
        yield stack


def test_talktalk_long_text_is_split_on_sentence_boundaries(limits_stack, fake_talktalk):
    buyer = TalkTalkBuyer(limits_stack, fake_talktalk, f"limits-{next(_users)}",
                          source_ip=ALLOWED_SOURCE)
    buyer.says("취소 요청했는데 왜 거부된 거예요?")
    buyer.says("2026112500000004")
    buyer.says("1004")
    texts = [e["textContent"]["text"] if "textContent" in e
             else e["compositeContent"]["compositeList"][0].get("description", "")
             for e in buyer.events]
    assert all(len(text) <= TEXT_MAX for text in texts)
    assert len(texts) > 3  # split: the answer's messages are longer than the limit
    assert all(re.search(r"[.?!)]$", text) for text in texts if text), texts
    # Nothing lost: the chunks are the refusal answer the REST channel gives, in order.
    conversation = ["취소 요청했는데 왜 거부된 거예요?", "2026112500000004", "1004"]
    assert squeezed(texts) == squeezed(rest_answer(limits_stack, conversation)[0])


def test_talktalk_refuses_sources_outside_the_allowlist(limits_stack, fake_talktalk):
    outsider = TalkTalkBuyer(limits_stack, fake_talktalk, f"limits-{next(_users)}")
    assert outsider.sends("안녕하세요") == 403  # from 127.0.0.1
    assert outsider.quiet(2) == []
    insider = TalkTalkBuyer(limits_stack, fake_talktalk, f"limits-{next(_users)}",
                            source_ip=ALLOWED_SOURCE)
    insider.says("안녕하세요")
    assert insider.names == ["utter_greet"]


def test_talktalk_send_api_timeouts_are_retried(limits_stack, fake_talktalk):
    buyer = TalkTalkBuyer(limits_stack, fake_talktalk, f"limits-{next(_users)}",
                          source_ip=ALLOWED_SOURCE)
    attempts = len(fake_talktalk.attempts)
    fake_talktalk.delay_next(2, seconds=2.0)  # twice slower than the 1 s timeout
    buyer.says("배송비는 보통 누가 내요?")
    texts = [m["text"] for m in buyer.last]
    assert squeezed(texts) == squeezed(rest_answer(limits_stack, ["배송비는 보통 누가 내요?"])[0])
    tries = [e for e in fake_talktalk.attempts[attempts:] if e["user"] == buyer.user]
    assert tries[0] == tries[1] == tries[2] and len(buyer.events) == len(tries) - 2


def test_kakao_folds_what_does_not_fit_and_keeps_a_slow_answer(limits_stack):
    buyer = KakaoBuyer(limits_stack, f"limits-{next(_users)}", KAKAO_BOT_ID)
    more = label("channels", "more")

    def more_labels() -> list[str]:
        return [r["label"] for r in buyer.response["template"].get("quickReplies", [])]

    def turn(text: str) -> list[dict]:
        """The whole answer: the holding answer first (slower than the 0.05 s limit here),
        then every page behind 이어서 보기."""
        buyer.says(text)
        assert buyer.names == ["no_reply"] and more_labels() == [more]
        pages = []
        while True:
            buyer._read(buyer.request(more, {"more": True}))
            template = buyer.response["template"]
            if [h.name for h in buyer.heard] == ["no_reply"]:
                continue  # still working
            pages.append(template)
            assert len(template["outputs"]) <= 2
            assert all(len(o["simpleText"]["text"]) <= BUBBLE_MAX for o in template["outputs"])
            if more_labels() != [more]:
                return pages

    conversation = ["반품하고 싶은데 언제까지 돼요?", "2026112500000007", "1007"]
    for text in conversation[:2]:
        turn(text)
    pages = turn(conversation[2])
    assert len(pages) > 1  # folded
    texts = [o["simpleText"]["text"] for page in pages for o in page["outputs"]]
    rest_texts, rest_buttons = rest_answer(limits_stack, conversation)
    assert squeezed(texts) == squeezed(rest_texts)
    assert buyer.button_intents == rest_buttons  # the turn's buttons come with its last page


def squeezed(texts: list[str]) -> str:
    return re.sub(r"\s+", "", "".join(texts))


def rest_answer(stack: Stack, conversation: list[str]) -> tuple[list[str], list[str]]:
    """The texts and button intents of the last turn of `conversation` over REST."""
    sender = f"limits-rest-{next(_users)}"
    for text in conversation:
        replies = stack.rest(sender, text)
    return ([m["text"] for m in replies if m.get("text")],
            [b["payload"].lstrip("/") for m in replies for b in m.get("buttons", [])])
