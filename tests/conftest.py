"""Shared fixtures: a throwaway secret key, a fixed `now` and builders of API-shaped product
orders."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

import pytest

from bot.orders.model import ProductOrderRecord
from bot.security.keys import master_key
from tests.support.clock import FIXED_NOW


@pytest.fixture(autouse=True)
def secret_key(monkeypatch):
    """Every test signs and hashes with its own throwaway key, never var/secret.key."""
    monkeypatch.setenv("BOT_SECRET_KEY", "test-key-" + "0" * 40)
    master_key.cache_clear()
    yield
    master_key.cache_clear()


# A minimal valid product order at 배송준비중 (PAYED + OK), free shipping.
BASE_DOCUMENT: dict[str, Any] = {
    "order": {
        "orderId": "2026112000000001",
        "orderDate": "2026-11-23T09:59:20.000+09:00",
        "paymentDate": "2026-11-23T10:00:00.000+09:00",
        "paymentMeans": "신용카드",
        "ordererName": "김민지",
        "ordererTel": "010-1234-5678",
    },
    "productOrder": {
        "productOrderId": "2026112090000001",
        "productName": "무선 가습기",
        "quantity": 1,
        "totalPaymentAmount": 39000,
        "deliveryFeeAmount": 0,
        "productOrderStatus": "PAYED",
        "placeOrderStatus": "OK",
        "placeOrderDate": "2026-11-23T11:00:00.000+09:00",
        "shippingDueDate": "2026-11-26T23:59:59.000+09:00",
        "shippingAddress": {"name": "김민지", "tel1": "010-1234-5678"},
    },
}


def _merge(target: dict[str, Any], overrides: dict[str, Any]) -> None:
    """Deep-merge `overrides` into `target`; None deletes a key, datetimes become ISO text."""
    for key, value in overrides.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        elif isinstance(value, dict):
            target[key] = {}
            _merge(target[key], value)
        elif isinstance(value, datetime):
            target[key] = value.isoformat()
        else:
            target[key] = value


def build_document(**overrides: Any) -> dict[str, Any]:
    document = copy.deepcopy(BASE_DOCUMENT)
    _merge(document, overrides)
    return document


@pytest.fixture
def now() -> datetime:
    return FIXED_NOW


@pytest.fixture
def make_document():
    """build_document(order={...}, productOrder={...}, delivery={...}, currentClaim={...})."""
    return build_document


@pytest.fixture
def make_record():
    """Like make_document, parsed into a ProductOrderRecord."""

    def make(**overrides: Any) -> ProductOrderRecord:
        return ProductOrderRecord.parse_obj(build_document(**overrides))

    return make
