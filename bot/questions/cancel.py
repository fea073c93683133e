"""Cancelling: can it be cancelled, why was a cancel refused, was that the seller's fault."""

from __future__ import annotations

from datetime import datetime

from bot.messages import label
from bot.orders.model import ProductOrderRecord
from bot.policy.fault import Basis, Fault, Side, fault_of
from bot.policy.shipping import (
    DispatchFacts,
    RefusalFacts,
    RefusalVerdict,
    dispatch_facts,
    refusal_facts,
    tracking_lag,
)
from bot.policy.stage import CancelPath, Stage, cancel_path, stage_of
from bot.present import carrier_name, deadline_text, duration_text, stage_text
from bot.questions.shared import (
    Reply,
    claim_values,
    lag_replies,
    overdue_replies,
    reason_label,
    refund_replies,
    reply,
    return_window_replies,
    stage_value,
    when,
    whole_days,
)
from bot.settings import Settings


def pending_request(record: ProductOrderRecord) -> Reply:
    """The open cancel request, waiting for the seller."""
    claim = record.claim
    return reply("cancel_pending", requested_at=when(claim.claimRequestDate if claim else None))


def cancel(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    path = cancel_path(record)
    facts = stage_of(record)
    if path == CancelPath.UNPAID:
        return [reply("cancel_unpaid")]
    if path == CancelPath.INSTANT:
        return [reply("cancel_instant")]
    if path == CancelPath.REQUEST:
        return [reply("cancel_request", confirmed_at=when(facts.confirmed_at))] + overdue_replies(
            record, now, settings
        )
    if path == CancelPath.PENDING:
        return [pending_request(record)] + overdue_replies(record, now, settings)
    if path == CancelPath.RETURN_INSTEAD and fault_of(record, now, settings.policy).basis in (
        Basis.NO_DISPATCH_EVIDENCE, Basis.WRONG_INVOICE
    ):
        return lag_replies(record, now, settings)  # an invoice, but nothing shown to be sent
    if path == CancelPath.RETURN_INSTEAD:
        return [reply("cancel_return_instead", sent_at=when(facts.sent_at))] + (
            return_window_replies(record, now, settings, with_how=False)
        )
    if path == CancelPath.ALREADY_CANCELED:
        return [reply("cancel_done")] + refund_replies(record, now, settings)
    return [reply("cancel_closed", stage=stage_text(facts.stage))]


def gap_replies(facts: RefusalFacts, settings: Settings) -> list[Reply]:
    """How long after the request the parcel left: minutes read differently from days."""
    if facts.gap_hours is None:
        return []
    quick = facts.gap_hours <= settings.policy.refusal_quick_scan_hours
    return [reply("refusal_gap_short" if quick else "refusal_gap_long",
                  gap=duration_text(facts.gap_hours))]


def seller_late_values(facts: RefusalFacts, dispatch: DispatchFacts) -> dict:
    """A request left open past the deadline: the deadline, the request, the late dispatch."""
    return {
        "due": deadline_text(dispatch.due),
        "requested_at": when(facts.requested_at),
        "dispatched_at": when(dispatch.dispatched_at),
        "evidence": label("dispatch_evidence", dispatch.evidence.value),
    }


def refusal(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    facts = refusal_facts(record, now, settings.policy)
    if facts is None:
        return [reply("refusal_none", stage=stage_value(record))] + cancel(record, now, settings)
    fault = fault_of(record, now, settings.policy)
    delivery = record.delivery
    times = {
        # An unknown time reads as nothing: the refusal messages only quote known ones.
        "requested_at": when(facts.requested_at) or "",
        "sent_at": when(facts.sent_at) or "",
        "scanned_at": when(facts.scanned_at) or "",
        "carrier": carrier_name(delivery.deliveryCompany if delivery else None),
    }
    replies: list[Reply]
    if facts.verdict == RefusalVerdict.SCANNED_BEFORE_REQUEST:
        replies = [reply("refusal_scanned_before", **times)]
    elif facts.verdict == RefusalVerdict.SCANNED_AFTER_REQUEST:
        replies = [reply("refusal_scanned_after", **times)]
        if fault.side == Side.BUYER:  # on the seller's side the gap no longer matters
            replies += gap_replies(facts, settings)
    elif facts.verdict == RefusalVerdict.NO_SCAN_YET:
        replies = [reply("refusal_no_scan", **times)] + lag_replies(record, now, settings)
    else:
        replies = [reply("refusal_unknown", **times)]
    if fault.basis == Basis.DEADLINE_PASSED_AT_REQUEST:
        replies.append(reply("refusal_seller_side", due=deadline_text(facts.due),
                             requested_at=times["requested_at"]))
    elif fault.basis == Basis.SHIPPED_LATE_ON_OPEN_REQUEST:
        dispatch = dispatch_facts(record, now, settings.policy)
        replies.append(reply("refusal_seller_late", **seller_late_values(facts, dispatch)))
    if fault.basis in (Basis.NO_DISPATCH_EVIDENCE, Basis.WRONG_INVOICE):
        pass  # lag_replies said it: not shown to be dispatched, what to ask the seller
    elif stage_of(record).stage == Stage.SHIPPING:
        replies.append(reply("refusal_next_shipping"))
    else:
        replies += return_window_replies(record, now, settings, with_how=False)
    if disputed(facts, fault):
        replies.append(reply("evidence_keep"))
    return replies


def disputed(facts: RefusalFacts, fault: Fault) -> bool:
    """A refusal worth contesting: the parcel left after the request, or the seller's side."""
    return fault.side == Side.SELLER or facts.verdict in (
        RefusalVerdict.SCANNED_AFTER_REQUEST, RefusalVerdict.NO_SCAN_YET
    )


def fault(record: ProductOrderRecord, now: datetime, settings: Settings) -> list[Reply]:
    facts = refusal_facts(record, now, settings.policy)
    dispatch = dispatch_facts(record, now, settings.policy)
    found = fault_of(record, now, settings.policy)
    lag = tracking_lag(record, now, settings.policy)
    escalate = [reply("evidence_keep"), reply("escalation")]
    if found.basis == Basis.WRONG_INVOICE:
        carrier = carrier_name(record.delivery.deliveryCompany if record.delivery else None)
        return [reply("fault_wrong_invoice", carrier=carrier),
                reply("not_dispatched_next")] + escalate
    if found.basis == Basis.NO_DISPATCH_EVIDENCE:
        return [reply("fault_no_dispatch", sent_at=when(lag.sent_at),
                      business_days=whole_days(lag.business_days)),
                reply("not_dispatched_next")] + escalate
    if found.basis == Basis.DEADLINE_PASSED_AT_REQUEST:
        return [reply("fault_seller_delay", due=deadline_text(dispatch.due),
                      requested_at=when(facts.requested_at))] + escalate
    if found.basis == Basis.SHIPPED_LATE_ON_OPEN_REQUEST:
        values = seller_late_values(facts, dispatch)
        values.pop("evidence")
        return [reply("fault_seller_late", **values)] + escalate
    if found.basis == Basis.CLAIMED_REASON:
        return [reply("fault_claimed", reason=reason_label(found.reason),
                      claim_kind=claim_values(record)["claim_kind"])]
    if facts is not None:
        times = {"requested_at": when(facts.requested_at), "scanned_at": when(facts.scanned_at)}
        if facts.verdict == RefusalVerdict.SCANNED_BEFORE_REQUEST:
            return [reply("fault_no", **times)]
        if facts.verdict == RefusalVerdict.SCANNED_AFTER_REQUEST:
            return [reply("fault_partly", **times)] + gap_replies(facts, settings) + [
                reply("evidence_keep")]
        return [reply("fault_unclear")] + lag_replies(record, now, settings)
    if found.basis == Basis.SHIPPED_LATE:
        return [reply("fault_shipped_late", due=deadline_text(dispatch.due),
                      dispatched_at=when(dispatch.dispatched_at))]
    if found.basis == Basis.DISPATCH_OVERDUE:
        return [reply("fault_overdue", due=deadline_text(dispatch.due))]
    return [reply("fault_general")]
