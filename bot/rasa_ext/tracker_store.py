"""Rasa's SQL tracker store, writing only redacted events (bot/security/redact.py).

endpoints.yml:
    tracker_store:
      type: bot.rasa_ext.tracker_store.PrivateSQLTrackerStore
      dialect: "sqlite"          # or postgresql, with url/port/db/username/password
      db: "var/tracker.db"

Redaction happens at the last moment, so the turn in progress still sees what the buyer
typed; what reaches the database (and later turns, which reload it) is the redacted copy.
A SQLite file is created in a directory only its owner can read.

SQLite runs in write-ahead-log mode with `synchronous=NORMAL`: Rasa saves the tracker once a
turn, and the default rollback journal with `synchronous=FULL` waited for two fsyncs per
save (about 20 ms a turn on these disks, a third of a turn; bench/latency.py). In WAL mode a
commit survives a crash of Rasa; only an operating-system crash or power loss can lose the
last turns, never corrupt the file. The `-wal` and `-shm` files sit beside the database, in
the same private directory.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy import create_engine, event
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import SingletonThreadPool

from bot.security.keys import private_dir
from bot.security.redact import redact_event
from bot.settings import get_settings


class PrivateSQLTrackerStore(SQLTrackerStore):
    def __init__(self, dialect: str = "sqlite", db: str = "rasa.db", **kwargs: Any) -> None:
        if dialect == "sqlite" and db:
            private_dir(Path(db).resolve().parent)
        super().__init__(dialect=dialect, db=db, **kwargs)
        if dialect == "sqlite":
            # SQLAlchemy 1.4 opens a new connection per session for a SQLite file; closing
            # the last one checkpoints the log (and syncs) after every save. Keep one open.
            url = self.engine.url
            self.engine.dispose()
            self.engine = create_engine(url, poolclass=SingletonThreadPool)
            event.listen(self.engine, "connect", _sqlite_write_ahead_log)
            self.sessionmaker = sessionmaker(bind=self.engine)

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        """SQLTrackerStore._retrieve reading the `data` column alone (no ORM object per
        event: a third of a load's time)."""
        with self.session_scope() as session:
            query = self._event_query(session, sender_id, fetch_events_from_all_sessions)
            events = [json.loads(data) for (data,) in query.with_entities(self.SQLEvent.data)]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    async def save(self, tracker: DialogueStateTracker) -> None:
        """SQLTrackerStore.save, with every new event redacted before it is written."""
        await self.stream_events(tracker)
        max_chars = get_settings().security.max_message_chars
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data = redact_event(event.as_dict(), max_chars)
                intent = data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY)
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=intent,
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.commit()


def _sqlite_write_ahead_log(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
