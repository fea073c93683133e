"""A buyer talking to a running stack through the REST webhook."""

from __future__ import annotations

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
    def buttons(self) -> list[str]:
        return [button["title"] for message in self.last for button in message.get("buttons", [])]

    def verifies(self, order_id: str, phone_last4: str) -> str:
        self.says(order_id)
        return self.says(phone_last4)
