"""Kakao contract: Open Builder's skill requests in, skill responses out, against the real
running stack (Fri 2026-11-27 10:00, fixture orders)."""

from __future__ import annotations

import itertools

import pytest
import requests

from bot.messages import label
from bot.settings import get_settings
from tests.channels.conftest import KAKAO_BOT_ID
from tests.channels.messengers import KakaoBuyer

pytestmark = pytest.mark.slow
_users = itertools.count()
LIMITS = get_settings().channels.kakao


@pytest.fixture
def buyer(messenger_stack) -> KakaoBuyer:
    return KakaoBuyer(messenger_stack, f"kakao-user-{next(_users)}", KAKAO_BOT_ID)


def within_limits(response: dict) -> None:
    template = response["template"]
    assert response["version"] == "2.0"
    assert 1 <= len(template["outputs"]) <= LIMITS.outputs_max
    assert all(len(o["simpleText"]["text"]) <= LIMITS.text_max_chars for o in template["outputs"])
    replies = template.get("quickReplies", [])
    assert len(replies) <= LIMITS.quick_replies_max
    assert all(len(r["label"]) <= LIMITS.quick_reply_label_max_chars for r in replies)
    assert all(r["action"] == "message" and r["messageText"] for r in replies)


def test_refusal_conversation_with_verification_and_a_quick_reply(buyer, messenger_stack):
    buyer.says("취소 요청했는데 왜 거부된 거예요?")
    assert buyer.names == ["ask_order_id"]
    buyer.says("2026112500000004")
    assert buyer.names == ["ask_phone_last4"]
    buyer.says("1004")
    within_limits(buyer.response)
    assert buyer.elapsed < 5  # Open Builder's limit
    times = buyer.got("refusal_scanned_before")
    assert times["scanned_at"] == "11월 26일(목) 오전 9시 40분"
    assert times["requested_at"] == "11월 26일(목) 오전 10시 5분"
    assert buyer.button_intents == ["ask_must_accept", "ask_return", "ask_return_fee"]
    # A quick reply says its full title in the chat and carries the payload as extra.
    titles = [r["messageText"] for r in buyer.response["template"]["quickReplies"]]
    assert titles == buyer.buttons
    buyer.presses("/ask_must_accept")
    assert buyer.got("accept_buyer_pays") == {"fee_basis": label("fee_basis", "round_trip"),
                                              "fee": "7,000원"}
    tracker = requests.get(f"{messenger_stack.rasa_url}/conversations/{buyer.sender}/tracker",
                           timeout=30).json()
    assert tracker["sender_id"] == f"kakao:{buyer.user}"
    assert tracker["latest_message"]["metadata"] == {"client": {"channel": "kakao"}}


def test_a_pressed_title_without_extra_is_still_the_offered_intent(buyer):
    buyer.says("2026112500000007 반품 문의요")
    buyer.says("1007")
    buyer.says("배송비는 누가 내나요?")  # the quick reply's messageText, no clientExtra
    assert buyer.got("fee_buyer")["fee"] == "7,000원"


def test_handoff_is_the_masked_summary_within_limits(buyer):
    buyer.says("2026112500000004 취소가 왜 거부됐나요")
    buyer.says("1004")
    buyer.says("상담원 연결해 주세요")
    within_limits(buyer.response)
    assert "2026********0004" in buyer.got("handoff")["summary"]
    assert "2026112500000004" not in str(buyer.response)
    assert "handoff" not in buyer.response["template"]  # no raw custom payload leaks


def test_wrong_or_missing_bot_id_is_forbidden(buyer):
    assert buyer.request("안녕하세요", bot_id="someone-elses-bot").status_code == 403
    assert buyer.request("안녕하세요", bot_id="").status_code == 403
    body = {"userRequest": {"utterance": "안녕", "user": {"id": "x"}}}
    url = f"{buyer.stack.rasa_url}/webhooks/kakao/webhook"
    assert requests.post(url, json=body, timeout=10).status_code == 403


def test_odd_input_gets_a_polite_answer(buyer):
    buyer.says("")
    assert buyer.names == ["message_empty"]
    buyer.says("가" * 5000)
    assert buyer.names == ["message_too_long"]
    within_limits(buyer.response)
