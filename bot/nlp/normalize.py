"""Canonical entity values for the dialogue code: digits only, carrier codes.

Pure functions with no spaCy import, so the action server can use them cheaply. Each
takes an entity value or a whole message and returns None when nothing fits; they use
the same rules as the NLU entity component (bot/nlp/patterns.py).
"""

from __future__ import annotations

import re

from bot.nlp.carriers import alias_table
from bot.nlp.patterns import CARRIER, ORDER_ID, PHONE_LAST4, find_entities

_ALIASES = alias_table()


def _first(text: str, label: str) -> str | None:
    for found in find_entities(text):
        if found.label == label:
            return text[found.start : found.end]
    return None


def normalize_order_id(text: str) -> str | None:
    """'2026-1125-0000-0001' -> '2026112500000001'; None unless exactly 16 digits."""
    value = _first(text, ORDER_ID)
    return re.sub(r"\D", "", value) if value else None


def normalize_phone_last4(text: str) -> str | None:
    """'5678', '뒷자리 5678요' or '010-1234-5678' -> '5678'; None if there are none."""
    value = _first(text, PHONE_LAST4)
    return re.sub(r"\D", "", value)[-4:] if value else None


def normalize_carrier(text: str) -> str | None:
    """'CJ대한통운', '롯데 택배로요', 'hanjin' -> 'CJGLS', 'HYUNDAI', 'HANJIN'."""
    value = _first(text, CARRIER)
    return _ALIASES.get(re.sub(r"\s+", " ", value).lower()) if value else None
