"""bot/policy/stage.py: the stage the buyer sees and what a cancel does in it."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.clock import KST
from bot.messages import labels
from bot.orders.model import ClaimStatus, PlaceOrderStatus, ProductOrderStatus
from bot.policy.stage import CancelPath, Stage, cancel_path, stage_of
from bot.present import stage_text

PLACE_VALUES = [None, "NOT_YET", "OK", "CANCEL"]

# productOrderStatus -> (stage, cancel path) for each placeOrderStatus, with no delivery
# and no claim. Only PAYED + OK is 배송준비중; PAYED before (or after withdrawing) 발주확인
# is still 주문확인 전, where a cancel is instant.
EXPECTED = {
    # Nothing paid yet: its own stage (issue 12), cancelled at once with nothing to refund.
    "PAYMENT_WAITING": {p: (Stage.PAYMENT_WAITING, CancelPath.UNPAID) for p in PLACE_VALUES},
    "PAYED": {
        None: (Stage.BEFORE_CONFIRM, CancelPath.INSTANT),
        "NOT_YET": (Stage.BEFORE_CONFIRM, CancelPath.INSTANT),
        "OK": (Stage.PREPARING, CancelPath.REQUEST),
        "CANCEL": (Stage.BEFORE_CONFIRM, CancelPath.INSTANT),
    },
    "DELIVERING": {p: (Stage.SHIPPING, CancelPath.RETURN_INSTEAD) for p in PLACE_VALUES},
    "DELIVERED": {p: (Stage.DELIVERED, CancelPath.RETURN_INSTEAD) for p in PLACE_VALUES},
    "PURCHASE_DECIDED": {p: (Stage.DECIDED, CancelPath.CLOSED) for p in PLACE_VALUES},
    "EXCHANGED": {p: (Stage.RETURN_EXCHANGE, CancelPath.CLOSED) for p in PLACE_VALUES},
    "RETURNED": {p: (Stage.RETURN_EXCHANGE, CancelPath.CLOSED) for p in PLACE_VALUES},
    "CANCELED": {p: (Stage.CANCELED, CancelPath.ALREADY_CANCELED) for p in PLACE_VALUES},
    "CANCELED_BY_NOPAYMENT": {
        p: (Stage.CANCELED, CancelPath.ALREADY_CANCELED) for p in PLACE_VALUES
    },
}

COMBINATIONS = [
    (status, place, *EXPECTED[status][place]) for status in EXPECTED for place in PLACE_VALUES
]


def test_the_table_covers_every_status():
    assert set(EXPECTED) == {s.value for s in ProductOrderStatus}
    assert set(PLACE_VALUES) - {None} == {p.value for p in PlaceOrderStatus}


@pytest.mark.parametrize(("status", "place", "stage", "path"), COMBINATIONS)
def test_stage_and_cancel_path_of_every_status_combination(
    make_record, status, place, stage, path
):
    record = make_record(
        productOrder={"productOrderStatus": status, "placeOrderStatus": place}
    )
    facts = stage_of(record)
    assert facts.stage is stage
    assert facts.status is ProductOrderStatus(status)
    assert facts.place_order_status == (PlaceOrderStatus(place) if place else None)
    assert cancel_path(record) is path


def test_stage_facts_carry_the_times(make_record):
    record = make_record(
        productOrder={
            "productOrderStatus": "PURCHASE_DECIDED",
            "decisionDate": "2026-11-28T00:00:00.000+09:00",
        },
        delivery={
            "sendDate": "2026-11-20T14:59:00Z",
            "deliveredDate": "2026-11-20T15:01:00Z",
        },
    )
    facts = stage_of(record)
    assert facts.confirmed_at == datetime(2026, 11, 23, 11, 0, tzinfo=KST)
    assert facts.sent_at == datetime(2026, 11, 20, 23, 59, tzinfo=KST)
    assert facts.delivered_at == datetime(2026, 11, 21, 0, 1, tzinfo=KST)
    assert facts.decided_at == datetime(2026, 11, 28, 0, 0, tzinfo=KST)
    assert facts.return_exchange_status is None


def test_a_registered_invoice_means_shipping_even_before_the_status_changes(make_record):
    record = make_record(delivery={"sendDate": "2026-11-24T15:00:00.000+09:00"})
    assert stage_of(record).stage is Stage.SHIPPING
    assert cancel_path(record) is CancelPath.RETURN_INSTEAD


def test_missing_optional_parts_give_the_plain_stage(make_record):
    record = make_record(productOrder={"placeOrderDate": None, "shippingDueDate": None})
    facts = stage_of(record)
    assert facts.stage is Stage.PREPARING
    assert (facts.sent_at, facts.delivered_at, facts.decided_at) == (None, None, None)
    assert facts.return_exchange_status is None
    assert facts.confirmed_at is None


@pytest.mark.parametrize(
    ("claim_type", "claim_status"),
    [
        ("RETURN", "RETURN_REQUEST"),
        ("RETURN", "COLLECTING"),
        ("RETURN", "COLLECT_DONE"),
        ("EXCHANGE", "EXCHANGE_REQUEST"),
        ("EXCHANGE", "EXCHANGE_REDELIVERING"),
    ],
)
@pytest.mark.parametrize("status", ["DELIVERED", "DELIVERING", "PURCHASE_DECIDED"])
def test_an_open_return_or_exchange_closes_the_cancel(
    make_record, status, claim_type, claim_status
):
    record = make_record(
        productOrder={
            "productOrderStatus": status,
            "claimType": claim_type,
            "claimStatus": claim_status,
        },
        delivery={"deliveredDate": "2026-11-25T14:00:00.000+09:00"},
    )
    facts = stage_of(record)
    assert facts.stage is Stage.RETURN_EXCHANGE
    assert facts.return_exchange_status is ClaimStatus(claim_status)
    assert cancel_path(record) is CancelPath.CLOSED


@pytest.mark.parametrize(
    ("claim_type", "claim_status"),
    [("RETURN", "RETURN_REJECT"), ("EXCHANGE", "EXCHANGE_REJECT"), ("RETURN", "RETURN_DONE")],
)
def test_a_finished_or_refused_return_does_not_hide_the_delivered_stage(
    make_record, claim_type, claim_status
):
    record = make_record(
        productOrder={
            "productOrderStatus": "DELIVERED",
            "claimType": claim_type,
            "claimStatus": claim_status,
        },
        delivery={"deliveredDate": "2026-11-25T14:00:00.000+09:00"},
    )
    facts = stage_of(record)
    assert facts.stage is Stage.DELIVERED
    assert facts.return_exchange_status is ClaimStatus(claim_status)
    assert cancel_path(record) is CancelPath.RETURN_INSTEAD


@pytest.mark.parametrize(
    ("claim_status", "path"),
    [
        ("CANCEL_REQUEST", CancelPath.PENDING),
        ("CANCELING", CancelPath.PENDING),
        ("CANCEL_REJECT", CancelPath.REQUEST),
        ("CANCEL_DONE", CancelPath.REQUEST),
    ],
)
def test_a_cancel_request_at_preparing(make_record, claim_status, path):
    record = make_record(
        productOrder={"claimType": "CANCEL", "claimStatus": claim_status},
        currentClaim={"cancel": {"claimStatus": claim_status}},
    )
    assert stage_of(record).stage is Stage.PREPARING
    assert cancel_path(record) is path


@pytest.mark.parametrize("claim_status", ["CANCEL_REQUEST", "CANCELING"])
def test_a_pending_cancel_is_seen_without_current_claim(make_record, claim_status):
    # The product order's own claimStatus says a request is open even when the
    # currentClaim detail is missing (is_cancel_refused reads it the same way).
    record = make_record(productOrder={"claimType": "CANCEL", "claimStatus": claim_status})
    assert record.currentClaim is None
    assert cancel_path(record) is CancelPath.PENDING


def test_a_pending_cancel_before_confirmation_is_still_instant(make_record):
    record = make_record(
        productOrder={
            "placeOrderStatus": "NOT_YET",
            "claimType": "CANCEL",
            "claimStatus": "CANCEL_REQUEST",
        },
        currentClaim={"cancel": {"claimStatus": "CANCEL_REQUEST"}},
    )
    assert cancel_path(record) is CancelPath.INSTANT


def test_stages_are_english_identifiers_with_the_buyers_words_in_messages():
    # Code compares identifiers; the buyer reads SmartStore's own names (bot/messages.yml).
    assert {stage.value for stage in Stage} == set(labels("stages"))
    assert all(stage.value.isascii() for stage in Stage)
    assert stage_text(Stage.BEFORE_CONFIRM) == "주문확인 전"
    assert stage_text(Stage.PREPARING) == "배송준비중"
    assert stage_text(Stage.RETURN_EXCHANGE) == "반품·교환"
