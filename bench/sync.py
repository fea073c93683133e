"""Sync throughput: product orders per second from the Commerce API's change feed into the store.

    .venv/bin/python bench/sync.py     # 10,000 and 100,000 orders; SQLite and PostgreSQL
    .venv/bin/python bench/sync.py --orders 10000 --db sqlite   # a quick run

The API is the tests' fake (tests/support/fake_commerce.py), a real HTTP server on loopback in
this process, holding N product orders changed over the last 20 hours. Each run is the real
`bot.live.sync.sync` on an empty store: token, change-feed pages of 300 (paging with the
`more` marker), detail queries of 300, validation, one upsert transaction per page and the
cursor after each. The figure is N divided by the wall time of the whole sync. PostgreSQL is
a throwaway server started the way the tests start one (tests/support/postgres.py). The fake
API shares the process (and the 2 cores) with the client, so the figures are a floor.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BOT_SECRET_KEY", secrets.token_hex(32))  # never touch var/secret.key

from bot.clock import KST  # noqa: E402
from bot.live.commerce import CommerceClient, CommerceConfig  # noqa: E402
from bot.live.sync import sync  # noqa: E402
from bot.orders.store import OrderStore  # noqa: E402
from bot.settings import LiveSettings  # noqa: E402
from tests.support.fake_commerce import FakeCommerceApi  # noqa: E402

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=KST)


def document(n: int) -> dict:
    """Product order n: a shipped order with a buyer name and phone, as the API returns it."""
    phone = f"010-1234-{n % 10000:04d}"
    return {
        "order": {"orderId": f"2026112{n:09d}", "orderDate": "2026-11-26T08:55:00.000+09:00",
                  "paymentDate": "2026-11-26T08:55:30.000+09:00", "paymentMeans": "신용카드",
                  "ordererName": "김민지", "ordererTel": phone},
        "productOrder": {"productOrderId": f"2026119{n:09d}", "productName": "무선 가습기",
                         "quantity": 1, "totalPaymentAmount": 39000,
                         "productOrderStatus": "DELIVERING", "placeOrderStatus": "OK",
                         "placeOrderDate": "2026-11-26T09:10:00.000+09:00",
                         "shippingDueDate": "2026-11-28T23:59:59.000+09:00",
                         "shippingAddress": {"name": "김민지", "tel1": phone}},
        "delivery": {"deliveryCompany": "CJGLS", "trackingNumber": f"5{n:011d}",
                     "deliveryMethod": "DELIVERY", "deliveryStatus": "DELIVERING",
                     "sendDate": "2026-11-26T16:30:00.000+09:00"},
    }


@contextmanager
def sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as workdir:
        yield f"sqlite:///{workdir}/orders.db"


@contextmanager
def postgres_url() -> Iterator[str]:
    from tests.support.postgres import postgres_server

    with postgres_server() as url:
        yield url


def run(orders: int, database: str, url_of) -> dict:
    spread = timedelta(hours=20) / orders
    start = NOW - timedelta(hours=20)
    with FakeCommerceApi() as api, url_of() as url:
        api.add_many([(document(n), start + n * spread) for n in range(orders)])
        client = CommerceClient(CommerceConfig(api.client_id, api.client_secret, api.url),
                                LiveSettings())
        store = OrderStore(url)
        began = time.perf_counter()
        report = sync(client, store, NOW, LiveSettings(), since=start - timedelta(minutes=1))
        seconds = time.perf_counter() - began
        client.close()
        assert store.count() == orders == report.product_orders, (store.count(), report)
        store.engine.dispose()
    return {"orders": orders, "db": database, "pages": report.pages, "seconds": seconds,
            "per_second": orders / seconds,
            "requests": len(api.requests)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    databases = [("SQLite", sqlite_url), ("PostgreSQL", postgres_url)]
    if args.db != "both":
        databases = [d for d in databases if d[0].lower() == args.db]
    print("| changed product orders | database | pages | API requests | seconds | orders/s |")
    print("|---|---|---|---|---|---|")
    for orders in args.orders:
        for name, url_of in databases:
            result = run(orders, name, url_of)
            print(f"| {orders:,} | {name} | {result['pages']} | {result['requests']:,} | "
                  f"{result['seconds']:.1f} | {result['per_second']:,.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
