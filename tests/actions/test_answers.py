"""Each answer action on the demo orders, as of Friday 2026-11-27 10:00 KST: which messages
the buyer gets (tests/support/messages.py names them), with the order's own dates and
amounts. The wording is bot/messages.yml's; tests/test_messages.py checks it."""

import pytest

from actions.answers import ANSWER_ACTIONS
from bot.messages import label
from tests.support.actions import proof_for, run, slot_events, verified_slots
from tests.support.messages import Heard, heard

ROUND_TRIP = label("fee_basis", "round_trip")


def action(key):
    return ANSWER_ACTIONS[key]()


def answer(key: str, suffix: str | None = None, **slots) -> tuple[list[Heard], list[dict], list]:
    """(messages as name + values, the raw messages, events) of action `key` on demo order
    `suffix` (verified), or with no order at all."""
    own = verified_slots(suffix) if suffix else {}
    events, messages, _ = run(action(key), {**own, **slots})
    return heard(messages), messages, events


def names(key: str, suffix: str | None = None) -> list[str]:
    return [reply.name for reply in answer(key, suffix)[0]]


def test_refusal_scanned_before_request_gives_all_three_times_and_no_fault():
    replies, messages, _ = answer("refusal", "04")
    assert replies == [
        Heard("refusal_scanned_before", {
            "requested_at": "11월 26일(목) 오전 10시 5분",  # the cancel request
            "scanned_at": "11월 26일(목) 오전 9시 40분",  # the carrier's first scan, earlier
            "sent_at": "11월 26일(목) 오후 4시 30분",  # the invoice entry, later
            "carrier": "CJ대한통운"}),
        Heard("refusal_next_shipping", {}),
    ]
    payloads = [b["payload"] for m in messages for b in m["buttons"]]
    assert payloads == ["/ask_must_accept", "/ask_return", "/ask_return_fee"]


def test_refusal_scanned_after_request_says_so_plainly():
    (first, *_), _, _ = answer("refusal", "05")
    assert first.name == "refusal_scanned_after"
    assert first.values["requested_at"] == "11월 26일(목) 오전 9시 30분"
    assert first.values["scanned_at"] == "11월 26일(목) 오후 5시 20분"


def test_refusal_without_any_scan_warns_of_a_false_invoice():
    replies, _, _ = answer("refusal", "06")
    # No scan for days: not shown to be dispatched, so no "receive it and return it".
    assert [r.name for r in replies] == ["refusal_no_scan", "lag_suspicious",
                                         "not_dispatched_next", "evidence_keep"]
    # The invoice was entered four business days earlier.
    assert replies[1].values["sent_at"] == "11월 23일(월) 오후 3시"


def test_refusal_after_missed_deadline_is_the_sellers_side():
    replies, _, _ = answer("refusal", "14")
    assert Heard("refusal_seller_side", {
        "due": "11월 24일(화)", "requested_at": "11월 25일(수) 오전 9시"}) in replies


def test_no_refusal_on_a_new_order_explains_the_instant_cancel():
    assert names("refusal", "01") == ["refusal_none", "cancel_instant"]


@pytest.mark.parametrize(
    "suffix, expected",
    [
        ("01", "cancel_instant"),
        ("02", "cancel_request"),
        ("03", "cancel_pending"),
        ("04", "cancel_return_instead"),
        ("13", "cancel_done"),
        ("12", "cancel_closed"),
    ],
)
def test_cancel_path_by_stage(suffix, expected):
    assert names("cancel", suffix)[0] == expected


def test_return_deadline_three_days_after_delivery():
    replies, _, _ = answer("return", "07")
    assert replies == [
        Heard("return_open", {"delivered_at": "11월 24일(화)", "deadline": "12월 1일(화)",
                              "days_left": label("days_left", "left").format(days=4),
                              "window_days": "7"}),
        Heard("return_how", {}),
        Heard("fee_buyer", {"fee_basis": ROUND_TRIP, "fee": "7,000원"}),  # free shipping
        Heard("fee_notes", {}),  # remote areas, conditional free shipping
    ]


def test_return_ten_days_after_delivery_is_closed_for_change_of_mind():
    (closed,), _, _ = answer("return", "08")
    assert closed == Heard("return_closed", {
        "delivered_at": "11월 17일(화)", "deadline": "11월 24일(화)", "window_days": "7",
        "defect_months": "3", "defect_deadline": "2월 17일(수)",  # defects: 3 months
        "discovery_days": "30"})


def test_return_after_purchase_decision_goes_to_the_seller():
    assert names("return", "12") == ["return_decided"]


def test_missed_dispatch_deadline():
    replies, _, _ = answer("delay", "09")
    assert [r.name for r in replies] == ["delay_overdue", "delay_how_to_cancel"]
    assert replies[0].values == {"due": "11월 25일(수)", "overdue_days": "1"}


def test_must_accept_a_dispatched_parcel_costs_the_round_trip_if_refused():
    assert answer("must_accept", "04")[0] == [
        Heard("accept_buyer_pays", {"fee_basis": ROUND_TRIP, "fee": "7,000원"}),
        Heard("accept_refuse_how", {})]


def test_must_accept_when_seller_missed_the_deadline():
    assert answer("must_accept", "14")[0] == [
        Heard("accept_seller_pays", {}),
        Heard("accept_refuse_how", {}),
        Heard("fee_seller", {"reason": label("reasons", "DELAYED_DELIVERY")})]


def test_defect_is_paid_by_the_seller_with_the_three_month_limit():
    assert answer("defect", "10")[0] == [Heard("defect", {
        "delivered_at": "11월 25일(수)", "defect_months": "3", "defect_deadline": "2월 25일(목)",
        "discovery_days": "30"})]


@pytest.mark.parametrize(
    "suffix, expected",
    [
        ("01", "refund_instant"),
        ("03", "refund_after_approval"),
        ("11", "refund_after_return"),
        ("13", "refund_done"),
    ],
)
def test_refund_timing_names_the_payment_means(suffix, expected):
    first = answer("refund", suffix)[0][0]
    assert first.name == expected
    assert (first.values["means"], first.values["settle"]) == ("신용카드", "3~7")


def test_no_refund_while_preparing():
    assert names("refund", "02") == ["refund_none"]


def test_lag_wrong_invoice():
    assert names("lag", "15") == ["lag_wrong_invoice", "not_dispatched_next"]


def test_lag_scan_before_invoice_is_normal():
    assert names("lag", "04") == ["lag_scan_before_invoice", "lag_on_its_way"]


def test_status_shipping_names_the_carrier_and_invoice():
    shipping = answer("status", "05")[0][0]
    assert shipping.name == "status_shipping"
    assert (shipping.values["carrier"], shipping.values["tracking"]) == (
        "CJ대한통운", "512500000005")


@pytest.mark.parametrize(
    "suffix, expected",
    [("04", ["fault_no"]),
     ("05", ["fault_partly", "refusal_gap_long", "evidence_keep"]),
     ("14", ["fault_seller_delay", "evidence_keep", "escalation"]),
     ("09", ["fault_overdue"])],
)
def test_fault_answers_follow_the_facts(suffix, expected):
    assert names("fault", suffix) == expected


def test_fee_in_general_without_an_order_offers_a_check():
    replies, messages, events = answer("fee")
    assert [r.name for r in replies] == ["fee_general"]
    assert messages[-1]["buttons"][0]["payload"] == "/provide_order_id"
    assert slot_events(events)["asked"] == ["fee"]


def test_fee_for_a_verified_order():
    assert answer("fee", "07")[0] == [
        Heard("fee_buyer", {"fee_basis": ROUND_TRIP, "fee": "7,000원"}), Heard("fee_notes", {})]
    assert names("fee", "14") == ["fee_seller"]


def test_process_in_general_and_for_an_order():
    assert names("process") == ["order_process", "process_offer"]
    assert answer("process", "02")[0] == [
        Heard("order_process", {}), Heard("process_current", {"stage": label("stages",
                                                                             "preparing")})]


def test_asked_questions_are_remembered_for_the_handoff():
    _, _, events = answer("status", "07", asked=["refusal"])
    assert slot_events(events)["asked"] == ["refusal", "status"]


def test_an_unreachable_database_gets_a_polite_answer_and_keeps_the_proof(monkeypatch):
    from sqlalchemy.exc import OperationalError

    from actions import common

    def down(*_):
        raise OperationalError("SELECT", {}, Exception("connection refused"))

    monkeypatch.setattr(common.store(), "find", down)
    replies, _, events = answer("fee", "04")
    assert [reply.name for reply in replies] == ["lookup_unavailable"]
    assert set(slot_events(events)) == {"asked"}  # the proof and the order stay


# A verified buyer's question runs the answer alone (data/rules/rules.yml "… once verified"):
# without a genuine proof for the order asked about, the answer says nothing and hands the
# turn to the verification form.
FORM = [{"event": "followup", "name": "verify_form", "timestamp": None}]


@pytest.mark.parametrize("slots", [
    {"verified": True, "order_id": "2026112500000004"},  # the slot alone opens nothing
    {"verified": True, "order_id": "2026112500000004", "verified_proof": "forged.proof"},
    {**verified_slots("04"), "verified_proof": proof_for(
        "2026112500000004", ["2026112590000004"], sender="someone-else")},
    {**verified_slots("04"), "order_id": "2026112500000005"},  # another order typed
])
def test_a_question_without_a_proof_for_its_order_goes_to_verification(slots):
    replies, _, events = answer("return", **slots)
    assert (replies, events) == ([], FORM)


def test_an_expired_proof_goes_to_verification():
    old = proof_for("2026112500000004", ["2026112590000004"], issued_at=0.0)
    replies, _, events = answer("return", **{**verified_slots("04"), "verified_proof": old})
    assert (replies, events) == ([], FORM)


def test_a_general_question_is_answered_without_a_proof():
    replies, _, events = answer("fee", verified=True, order_id="2026112500000004")
    assert [r.name for r in replies] == ["fee_general"]
    assert events != FORM


def test_an_item_the_proof_names_is_answered_not_sent_back_to_verification():
    # The item picker's button sends a product order number the proof covers.
    slots = {**verified_slots("04"), "order_id": "2026112590000004"}
    replies, _, events = answer("return", **slots)
    assert events != FORM and replies
