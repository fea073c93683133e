"""Real end-to-end runs: `rasa run` + the action server on loopback, fixture orders, fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.stack import Stack, find_model, running_stack

FIXTURE_ORDERS = Path(__file__).resolve().parents[1] / "fixtures" / "orders.json"
NOW = "2026-11-27T10:00:00+09:00"  # the time tests/fixtures/orders.json was made for


@pytest.fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(
        tmp_path_factory.mktemp("e2e-stack"), find_model(), orders_file=FIXTURE_ORDERS, now=NOW
    ) as running:
        yield running


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
