"""Which stage the buyer sees, and what a cancel does in it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from bot.orders.model import (
    ClaimStatus,
    ClaimType,
    PlaceOrderStatus,
    ProductOrderRecord,
    ProductOrderStatus,
)


class Stage(str, Enum):
    """Identifiers; the names SmartStore shows are labels.stages in bot/messages.yml."""

    PAYMENT_WAITING = "payment_waiting"  # 결제대기: ordered, not paid (e.g. 무통장입금)
    BEFORE_CONFIRM = "before_confirm"  # 주문확인 전 (결제완료)
    PREPARING = "preparing"  # 배송준비중
    SHIPPING = "shipping"  # 배송중
    DELIVERED = "delivered"  # 배송완료
    DECIDED = "decided"  # 구매확정
    CANCELED = "canceled"  # 취소
    RETURN_EXCHANGE = "return_exchange"  # 반품·교환


class CancelPath(str, Enum):
    UNPAID = "unpaid"  # nothing paid yet: cancelled at once, nothing to refund
    INSTANT = "instant"  # before 발주확인: cancelled and refunded with no approval
    REQUEST = "request"  # 배송준비중: the seller approves, or refuses by dispatching
    PENDING = "pending"  # a request is open, waiting for the seller
    RETURN_INSTEAD = "return_instead"  # dispatched: receive it, then return it
    ALREADY_CANCELED = "already_canceled"
    CLOSED = "closed"  # purchase decided or a return/exchange is under way: ask the seller


OPEN_RETURN_EXCHANGE = frozenset(
    {
        ClaimStatus.RETURN_REQUEST,
        ClaimStatus.COLLECTING,
        ClaimStatus.COLLECT_DONE,
        ClaimStatus.EXCHANGE_REQUEST,
        ClaimStatus.EXCHANGE_REDELIVERING,
    }
)


@dataclass(frozen=True)
class StageFacts:
    stage: Stage
    status: ProductOrderStatus
    place_order_status: PlaceOrderStatus | None
    confirmed_at: datetime | None  # 발주확인
    sent_at: datetime | None  # invoice registered (발송처리)
    delivered_at: datetime | None
    decided_at: datetime | None
    return_exchange_status: ClaimStatus | None  # the open or finished return/exchange


def stage_of(record: ProductOrderRecord) -> StageFacts:
    product = record.productOrder
    delivery = record.delivery
    sent_at = delivery.sendDate if delivery else None
    delivered_at = delivery.deliveredDate if delivery else None
    status = product.productOrderStatus
    return_exchange = (
        product.claimStatus
        if product.claimType in (ClaimType.RETURN, ClaimType.EXCHANGE)
        else None
    )

    if status in (ProductOrderStatus.CANCELED, ProductOrderStatus.CANCELED_BY_NOPAYMENT):
        stage = Stage.CANCELED
    elif status in (ProductOrderStatus.RETURNED, ProductOrderStatus.EXCHANGED) or (
        return_exchange in OPEN_RETURN_EXCHANGE
    ):
        stage = Stage.RETURN_EXCHANGE
    elif status == ProductOrderStatus.PURCHASE_DECIDED:
        stage = Stage.DECIDED
    elif status == ProductOrderStatus.DELIVERED:
        stage = Stage.DELIVERED
    elif status == ProductOrderStatus.DELIVERING or sent_at is not None:
        stage = Stage.SHIPPING
    elif status == ProductOrderStatus.PAYED and product.placeOrderStatus == PlaceOrderStatus.OK:
        stage = Stage.PREPARING
    elif status == ProductOrderStatus.PAYMENT_WAITING:
        stage = Stage.PAYMENT_WAITING
    else:  # PAYED with 발주 not (or no longer) confirmed
        stage = Stage.BEFORE_CONFIRM

    return StageFacts(
        stage=stage,
        status=status,
        place_order_status=product.placeOrderStatus,
        confirmed_at=product.placeOrderDate,
        sent_at=sent_at,
        delivered_at=delivered_at,
        decided_at=product.decisionDate,
        return_exchange_status=return_exchange,
    )


def cancel_path(record: ProductOrderRecord) -> CancelPath:
    stage = stage_of(record).stage
    if stage == Stage.CANCELED:
        return CancelPath.ALREADY_CANCELED
    if stage == Stage.PAYMENT_WAITING:
        return CancelPath.UNPAID
    if stage == Stage.BEFORE_CONFIRM:
        return CancelPath.INSTANT
    if stage == Stage.PREPARING:
        cancel = record.claim_of(ClaimType.CANCEL)
        # Without the claim detail, the product order's own claimStatus tells (as in
        # shipping.is_cancel_refused).
        status = cancel.claimStatus if cancel and cancel.claimStatus else None
        status = status or record.productOrder.claimStatus
        if status in (ClaimStatus.CANCEL_REQUEST, ClaimStatus.CANCELING):
            return CancelPath.PENDING
        return CancelPath.REQUEST
    if stage in (Stage.SHIPPING, Stage.DELIVERED):
        return CancelPath.RETURN_INSTEAD
    return CancelPath.CLOSED
