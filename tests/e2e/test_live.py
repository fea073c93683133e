"""The real stack on live data: an order that exists only on the (fake) Commerce API, its
pickup scan known only to the (fake) delivery-tracker, asked about through REST."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import build_document
from tests.support.buyer import Buyer
from tests.support.clock import FIXED_NOW_TEXT
from tests.support.fake_commerce import FakeCommerceApi, FakeDeliveryTracker
from tests.support.stack import Stack, find_model, running_stack

pytestmark = pytest.mark.slow

ORDER = "2026112800000088"


@pytest.fixture(scope="module")
def live() -> Iterator[tuple[FakeCommerceApi, FakeDeliveryTracker]]:
    with FakeCommerceApi() as api, FakeDeliveryTracker() as carrier:
        api.add(build_document(
            order={"orderId": ORDER, "ordererName": "이하늘", "ordererTel": "010-2222-7788"},
            productOrder={"productOrderId": "2026112890000088", "productName": "스탠드 조명",
                          "productOrderStatus": "DELIVERING", "claimType": "CANCEL",
                          "claimStatus": "CANCEL_REJECT",
                          "shippingAddress": {"name": "이하늘", "tel1": "010-2222-7788"}},
            delivery={"deliveryCompany": "KGB", "trackingNumber": "31120000088",
                      "deliveryStatus": "COLLECT_WAIT",
                      "sendDate": "2026-11-26T16:30:00+09:00"},
            currentClaim={"cancel": {"claimStatus": "CANCEL_REJECT",
                                     "cancelReason": "INTENT_CHANGED",
                                     "claimRequestDate": "2026-11-26T10:05:00+09:00"}},
        ))
        # Logen: no AT_PICKUP, its 집하 is the first IN_TRANSIT
        carrier.add("kr.logen", "31120000088", [
            ("2026-11-26T18:20:00+09:00", "IN_TRANSIT"),
            ("2026-11-26T09:15:00+09:00", "IN_TRANSIT"),
            ("2026-11-26T08:30:00+09:00", "INFORMATION_RECEIVED"),
        ])
        yield api, carrier


@pytest.fixture(scope="module")
def stack(tmp_path_factory, live) -> Iterator[Stack]:
    api, carrier = live
    env = {"COMMERCE_CLIENT_ID": api.client_id, "COMMERCE_CLIENT_SECRET": api.client_secret,
           "COMMERCE_API_URL": api.url, "DELIVERY_TRACKER_URL": carrier.url}
    with running_stack(tmp_path_factory.mktemp("live-stack"), find_model(), now=FIXED_NOW_TEXT,
                       extra_env=env) as running:
        yield running


def test_a_refusal_about_an_order_only_the_api_has_uses_the_carriers_scan(stack, live):
    api, carrier = live
    buyer = Buyer(stack, "live-buyer")
    buyer.says("취소 요청했는데 왜 거부된 거예요?")
    buyer.verifies(ORDER, "7788")
    assert buyer.got("verified")["product"] == "스탠드 조명"
    assert buyer.got("refusal_scanned_before") == {
        "requested_at": "11월 26일(목) 오전 10시 5분",
        "scanned_at": "11월 26일(목) 오전 9시 15분",  # only the carrier knows it
        "sent_at": "11월 26일(목) 오후 4시 30분",
        "carrier": "로젠택배",
    }
    assert "source_carrier" in buyer.names
    assert len(api.calls("/product-order-ids")) == 1
    assert carrier.requests[0]["variables"]["carrierId"] == "kr.logen"


def test_an_order_number_unknown_to_the_api_fails_like_any_other(stack, live):
    api, _ = live
    buyer = Buyer(stack, "live-stranger")
    buyer.says("취소 요청했는데 왜 거부된 거예요?")
    buyer.verifies("2026112800000099", "7788")
    assert buyer.got("verify_failed") == {"attempts_left": "4"}
    assert api.calls("/product-order-ids")[-1].path.endswith("/2026112800000099/product-order-ids")
