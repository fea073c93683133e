"""What every input channel does before a message reaches Rasa.

* Facts about the client come from the server, never from the request body: Rasa's REST
  channel would pass a client's `metadata` on to the actions, which count failed ownership
  checks per IP address. `client_metadata` is the only metadata our channels send.
* A message longer than `security.max_message_chars`, or one with nothing visible in it, is
  answered politely at once, without running the NLU and without entering the conversation
  store (Rasa itself answers an empty message with silence).
* A turn that ends without any reply (the action server is down, an action failed) gets a
  polite "try again shortly" instead of silence; the next message works as usual.

The NLU side of the guard (slash commands as plain text, full-width digits, length of the
analysed text) is the first pipeline component, bot/rasa_ext/message_guard.py, so it holds
for every channel including `rasa shell`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from sanic import Blueprint, Sanic
from sanic.request import Request

from bot.messages import render
from bot.settings import get_settings

logger = logging.getLogger(__name__)

Handler = Callable[[UserMessage], Awaitable[Any]]


def client_metadata(channel: str, ip: str | None = None) -> dict[str, Any]:
    """The metadata a channel attaches to a user message (read by actions/common.py)."""
    client: dict[str, Any] = {"channel": channel}
    if ip:
        client["ip"] = ip
    return {"client": client}


def client_ip(request: Request) -> str:
    """The client's address: the proxy-reported one when Sanic is told to trust proxies
    (SANIC_PROXIES_COUNT / SANIC_REAL_IP_HEADER), else the peer's."""
    return request.remote_addr or request.ip


def cap_request_size(blueprint: Blueprint) -> None:
    """Sanic accepts 100 MB bodies by default; every channel of ours lowers that for the
    whole server (a connection reads the limit when it opens)."""

    @blueprint.listener("before_server_start")
    async def set_limit(app: Sanic, _: Any) -> None:
        app.config.REQUEST_MAX_SIZE = get_settings().security.max_request_bytes


def too_long(text: str | None) -> bool:
    return text is not None and len(text) > get_settings().security.max_message_chars


def too_long_reply() -> str:
    limit = get_settings().security.max_message_chars
    return render("message_too_long", {"max_chars": f"{limit:,}"})["text"]


def blank(text: str | None) -> bool:
    """Nothing a person could have meant: empty, spaces, invisible characters or slashes."""
    visible = "".join(ch for ch in (text or "") if ch.isprintable() and not ch.isspace())
    return not visible.strip("/")


async def _never_silent(on_new_message: Handler, message: UserMessage) -> Any:
    output = message.output_channel
    send_response = output.send_response
    sent = 0

    async def counting(recipient_id: str, reply: dict[str, Any]) -> None:
        nonlocal sent
        sent += 1
        await send_response(recipient_id, reply)

    output.send_response = counting  # this message's own output channel object
    try:
        return await on_new_message(message)
    except Exception:  # noqa: BLE001 - the buyer gets an answer, the log the details
        logger.exception("turn failed on channel %s", message.input_channel)
    finally:
        if sent == 0:
            shop = get_settings().store
            text = render("no_reply", {"store_name": shop.name, "store_phone": shop.contact_phone})
            await send_response(message.sender_id, {"text": text["text"]})
    return None


def guarded(on_new_message: Handler) -> Handler:
    """Wrap a channel's `on_new_message`: blank and over-long messages get a polite answer."""

    async def handle(message: UserMessage) -> Any:
        if blank(message.text):
            await message.output_channel.send_text_message(
                message.sender_id, render("message_empty")["text"]
            )
            return None
        if too_long(message.text):
            logger.info(
                "message of %d characters from channel %s answered without analysis",
                len(message.text or ""),
                message.input_channel,
            )
            await message.output_channel.send_text_message(message.sender_id, too_long_reply())
            return None
        return await _never_silent(on_new_message, message)

    return handle
