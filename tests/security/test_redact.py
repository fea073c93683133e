"""bot/security/redact.py: what a stored conversation keeps of what the buyer typed."""

from __future__ import annotations

import pytest

from bot.security.proof import seal_phone
from bot.security.redact import CUT_MARK, redact_event, redact_text


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("1004", "****"),
        ("１００４", "****"),  # full-width digits too
        ("폰 끝자리 1004요", "폰 끝자리 ****요"),
        ("010-2345-1004", "010-****-****"),
        ("2026112500000004 1004", "2026112500000004 ****"),  # the order number stays
        ("2026 1125 0000 0004", "2026 1125 0000 0004"),
        ("송장 123456789012 조회가 안 돼요", "송장 123456789012 조회가 안 돼요"),
        ("3일 지났는데 10,000원", "3일 지났는데 10,000원"),
        ("٩٩٩٩", "****"),  # digits of any script
    ],
)
def test_digit_runs_are_masked_except_order_and_invoice_numbers(typed, stored):
    assert redact_text(typed, 2000) == stored


def test_long_text_is_cut():
    assert redact_text("가" * 50, 10) == "가" * 10 + CUT_MARK


def user_event(text: str, entities=None) -> dict:
    return {
        "event": "user",
        "text": text,
        "parse_data": {"text": text, "intent": {"name": "provide_phone_last4"},
                       "entities": entities or []},
        "metadata": {"client": {"channel": "rest", "ip": "203.0.113.7"}},
    }


def test_a_user_event_keeps_no_digits_and_no_address():
    event = user_event("1004", [{"entity": "phone_last4", "value": "1004", "start": 0, "end": 4}])
    stored = redact_event(event, 2000)
    assert "1004" not in str(stored) and "203.0.113.7" not in str(stored)
    assert stored["metadata"] == {"client": {"channel": "rest"}}
    assert stored["parse_data"]["intent"] == {"name": "provide_phone_last4"}
    assert event["text"] == "1004"  # the turn in progress keeps its own copy


def test_the_phone_slot_keeps_only_its_seal():
    sealed = seal_phone("1004")
    assert redact_event({"event": "slot", "name": "phone_last4", "value": "1004"}, 2000)[
        "value"
    ] is None
    kept = {"event": "slot", "name": "phone_last4", "value": sealed}
    assert redact_event(kept, 2000) == kept
    other = {"event": "slot", "name": "order_id", "value": "2026112500000004"}
    assert redact_event(other, 2000) == other
