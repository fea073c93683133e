"""A fake Commerce API and delivery-tracker per test, a client configured for them, a store."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.live.commerce import CommerceClient, CommerceConfig
from bot.orders.store import OrderStore
from bot.settings import LiveSettings
from tests.conftest import _merge, build_document
from tests.support.clock import FIXED_NOW
from tests.support.fake_commerce import FakeCommerceApi, FakeDeliveryTracker

# Fast backoff, short timeouts: the tests wait for nothing real.
FAST = replace(
    LiveSettings(),
    request_timeout_seconds=2,
    backoff_initial_seconds=0.01,
    backoff_max_seconds=0.05,
    tracker_timeout_seconds=0.5,
)


@pytest.fixture
def api():
    with FakeCommerceApi() as server:
        yield server


@pytest.fixture
def tracker_server():
    with FakeDeliveryTracker() as server:
        yield server


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(api, sleeps):
    made = CommerceClient(
        CommerceConfig(api.client_id, api.client_secret, api.url), FAST, sleep=sleeps.append
    )
    yield made
    made.close()


@pytest.fixture
def store(tmp_path) -> OrderStore:
    return OrderStore(f"sqlite:///{tmp_path / 'orders.db'}")


def numbered_document(n: int, **overrides) -> dict:
    """Product order n (1..) of its own order, shipped, with a buyer name and phone."""
    document = build_document(
        order={"orderId": f"2026112{n:09d}", "ordererName": "김민지",
               "ordererTel": f"010-1234-{n % 10000:04d}"},
        productOrder={"productOrderId": f"2026119{n:09d}", "productOrderStatus": "DELIVERING",
                      "shippingAddress": {"name": "김민지", "tel1": f"010-5555-{n % 10000:04d}"}},
        delivery={"deliveryCompany": "CJGLS", "trackingNumber": f"5{n:011d}",
                  "deliveryStatus": "DELIVERING", "sendDate": "2026-11-26T16:30:00+09:00"},
    )
    _merge(document, overrides)
    return document


def changed(n: int) -> object:
    """When product order n changed: one minute apart, starting six hours before FIXED_NOW."""
    return FIXED_NOW - timedelta(hours=6) + timedelta(minutes=n)
