"""bot/orders/model.py: the Commerce API model and the all-or-nothing parser."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta

import pytest

from bot.clock import KST
from bot.orders.model import (
    ClaimReason,
    ClaimStatus,
    ClaimType,
    DeliveryStatus,
    OrderDataError,
    PlaceOrderStatus,
    ProductOrderRecord,
    ProductOrderStatus,
    parse_records,
)
from bot.policy.fault import SELLER_SIDE_REASONS

# A refused cancel as the Naver Commerce API returns it (the fields bot/orders/model.py reads,
# plus one it ignores): handed to the courier at 09:40, cancel asked at 10:05, invoice entered
# at 16:30, the story of demo case 04 (bot/orders/demo.py).
REFUSED_CANCEL = {
    "order": {
        "orderId": "2026112612345601",
        "orderDate": "2026-11-26T08:55:00.000+09:00",
        "paymentDate": "2026-11-26T08:55:30.000+09:00",
        "paymentMeans": "신용카드",
        "ordererName": "김민지",
        "ordererTel": "010-1234-5678",
    },
    "productOrder": {
        "productOrderId": "2026112698765401",
        "productName": "무선 가습기",
        "quantity": 1,
        "totalPaymentAmount": 39000,
        "productOrderStatus": "DELIVERING",
        "placeOrderStatus": "OK",
        "placeOrderDate": "2026-11-26T09:10:00.000+09:00",
        "shippingDueDate": "2026-11-28T23:59:59.000+09:00",
        "claimType": "CANCEL",
        "claimStatus": "CANCEL_REJECT",
        "shippingAddress": {"name": "김민지", "tel1": "010-1234-5678"},
        "someFieldWeDoNotUse": "ignored",
    },
    "delivery": {
        "deliveryCompany": "CJGLS",
        "trackingNumber": "512345678901",
        "deliveryMethod": "DELIVERY",
        "deliveryStatus": "DELIVERING",
        "sendDate": "2026-11-26T16:30:00.000+09:00",
        "pickupDate": "2026-11-26T09:40:00.000+09:00",
    },
    "currentClaim": {
        "cancel": {
            "claimId": "C2026112600001",
            "claimStatus": "CANCEL_REJECT",
            "claimRequestDate": "2026-11-26T10:05:00.000+09:00",
            "cancelReason": "INTENT_CHANGED",
        }
    },
}

NINE_HOURS = timedelta(hours=9)


def _entry(product_order_id: str, order_id: str = "2026112612345601") -> dict:
    entry = copy.deepcopy(REFUSED_CANCEL)
    entry["order"]["orderId"] = order_id
    entry["productOrder"]["productOrderId"] = product_order_id
    return entry


def _error(document) -> str:
    with pytest.raises(OrderDataError) as caught:
        parse_records(document)
    return str(caught.value)


# --- the model ------------------------------------------------------------------------------


def test_the_domain_example_parses_into_typed_kst_fields():
    (record,) = parse_records([REFUSED_CANCEL])
    assert record.order_id == "2026112612345601"
    assert record.product_order_id == "2026112698765401"
    assert record.productOrder.productOrderStatus is ProductOrderStatus.DELIVERING
    assert record.productOrder.placeOrderStatus is PlaceOrderStatus.OK
    assert record.productOrder.claimType is ClaimType.CANCEL
    assert record.delivery.deliveryStatus is DeliveryStatus.DELIVERING
    assert record.delivery.isWrongTrackingNumber is False
    assert record.delivery.sendDate == datetime(2026, 11, 26, 16, 30, tzinfo=KST)
    assert record.delivery.sendDate.tzinfo is KST
    claim = record.claim
    assert claim is record.currentClaim.cancel
    assert claim.claimStatus is ClaimStatus.CANCEL_REJECT
    assert claim.reason is ClaimReason.INTENT_CHANGED
    assert claim.claimRequestDate == datetime(2026, 11, 26, 10, 5, tzinfo=KST)


@pytest.mark.parametrize(
    ("sent", "kst_date", "kst_time"),
    [
        ("2026-11-20T14:59:00Z", "2026-11-20", (23, 59)),
        ("2026-11-20T15:01:00.000Z", "2026-11-21", (0, 1)),
        ("2026-11-20T15:01:00+00:00", "2026-11-21", (0, 1)),
        ("2026-11-20T23:59:00", "2026-11-20", (23, 59)),  # naive: taken as KST
    ],
)
def test_times_land_on_the_kst_date(make_document, sent, kst_date, kst_time):
    document = make_document(delivery={"sendDate": sent})
    (record,) = parse_records([document])
    sent_at = record.delivery.sendDate
    assert sent_at.tzinfo is KST
    assert sent_at.utcoffset() == NINE_HOURS
    assert sent_at.date().isoformat() == kst_date
    assert (sent_at.hour, sent_at.minute) == kst_time


def test_every_time_field_of_every_part_is_kst(make_record):
    record = make_record(
        order={"orderDate": "2026-11-23T00:00:00Z"},
        productOrder={"decisionDate": "2026-12-01T00:00:00Z"},
        delivery={"deliveredDate": "2026-11-25T00:00:00Z"},
        currentClaim={"return": {"refundExpectedDate": "2026-11-30T00:00:00Z"}},
    )
    for moment in (
        record.order.orderDate,
        record.order.paymentDate,
        record.productOrder.decisionDate,
        record.productOrder.shippingDueDate,
        record.delivery.deliveredDate,
        record.currentClaim.return_.refundExpectedDate,
    ):
        assert moment.tzinfo is KST
        assert moment.utcoffset() == NINE_HOURS
    assert record.order.orderDate.hour == 9


@pytest.mark.parametrize(
    ("enum", "section", "field"),
    [
        (ProductOrderStatus, "productOrder", "productOrderStatus"),
        (PlaceOrderStatus, "productOrder", "placeOrderStatus"),
        (ClaimType, "productOrder", "claimType"),
        (ClaimStatus, "productOrder", "claimStatus"),
        (DeliveryStatus, "delivery", "deliveryStatus"),
    ],
)
def test_every_enum_value_parses(make_document, enum, section, field):
    for member in enum:
        (record,) = parse_records([make_document(**{section: {field: member.value}})])
        assert getattr(getattr(record, section), field) is member


def test_every_claim_reason_parses_under_each_api_name(make_document):
    for reason in ClaimReason:
        for key in ("claimReason", "cancelReason", "returnReason", "exchangeReason"):
            document = make_document(currentClaim={"cancel": {key: reason.value}})
            (record,) = parse_records([document])
            assert record.currentClaim.cancel.reason is reason


def test_enum_members_match_the_domain_reference():
    assert {s.value for s in ProductOrderStatus} == {
        "PAYMENT_WAITING", "PAYED", "DELIVERING", "DELIVERED", "PURCHASE_DECIDED",
        "EXCHANGED", "CANCELED", "RETURNED", "CANCELED_BY_NOPAYMENT",
    }
    assert {s.value for s in PlaceOrderStatus} == {"NOT_YET", "OK", "CANCEL"}
    assert len(DeliveryStatus) == 10
    assert {t.value for t in ClaimType} == {
        "CANCEL", "RETURN", "EXCHANGE", "PURCHASE_DECISION_HOLDBACK", "ADMIN_CANCEL",
    }
    assert len(ClaimStatus) == 13


def test_seller_side_reasons_are_the_nine_seller_faults():
    assert {r.value for r in SELLER_SIDE_REASONS} == {
        "PRODUCT_UNSATISFIED", "DELAYED_DELIVERY", "SOLD_OUT", "DROPPED_DELIVERY",
        "NOT_YET_DELIVERY", "BROKEN", "INCORRECT_INFO", "WRONG_DELIVERY", "WRONG_OPTION",
    }
    buyer = set(ClaimReason) - SELLER_SIDE_REASONS
    assert {r.value for r in buyer} == {
        "INTENT_CHANGED", "COLOR_AND_SIZE", "WRONG_ORDER", "SIMPLE_INTENT_CHANGED",
        "MISTAKE_ORDER",
    }


def test_claim_reason_prefers_claim_reason_then_the_typed_names(make_record):
    record = make_record(
        currentClaim={"cancel": {"claimReason": "BROKEN", "cancelReason": "INTENT_CHANGED"}}
    )
    assert record.currentClaim.cancel.reason is ClaimReason.BROKEN
    record = make_record(currentClaim={"return": {"returnReason": "WRONG_OPTION"}})
    assert record.currentClaim.return_.reason is ClaimReason.WRONG_OPTION
    unreasoned = make_record(currentClaim={"cancel": {"claimId": "C1"}})
    assert unreasoned.currentClaim.cancel.reason is None


def test_the_claim_follows_the_product_orders_claim_type(make_record):
    claims = {
        "cancel": {"claimId": "C-cancel"},
        "return": {"claimId": "C-return"},
        "exchange": {"claimId": "C-exchange"},
    }
    expected = {
        "CANCEL": "C-cancel",
        "ADMIN_CANCEL": "C-cancel",
        "RETURN": "C-return",
        "EXCHANGE": "C-exchange",
    }
    for claim_type, claim_id in expected.items():
        record = make_record(productOrder={"claimType": claim_type}, currentClaim=claims)
        assert record.claim.claimId == claim_id
    held = make_record(
        productOrder={"claimType": "PURCHASE_DECISION_HOLDBACK"}, currentClaim=claims
    )
    assert held.claim is None
    assert make_record(currentClaim=claims).claim is None  # no claimType
    assert make_record(productOrder={"claimType": "CANCEL"}).claim is None  # no currentClaim


def test_the_return_claim_is_read_from_the_api_key_return(make_record):
    record = make_record(
        productOrder={"claimType": "RETURN", "claimStatus": "COLLECTING"},
        currentClaim={"return": {"claimId": "R1", "claimStatus": "COLLECTING"}},
    )
    assert record.claim_of(ClaimType.RETURN).claimId == "R1"
    assert record.claim_of(ClaimType.CANCEL) is None


@pytest.mark.parametrize(
    ("overrides", "last4"),
    [
        ({}, "5678"),
        ({"productOrder": {"shippingAddress": {"tel1": "010 9999 0001"}}}, "0001"),
        ({"productOrder": {"shippingAddress": None}}, "5678"),  # falls back to the orderer
        ({"productOrder": {"shippingAddress": {"tel1": None}}, "order": {"ordererTel": None}},
         ""),
    ],
)
def test_phone_last4(make_record, overrides, last4):
    assert make_record(**overrides).phone_last4 == last4


def test_to_api_round_trips_with_api_names_and_no_empty_fields(make_record):
    record = make_record(
        productOrder={"claimType": "RETURN", "claimStatus": "RETURN_REQUEST"},
        delivery={"sendDate": "2026-11-24T15:00:00.000+09:00"},
        currentClaim={"return": {"claimId": "R1", "returnReason": "BROKEN"}},
    )
    api = record.to_api()
    assert "return" in api["currentClaim"]
    assert "return_" not in api["currentClaim"]
    assert "pickupDate" not in api["delivery"]
    assert "cancel" not in api["currentClaim"]
    assert api["delivery"]["sendDate"] == "2026-11-24T15:00:00+09:00"
    assert api["productOrder"]["productOrderStatus"] == "PAYED"
    assert ProductOrderRecord.parse_obj(api) == record


def test_optional_parts_may_be_missing(make_record):
    record = make_record(
        productOrder={"shippingDueDate": None, "placeOrderStatus": None, "placeOrderDate": None}
    )
    assert record.delivery is None
    assert record.currentClaim is None
    assert record.claim is None
    assert record.productOrder.shippingDueDate is None
    assert record.productOrder.placeOrderStatus is None


# --- parse_records: all or nothing, precise errors ----------------------------------------


def test_a_list_parses_in_order():
    records = parse_records([_entry("2026112698765401"), _entry("2026112698765402")])
    assert [r.product_order_id for r in records] == ["2026112698765401", "2026112698765402"]


def test_the_api_data_wrapper_is_accepted():
    document = {"timestamp": "2026-11-27T10:00:00.000+09:00", "data": [_entry("2026112698765401")]}
    (record,) = parse_records(document)
    assert record.product_order_id == "2026112698765401"


def test_an_empty_list_is_no_records():
    assert parse_records([]) == []
    assert parse_records({"data": []}) == []


@pytest.mark.parametrize("document", [{"orders": []}, "orders", 42, None, {"data": {"a": 1}}])
def test_a_document_that_is_not_a_list_is_refused(document):
    assert "expected a JSON list of product orders" in _error(document)


def test_an_unknown_enum_value_names_entry_id_and_field_path():
    bad = _entry("2026112698765402")
    bad["productOrder"]["productOrderStatus"] = "SHIPPED"
    message = _error([_entry("2026112698765401"), bad])
    assert message.startswith(
        "entry 1 (productOrderId 2026112698765402): productOrder.productOrderStatus: "
    )
    assert "not a valid enumeration member" in message
    assert "entry 0" not in message


def test_an_unknown_nested_enum_value_names_the_full_path():
    bad = _entry("2026112698765401")
    bad["currentClaim"]["cancel"]["cancelReason"] = "BORED"
    message = _error([bad])
    assert "entry 0 (productOrderId 2026112698765401): currentClaim.cancel.cancelReason:" in message


@pytest.mark.parametrize("order_id", ["202611261234560", "20261126123456011"])  # 15, 17 digits
def test_an_order_id_of_the_wrong_length_is_refused(order_id):
    message = _error([_entry("2026112698765401", order_id=order_id)])
    assert message == (
        "entry 0 (productOrderId 2026112698765401): order.orderId: must be 16 digits"
        f" (got '{order_id}')"
    )


@pytest.mark.parametrize("product_order_id", ["202611269876540", "20261126987654011"])
def test_a_product_order_id_of_the_wrong_length_is_refused(product_order_id):
    message = _error([_entry(product_order_id)])
    assert message == (
        f"entry 0 (productOrderId {product_order_id}): "
        f"productOrder.productOrderId: must be 16 digits (got '{product_order_id}')"
    )


@pytest.mark.parametrize(
    "order_id",
    [
        "2026112612345601\n",  # `$` matches before a final newline
        "２０２６１１２６１２３４５６０１",  # full-width digits are \d too
        "2026-1126-1234-5601",
        "2026112612345a01",
    ],
)
def test_an_order_id_must_be_exactly_16_ascii_digits(order_id):
    message = _error([_entry("2026112698765401", order_id=order_id)])
    assert "order.orderId: must be 16 digits" in message


def test_a_duplicate_product_order_id_is_refused_naming_both_entries():
    entries = [
        _entry("2026112698765401"),
        _entry("2026112698765402"),
        _entry("2026112698765401"),
    ]
    message = _error(entries)
    assert message == (
        "entry 2 (productOrderId 2026112698765401): productOrder.productOrderId: "
        "duplicate of entry 0"
    )


def test_a_missing_required_field_is_named():
    bad = _entry("2026112698765401")
    del bad["productOrder"]["productName"]
    assert _error([bad]) == (
        "entry 0 (productOrderId 2026112698765401): productOrder.productName: field required"
    )


def test_an_entry_without_product_order_id_is_named_by_index():
    bad = _entry("2026112698765401")
    del bad["productOrder"]["productOrderId"]
    assert _error([bad]) == "entry 0: productOrder.productOrderId: field required"


def test_a_bad_time_and_a_bad_quantity_are_named():
    bad = _entry("2026112698765401")
    bad["delivery"]["sendDate"] = "yesterday"
    bad["productOrder"]["quantity"] = 0
    message = _error([bad])
    assert "entry 0 (productOrderId 2026112698765401): productOrder.quantity:" in message
    assert "entry 0 (productOrderId 2026112698765401): delivery.sendDate:" in message


def test_an_entry_that_is_not_an_object_is_named():
    message = _error([_entry("2026112698765401"), "2026112698765402", [1]])
    assert "entry 1: expected an object, got str" in message
    assert "entry 2: expected an object, got list" in message


def test_every_problem_is_reported_at_once():
    first = _entry("2026112698765401", order_id="123")
    second = _entry("2026112698765402")
    second["productOrder"]["placeOrderStatus"] = "MAYBE"
    message = _error([first, second, _entry("2026112698765403")])
    assert message == (
        "entry 0 (productOrderId 2026112698765401): order.orderId: must be 16 digits (got '123')\n"
        "entry 1 (productOrderId 2026112698765402): productOrder.placeOrderStatus: "
        "value is not a valid enumeration member; permitted: 'NOT_YET', 'OK', 'CANCEL' "
        "(got 'MAYBE')"
    )


def test_order_data_error_is_a_value_error():
    assert issubclass(OrderDataError, ValueError)
