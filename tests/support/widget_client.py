"""A socket.io test client that speaks the widget's protocol (no browser)."""

from __future__ import annotations

import queue
import time
from typing import Any

import socketio

CONNECT_TIMEOUT = 15.0
CONFIRM_TIMEOUT = 15.0


class WidgetClient:
    """One browser tab's worth of socket.io: session_request, user_uttered, bot_uttered."""

    def __init__(self, server_url: str, socketio_path: str = "/socket.io") -> None:
        self.server_url = server_url
        self.socketio_path = socketio_path
        self.session_id: str | None = None
        self.bot_messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self._confirms: queue.Queue[Any] = queue.Queue()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("bot_uttered", self.bot_messages.put)
        self.sio.on("session_confirm", self._confirms.put)

    def __enter__(self) -> WidgetClient:
        self.connect()
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def connect(self) -> None:
        self.sio.connect(
            self.server_url,
            socketio_path=self.socketio_path,
            transports=["websocket"],
            wait_timeout=CONNECT_TIMEOUT,
        )

    def close(self) -> None:
        if self.sio.connected:
            self.sio.disconnect()

    def request_session(self, session_id: str | None = None) -> str:
        """Join a conversation (a new one when session_id is None); return the confirmed id."""
        self.sio.emit("session_request", {"session_id": session_id})
        confirmed = self._confirms.get(timeout=CONFIRM_TIMEOUT)
        self.session_id = confirmed
        return confirmed

    def say(self, text: str, session_id: str | None = None) -> None:
        sid = session_id if session_id is not None else self.session_id
        self.sio.emit("user_uttered", {"message": text, "session_id": sid})

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
