"""bot/orders/store.py: the SQLAlchemy order store, on SQLite in tmp_path."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from bot.clock import KST
from bot.orders.model import ProductOrderStatus
from bot.orders.store import OrderStore, default_url

ORDER_A = "2026112000000001"
ORDER_B = "2026112000000002"


@pytest.fixture
def store(tmp_path):
    return OrderStore(f"sqlite:///{tmp_path / 'nested' / 'orders.db'}")


@pytest.fixture
def three_records(make_record):
    """Two product orders of order A, one of order B."""
    pairs = [
        (ORDER_A, "2026112090000002"),
        (ORDER_A, "2026112090000001"),
        (ORDER_B, "2026112090000003"),
    ]
    return [
        make_record(order={"orderId": order_id}, productOrder={"productOrderId": product_id})
        for order_id, product_id in pairs
    ]


def test_a_new_store_is_empty_and_creates_its_directory(tmp_path, store):
    assert (tmp_path / "nested" / "orders.db").exists()
    assert store.count() == 0
    assert store.all() == []
    assert store.find(ORDER_A) == []


def test_find_by_order_id_returns_every_product_order_sorted(store, three_records):
    assert store.upsert(three_records) == 3
    found = store.find(ORDER_A)
    assert [r.product_order_id for r in found] == ["2026112090000001", "2026112090000002"]
    assert all(r.order_id == ORDER_A for r in found)


def test_find_by_product_order_id_returns_that_one(store, three_records):
    store.upsert(three_records)
    (found,) = store.find("2026112090000003")
    assert found.order_id == ORDER_B
    assert found == three_records[2]


def test_find_an_unknown_number_is_empty(store, three_records):
    store.upsert(three_records)
    assert store.find("2026112099999999") == []
    assert store.find("") == []


def test_upsert_replaces_the_same_product_order(store, make_record):
    store.upsert([make_record()])
    shipped = make_record(
        productOrder={"productOrderStatus": "DELIVERING"},
        delivery={"sendDate": "2026-11-24T15:00:00.000+09:00"},
    )
    assert store.upsert([shipped]) == 1
    assert store.count() == 1
    (found,) = store.find("2026112090000001")
    assert found.productOrder.productOrderStatus is ProductOrderStatus.DELIVERING
    assert found.delivery.sendDate == datetime(2026, 11, 24, 15, 0, tzinfo=KST)


def test_upsert_of_nothing_changes_nothing(store, three_records):
    store.upsert(three_records)
    assert store.upsert([]) == 0
    assert store.count() == 3


def test_a_failing_upsert_leaves_the_store_as_it_was(store, make_record):
    original = make_record()
    store.upsert([original])
    changed = make_record(productOrder={"productName": "바뀐 이름"})
    other = make_record(productOrder={"productOrderId": "2026112090000009"})
    # The same product order twice in one batch breaks the primary key half-way through.
    with pytest.raises(IntegrityError):
        store.upsert([changed, other, other])
    assert store.count() == 1
    assert store.find("2026112090000001") == [original]


def test_times_stay_aware_kst_after_a_round_trip(store, make_record):
    record = make_record(
        delivery={
            "sendDate": "2026-11-20T14:59:00Z",  # 23:59 KST
            "pickupDate": "2026-11-20T15:01:00Z",  # 00:01 KST, the next day
        },
        currentClaim={"cancel": {"claimRequestDate": "2026-11-20T10:00:00.000+09:00"}},
    )
    store.upsert([record])
    (found,) = store.find(record.order_id)
    for moment in (
        found.order.orderDate,
        found.productOrder.shippingDueDate,
        found.delivery.sendDate,
        found.delivery.pickupDate,
        found.currentClaim.cancel.claimRequestDate,
    ):
        assert moment.tzinfo is KST
        assert moment.utcoffset() == timedelta(hours=9)
    assert found.delivery.sendDate.date().isoformat() == "2026-11-20"
    assert found.delivery.pickupDate.date().isoformat() == "2026-11-21"
    assert found == record


def test_all_lists_by_product_order_id(store, three_records):
    store.upsert(three_records)
    assert [r.product_order_id for r in store.all()] == [
        "2026112090000001",
        "2026112090000002",
        "2026112090000003",
    ]


def test_the_store_persists_across_instances(tmp_path, make_record):
    url = f"sqlite:///{tmp_path / 'orders.db'}"
    OrderStore(url).upsert([make_record()])
    assert OrderStore(url).count() == 1


def test_orders_db_url_selects_the_database(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    monkeypatch.setenv("ORDERS_DB_URL", url)
    assert default_url() == url
    assert OrderStore().url == url


def test_the_default_database_is_sqlite_under_var(monkeypatch):
    monkeypatch.delenv("ORDERS_DB_URL", raising=False)
    assert default_url().startswith("sqlite:///")
    assert default_url().endswith("/var/orders.db")
