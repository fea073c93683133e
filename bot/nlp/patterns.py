"""Rule-based entities: order numbers, invoice numbers, phone digits and carriers.

`find_entities` works on the raw text, so the rules do not depend on how Kiwi splits a
number ("2026-1125-0000-0001" is one token, "2026 1125 0000 0001" four). Pure Python:
the spaCy component (bot/nlp/entities.py) and the value normalisers both use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.nlp.carriers import carrier_regex

ORDER_ID = "order_id"
TRACKING_NUMBER = "tracking_number"
PHONE_LAST4 = "phone_last4"
CARRIER = "carrier"

# ASCII digits only (`\d` would take Arabic-Indic or full-width digits); full-width ones are
# folded to ASCII before the NLU sees them (bot/rasa_ext/length_cap.py).
# Digit groups joined by single spaces or dashes, not glued to Latin letters or to
# more digits ("10,000", "3.5", "A1234B" are not ours).
_CHAIN = re.compile(r"(?<![0-9A-Za-z])(?<![0-9][.,])[0-9]+(?:[ -][0-9]+)*(?![0-9A-Za-z]|[.,][0-9])")
_CHUNK = re.compile(r"[0-9]+(?:-[0-9]+)*")  # a space-free piece of a chain
# A Korean mobile or dashed landline number: the buyer typed the whole phone number.
_PHONE = re.compile(r"01[016789]-?[0-9]{3,4}-?[0-9]{4}|0[0-9]{1,2}-[0-9]{3,4}-[0-9]{4}")
_SPACED_MOBILE = re.compile(r"01[016789] [0-9]{3,4} [0-9]{4}")
# Four digits followed by a unit are a year, an amount or a count, not phone digits.
_UNIT_AFTER = re.compile(
    r"\s?년|원|개|건|명|회|월|일|시|분|초|만|천|억|호|층|번째|박스|장|권|벌|%|배|살|세"
)
_CARRIERS = carrier_regex()


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    label: str


def _digits(text: str) -> int:
    return sum("0" <= char <= "9" for char in text)


def _numbers_in_chain(text: str, chain: re.Match[str]) -> list[Found]:
    """Classify the space-separated chunks of one digit chain.

    An order number may be typed in space-separated groups (2026 1125 0000 0001), an
    invoice number only in one piece (dashes allowed). Four lone digits are phone
    digits only if nothing else in the chain is an unexplained number.
    """
    chunks = list(_CHUNK.finditer(text, chain.start(), chain.end()))
    found: list[Found] = []
    phone_candidates: list[Found] = []
    unexplained = 0
    i = 0
    while i < len(chunks):
        chunk = chunks[i]
        order_end = _order_id_end(chunks, i)
        if order_end is not None:
            found.append(Found(chunk.start(), chunks[order_end].end(), ORDER_ID))
            i = order_end + 1
            continue
        phone_end = _phone_end(chunks, i)
        if phone_end is not None:
            found.append(Found(chunk.start(), chunks[phone_end].end(), PHONE_LAST4))
            i = phone_end + 1
            continue
        digits = _digits(chunk.group())
        if 9 <= digits <= 14:
            found.append(Found(chunk.start(), chunk.end(), TRACKING_NUMBER))
        elif digits == 4 and "-" not in chunk.group():
            if not _UNIT_AFTER.match(text, chunk.end()):
                phone_candidates.append(Found(chunk.start(), chunk.end(), PHONE_LAST4))
        else:
            unexplained += 1
        i += 1
    if len(phone_candidates) == 1 and not unexplained:
        found += phone_candidates
    return found


def _order_id_end(chunks: list[re.Match[str]], i: int) -> int | None:
    """Index of the last chunk of a 16-digit order number starting at chunk i, if any."""
    total = 0
    for j in range(i, len(chunks)):
        digits = _digits(chunks[j].group())
        if j > i and (digits > 8 or _digits(chunks[i].group()) > 8):
            return None  # several groups are 4s or 8s, not a long piece and a short one
        total += digits
        if total == 16:
            nxt = chunks[j + 1] if j + 1 < len(chunks) else None
            # A short group right after makes it a longer number (17 digits), not ours.
            if nxt is not None and j > i and _digits(nxt.group()) < 4:
                return None
            return j
        if total > 16:
            return None
    return None


def _phone_end(chunks: list[re.Match[str]], i: int) -> int | None:
    """Index of the last chunk of a whole phone number starting at chunk i, if any."""
    if _PHONE.fullmatch(chunks[i].group()):
        return i
    spaced = " ".join(chunk.group() for chunk in chunks[i : i + 3])
    if len(chunks) >= i + 3 and _SPACED_MOBILE.fullmatch(spaced):
        return i + 2
    return None


def find_entities(text: str) -> list[Found]:
    """All rule-based entities in the text, in order, without overlaps."""
    found: list[Found] = []
    for chain in _CHAIN.finditer(text):
        found += _numbers_in_chain(text, chain)
    for match in _CARRIERS.finditer(text):
        if not any(f.start < match.end() and match.start() < f.end for f in found):
            found.append(Found(match.start(), match.end(), CARRIER))
    return sorted(found, key=lambda f: f.start)
