"""What a stored conversation may keep of what the buyer typed.

Pure functions over Rasa's event dicts (`event.as_dict()`), used by the tracker store just
before it writes (bot/rasa_ext/tracker_store.py):

* user text: digits are folded to ASCII, then every run of 4 or more digits is masked
  unless it is an order or invoice number (phone digits, whole phone numbers, card or
  account numbers typed by mistake); over-long text is cut to the message cap;
* parse data: the same text, phone entities masked;
* the phone slot: only its keyed hash (bot/security/proof.py) is kept;
* client metadata: the channel name only (no IP address).
"""

from __future__ import annotations

import copy
import re
from typing import Any

from bot.nlp.digits import fold_digits
from bot.nlp.patterns import ORDER_ID, PHONE_LAST4, TRACKING_NUMBER, find_entities
from bot.security.proof import is_sealed

MASK = "*"
_DIGIT_RUN = re.compile(r"\d{4,}")  # any script's digits: nothing may slip through
_KEPT = {ORDER_ID, TRACKING_NUMBER}
CUT_MARK = " …(잘림)"


def redact_text(text: str, max_chars: int) -> str:
    folded = fold_digits(text)
    kept = [(f.start, f.end) for f in find_entities(folded) if f.label in _KEPT]

    def mask(match: re.Match[str]) -> str:
        inside = any(start <= match.start() and match.end() <= end for start, end in kept)
        return match.group() if inside else MASK * len(match.group())

    redacted = _DIGIT_RUN.sub(mask, folded)
    return redacted if len(redacted) <= max_chars else redacted[:max_chars] + CUT_MARK


def _redact_parse_data(parse_data: dict[str, Any], max_chars: int) -> dict[str, Any]:
    if isinstance(parse_data.get("text"), str):
        parse_data["text"] = redact_text(parse_data["text"], max_chars)
    for entity in parse_data.get("entities") or []:
        if entity.get("entity") == PHONE_LAST4:
            entity["value"] = MASK * 4
    return parse_data


def redact_event(event: dict[str, Any], max_chars: int) -> dict[str, Any]:
    """A copy of `event` that is safe to store."""
    kind = event.get("event")
    if kind == "user":
        event = copy.deepcopy(event)
        if isinstance(event.get("text"), str):
            event["text"] = redact_text(event["text"], max_chars)
        if isinstance(event.get("parse_data"), dict):
            _redact_parse_data(event["parse_data"], max_chars)
        metadata = event.get("metadata")
        if isinstance(metadata, dict) and isinstance(metadata.get("client"), dict):
            metadata["client"] = {"channel": metadata["client"].get("channel")}
        return event
    if kind == "slot" and event.get("name") == "phone_last4" and not is_sealed(event.get("value")):
        return {**event, "value": None}
    return event
