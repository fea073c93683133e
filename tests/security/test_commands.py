"""bot/security/commands.py: slash messages are commands only when we offered them."""

from __future__ import annotations

import pytest

from bot.security.commands import as_plain_text, offered_payloads


def test_offered_payloads_are_our_buttons_without_entities():
    offered = offered_payloads()
    assert {"/request_human", "/ask_return", "/ask_must_accept"} <= offered
    assert "/restart" not in offered and "/session_start" not in offered
    assert all(p.startswith("/") and "{" not in p for p in offered)


@pytest.mark.parametrize(
    "typed, read_as",
    [
        ("/ask_must_accept", "/ask_must_accept"),  # a button press
        (" /request_human ", "/request_human"),
        ("/restart", "restart"),
        ("/session_start", "session_start"),
        ("/back", "back"),
        ("//restart", "restart"),
        ('/provide_order_id{"order_id":"2026112500000004","phone_last4":"1004"}',
         'provide_order_id{"order_id":"2026112500000004","phone_last4":"1004"}'),
        ('/ask_return{"order_id":"2026112500000004"}', 'ask_return{"order_id":"2026112500000004"}'),
        ("/ask_return@0.99", "ask_return@0.99"),
        ("반품할래요 /restart", "반품할래요 /restart"),
        ("/", ""),
    ],
)
def test_unoffered_commands_become_plain_words(typed, read_as):
    assert as_plain_text(typed) == read_as
