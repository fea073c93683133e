"""Fake messengers for the channel contract tests.

* `FakeTalkTalk`: a real HTTP server on loopback standing in for gw.talk.naver.com's send
  API. It records every event the connector sends (with its Authorization header) and can
  answer the next requests with a 5xx.
* `TalkTalkBuyer`: posts TalkTalk's documented webhook events to the running stack and reads
  what the connector sent for that user from the fake.
* `KakaoBuyer`: calls the skill URL the way Open Builder does and reads the response.

Both buyers expose the turn's messages in the REST shape (`{"text", "buttons"}`), so the
tests read them with tests/support/messages.py like every other e2e test.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests

from tests.support.buyer import Buyer
from tests.support.messages import identify
from tests.support.stack import Stack

REPLY_TIMEOUT = 60.0
SETTLE = 0.8  # a turn's events go out back to back; this much quiet ends a turn


class FakeTalkTalk:
    """The send API: POST / -> {"success": true, "resultCode": "00"}."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []  # accepted events, in order
        self.attempts: list[dict[str, Any]] = []  # every request, failed ones too
        self.headers: list[dict[str, str]] = []
        self._failures: list[int] = []
        self._delays: list[float] = []
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                event = json.loads(self.rfile.read(length).decode("utf-8"))
                with fake._lock:
                    fake.attempts.append(event)
                    fake.headers.append(dict(self.headers))
                    status = fake._failures.pop(0) if fake._failures else 200
                    delay = fake._delays.pop(0) if fake._delays else 0.0
                    if status == 200 and not delay:
                        fake.received.append(event)
                if delay:  # slower than the connector's timeout: it has given up
                    time.sleep(delay)
                    status = 504
                body = json.dumps({"success": status == 200,
                                   "resultCode": "00" if status == 200 else "99"}).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json;charset=UTF-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # a connector that timed out has closed the connection

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/chatbot/v1/event"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeTalkTalk:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail_next(self, count: int, status: int = 503) -> None:
        with self._lock:
            self._failures = [status] * count

    def delay_next(self, count: int, seconds: float) -> None:
        """Answer the next requests only after `seconds` (and drop them)."""
        with self._lock:
            self._delays = [seconds] * count

    def events_for(self, user: str) -> list[dict[str, Any]]:
        with self._lock:
            return [event for event in self.received if event.get("user") == user]


def as_rest_messages(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Send API events as REST-shaped messages: text plus the buttons shown with it."""
    messages = []
    for event in events:
        if "textContent" in event:
            content = event["textContent"]
            buttons = [{"title": b["data"]["title"], "payload": b["data"]["code"]}
                       for b in (content.get("quickReply") or {}).get("buttonList", [])]
            messages.append({"text": content["text"], **({"buttons": buttons} if buttons else {})})
        elif "compositeContent" in event:
            for card in event["compositeContent"]["compositeList"]:
                buttons = [{"title": b["data"]["title"], "payload": b["data"]["code"]}
                           for b in card.get("buttonList", [])]
                if card.get("description"):
                    messages.append({"text": card["description"], "buttons": buttons})
                elif messages:
                    messages[-1].setdefault("buttons", []).extend(buttons)
    return messages


class TalkTalkBuyer(Buyer):
    """One TalkTalk user (a stable id) talking through the webhook."""

    def __init__(self, stack: Stack, fake: FakeTalkTalk, user: str,
                 source_ip: str | None = None) -> None:
        super().__init__(stack, f"talktalk:{user}")
        self.fake, self.user, self.source_ip = fake, user, source_ip
        self.events: list[dict[str, Any]] = []  # what the connector sent in the last turn
        self._seen = 0

    def post(self, event: dict[str, Any]) -> int:
        """POST one webhook event; the status (the connector must answer at once)."""
        body = json.dumps({"user": self.user, **event}, ensure_ascii=False).encode("utf-8")
        port = self.stack.rasa_port
        connection = http.client.HTTPConnection(
            "127.0.0.1", port, timeout=5,
            source_address=(self.source_ip, 0) if self.source_ip else None)
        try:
            connection.request("POST", "/webhooks/talktalk/webhook", body,
                               {"Content-Type": "application/json;charset=UTF-8"})
            return connection.getresponse().status
        finally:
            connection.close()

    def wait(self, timeout: float = REPLY_TIMEOUT, settle: float = SETTLE) -> list[dict]:
        """The events sent for this user since the last wait (empty if none within timeout)."""
        deadline = time.monotonic() + timeout
        count = len(self.fake.events_for(self.user))
        while count == self._seen and time.monotonic() < deadline:
            time.sleep(0.1)
            count = len(self.fake.events_for(self.user))
        while time.monotonic() < deadline:  # then until the turn's last event is in
            time.sleep(settle)
            now = len(self.fake.events_for(self.user))
            if now == count:
                break
            count = now
        events = self.fake.events_for(self.user)[self._seen:]
        self._seen += len(events)
        self.events = events
        self.last = as_rest_messages(events)
        return events

    def quiet(self, seconds: float = 3.0) -> list[dict]:
        """What arrives for this user within `seconds` (a silence test wants nothing)."""
        return self.wait(timeout=seconds, settle=0.2)

    def sends(self, text: str, code: str | None = None, **extra: Any) -> int:
        content: dict[str, Any] = {"text": text, "inputType": "button" if code else "typing"}
        if code:
            content["code"] = code
        return self.post({"event": "send", "textContent": content, "options": {}, **extra})

    def says(self, text: str) -> str:
        assert self.sends(text) == 200
        self.wait()
        return "\n".join(m.get("text") or "" for m in self.last)

    def presses(self, payload: str) -> None:
        """Press the button of the last turn that carries `payload` (its title and code)."""
        title = next(b["title"] for m in self.last for b in m.get("buttons", [])
                     if b["payload"] == payload)
        assert self.sends(title, code=payload) == 200
        self.wait()


class KakaoBuyer(Buyer):
    """One Kakao user, called in by Open Builder's skill requests."""

    def __init__(self, stack: Stack, user: str, bot_id: str) -> None:
        super().__init__(stack, f"kakao:{user}")
        self.user, self.bot_id = user, bot_id
        self.response: dict[str, Any] = {}
        self.elapsed = 0.0

    def request(self, utterance: str, extra: dict | None = None,
                bot_id: str | None = None) -> requests.Response:
        body = {
            "intent": {"id": "fallback", "name": "폴백 블록"},
            "userRequest": {"timezone": "Asia/Seoul", "utterance": utterance, "lang": "ko",
                            "user": {"id": self.user, "type": "botUserKey", "properties": {}}},
            "bot": {"id": bot_id if bot_id is not None else self.bot_id, "name": "주문 도우미"},
            "action": {"name": "skill", "params": {}, "detailParams": {},
                       "clientExtra": extra or {}},
        }
        started = time.monotonic()
        reply = requests.post(f"{self.stack.rasa_url}/webhooks/kakao/webhook", json=body,
                              timeout=REPLY_TIMEOUT)
        self.elapsed = time.monotonic() - started
        return reply

    def _read(self, reply: requests.Response) -> None:
        reply.raise_for_status()
        self.response = reply.json()
        template = self.response["template"]
        messages: list[dict[str, Any]] = []
        for output in template["outputs"]:
            text = output["simpleText"]["text"]
            # A bubble is one message, or several packed with blank lines between them.
            parts = [text] if identify(text) or "\n\n" not in text else text.split("\n\n")
            messages += [{"text": part} for part in parts]
        buttons = [{"title": r["messageText"], "payload": r["extra"]["payload"]}
                   for r in template.get("quickReplies", []) if "payload" in r.get("extra", {})]
        if buttons and messages:
            messages[-1]["buttons"] = buttons
        self.last = messages

    def says(self, text: str) -> str:
        self._read(self.request(text))
        return "\n".join(m.get("text") or "" for m in self.last)

    def presses(self, payload: str) -> None:
        reply = next(r for r in self.response["template"]["quickReplies"]
                     if r.get("extra", {}).get("payload") == payload)
        self._read(self.request(reply["messageText"], reply["extra"]))
