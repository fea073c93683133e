import pytest

from actions.verification import ActionSwitchOrder, ActionVerifyOrder, ValidateVerifyForm
from tests.actions.conftest import run, slot_events, texts, tracker

ORDER = "2026112500000004"


def verify(order_id, phone, failures=0.0):
    return run(ActionVerifyOrder(),
               {"order_id": order_id, "phone_last4": phone, "verify_failures": failures})


def test_right_number_and_digits_verify_and_name_the_order():
    events, messages, _ = verify(ORDER, "1004")
    slots = slot_events(events)
    assert slots["verified"] is True
    assert slots["verified_order_id"] == ORDER
    text = texts(messages)
    assert "블루투스 스피커" in text and "2026********0004" in text
    assert ORDER not in text  # the full number is never echoed back
    assert "010" not in text  # nor any part of the phone


def test_product_order_number_also_verifies():
    events, _, _ = verify("2026112590000004", "1004")
    assert slot_events(events)["verified"] is True


@pytest.mark.parametrize(
    "order_id, phone",
    [
        (ORDER, "9999"),  # wrong digits
        ("2026010100009999", "1004"),  # unknown order
        ("202611250000004", "1004"),  # malformed: 15 digits
        ("20261125000000041", "1004"),  # malformed: 17 digits
    ],
)
def test_every_failure_reads_the_same(order_id, phone):
    events, messages, _ = verify(order_id, phone)
    slots = slot_events(events)
    assert slots["verified"] is False
    assert slots["order_id"] is None and slots["phone_last4"] is None
    assert slots["verify_failures"] == 1.0
    assert texts(messages) == texts(verify(ORDER, "0000")[1])
    assert "남은 시도 4번" in texts(messages)


def test_fifth_failure_locks_and_points_to_a_person():
    events, messages, _ = verify(ORDER, "9999", failures=4.0)
    assert slot_events(events)["verify_failures"] == 5.0
    assert "잠가 두었어요" in texts(messages)
    assert any(b["payload"] == "/request_human" for m in messages for b in m["buttons"])


def test_locked_conversation_refuses_even_the_right_digits():
    events, messages, _ = verify(ORDER, "1004", failures=5.0)
    assert slot_events(events)["verified"] is False
    assert "잠가 두었어요" in texts(messages)


def test_already_verified_order_is_not_checked_again():
    events, messages, _ = run(ActionVerifyOrder(), {"order_id": ORDER, "phone_last4": "1004",
                                                    "verified": True, "verified_order_id": ORDER})
    assert slot_events(events) == {"verified": True}
    assert messages == []


def validate(slot, value, slots=None, entities=None):
    action = ValidateVerifyForm()
    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = CollectingDispatcher()
    method = getattr(action, f"validate_{slot}")
    result = method(value, dispatcher, tracker(slots, entities=entities), {})
    return result, dispatcher.messages


@pytest.mark.parametrize("typed", ["2026 1125 0000 0004", "2026-1125-0000-0004", ORDER])
def test_order_number_with_spaces_or_dashes_is_normalised(typed):
    result, messages = validate("order_id", typed)
    assert result["order_id"] == ORDER
    assert messages == []


def test_order_number_without_digits_is_asked_again_with_help():
    result, messages = validate("order_id", "몰라요")
    assert result == {"order_id": None}
    assert "16자리" in texts(messages)


def test_new_order_number_forgets_the_old_phone_digits():
    result, _ = validate("order_id", "2026112500000007",
                         slots={"verified_order_id": ORDER, "phone_last4": "1004"})
    assert result["phone_last4"] is None and result["verified"] is False


def test_phone_given_with_the_order_number_is_kept():
    result, _ = validate("order_id", "2026112500000007",
                         entities=[{"entity": "order_id"}, {"entity": "phone_last4"}])
    assert "phone_last4" not in result


@pytest.mark.parametrize("typed, expected", [("1004", "1004"), ("010-2345-1004", "1004"),
                                             ("뒷자리 1004", "1004")])
def test_phone_digits(typed, expected):
    assert validate("phone_last4", typed)[0] == {"phone_last4": expected}


def test_phone_without_four_digits_is_asked_again():
    result, messages = validate("phone_last4", "12")
    assert result == {"phone_last4": None}
    assert "4자리" in texts(messages)


def test_locked_form_needs_no_slots():
    import asyncio

    from rasa_sdk.executor import CollectingDispatcher

    action = ValidateVerifyForm()
    slots = asyncio.run(action.required_slots(["order_id", "phone_last4"], CollectingDispatcher(),
                                              tracker({"verify_failures": 5.0}), {}))
    assert slots == []


def test_switch_forgets_the_verified_order():
    events, messages, _ = run(ActionSwitchOrder(), {"verified": True, "verified_order_id": ORDER})
    assert slot_events(events) == {"verified": False, "verified_order_id": None,
                                   "order_id": None, "phone_last4": None}
    assert messages
