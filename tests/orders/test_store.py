"""bot/orders/store.py: the SQLAlchemy order store, on SQLite in tmp_path."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from bot.clock import KST
from bot.orders.model import ProductOrderRecord, ProductOrderStatus
from bot.orders.store import OrderStore, default_url, lookup_query, masked_url
from bot.security.proof import seal_phone

ORDER_A = "2026112000000001"
ORDER_B = "2026112000000002"


def without_personal_data(record: ProductOrderRecord) -> ProductOrderRecord:
    """What the store should give back: the record minus names, phone and address."""
    expected = record.copy(deep=True)
    expected.order.ordererName = None
    expected.order.ordererTel = None
    expected.productOrder.shippingAddress = None
    return expected


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
    assert found == without_personal_data(three_records[2])


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
    assert store.find("2026112090000001") == [without_personal_data(original)]


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
    assert found == without_personal_data(record)


def test_names_and_phone_numbers_never_reach_the_database(tmp_path, make_record):
    path = tmp_path / "orders.db"
    OrderStore(f"sqlite:///{path}").upsert([make_record()])
    raw = path.read_bytes()
    for personal in ("김민지".encode(), b"010-1234-5678", b"12345678", b"5678"):
        assert personal not in raw


def test_only_the_owner_phone_digits_find_the_order(store, make_record):
    mine = make_record()  # phone 010-1234-5678
    other = make_record(productOrder={"productOrderId": "2026112090000002",
                                      "shippingAddress": {"tel1": "010-9999-1111"}})
    store.upsert([mine, other])
    owned = store.find_owned(mine.order_id, seal_phone("5678"))
    assert [r.product_order_id for r in owned] == ["2026112090000001"]
    assert [r.product_order_id for r in store.find_owned(mine.order_id, seal_phone("1111"))] == [
        "2026112090000002"
    ]
    assert store.find_owned(mine.order_id, seal_phone("0000")) == []
    assert store.find_owned(mine.order_id, "5678") == []  # unsealed digits match nothing


def test_an_order_without_a_phone_cannot_be_verified(store, make_record):
    record = make_record(order={"ordererTel": None}, productOrder={"shippingAddress": None})
    store.upsert([record])
    assert store.find(record.order_id) and store.find_owned(record.order_id, seal_phone("")) == []


def test_a_store_from_before_phone_hashes_is_refused_when_configured(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(
            "CREATE TABLE product_orders (product_order_id VARCHAR(16) PRIMARY KEY, "
            "order_id VARCHAR(16), document TEXT, updated_at TIMESTAMP)"
        ))
    with pytest.raises(RuntimeError, match="predates phone hashes"):
        OrderStore(url)


def test_printed_urls_hide_the_password():
    assert masked_url("postgresql://bot:s3cret@db:5432/orders") == (
        "postgresql://bot:***@db:5432/orders"
    )


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


def test_the_lookup_searches_both_id_indexes_never_scans_the_table(store, three_records):
    """bench/lookup.py times this query over 1,000,000 orders; a table scan would miss 5 ms."""
    store.upsert(three_records)
    sql = str(lookup_query(ORDER_A).compile(dialect=store.engine.dialect,
                                            compile_kwargs={"literal_binds": True}))
    with store.engine.connect() as connection:
        plan = [row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]
    assert any("USING INDEX ix_product_orders_order_id" in step for step in plan), plan
    assert any("USING INDEX sqlite_autoindex_product_orders_1" in step for step in plan), plan
    assert not any(step.startswith("SCAN") for step in plan), plan
    assert [r.product_order_id for r in store.find(ORDER_A)] == [
        "2026112090000001", "2026112090000002"]
