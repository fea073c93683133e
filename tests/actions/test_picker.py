"""The item picker (actions/picker.py): an order number with several product orders asks
which item before answering, offers only the items the proof names, and a picked item is
answered without a new check."""

from __future__ import annotations

import asyncio

from rasa_sdk.executor import CollectingDispatcher

from actions.answers import ANSWER_ACTIONS
from actions.verification import ActionVerifyOrder, ValidateVerifyForm
from bot.security import proof
from tests.support.actions import proof_for, run, slot_events, tracker
from tests.support.messages import heard

ORDER = "2026112500000030"
SHIRT, SOCKS, BAG = "2026112590000030", "2026112580000030", "2026112570000030"
ITEMS = [SHIRT, SOCKS, BAG]
REST = {"client": {"channel": "rest"}}


def names(messages):
    return [reply.name for reply in heard(messages)]


def proven(items=ITEMS, **slots):
    return {"verified": True, "order_id": ORDER, "verified_proof": proof_for(ORDER, items),
            **slots}


def test_verifying_an_order_of_several_items_counts_them():
    events, messages, _ = run(ActionVerifyOrder(),
                              {"order_id": ORDER, "phone_last4": proof.seal_phone("1030")},
                              metadata=REST, sender="picker-1")
    assert heard(messages)[0].name == "verified_items"
    assert heard(messages)[0].values == {"order": "2026********0030", "count": "3"}
    slots = slot_events(events)
    assert slots["verified"] is True and slots["item"] is None
    issued = proof.check(slots["verified_proof"], "picker-1", __import__("time").time(), 60)
    assert sorted(issued.product_order_ids) == sorted(ITEMS)


def test_a_question_on_several_items_asks_which_one_with_a_button_each():
    _, messages, _ = run(ANSWER_ACTIONS["return"](), proven())
    assert names(messages) == ["pick_item"]
    buttons = messages[0]["buttons"]
    assert [b["payload"] for b in buttons] == sorted(ITEMS)
    assert {b["title"] for b in buttons} == {"면 티셔츠", "양말 세트", "에코백"}


def test_only_the_items_the_proof_names_are_offered():
    _, messages, _ = run(ANSWER_ACTIONS["return"](), proven([SHIRT, BAG]))
    assert [b["payload"] for b in messages[0]["buttons"]] == sorted([SHIRT, BAG])
    # One item proven: no picker, the answer at once.
    _, messages, _ = run(ANSWER_ACTIONS["return"](), proven([BAG]))
    assert "pick_item" not in names(messages)


def test_picking_an_item_is_proven_without_a_new_check():
    slots = proven(order_id=SOCKS)
    form = ValidateVerifyForm()
    needed = asyncio.run(form.required_slots(["order_id", "phone_last4"], CollectingDispatcher(),
                                             tracker(slots, metadata=REST), {}))
    assert needed == []
    events, messages, _ = run(ActionVerifyOrder(), slots, metadata=REST)
    assert slot_events(events) == {"verified": True, "phone_last4": None, "item": SOCKS}
    assert messages == []


def test_an_item_of_another_order_is_not_taken_for_a_pick():
    slots = proven(order_id="2026112590000007")
    form = ValidateVerifyForm()
    needed = asyncio.run(form.required_slots(["order_id", "phone_last4"], CollectingDispatcher(),
                                             tracker(slots, metadata=REST), {}))
    assert needed == ["order_id", "phone_last4"]


def test_the_picked_item_is_answered_and_whole_order_questions_see_the_rest():
    _, messages, _ = run(ANSWER_ACTIONS["bundle_fee"](), proven(item=SHIRT))
    replies = heard(messages)
    assert replies[0].name == "bundle_fee_order"
    assert replies[0].values["product"] == "면 티셔츠"
    assert replies[0].values["remaining"] == "21,000원"
    assert replies[1].name == "bundle_fee_falls"


def test_a_stale_item_from_elsewhere_is_ignored():
    _, messages, _ = run(ANSWER_ACTIONS["return"](), proven(item="2026112590000007"))
    assert names(messages) == ["pick_item"]


def test_general_answers_quote_the_settings():
    _, messages, _ = run(ANSWER_ACTIONS["auto_confirm"](), {})
    assert names(messages) == ["auto_confirm_general", "after_sale_offer"]
    assert heard(messages)[0].values == {"auto_decision_days_after_delivery": "8"}
