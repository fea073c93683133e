"""The one secret key, and the keyed hashes and signatures derived from it.

BOT_SECRET_KEY (any long random text) is the key at scale: every action server, Rasa replica
and order loader must share it. Without it the embedded default keeps a random key in
var/secret.key (created once, readable by its owner only), so `make run` needs no set-up.
Each use derives its own sub-key (`purpose`), so a value signed for one use never verifies
for another.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
KEY_FILE = PROJECT_ROOT / "var" / "secret.key"


def private_dir(path: Path) -> Path:
    """Create `path` (and parents) readable by its owner only.

    A directory other users share (sticky, like /tmp) or that belongs to someone else is
    left as it is: closing it would break them, and whatever lives in it is protected by its
    own file mode instead."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = path.stat()
    if info.st_mode & stat.S_ISVTX or info.st_uid != os.getuid():
        return path
    path.chmod(0o700)
    return path


def _key_from_file(path: Path) -> bytes:
    private_dir(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:  # first use: write a fresh key; O_EXCL keeps concurrent starters from racing
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 32:
        raise RuntimeError(f"{path} holds no usable key; delete it to make a new one")
    return key.encode()


@lru_cache(maxsize=1)
def master_key() -> bytes:
    configured = os.environ.get("BOT_SECRET_KEY", "").strip()
    if configured:
        if len(configured) < 32:
            raise RuntimeError("BOT_SECRET_KEY must be at least 32 characters of random text")
        return configured.encode()
    return _key_from_file(KEY_FILE)


def sub_key(purpose: str) -> bytes:
    label = f"smartstore-assistant/{purpose}".encode()
    return hmac.new(master_key(), label, hashlib.sha256).digest()


def keyed_hash(purpose: str, text: str) -> str:
    """A keyed SHA-256 of `text` (hex): equal inputs match, nothing can be read back."""
    return hmac.new(sub_key(purpose), text.encode(), hashlib.sha256).hexdigest()


def same(a: str, b: str) -> bool:
    """Constant-time comparison of two ASCII strings (any other input is simply unequal)."""
    try:
        return hmac.compare_digest(a.encode("ascii"), b.encode("ascii"))
    except (AttributeError, UnicodeEncodeError):
        return False
