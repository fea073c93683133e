"""Unit tests of the widget channel's message shapes, session ids and origins (no server)."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from engineio.base_server import BaseServer

from bot.channels.widget import (
    WEB_DIR,
    WidgetOutput,
    new_session_id,
    origin_check,
    same_origins,
    static_file,
    valid_session_id,
)
from bot.security import keys
from bot.settings import get_settings


class RecordingServer:
    def __init__(self) -> None:
        self.emitted: list[tuple[str, Any, dict[str, Any]]] = []

    async def emit(self, event: str, data: Any = None, **kwargs: Any) -> None:
        self.emitted.append((event, data, kwargs))


def run(coroutine: Any) -> None:
    asyncio.run(coroutine)


def test_buttons_go_out_as_quick_replies_on_the_last_part() -> None:
    server = RecordingServer()
    output = WidgetOutput(server, "bot_uttered")  # type: ignore[arg-type]
    buttons = [{"title": "배송 문의", "payload": "/ask_order_status"}]

    run(output.send_text_with_buttons("session-1", "첫 줄\n\n둘째 줄", buttons))

    assert [data for _, data, _ in server.emitted] == [
        {"text": "첫 줄", "quick_replies": []},
        {
            "text": "둘째 줄",
            "quick_replies": [
                {"content_type": "text", "title": "배송 문의", "payload": "/ask_order_status"}
            ],
        },
    ]
    assert all(kwargs["room"] == "session-1" for _, _, kwargs in server.emitted)


def test_custom_data_is_emitted_as_the_payload() -> None:
    server = RecordingServer()
    output = WidgetOutput(server, "bot_uttered")  # type: ignore[arg-type]

    run(output.send_custom_json("session-1", {"data": {"text": "안내", "kind": "handoff"}}))

    assert server.emitted == [
        ("bot_uttered", {"text": "안내", "kind": "handoff"}, {"room": "session-1"})
    ]


def test_custom_without_data_does_not_crash() -> None:
    server = RecordingServer()
    output = WidgetOutput(server, "bot_uttered")  # type: ignore[arg-type]

    run(output.send_custom_json("session-1", {"text": "그대로"}))

    assert server.emitted == [("bot_uttered", {"text": "그대로"}, {"room": "session-1"})]


def test_issued_session_ids_are_boring_distinct_and_valid() -> None:
    ids = {new_session_id() for _ in range(100)}
    assert len(ids) == 100
    for session_id in ids:
        assert re.fullmatch(r"[A-Za-z0-9_-]{22}-[0-9a-f]{32}", session_id)
        assert valid_session_id(session_id)


def test_any_change_to_an_issued_id_makes_it_invalid() -> None:
    session_id = new_session_id()
    nonce, signature = session_id[:22], session_id[23:]
    other_nonce = ("B" if nonce[0] != "B" else "C") + nonce[1:]
    other_signature = ("0" if signature[0] != "0" else "1") + signature[1:]
    assert not valid_session_id(f"{other_nonce}-{signature}")
    assert not valid_session_id(f"{nonce}-{other_signature}")
    assert not valid_session_id(f"{nonce}-{signature.upper()}")
    assert not valid_session_id(session_id + "0")
    assert not valid_session_id(session_id[:-1])


def test_ids_signed_with_another_key_are_invalid(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_SECRET_KEY", "a" * 40)
    keys.master_key.cache_clear()
    try:
        from_other_server = new_session_id()
        assert valid_session_id(from_other_server)
        monkeypatch.setenv("BOT_SECRET_KEY", "b" * 40)
        keys.master_key.cache_clear()
        assert not valid_session_id(from_other_server)
    finally:
        monkeypatch.undo()
        keys.master_key.cache_clear()


@pytest.mark.parametrize(
    "value",
    [
        "0f8fad5bd9cb469fa16570867728950e",  # a client-chosen id of the old widget
        "buyer_2026-11",
        "../../etc/passwd",
        "",
        None,
        12345678,
        ["x"],
    ],
)
def test_values_that_were_never_issued_are_invalid(value: Any) -> None:
    assert valid_session_id(value) is False


def test_static_files_stay_inside_the_web_folder() -> None:
    assert static_file("widget.js") is not None
    assert static_file("vendor/socket.io.min.js") is not None
    assert static_file("../channels/widget.py") is None
    assert static_file("/etc/passwd") is None
    assert static_file("vendor/VERSIONS.txt") is not None  # .txt is a served type
    assert static_file("missing.js") is None


ENVIRONS = [
    {"wsgi.url_scheme": "http", "HTTP_HOST": "127.0.0.1:5005"},
    # A TLS proxy that keeps Host and says https.
    {"wsgi.url_scheme": "https", "HTTP_HOST": "chat.example", "HTTP_X_FORWARDED_PROTO": "https"},
    # A proxy that rewrites Host and passes the public host on.
    {
        "wsgi.url_scheme": "https",
        "HTTP_HOST": "127.0.0.1:5005",
        "HTTP_X_FORWARDED_PROTO": "https, http",
        "HTTP_X_FORWARDED_HOST": "chat.example, inner",
    },
    {"wsgi.url_scheme": "http"},  # no Host: nothing is "same origin"
]


@pytest.mark.parametrize("environ", ENVIRONS)
def test_same_origins_are_what_engineio_itself_calls_same_origin(environ: dict) -> None:
    engineio_default = BaseServer(cors_allowed_origins=None)
    assert same_origins(environ) == engineio_default._cors_allowed_origins(environ)


def test_configured_origins_come_on_top_of_the_same_origin() -> None:
    assert origin_check(()) is None  # engineio's own same-origin check

    check = origin_check(("https://shop.example", "https://www.shop.example/"))
    assert check is not None
    environ = {"wsgi.url_scheme": "http", "HTTP_HOST": "127.0.0.1:5005"}
    assert check("https://shop.example", environ)
    assert check("https://www.shop.example", environ)  # listed with a trailing slash
    assert check("http://127.0.0.1:5005", environ)  # the page Rasa serves itself
    assert not check("https://evil.example", environ)
    assert not check("http://shop.example", environ)  # another scheme is another origin
    assert not check(None, environ)  # type: ignore[arg-type]


def test_the_widget_caps_messages_at_the_server_limit() -> None:
    source = (WEB_DIR / "widget.js").read_text(encoding="utf-8")
    (value,) = re.findall(r"var MAX_MESSAGE_CHARS = (\d+);", source)
    limit = get_settings().security.max_message_chars
    assert int(value) == limit
    assert f"{limit:,}자" in source  # the note the buyer reads names the same number
