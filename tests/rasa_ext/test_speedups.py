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


def test_past_states_are_the_replayed_ones_and_follow_new_events():
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    from tests.support.stack import PROJECT_ROOT

    domain = Domain.load(PROJECT_ROOT / "domain.yml")
    tracker = DialogueStateTracker.from_events("buyer", slots=domain.slots, evts=[
        ActionExecuted("action_listen"),
        UserUttered("반품", {"name": "ask_return", "confidence": 1.0}),
    ])
    first = tracker.past_states(domain)
    assert first == domain.states_for_tracker_history(tracker)
    first[-1]["user"].pop("intent")  # callers edit the states they get: not the kept ones
    assert tracker.past_states(domain) == domain.states_for_tracker_history(tracker)
    tracker.update(SlotSet("verified", True))
    tracker.update(ActionExecuted("action_explain_return"))
    assert tracker.past_states(domain) == domain.states_for_tracker_history(tracker)
    assert tracker.past_states(domain, ignore_rule_only_turns=True) == (
        domain.states_for_tracker_history(tracker, ignore_rule_only_turns=True))
