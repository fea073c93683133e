"""TalkTalk contract: documented webhook events in, send API events out (to a fake
gw.talk.naver.com), against the real running stack (Fri 2026-11-27 10:00, fixture orders)."""

from __future__ import annotations

import itertools
import time

import pytest
import requests

from bot.channels.talktalk import greeting
from bot.messages import label
from tests.channels.conftest import TALKTALK_TOKEN
from tests.channels.messengers import TalkTalkBuyer

pytestmark = pytest.mark.slow
_users = itertools.count()


@pytest.fixture
def buyer(messenger_stack, fake_talktalk) -> TalkTalkBuyer:
    return TalkTalkBuyer(messenger_stack, fake_talktalk, f"tt-user-{next(_users)}_V-FQ")


def test_open_greets_and_every_send_carries_the_token(buyer, fake_talktalk):
    started = time.monotonic()
    assert buyer.post({"event": "open", "options": {
        "inflow": "button", "referer": "https://smartstore.naver.com/x/products/1",
        "friend": False, "under14": False, "under19": False}}) == 200
    assert time.monotonic() - started < 3  # answered at once, replies come separately
    buyer.wait()
    assert buyer.names == ["utter_greet"]
    assert buyer.buttons == [b["title"] for b in greeting()["buttons"]]
    # Titles over the quick button's 10 characters: a composite card keeps them.
    assert "compositeContent" in buyer.events[-1]
    assert {h["Authorization"] for h in fake_talktalk.headers} == {TALKTALK_TOKEN}


def test_back_from_the_chat_list_soon_after_is_not_greeted_twice(buyer):
    buyer.post({"event": "open", "options": {"inflow": "list"}})
    buyer.wait()
    assert buyer.names == ["utter_greet"]
    buyer.post({"event": "open", "options": {"inflow": "list"}})
    buyer.says("안녕하세요")  # events of one user are handled in order: the open came first
    assert buyer.names == ["utter_greet"] and len(buyer.events) == 1


def test_refusal_conversation_with_verification_and_a_button(buyer, messenger_stack):
    buyer.says("취소 요청했는데 왜 거부된 거예요?")
    assert buyer.names == ["ask_order_id"]
    buyer.says("2026112500000004")
    assert buyer.names == ["ask_phone_last4"]
    buyer.says("1004")
    assert buyer.got("verified")["order"] == "2026********0004"
    times = buyer.got("refusal_scanned_before")
    assert times["requested_at"] == "11월 26일(목) 오전 10시 5분"
    assert times["scanned_at"] == "11월 26일(목) 오전 9시 40분"
    assert times["sent_at"] == "11월 26일(목) 오후 4시 30분"
    assert buyer.button_intents == ["ask_must_accept", "ask_return", "ask_return_fee"]
    buyer.presses("/ask_must_accept")  # the button's code goes back, its title is shown
    assert buyer.got("accept_buyer_pays") == {"fee_basis": label("fee_basis", "round_trip"),
                                              "fee": "7,000원"}
    # One conversation per TalkTalk user, under a namespaced sender id.
    tracker = requests.get(f"{messenger_stack.rasa_url}/conversations/{buyer.sender}/tracker",
                           timeout=30).json()
    assert tracker["sender_id"] == buyer.sender == f"talktalk:{buyer.user}"
    assert tracker["latest_message"]["metadata"] == {"client": {"channel": "talktalk"}}
    assert tracker["slots"]["verified"] is True


def test_echo_action_friend_leave_and_unknown_events_are_never_answered(buyer):
    for event in ({"event": "echo", "echoedEvent": "send", "textContent": {"text": "안녕하세요"},
                   "options": {"sourceId": 1, "threadOwnerId": 1}},
                  {"event": "action", "options": {"action": "typingOn"}},
                  {"event": "friend", "options": {"set": "on"}},
                  {"event": "leave"},
                  {"event": "persistentMenu", "options": {}},
                  {"event": "pay_complete", "options": {"paymentResult": {"code": "Success"}}}):
        assert buyer.post(event) == 200
    buyer.says("반품비는 보통 누가 내요?")  # handled after all of them, in order
    assert "fee_general" in buyer.names
    assert not any("echo" in str(event) for event in buyer.events)
    assert len(buyer.last) == len(buyer.heard)


def test_handover_to_the_agent_standby_silence_and_pass_back(buyer):
    buyer.says("취소 요청했는데 왜 거부됐어요?")
    buyer.says("2026112500000004")
    buyer.says("1004")
    buyer.says("상담원 연결해 주세요")
    handoff = buyer.got("handoff")
    assert "2026********0004" in handoff["summary"]
    assert buyer.names[-2:] == ["handoff_talktalk", "handoff"]  # an agent answers here;
    # the masked summary is the last message ...
    assert buyer.events[-1] == {"event": "handover", "user": buyer.user,  # ... then passThread
                                "options": {"control": "passThread", "targetId": 1}}
    assert "2026112500000004" not in str(buyer.events)
    # The agent owns the thread: the buyer's messages arrive with standby and stay unanswered.
    assert buyer.sends("여보세요? 언제 답해 주세요?", standby=True) == 200
    assert buyer.sends("반품비 누가 내요", standby=True) == 200
    assert buyer.quiet(4) == []
    # The agent presses 상담 완료하기: the thread is passed back and the assistant answers.
    assert buyer.post({"event": "handover", "options": {
        "control": "passThread", "metadata": "{\"managerNickname\":\"상담원\",\"autoEnd\":false}"}}
    ) == 200
    buyer.says("반품비는 보통 누가 내요?")
    assert buyer.got("fee_buyer")["fee"] == "7,000원"  # the verified order is still known


def test_send_api_5xx_is_retried_in_order(buyer, fake_talktalk):
    fake_talktalk.fail_next(2, status=503)
    attempts = len(fake_talktalk.attempts)
    buyer.says("반품하고 싶은데 언제까지 돼요?")
    assert buyer.names == ["ask_order_id"]
    retried = fake_talktalk.attempts[attempts:]
    assert len(retried) == 3 and retried[0] == retried[1] == retried[2]  # same event, 3 times


def test_image_from_the_buyer_gets_a_polite_answer(buyer):
    buyer.post({"event": "send", "imageContent": {"imageUrl": "https://example.com/a.jpg"}})
    buyer.wait()
    assert buyer.names == ["message_empty"]


def test_malformed_events_are_refused(messenger_stack):
    url = f"{messenger_stack.rasa_url}/webhooks/talktalk/webhook"
    assert requests.post(url, json={"event": "send"}, timeout=10).status_code == 400
    assert requests.post(url, json=["x"], timeout=10).status_code == 400
    assert requests.get(url.rsplit("/", 1)[0] + "/", timeout=10).json() == {"status": "ok"}


def test_failed_checks_count_per_talktalk_user_not_per_gateway(messenger_stack, fake_talktalk):
    """Every TalkTalk call comes from Naver's gateway: the ledger counts a user's failures
    (stable id) and one user's lockout leaves the next user alone."""
    guesser = TalkTalkBuyer(messenger_stack, fake_talktalk, f"tt-guesser-{next(_users)}")
    guesser.says("제 주문 어디쯤 왔나요?")
    left = []
    for attempt in range(5):
        guesser.says(f"20261125999990{attempt:02d}")  # five unknown orders: no order lock
        guesser.says("0000")
        left.append(guesser.names)
    assert [names[0] for names in left[:4]] == ["verify_failed"] * 4
    assert "lookup_locked" in left[4]
    assert guesser.button_intents == ["request_human"]
    owner = TalkTalkBuyer(messenger_stack, fake_talktalk, f"tt-owner-{next(_users)}")
    owner.says("취소 요청했는데 왜 거부된 거예요?")
    owner.says("2026112500000005")
    owner.says("1005")
    assert owner.got("verified")["order"] == "2026********0005"
