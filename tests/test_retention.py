"""bot/retention.py: conversations idle past the retention age are deleted, others kept."""

from __future__ import annotations

import asyncio
import time

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, text

from bot import retention
from bot.rasa_ext.tracker_store import PrivateSQLTrackerStore
from tests.support.stack import PROJECT_ROOT

DAY = 86400.0


def test_forget_deletes_only_conversations_idle_for_longer_than_the_age(tmp_path, monkeypatch):
    monkeypatch.setenv("ORDERS_DB_URL", f"sqlite:///{tmp_path / 'orders.db'}")
    db = tmp_path / "tracker.db"
    domain = Domain.load(PROJECT_ROOT / "domain.yml")
    store = PrivateSQLTrackerStore(domain=domain, dialect="sqlite", db=str(db))
    now = time.time()
    for sender, age_days in (("old", 40), ("recent", 2), ("old-but-back", 40)):
        events = [UserUttered("안녕하세요", timestamp=now - age_days * DAY)]
        if sender == "old-but-back":
            events.append(UserUttered("또 왔어요", timestamp=now - DAY))
        asyncio.run(store.save(DialogueStateTracker.from_events(sender, events)))
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        "tracker_store:\n  type: bot.rasa_ext.tracker_store.PrivateSQLTrackerStore\n"
        f"  dialect: sqlite\n  db: {db}\n", encoding="utf-8"
    )

    assert retention.main(["--endpoints", str(endpoints), "--older-than-days", "30",
                           "--dry-run"]) == 0
    assert _senders(db) == {"old", "recent", "old-but-back"}
    assert retention.main(["--endpoints", str(endpoints), "--older-than-days", "30"]) == 0
    assert _senders(db) == {"recent", "old-but-back"}


def _senders(db) -> set[str]:
    with create_engine(f"sqlite:///{db}").connect() as connection:
        return {row[0] for row in connection.execute(text("SELECT sender_id FROM events"))}
