"""The one clock of the app, in Asia/Seoul.

`BOT_NOW` (ISO-8601, e.g. 2026-11-27T10:00:00+09:00) fixes it for demos and tests.
"""

from __future__ import annotations

import os
from datetime import datetime
from zoneinfo import ZoneInfo

KST = ZoneInfo("Asia/Seoul")


def to_kst(moment: datetime) -> datetime:
    """An aware datetime in KST; a naive one is taken to be KST already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=KST)
    return moment.astimezone(KST)


def parse_instant(text: str) -> datetime:
    """Parse an ISO-8601 time (API form '2026-11-26T10:05:00.000+09:00' included) into KST."""
    value = text.strip()
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    return to_kst(datetime.fromisoformat(value))


def now() -> datetime:
    fixed = os.environ.get("BOT_NOW", "").strip()
    if fixed:
        try:
            return parse_instant(fixed)
        except ValueError as error:
            raise ValueError(f"BOT_NOW is not an ISO-8601 time: {fixed!r}") from error
    return datetime.now(KST)
