"""What the assistant says about one order: policy results turned into response names + values.

Pure functions of (record, now, settings). Each returns the replies in order; a reply names a
response in domain.yml and the values it is filled with. The actions only utter them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.orders.model import ProductOrderRecord
from bot.policy.calendar import add_business_days
from bot.policy.returns import (
    AcceptAnswer,
    RefundKind,
    ReturnWindowStatus,
    Side,
    known_side,
    must_accept,
    refund_timing,
    return_fee,
    return_window,
)
from bot.policy.shipping import (
    LagClass,
    RefusalVerdict,
    dispatch_facts,
    refusal_facts,
    tracking_lag,
)
from bot.policy.stage import CancelPath, Stage, cancel_path, stage_of
from bot.present import (
    CLAIM_KIND_LABELS,
    CLAIM_STATUS_LABELS,
    FEE_BASIS,
    REASON_LABELS,
    carrier_name,
    day_text,
    days_left_text,
    deadline_text,
    duration_text,
    mask_order_id,
    moment_text,
    won,
)
from bot.settings import Settings


@dataclass(frozen=True)
class Reply:
    response: str
    values: dict[str, str] = field(default_factory=dict)


def _r(response: str, **values: object) -> Reply:
    return Reply(response, {key: str(value) for key, value in values.items()})


def order_values(record: ProductOrderRecord) -> dict[str, str]:
    return {
        "product": record.productOrder.productName,
        "order": mask_order_id(record.order_id),
        "stage": stage_of(record).stage.value,
    }


def verified(record: ProductOrderRecord) -> list[Reply]:
    return [_r("verified", **order_values(record))]


# --- building blocks ---------------------------------------------------------------------


def _fee_replies(record: ProductOrderRecord, settings: Settings) -> list[Reply]:
    side = known_side(record, settings.policy)
    if side == Side.SELLER:
        reason = record.claim.reason.value if record.claim and record.claim.reason else None
        label = REASON_LABELS.get(reason or "", "판매자 사유")
        if reason is None or side_reason_is_delay(record, settings):
            label = REASON_LABELS["DELAYED_DELIVERY"]
        return [_r("fee_seller", reason=label)]
    fee = return_fee(record, Side.BUYER, settings.store)
    return [_r("fee_buyer", fee=won(fee.amount), fee_basis=FEE_BASIS[fee.round_trip])]


def side_reason_is_delay(record: ProductOrderRecord, settings: Settings) -> bool:
    refusal = refusal_facts(record, settings.policy)
    return refusal is not None and refusal.deadline_missed_at_request


def _return_window_replies(
    record: ProductOrderRecord, now: datetime, settings: Settings, *, with_how: bool
) -> list[Reply]:
    window = return_window(record, now, settings.policy)
    facts = stage_of(record)
    if window.status == ReturnWindowStatus.OPEN:
        replies = [
            _r(
                "return_open",
                delivered_at=day_text(window.delivered_at),
                deadline=day_text(window.deadline),
                days_left=days_left_text(window.days_left),
            )
        ]
        if with_how:
            replies.append(_r("return_how"))
            replies += _fee_replies(record, settings)
        return replies
    if window.status == ReturnWindowStatus.CLOSED:
        return [
            _r(
                "return_closed",
                delivered_at=day_text(window.delivered_at),
                deadline=day_text(window.deadline),
                defect_deadline=day_text(window.defect_deadline),
                discovery_days=window.defect_discovery_days,
            )
        ]
    if window.status == ReturnWindowStatus.DECIDED:
        decided = facts.decided_at or window.delivered_at
        return [
            _r(
                "return_decided",
                decided_at=day_text(decided) if decided else "이미",
                defect_deadline=day_text(window.defect_deadline) if window.defect_deadline
                else "공급일로부터 3개월",
            )
        ]
    if window.status == ReturnWindowStatus.IN_PROGRESS:
        return [_claim_in_progress(record)]
    if window.status == ReturnWindowStatus.CANCELED:
        return [_r("return_canceled")]
    if facts.stage in (Stage.BEFORE_CONFIRM, Stage.PREPARING):
        return [_r("return_cancel_instead", stage=facts.stage.value)]
    return [_r("return_not_delivered")]


def _claim_in_progress(record: ProductOrderRecord) -> Reply:
    product = record.productOrder
    kind = CLAIM_KIND_LABELS.get(product.claimType.value if product.claimType else "", "반품")
    status = product.claimStatus.value if product.claimStatus else ""
    claim = record.claim
    requested = claim.claimRequestDate if claim else None
    return _r(
        "claim_in_progress",
        claim_kind=kind,
        claim_status=CLAIM_STATUS_LABELS.get(status, status or "진행 중"),
        requested_at=day_text(requested) if requested else "앞서",
    )


def _lag_replies(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    lag = tracking_lag(record, now, settings.policy)
    if lag is None:
        return [_r("lag_no_invoice", stage=stage_of(record).stage.value)]
    base = {
        "sent_at": moment_text(lag.sent_at),
        "carrier": carrier_name(lag.carrier),
        "tracking": lag.tracking_number or "-",
    }
    if lag.wrong_invoice:
        return [_r("lag_wrong_invoice", **base)]
    if lag.scanned_at is not None:
        scanned = {**base, "scanned_at": moment_text(lag.scanned_at)}
        if lag.scan_before_invoice:
            return [_r("lag_scan_before_invoice", **scanned)]
        replies = [_r("lag_scanned", gap=duration_text(lag.hours), **scanned)]
        if lag.lag_class == LagClass.LATE:
            replies.append(_r("lag_scanned_late"))
        return replies
    if lag.carrier_has_it:
        return [_r("lag_in_transit", **base)]
    waited = {**base, "waited": duration_text(lag.hours),
              "business_days": f"{lag.business_days:.1f}".rstrip("0").rstrip(".")}
    response = {
        LagClass.NORMAL: "lag_waiting",
        LagClass.LATE: "lag_late",
        LagClass.SUSPICIOUS: "lag_suspicious",
    }[lag.lag_class]
    return [_r(response, **waited)]


def _overdue_replies(record: ProductOrderRecord, now: datetime, settings: Settings):
    dispatch = dispatch_facts(record, now, settings.policy)
    if not dispatch.overdue:
        return []
    replies = [
        _r(
            "delay_overdue",
            due=deadline_text(dispatch.due),
            overdue_days=max(int(dispatch.business_days_overdue), 1),
        )
    ]
    if dispatch.reason:
        replies.append(_r("delay_seller_reason", reason=dispatch.reason))
    return replies


# --- one function per question --------------------------------------------------------------


def cancel(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    path = cancel_path(record)
    facts = stage_of(record)
    if path == CancelPath.INSTANT:
        return [_r("cancel_instant")]
    if path == CancelPath.REQUEST:
        confirmed = moment_text(facts.confirmed_at) if facts.confirmed_at else "앞서"
        return [_r("cancel_request", confirmed_at=confirmed)] + _overdue_replies(
            record, now, settings
        )
    if path == CancelPath.PENDING:
        claim = record.claim
        requested = claim.claimRequestDate if claim else None
        return [
            _r("cancel_pending", requested_at=moment_text(requested) if requested else "앞서")
        ] + _overdue_replies(record, now, settings)
    if path == CancelPath.RETURN_INSTEAD:
        sent = facts.sent_at
        return [
            _r("cancel_return_instead", sent_at=moment_text(sent) if sent else "이미")
        ] + _return_window_replies(record, now, settings, with_how=False)
    if path == CancelPath.ALREADY_CANCELED:
        return [_r("cancel_done")] + refund(record, now, settings)
    return [_r("cancel_closed", stage=facts.stage.value)]


def refusal(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    facts = refusal_facts(record, settings.policy)
    if facts is None:
        return [_r("refusal_none", stage=stage_of(record).stage.value)] + cancel(
            record, now, settings
        )
    delivery = record.delivery
    times = {
        "requested_at": moment_text(facts.requested_at) if facts.requested_at else "",
        "sent_at": moment_text(facts.sent_at) if facts.sent_at else "",
        "scanned_at": moment_text(facts.scanned_at) if facts.scanned_at else "",
        "carrier": carrier_name(delivery.deliveryCompany if delivery else None),
    }
    replies: list[Reply]
    if facts.verdict == RefusalVerdict.SCANNED_BEFORE_REQUEST:
        replies = [_r("refusal_scanned_before", **times)]
    elif facts.verdict == RefusalVerdict.SCANNED_AFTER_REQUEST:
        replies = [_r("refusal_scanned_after", **times)]
    elif facts.verdict == RefusalVerdict.NO_SCAN_YET:
        replies = [_r("refusal_no_scan", **times)] + _lag_replies(record, now, settings)
    else:
        replies = [_r("refusal_unknown", **times)]
    if facts.seller_side:
        due = dispatch_facts(record, now, settings.policy).due
        replies.append(
            _r("refusal_seller_side", due=deadline_text(due), requested_at=times["requested_at"])
        )
    stage = stage_of(record).stage
    if stage == Stage.SHIPPING:
        replies.append(_r("refusal_next_shipping"))
    else:
        replies += _return_window_replies(record, now, settings, with_how=False)
    return replies


def status(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    facts = stage_of(record)
    dispatch = dispatch_facts(record, now, settings.policy)
    if facts.stage == Stage.BEFORE_CONFIRM:
        return [
            _r(
                "status_before_confirm",
                ordered_at=moment_text(record.order.orderDate),
                due=day_text(dispatch.due),
            )
        ]
    if facts.stage == Stage.PREPARING:
        replies = [
            _r(
                "status_preparing",
                confirmed_at=moment_text(facts.confirmed_at) if facts.confirmed_at else "앞서",
                due=deadline_text(dispatch.due),
            )
        ]
        if cancel_path(record) == CancelPath.PENDING:
            replies += cancel(record, now, settings)[:1]
        return replies + _overdue_replies(record, now, settings)
    if facts.stage == Stage.SHIPPING:
        delivery = record.delivery
        return [
            _r(
                "status_shipping",
                sent_at=moment_text(facts.sent_at) if facts.sent_at else "이미",
                carrier=carrier_name(delivery.deliveryCompany if delivery else None),
                tracking=(delivery.trackingNumber if delivery else None) or "-",
            )
        ] + _lag_replies(record, now, settings)
    if facts.stage == Stage.DELIVERED:
        return [
            _r("status_delivered", delivered_at=moment_text(facts.delivered_at))
        ] + _return_window_replies(record, now, settings, with_how=False)
    if facts.stage == Stage.DECIDED:
        return _return_window_replies(record, now, settings, with_how=False)
    if facts.stage == Stage.CANCELED:
        return [_r("cancel_done")] + refund(record, now, settings)
    return [_claim_in_progress(record)] + refund(record, now, settings)


def lag(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    replies = _lag_replies(record, now, settings)
    if replies and replies[0].response == "lag_no_invoice":
        replies += _overdue_replies(record, now, settings)
    refusal_seen = refusal_facts(record, settings.policy)
    if refusal_seen and refusal_seen.verdict == RefusalVerdict.SCANNED_AFTER_REQUEST:
        replies.append(
            _r(
                "lag_after_request",
                requested_at=moment_text(refusal_seen.requested_at),
                scanned_at=moment_text(refusal_seen.scanned_at),
            )
        )
    return replies


def accept(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    answer = must_accept(record, settings.policy, settings.store)
    facts = stage_of(record)
    if answer.answer == AcceptAnswer.NOT_SHIPPED:
        return [_r("accept_not_shipped")] + cancel(record, now, settings)
    if answer.answer == AcceptAnswer.REFUSE_COSTS_SHIPPING:
        fee = answer.fee
        return [
            _r("accept_buyer_pays", fee=won(fee.amount), fee_basis=FEE_BASIS[fee.round_trip])
        ]
    if answer.answer == AcceptAnswer.SELLER_PAYS:
        return [_r("accept_seller_pays")] + _fee_replies(record, settings)
    if answer.answer == AcceptAnswer.ALREADY_DELIVERED:
        return [
            _r("accept_delivered", delivered_at=moment_text(facts.delivered_at))
        ] + _return_window_replies(record, now, settings, with_how=True)
    return [_r("accept_not_applicable", stage=facts.stage.value)]


def return_(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    return _return_window_replies(record, now, settings, with_how=True)


def fee(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    stage = stage_of(record).stage
    if stage in (Stage.BEFORE_CONFIRM, Stage.PREPARING):
        return [_r("fee_not_shipped")]
    if stage == Stage.CANCELED:
        return [_r("return_canceled")]
    if stage == Stage.RETURN_EXCHANGE:
        return [_claim_in_progress(record)] + _fee_replies(record, settings)
    return _fee_replies(record, settings)


def delay(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    facts = stage_of(record)
    dispatch = dispatch_facts(record, now, settings.policy)
    if facts.stage in (Stage.BEFORE_CONFIRM, Stage.PREPARING):
        if dispatch.overdue:
            return _overdue_replies(record, now, settings) + [_r("delay_how_to_cancel")]
        return [_r("delay_not_yet", due=deadline_text(dispatch.due))]
    if dispatch.sent_at is not None:
        response = "delay_sent_late" if dispatch.sent_late else "delay_sent_on_time"
        return [
            _r(response, due=deadline_text(dispatch.due), sent_at=moment_text(dispatch.sent_at))
        ] + _lag_replies(record, now, settings)
    return status(record, now, settings)


def refund(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    timing = refund_timing(record, now, settings.policy)
    values = {
        "means": timing.payment_means or "결제 수단",
        "settle": timing.settlement_days,
        "stage": stage_of(record).stage.value,
    }
    if timing.kind == RefundKind.INSTANT:
        return [_r("refund_instant", **values)]
    if timing.kind == RefundKind.AFTER_APPROVAL:
        return [_r("refund_after_approval", **values)]
    if timing.kind == RefundKind.AFTER_RETURN:
        replies = [_r("refund_after_return", days=timing.business_days_after_return, **values)]
        if timing.expected_date:
            replies.append(_r("refund_expected", expected=day_text(timing.expected_date)))
        return replies
    if timing.kind == RefundKind.REFUNDED:
        claim = record.claim
        done = claim.cancelCompletedDate if claim else None
        replies = [_r("refund_done", **values)]
        if done is not None:
            # "3~7" business days: tell the buyer when to start asking, at the upper bound.
            upper = int(timing.settlement_days.split("~")[-1] or 0)
            check_by = add_business_days(done.date(), upper)
            replies.append(
                _r("refund_check_by", done_at=day_text(done), check_by=day_text(check_by))
            )
        return replies
    return [_r("refund_none", **values)]


def defect(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    window = return_window(record, now, settings.policy)
    if window.status in (ReturnWindowStatus.OPEN, ReturnWindowStatus.CLOSED):
        within = now <= window.defect_deadline
        response = "defect" if within else "defect_late"
        return [
            _r(
                response,
                delivered_at=day_text(window.delivered_at),
                defect_deadline=day_text(window.defect_deadline),
                discovery_days=window.defect_discovery_days,
            )
        ]
    if window.status == ReturnWindowStatus.DECIDED:
        return [
            _r(
                "defect_decided",
                defect_deadline=day_text(window.defect_deadline)
                if window.defect_deadline else "공급일로부터 3개월",
            )
        ]
    if window.status == ReturnWindowStatus.IN_PROGRESS:
        return [_claim_in_progress(record)]
    if window.status == ReturnWindowStatus.CANCELED:
        return [_r("return_canceled")]
    return [_r("defect_not_delivered")]


def fault(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    facts = refusal_facts(record, settings.policy)
    dispatch = dispatch_facts(record, now, settings.policy)
    if facts is not None:
        if facts.seller_side:
            return [
                _r(
                    "fault_seller_delay",
                    due=deadline_text(dispatch.due),
                    requested_at=moment_text(facts.requested_at),
                )
            ]
        if facts.verdict == RefusalVerdict.SCANNED_BEFORE_REQUEST:
            return [
                _r(
                    "fault_no",
                    requested_at=moment_text(facts.requested_at),
                    scanned_at=moment_text(facts.scanned_at),
                )
            ]
        if facts.verdict == RefusalVerdict.SCANNED_AFTER_REQUEST:
            return [
                _r(
                    "fault_partly",
                    requested_at=moment_text(facts.requested_at),
                    scanned_at=moment_text(facts.scanned_at),
                )
            ]
        return [_r("fault_unclear")] + _lag_replies(record, now, settings)
    if dispatch.overdue:
        return [_r("fault_overdue", due=deadline_text(dispatch.due))]
    lag_facts = tracking_lag(record, now, settings.policy)
    if lag_facts is not None and lag_facts.lag_class == LagClass.SUSPICIOUS:
        return _lag_replies(record, now, settings)
    return [_r("fault_general")]


def process(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    return [_r("order_process"), _r("process_current", stage=stage_of(record).stage.value)]


QUESTIONS = {
    "refusal": refusal,
    "cancel": cancel,
    "status": status,
    "lag": lag,
    "must_accept": accept,
    "return": return_,
    "fee": fee,
    "delay": delay,
    "refund": refund,
    "defect": defect,
    "fault": fault,
    "process": process,
}


def handoff_summary(questions: list[str], order_id: str | None, stage: str | None,
                    failures: int) -> dict[str, object]:
    """What the human agent gets: no personal data, the order number masked."""
    return {
        "order": mask_order_id(order_id) if order_id else None,
        "stage": stage,
        "questions": questions,
        "verification_failures": failures,
    }


