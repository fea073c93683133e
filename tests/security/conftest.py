"""Every security test signs and hashes with its own throwaway key."""

from __future__ import annotations

import pytest

from bot.security.keys import master_key


@pytest.fixture(autouse=True)
def secret_key(monkeypatch):
    monkeypatch.setenv("BOT_SECRET_KEY", "security-test-key-" + "0" * 32)
    master_key.cache_clear()
    yield
    master_key.cache_clear()
