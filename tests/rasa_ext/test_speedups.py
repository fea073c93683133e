"""The Rasa 3.6 speed-ups change nothing but speed: same validation errors, same event
classes (timings are printed by bench/latency.py, never asserted here)."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered

from bot.rasa_ext import speedups

VALID = {
    "events": [{"event": "slot", "name": "asked", "value": ["fee"], "timestamp": None}],
    "responses": [{"text": "안녕하세요", "buttons": [{"title": "반품", "payload": "/ask_return"}]}],
}
INVALID = [{"events": "x"}, {"events": [{"event": "nonsense"}]}, {"responses": "x"}]


def test_installed_on_import():
    assert RemoteAction._validate_action_result is speedups._validate_action_result
    speedups.install()  # idempotent
    assert Event.resolve_by_type("slot") is SlotSet


def test_valid_replies_pass():
    assert RemoteAction("action_x", None)._validate_action_result(VALID) is True


@pytest.mark.parametrize("reply", INVALID)
def test_invalid_replies_fail_as_jsonschema_validate_does(reply):
    schema = RemoteAction.action_response_format_spec()
    with pytest.raises(jsonschema.ValidationError) as stock:
        jsonschema.validate(reply, schema)
    with pytest.raises(jsonschema.ValidationError) as ours:
        RemoteAction("action_x", None)._validate_action_result(reply)
    assert ours.value.message.startswith(stock.value.message + ". Failed to validate Action")


def test_event_classes_resolve_as_before():
    assert Event.resolve_by_type("user") is UserUttered
    assert Event.resolve_by_type("action") is ActionExecuted
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")
    assert Event.from_parameters({"event": "slot", "name": "a", "value": 1}) == SlotSet("a", 1)
