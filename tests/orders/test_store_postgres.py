"""The same store on a real PostgreSQL server (the at-scale order store)."""

import pytest
from sqlalchemy import inspect

from bot.clock import parse_instant
from bot.orders.demo import demo_records
from bot.orders.store import OrderStore
from tests.support.postgres import postgres_server

pytestmark = pytest.mark.slow
NOW = parse_instant("2026-11-27T10:00:00+09:00")


@pytest.fixture(scope="module")
def pg_url():
    with postgres_server() as url:
        yield url


def test_round_trip_and_indexes_on_postgresql(pg_url):
    store = OrderStore(pg_url)
    records = demo_records(NOW)
    assert store.upsert(records) == len(records)
    assert store.count() == len(records)
    found = store.find("2026112500000004")
    assert [r.product_order_id for r in found] == ["2026112590000004"]
    assert store.find("2026112590000004")[0].delivery.pickupDate == found[0].delivery.pickupDate
    assert found[0].delivery.pickupDate.utcoffset().total_seconds() == 9 * 3600
    indexes = {i["name"]: i["column_names"] for i in inspect(store.engine).get_indexes(
        "product_orders")}
    assert ["order_id"] in indexes.values()


def test_upsert_replaces_and_a_failed_load_changes_nothing(pg_url):
    store = OrderStore(pg_url)
    store.upsert(demo_records(NOW))
    before = store.count()
    changed = demo_records(NOW)[0].copy(deep=True)
    changed.productOrder.productName = "바뀐 상품명"
    store.upsert([changed])
    assert store.count() == before
    assert store.find(changed.order_id)[0].productOrder.productName == "바뀐 상품명"

    class Boom(Exception):
        pass

    def broken():
        yield demo_records(NOW)[1]
        raise Boom

    with pytest.raises(Boom):
        store.upsert(broken())
    assert store.count() == before
