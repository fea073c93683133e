"""What the messenger channels (TalkTalk, Kakao) share: one guarded turn collected whole,
pressed buttons turned back into their payloads, and text split on sentence boundaries.

A messenger's webhook is not a browser: its reply goes out in the messenger's own format
(bot/channels/talktalk.py, bot/channels/kakao.py), built from the messages Rasa collected
for the whole turn, so that size limits and the handoff can be applied to the turn at once.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from functools import cache
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.guard import cap_request_size, client_metadata, guarded
from bot.messages import button_titles
from bot.orders.model import ORDER_ID
from bot.security.commands import offered_payloads

Handler = Callable[[UserMessage], Awaitable[Any]]
logger = logging.getLogger(__name__)

# A sentence ends at . ? ! or … followed by white space, or at a line break.
SENTENCE_END = re.compile(r"(?<=[.?!…。])\s+|\n+")


def webhook_blueprint(name: str, enabled: bool, off_reason: str) -> Blueprint:
    """A messenger's blueprint: request bodies capped, GET / saying whether it is on."""
    bp = Blueprint(name, __name__)
    cap_request_size(bp)
    if not enabled:
        logger.info(off_reason)

    @bp.route("/", methods=["GET"])
    async def health(_: Request) -> HTTPResponse:
        return response.json({"status": "ok" if enabled else "off"})

    return bp


def channel_off() -> HTTPResponse:
    """What a messenger's webhook answers while its environment is not set."""
    return response.json({"error": "channel off"}, status=404)


def namespaced(channel: str, user: str) -> str:
    """The tracker's sender id for a messenger user: one namespace per channel."""
    return f"{channel}:{user}"


@cache
def _payload_by_title() -> dict[str, str]:
    return {title: f"/{intent}" for intent, title in button_titles().items()}


def inbound_text(text: str | None, code: str | None = None) -> str:
    """What Rasa gets for a messenger message: a pressed button's payload (its `code` when
    we offered it, else its title typed or pressed), otherwise the text as typed.

    A button press must reach Rasa as the intent we offered (`/ask_return`): its title
    alone would depend on the NLU. Anything else keeps the buyer's words unchanged; the
    NLU guard reads a slash command we did not offer as plain text (bot/security/commands.py).
    """
    if isinstance(code, str) and code.strip() in offered_payloads():
        return code.strip()
    # The item picker's buttons (actions/picker.py) carry a product order number: plain
    # digits the buyer could type as well, so they pass as text.
    if isinstance(code, str) and ORDER_ID.fullmatch(code.strip()):
        return code.strip()
    text = text if isinstance(text, str) else ""
    return _payload_by_title().get(text.strip(), text)


def handoff_summary(messages: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The agent's summary when the turn handed over (actions/handoff.py's custom payload)."""
    for message in messages:
        custom = message.get("custom")
        if isinstance(custom, dict) and isinstance(custom.get("handoff"), dict):
            return custom["handoff"]
    return None


async def collect_turn(
    on_new_message: Handler, text: str, channel: str, user: str
) -> list[dict[str, Any]]:
    """Run one guarded turn for a messenger user; the bot's messages in order.

    No client address is attached: the peer is the messenger's gateway, shared by all its
    users, so a per-IP count would lock every buyer at once. The user's stable id is the
    sender id, so the ledger's per-conversation limit is a per-user limit.
    """
    collector = CollectingOutputChannel()
    await guarded(on_new_message)(
        UserMessage(
            text,
            collector,
            namespaced(channel, user),
            input_channel=channel,
            metadata=client_metadata(channel),
        )
    )
    return collector.messages


def _hard_split(unit: str, limit: int) -> list[str]:
    """A piece longer than `limit`: cut at the last space before the limit, else at it."""
    pieces = []
    while len(unit) > limit:
        cut = unit.rfind(" ", 0, limit + 1)
        cut = cut if cut > 0 else limit
        pieces.append(unit[:cut])
        unit = unit[cut:].lstrip(" ")
    pieces.append(unit)
    return pieces


def split_text(text: str, limit: int) -> list[str]:
    """`text` in chunks of at most `limit` characters, cut between sentences where one fits.

    Nothing is lost: only the white space at a cut goes.
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    if len(text) <= limit:
        return [text]
    units: list[str] = []
    position = 0
    for match in SENTENCE_END.finditer(text):
        units.append(text[position:match.end()])
        position = match.end()
    units.append(text[position:])
    chunks: list[str] = []
    current = ""
    for unit in units:
        if len(current) + len(unit.rstrip()) <= limit:
            current += unit
            continue
        if current.strip():
            chunks.append(current.strip())
        current = ""
        if len(unit.rstrip()) <= limit:
            current = unit
        else:
            *full, current = _hard_split(unit.rstrip(), limit)
            chunks.extend(piece.strip() for piece in full if piece.strip())
    if current.strip():
        chunks.append(current.strip())
    return chunks


def shorten(title: str, limit: int) -> str:
    """A button label within `limit` characters (an ellipsis marks a cut)."""
    return title if len(title) <= limit else title[: max(limit - 1, 0)] + "…"
