"""The fixed moment the tests are dated from: a Friday, as tests/fixtures/orders.json is."""

from datetime import datetime

from bot.clock import KST

FIXED_NOW = datetime(2026, 11, 27, 10, 0, tzinfo=KST)
FIXED_NOW_TEXT = "2026-11-27T10:00:00+09:00"  # the same moment, for BOT_NOW and CLIs
