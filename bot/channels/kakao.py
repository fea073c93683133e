"""Kakao i Open Builder skill channel (카카오톡 채널 챗봇).

credentials.yml lists ``bot.channels.kakao.KakaoInput:``, named ``kakao``, so the skill URL
is /webhooks/kakao/webhook. The channel is inert (404) until KAKAO_BOT_ID is set; then every
skill request must carry that id as ``bot.id`` (else 403), so only our own bot's block can
drive it.

* ``userRequest.utterance`` goes to Rasa as sender ``kakao:<userRequest.user.id>``; a quick
  reply of ours comes back as its ``messageText`` (the button's full title) with the payload
  in ``action.clientExtra``, and reaches Rasa as the payload we offered.
* The answer goes back in the HTTP response (Open Builder waits 5 s): ``simpleText``
  outputs and ``quickReplies`` within Kakao's limits (bot/settings.yml ``channels.kakao``).
  One speech bubble per message; more messages than bubbles are packed, longer ones split
  on sentence boundaries; what still does not fit waits behind an "이어서 보기" quick
  reply, answered from here without Rasa. A turn slower than the limit gets the guard's
  "try again shortly" with the same quick reply, which then shows the late answer.
* A handoff (actions/handoff.py's custom payload): a skill cannot pass a chat to agents,
  so the buyer's handoff message (the store's contacts and the masked summary) is the
  answer and the summary is logged for the store.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.messenger import (
    channel_off,
    collect_turn,
    handoff_summary,
    inbound_text,
    shorten,
    split_text,
    webhook_blueprint,
)
from bot.messages import label, render
from bot.security.keys import same
from bot.settings import KakaoSettings, get_settings

logger = logging.getLogger(__name__)

CHANNEL = "kakao"
Handler = Callable[[UserMessage], Awaitable[Any]]
Page = dict[str, Any]  # a skill response's `template`
# Users whose unread pages are kept (the most recent); older ones are forgotten.
MAX_PENDING_USERS = 10_000


# --- pure conversion: Rasa's messages -> skill response templates -----------------------


def more_label() -> str:
    return label("channels", "more")


def _more_reply() -> dict[str, Any]:
    text = more_label()
    return {"label": text, "action": "message", "messageText": text, "extra": {"more": True}}


def _quick_reply(button: dict[str, Any], limits: KakaoSettings) -> dict[str, Any]:
    title = str(button["title"])
    return {
        "label": shorten(title, limits.quick_reply_label_max_chars),
        "action": "message",
        "messageText": title,  # what the buyer is shown to have said
        "extra": {"payload": str(button["payload"])},
    }


def bubbles(texts: list[str], limits: KakaoSettings) -> list[str]:
    """One bubble per message while they fit in `outputs_max`; otherwise messages packed
    (a blank line between them) into as few bubbles as fit `text_max_chars`."""
    pieces = [chunk for text in texts for chunk in split_text(text, limits.text_max_chars)]
    if len(pieces) <= limits.outputs_max:
        return pieces
    packed: list[str] = []
    for piece in pieces:
        if packed and len(packed[-1]) + 2 + len(piece) <= limits.text_max_chars:
            packed[-1] += "\n\n" + piece
        else:
            packed.append(piece)
    return packed


def pages(messages: list[dict[str, Any]], limits: KakaoSettings) -> list[Page]:
    """The turn as skill templates: the first is the answer, each further one is shown by
    the previous one's "이어서 보기" quick reply. Nothing is dropped."""
    texts = [str(m["text"]) for m in messages if m.get("text")]
    buttons: list[dict[str, Any]] = []
    for message in messages:
        for button in message.get("buttons") or []:
            if "payload" in button and "title" in button and button not in buttons:
                buttons.append(button)
    replies = [_quick_reply(b, limits) for b in buttons]
    all_bubbles = bubbles(texts, limits) or [""]
    size = limits.outputs_max
    groups = [all_bubbles[i : i + size] for i in range(0, len(all_bubbles), size)]
    found: list[Page] = []
    for index, group in enumerate(groups):
        last = index == len(groups) - 1
        found.append({"outputs": [{"simpleText": {"text": t}} for t in group if t],
                      "quickReplies": [] if last else [_more_reply()]})
    # The turn's buttons go with its last bubble; too many spill onto repeats of it.
    final = found[-1]
    room = limits.quick_replies_max
    while len(replies) > room:
        final["quickReplies"] = replies[: room - 1] + [_more_reply()]
        replies = replies[room - 1 :]
        final = {"outputs": final["outputs"][-1:], "quickReplies": []}
        found.append(final)
    final["quickReplies"] = replies
    return found


def skill_response(page: Page) -> dict[str, Any]:
    template: dict[str, Any] = {"outputs": page["outputs"]}
    if page["quickReplies"]:
        template["quickReplies"] = page["quickReplies"]
    return {"version": "2.0", "template": template}


def asks_for_more(request_body: dict[str, Any]) -> bool:
    extra = ((request_body.get("action") or {}).get("clientExtra")) or {}
    utterance = (request_body.get("userRequest") or {}).get("utterance")
    return (isinstance(extra, dict) and extra.get("more") is True) or (
        isinstance(utterance, str) and utterance.strip() == more_label()
    )


def utterance_text(request_body: dict[str, Any]) -> str:
    """What Rasa gets: the payload of our pressed quick reply, else the utterance."""
    extra = ((request_body.get("action") or {}).get("clientExtra")) or {}
    payload = extra.get("payload") if isinstance(extra, dict) else None
    return inbound_text((request_body.get("userRequest") or {}).get("utterance"), payload)


# --- the input channel -------------------------------------------------------------------


class KakaoInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> KakaoInput:
        return cls()

    def __init__(self, bot_id: str | None = None) -> None:
        self.bot_id = bot_id if bot_id is not None else os.environ.get("KAKAO_BOT_ID", "").strip()
        # Per user: pages still to show, and a turn that outlived the 5 s limit.
        self._pending: dict[str, list[Page]] = {}
        self._late: dict[str, asyncio.Task] = {}

    @property
    def enabled(self) -> bool:
        return bool(self.bot_id)

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        bp = webhook_blueprint(
            "kakao_webhook", self.enabled, "Kakao channel off: KAKAO_BOT_ID is not set."
        )

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.enabled:
                return channel_off()
            body = request.json if isinstance(request.json, dict) else {}
            bot_id = (body.get("bot") or {}).get("id")
            if not isinstance(bot_id, str) or not same(bot_id, self.bot_id):
                logger.warning("Kakao skill request refused: not our bot id")
                return response.json({"error": "forbidden"}, status=403)
            user = ((body.get("userRequest") or {}).get("user") or {}).get("id")
            if not isinstance(user, str) or not user:
                return response.json({"error": "no user id"}, status=400)
            return response.json(skill_response(await self.answer(user, body, on_new_message)))

        return bp

    async def answer(self, user: str, body: dict[str, Any], on_new_message: Handler) -> Page:
        limits = get_settings().channels.kakao
        late = self._late.pop(user, None)
        if asks_for_more(body) and (late is not None or self._pending.get(user)):
            if late is not None:
                try:
                    self._keep(user, await asyncio.wait_for(
                        asyncio.shield(late), limits.reply_within_seconds
                    ))
                except asyncio.TimeoutError:
                    self._late[user] = late
                    return self._still_working()
            return self._next_page(user)
        self._pending.pop(user, None)  # the buyer moved on
        turn = asyncio.ensure_future(self._turn(user, utterance_text(body), on_new_message))
        try:
            self._keep(user, await asyncio.wait_for(
                asyncio.shield(turn), limits.reply_within_seconds
            ))
        except asyncio.TimeoutError:
            logger.warning("Kakao turn slower than %.1f s: answer kept for 이어서 보기",
                           limits.reply_within_seconds)
            self._late[user] = turn
            return self._still_working()
        return self._next_page(user)

    async def _turn(self, user: str, text: str, on_new_message: Handler) -> list[Page]:
        messages = await collect_turn(on_new_message, text, CHANNEL, user)
        summary = handoff_summary(messages)
        if summary is not None:
            # No agent thread to pass a skill's chat to: the store reads this in its logs.
            logger.info("Kakao handoff: %s", json.dumps(summary, ensure_ascii=False))
        return pages(messages, get_settings().channels.kakao)

    def _keep(self, user: str, waiting: list[Page]) -> None:
        """Remember a turn's pages; the oldest unread ones go first beyond a bound."""
        self._pending.pop(user, None)
        self._pending[user] = waiting
        while len(self._pending) > MAX_PENDING_USERS:
            del self._pending[next(iter(self._pending))]

    def _next_page(self, user: str) -> Page:
        waiting = self._pending.get(user) or []
        page, rest = waiting[0], waiting[1:]
        if rest:
            self._pending[user] = rest
        else:
            self._pending.pop(user, None)
        return page

    @staticmethod
    def _still_working() -> Page:
        shop = get_settings().store
        text = render("no_reply", {"store_name": shop.name, "store_phone": shop.contact_phone})
        return {"outputs": [{"simpleText": {"text": text["text"]}}],
                "quickReplies": [_more_reply()]}
