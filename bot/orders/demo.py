"""The demo order set: one product order per case the assistant explains.

Times are relative to the moment of seeding, so the demo tells the same story on any day.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from bot.calendar import add_business_days, end_of_day, is_business_day, subtract_business_days
from bot.clock import KST, to_kst
from bot.orders.model import ProductOrderRecord, parse_records

Document = dict[str, Any]


@dataclass(frozen=True)
class DemoCase:
    number: int  # order 20261125000000NN, phone 010-2345-10NN
    product: str
    story: str  # what the case shows: its line in the README table (tests/orders/test_demo.py)
    # The order as of `now` (KST): one product order, or a list for an order of several items.
    build: Callable[[DemoCase, datetime], Document | list[Document]]

    @property
    def order_id(self) -> str:
        return f"20261125000000{self.number:02d}"

    @property
    def phone(self) -> str:
        return f"010-2345-10{self.number:02d}"

    def document(self, now: datetime) -> Document | list[Document]:
        return self.build(self, to_kst(now))

    def documents(self, now: datetime) -> list[Document]:
        built = self.document(now)
        return built if isinstance(built, list) else [built]

    def readme_line(self) -> str:
        return f"| `{self.order_id}` | `{self.phone[-4:]}` | {self.product} | {self.story} |"


def _iso(moment: datetime) -> str:
    return to_kst(moment).isoformat(timespec="milliseconds")


def _at(day: datetime, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day.date(), time(hour, minute), KST)


def _base(case: DemoCase, ordered: datetime, status: str, place: str | None) -> dict[str, Any]:
    """A product order of `case`, ordered (and paid 40 s later) at `ordered`."""
    product_order_id = "20261125" + "9" + case.order_id[-7:]
    return {
        "order": {
            "orderId": case.order_id,
            "orderDate": _iso(ordered),
            "paymentDate": _iso(ordered + timedelta(seconds=40)),
            "paymentMeans": "신용카드",
            "ordererName": "김민지",
            "ordererTel": case.phone,
        },
        "productOrder": {
            "productOrderId": product_order_id,
            "productName": case.product,
            "quantity": 1,
            "totalPaymentAmount": 39000,
            "deliveryFeeAmount": 0,
            "productOrderStatus": status,
            **({"placeOrderStatus": place} if place else {}),
            "shippingDueDate": _iso(
                end_of_day(add_business_days(ordered.date(), 3))
            ),
            "shippingAddress": {"name": "김민지", "tel1": case.phone},
        },
    }


def _confirmed(doc: dict[str, Any], at: datetime) -> None:
    doc["productOrder"]["placeOrderDate"] = _iso(at)


def _delivery(doc: dict[str, Any], status: str, **times: datetime | str | bool) -> None:
    doc["delivery"] = {
        "deliveryCompany": "CJGLS",
        "trackingNumber": "5" + doc["order"]["orderId"][-11:],
        "deliveryMethod": "DELIVERY",
        "deliveryStatus": status,
        **{key: _iso(value) if isinstance(value, datetime) else value
           for key, value in times.items()},
    }


def _claim(doc: dict[str, Any], kind: str, status: str, reason: str, **times: datetime) -> None:
    claim_type = {"cancel": "CANCEL", "return": "RETURN", "exchange": "EXCHANGE"}[kind]
    doc["productOrder"]["claimType"] = claim_type
    doc["productOrder"]["claimStatus"] = status
    doc["currentClaim"] = {
        kind: {
            "claimId": f"C{doc['order']['orderId'][-10:]}",
            "claimStatus": status,
            f"{kind}Reason": reason,
            **{key: _iso(value) for key, value in times.items()},
        }
    }


def _business_days_ago(now: datetime, days: int, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(subtract_business_days(now.date(), days), time(hour, minute), KST)


def _yesterday(now: datetime) -> datetime:
    return now - timedelta(days=1)


def _new(case: DemoCase, now: datetime) -> Document:
    return _base(case, now - timedelta(minutes=40), "PAYED", "NOT_YET")


def _preparing(case: DemoCase, now: datetime) -> Document:
    d = _base(case, now - timedelta(hours=3), "PAYED", "OK")
    _confirmed(d, now - timedelta(hours=2, minutes=30))
    return d


def _cancel_pending(case: DemoCase, now: datetime) -> Document:
    d = _base(case, now - timedelta(hours=5), "PAYED", "OK")
    _confirmed(d, now - timedelta(hours=4, minutes=30))
    _claim(d, "cancel", "CANCEL_REQUEST", "INTENT_CHANGED",
           claimRequestDate=now - timedelta(minutes=30))
    return d


Clock = tuple[int, int]  # (hour, minute) of a day


def _refused_yesterday(ordered: Clock, confirmed: Clock, requested: Clock, sent: Clock,
                       scanned: Clock) -> Callable[[DemoCase, datetime], Document]:
    """A cancel asked for yesterday and refused by dispatching: each time (hour, minute)."""

    def build(case: DemoCase, now: datetime) -> Document:
        yesterday = _yesterday(now)
        d = _base(case, _at(yesterday, *ordered), "DELIVERING", "OK")
        _confirmed(d, _at(yesterday, *confirmed))
        _delivery(d, "DELIVERING", sendDate=_at(yesterday, *sent),
                  pickupDate=_at(yesterday, *scanned))
        _claim(d, "cancel", "CANCEL_REJECT", "INTENT_CHANGED",
               claimRequestDate=_at(yesterday, *requested))
        return d

    return build


# Handed to the courier at 09:40, cancel asked at 10:05, invoice entered at 16:30.
_refused_scanned_before = _refused_yesterday(
    ordered=(8, 55), confirmed=(9, 10), requested=(10, 5), sent=(16, 30), scanned=(9, 40))
# Cancel asked at 09:30, invoice at 11:00, first scan only at 17:20.
_refused_scanned_after = _refused_yesterday(
    ordered=(8, 50), confirmed=(9, 5), requested=(9, 30), sent=(11, 0), scanned=(17, 20))


def _refused_never_scanned(case: DemoCase, now: datetime) -> Document:
    # Invoice entered four business days ago; the carrier has never scanned it.
    sent_day = _business_days_ago(now, 4, 15)
    d = _base(case, sent_day - timedelta(hours=7), "DELIVERING", "OK")
    _confirmed(d, sent_day - timedelta(hours=6))
    _delivery(d, "COLLECT_REQUEST", sendDate=sent_day)
    _claim(d, "cancel", "CANCEL_REJECT", "INTENT_CHANGED",
           claimRequestDate=sent_day - timedelta(hours=1))
    return d


def _delivered_days_ago(days: int) -> Callable[[DemoCase, datetime], Document]:
    def build(case: DemoCase, now: datetime) -> Document:
        delivered = _at(now - timedelta(days=days), 14, 10)
        d = _base(case, delivered - timedelta(days=2, hours=5), "DELIVERED", "OK")
        _confirmed(d, delivered - timedelta(days=2, hours=4))
        _delivery(d, "DELIVERY_COMPLETION", sendDate=delivered - timedelta(days=1, hours=2),
                  pickupDate=delivered - timedelta(days=1, hours=3), deliveredDate=delivered)
        return d

    return build


def _dispatch_overdue(case: DemoCase, now: datetime) -> Document:
    # Paid five business days ago; the three-business-day dispatch deadline has passed.
    paid = _business_days_ago(now, 5, 11)
    d = _base(case, paid, "PAYED", "OK")
    _confirmed(d, paid + timedelta(hours=1))
    return d


def _delivered_on(case: DemoCase, delivered: datetime, status: str) -> Document:
    """Ordered two days before `delivered`, confirmed an hour later, sent the day before."""
    d = _base(case, delivered - timedelta(days=2), status, "OK")
    _confirmed(d, delivered - timedelta(days=2) + timedelta(hours=1))
    _delivery(d, "DELIVERY_COMPLETION", sendDate=delivered - timedelta(days=1),
              pickupDate=delivered - timedelta(days=1), deliveredDate=delivered)
    return d


def _return_collecting(case: DemoCase, now: datetime) -> Document:
    delivered = _at(now - timedelta(days=3), 13, 0)
    d = _delivered_on(case, delivered, "DELIVERED")
    _claim(d, "return", "COLLECTING", "BROKEN", claimRequestDate=delivered + timedelta(hours=3))
    return d


def _decided(case: DemoCase, now: datetime) -> Document:
    delivered = _at(now - timedelta(days=12), 12, 0)
    d = _delivered_on(case, delivered, "PURCHASE_DECIDED")
    d["productOrder"]["decisionDate"] = _iso(delivered + timedelta(days=8))
    return d


def _canceled(case: DemoCase, now: datetime) -> Document:
    yesterday = _yesterday(now)
    d = _base(case, _at(yesterday, 19, 0), "CANCELED", None)
    _claim(d, "cancel", "CANCEL_DONE", "INTENT_CHANGED",
           claimRequestDate=_at(yesterday, 19, 20), cancelCompletedDate=_at(yesterday, 19, 20))
    return d


def _refused_after_deadline(case: DemoCase, now: datetime) -> Document:
    # Paid six business days ago, due three business days later; the buyer asked to cancel
    # the day after the deadline, and the seller dispatched anyway.
    paid = _business_days_ago(now, 6, 10)
    requested = datetime.combine(add_business_days(paid.date(), 4), time(9, 0), KST)
    d = _base(case, paid, "DELIVERING", "OK")
    _confirmed(d, paid + timedelta(hours=2))
    _delivery(d, "DELIVERING", sendDate=requested + timedelta(hours=6),
              pickupDate=requested + timedelta(hours=8))
    _claim(d, "cancel", "CANCEL_REJECT", "DELAYED_DELIVERY", claimRequestDate=requested)
    return d


def _wrong_invoice(case: DemoCase, now: datetime) -> Document:
    yesterday = _yesterday(now)
    d = _base(case, _at(yesterday, 9, 0), "DELIVERING", "OK")
    _confirmed(d, _at(yesterday, 9, 30))
    _delivery(d, "WRONG_INVOICE", sendDate=_at(yesterday, 15, 0), isWrongTrackingNumber=True)
    return d


# --- after-sale cases (30 and up) ---------------------------------------------------------


def _bundle(case: DemoCase, now: datetime) -> list[Document]:
    """Three items of one order, delivered together three days ago, free shipping (over the
    store's 30,000원 threshold together, under it without the T-shirt)."""
    items = [("면 티셔츠", 19000), ("양말 세트", 12000), ("에코백", 9000)]
    documents = []
    for index, (product, amount) in enumerate(items):
        d = _delivered_days_ago(3)(case, now)
        d["productOrder"]["productOrderId"] = (
            "20261125" + str(9 - index) + case.order_id[-7:])
        d["productOrder"]["productName"] = product
        d["productOrder"]["totalPaymentAmount"] = amount
        documents.append(d)
    return documents


def _return_rejected_after_receipt(case: DemoCase, now: datetime) -> Document:
    delivered = _at(now - timedelta(days=4), 15, 0)
    d = _delivered_on(case, delivered, "DELIVERED")
    _claim(d, "return", "RETURN_REJECT", "INTENT_CHANGED",
           claimRequestDate=delivered + timedelta(days=1, hours=2))
    return d


def _pickup_late(case: DemoCase, now: datetime) -> Document:
    requested = _business_days_ago(now, 3, 10)
    d = _delivered_on(case, requested - timedelta(days=1), "DELIVERED")
    _claim(d, "return", "RETURN_REQUEST", "COLOR_AND_SIZE", claimRequestDate=requested)
    return d


def _delay_notice(case: DemoCase, now: datetime) -> Document:
    # Paid two business days ago; the seller moved the deadline five business days later.
    paid = _business_days_ago(now, 2, 14)
    d = _base(case, paid, "PAYED", "OK")
    _confirmed(d, paid + timedelta(hours=1))
    d["productOrder"]["delayedDispatchReason"] = "PRODUCT_PREPARE"
    d["productOrder"]["shippingDueDate"] = _iso(
        end_of_day(add_business_days(paid.date(), 8)))
    return d


def _soldout_canceled(case: DemoCase, now: datetime) -> Document:
    # Ordered last evening, confirmed, then canceled by the seller an hour ago: sold out.
    d = _base(case, now - timedelta(hours=15), "CANCELED", "OK")
    _confirmed(d, now - timedelta(hours=14, minutes=30))
    _claim(d, "cancel", "CANCEL_DONE", "SOLD_OUT",
           claimRequestDate=now - timedelta(hours=1), cancelCompletedDate=now - timedelta(hours=1))
    return d


def _returned_with_fee(case: DemoCase, now: datetime) -> Document:
    delivered = _at(now - timedelta(days=8), 11, 0)
    d = _delivered_on(case, delivered, "RETURNED")
    _claim(d, "return", "RETURN_DONE", "INTENT_CHANGED",
           claimRequestDate=delivered + timedelta(days=1))
    d["currentClaim"]["return"]["claimDeliveryFeeDemandAmount"] = 7000
    return d


def _invoice_on_due_day_scanned_late(case: DemoCase, now: datetime) -> Document:
    # Paid 8 business days ago (due 5 ago); the invoice went in on the evening of the due
    # day, the carrier's first scan came 4 business days later.
    paid = _business_days_ago(now, 8, 10)
    due_day = add_business_days(paid.date(), 3)
    d = _base(case, paid, "DELIVERING", "OK")
    _confirmed(d, paid + timedelta(hours=1))
    _delivery(d, "DELIVERING", sendDate=datetime.combine(due_day, time(20, 0), KST),
              pickupDate=datetime.combine(add_business_days(due_day, 4), time(10, 30), KST))
    return d


def _request_left_open_shipped_late(case: DemoCase, now: datetime) -> Document:
    # Cancel asked the day after payment, two days before the deadline; the seller let
    # the deadline pass and dispatched two business days after it, refusing the cancel.
    paid = _business_days_ago(now, 8, 9)
    due_day = add_business_days(paid.date(), 3)
    sent = datetime.combine(add_business_days(due_day, 2), time(14, 0), KST)
    d = _base(case, paid, "DELIVERING", "OK")
    _confirmed(d, paid + timedelta(hours=2))
    _delivery(d, "DELIVERING", sendDate=sent, pickupDate=sent + timedelta(hours=3))
    _claim(d, "cancel", "CANCEL_REJECT", "INTENT_CHANGED",
           claimRequestDate=datetime.combine(add_business_days(paid.date(), 1), time(10, 0), KST))
    return d


def _return_ends_on_a_day_off(case: DemoCase, now: datetime) -> Document:
    # Delivered 7 days before the next Saturday, Sunday or holiday: the period's last day
    # falls on it and moves to the next business day.
    day_off = now.date()
    while is_business_day(day_off):
        day_off += timedelta(days=1)
    delivered = datetime.combine(day_off - timedelta(days=7), time(15, 0), KST)
    return _delivered_on(case, delivered, "DELIVERED")


def _payment_waiting(case: DemoCase, now: datetime) -> Document:
    d = _base(case, now - timedelta(hours=2), "PAYMENT_WAITING", None)
    d["order"].pop("paymentDate")
    d["order"]["paymentMeans"] = "무통장입금"
    return d


def _returned(case: DemoCase, now: datetime) -> Document:
    delivered = _at(now - timedelta(days=9), 11, 0)
    d = _delivered_on(case, delivered, "RETURNED")
    _claim(d, "return", "RETURN_DONE", "INTENT_CHANGED",
           claimRequestDate=delivered + timedelta(days=2),
           cancelCompletedDate=_at(now - timedelta(days=2), 16, 0))
    return d


def _return_rejected(case: DemoCase, now: datetime) -> Document:
    delivered = _at(now - timedelta(days=4), 13, 0)
    d = _delivered_on(case, delivered, "DELIVERED")
    _claim(d, "return", "RETURN_REJECT", "COLOR_AND_SIZE",
           claimRequestDate=delivered + timedelta(days=1))
    return d


def _return_unsatisfied(case: DemoCase, now: datetime) -> Document:
    delivered = _at(now - timedelta(days=2), 10, 0)
    d = _delivered_on(case, delivered, "DELIVERED")
    _claim(d, "return", "RETURN_REQUEST", "PRODUCT_UNSATISFIED",
           claimRequestDate=delivered + timedelta(hours=20))
    return d


def _refused_then_broken(case: DemoCase, now: datetime) -> Document:
    # A cancel refused fairly (the courier had it first); the parcel then arrived broken.
    delivered = _at(now - timedelta(days=2), 12, 0)
    d = _delivered_on(case, delivered, "DELIVERED")
    d["delivery"]["pickupDate"] = _iso(delivered - timedelta(days=1, hours=2))
    _claim(d, "return", "COLLECTING", "BROKEN", claimRequestDate=delivered + timedelta(hours=4))
    d["currentClaim"]["cancel"] = {
        "claimId": f"C{case.order_id[-10:]}0",
        "claimStatus": "CANCEL_REJECT",
        "cancelReason": "INTENT_CHANGED",
        "claimRequestDate": _iso(delivered - timedelta(days=1)),
    }
    return d


def _exchange_fee_unknown(case: DemoCase, now: datetime) -> Document:
    delivered = _at(now - timedelta(days=3), 18, 0)
    d = _delivered_on(case, delivered, "DELIVERED")
    d["productOrder"].pop("deliveryFeeAmount")
    _claim(d, "exchange", "EXCHANGE_REQUEST", "COLOR_AND_SIZE",
           claimRequestDate=delivered + timedelta(hours=15))
    return d


# Cancel asked at 10:00, first scan ten minutes later, invoice at 15:00.
_refused_scanned_just_after = _refused_yesterday(
    ordered=(8, 40), confirmed=(9, 0), requested=(10, 0), sent=(15, 0), scanned=(10, 10))


CASES: list[DemoCase] = [
    DemoCase(1, "무선 가습기", "주문확인 전: 바로 취소돼요", _new),
    DemoCase(2, "캠핑 의자", "배송준비중, 취소 요청 전", _preparing),
    DemoCase(3, "전기포트", "배송준비중, 취소 요청 대기", _cancel_pending),
    DemoCase(4, "블루투스 스피커", "취소 거부: 요청 전에 이미 집화됨", _refused_scanned_before),
    DemoCase(5, "겨울 패딩", "취소 거부: 요청 뒤에 집화됨", _refused_scanned_after),
    DemoCase(6, "LED 스탠드", "취소 거부: 송장만 있고 3영업일 넘게 집화 없음",
             _refused_never_scanned),
    DemoCase(7, "니트 가디건", "3일 전 배송완료: 반품 가능", _delivered_days_ago(3)),
    DemoCase(8, "러닝화", "10일 전 배송완료: 단순변심 반품 기한 지남", _delivered_days_ago(10)),
    DemoCase(9, "원목 책상", "발송기한 지남, 아직 배송준비중", _dispatch_overdue),
    DemoCase(10, "유리 머그컵 세트", "2일 전 배송완료 (불량 문의용)", _delivered_days_ago(2)),
    DemoCase(11, "미니 청소기", "파손으로 반품 진행 중", _return_collecting),
    DemoCase(12, "수건 세트", "구매확정됨", _decided),
    DemoCase(13, "보조배터리", "취소 완료, 환불됨", _canceled),
    DemoCase(14, "전기장판", "발송기한 지난 뒤 취소 요청, 그래도 발송됨 (판매자 사유)",
             _refused_after_deadline),
    DemoCase(15, "텀블러", "배송중, 오류 송장", _wrong_invoice),
    DemoCase(16, "가죽 지갑", "송장은 기한 당일 밤, 집화는 4영업일 뒤 (늦은 발송)",
             _invoice_on_due_day_scanned_late),
    DemoCase(17, "공기청정기 필터", "기한 전 취소 요청을 두고 기한 지나 발송 (판매자 사유)",
             _request_left_open_shipped_late),
    DemoCase(18, "실내 슬리퍼", "반품 기한 7일째가 주말·공휴일: 다음 영업일까지",
             _return_ends_on_a_day_off),
    DemoCase(19, "스테인리스 냄비", "결제대기 (무통장입금 전)", _payment_waiting),
    DemoCase(20, "요가 매트", "반품 완료, 환불됨", _returned),
    DemoCase(21, "데님 셔츠", "반품 요청이 거부됨", _return_rejected),
    DemoCase(22, "무선 이어폰", "'서비스 및 상품 불만족'으로 반품 요청 (검수 뒤 결정)",
             _return_unsatisfied),
    DemoCase(23, "세라믹 화분", "취소 거부(요청 전 집화) 뒤 파손으로 반품 진행",
             _refused_then_broken),
    DemoCase(24, "후드 티셔츠", "단순 변심 교환 진행 중, 처음 배송비 정보 없음",
             _exchange_fee_unknown),
    DemoCase(25, "전동 칫솔", "취소 거부: 요청 10분 뒤 집화", _refused_scanned_just_after),
    DemoCase(30, "면 티셔츠 외 2건", "한 주문에 상품 3개, 3일 전 배송완료 (상품 선택, 묶음배송비)",
             _bundle),
    DemoCase(31, "바람막이", "단순 변심 반품이 거부됨", _return_rejected_after_receipt),
    DemoCase(32, "샌들", "반품 요청 뒤 3영업일째 수거 안 옴", _pickup_late),
    DemoCase(33, "스탠드 조명", "배송준비중, 판매자 발송지연 안내 (새 발송기한)", _delay_notice),
    DemoCase(34, "캐시미어 머플러", "판매자가 품절로 취소함", _soldout_canceled),
    DemoCase(35, "가죽 벨트", "반품 완료, 반품 배송비 7,000원 차감", _returned_with_fee),
]


def demo_documents(now: datetime) -> list[dict[str, Any]]:
    """The demo product orders in the Commerce API shape, as of `now`."""
    return [document for case in CASES for document in case.documents(now)]


def demo_records(now: datetime) -> list[ProductOrderRecord]:
    return parse_records(demo_documents(now))


def readme_table() -> str:
    """The README's demo table, one line per case."""
    head = "| 주문번호 | 휴대폰 끝 4자리 | 상품 | 상황 |\n|---|---|---|---|\n"
    return head + "\n".join(case.readme_line() for case in CASES) + "\n"
