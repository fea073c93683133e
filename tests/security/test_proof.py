"""bot/security/proof.py: sealed phone digits and signed proofs of ownership."""

from __future__ import annotations

from bot.security import proof
from bot.security.keys import master_key

NOW = 1_800_000_000.0


def test_a_proof_checks_for_its_own_conversation_only():
    token = proof.issue("buyer-1", "2026112500000004", ["2026112590000004"], NOW)
    found = proof.check(token, "buyer-1", NOW + 5, 60)
    assert found == proof.Proof("2026112500000004", ("2026112590000004",), int(NOW))
    assert proof.check(token, "buyer-2", NOW + 5, 60) is None


def test_a_proof_expires():
    token = proof.issue("buyer-1", "2026112500000004", ["2026112590000004"], NOW)
    assert proof.check(token, "buyer-1", NOW + 61, 60) is None
    assert proof.check(token, "buyer-1", NOW - 10, 60) is None  # issued in the future


def test_a_changed_proof_is_refused():
    token = proof.issue("buyer-1", "2026112500000004", ["2026112590000004"], NOW)
    payload, signature = token.split(".")
    other = proof.issue("buyer-1", "2026112500000005", ["2026112590000005"], NOW)
    assert proof.check(f"{other.split('.')[0]}.{signature}", "buyer-1", NOW, 60) is None
    assert proof.check(f"{payload}.{signature[:-1]}x", "buyer-1", NOW, 60) is None
    for junk in (None, "", "a.b.c", 42, "..", f"{payload}."):
        assert proof.check(junk, "buyer-1", NOW, 60) is None


def test_a_proof_made_with_another_key_is_refused(monkeypatch):
    token = proof.issue("buyer-1", "2026112500000004", ["2026112590000004"], NOW)
    monkeypatch.setenv("BOT_SECRET_KEY", "another-key-" + "1" * 32)
    master_key.cache_clear()
    assert proof.check(token, "buyer-1", NOW, 60) is None


def test_sealed_digits_hide_the_digits_and_match_only_themselves():
    sealed = proof.seal_phone("1004")
    assert proof.is_sealed(sealed) and "1004" not in sealed
    assert sealed == proof.seal_phone("1004") != proof.seal_phone("1005")
    assert not proof.is_sealed("1004") and not proof.is_sealed(None)
    # Bound to the row: the same digits hash differently for two product orders.
    assert proof.row_phone_hash("2026112590000004", sealed) != proof.row_phone_hash(
        "2026112590000005", sealed
    )
