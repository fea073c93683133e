"""A socket.io test client that speaks the widget's protocol (no browser)."""

from __future__ import annotations

import queue
import socket
import time
from typing import Any
from urllib.parse import urlsplit

import socketio

CONNECT_TIMEOUT = 15.0
CONFIRM_TIMEOUT = 15.0


class WidgetClient:
    """One browser tab's worth of socket.io: session_request, user_uttered, bot_uttered.

    origin: the Origin header to send (default: the server's own origin, as the
    websocket-client library does by itself; a browser on the widget page does the same).
    transport: "websocket" or "polling".
    source_ip: connect from this local address (e.g. 127.0.0.2), websocket only, so the
    server sees a client address other than the sanic driver's fixed REMOTE_ADDR.
    metadata: a `metadata` field sent with every message (what a client could claim).
    """

    def __init__(
        self,
        server_url: str,
        socketio_path: str = "/socket.io",
        origin: str | None = None,
        transport: str = "websocket",
        source_ip: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        self.server_url = server_url
        self.socketio_path = socketio_path
        self.origin = origin
        self.transport = transport
        self.source_ip = source_ip
        self.metadata = metadata
        self.session_id: str | None = None
        self.bot_messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.refusals: queue.Queue[Any] = queue.Queue()
        self._confirms: queue.Queue[Any] = queue.Queue()
        self._raw_socket: socket.socket | None = None
        self.sio = socketio.Client(
            reconnection=False, websocket_extra_options=self._websocket_options()
        )
        self.sio.on("bot_uttered", self.bot_messages.put)
        self.sio.on("session_confirm", self._confirms.put)
        self.sio.on("session_refused", self.refusals.put)

    def _websocket_options(self) -> dict[str, Any]:
        options: dict[str, Any] = {}
        if self.origin is not None:
            # websocket-client sends its own Origin unless given this option; a header
            # would make a second Origin line.
            options["origin"] = self.origin
        if self.source_ip is not None:
            parts = urlsplit(self.server_url)
            raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            raw.bind((self.source_ip, 0))
            raw.connect((parts.hostname, parts.port))
            self._raw_socket = raw
            options["socket"] = raw  # websocket-client then talks over this socket
        return options

    def __enter__(self) -> WidgetClient:
        self.connect()
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def connect(self) -> None:
        headers = {}
        if self.origin is not None and self.transport == "polling":
            headers["Origin"] = self.origin
        self.sio.connect(
            self.server_url,
            headers=headers,
            socketio_path=self.socketio_path,
            transports=[self.transport],
            wait_timeout=CONNECT_TIMEOUT,
        )

    def close(self) -> None:
        if self.sio.connected:
            self.sio.disconnect()
        if self._raw_socket is not None:
            self._raw_socket.close()

    def request_session(self, session_id: str | None = None) -> str:
        """Ask for a conversation (a new one when session_id is None); return the confirmed id."""
        self.sio.emit("session_request", {"session_id": session_id})
        confirmed = self._confirms.get(timeout=CONFIRM_TIMEOUT)
        self.session_id = confirmed
        return confirmed

    def say(self, text: str, session_id: str | None = None, metadata: dict | None = None) -> None:
        data: dict[str, Any] = {
            "message": text,
            "session_id": session_id if session_id is not None else self.session_id,
        }
        metadata = metadata if metadata is not None else self.metadata
        if metadata is not None:
            data["metadata"] = metadata
        self.sio.emit("user_uttered", data)

    def replies(self, timeout: float = 60.0, settle: float = 1.5) -> list[dict[str, Any]]:
        """Wait up to `timeout` for a first bot message, then collect until `settle` s of quiet."""
        try:
            messages = [self.bot_messages.get(timeout=timeout)]
        except queue.Empty:
            return []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                messages.append(self.bot_messages.get(timeout=settle))
            except queue.Empty:
                break
        return messages

    def ask(self, text: str, timeout: float = 60.0) -> list[dict[str, Any]]:
        self.say(text)
        return self.replies(timeout=timeout)

    def refusal(self, timeout: float = 10.0) -> Any:
        """The next session_refused event's payload, or None if none came within `timeout`."""
        try:
            return self.refusals.get(timeout=timeout)
        except queue.Empty:
            return None

    def wait_disconnected(self, timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while self.sio.connected and time.monotonic() < deadline:
            time.sleep(0.1)
        return not self.sio.connected
