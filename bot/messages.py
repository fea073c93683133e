"""The buyer-facing Korean said by actions: bot/messages.yml, rendered with a reply's values."""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path
from typing import Any

import yaml

MESSAGES_PATH = Path(__file__).with_name("messages.yml")


@cache
def catalogue() -> dict[str, dict[str, Any]]:
    return yaml.safe_load(MESSAGES_PATH.read_text(encoding="utf-8"))


def placeholders(name: str) -> set[str]:
    text = catalogue()[name]["text"]
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def render(name: str, values: dict[str, str] | None = None) -> dict[str, Any]:
    """{"text": ..., "buttons": [...]} for message `name`; a missing value is an error."""
    message = catalogue()[name]
    missing = placeholders(name) - set(values or {})
    if missing:
        raise KeyError(f"message {name!r} needs values {sorted(missing)}")
    return {
        "text": message["text"].format(**(values or {})),
        "buttons": [dict(button) for button in message.get("buttons", [])],
    }
