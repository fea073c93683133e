"""Handing over to a person: what the buyer is told and what the agent gets."""

from __future__ import annotations

from bot.messages import label, render
from bot.orders.model import ProductOrderRecord
from bot.present import mask_order_id
from bot.questions.shared import Reply, reply, stage_value
from bot.settings import Settings


def summary(record: ProductOrderRecord | None, asked: list[str], failures: int) -> dict:
    """What the human agent gets: no personal data, the order number masked."""
    questions = list(dict.fromkeys(label("questions", key) for key in asked))  # unique, in order
    return {
        "order": mask_order_id(record.order_id) if record else None,
        "stage": stage_value(record) if record else None,
        "questions": questions,
        "verification_failures": failures,
    }


def handoff(record: ProductOrderRecord | None, asked: list[str], failures: int,
            settings: Settings) -> tuple[list[Reply], dict]:
    """The buyer's message (store contact + a one-line summary) and the agent's summary."""
    facts = summary(record, asked, failures)
    if record:
        parts = [render("handoff_order", {"order": facts["order"], "stage": facts["stage"]})]
    else:
        parts = [render("handoff_no_order")]
    if facts["questions"]:
        parts.append(render("handoff_questions", {"questions": ", ".join(facts["questions"])}))
    shop = settings.store
    message = reply(
        "handoff",
        store_name=shop.name,
        store_phone=shop.contact_phone,
        store_hours=shop.hours,
        store_talktalk=shop.contact_talktalk,
        summary=" / ".join(part["text"] for part in parts),
    )
    return [message], facts
