"""Socket.io input channel for the web chat widget.

Configured in credentials.yml as ``bot.channels.widget.WidgetInput:``. Compared with
Rasa's stock ``socketio`` channel it

* awaits ``enter_room`` (a coroutine in python-socketio 5; Rasa 3.6 forgets the
  ``await``, so with ``session_persistence`` the socket never joins its session room and
  every bot reply is lost: RasaHQ/rasa#13027);
* serves the widget page and its static files under ``/webhooks/widget/`` so the page,
  the scripts and the socket.io endpoint share one origin and need no CORS setup;
* emits custom payloads without crashing when a response's ``custom`` lacks ``data``.

Bot messages keep the stock socket.io shape: ``{"text": ...}``, buttons as
``{"text": ..., "quick_replies": [{"title", "payload"}]}``, and a ``custom: {data: X}``
response arrives as ``X`` itself.
"""

from __future__ import annotations

import json
import logging
import mimetypes
import re
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import UserMessage, decode_bearer_token
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

logger = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parent.parent / "web"

# Session ids become tracker sender ids and socket.io room names: keep them boring.
SESSION_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{8,64}")

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
}

# The demo page loads only same-origin files; a tight policy also backs up the
# widget's rule of never putting buyer or bot text into innerHTML.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
)


def valid_session_id(value: Any) -> bool:
    return isinstance(value, str) and SESSION_ID_PATTERN.fullmatch(value) is not None


def static_file(relative: str) -> Path | None:
    """Resolve a path below WEB_DIR, or None if it escapes it or is not a served type."""
    candidate = (WEB_DIR / relative).resolve()
    if not candidate.is_relative_to(WEB_DIR) or not candidate.is_file():
        return None
    if candidate.suffix not in CONTENT_TYPES:
        return None
    return candidate


async def file_response(path: Path, extra_headers: dict[str, str] | None = None) -> HTTPResponse:
    content_type = CONTENT_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0]
    headers = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
    headers.update(extra_headers or {})
    return response.raw(path.read_bytes(), content_type=content_type, headers=headers)


class WidgetOutput(SocketIOOutput):
    @classmethod
    def name(cls) -> str:
        return "widget"

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        # Rasa passes the dict as keyword arguments to sio.emit, which only works for
        # exactly {"data": ...}; emit the data (or the whole dict) as the payload instead.
        payload = json_message.get("data", json_message)
        await self._send_message(recipient_id, payload)


class WidgetInput(SocketIOInput):
    """socket.io channel for the web widget, mounted at /webhooks/widget/."""

    @classmethod
    def name(cls) -> str:
        return "widget"

    def get_output_channel(self) -> WidgetOutput | None:
        if self.sio is None:
            return None
        return WidgetOutput(self.sio, self.bot_message_evt)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # cors_allowed_origins=[] leaves CORS to Sanic (`rasa run --cors`), as Rasa does.
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[])
        bp = SocketBlueprint(sio, self.socketio_path, "widget_webhook", __name__)
        self.sio = sio
        namespace = self.namespace

        self._add_page_routes(bp)

        async def join_session(sid: str, session_id: str) -> None:
            rooms = sio.rooms(sid, namespace=namespace)
            if session_id in rooms:
                return
            # One socket follows one conversation: leave any earlier session room.
            for room in rooms:
                if room != sid:
                    await sio.leave_room(sid, room, namespace=namespace)
            await sio.enter_room(sid, session_id, namespace=namespace)  # the #13027 fix

        @sio.on("connect", namespace=namespace)
        async def connect(sid: str, environ: dict, auth: dict | None) -> bool:
            if not self.jwt_key:
                return True
            token = (auth or {}).get("token")
            return bool(token and decode_bearer_token(token, self.jwt_key, self.jwt_algorithm))

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: str, data: Any) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = requested if valid_session_id(requested) else uuid.uuid4().hex
            if self.session_persistence:
                await join_session(sid, session_id)
            await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: str, data: Any) -> None:
            if not isinstance(data, dict):
                return
            if self.session_persistence:
                session_id = data.get("session_id")
                if not valid_session_id(session_id):
                    logger.warning("Widget message without a valid session_id ignored.")
                    return
                # A message can overtake a lost session_request after a reconnect;
                # joining here makes sure the reply reaches this socket.
                await join_session(sid, session_id)
                sender_id = session_id
            else:
                sender_id = sid

            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                metadata = json.loads(metadata)
            text = data.get("message", "")
            if not isinstance(text, str):
                return
            await on_new_message(
                UserMessage(
                    text,
                    WidgetOutput(sio, self.bot_message_evt),
                    sender_id,
                    input_channel=self.name(),
                    metadata=metadata,
                )
            )

        return bp

    @staticmethod
    def _add_page_routes(bp: Blueprint) -> None:
        @bp.route("/health", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @bp.route("/", methods=["GET"])
        async def page(request: Request) -> HTTPResponse:
            # Relative asset URLs in index.html need the trailing slash.
            if not request.path.endswith("/"):
                return response.redirect(request.path + "/")
            return await file_response(
                WEB_DIR / "index.html", {"Content-Security-Policy": PAGE_CSP}
            )

        @bp.route("/static/<relative:path>", methods=["GET"])
        async def static(_: Request, relative: str) -> HTTPResponse:
            path = static_file(relative)
            if path is None:
                return response.text("not found", status=404)
            return await file_response(path)
