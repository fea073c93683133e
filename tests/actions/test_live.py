"""The live store inside the actions: an order fetched from the Commerce API when the store
lacks it (a miss fails and counts like any unknown order), and answers completed from the
carrier's own scans, saying which source they used."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from actions import common
from actions.answers import ANSWER_ACTIONS, SCAN_QUESTIONS
from actions.verification import ActionVerifyOrder
from bot.orders.store import product_orders
from bot.questions.registry import BY_KEY
from bot.security import proof
from tests.support.actions import proof_for, run, slot_events
from tests.support.fake_commerce import FakeCommerceApi, FakeDeliveryTracker
from tests.support.messages import Heard, heard

LIVE_ORDER = "2026112800000077"
LIVE_PRODUCT_ORDER = "2026112890000077"


def refused_on_the_api(make_document) -> dict:
    """A refused cancel the store has never seen, with the buyer's name and phone, and an
    invoice whose pickup scan only the carrier knows."""
    return make_document(
        order={"orderId": LIVE_ORDER, "ordererName": "박서준", "ordererTel": "010-9876-4321"},
        productOrder={"productOrderId": LIVE_PRODUCT_ORDER, "productName": "가습기 필터",
                      "productOrderStatus": "DELIVERING", "claimType": "CANCEL",
                      "claimStatus": "CANCEL_REJECT",
                      "shippingAddress": {"name": "박서준", "tel1": "010-9876-4321"}},
        delivery={"deliveryCompany": "CJGLS", "trackingNumber": "512000000109",
                  "deliveryStatus": "COLLECT_WAIT", "sendDate": "2026-11-26T16:30:00+09:00"},
        currentClaim={"cancel": {"claimStatus": "CANCEL_REJECT", "cancelReason": "INTENT_CHANGED",
                                 "claimRequestDate": "2026-11-26T10:05:00+09:00"}},
    )


@pytest.fixture
def api(monkeypatch, make_document):
    with FakeCommerceApi() as server:
        server.add(refused_on_the_api(make_document))
        monkeypatch.setenv("COMMERCE_CLIENT_ID", server.client_id)
        monkeypatch.setenv("COMMERCE_CLIENT_SECRET", server.client_secret)
        monkeypatch.setenv("COMMERCE_API_URL", server.url)
        common.commerce.cache_clear()
        yield server
        common.commerce.cache_clear()


@pytest.fixture
def carrier(monkeypatch):
    with FakeDeliveryTracker() as server:
        monkeypatch.setenv("DELIVERY_TRACKER_URL", server.url)
        common.delivery_tracker.cache_clear()
        yield server
        common.delivery_tracker.cache_clear()


def verify(number: str, digits: str, sender: str = "buyer-1"):
    return run(ActionVerifyOrder(),
               {"order_id": number, "phone_last4": proof.seal_phone(digits)},
               metadata={"client": {"channel": "rest"}}, sender=sender)


def test_an_order_only_the_api_knows_is_fetched_and_verified(api, demo_store):
    events, messages, _ = verify(LIVE_ORDER, "4321")
    slots = slot_events(events)
    assert slots["verified"] is True
    assert [r.name for r in heard(messages)] == ["verified"]
    assert heard(messages)[0].values["product"] == "가습기 필터"
    assert [r.product_order_id for r in demo_store.find(LIVE_ORDER)] == [LIVE_PRODUCT_ORDER]
    with demo_store.engine.connect() as connection:
        stored = connection.execute(select(product_orders.c.document).where(
            product_orders.c.order_id == LIVE_ORDER)).scalar_one()
    assert "박서준" not in stored and "9876" not in stored and "4321" not in stored, stored
    # fetched once: the next check finds it in the store
    verify(LIVE_ORDER, "4321", sender="buyer-2")
    assert len(api.calls("/product-order-ids")) == 1


def test_the_wrong_digits_on_a_fetched_order_fail_like_any_other(api):
    events, messages, _ = verify(LIVE_ORDER, "1111")
    assert slot_events(events)["verified"] is False
    assert heard(messages) == [Heard("verify_failed", {"attempts_left": "4"})]


def test_a_miss_on_the_api_answers_and_counts_exactly_like_an_unknown_order(api, monkeypatch):
    unknown = "2026112899999999"
    missed = [verify(unknown, "1234", sender=f"buyer-{n}") for n in range(5)]
    assert len(api.calls("/product-order-ids")) == 5  # asked each time, never found
    # the same failures the embedded store gives an unknown number without any API
    monkeypatch.delenv("COMMERCE_CLIENT_ID")
    common.commerce.cache_clear()
    offline = [verify("2026112888888888", "1234", sender=f"other-{n}") for n in range(5)]
    assert [heard(m) for _, m, _ in missed] == [heard(m) for _, m, _ in offline]
    assert [r.name for r in heard(missed[-1][1])] == ["lookup_locked"]  # the ledger counted
    assert slot_events(missed[0][0])["verify_failures"] == 1.0
    # locked: even the API's own order is no longer looked up under that number
    assert [r.name for r in heard(verify(unknown, "1234", sender="late")[1])] == ["lookup_locked"]


def test_an_api_that_cannot_answer_counts_nothing_against_the_buyer(api):
    api.fail_next("/product-order-ids", 503, "SERVICE_UNAVAILABLE", times=20)
    for n in range(6):
        events, messages, _ = verify(LIVE_ORDER, "4321", sender=f"buyer-{n}")
        assert [r.name for r in heard(messages)] == ["lookup_unavailable"]
        assert "verify_failures" not in slot_events(events)
        assert api.client_secret not in json.dumps(messages)
    api._failures.clear()  # the API is back: the same buyer verifies
    assert slot_events(verify(LIVE_ORDER, "4321", sender="buyer-9")[0])["verified"] is True


def test_a_rejected_api_key_is_an_outage_not_the_buyers_failure(api, monkeypatch):
    monkeypatch.setenv("COMMERCE_CLIENT_SECRET", "$2b$04$" + "A" * 22)  # not the application's
    common.commerce.cache_clear()
    events, messages, _ = verify(LIVE_ORDER, "4321")
    assert [r.name for r in heard(messages)] == ["lookup_unavailable"]
    assert "verify_failures" not in slot_events(events)


def answer(key: str) -> list[Heard]:
    slots = {"verified": True, "order_id": LIVE_ORDER,
             "verified_proof": proof_for(LIVE_ORDER, [LIVE_PRODUCT_ORDER])}
    return heard(run(ANSWER_ACTIONS[key](), slots)[1])


def test_the_refusal_uses_the_carriers_first_scan_and_says_so(api, carrier):
    verify(LIVE_ORDER, "4321")
    carrier.add("kr.cjlogistics", "512000000109", [
        ("2026-11-26T20:10:00+09:00", "IN_TRANSIT"),
        ("2026-11-26T09:40:00+09:00", "AT_PICKUP"),  # listed out of order
        ("2026-11-26T08:00:00+09:00", "INFORMATION_RECEIVED"),
    ])
    replies = answer("refusal")
    assert replies[0] == Heard("refusal_scanned_before", {
        "requested_at": "11월 26일(목) 오전 10시 5분",
        "scanned_at": "11월 26일(목) 오전 9시 40분",  # only the carrier knows this
        "sent_at": "11월 26일(목) 오후 4시 30분",
        "carrier": "CJ대한통운"})
    assert replies[-1] == Heard("source_carrier", {})
    assert json.loads(json.dumps(carrier.requests[0]["variables"])) == {
        "carrierId": "kr.cjlogistics", "trackingNumber": "512000000109"}


def test_without_the_carrier_the_answer_rests_on_the_order_data_and_says_so(api, carrier):
    verify(LIVE_ORDER, "4321")  # the carrier does not know this invoice
    replies = answer("refusal")
    assert replies[0].name == "refusal_no_scan"
    assert replies[-1] == Heard("source_order", {})


def test_questions_that_quote_no_scan_say_no_source(api, carrier):
    verify(LIVE_ORDER, "4321")
    assert all(r.name not in ("source_carrier", "source_order") for r in answer("fee"))


def test_every_scan_question_is_a_registry_question():
    assert SCAN_QUESTIONS <= set(BY_KEY)
