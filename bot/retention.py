"""Forget old conversations (and stale ledger entries).

    python -m bot.retention [--endpoints endpoints.yml] [--older-than-days N] [--dry-run]

Deletes every conversation whose last event is older than N days (default:
`privacy.conversation_retention_days` in bot/settings.yml) from the SQL tracker store the
endpoints file names, and ledger failures and locks that no longer count from the order
store. `make forget` runs it; schedule it daily (cron, a Kubernetes CronJob ...).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from rasa.core.tracker_store import SQLTrackerStore
from rasa.utils.endpoints import read_endpoint_config
from sqlalchemy import create_engine, delete, func, select, text

from bot.orders.store import OrderStore, masked_url
from bot.security import ledger
from bot.settings import get_settings


def tracker_db_url(endpoints: Path) -> str:
    # Rasa expands every ${VAR} in the file; this command never calls the action server.
    os.environ.setdefault("ACTION_SERVER_TOKEN", "not-used-here")
    config = read_endpoint_config(str(endpoints), "tracker_store")
    kind = (config.type or "") if config else ""
    if kind.lower() != "sql" and not kind.endswith("SQLTrackerStore"):
        raise SystemExit(f"error: {endpoints} names no SQL tracker store")
    options = config.kwargs
    url = SQLTrackerStore.get_db_url(
        options.get("dialect", "sqlite"), config.url, options.get("port"),
        options.get("db", "rasa.db"), options.get("username"), options.get("password"),
        options.get("login_db"), options.get("query"),
    )
    return url if isinstance(url, str) else url.render_as_string(hide_password=False)


def forget_conversations(url: str, cutoff: float, dry_run: bool) -> int:
    """Delete conversations idle since before `cutoff`; returns how many."""
    engine = create_engine(url, future=True)
    stale = (
        "SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :cutoff"
    )
    with engine.begin() as connection:
        senders = [row[0] for row in connection.execute(text(stale), {"cutoff": cutoff})]
        if senders and not dry_run:
            connection.execute(text(f"DELETE FROM events WHERE sender_id IN ({stale})"),
                               {"cutoff": cutoff})
    return len(senders)


def forget_ledger_entries(store: OrderStore, now: float) -> int:
    security = get_settings().security
    longest = max(security.order, security.conversation, security.ip,
                  key=lambda limit: limit.window_minutes)
    since = now - longest.window_minutes * 60
    with store.engine.begin() as connection:
        old = connection.execute(
            select(func.count()).select_from(ledger.failures).where(ledger.failures.c.at < since)
        ).scalar_one()
        connection.execute(delete(ledger.failures).where(ledger.failures.c.at < since))
        connection.execute(delete(ledger.locks).where(ledger.locks.c.until < now))
    return old


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.retention", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoints", type=Path, default=Path("endpoints.yml"))
    parser.add_argument("--older-than-days", type=float,
                        default=get_settings().privacy.conversation_retention_days)
    parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")
    args = parser.parse_args(argv)
    now = time.time()
    url = tracker_db_url(args.endpoints)
    count = forget_conversations(url, now - args.older_than_days * 86400, args.dry_run)
    verb = "would forget" if args.dry_run else "forgot"
    print(f"{verb} {count} conversations idle for over {args.older_than_days:g} days "
          f"in {masked_url(url)}")
    if not args.dry_run:
        store = OrderStore()
        ledger.SqlLedger(store.engine)  # creates the tables if this store has never had any
        print(f"forgot {forget_ledger_entries(store, now)} expired ledger entries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
