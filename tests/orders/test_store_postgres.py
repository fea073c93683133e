"""The same store on a real PostgreSQL server (the at-scale order store)."""

from datetime import datetime

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from bot.clock import KST
from bot.orders.demo import demo_records
from bot.orders.store import OrderStore
from tests.support.clock import FIXED_NOW
from tests.support.postgres import postgres_server

# Product orders in the demo set: one per case, three for the item picker's order (30).
DEMO_ITEMS = len(demo_records(FIXED_NOW))

pytestmark = pytest.mark.slow
CASE_04 = "2026112500000004"  # 블루투스 스피커, handed to the courier Thu 11-26 09:40 KST


@pytest.fixture(scope="module")
def pg_url():
    with postgres_server() as url:
        yield url


@pytest.fixture
def store(pg_url):
    store = OrderStore(pg_url)
    with store.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM product_orders")
    return store


def names(store: OrderStore) -> dict[str, str]:
    """product order id -> product name, as the database holds them."""
    with store.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT product_order_id, document::json->'productOrder'->>'productName' "
            "FROM product_orders"
        )
        return dict(rows.all())


def test_round_trip_and_indexes_on_postgresql(store):
    assert store.upsert(demo_records(FIXED_NOW)) == DEMO_ITEMS
    assert store.count() == DEMO_ITEMS
    found = store.find(CASE_04)
    assert [r.product_order_id for r in found] == ["2026112590000004"]
    assert found[0].productOrder.productName == "블루투스 스피커"
    assert found[0].delivery.pickupDate == datetime(2026, 11, 26, 9, 40, tzinfo=KST)
    assert found[0].delivery.pickupDate.utcoffset().total_seconds() == 9 * 3600
    by_product_order = store.find("2026112590000004")
    assert [r.order_id for r in by_product_order] == [CASE_04]
    assert store.find("2026112500000099") == []
    indexes = {i["name"]: i["column_names"] for i in inspect(store.engine).get_indexes(
        "product_orders")}
    assert ["order_id"] in indexes.values()


def test_upsert_replaces_a_product_order_in_place(store):
    store.upsert(demo_records(FIXED_NOW))
    changed = demo_records(FIXED_NOW)[0].copy(deep=True)
    changed.productOrder.productName = "바뀐 상품명"
    assert store.upsert([changed]) == 1
    assert store.count() == DEMO_ITEMS
    assert names(store)[changed.product_order_id] == "바뀐 상품명"


def test_a_load_that_fails_inside_the_transaction_changes_nothing(store):
    first, second = demo_records(FIXED_NOW)[:2]
    store.upsert([first, second])
    changed = first.copy(deep=True)
    changed.productOrder.productName = "바뀐 상품명"
    # The DELETE of both ids runs, then the INSERT breaks the primary key on the repeated
    # row: only the rollback brings the deleted rows back.
    with pytest.raises(IntegrityError):
        store.upsert([changed, second, second])
    assert names(store) == {first.product_order_id: "무선 가습기",
                            second.product_order_id: "캠핑 의자"}
