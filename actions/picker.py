"""The item picker: an order number with several product orders gets one button per item
instead of an answer about whichever item came first. A button sends the product order's
own number, which the proof already names, so picking never widens what is shown."""

from __future__ import annotations

from dataclasses import asdict

from rasa_sdk.executor import CollectingDispatcher

from actions.common import picked_item
from bot.messages import render
from bot.orders.model import ProductOrderRecord
from bot.settings import get_settings

__all__ = ["ask_item", "general_values", "item_buttons", "picked_item"]


def item_buttons(records: list[ProductOrderRecord]) -> list[dict[str, str]]:
    return [{"title": record.productOrder.productName, "payload": record.product_order_id}
            for record in sorted(records, key=lambda r: r.product_order_id)]


def ask_item(dispatcher: CollectingDispatcher, records: list[ProductOrderRecord]) -> None:
    message = render("pick_item")
    dispatcher.utter_message(text=message["text"], buttons=item_buttons(records))


def general_values() -> dict[str, str]:
    """Settings a general answer may quote (bot/settings.yml `after_sale`)."""
    return {key: str(value) for key, value in asdict(get_settings().after_sale).items()}
