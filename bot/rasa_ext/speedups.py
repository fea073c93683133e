"""Per-turn costs inside Rasa 3.6 itself, removed without changing what it does.

Measured with cProfile and timers on a verified buyer's question turn (bench/latency.py
--split shows the phases):

* `RemoteAction._validate_action_result` calls `jsonschema.validate(...)` on every action
  server reply. jsonschema 4 checks the *schema* against its meta-schema on each call before
  checking the reply: about 20 ms per custom action on these cores, more than the action
  server call itself. Here the schema is checked once and its validator reused; replies are
  validated against the same schema, and an invalid one raises the same error with the same
  message.
* `Event.resolve_by_type` walks every subclass of `Event` (recursively, ~30 classes) for each
  event deserialised: a tracker store load of a 300-event conversation makes ~9,000 walks.
  The name → class lookup is memoised; the walk still runs for a name not seen before, so an
  event class defined later is still found.
* `DialogueStateTracker.past_states` replays the whole conversation to build the states the
  policies read. After a user message RulePolicy asks twice in a row for the same tracker
  (once matching the text, once the intent; the choice is made after the states are built),
  so a third of a turn's featurisation was repeated work. The last result is kept on the
  tracker, keyed by everything it depends on (the domain, the number of events and the last
  event, the flags), and each caller gets its own copy (callers edit the last state).

`install()` runs when Rasa imports bot.rasa_ext (the tracker store in endpoints.yml and the
NLU components in config.yml both live here), so every Rasa process of this assistant has it.
It patches only the Rasa version it was measured on and is idempotent.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import rasa

PATCHED_VERSION = "3.6."


@lru_cache(maxsize=1)
def _reply_validator() -> Any:
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # what jsonschema.validate does first, once
    return cls(schema)


def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result with the schema checked once (same errors)."""
    from jsonschema import ValidationError, exceptions
    from rasa.shared.constants import DOCS_BASE_URL

    try:
        error = exceptions.best_match(_reply_validator().iter_errors(result))
        if error is not None:
            raise error  # what jsonschema.validate raises
        return True
    except ValidationError as e:
        e.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise e


_EVENT_CLASSES: dict[str, type] = {}


def _resolve_by_type(type_name: str, default: type | None = None) -> type | None:
    """Event.resolve_by_type, memoised by name (see the module docstring)."""
    found = _EVENT_CLASSES.get(type_name)
    if found is not None:
        return found
    found = _original_resolve_by_type(type_name, None if default is None else _NOT_FOUND)
    if found is _NOT_FOUND:
        return default
    if found is not None:
        _EVENT_CLASSES[type_name] = found
    return found


_STATES_KEY = "_bot_past_states"


def _copy_states(states: list[dict]) -> list[dict]:
    # A state is {"user": {...}, "prev_action": {...}, "slots": {...}, ...} with tuple and
    # string values; callers delete keys of these inner dicts, never edit the values.
    return [{part: dict(values) for part, values in state.items()} for state in states]


def _past_states(
    self: Any,
    domain: Any,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: dict[str, Any] | None = None,
) -> list[dict]:
    """DialogueStateTracker.past_states, the last result kept (see the module docstring)."""
    events = self.events
    key = (id(domain), len(events), id(events[-1]) if events else None, omit_unset_slots,
           ignore_rule_only_turns, repr(rule_only_data))
    kept = self.__dict__.get(_STATES_KEY)
    if kept is not None and kept[0] == key:
        return _copy_states(kept[1])
    states = _original_past_states(self, domain, omit_unset_slots=omit_unset_slots,
                                   ignore_rule_only_turns=ignore_rule_only_turns,
                                   rule_only_data=rule_only_data)
    self.__dict__[_STATES_KEY] = (key, _copy_states(states))
    return states


class _NotFound:
    type_name = None


_NOT_FOUND: Any = _NotFound
_original_resolve_by_type: Any = None
_original_past_states: Any = None


def install() -> None:
    global _original_resolve_by_type, _original_past_states
    if not rasa.__version__.startswith(PATCHED_VERSION):
        return
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import Event
    from rasa.shared.core.trackers import DialogueStateTracker

    if RemoteAction._validate_action_result is not _validate_action_result:
        RemoteAction._validate_action_result = _validate_action_result
    if _original_resolve_by_type is None:
        _original_resolve_by_type = Event.resolve_by_type
        Event.resolve_by_type = staticmethod(_resolve_by_type)
    if _original_past_states is None:
        _original_past_states = DialogueStateTracker.past_states
        DialogueStateTracker.past_states = _past_states
