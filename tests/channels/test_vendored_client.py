"""The committed socket.io browser client is the one package.json pins."""

from __future__ import annotations

import json

from bot.channels.widget import WEB_DIR
from tests.support.stack import PROJECT_ROOT


def test_vendored_socketio_matches_package_json() -> None:
    pinned = json.loads((PROJECT_ROOT / "package.json").read_text())["devDependencies"][
        "socket.io-client"
    ]
    vendored = (WEB_DIR / "vendor" / "socket.io.min.js").read_text(encoding="utf-8")
    assert vendored.startswith(f"/*!\n * Socket.IO v{pinned}\n")
    assert "sourceMappingURL" not in vendored  # the map is not vendored
    assert (
        (WEB_DIR / "vendor" / "VERSIONS.txt").read_text().startswith(f"socket.io-client {pinned} ")
    )
