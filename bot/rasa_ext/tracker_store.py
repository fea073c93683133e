"""Rasa's SQL tracker store, writing only redacted events (bot/security/redact.py).

endpoints.yml:
    tracker_store:
      type: bot.rasa_ext.tracker_store.PrivateSQLTrackerStore
      dialect: "sqlite"          # or postgresql, with url/port/db/username/password
      db: "var/tracker.db"

Redaction happens at the last moment, so the turn in progress still sees what the buyer
typed; what reaches the database (and later turns, which reload it) is the redacted copy.
A SQLite file is created in a directory only its owner can read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.security.keys import private_dir
from bot.security.redact import redact_event
from bot.settings import get_settings


class PrivateSQLTrackerStore(SQLTrackerStore):
    def __init__(self, dialect: str = "sqlite", db: str = "rasa.db", **kwargs: Any) -> None:
        if dialect == "sqlite" and db:
            private_dir(Path(db).resolve().parent)
        super().__init__(dialect=dialect, db=db, **kwargs)

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
