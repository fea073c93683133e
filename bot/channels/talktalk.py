"""Naver TalkTalk (네이버 톡톡) chatbot API channel, with handover to the store's agents.

credentials.yml lists ``bot.channels.talktalk.TalkTalkInput:``, named ``talktalk``, so
TalkTalk's webhook is /webhooks/talktalk/webhook. The channel is inert (404) until
TALKTALK_TOKEN is set; the send API's URL is TALKTALK_API_URL (default below). Both are
read from the environment, so the token never sits in a file or a log.

* ``open`` greets (domain.yml's utter_greet): always when the buyer came through a 톡톡
  button on a page (inflow ``button``) or a typed address (``none``); from the chat list
  (``list``, perhaps only rereading) when the buyer has been quiet for a while.
* ``send`` with ``textContent`` goes to Rasa as sender ``talktalk:<user>``: a pressed
  button's ``code`` (the payload we offered), else the text. ``standby: true`` means the
  store's agent owns the conversation (after our passThread): the assistant stays silent
  until the agent passes the thread back (``handover`` event), then answers again.
* ``echo`` (a copy of what the bot or an agent sent), ``action``, ``friend``, ``leave`` and
  ``handover`` are acknowledged and never answered; unknown events get 200 and a debug log.
* The webhook answers 200 at once; each user's events are handled one at a time, in order,
  and the replies go out through the send API (retried on 5xx, timeouts and connection
  errors). Rasa's buttons become a quick reply (last message, within the quick-button
  limits) or a composite card; long text is split on sentence boundaries.
* A handoff (actions/handoff.py's ``{"handoff": summary}``) passes the thread to the
  partner centre's agents (``passThread``, ``targetId: 1``): the buyer is told an agent will
  answer in this chat (``handoff_talktalk``), then gets the handoff message, which carries the
  masked summary and is the last message before the passThread.
* Optional source allowlist: ``channels.talktalk.allowed_sources`` in bot/settings.yml.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import time
from collections.abc import Awaitable, Callable
from functools import cache
from pathlib import Path
from typing import Any

import aiohttp
import yaml
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.guard import client_ip
from bot.channels.messenger import (
    channel_off,
    collect_turn,
    handoff_summary,
    inbound_text,
    shorten,
    split_text,
    webhook_blueprint,
)
from bot.messages import render
from bot.settings import TalkTalkSettings, get_settings

logger = logging.getLogger(__name__)

CHANNEL = "talktalk"
DEFAULT_API_URL = "https://gw.talk.naver.com/chatbot/v1/event"
# The partner centre's agents (handover_v1.md: "타깃(targetId)을 1로").
AGENT_TARGET_ID = 1
QUIET_EVENTS = {"echo", "action", "friend", "leave"}
PROJECT_ROOT = Path(__file__).resolve().parents[2]
# When each user was last seen (for the `list` greeting): the most recent this many.
MAX_REMEMBERED_USERS = 100_000


# --- pure conversion: Rasa's messages -> send API events ----------------------------------


def _text_event(user: str, text: str, quick: list[dict] | None = None) -> dict[str, Any]:
    content: dict[str, Any] = {"text": text}
    if quick:
        content["quickReply"] = {"buttonList": quick}
    return {"event": "send", "user": user, "textContent": content}


def _button(button: dict[str, Any], title_max: int) -> dict[str, Any]:
    return {
        "type": "TEXT",
        "data": {"title": shorten(str(button["title"]), title_max), "code": str(button["payload"])},
    }


def _fits_quick_reply(buttons: list[dict[str, Any]], limits: TalkTalkSettings) -> bool:
    return len(buttons) <= limits.quick_reply_max and all(
        len(str(b["title"])) <= limits.quick_reply_title_max_chars for b in buttons
    )


def _composite_events(
    user: str, text: str, buttons: list[dict[str, Any]], limits: TalkTalkSettings
) -> list[dict[str, Any]]:
    """Text whose buttons stay on screen: the text as the first card's description (the
    rest of a long text before it), the buttons in groups on numbered cards."""
    events = []
    *before, last = split_text(text, limits.composite_description_max_chars) if text else [""]
    events += [_text_event(user, chunk) for chunk in before]
    size = limits.composite_buttons_max
    groups = [buttons[i : i + size] for i in range(0, len(buttons), size)]
    cards = []
    for number, group in enumerate(groups, start=1):
        card: dict[str, Any] = {
            "buttonList": [_button(b, limits.composite_button_title_max_chars) for b in group]
        }
        if number == 1 and last:
            card["description"] = last
        else:  # a composite needs two of title, description, ... : number the cards
            card["title"] = f"{number}/{len(groups)}"
        cards.append(card)
    for start in range(0, len(cards), limits.composites_max):
        events.append(
            {
                "event": "send",
                "user": user,
                "compositeContent": {"compositeList": cards[start : start + limits.composites_max]},
            }
        )
    return events


def send_events(
    user: str, messages: list[dict[str, Any]], limits: TalkTalkSettings
) -> list[dict[str, Any]]:
    """The send API events for one turn's messages, in order; a handoff's passThread last."""
    messages = with_handover_notice(messages)
    shown = [m for m in messages if m.get("text") or m.get("buttons") or m.get("image")]
    events: list[dict[str, Any]] = []
    for index, message in enumerate(shown):
        text = str(message.get("text") or "")
        buttons = [b for b in message.get("buttons") or [] if "payload" in b and "title" in b]
        is_last = index == len(shown) - 1
        if message.get("image"):
            events.append({"event": "send", "user": user,
                           "imageContent": {"imageUrl": str(message["image"])}})
        if not buttons:
            if text:
                events += [_text_event(user, chunk)
                           for chunk in split_text(text, limits.text_max_chars)]
        elif is_last and _fits_quick_reply(buttons, limits) and text:
            # Quick buttons vanish under any later message: only on the turn's last one.
            *before, last = split_text(text, limits.text_max_chars)
            events += [_text_event(user, chunk) for chunk in before]
            quick = [_button(b, limits.quick_reply_title_max_chars) for b in buttons]
            events.append(_text_event(user, last, quick))
        else:
            events += _composite_events(user, text, buttons, limits)
    if handoff_summary(messages) is not None:
        events.append(pass_thread(user))
    return events


def with_handover_notice(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """On TalkTalk a handoff really passes the chat to an agent: say so before the buyer's
    handoff message, which stays last with its masked summary."""
    at = next((i for i, m in enumerate(messages)
               if isinstance(m.get("custom"), dict) and "handoff" in m["custom"]), None)
    if at is None:
        return messages
    if at > 0 and messages[at - 1].get("text"):
        at -= 1
    return [*messages[:at], {"text": render("handoff_talktalk")["text"]}, *messages[at:]]


def pass_thread(user: str) -> dict[str, Any]:
    return {
        "event": "handover",
        "user": user,
        "options": {"control": "passThread", "targetId": AGENT_TARGET_ID},
    }


def pressed_or_typed(event: dict[str, Any]) -> str | None:
    """What a `send` event says (None: no textContent, e.g. an image)."""
    content = event.get("textContent")
    if not isinstance(content, dict):
        return None
    return inbound_text(content.get("text"), content.get("code"))


def source_allowed(address: str | None, allowed: tuple[str, ...]) -> bool:
    if not allowed:
        return True
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(entry, strict=False) for entry in allowed)


@cache
def greeting() -> dict[str, Any]:
    """domain.yml's utter_greet (text and buttons), the assistant's first words anywhere."""
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    first = domain["responses"]["utter_greet"][0]
    return {"text": first["text"], "buttons": list(first.get("buttons") or [])}


# --- the send API client -----------------------------------------------------------------


class SendApi:
    """POSTs events to TalkTalk's send API; retries 5xx, timeouts and connection errors."""

    def __init__(self, url: str, token: str, timeout: float, retries: int) -> None:
        self.url, self._token = url, token
        self.timeout, self.retries = timeout, retries
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.timeout)
            )
        return self._session

    async def post(self, event: dict[str, Any]) -> bool:
        headers = {"Authorization": self._token, "Content-Type": "application/json;charset=UTF-8"}
        for attempt in range(self.retries + 1):
            if attempt:
                await asyncio.sleep(0.5 * 2 ** (attempt - 1))
            try:
                async with self._client().post(self.url, json=event, headers=headers) as reply:
                    if reply.status >= 500:
                        logger.warning("TalkTalk send API answered %d (attempt %d)",
                                       reply.status, attempt + 1)
                        continue
                    body = await reply.json(content_type=None)
                    if reply.status != 200 or not (isinstance(body, dict) and body.get("success")):
                        # 4xx or success false (bad token, bad JSON, handover off): no retry.
                        logger.error("TalkTalk send API refused a %s event: %s %s",
                                     event.get("event"), reply.status, _result(body))
                        return False
                    return True
            except (asyncio.TimeoutError, aiohttp.ClientError) as error:
                logger.warning("TalkTalk send API unreachable (attempt %d): %s",
                               attempt + 1, type(error).__name__)
        logger.error("TalkTalk send API: gave up on a %s event after %d attempts",
                     event.get("event"), self.retries + 1)
        return False


def _result(body: Any) -> str:
    if isinstance(body, dict):
        return f"{body.get('resultCode')} {body.get('resultMessage')}"
    return "(no JSON body)"


# --- the input channel -------------------------------------------------------------------

Handler = Callable[[UserMessage], Awaitable[Any]]


class TalkTalkInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TalkTalkInput:
        return cls()

    def __init__(self, token: str | None = None, api_url: str | None = None) -> None:
        self.token = token if token is not None else os.environ.get("TALKTALK_TOKEN", "").strip()
        self.api_url = (
            api_url or os.environ.get("TALKTALK_API_URL", "").strip() or DEFAULT_API_URL
        )
        self._queues: dict[str, asyncio.Queue] = {}
        self._workers: set[asyncio.Task] = set()
        self._last_seen: dict[str, float] = {}
        self._api: SendApi | None = None

    @property
    def enabled(self) -> bool:
        return bool(self.token)

    def api(self) -> SendApi:
        if self._api is None:
            limits = get_settings().channels.talktalk
            self._api = SendApi(
                self.api_url, self.token, limits.send_timeout_seconds, limits.send_retries
            )
        return self._api

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        bp = webhook_blueprint(
            "talktalk_webhook", self.enabled, "TalkTalk channel off: TALKTALK_TOKEN is not set."
        )

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.enabled:
                return channel_off()
            limits = get_settings().channels.talktalk
            if not source_allowed(client_ip(request), limits.allowed_sources):
                logger.warning("TalkTalk webhook refused a request from an unlisted source")
                return response.json({"error": "forbidden"}, status=403)
            event = request.json if isinstance(request.json, dict) else None
            user = event.get("user") if event else None
            if not isinstance(user, str) or not user or not isinstance(event.get("event"), str):
                return response.json({"error": "bad event"}, status=400)
            self._enqueue(user, event, on_new_message)
            return response.json({"success": True})

        return bp

    # Each user's events run one at a time, in arrival order, after the webhook answered.
    def _enqueue(self, user: str, event: dict[str, Any], on_new_message: Handler) -> None:
        queue = self._queues.get(user)
        if queue is None:
            queue = self._queues[user] = asyncio.Queue()
            task = asyncio.get_running_loop().create_task(self._drain(user, queue, on_new_message))
            self._workers.add(task)
            task.add_done_callback(self._workers.discard)
        queue.put_nowait(event)

    async def _drain(self, user: str, queue: asyncio.Queue, on_new_message: Handler) -> None:
        try:
            while not queue.empty():
                event = queue.get_nowait()
                try:
                    await self.handle(user, event, on_new_message)
                except Exception:  # noqa: BLE001 - one bad event must not stop the user's queue
                    logger.exception("TalkTalk %s event failed", event.get("event"))
        finally:
            self._queues.pop(user, None)

    async def handle(self, user: str, event: dict[str, Any], on_new_message: Handler) -> None:
        kind = event["event"]
        if kind == "open":
            await self._open(user, event.get("options") or {})
        elif kind == "send":
            await self._send(user, event, on_new_message)
        elif kind == "handover":
            # The agent pressed 상담 완료하기: the thread is ours again, so the next message
            # arrives without `standby` and is answered.
            logger.info("TalkTalk agent passed a conversation back to the assistant")
        elif kind in QUIET_EVENTS:
            return  # never answered: answering an echo would loop
        else:
            logger.debug("TalkTalk event %r acknowledged and ignored", kind)

    async def _open(self, user: str, options: dict[str, Any]) -> None:
        inflow = options.get("inflow")
        idle = get_settings().channels.talktalk.greet_list_after_idle_minutes * 60
        last = self._last_seen.get(user)
        self._seen(user)
        if inflow == "list" and last is not None and time.monotonic() - last < idle:
            return  # back from the chat list within the hour: the conversation is on screen
        await self.deliver(user, [greeting()])

    def _seen(self, user: str) -> None:
        self._last_seen.pop(user, None)  # re-inserted last: the dict stays oldest first
        self._last_seen[user] = time.monotonic()
        while len(self._last_seen) > MAX_REMEMBERED_USERS:
            del self._last_seen[next(iter(self._last_seen))]

    async def _send(self, user: str, event: dict[str, Any], on_new_message: Handler) -> None:
        self._seen(user)
        if event.get("standby") is True:
            return  # the store's agent owns the conversation: stay silent
        text = pressed_or_typed(event)
        # An image or card from the buyer has no text: the guard asks for words.
        messages = await collect_turn(on_new_message, text or "", CHANNEL, user)
        await self.deliver(user, messages)

    async def deliver(self, user: str, messages: list[dict[str, Any]]) -> None:
        for event in send_events(user, messages, get_settings().channels.talktalk):
            await self.api().post(event)
