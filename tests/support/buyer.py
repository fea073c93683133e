"""A buyer talking to a running stack through the REST webhook."""

from __future__ import annotations

from tests.support.messages import Heard, heard
from tests.support.stack import Stack


class Buyer:
    """One conversation through the REST webhook."""

    def __init__(self, stack: Stack, sender: str) -> None:
        self.stack, self.sender = stack, sender
        self.last: list[dict] = []

    def says(self, text: str) -> str:
        self.last = self.stack.rest(self.sender, text)
        return "\n".join(message.get("text") or "" for message in self.last)

    @property
    def heard(self) -> list[Heard]:
        """The last turn's replies as (message name, values): see tests/support/messages.py."""
        return heard(self.last)

    @property
    def names(self) -> list[str]:
        return [reply.name for reply in self.heard]

    def got(self, name: str) -> dict[str, str]:
        """The values of message `name` in the last turn; fails when the buyer did not get it."""
        for reply in self.heard:
            if reply.name == name:
                return reply.values
        raise AssertionError(f"expected message {name!r}, got {self.heard}")

    @property
    def buttons(self) -> list[str]:
        return [button["title"] for message in self.last for button in message.get("buttons", [])]

    @property
    def button_intents(self) -> list[str]:
        """The intents the last turn's buttons send (their payloads without the slash)."""
        return [button["payload"].lstrip("/") for message in self.last
                for button in message.get("buttons", [])]

    def verifies(self, order_id: str, phone_last4: str) -> str:
        self.says(order_id)
        return self.says(phone_last4)
