"""Contract tests of the widget channel against a real `rasa run` (socket.io, no browser).

Most messages are intent payloads ("/greet", "/goodbye") so those tests hold for any
trained model that has the intents; the verification test uses the demo orders and the
same buyer texts as the browser tests.
"""

from __future__ import annotations

import re
import uuid

import pytest
import requests
import socketio

from bot.channels.guard import too_long_reply
from bot.settings import get_settings
from tests.support.stack import Stack
from tests.support.widget_client import WidgetClient

pytestmark = pytest.mark.slow

GREET = "/greet"
GOODBYE = "/goodbye"
# The shape of a server-issued id: 128 random bits, url-safe, then 128 bits of signature.
ISSUED_ID = re.compile(r"[A-Za-z0-9_-]{22}-[0-9a-f]{32}")


def user_events(stack: Stack, session_id: str) -> list[dict]:
    return [e for e in stack.tracker(session_id)["events"] if e["event"] == "user"]


def user_texts(stack: Stack, session_id: str) -> list[str]:
    return [e["text"] for e in user_events(stack, session_id)]


def texts(replies: list[dict]) -> str:
    return "\n".join(m.get("text") or "" for m in replies)


def forge(session_id: str) -> str:
    """The same id with one signature digit changed."""
    last = "0" if session_id[-1] != "0" else "1"
    return session_id[:-1] + last


# ---- session ids: issued and signed by the server ----


def test_new_sessions_get_distinct_server_issued_ids(widget_stack: Stack) -> None:
    with WidgetClient(widget_stack.rasa_url) as one, WidgetClient(widget_stack.rasa_url) as two:
        first = one.request_session(None)
        second = two.request_session(None)
        again = one.request_session(None)  # "새 대화": a new id, not the old one
    for issued in (first, second, again):
        assert ISSUED_ID.fullmatch(issued), issued
    assert len({first, second, again}) == 3


@pytest.mark.parametrize(
    "requested",
    [
        uuid.uuid4().hex,  # the old client-chosen ids
        "buyer_2026-11-27",
        "A" * 22 + "-" + "0" * 32,  # the right shape, a made-up signature
        "../not a session",
        12345678,
    ],
)
def test_an_id_the_server_did_not_issue_is_replaced(widget_stack: Stack, requested) -> None:
    with WidgetClient(widget_stack.rasa_url) as client:
        confirmed = client.request_session(requested)
    assert confirmed != requested
    assert ISSUED_ID.fullmatch(confirmed)


def test_a_forged_id_neither_joins_nor_writes_another_conversation(widget_stack: Stack) -> None:
    with (
        WidgetClient(widget_stack.rasa_url) as buyer,
        WidgetClient(widget_stack.rasa_url) as intruder,
    ):
        victim = buyer.request_session(None)
        assert buyer.ask(GREET)

        # Asking for the victim's conversation with a tampered signature gives a fresh one.
        forged = forge(victim)
        assert intruder.request_session(forged) not in (victim, forged)

        # Writing to it with the tampered id is refused: no reply, nothing stored.
        intruder.say(GOODBYE, session_id=forged)
        assert intruder.refusal() == {"reason": "invalid_session"}
        # An unsigned id (the old attack: pick any id) is refused the same way.
        intruder.say(GOODBYE, session_id=uuid.uuid4().hex)
        assert intruder.refusal() == {"reason": "invalid_session"}
        assert intruder.replies(timeout=3.0) == []

        # The buyer's next reply does not reach the intruder either.
        assert buyer.ask(GOODBYE)
        assert intruder.replies(timeout=3.0) == []

    assert user_texts(widget_stack, victim) == [GREET, GOODBYE]
    assert user_events(widget_stack, forged) == []


def test_message_without_session_id_is_refused(widget_stack: Stack) -> None:
    with WidgetClient(widget_stack.rasa_url) as client:
        client.request_session(None)
        client.say(GREET, session_id="")
        assert client.refusal() == {"reason": "invalid_session"}
        assert client.replies(timeout=3.0) == []


def test_bot_reply_reaches_a_persistent_session(widget_stack: Stack) -> None:
    """The RasaHQ/rasa#13027 bug: without an awaited enter_room this reply never arrives."""
    with WidgetClient(widget_stack.rasa_url) as client:
        session_id = client.request_session(None)
        replies = client.ask(GREET)

    assert replies, "no bot_uttered within the timeout"
    assert any(isinstance(m.get("text"), str) and m["text"].strip() for m in replies)
    events = user_events(widget_stack, session_id)
    assert [e["text"] for e in events] == [GREET]
    assert events[0]["input_channel"] == "widget"


def test_reconnecting_with_the_issued_id_continues_the_conversation(
    widget_stack: Stack,
) -> None:
    with WidgetClient(widget_stack.rasa_url) as first_tab:
        session_id = first_tab.request_session(None)
        assert first_tab.ask(GREET)

    with WidgetClient(widget_stack.rasa_url) as reloaded_tab:
        assert reloaded_tab.request_session(session_id) == session_id
        assert reloaded_tab.ask(GOODBYE), "no reply after reconnecting"

    assert user_texts(widget_stack, session_id) == [GREET, GOODBYE]


def test_replies_go_only_to_their_own_session(widget_stack: Stack) -> None:
    with WidgetClient(widget_stack.rasa_url) as alice, WidgetClient(widget_stack.rasa_url) as bob:
        alice.request_session(None)
        bob.request_session(None)
        assert alice.ask(GREET)
        assert bob.replies(timeout=3.0) == []


def test_two_tabs_of_one_session_both_see_the_reply(widget_stack: Stack) -> None:
    with WidgetClient(widget_stack.rasa_url) as tab1, WidgetClient(widget_stack.rasa_url) as tab2:
        session_id = tab1.request_session(None)
        assert tab2.request_session(session_id) == session_id
        assert tab1.ask(GREET)
        assert tab2.replies(timeout=10.0)


def test_a_new_conversation_forgets_the_verified_order(widget_stack: Stack) -> None:
    """The same follow-up question is answered in the verified conversation and asks for the
    order number again after "새 대화" (a null session request)."""
    with WidgetClient(widget_stack.rasa_url) as client:
        first = client.request_session(None)
        assert "16자리" in texts(client.ask("취소 요청했는데 왜 거부된 거예요?"))
        assert "끝 4자리" in texts(client.ask("2026 1125 0000 0004"))
        assert "오전 9시 40분" in texts(client.ask("1004"))  # verified: the order's own facts
        verified = texts(client.ask("/ask_must_accept"))
        assert "꼭 받아야 하는 건 아니에요" in verified and "16자리" not in verified

        second = client.request_session(None)  # what the widget's "새 대화" sends
        assert second != first
        fresh = texts(client.ask("/ask_must_accept"))
    assert "16자리" in fresh and "꼭 받아야 하는 건 아니에요" not in fresh
    assert user_texts(widget_stack, second) == ["/ask_must_accept"]
    assert widget_stack.tracker(second)["slots"]["order_id"] is None


# ---- what reaches Rasa ----


def test_client_metadata_does_not_reach_the_tracker(widget_stack: Stack) -> None:
    with WidgetClient(widget_stack.rasa_url) as client:
        session_id = client.request_session(None)
        client.say(
            GREET,
            metadata={"client": {"channel": "rest", "ip": "203.0.113.9"}, "verified": True},
        )
        assert client.replies()

    (event,) = user_events(widget_stack, session_id)
    # The server's own client facts, as stored (the tracker store keeps no IP address);
    # Rasa adds its model_id and assistant_id; nothing of the client's.
    metadata = event["metadata"]
    assert metadata["client"] == {"channel": "widget"}
    assert set(metadata) <= {"client", "model_id", "assistant_id"}


def failed_check(client: WidgetClient, order: str) -> str:
    """One failed ownership check in a new conversation; the bot's answer."""
    client.request_session(None)
    assert "16자리" in texts(client.ask("취소 요청했는데 왜 거부된 거예요?"))
    assert "끝 4자리" in texts(client.ask(order))
    return texts(client.ask("9999"))


def test_failures_are_counted_per_connecting_address(widget_stack: Stack) -> None:
    """The IP the actions count failures for is the socket's peer address: not the sanic
    driver's fixed REMOTE_ADDR (127.0.0.1), and not what the client claims."""
    spoof = {"client": {"channel": "widget", "ip": "203.0.113.9"}}
    url = widget_stack.rasa_url
    with WidgetClient(url, source_ip="127.0.0.2", metadata=spoof) as first:
        # The limits per order and per conversation are 5, per IP 3 (see conftest).
        assert "남은 시도 2번" in failed_check(first, "2026112500000001")
        assert "남은 시도 1번" in failed_check(first, "2026112500000002")
    with WidgetClient(url, source_ip="127.0.0.3", metadata=spoof) as other:
        assert "남은 시도 2번" in failed_check(other, "2026112500000003")


def test_an_over_long_message_is_answered_politely_and_not_stored(widget_stack: Stack) -> None:
    limit = get_settings().security.max_message_chars
    with WidgetClient(widget_stack.rasa_url) as client:
        session_id = client.request_session(None)
        replies = client.ask("배송" * limit)  # twice the limit, in Korean
        assert [m.get("text") for m in replies] == [too_long_reply()]
        assert client.ask(GREET)  # the conversation goes on
    assert user_texts(widget_stack, session_id) == [GREET]


def test_a_packet_over_the_request_size_cap_drops_the_connection(widget_stack: Stack) -> None:
    cap = get_settings().security.max_request_bytes
    with WidgetClient(widget_stack.rasa_url) as client:
        session_id = client.request_session(None)
        client.say("a" * (cap + 1))
        assert client.wait_disconnected(), "the server kept the connection"
    assert user_events(widget_stack, session_id) == []


# ---- origins (this stack has no extra widget_allowed_origins: same origin only) ----


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_a_foreign_origin_is_refused(widget_stack: Stack, transport: str) -> None:
    client = WidgetClient(widget_stack.rasa_url, origin="https://evil.example", transport=transport)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect()
    client.close()


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_the_same_origin_is_accepted(widget_stack: Stack, transport: str) -> None:
    with WidgetClient(
        widget_stack.rasa_url, origin=widget_stack.rasa_url, transport=transport
    ) as client:
        assert ISSUED_ID.fullmatch(client.request_session(None))


def test_the_same_origin_behind_a_tls_proxy_is_accepted(widget_stack: Stack) -> None:
    """A proxy that passes Host and sets X-Forwarded-Proto: the page's https origin passes."""
    host = widget_stack.rasa_url.split("://", 1)[1]
    handshake = requests.get(
        f"{widget_stack.rasa_url}/socket.io/",
        params={"EIO": "4", "transport": "polling"},
        headers={"Origin": f"https://{host}", "X-Forwarded-Proto": "https"},
        timeout=10,
    )
    refused = requests.get(
        f"{widget_stack.rasa_url}/socket.io/",
        params={"EIO": "4", "transport": "polling"},
        headers={"Origin": f"https://{host}"},  # no proxy header: http != https
        timeout=10,
    )
    assert handshake.status_code == 200 and '"sid"' in handshake.text
    assert refused.status_code == 400


# ---- the page ----


def test_widget_page_is_served_from_the_rasa_origin(widget_stack: Stack) -> None:
    page = requests.get(widget_stack.widget_url, timeout=10)
    assert page.status_code == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert '<html lang="ko">' in page.text
    assert 'src="static/widget.js"' in page.text
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]

    bare = requests.get(widget_stack.widget_url.rstrip("/"), timeout=10, allow_redirects=False)
    assert bare.status_code in (301, 302, 307, 308)
    assert bare.headers["Location"].endswith("/webhooks/widget/")


@pytest.mark.parametrize(
    "path, content_type, marker",
    [
        ("widget.js", "text/javascript; charset=utf-8", "session_request"),
        ("widget.css", "text/css; charset=utf-8", ".ssw-root"),
        ("demo.css", "text/css; charset=utf-8", ".demo"),
        ("vendor/socket.io.min.js", "text/javascript; charset=utf-8", "Socket.IO v4"),
    ],
)
def test_static_assets_have_their_content_types(
    widget_stack: Stack, path: str, content_type: str, marker: str
) -> None:
    reply = requests.get(f"{widget_stack.widget_url}static/{path}", timeout=10)
    assert reply.status_code == 200
    assert reply.headers["Content-Type"] == content_type
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert marker in reply.text


@pytest.mark.parametrize(
    "path", ["../channels/widget.py", "%2e%2e/channels/widget.py", "nope.js", "vendor"]
)
def test_static_route_serves_nothing_else(widget_stack: Stack, path: str) -> None:
    reply = requests.get(f"{widget_stack.widget_url}static/{path}", timeout=10)
    assert reply.status_code == 404
