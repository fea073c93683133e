"""The product-order model, mirroring the Naver Commerce API shape (camelCase JSON).

One record per product order: {order, productOrder, delivery, currentClaim, ...}.
Parsing validates; every time becomes timezone-aware in Asia/Seoul.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from enum import Enum
from typing import Any

from pydantic import BaseModel, Field, ValidationError, validator

from bot.clock import to_kst

# ASCII digits, whole string: `\d` takes full-width digits, `$` a trailing newline.
ORDER_ID = re.compile(r"[0-9]{16}")


class ProductOrderStatus(str, Enum):
    PAYMENT_WAITING = "PAYMENT_WAITING"
    PAYED = "PAYED"
    DELIVERING = "DELIVERING"
    DELIVERED = "DELIVERED"
    PURCHASE_DECIDED = "PURCHASE_DECIDED"
    EXCHANGED = "EXCHANGED"
    CANCELED = "CANCELED"
    RETURNED = "RETURNED"
    CANCELED_BY_NOPAYMENT = "CANCELED_BY_NOPAYMENT"


class PlaceOrderStatus(str, Enum):
    NOT_YET = "NOT_YET"
    OK = "OK"
    CANCEL = "CANCEL"


class DeliveryStatus(str, Enum):
    COLLECT_REQUEST = "COLLECT_REQUEST"
    COLLECT_WAIT = "COLLECT_WAIT"
    COLLECT_CARGO = "COLLECT_CARGO"
    DELIVERING = "DELIVERING"
    DELIVERY_COMPLETION = "DELIVERY_COMPLETION"
    DELIVERY_FAIL = "DELIVERY_FAIL"
    WRONG_INVOICE = "WRONG_INVOICE"
    COLLECT_CARGO_FAIL = "COLLECT_CARGO_FAIL"
    COLLECT_CARGO_CANCEL = "COLLECT_CARGO_CANCEL"
    NOT_TRACKING = "NOT_TRACKING"


class ClaimType(str, Enum):
    CANCEL = "CANCEL"
    RETURN = "RETURN"
    EXCHANGE = "EXCHANGE"
    PURCHASE_DECISION_HOLDBACK = "PURCHASE_DECISION_HOLDBACK"
    ADMIN_CANCEL = "ADMIN_CANCEL"


class ClaimStatus(str, Enum):
    CANCEL_REQUEST = "CANCEL_REQUEST"
    CANCELING = "CANCELING"
    CANCEL_DONE = "CANCEL_DONE"
    CANCEL_REJECT = "CANCEL_REJECT"
    RETURN_REQUEST = "RETURN_REQUEST"
    COLLECTING = "COLLECTING"
    COLLECT_DONE = "COLLECT_DONE"
    RETURN_DONE = "RETURN_DONE"
    RETURN_REJECT = "RETURN_REJECT"
    EXCHANGE_REQUEST = "EXCHANGE_REQUEST"
    EXCHANGE_REDELIVERING = "EXCHANGE_REDELIVERING"
    EXCHANGE_DONE = "EXCHANGE_DONE"
    EXCHANGE_REJECT = "EXCHANGE_REJECT"


class ClaimReason(str, Enum):
    # The buyer's change of mind.
    INTENT_CHANGED = "INTENT_CHANGED"
    COLOR_AND_SIZE = "COLOR_AND_SIZE"
    WRONG_ORDER = "WRONG_ORDER"
    SIMPLE_INTENT_CHANGED = "SIMPLE_INTENT_CHANGED"
    MISTAKE_ORDER = "MISTAKE_ORDER"
    # The seller's side.
    PRODUCT_UNSATISFIED = "PRODUCT_UNSATISFIED"
    DELAYED_DELIVERY = "DELAYED_DELIVERY"
    SOLD_OUT = "SOLD_OUT"
    DROPPED_DELIVERY = "DROPPED_DELIVERY"
    NOT_YET_DELIVERY = "NOT_YET_DELIVERY"
    BROKEN = "BROKEN"
    INCORRECT_INFO = "INCORRECT_INFO"
    WRONG_DELIVERY = "WRONG_DELIVERY"
    WRONG_OPTION = "WRONG_OPTION"


class ApiModel(BaseModel):
    class Config:
        extra = "ignore"  # the live API returns many more fields than we use
        allow_population_by_field_name = True
        validate_assignment = True

    @validator("*", pre=False)
    def _times_in_kst(cls, value: Any) -> Any:
        return to_kst(value) if isinstance(value, datetime) else value


class Order(ApiModel):
    orderId: str
    orderDate: datetime
    paymentDate: datetime | None = None
    paymentMeans: str | None = None
    ordererName: str | None = None
    ordererTel: str | None = None

    @validator("orderId")
    def _order_id(cls, value: str) -> str:
        if not ORDER_ID.fullmatch(value):
            raise ValueError("must be 16 digits")
        return value


class ShippingAddress(ApiModel):
    name: str | None = None
    tel1: str | None = None


class ProductOrder(ApiModel):
    productOrderId: str
    productName: str
    quantity: int = Field(1, ge=1)
    totalPaymentAmount: int = Field(0, ge=0)
    deliveryFeeAmount: int | None = Field(None, ge=0)
    productOrderStatus: ProductOrderStatus
    placeOrderStatus: PlaceOrderStatus | None = None
    placeOrderDate: datetime | None = None
    shippingDueDate: datetime | None = None
    delayedDispatchReason: str | None = None
    claimType: ClaimType | None = None
    claimStatus: ClaimStatus | None = None
    decisionDate: datetime | None = None
    shippingAddress: ShippingAddress | None = None

    @validator("productOrderId")
    def _product_order_id(cls, value: str) -> str:
        if not ORDER_ID.fullmatch(value):
            raise ValueError("must be 16 digits")
        return value


class Delivery(ApiModel):
    deliveryCompany: str | None = None
    trackingNumber: str | None = None
    deliveryMethod: str | None = None
    deliveryStatus: DeliveryStatus | None = None
    sendDate: datetime | None = None
    pickupDate: datetime | None = None
    deliveredDate: datetime | None = None
    isWrongTrackingNumber: bool = False


class Claim(ApiModel):
    claimId: str | None = None
    claimStatus: ClaimStatus | None = None
    claimRequestDate: datetime | None = None
    claimReason: ClaimReason | None = None
    # The live API names the reason per claim type.
    cancelReason: ClaimReason | None = None
    returnReason: ClaimReason | None = None
    exchangeReason: ClaimReason | None = None
    cancelApprovalDate: datetime | None = None
    cancelCompletedDate: datetime | None = None
    refundExpectedDate: datetime | None = None
    claimDeliveryFeeDemandAmount: int | None = Field(None, ge=0)

    @property
    def reason(self) -> ClaimReason | None:
        return self.claimReason or self.cancelReason or self.returnReason or self.exchangeReason


class CurrentClaim(ApiModel):
    cancel: Claim | None = None
    return_: Claim | None = Field(None, alias="return")
    exchange: Claim | None = None


class ProductOrderRecord(ApiModel):
    """One product order as the Commerce API returns it."""

    order: Order
    productOrder: ProductOrder
    delivery: Delivery | None = None
    currentClaim: CurrentClaim | None = None

    @property
    def order_id(self) -> str:
        return self.order.orderId

    @property
    def product_order_id(self) -> str:
        return self.productOrder.productOrderId

    @property
    def phone(self) -> str:
        address = self.productOrder.shippingAddress
        return (address.tel1 if address and address.tel1 else None) or self.order.ordererTel or ""

    @property
    def phone_last4(self) -> str:
        digits = re.sub(r"\D", "", self.phone)
        return digits[-4:]

    def claim_of(self, claim_type: ClaimType) -> Claim | None:
        if self.currentClaim is None:
            return None
        return {
            ClaimType.CANCEL: self.currentClaim.cancel,
            ClaimType.ADMIN_CANCEL: self.currentClaim.cancel,
            ClaimType.RETURN: self.currentClaim.return_,
            ClaimType.EXCHANGE: self.currentClaim.exchange,
        }.get(claim_type)

    @property
    def claim(self) -> Claim | None:
        """The product order's current claim, of the type the product order names."""
        claim_type = self.productOrder.claimType
        if claim_type is None:
            return None
        return self.claim_of(claim_type)

    def to_api(self) -> dict[str, Any]:
        """The record as API-shaped JSON-ready data (aliases, ISO times, no empty fields)."""
        return json.loads(self.json(by_alias=True, exclude_none=True))


class OrderDataError(ValueError):
    """A JSON document that is not a valid list of product orders; says where and why."""


def _describe(entry: Any, index: int) -> str:
    try:
        ident = entry["productOrder"]["productOrderId"]
        return f"entry {index} (productOrderId {ident})"
    except (TypeError, KeyError):
        return f"entry {index}"


def _given(entry: Any, loc: tuple) -> str:
    """' (got 'SHIPPED')' for a value that was present but wrong; '' for a missing one."""
    value = entry
    for part in loc:
        if isinstance(value, dict) and part in value:
            value = value[part]
        else:
            return ""
    return f" (got {value!r})" if not isinstance(value, (dict, list)) else ""


def parse_records(document: Any) -> list[ProductOrderRecord]:
    """Validate a list of product orders (or the API's {"data": [...]} wrapper), all or nothing."""
    if isinstance(document, dict) and "data" in document:
        document = document["data"]
    if not isinstance(document, list):
        raise OrderDataError("expected a JSON list of product orders (or {\"data\": [...]})")
    records: list[ProductOrderRecord] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(document):
        if not isinstance(entry, dict):
            problems.append(f"entry {index}: expected an object, got {type(entry).__name__}")
            continue
        try:
            record = ProductOrderRecord.parse_obj(entry)
        except ValidationError as error:
            for item in error.errors():
                where = ".".join(str(part) for part in item["loc"])
                given = _given(entry, item["loc"])
                problems.append(f"{_describe(entry, index)}: {where}: {item['msg']}{given}")
            continue
        if record.product_order_id in seen:
            problems.append(
                f"{_describe(entry, index)}: productOrder.productOrderId: duplicate of entry "
                f"{seen[record.product_order_id]}"
            )
            continue
        seen[record.product_order_id] = index
        records.append(record)
    if problems:
        raise OrderDataError("\n".join(problems))
    return records
