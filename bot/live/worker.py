"""`python -m bot.orders sync`: one pass over the change feed, or --follow to keep polling.

Beside the assistant, run it as its own process (`make sync`): it writes to ORDERS_DB_URL,
the store the action server reads. A page that fails stops the pass with its error and
leaves the cursor before the page; --follow logs it and tries again at the next interval.
"""

from __future__ import annotations

import signal
import sys
import threading
from datetime import datetime

from bot import clock
from bot.live.commerce import CommerceClient, CommerceError, configured
from bot.live.sync import SyncError, sync
from bot.orders.store import OrderStore, masked_url
from bot.settings import get_settings


def _say(text: str, error: bool = False) -> None:
    print(f"{clock.now().isoformat(timespec='seconds')} {text}",
          file=sys.stderr if error else sys.stdout, flush=True)


def run_sync(since: datetime | None, follow: bool, stop: threading.Event | None = None) -> int:
    config = configured()
    if config is None:
        print("error: set COMMERCE_CLIENT_ID and COMMERCE_CLIENT_SECRET (and COMMERCE_API_URL "
              "for another endpoint) to sync from the Commerce API; see README "
              "'Connect your store'", file=sys.stderr)
        return 2
    settings = get_settings().live
    if stop is None:  # the command line: SIGTERM / Ctrl-C end the wait between passes
        stop = threading.Event()
        if follow:
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, lambda *_: stop.set())
    store = OrderStore()
    client = CommerceClient(config, settings)
    _say(f"syncing {config.api_url} into {masked_url(store.url)}")
    status = 0
    try:
        while True:
            try:
                report = sync(client, store, clock.now(), settings, since=since)
            except (CommerceError, SyncError) as error:
                _say(f"error: {error}", error=True)
                status = 1
                if not follow:
                    return status
            else:
                status = 0
                cursor = report.cursor.changed_from.isoformat() if report.cursor else "-"
                _say(f"stored {report.product_orders} product orders from {report.pages} "
                     f"pages; next from {cursor}")
            since = None  # a backfill runs once; then the stored cursor leads
            if not follow or stop.wait(settings.sync_interval_seconds):
                return status
    finally:
        client.close()
