"""The buyer's questions after the order left the usual path: a parcel shown delivered but not
received, a rejected return, the return pickup, the bundled shipping fee of a partial
cancel or return, a new address, the seller's delay or sold-out notice, opened items and the
exceptions to the right of withdrawal, automatic purchase confirmation, and a refund
smaller than expected. Pure functions of (record, now, settings) like bot/questions/returns.py;
`bundle_fee` and `refund_less` also take the other product orders of the same order.
"""

from __future__ import annotations

from datetime import datetime

from bot.calendar import add_business_days
from bot.messages import labels
from bot.orders.model import ClaimReason, ClaimStatus, ClaimType, ProductOrderRecord
from bot.policy.after_sale import (
    AutoDecisionStatus,
    PickupStatus,
    auto_decision,
    bundle_fee,
    refund_deduction,
    return_pickup,
)
from bot.policy.fault import Side
from bot.policy.returns import ReturnWindowStatus, return_window
from bot.policy.stage import Stage, stage_of
from bot.present import carrier_name, day_text, deadline_text, won
from bot.questions.shared import (
    Reply,
    claim_in_progress,
    claim_state,
    claim_values,
    day,
    fee_replies,
    refund_replies,
    reply,
    return_window_replies,
    stage_value,
    when,
)
from bot.settings import Settings


def _claim_kind(record: ProductOrderRecord) -> str | None:
    kind = record.productOrder.claimType
    return labels("claim_kinds").get(kind.value) if kind else None


def _reason(record: ProductOrderRecord) -> ClaimReason | None:
    claim = record.claim
    return claim.reason if claim else None


# --- 1. delivered but not received --------------------------------------------------------


def lost(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    facts = stage_of(record)
    delivery = record.delivery
    if facts.stage == Stage.DELIVERED:
        return [
            reply("lost_delivered", delivered_at=when(facts.delivered_at),
                  carrier=carrier_name(delivery.deliveryCompany if delivery else None)),
            reply("lost_next"),
        ]
    if facts.stage == Stage.DECIDED:
        return [reply("lost_decided", decided_at=day(facts.decided_at))]
    if facts.stage in (Stage.SHIPPING, Stage.BEFORE_CONFIRM, Stage.PREPARING):
        return [reply("lost_not_delivered", stage=stage_value(record))]
    return [reply("lost_other", stage=stage_value(record))]


# --- 2. return rejected ------------------------------------------------------------------


REJECTED = (ClaimStatus.RETURN_REJECT, ClaimStatus.EXCHANGE_REJECT)


def return_rejected(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    window = return_window(record, now, settings.policy)
    if record.productOrder.claimStatus not in REJECTED:
        return [reply("return_rejected_none", stage=stage_value(record))] + claim_state(
            record, window)
    replies = [reply("claim_rejected", **claim_values(record))]
    if window.deadline is not None and window.days_left is not None and window.days_left >= 0:
        replies.append(reply("return_rejected_within", deadline=day(window.deadline)))
    if window.defect_deadline is not None:
        replies.append(reply("return_rejected_next", defect_deadline=day(window.defect_deadline)))
    return replies


# --- 3. the return pickup / sending it yourself --------------------------------------------


def pickup(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    found = return_pickup(record, now, settings.after_sale)
    status = record.productOrder.claimStatus
    claim_status = labels("claim_statuses").get(status.value) if status else None
    requested = day(found.requested_at)
    if found.status == PickupStatus.WAITING:
        late = settings.after_sale.return_pickup_late_business_days
        return [reply("pickup_waiting", requested_at=requested, late_days=f"{late:g}"),
                reply("pickup_self_send")]
    if found.status == PickupStatus.LATE:
        return [reply("pickup_late", requested_at=requested,
                      business_days=max(int(found.business_days), 1)),
                reply("pickup_self_send")]
    if found.status == PickupStatus.COLLECTED:
        return [reply("pickup_collected", claim_status=claim_status)]
    if found.status == PickupStatus.DONE:
        return [reply("pickup_done", claim_status=claim_status)]
    window = return_window(record, now, settings.policy)
    if window.status == ReturnWindowStatus.OPEN:
        return [reply("pickup_no_return")] + return_window_replies(
            record, now, settings, with_how=False) + [reply("pickup_self_send")]
    return return_window_replies(record, now, settings, with_how=False)


# --- 4. partial cancel or return: the bundled shipping fee -----------------------------------


def bundle(
    record: ProductOrderRecord, now: datetime, settings: Settings,
    order: list[ProductOrderRecord] | None = None,
) -> list[Reply]:
    fee = bundle_fee(record, order or [record], settings.after_sale)
    stage = stage_of(record).stage
    if stage in (Stage.CANCELED, Stage.RETURN_EXCHANGE, Stage.DECIDED):
        return [reply("bundle_fee_closed", stage=stage_value(record))]
    if fee.items == 1:
        replies = [reply("bundle_fee_single")]
    else:
        product = record.productOrder
        replies = [reply("bundle_fee_order", items=fee.items, total=won(fee.order_total),
                         product=product.productName, price=won(product.totalPaymentAmount),
                         remaining=won(fee.remaining))]
        if not fee.shipping_free:
            replies.append(reply("bundle_fee_paid"))
        elif fee.falls_below:
            replies.append(reply("bundle_fee_falls", threshold=won(fee.threshold),
                                 initial_fee=won(settings.store.initial_shipping_fee)))
        elif fee.threshold:
            replies.append(reply("bundle_fee_stays", threshold=won(fee.threshold)))
    if stage in (Stage.SHIPPING, Stage.DELIVERED):
        replies += fee_replies(record, now, settings)
    return replies


# --- 5. changing the address ----------------------------------------------------------------


def address(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    facts = stage_of(record)
    product = record.productOrder
    due = deadline_text(product.shippingDueDate) if product.shippingDueDate else None
    if facts.stage == Stage.BEFORE_CONFIRM:
        return [reply("address_before_confirm")]
    if facts.stage == Stage.PREPARING:
        return [reply("address_preparing", confirmed_at=when(facts.confirmed_at), due=due),
                reply("address_cancel_option")]
    if facts.stage == Stage.SHIPPING:
        delivery = record.delivery
        return [reply("address_shipping", sent_at=when(facts.sent_at),
                      carrier=carrier_name(delivery.deliveryCompany if delivery else None),
                      tracking=(delivery.trackingNumber if delivery else None) or None)]
    if facts.stage in (Stage.DELIVERED, Stage.DECIDED) and facts.delivered_at is not None:
        return [reply("address_delivered", delivered_at=day(facts.delivered_at))]
    return [reply("address_closed", stage=stage_value(record))]


# --- 6. the seller's delay notice or sold-out cancel ----------------------------------------


def seller_notice(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    product = record.productOrder
    reason = _reason(record)
    if reason == ClaimReason.SOLD_OUT and product.claimType in (
        ClaimType.CANCEL, ClaimType.ADMIN_CANCEL
    ):
        claim = record.claim
        paid = record.order.paymentDate or record.order.orderDate
        refund_by = add_business_days(paid.date(), settings.after_sale.soldout_refund_business_days)
        replies = [reply("notice_soldout",
                         canceled_at=day((claim.cancelCompletedDate or claim.claimRequestDate)
                                         if claim else None),
                         paid_at=day(paid),
                         refund_days=settings.after_sale.soldout_refund_business_days,
                         refund_by=day_text(refund_by))]
        return replies + refund_replies(record, now, settings)
    due = deadline_text(product.shippingDueDate) if product.shippingDueDate else None
    if product.delayedDispatchReason and stage_of(record).stage in (
        Stage.BEFORE_CONFIRM, Stage.PREPARING
    ):
        code = product.delayedDispatchReason
        reason = labels("dispatch_delay_reasons").get(code, code)
        return [reply("notice_delay", reason=reason, due=due),
                reply("notice_delay_rights")]
    return [reply("notice_none", stage=stage_value(record))]


# --- 7. opened or used item; 8. made-to-order and overseas purchases -------------------------


def _window_or_state(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    return return_window_replies(record, now, settings, with_how=False)


def opened(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    return [reply("opened_rule")] + _window_or_state(record, now, settings)


def exception(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    return [reply("exception_rule"), reply("exception_overseas")] + _window_or_state(
        record, now, settings)


# --- 9. automatic purchase confirmation ------------------------------------------------------


def auto_confirm(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    found = auto_decision(record, settings.after_sale)
    facts = stage_of(record)
    if found.status == AutoDecisionStatus.PENDING:
        return [reply("auto_confirm_pending", delivered_at=day(facts.delivered_at),
                      estimate=day(found.estimate), days=found.days_after_delivery),
                reply("auto_confirm_hold")]
    if found.status == AutoDecisionStatus.DECIDED:
        return [reply("auto_confirm_decided", decided_at=day(found.decided_at))]
    if found.status == AutoDecisionStatus.HELD:
        return [claim_in_progress(record), reply("auto_confirm_held")]
    if found.status in (AutoDecisionStatus.SHIPPING, AutoDecisionStatus.NOT_SHIPPED):
        return [reply("auto_confirm_not_delivered", stage=stage_value(record),
                      days=found.days_after_delivery)]
    return [reply("auto_confirm_closed", stage=stage_value(record))]


# --- 10. a refund smaller than expected -------------------------------------------------------


def refund_less(
    record: ProductOrderRecord, now: datetime, settings: Settings,
    order: list[ProductOrderRecord] | None = None,
) -> list[Reply]:
    found = refund_deduction(record)
    if found.claim_kind not in (ClaimType.CANCEL, ClaimType.ADMIN_CANCEL, ClaimType.RETURN):
        return [reply("refund_less_none", stage=stage_value(record))]
    kind = labels("refund_claim_kinds").get(found.claim_kind.value)
    replies = [reply("refund_less_paid", claim_kind=kind, paid=won(found.paid))]
    if found.side == Side.SELLER:
        reason = _reason(record)
        replies.append(reply("refund_less_seller", claim_kind=kind,
                             reason=labels("reasons").get(reason.value) if reason else None))
    elif found.fee_deducted:
        replies.append(reply("refund_less_fee", fee=won(found.fee_deducted)))
    fee = bundle_fee(record, order or [record], settings.after_sale)
    if fee.items > 1 and fee.falls_below and found.side != Side.SELLER:
        replies.append(reply("bundle_fee_falls", threshold=won(fee.threshold),
                             initial_fee=won(settings.store.initial_shipping_fee)))
    replies.append(reply("refund_less_check"))
    return replies
