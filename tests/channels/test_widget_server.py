"""Contract tests of the widget channel against a real `rasa run` (socket.io, no browser).

The messages are intent payloads ("/greet", "/goodbye") so the tests hold for any
trained model that has those intents.
"""

from __future__ import annotations

import uuid

import pytest
import requests

from tests.support.stack import Stack
from tests.support.widget_client import WidgetClient

pytestmark = pytest.mark.slow

GREET = "/greet"
GOODBYE = "/goodbye"


def user_texts(stack: Stack, session_id: str) -> list[str]:
    return [e["text"] for e in stack.tracker(session_id)["events"] if e["event"] == "user"]


def test_session_request_confirms_the_requested_id(widget_stack: Stack) -> None:
    wanted = uuid.uuid4().hex
    with WidgetClient(widget_stack.rasa_url) as client:
        assert client.request_session(wanted) == wanted


def test_invalid_or_missing_session_id_gets_a_fresh_one(widget_stack: Stack) -> None:
    with WidgetClient(widget_stack.rasa_url) as client:
        fresh = client.request_session(None)
        replaced = client.request_session("../not a session")
    assert len(fresh) == 32 and int(fresh, 16) >= 0
    assert replaced != "../not a session" and len(replaced) == 32


def test_bot_reply_reaches_a_persistent_session(widget_stack: Stack) -> None:
    """The RasaHQ/rasa#13027 bug: without an awaited enter_room this reply never arrives."""
    with WidgetClient(widget_stack.rasa_url) as client:
        session_id = client.request_session(uuid.uuid4().hex)
        replies = client.ask(GREET)

    assert replies, "no bot_uttered within the timeout"
    assert any(isinstance(m.get("text"), str) and m["text"].strip() for m in replies)
    tracker = widget_stack.tracker(session_id)
    user_events = [e for e in tracker["events"] if e["event"] == "user"]
    assert [e["text"] for e in user_events] == [GREET]
    assert user_events[0]["input_channel"] == "widget"


def test_reconnecting_with_the_same_session_continues_the_conversation(
    widget_stack: Stack,
) -> None:
    session_id = uuid.uuid4().hex
    with WidgetClient(widget_stack.rasa_url) as first_tab:
        first_tab.request_session(session_id)
        assert first_tab.ask(GREET)

    with WidgetClient(widget_stack.rasa_url) as reloaded_tab:
        assert reloaded_tab.request_session(session_id) == session_id
        assert reloaded_tab.ask(GOODBYE), "no reply after reconnecting"

    assert user_texts(widget_stack, session_id) == [GREET, GOODBYE]


def test_replies_go_only_to_their_own_session(widget_stack: Stack) -> None:
    with WidgetClient(widget_stack.rasa_url) as alice, WidgetClient(widget_stack.rasa_url) as bob:
        alice.request_session(uuid.uuid4().hex)
        bob.request_session(uuid.uuid4().hex)
        assert alice.ask(GREET)
        assert bob.replies(timeout=3.0) == []


def test_two_tabs_of_one_session_both_see_the_reply(widget_stack: Stack) -> None:
    session_id = uuid.uuid4().hex
    with WidgetClient(widget_stack.rasa_url) as tab1, WidgetClient(widget_stack.rasa_url) as tab2:
        tab1.request_session(session_id)
        tab2.request_session(session_id)
        assert tab1.ask(GREET)
        assert tab2.replies(timeout=10.0)


def test_message_without_session_id_is_ignored(widget_stack: Stack) -> None:
    with WidgetClient(widget_stack.rasa_url) as client:
        client.request_session(uuid.uuid4().hex)
        client.say(GREET, session_id="")
        assert client.replies(timeout=3.0) == []


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
