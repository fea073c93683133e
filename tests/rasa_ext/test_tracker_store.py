"""bot/rasa_ext/tracker_store.py: Rasa's SQL tracker store, redacting before it writes."""

from __future__ import annotations

import asyncio
import stat

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_ext.tracker_store import PrivateSQLTrackerStore
from bot.security.proof import seal_phone
from tests.support.stack import PROJECT_ROOT


def test_typed_digits_never_reach_the_database(tmp_path):
    path = tmp_path / "private" / "tracker.db"
    domain = Domain.load(PROJECT_ROOT / "domain.yml")
    store = PrivateSQLTrackerStore(domain=domain, dialect="sqlite", db=str(path))
    tracker = DialogueStateTracker.from_events("buyer", slots=domain.slots, evts=[
        UserUttered("2026112500000004 끝자리 1004",
                    {"name": "provide_order_id", "confidence": 1.0},
                    [{"entity": "phone_last4", "value": "1004", "start": 21, "end": 25}],
                    metadata={"client": {"channel": "rest", "ip": "203.0.113.7"}}),
        SlotSet("phone_last4", "1004"),
        SlotSet("phone_last4", seal_phone("1004")),
    ])
    asyncio.run(store.save(tracker))

    raw = b"".join(p.read_bytes() for p in path.parent.glob("tracker.db*"))  # + -wal, -shm
    assert b"1004" not in raw and b"203.0.113.7" not in raw
    assert b"2026112500000004" in raw  # the order number is kept for the store's agents
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700

    reloaded = asyncio.run(store.retrieve("buyer"))
    assert reloaded.get_slot("phone_last4") == seal_phone("1004")
    assert reloaded.latest_message.text == "2026112500000004 끝자리 ****"


def test_sqlite_runs_in_write_ahead_log_mode(tmp_path):
    path = tmp_path / "tracker.db"
    store = PrivateSQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(path))
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
