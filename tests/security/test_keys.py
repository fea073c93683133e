"""bot/security/keys.py: private directories for keys and databases."""

from __future__ import annotations

import stat

from bot.security.keys import private_dir


def test_a_private_dir_is_owner_only(tmp_path):
    target = private_dir(tmp_path / "var" / "db")
    assert stat.S_IMODE(target.stat().st_mode) == 0o700


def test_a_shared_sticky_dir_like_tmp_is_left_open(tmp_path):
    # A SQLite file placed straight in /tmp must not close /tmp to everyone else.
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    private_dir(shared)
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
