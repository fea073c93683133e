"""The order store: SQLAlchemy Core over SQLite by default, PostgreSQL at scale.

ORDERS_DB_URL selects the database (default: a SQLite file under the project's var/).
Each product order is kept as its API JSON with the ids it is looked up by, and only what
answers need: names and phone numbers are dropped on the way in; the phone's last 4 digits
survive only as a keyed hash bound to the product order (bot/security/proof.py).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    create_engine,
    func,
    inspect,
    select,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.sql import Select

from bot.orders.model import ProductOrderRecord
from bot.security.keys import private_dir, same
from bot.security.proof import row_phone_hash, seal_phone

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB_PATH = PROJECT_ROOT / "var" / "orders.db"

metadata = MetaData()
product_orders = Table(
    "product_orders",
    metadata,
    Column("product_order_id", String(16), primary_key=True),
    Column("order_id", String(16), nullable=False, index=True),
    Column("document", Text, nullable=False),
    # Keyed hash of the phone's last 4 digits; NULL when the order carries no phone.
    Column("phone_hash", String(64)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


def configured_url() -> str | None:
    return os.environ.get("ORDERS_DB_URL") or None


def default_url() -> str:
    return configured_url() or f"sqlite:///{DEFAULT_DB_PATH}"


def masked_url(url: str) -> str:
    """The URL as it may be printed: its password replaced by ***."""
    return make_url(url).render_as_string(hide_password=True)


def private_document(record: ProductOrderRecord) -> dict[str, Any]:
    """The API document without the buyer's name, phone number or address."""
    document = record.to_api()
    for field in ("ordererName", "ordererTel"):
        document["order"].pop(field, None)
    document["productOrder"].pop("shippingAddress", None)
    return document


# One statement for every lookup (the number is a bound parameter): building the select
# per call cost about as much as running it (bench/lookup.py).
LOOKUP = (
    select(product_orders.c.document, product_orders.c.phone_hash)
    .where(
        (product_orders.c.order_id == bindparam("number"))
        | (product_orders.c.product_order_id == bindparam("number"))
    )
    .order_by(product_orders.c.product_order_id)
)


def lookup_query(number: str) -> Select:
    """The rows whose order id or product-order id is `number`."""
    return LOOKUP.params(number=number)


def phone_hash(record: ProductOrderRecord) -> str | None:
    last4 = record.phone_last4
    return row_phone_hash(record.product_order_id, seal_phone(last4)) if len(last4) == 4 else None


class OrderStore:
    """Product orders by order id or product-order id; loads are all or nothing."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        if self.url.startswith("sqlite:///"):
            private_dir(Path(self.url.removeprefix("sqlite:///")).parent)
        self.engine: Engine = create_engine(self.url, future=True, pool_pre_ping=True)
        self._drop_outdated_demo_table()
        metadata.create_all(self.engine)

    def _drop_outdated_demo_table(self) -> None:
        """A store from before phone hashes kept whole phone numbers and cannot verify.

        The embedded default only ever holds demo orders (re-seeded by `make run`): drop
        its old table. A configured database is the store's data: say what to do instead.
        """
        tables = inspect(self.engine)
        if not tables.has_table(product_orders.name):
            return
        if "phone_hash" in {c["name"] for c in tables.get_columns(product_orders.name)}:
            return
        if self.url != f"sqlite:///{DEFAULT_DB_PATH}":
            raise RuntimeError(
                f"{masked_url(self.url)}: table {product_orders.name} predates phone hashes; "
                "drop it and load the orders again (python -m bot.orders load FILE)"
            )
        product_orders.drop(self.engine)

    def upsert(self, records: Iterable[ProductOrderRecord]) -> int:
        rows = [
            {
                "product_order_id": record.product_order_id,
                "order_id": record.order_id,
                "document": json.dumps(private_document(record), ensure_ascii=False),
                "phone_hash": phone_hash(record),
                "updated_at": datetime.now(timezone.utc),
            }
            for record in records
        ]
        ids = [row["product_order_id"] for row in rows]
        with self.engine.begin() as connection:  # one transaction: all rows or none
            if ids:
                connection.execute(
                    product_orders.delete().where(product_orders.c.product_order_id.in_(ids))
                )
                connection.execute(product_orders.insert(), rows)
        return len(rows)

    def _rows(self, number: str) -> list[Any]:
        with self.engine.connect() as connection:
            return list(connection.execute(LOOKUP, {"number": number}))

    def find(self, number: str) -> list[ProductOrderRecord]:
        """Every product order whose order id or product-order id is `number`."""
        return [_parse(row.document) for row in self._rows(number)]

    def find_owned(self, number: str, sealed_phone: str) -> list[ProductOrderRecord]:
        """The product orders of `number` whose phone matches `sealed_phone` (seal_phone)."""
        owned = []
        for row in self._rows(number):
            record = _parse(row.document)
            expected = row_phone_hash(record.product_order_id, sealed_phone)
            if row.phone_hash is not None and same(row.phone_hash, expected):
                owned.append(record)
        return owned

    def count(self) -> int:
        with self.engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(product_orders)).scalar_one()



def _parse(document: str) -> ProductOrderRecord:
    return ProductOrderRecord.parse_obj(json.loads(document))
