"""The order store: SQLAlchemy Core over SQLite by default, PostgreSQL at scale.

ORDERS_DB_URL selects the database (default: a SQLite file under the project's var/).
Each product order is kept whole as its API JSON, with the ids it is looked up by.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import (
    Column,
    DateTime,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    func,
    select,
)
from sqlalchemy.engine import Engine

from bot.orders.model import ProductOrderRecord

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB_PATH = PROJECT_ROOT / "var" / "orders.db"

metadata = MetaData()
product_orders = Table(
    "product_orders",
    metadata,
    Column("product_order_id", String(16), primary_key=True),
    Column("order_id", String(16), nullable=False, index=True),
    Column("document", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


def default_url() -> str:
    return os.environ.get("ORDERS_DB_URL") or f"sqlite:///{DEFAULT_DB_PATH}"


class OrderStore:
    """Product orders by order id or product-order id; loads are all or nothing."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        if self.url.startswith("sqlite:///"):
            Path(self.url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(self.url, future=True)
        metadata.create_all(self.engine)

    def upsert(self, records: Iterable[ProductOrderRecord]) -> int:
        rows = [
            {
                "product_order_id": record.product_order_id,
                "order_id": record.order_id,
                "document": json.dumps(record.to_api(), ensure_ascii=False),
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

    def find(self, number: str) -> list[ProductOrderRecord]:
        """Every product order whose order id or product-order id is `number`."""
        query = (
            select(product_orders.c.document)
            .where(
                (product_orders.c.order_id == number)
                | (product_orders.c.product_order_id == number)
            )
            .order_by(product_orders.c.product_order_id)
        )
        with self.engine.connect() as connection:
            documents = connection.execute(query).scalars().all()
        return [ProductOrderRecord.parse_obj(json.loads(document)) for document in documents]

    def count(self) -> int:
        with self.engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(product_orders)).scalar_one()

    def all(self) -> list[ProductOrderRecord]:
        query = select(product_orders.c.document).order_by(product_orders.c.product_order_id)
        with self.engine.connect() as connection:
            documents = connection.execute(query).scalars().all()
        return [ProductOrderRecord.parse_obj(json.loads(document)) for document in documents]
