"""An outsider's view over real HTTP: guessing, commands, forged calls, digits and storage.

A stack of its own: these tests lock orders on purpose, and locks outlive conversations.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator

import pytest
import requests

from tests.support.buyer import Buyer
from tests.support.clock import FIXED_NOW_TEXT as NOW
from tests.support.messages import Heard, heard
from tests.support.paths import FIXTURE_ORDERS
from tests.support.stack import Stack, find_model, running_stack

pytestmark = pytest.mark.slow
_senders = itertools.count()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(
        tmp_path_factory.mktemp("security-stack"), find_model(), orders_file=FIXTURE_ORDERS,
        now=NOW,
    ) as running:
        yield running


def buyer(stack: Stack) -> Buyer:
    return Buyer(stack, f"security-{next(_senders)}")


def user_events(stack: Stack, sender: str) -> list[dict]:
    return [e for e in stack.tracker(sender)["events"] if e["event"] == "user"]


def guess(stack: Stack, order: str, digits: str) -> list[str]:
    """A fresh conversation: a question, then the order number and digits in one message;
    the names of the messages that answered it."""
    outsider = buyer(stack)
    outsider.says("배송 상태 알려주세요")
    outsider.says(f"{order} {digits}")
    return outsider.names


def test_rotating_sender_ids_against_one_order_are_locked_out(stack):
    answers = [guess(stack, "2026112500000012", f"{n:04d}") for n in range(50)]
    assert all("verify_failed" in a for a in answers[:4])
    assert all("lookup_locked" in a for a in answers[4:])
    # The owner, in a brand-new conversation, is locked out too, and offered a person.
    owner = buyer(stack)
    owner.verifies("2026112500000012", "1012")
    assert "lookup_locked" in owner.names
    assert "request_human" in owner.button_intents
    # Other orders are unaffected.
    assert "수건 세트" not in owner.says("2026112500000013 1013")


def test_typed_commands_are_plain_text_and_a_restart_opens_nothing(stack):
    guesser = buyer(stack)
    guesser.says("배송 상태 알려주세요")
    for guess in ("1111", "2222", "3333", "4444", "5555"):
        guesser.verifies("2026112500000011", guess)
    guesser.says("배송 상태 알려주세요")
    assert "lookup_locked" in guesser.names
    for command in ("/restart", "/session_start", "/back"):
        guesser.says(command)
    intents = {e["parse_data"]["intent"]["name"] for e in user_events(stack, guesser.sender)}
    assert not intents & {"restart", "session_start", "back"}
    events = [e["event"] for e in stack.tracker(guesser.sender)["events"]]
    assert "restart" not in events and events.count("session_started") == 1
    guesser.verifies("2026112500000010", "1010")
    assert "lookup_locked" in guesser.names


def test_a_command_with_entities_is_not_taken_as_given(stack):
    someone = buyer(stack)
    someone.says('/provide_order_id{"order_id":"2026112500000007","phone_last4":"1007"}')
    (event,) = user_events(stack, someone.sender)
    extractors = {e.get("extractor") for e in event["parse_data"]["entities"]}
    assert "RegexMessageHandler" not in extractors
    assert event["parse_data"]["intent"]["name"] != "provide_order_id" or extractors


def test_a_button_payload_still_works(stack):
    someone = buyer(stack)
    someone.says("/ask_order_status")
    assert someone.names == ["ask_order_id"]
    (event,) = user_events(stack, someone.sender)
    assert event["parse_data"]["intent"]["name"] == "ask_order_status"


def test_the_action_server_refuses_calls_without_the_token(stack):
    forged = {"next_action": "action_explain_status", "sender_id": "x", "version": "3.6.2",
              "tracker": {"sender_id": "x", "slots": {"verified": True}, "events": [],
                          "latest_message": {}}, "domain": {}}
    reply = requests.post(f"{stack.actions_url}/webhook", json=forged, timeout=30)
    assert reply.status_code == 401


def test_full_width_digits_verify_like_ascii_and_fail_like_them(stack):
    owner = buyer(stack)
    owner.says("배송 어디쯤이에요?")
    owner.verifies("２０２６１１２５００００００05", "１００５")
    assert owner.got("verified")["product"] == "겨울 패딩"
    wrong = buyer(stack)
    wrong.says("배송 어디쯤이에요?")
    wrong.verifies("2026112500000005", "９９９９")
    reference = buyer(stack)
    reference.says("배송 어디쯤이에요?")
    reference.verifies("2026112500000005", "0000")
    assert wrong.names == reference.names and "verify_failed" in wrong.names
    assert "verified" not in wrong.names


def test_the_conversation_store_holds_no_typed_digits(stack):
    owner = buyer(stack)
    owner.says("반품하고 싶어요")
    owner.says("2026112500000007")
    owner.says("폰 끝자리는 1007이에요")
    assert owner.got("verified")["product"] == "니트 가디건"
    database = stack.workdir / "tracker.db"
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT data FROM events WHERE sender_id = ?",
                                  (owner.sender,)).fetchall()
    stored = "\n".join(row[0] for row in rows)
    assert "2026112500000007" in stored  # the conversation is there ...
    assert "1007" not in stored  # ... without the digits, in any event or slot
    assert "****" in stored


def test_client_metadata_comes_from_the_server(stack):
    sender = f"security-{next(_senders)}"
    stack.rest(sender, "안녕하세요", metadata={"client": {"ip": "198.51.100.1"}, "evil": 1})
    (event,) = user_events(stack, sender)
    assert event["metadata"]["client"] == {"channel": "rest"}  # the real IP is not stored either
    assert "evil" not in event["metadata"]


def test_an_over_long_message_is_answered_without_being_stored(stack):
    sender = f"security-{next(_senders)}"
    replies = stack.rest(sender, "반품 " * 1500)  # 4,500 characters
    assert heard(replies) == [Heard("message_too_long", {"max_chars": "2,000"})]
    assert user_events(stack, sender) == []
    again = Buyer(stack, sender)
    again.says("제 주문 어디쯤 왔어요?")
    assert again.names == ["ask_order_id"]  # nothing lost


def test_request_bodies_over_the_cap_are_refused(stack):
    body = {"sender": "big", "message": "가" * 100_000}  # about 300 KB of JSON
    reply = requests.post(f"{stack.rasa_url}/webhooks/rest/webhook", json=body, timeout=30)
    assert reply.status_code == 413
