"""Rasa's REST channel behind our guard: credentials.yml names it `rest`, so its webhook
stays /webhooks/rest/webhook.

Compared with the stock channel, the request body's `metadata` never reaches the actions
(only `client_metadata` made here does), over-long messages are answered without the NLU,
and the server's request-body cap is lowered (bot/channels/guard.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint
from sanic.request import Request

from bot.channels.guard import cap_request_size, client_ip, client_metadata, guarded


class GuardedRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def get_metadata(self, request: Request) -> dict[str, Any]:
        return client_metadata(self.name(), client_ip(request))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(guarded(on_new_message))
        cap_request_size(blueprint)
        return blueprint
