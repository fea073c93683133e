"""Order store command line.

    python -m bot.orders load FILE.json        upsert product orders (all or nothing)
    python -m bot.orders seed-demo [--if-empty] [--now ISO] [--into-configured]
    python -m bot.orders export-demo [--now ISO]   print the demo set as API JSON
    python -m bot.orders count
    python -m bot.orders sync [--since ISO] [--follow]   pull changed orders from the Commerce API

The database is ORDERS_DB_URL (default: SQLite under var/). Demo orders go only into the
embedded default: their digits are public (README), so a configured store refuses them
unless --into-configured says that is really meant.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot import clock
from bot.orders.demo import demo_documents, demo_records
from bot.orders.model import OrderDataError, parse_records
from bot.orders.store import OrderStore, configured_url, masked_url


def _now(text: str | None):
    return clock.parse_instant(text) if text else clock.now()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.orders", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    load = commands.add_parser("load", help="upsert a JSON list of product orders")
    load.add_argument("file", type=Path)
    seed = commands.add_parser("seed-demo", help="load the demo order set")
    seed.add_argument("--if-empty", action="store_true", help="only when the store is empty")
    seed.add_argument("--now", help="ISO-8601 time the demo is relative to (default: now)")
    seed.add_argument("--into-configured", action="store_true",
                      help="seed even into the store ORDERS_DB_URL names")
    export = commands.add_parser("export-demo", help="print the demo set as API JSON")
    export.add_argument("--now", help="ISO-8601 time the demo is relative to (default: now)")
    commands.add_parser("count", help="how many product orders the store holds")
    sync = commands.add_parser(
        "sync", help="pull changed product orders from the Commerce API (COMMERCE_CLIENT_ID, "
        "COMMERCE_CLIENT_SECRET, COMMERCE_API_URL)")
    sync.add_argument("--since", help="ISO-8601 time to (re)read the change feed from, "
                      "instead of the stored cursor (a backfill)")
    sync.add_argument("--follow", action="store_true",
                      help="keep polling every live.sync_interval_seconds (bot/settings.yml)")
    args = parser.parse_args(argv)

    if args.command == "sync":
        from bot.live.worker import run_sync  # the live store's packages load only here

        return run_sync(clock.parse_instant(args.since) if args.since else None, args.follow)

    if args.command == "export-demo":
        json.dump(demo_documents(_now(args.now)), sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0

    if args.command == "seed-demo" and configured_url() and not args.into_configured:
        if args.if_empty:  # `make run` against a real store: nothing to do
            return 0
        print(f"error: ORDERS_DB_URL is set ({masked_url(configured_url())}); demo orders "
              "go only into the embedded store (add --into-configured to insist)",
              file=sys.stderr)
        return 2

    store = OrderStore()
    shown = masked_url(store.url)
    if args.command == "count":
        print(store.count())
        return 0
    if args.command == "seed-demo":
        if args.if_empty and store.count() > 0:
            print(f"order store already holds {store.count()} product orders; not seeding")
            return 0
        loaded = store.upsert(demo_records(_now(args.now)))
        print(f"seeded {loaded} demo product orders into {shown}")
        return 0

    try:
        document = json.loads(args.file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        print(f"error: {args.file}: no such file", file=sys.stderr)
        return 2
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        print(f"error: {args.file}: not valid JSON: {error}", file=sys.stderr)
        return 2
    try:
        records = parse_records(document)
    except OrderDataError as error:
        print(f"error: {args.file}: nothing loaded:\n{error}", file=sys.stderr)
        return 2
    loaded = store.upsert(records)
    print(f"loaded {loaded} product orders from {args.file} into {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
