"""Proof of ownership that a tracker cannot forge, and phone digits that are never kept.

* `seal_phone("1004")` is what the conversation keeps instead of the digits the buyer
  typed: a keyed hash, useless without the key and meaningless to a tracker reader.
* `issue(...)` signs "this conversation proved it owns these product orders" when the
  check succeeds. Answers load only the product orders a valid proof names, for the
  conversation it was issued to and for a limited time: a tracker with `verified: true`
  posted by anyone else proves nothing.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

from bot.security.keys import keyed_hash, same

SEALED_PREFIX = "h:"


def seal_phone(last4: str) -> str:
    return SEALED_PREFIX + keyed_hash("phone", last4)[:40]


def is_sealed(value: object) -> bool:
    return isinstance(value, str) and value.startswith(SEALED_PREFIX)


def row_phone_hash(product_order_id: str, sealed: str) -> str:
    """What the order store keeps for a product order's phone: bound to that row."""
    return keyed_hash("phone-row", f"{product_order_id}:{sealed}")


@dataclass(frozen=True)
class Proof:
    order_id: str
    product_order_ids: tuple[str, ...]
    issued_at: float


def _signature(payload: str, sender_id: str) -> str:
    return keyed_hash("proof", f"{sender_id}\n{payload}")[:43]


def issue(sender_id: str, order_id: str, product_order_ids: list[str], now: float) -> str:
    body = json.dumps({"o": order_id, "p": sorted(product_order_ids), "t": int(now)})
    payload = base64.urlsafe_b64encode(body.encode()).decode().rstrip("=")
    return f"{payload}.{_signature(payload, sender_id)}"


def check(token: object, sender_id: str, now: float, max_age_seconds: float) -> Proof | None:
    """The proof in `token` if it is ours, for this conversation and recent; else None."""
    if not isinstance(token, str) or token.count(".") != 1:
        return None
    payload, signature = token.split(".")
    if not same(signature, _signature(payload, sender_id)):
        return None
    try:
        body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        proof = Proof(str(body["o"]), tuple(str(p) for p in body["p"]), float(body["t"]))
    except (binascii.Error, ValueError, KeyError, TypeError):
        return None
    if not 0 <= now - proof.issued_at <= max_age_seconds:
        return None
    return proof
