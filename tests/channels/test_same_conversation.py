"""One conversation, four channels: REST, the widget's socket.io, TalkTalk and Kakao give the
buyer the same messages with the same facts (question -> order number -> last 4 digits ->
the refusal's times -> a button)."""

from __future__ import annotations

import itertools

import pytest

from bot.messages import label
from tests.channels.conftest import KAKAO_BOT_ID
from tests.channels.messengers import KakaoBuyer, TalkTalkBuyer
from tests.support.buyer import Buyer
from tests.support.messages import heard
from tests.support.widget_client import WidgetClient

pytestmark = pytest.mark.slow
_ids = itertools.count()

CONVERSATION = ["취소 요청했는데 왜 거부된 거예요?", "2026 1125 0000 0004", "1004"]
BUTTON = "/ask_must_accept"


class WidgetBuyer(Buyer):
    def __init__(self, stack, client: WidgetClient) -> None:
        super().__init__(stack, client.request_session())
        self.client = client

    def says(self, text: str) -> str:
        self.client.say(text)
        self.last = [{"text": m.get("text"),
                      "buttons": [{"title": q["title"], "payload": q["payload"]}
                                  for q in m.get("quick_replies", [])]}
                     for m in self.client.replies()]
        return ""

    def presses(self, payload: str) -> None:
        self.says(payload)  # the widget sends a quick reply's payload


class RestBuyer(Buyer):
    def presses(self, payload: str) -> None:
        self.says(payload)


def talk(buyer) -> list[tuple[str, list[str]]]:
    """Each turn's text (its messages joined by a blank line: socket.io shows a message's
    paragraphs as separate bubbles, the others keep them in one) and button intents."""
    turns = []
    for text in CONVERSATION:
        buyer.says(text)
        turns.append(("\n\n".join(m["text"] for m in buyer.last if m.get("text")),
                      buyer.button_intents))
    buyer.presses(BUTTON)
    turns.append(("\n\n".join(m["text"] for m in buyer.last if m.get("text")),
                  buyer.button_intents))
    return turns


@pytest.mark.parametrize("channel", ["rest", "widget", "talktalk", "kakao"])
def test_the_same_conversation_gives_the_same_facts(channel, messenger_stack, fake_talktalk):
    n = next(_ids)
    rest = RestBuyer(messenger_stack, f"same-facts-rest-{n}")
    expected = talk(rest)
    # What the facts are, read from the REST replies by message name and values.
    assert expected[0][1] == [] and expected[2][1] == ["ask_must_accept", "ask_return",
                                                        "ask_return_fee"]
    assert rest.got("accept_buyer_pays") == {"fee_basis": label("fee_basis", "round_trip"),
                                             "fee": "7,000원"}
    refusal = heard([{"text": part} for part in expected[2][0].split("\n\n")])
    facts = next(h.values for h in refusal if h.name == "refusal_scanned_before")
    assert facts["scanned_at"] == "11월 26일(목) 오전 9시 40분"
    assert facts["requested_at"] == "11월 26일(목) 오전 10시 5분"
    if channel == "rest":
        got = talk(RestBuyer(messenger_stack, f"same-facts-rest-b{n}"))
    elif channel == "widget":
        with WidgetClient(messenger_stack.rasa_url) as client:
            got = talk(WidgetBuyer(messenger_stack, client))
    elif channel == "talktalk":
        got = talk(TalkTalkBuyer(messenger_stack, fake_talktalk, f"same-facts-{n}"))
    else:
        got = talk(KakaoBuyer(messenger_stack, f"same-facts-{n}", KAKAO_BOT_ID))
    # The same Korean text, character for character, and the same buttons: the same facts.
    assert got == expected
