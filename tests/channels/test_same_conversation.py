"""One conversation, four channels: REST, the widget's socket.io, TalkTalk and Kakao give the
buyer the same messages with the same facts (question -> order number -> last 4 digits ->
the refusal's times -> a button)."""

from __future__ import annotations

import itertools

import pytest

from tests.channels.conftest import KAKAO_BOT_ID
from tests.channels.messengers import KakaoBuyer, TalkTalkBuyer
from tests.support.buyer import Buyer
from tests.support.messages import Heard
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


def talk(buyer) -> list[tuple[list[Heard], list[str]]]:
    """Each turn's (messages with their values, button intents)."""
    turns = []
    for text in CONVERSATION:
        buyer.says(text)
        turns.append((buyer.heard, buyer.button_intents))
    buyer.presses(BUTTON)
    turns.append((buyer.heard, buyer.button_intents))
    return turns


@pytest.mark.parametrize("channel", ["rest", "widget", "talktalk", "kakao"])
def test_the_same_conversation_gives_the_same_facts(channel, messenger_stack, fake_talktalk):
    n = next(_ids)
    expected = talk(RestBuyer(messenger_stack, f"same-facts-rest-{n}"))
    names = [[h.name for h in messages] for messages, _ in expected]
    assert names[:2] == [["ask_order_id"], ["ask_phone_last4"]]
    assert "refusal_scanned_before" in names[2] and "accept_buyer_pays" in names[3]
    assert all(h.name != "?" for messages, _ in expected for h in messages)
    if channel == "rest":
        got = talk(RestBuyer(messenger_stack, f"same-facts-rest-b{n}"))
    elif channel == "widget":
        with WidgetClient(messenger_stack.rasa_url) as client:
            got = talk(WidgetBuyer(messenger_stack, client))
    elif channel == "talktalk":
        got = talk(TalkTalkBuyer(messenger_stack, fake_talktalk, f"same-facts-{n}"))
    else:
        got = talk(KakaoBuyer(messenger_stack, f"same-facts-{n}", KAKAO_BOT_ID))
    # Same messages, values and buttons; a message is recognised only when rendering it with
    # these values gives its text back, so the Korean text is the same character for character.
    assert got == expected
