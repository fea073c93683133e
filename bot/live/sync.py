"""Keeping the order store current from the Commerce API, and fetching one order on demand.

The change feed (`last-changed-statuses`) is read page by page from a stored cursor. Each
page's product orders are fetched, validated all together and upserted in one transaction;
only after that commits does the cursor move past the page. A crash in between leaves the
cursor on the page, so a rerun fetches it again and the upsert (by product-order id)
converges: nothing lost, nothing duplicated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import Column, DateTime, MetaData, String, Table, select
from sqlalchemy.engine import Engine

from bot.clock import to_kst
from bot.live.commerce import ChangePage, CommerceClient
from bot.orders.model import OrderDataError, parse_records
from bot.orders.store import OrderStore
from bot.settings import LiveSettings

# The feed answers at most 24 hours per request (lastChangedTo - lastChangedFrom).
WINDOW = timedelta(hours=24)
FEED = "last-changed-statuses"

metadata = MetaData()
sync_cursors = Table(
    "sync_cursors",
    metadata,
    Column("feed", String(40), primary_key=True),
    Column("changed_from", String(40), nullable=False),  # ISO-8601 with offset
    Column("more_sequence", String(100)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class Cursor:
    """Where the next page of the feed starts."""

    changed_from: datetime
    more_sequence: str | None = None


class SyncError(RuntimeError):
    """A page could not be stored; nothing of it was written and the cursor did not move."""


def load_cursor(engine: Engine) -> Cursor | None:
    metadata.create_all(engine)
    with engine.connect() as connection:
        row = connection.execute(
            select(sync_cursors).where(sync_cursors.c.feed == FEED)
        ).first()
    if row is None:
        return None
    return Cursor(to_kst(datetime.fromisoformat(row.changed_from)), row.more_sequence)


def save_cursor(engine: Engine, cursor: Cursor) -> None:
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(sync_cursors.delete().where(sync_cursors.c.feed == FEED))
        connection.execute(
            sync_cursors.insert().values(
                feed=FEED,
                changed_from=to_kst(cursor.changed_from).isoformat(),
                more_sequence=cursor.more_sequence,
                updated_at=datetime.now(timezone.utc),
            )
        )


def next_cursor(cursor: Cursor, page: ChangePage, window_end: datetime) -> Cursor:
    """Pure: after `page`, the feed continues at its `more` marker, else at the window's end."""
    if page.has_more:
        return Cursor(page.more_from, page.more_sequence)
    return Cursor(window_end)


@dataclass(frozen=True)
class SyncReport:
    pages: int
    product_orders: int
    cursor: Cursor | None


def store_page(client: CommerceClient, store: OrderStore, ids: list[str], where: str) -> int:
    """Fetch and upsert one page's product orders: all of them or, on any error, none."""
    unique = list(dict.fromkeys(ids))
    if not unique:
        return 0
    documents = client.product_orders(unique)
    try:
        records = parse_records(documents)
    except OrderDataError as error:
        raise SyncError(
            f"{where}: the API returned product orders that do not validate; nothing from "
            f"this page was written and the cursor stays before it:\n{error}"
        ) from None
    return store.upsert(records)


def sync(
    client: CommerceClient,
    store: OrderStore,
    now: datetime,
    settings: LiveSettings,
    since: datetime | None = None,
    on_page: Callable[[Cursor, int], None] | None = None,
) -> SyncReport:
    """Read the change feed from the stored cursor (or `since`) up to `now`; store each page."""
    first = Cursor(now - timedelta(hours=settings.sync_backfill_hours))
    cursor = Cursor(since) if since is not None else load_cursor(store.engine) or first
    pages = stored = 0
    while True:
        window_end = min(cursor.changed_from + WINDOW, now)
        if window_end <= cursor.changed_from:
            break  # the cursor is at (or past) now: nothing can have changed since
        page = client.changed_statuses(
            cursor.changed_from, window_end, cursor.more_sequence, settings.sync_page_size
        )
        where = f"page from {cursor.changed_from.isoformat()}" + (
            f" (sequence {cursor.more_sequence})" if cursor.more_sequence else ""
        )
        count = store_page(client, store, page.product_order_ids, where)
        cursor = next_cursor(cursor, page, window_end)
        save_cursor(store.engine, cursor)  # only now that the page's upsert has committed
        pages += 1
        stored += count
        if on_page is not None:
            on_page(cursor, count)
        if not page.has_more and window_end >= now:
            break
    return SyncReport(pages, stored, cursor)


def fetch_order(client: CommerceClient, store: OrderStore, number: str) -> int:
    """Fetch the product orders of an order number (or one product-order number) into the
    store; how many were stored, 0 when the API knows no such number."""
    ids = client.product_order_ids(number) or [number]
    documents = client.product_orders(ids)
    records = [
        record
        for record in parse_records(documents)
        if number in (record.order_id, record.product_order_id)
    ]
    return store.upsert(records) if records else 0
