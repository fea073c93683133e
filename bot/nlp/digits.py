"""Digits as buyers type them: full-width (３１０５), circled or superscript forms included.

Everything that reads digits works on ASCII 0-9 only, after Unicode compatibility
normalisation (NFKC): `\\d` in Python also matches Arabic-Indic or Devanagari digits, which
no order number or phone contains.
"""

from __future__ import annotations

import unicodedata
from typing import Any

ASCII_DIGITS = frozenset("0123456789")


def _fold(char: str) -> str:
    if char.isascii():
        return char
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 and folded in ASCII_DIGITS else char


def fold_digits(text: str) -> str:
    """Compatibility digits become ASCII, one character for one: offsets stay valid."""
    return "".join(_fold(char) for char in text)


def ascii_digits(value: Any) -> str:
    """The ASCII digits of a value (a slot may hold a list), after NFKC."""
    if isinstance(value, list):
        value = value[0] if value else ""
    text = unicodedata.normalize("NFKC", str(value or ""))
    return "".join(char for char in text if char in ASCII_DIGITS)
