"""Unit tests of the widget channel's message shapes and session ids (no server)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.channels.widget import WidgetOutput, static_file, valid_session_id


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


@pytest.mark.parametrize(
    "value, ok",
    [
        ("0f8fad5bd9cb469fa16570867728950e", True),
        ("buyer_2026-11", True),
        ("short", False),
        ("../../etc/passwd", False),
        ("has space in it", False),
        ("x" * 65, False),
        (None, False),
        (12345678, False),
    ],
)
def test_session_id_validation(value: Any, ok: bool) -> None:
    assert valid_session_id(value) is ok


def test_static_files_stay_inside_the_web_folder() -> None:
    assert static_file("widget.js") is not None
    assert static_file("vendor/socket.io.min.js") is not None
    assert static_file("../channels/widget.py") is None
    assert static_file("/etc/passwd") is None
    assert static_file("vendor/VERSIONS.txt") is not None  # .txt is a served type
    assert static_file("missing.js") is None
