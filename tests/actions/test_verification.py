"""actions/verification.py: the ownership check, its one failure message and the ledger."""

import asyncio
import json
import time

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import OperationalError

from actions import common
from actions.verification import ActionSwitchOrder, ActionVerifyOrder, ValidateVerifyForm
from bot.security import proof
from tests.support.actions import proof_for, run, slot_events, texts, tracker
from tests.support.messages import Heard, heard

ORDER = "2026112500000004"
PRODUCT_ORDER = "2026112590000004"

FAILED_4_LEFT = Heard("verify_failed", {"attempts_left": "4"})


def names(messages: list[dict]) -> list[str]:
    return [reply.name for reply in heard(messages)]


def sealed(digits: str) -> str:
    return proof.seal_phone(digits)


REST = {"client": {"channel": "rest"}}


def verify(order_id, phone, sender="buyer-1", ip=None, failures=0.0):
    metadata = {"client": {"channel": "rest", **({"ip": ip} if ip else {})}}
    return run(ActionVerifyOrder(),
               {"order_id": order_id, "phone_last4": phone, "verify_failures": failures},
               metadata=metadata, sender=sender)


def test_right_number_and_digits_verify_with_a_signed_proof():
    events, messages, _ = verify(ORDER, sealed("1004"))
    slots = slot_events(events)
    assert slots["verified"] is True
    found = proof.check(slots["verified_proof"], "buyer-1", time.time(), 60)
    assert found is not None and found.order_id == ORDER
    assert found.product_order_ids == (PRODUCT_ORDER,)
    assert slots["phone_last4"] is None  # the (hashed) digits are not kept after the check
    (verified,) = heard(messages)
    assert verified.name == "verified"
    assert (verified.values["product"], verified.values["order"]) == (
        "블루투스 스피커", "2026********0004")
    assert ORDER not in texts(messages)  # the full number is never echoed back
    assert "1004" not in json.dumps(events)


def test_product_order_number_also_verifies():
    events, _, _ = verify(PRODUCT_ORDER, sealed("1004"))
    assert slot_events(events)["verified"] is True


@pytest.mark.parametrize("typed", ["1004", "１００４", "010-2345-1004"])
def test_digits_typed_any_way_verify(typed):
    # The slot normally holds the sealed value; plain or full-width digits are sealed here.
    assert slot_events(verify(ORDER, typed)[0])["verified"] is True


@pytest.mark.parametrize(
    "order_id, phone",
    [
        (ORDER, typed) for typed in ["9999", "９９９９", "0000", "", None, "abc"]
    ] + [
        ("2026010100009999", "1004"),  # unknown order
        ("202611250000004", "1004"),  # malformed: 15 digits
        ("20261125000000041", "1004"),  # malformed: 17 digits
        ("２０２６１１２５０００００００４", "0000"),  # full-width, wrong digits
        (None, None),
    ],
)
def test_every_failure_reads_the_same(order_id, phone):
    events, messages, _ = verify(order_id, phone)
    slots = slot_events(events)
    assert slots["verified"] is False and slots["verified_proof"] is None
    assert slots["order_id"] is None and slots["phone_last4"] is None
    assert slots["verify_failures"] == 1.0
    reference = verify(ORDER, "0000", sender="someone-else")[1]
    assert names(messages) == names(reference) == ["verify_failed"]  # the same answer ...
    assert heard(messages) == [FAILED_4_LEFT]  # ... and this conversation's first failure


def test_an_error_inside_the_check_is_an_ordinary_failure(monkeypatch):
    def broken(*_):
        raise RuntimeError("database went away")

    monkeypatch.setattr(common.store(), "find_owned", broken)
    events, messages, _ = verify(ORDER, "1004")
    assert slot_events(events)["verified"] is False
    assert heard(messages) == [FAILED_4_LEFT]


def test_an_unreachable_database_is_not_counted_against_the_buyer(monkeypatch):
    def down(*_):
        raise OperationalError("SELECT", {}, Exception("connection refused"))

    monkeypatch.setattr(common.store(), "find_owned", down)
    for _ in range(6):  # more than the per-order limit: none of them counts
        events, messages, _ = verify(ORDER, "1004")
        assert names(messages) == ["lookup_unavailable"]
        assert "verify_failures" not in slot_events(events)
    monkeypatch.undo()
    assert slot_events(verify(ORDER, "1004")[0])["verified"] is True


def test_fifth_failure_locks_and_points_to_a_person():
    for _ in range(4):
        verify(ORDER, "9999")
    events, messages, _ = verify(ORDER, "9999")
    assert names(messages) == ["lookup_locked"]
    assert any(b["payload"] == "/request_human" for m in messages for b in m["buttons"])


def test_the_order_lock_holds_across_conversations_and_against_the_right_digits():
    for attempt in range(5):
        verify(ORDER, "9999", sender=f"rotating-{attempt}")
    events, messages, _ = verify(ORDER, "1004", sender="fresh-sender")
    assert slot_events(events)["verified"] is False
    assert names(messages) == ["lookup_locked"]
    # Other orders stay open to their owners.
    assert slot_events(verify("2026112500000005", "1005", sender="fresh-sender")[0])["verified"]


def test_the_conversation_lock_holds_for_any_order():
    for suffix in range(5):
        verify(f"20260101000000{suffix:02d}", "1234", sender="guesser")
    events, messages, _ = verify(ORDER, "1004", sender="guesser")
    assert slot_events(events)["verified"] is False and names(messages) == ["lookup_locked"]


def test_the_ip_lock_holds_across_sender_ids(monkeypatch):
    # 30 failures per hour from one address (bot/settings.yml): guesses spread over orders
    # and conversations still add up.
    for n in range(30):
        verify(f"2026010100{n:06d}", "1234", sender=f"s-{n}", ip="203.0.113.9")
    events, messages, _ = verify(ORDER, "1004", sender="s-new", ip="203.0.113.9")
    assert names(messages) == ["lookup_locked"]
    assert slot_events(verify(ORDER, "1004", sender="s-new", ip="198.51.100.1")[0])["verified"]


def test_unknown_and_existing_orders_lock_alike():
    unknown = "2026010100009999"
    for _ in range(4):
        verify(unknown, "1004", sender="x")
        verify(ORDER, "9999", sender="y")
    assert texts(verify(unknown, "1004", sender="x2")[1]) == texts(
        verify(ORDER, "9999", sender="y2")[1]
    )


def test_an_existing_proof_is_not_checked_again():
    number_proof = proof_for(ORDER, [PRODUCT_ORDER], sender="buyer-1")
    events, messages, _ = run(ActionVerifyOrder(),
                              {"order_id": ORDER, "verified": True, "verified_proof": number_proof},
                              sender="buyer-1")
    assert slot_events(events) == {"verified": True, "phone_last4": None, "item": None}
    assert messages == []


@pytest.mark.parametrize("forged", [
    "",
    "not-a-proof",
    "eyJvIjoiMjAyNjExMjUwMDAwMDAwNCIsInAiOlsiMjAyNjExMjU5MDAwMDAwNCJdLCJ0IjoxfQ.abc",
])
def test_a_verified_flag_without_a_genuine_proof_opens_nothing(forged):
    events, messages, _ = run(ActionVerifyOrder(),
                              {"order_id": ORDER, "verified": True, "verified_proof": forged,
                               "phone_last4": None})
    assert slot_events(events)["verified"] is False


def test_a_proof_from_another_conversation_opens_nothing():
    stolen = proof_for(ORDER, [PRODUCT_ORDER], sender="the-owner")
    events, _, _ = run(ActionVerifyOrder(),
                       {"order_id": ORDER, "verified": True, "verified_proof": stolen},
                       sender="the-thief")
    assert slot_events(events)["verified"] is False


def validate(slot, value, slots=None, entities=None):
    dispatcher = CollectingDispatcher()
    method = getattr(ValidateVerifyForm(), f"validate_{slot}")
    result = method(value, dispatcher, tracker(slots, entities=entities), {})
    return result, dispatcher.messages


@pytest.mark.parametrize("typed", ["2026 1125 0000 0004", "2026-1125-0000-0004", ORDER,
                                   "２０２６１１２５０００００００４"])
def test_order_number_with_spaces_dashes_or_full_width_digits_is_normalised(typed):
    result, messages = validate("order_id", typed)
    assert result["order_id"] == ORDER
    assert messages == []


def test_order_number_without_digits_is_asked_again_with_help():
    result, messages = validate("order_id", "몰라요")
    assert result == {"order_id": None}
    assert names(messages) == ["order_id_help"]


def test_arabic_indic_digits_are_not_digits():
    assert validate("order_id", "٢٠٢٦١١٢٥٠٠٠٠٠٠٠٤")[0] == {"order_id": None}


def test_new_order_number_forgets_the_old_phone_digits():
    old = proof_for(ORDER, [PRODUCT_ORDER])
    result, _ = validate("order_id", "2026112500000007",
                         slots={"verified_proof": old, "phone_last4": sealed("1004")})
    assert result["phone_last4"] is None and result["verified"] is False


def test_phone_given_with_the_order_number_is_kept():
    result, _ = validate("order_id", "2026112500000007",
                         entities=[{"entity": "order_id"}, {"entity": "phone_last4"}])
    assert "phone_last4" not in result


@pytest.mark.parametrize("typed, expected", [("1004", "1004"), ("010-2345-1004", "1004"),
                                             ("뒷자리 1004", "1004"), ("３１０５", "3105")])
def test_phone_digits_are_kept_only_sealed(typed, expected):
    result = validate("phone_last4", typed)[0]
    assert result == {"phone_last4": sealed(expected)}
    assert expected not in result["phone_last4"]


def test_phone_without_four_digits_is_asked_again():
    result, messages = validate("phone_last4", "12")
    assert result == {"phone_last4": None}
    assert names(messages) == ["phone_format"]


def required(sender: str) -> list[str]:
    action = ValidateVerifyForm()
    return asyncio.run(action.required_slots(["order_id", "phone_last4"], CollectingDispatcher(),
                                             tracker(sender=sender, metadata=REST), {}))


def test_locked_conversation_form_needs_no_slots():
    assert required("guesser") == ["order_id", "phone_last4"]
    for suffix in range(5):
        verify(f"20260101000000{suffix:02d}", "1234", sender="guesser")
    assert required("guesser") == []
    assert required("someone-else") == ["order_id", "phone_last4"]


def test_switch_forgets_the_verified_order():
    verified = {"verified": True, "verified_proof": proof_for(ORDER, [PRODUCT_ORDER])}
    events, messages, _ = run(ActionSwitchOrder(), verified)
    assert slot_events(events) == {"verified": False, "verified_proof": None,
                                   "order_id": None, "phone_last4": None, "item": None}
    assert messages


def test_a_proven_order_needs_no_slots_but_another_number_does():
    proven = {"order_id": ORDER, "verified": True,
              "verified_proof": proof_for(ORDER, [PRODUCT_ORDER])}
    action = ValidateVerifyForm()

    def required_for(slots):
        return asyncio.run(action.required_slots(
            ["order_id", "phone_last4"], CollectingDispatcher(), tracker(slots, metadata=REST), {}
        ))

    assert required_for(proven) == []
    assert required_for({**proven, "order_id": "2026112500000007"}) == ["order_id", "phone_last4"]


def extracted(slot, text, intent, requested, entities=None):
    action = ValidateVerifyForm()
    t = tracker({"requested_slot": requested}, text=text, intent=intent, entities=entities)
    return asyncio.run(getattr(action, f"extract_{slot}")(CollectingDispatcher(), t, {}))


def test_a_number_of_the_other_kind_is_taken_for_what_it_is():
    # While the digits are asked, a long malformed number is a new order number ...
    assert extracted("order_id", "27456432253503825429", "provide_order_id", "phone_last4") == {
        "order_id": "27456432253503825429"}
    assert extracted("phone_last4", "27456432253503825429", "provide_order_id",
                     "phone_last4") == {}
    # ... and while the order number is asked, phone-like digits are the phone digits.
    assert extracted("phone_last4", "0 9287", "provide_phone_last4", "order_id") == {
        "phone_last4": "0 9287"}


def test_numbers_of_the_asked_kind_entities_and_questions_are_left_to_the_mappings():
    assert extracted("order_id", "2026112500000004", "provide_order_id", "order_id") == {}
    assert extracted("order_id", "2026112500000004", "provide_order_id", "phone_last4",
                     entities=[{"entity": "order_id"}]) == {}
    assert extracted("phone_last4", "배송비 3000원 맞아요?", "ask_return_fee", "order_id") == {}
    assert extracted("order_id", "몰라요", "provide_order_id", "phone_last4") == {}
    assert extracted("order_id", "123456789012", "provide_order_id", None) == {}
