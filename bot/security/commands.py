"""Which slash messages a buyer may send: exactly the button payloads the assistant offers.

Rasa reads any message starting with `/` as a ready-made intent (`/restart`,
`/session_start`, `/provide_order_id{"order_id": ...}`), which would let a user drive the
dialogue engine. A button press arrives as its payload, so those payloads must keep
working; anything else is read as ordinary text.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot.messages import button_titles, catalogue

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PREFIX = "/"


def _button_payloads(responses: dict[str, Any]) -> set[str]:
    payloads = set()
    for variants in responses.values():
        for variant in variants if isinstance(variants, list) else [variants]:
            for button in (variant or {}).get("buttons") or []:
                payloads.add(str(button["payload"]))
    return payloads


@cache
def offered_payloads() -> frozenset[str]:
    """Every payload a button of ours can carry: messages.yml, domain.yml, fallback buttons."""
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    payloads = _button_payloads(catalogue()) | _button_payloads(domain.get("responses") or {})
    payloads |= {PREFIX + intent for intent in button_titles()}
    # Entities in a payload would be user-supplied values: never offered, never accepted.
    return frozenset(p for p in payloads if "{" not in p and "@" not in p)


def as_plain_text(text: str, offered: frozenset[str] | None = None) -> str:
    """`text` unless it is a slash command we did not offer; then the words without slashes."""
    stripped = text.strip()
    if not stripped.startswith(PREFIX):
        return text
    if stripped in (offered if offered is not None else offered_payloads()):
        return stripped
    return stripped.lstrip(PREFIX).lstrip()
