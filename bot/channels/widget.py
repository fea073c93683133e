"""Socket.io input channel for the web chat widget.

Configured in credentials.yml as ``bot.channels.widget.WidgetInput:``. Compared with
Rasa's stock ``socketio`` channel it

* awaits ``enter_room`` (a coroutine in python-socketio 5; Rasa 3.6 forgets the
  ``await``, so with ``session_persistence`` the socket never joins its session room and
  every bot reply is lost: RasaHQ/rasa#13027);
* serves the widget page and its static files under ``/webhooks/widget/`` so the page,
  the scripts and the socket.io endpoint share one origin and need no CORS setup;
* emits custom payloads without crashing when a response's ``custom`` lacks ``data``;
* issues the session ids itself, signed (see `new_session_id`): a session id is the
  conversation's sender id, so a client that could pick one could read or write another
  buyer's conversation. Messages for unsigned ids are refused;
* checks the ``Origin`` of socket.io connections against
  ``security.widget_allowed_origins`` (empty: same origin only);
* passes Rasa only server-side facts as metadata (`client_metadata`), never the client's,
  and answers over-long messages without analysing or storing them (`guarded`).

Bot messages keep the stock socket.io shape: ``{"text": ...}``, buttons as
``{"text": ..., "quick_replies": [{"title", "payload"}]}``, and a ``custom: {data: X}``
response arrives as ``X`` itself.
"""

from __future__ import annotations

import logging
import mimetypes
import re
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import UserMessage, decode_bearer_token
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot.channels.guard import cap_request_size, client_metadata, guarded
from bot.channels.guard import client_ip as request_ip
from bot.security.keys import keyed_hash, same
from bot.settings import get_settings

logger = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parent.parent / "web"

# Session ids become tracker sender ids and socket.io room names: keep them boring.
# "<22 url-safe characters: 128 random bits>-<32 hex digits: 128 bits of HMAC-SHA256>".
SESSION_ID_PATTERN = re.compile(r"(?P<nonce>[A-Za-z0-9_-]{22})-(?P<signature>[0-9a-f]{32})")
SESSION_KEY_PURPOSE = "widget-session"

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


def _session_signature(nonce: str) -> str:
    return keyed_hash(SESSION_KEY_PURPOSE, nonce)[:32]


def new_session_id() -> str:
    """A fresh conversation id that only this server (or one sharing its key) can make."""
    nonce = secrets.token_urlsafe(16)  # 16 bytes -> exactly 22 characters, no padding
    return f"{nonce}-{_session_signature(nonce)}"


def valid_session_id(value: Any) -> bool:
    """True only for an id made by `new_session_id` with our key (constant-time check)."""
    if not isinstance(value, str):
        return False
    match = SESSION_ID_PATTERN.fullmatch(value)
    if match is None:
        return False
    return same(match["signature"], _session_signature(match["nonce"]))


def same_origins(environ: dict[str, Any]) -> list[str]:
    """The origins python-engineio calls "same origin" for a request (its check with
    cors_allowed_origins=None, engineio.base_server._cors_allowed_origins): the request's
    scheme and Host, plus X-Forwarded-Proto / X-Forwarded-Host when a reverse proxy sets
    them. With the sanic driver the scheme is X-Forwarded-Proto or "http"."""
    scheme = environ.get("wsgi.url_scheme")
    host = environ.get("HTTP_HOST")
    if not scheme or not host:
        return []
    origins = [f"{scheme}://{host}"]
    if "HTTP_X_FORWARDED_PROTO" in environ or "HTTP_X_FORWARDED_HOST" in environ:
        proto = environ.get("HTTP_X_FORWARDED_PROTO", scheme).split(",")[0].strip()
        forwarded_host = environ.get("HTTP_X_FORWARDED_HOST", host).split(",")[0].strip()
        origins.append(f"{proto}://{forwarded_host}")
    return origins


def origin_check(allowed: tuple[str, ...]) -> Callable[[str, dict], bool] | None:
    """The socket.io server's `cors_allowed_origins` for the configured origins.

    None (nothing configured) is python-engineio's own same-origin check. Configured
    origins come on top of the same origin, so the page Rasa serves itself at
    /webhooks/widget/ keeps working when a shop's site is added.
    """
    if not allowed:
        return None
    listed = frozenset(origin.rstrip("/") for origin in allowed)

    def is_allowed(origin: str | None, environ: dict[str, Any]) -> bool:
        return bool(origin) and (origin in listed or origin in same_origins(environ))

    return is_allowed


def client_ip(environ: dict[str, Any]) -> str | None:
    """The connecting client's address. The sanic driver of python-engineio writes a fixed
    REMOTE_ADDR of 127.0.0.1, so ask the sanic request (remote_addr is set only when sanic
    is configured to trust a proxy's forwarding headers)."""
    request = environ.get("sanic.request")
    if request is None:
        return None
    return request_ip(request) or None


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
        security = get_settings().security
        sio = AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=origin_check(security.widget_allowed_origins),
            # A bigger socket.io packet closes the connection before any handler runs.
            max_http_buffer_size=security.max_request_bytes,
        )
        bp = SocketBlueprint(sio, self.socketio_path, "widget_webhook", __name__)
        self.sio = sio
        namespace = self.namespace
        handle_user_message = guarded(on_new_message)

        self._add_page_routes(bp)
        cap_request_size(bp)

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
            if self.jwt_key:
                token = (auth or {}).get("token")
                if not (token and decode_bearer_token(token, self.jwt_key, self.jwt_algorithm)):
                    return False
            # Remember the address now: later events carry no HTTP request.
            await sio.save_session(sid, {"ip": client_ip(environ)}, namespace=namespace)
            return True

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: str, data: Any) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            # Rejoin only an id we issued; anything else (none, expired key, forged, or
            # someone else's guess) starts a new conversation under a new id.
            session_id = requested if valid_session_id(requested) else new_session_id()
            if self.session_persistence:
                await join_session(sid, session_id)
            await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: str, data: Any) -> None:
            if not isinstance(data, dict):
                return
            text = data.get("message", "")
            if not isinstance(text, str):
                return
            if self.session_persistence:
                session_id = data.get("session_id")
                if not valid_session_id(session_id):
                    # The text is the buyer's and may hold personal data: never log it.
                    logger.warning("Widget message refused: session id not issued by us.")
                    await sio.emit(
                        "session_refused",
                        {"reason": "invalid_session"},
                        room=sid,
                        namespace=namespace,
                    )
                    return
                # A message can overtake a lost session_request after a reconnect;
                # joining here makes sure the reply reaches this socket.
                await join_session(sid, session_id)
                sender_id = session_id
            else:
                sender_id = sid

            session = await sio.get_session(sid, namespace=namespace)
            await handle_user_message(
                UserMessage(
                    text,
                    WidgetOutput(sio, self.bot_message_evt),
                    sender_id,
                    input_channel=self.name(),
                    # Only facts the server knows; the client's `metadata` is ignored.
                    metadata=client_metadata(self.name(), session.get("ip")),
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
