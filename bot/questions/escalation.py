"""Where to turn beyond the store: always after the order's own answer, never instead."""

from __future__ import annotations

from datetime import datetime

from bot.orders.model import ProductOrderRecord
from bot.questions.cancel import fault
from bot.questions.shared import Reply, reply
from bot.settings import Settings


def escalate(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    """Whether the seller is at fault in this order, then the bodies that can help."""
    replies = fault(record, now, settings)
    if "escalation" not in [r.message for r in replies]:
        replies.append(reply("escalation"))
    return replies
