"""Sync from the change feed into the store, and the on-demand fetch of one order."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

import bot.live.sync as live_sync
from bot.live.sync import Cursor, SyncError, fetch_order, load_cursor, sync
from bot.orders.__main__ import main
from bot.orders.store import product_orders
from bot.security.proof import seal_phone
from tests.live.conftest import FAST, changed, numbered_document
from tests.support.clock import FIXED_NOW

PAGED = replace(FAST, sync_page_size=3)
SINCE = FIXED_NOW - timedelta(hours=7)


def stored_ids(store) -> list[str]:
    with store.engine.connect() as connection:
        return [row[0] for row in connection.execute(
            select(product_orders.c.product_order_id).order_by(product_orders.c.product_order_id)
        )]


def pid(n: int) -> str:
    return f"2026119{n:09d}"


def feed(api, count: int) -> None:
    for n in range(1, count + 1):
        api.add(numbered_document(n), changed_at=changed(n))


def test_a_sync_follows_the_pages_and_stores_every_changed_order(api, client, store):
    feed(api, 7)
    report = sync(client, store, FIXED_NOW, PAGED, since=SINCE)
    assert stored_ids(store) == [pid(n) for n in range(1, 8)]
    assert (report.pages, report.product_orders) == (3, 7)
    pages = api.calls("/last-changed-statuses")
    assert [p.query.get("moreSequence") for p in pages] == [None, "3", "6"]
    assert {p.query["limitCount"] for p in pages} == {"3"}
    assert load_cursor(store.engine) == Cursor(FIXED_NOW)  # the end of the feed: now


def test_synced_orders_keep_no_names_or_phones_and_verify_by_hash(api, client, store):
    feed(api, 1)
    sync(client, store, FIXED_NOW, PAGED, since=SINCE)
    with store.engine.connect() as connection:
        document = connection.execute(select(product_orders.c.document)).scalar_one()
    assert "김민지" not in document and "010" not in document and "5555" not in document
    assert store.find_owned("2026112000000001", seal_phone("0001"))  # shippingAddress.tel1
    assert not store.find_owned("2026112000000001", seal_phone("1234"))


def test_the_next_run_starts_at_the_stored_cursor(api, client, store):
    feed(api, 4)
    sync(client, store, FIXED_NOW, PAGED, since=SINCE)
    api.add(numbered_document(9), changed_at=FIXED_NOW + timedelta(minutes=5))
    report = sync(client, store, FIXED_NOW + timedelta(minutes=10), PAGED)
    assert report.product_orders == 1 and pid(9) in stored_ids(store)
    last = api.calls("/last-changed-statuses")[-1].query
    assert last["lastChangedFrom"] == "2026-11-27T10:00:00.000+09:00"


def test_a_backfill_longer_than_a_day_asks_in_windows_of_at_most_24_hours(api, client, store):
    api.add(numbered_document(1), changed_at=FIXED_NOW - timedelta(hours=40))
    api.add(numbered_document(2), changed_at=FIXED_NOW - timedelta(hours=1))
    sync(client, store, FIXED_NOW, PAGED, since=FIXED_NOW - timedelta(hours=50))
    assert stored_ids(store) == [pid(1), pid(2)]
    windows = [p.query for p in api.calls("/last-changed-statuses")]
    assert len(windows) == 3 and all(p.status == 200 for p in api.calls("/last-changed-statuses"))
    assert windows[-1]["lastChangedTo"] == "2026-11-27T10:00:00.000+09:00"


def test_a_rate_limited_page_is_retried_and_the_sync_completes(api, client, store, sleeps):
    feed(api, 5)
    api.fail_next("/last-changed-statuses", 429, "GW.RATE_LIMIT")
    api.fail_next("/product-orders/query", 429, "GW.RATE_LIMIT")
    sync(client, store, FIXED_NOW, PAGED, since=SINCE)
    assert stored_ids(store) == [pid(n) for n in range(1, 6)]
    assert len(sleeps) == 2


def test_a_malformed_product_order_stops_the_sync_naming_it_and_writes_none_of_its_page(
    api, client, store
):
    feed(api, 7)
    broken = numbered_document(5, productOrder={"productOrderStatus": "SHIPPED"})
    api.add(broken)  # page 2 holds 4, 5 and 6
    with pytest.raises(SyncError) as raised:
        sync(client, store, FIXED_NOW, PAGED, since=SINCE)
    message = str(raised.value)
    assert pid(5) in message and "productOrderStatus" in message and "'SHIPPED'" in message
    assert stored_ids(store) == [pid(1), pid(2), pid(3)]  # page 1 only; nothing of page 2
    assert load_cursor(store.engine) == Cursor(changed(4), "3")  # still before page 2

    api.add(numbered_document(5))  # the API's data is fixed: the next run goes on from there
    report = sync(client, store, FIXED_NOW, PAGED)
    assert report.pages == 2 and stored_ids(store) == [pid(n) for n in range(1, 8)]


def test_a_crash_between_the_write_and_the_cursor_converges_on_rerun(
    api, client, store, monkeypatch
):
    feed(api, 7)
    real_save = live_sync.save_cursor
    saves = []

    def crash_on_second_page(engine, cursor):
        saves.append(cursor)
        if len(saves) == 2:
            raise KeyboardInterrupt("killed after the page's upsert committed")
        real_save(engine, cursor)

    monkeypatch.setattr(live_sync, "save_cursor", crash_on_second_page)
    with pytest.raises(KeyboardInterrupt):
        sync(client, store, FIXED_NOW, PAGED, since=SINCE)
    assert stored_ids(store) == [pid(n) for n in range(1, 7)]  # page 2 written ...
    assert load_cursor(store.engine) == Cursor(changed(4), "3")  # ... its cursor not

    monkeypatch.setattr(live_sync, "save_cursor", real_save)
    report = sync(client, store, FIXED_NOW, PAGED)
    assert report.pages == 2  # page 2 again, then page 3
    assert stored_ids(store) == [pid(n) for n in range(1, 8)]  # each once
    assert store.count() == 7
    assert load_cursor(store.engine) == Cursor(FIXED_NOW)


def test_an_order_fetched_on_demand_is_stored_with_all_its_product_orders(api, client, store):
    first = numbered_document(3)
    second = numbered_document(3, productOrder={"productOrderId": "2026119000000333"})
    api.add(first)
    api.add(second)
    assert fetch_order(client, store, "2026112000000003") == 2
    assert sorted(r.product_order_id for r in store.find("2026112000000003")) == [
        "2026119000000003", "2026119000000333"]


def test_a_product_order_number_is_fetched_too_and_an_unknown_number_stores_nothing(
    api, client, store
):
    api.add(numbered_document(4))
    assert fetch_order(client, store, pid(4)) == 1
    assert fetch_order(client, store, "2026112000000404") == 0
    assert store.count() == 1


def test_the_sync_command_needs_the_api_keys(monkeypatch, capsys):
    monkeypatch.delenv("COMMERCE_CLIENT_ID", raising=False)
    monkeypatch.delenv("COMMERCE_CLIENT_SECRET", raising=False)
    assert main(["sync"]) == 2
    assert "COMMERCE_CLIENT_ID" in capsys.readouterr().err


def test_the_sync_command_syncs_and_reports(api, tmp_path, monkeypatch, capsys):
    feed(api, 3)
    monkeypatch.setenv("COMMERCE_CLIENT_ID", api.client_id)
    monkeypatch.setenv("COMMERCE_CLIENT_SECRET", api.client_secret)
    monkeypatch.setenv("COMMERCE_API_URL", api.url)
    monkeypatch.setenv("ORDERS_DB_URL", f"sqlite:///{tmp_path / 'orders.db'}")
    monkeypatch.setenv("BOT_NOW", FIXED_NOW.isoformat())
    assert main(["sync", "--since", SINCE.isoformat()]) == 0
    out = capsys.readouterr()
    assert "stored 3 product orders from 1 pages" in out.out
    assert api.client_secret not in out.out + out.err
    assert main(["count"]) == 0 and capsys.readouterr().out.strip() == "3"
    api.fail_next("/last-changed-statuses", 400, "BAD_REQUEST")
    assert main(["sync", "--since", SINCE.isoformat()]) == 1
    assert "HTTP 400 BAD_REQUEST" in capsys.readouterr().err


def test_follow_keeps_polling_until_stopped_and_survives_a_failed_pass(api, tmp_path, monkeypatch):
    import threading

    from bot.live import worker
    from bot.settings import Settings

    feed(api, 2)
    monkeypatch.setenv("COMMERCE_CLIENT_ID", api.client_id)
    monkeypatch.setenv("COMMERCE_CLIENT_SECRET", api.client_secret)
    monkeypatch.setenv("COMMERCE_API_URL", api.url)
    monkeypatch.setenv("ORDERS_DB_URL", f"sqlite:///{tmp_path / 'orders.db'}")
    monkeypatch.delenv("BOT_NOW", raising=False)  # the real clock: every pass reads the feed
    quick = Settings(live=replace(FAST, sync_interval_seconds=0.05))
    monkeypatch.setattr(worker, "get_settings", lambda: quick)
    api.fail_next("/last-changed-statuses", 400, "BAD_REQUEST")  # the first pass fails
    stop = threading.Event()
    done = []
    runner = threading.Thread(target=lambda: done.append(worker.run_sync(None, True, stop)))
    runner.start()
    for _ in range(200):
        if len([c for c in api.calls("/last-changed-statuses") if c.status == 200]) >= 2:
            break
        threading.Event().wait(0.05)
    stop.set()
    runner.join(timeout=10)
    assert done == [0]  # the last pass succeeded
    assert api.calls("/last-changed-statuses")[0].status == 400
    assert len([c for c in api.calls("/last-changed-statuses") if c.status == 200]) >= 2
