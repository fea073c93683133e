"""The question registry and the YAML Rasa trains on must agree: this names what is missing.

Adding a question is a row in bot/questions/registry.py, its answer function and its
messages; these tests then list each piece of domain.yml and data/rules/rules.yml to add.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from actions.answers import ANSWER_ACTIONS
from bot.messages import button_titles, catalogue, labels
from bot.questions.registry import QUESTIONS

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
RULES = yaml.safe_load((ROOT / "data/rules/rules.yml").read_text(encoding="utf-8"))["rules"]

VERIFY = [{"action": "verify_form"}, {"active_loop": "verify_form"}]
WHILE_VERIFYING = [{"active_loop": "verify_form"}]
# A verified buyer's question runs its answer alone; the answer checks the proof itself
# (actions/answers.py needs_verification) and sends the turn to verify_form without one.
ONCE_VERIFIED = [{"active_loop": None}, {"slot_was_set": [{"verified": True}]}]


def expected_rules() -> list[tuple[str, dict]]:
    """(what it is for, the rule without its name) for every rule a question needs."""
    wanted = []
    for q in QUESTIONS:
        wanted.append((
            f"answer {q.key} after verification",
            {"condition": [{"slot_was_set": [{"question": q.key}]}],
             "steps": [{"action": "action_verify_order"},
                       {"slot_was_set": [{"verified": True}]},
                       {"action": q.action_name}]},
        ))
        for intent in q.intents:
            if q.general:
                wanted.append((f"{intent} answered directly",
                               {"steps": [{"intent": intent}, {"action": q.action_name}]}))
                wanted.append((f"{intent} during verification",
                               {"condition": WHILE_VERIFYING,
                                "steps": [{"intent": intent}, {"action": q.action_name}, *VERIFY]}))
            else:
                wanted.append((f"{intent} starts verification",
                               {"steps": [{"intent": intent}, *VERIFY]}))
                wanted.append((f"{intent} once verified",
                               {"condition": ONCE_VERIFIED,
                                "steps": [{"intent": intent}, {"action": q.action_name}]}))
                wanted.append((f"{intent} during verification",
                               {"condition": WHILE_VERIFYING,
                                "steps": [{"intent": intent},
                                          {"action": "utter_answer_after_verification"},
                                          *VERIFY]}))
    return wanted


def _body(rule: dict) -> dict:
    return {key: value for key, value in rule.items() if key != "rule"}


def test_rules_hold_every_rule_a_question_needs():
    present = [_body(rule) for rule in RULES]
    missing = [name for name, body in expected_rules() if body not in present]
    assert not missing, f"data/rules/rules.yml lacks the rules: {missing}"


def test_no_rule_answers_a_question_the_registry_does_not_know():
    wanted = [body for _, body in expected_rules()]
    question_intents = {intent for q in QUESTIONS for intent in q.intents}
    stray = []
    for rule in RULES:
        steps = rule.get("steps", [])
        actions = {step.get("action") for step in steps}
        intents = {step.get("intent") for step in steps}
        mentions = any(str(a).startswith("action_explain_") for a in actions) or (
            intents & question_intents
        ) or "question" in str(rule.get("condition"))
        if mentions and _body(rule) not in wanted:
            stray.append(rule["rule"])
    assert not stray, f"rules about questions the registry does not generate: {stray}"


def test_domain_lists_each_question_action_and_intent():
    actions = set(DOMAIN["actions"])
    intents = set(DOMAIN["intents"])
    assert [q.action_name for q in QUESTIONS if q.action_name not in actions] == []
    assert [i for q in QUESTIONS for i in q.intents if i not in intents] == []
    explain = {a for a in actions if a.startswith("action_explain_")}
    assert explain == {q.action_name for q in QUESTIONS}, "domain.yml has answer actions the "\
        "registry does not know"


def test_question_slot_values_and_mappings_follow_the_registry():
    slot = DOMAIN["slots"]["question"]
    assert slot["values"] == [q.key for q in QUESTIONS]
    expected = []
    for q in QUESTIONS:
        for intent in q.intents:
            mapping = {"type": "from_intent", "intent": intent, "value": q.key}
            if q.general:  # asked while verifying: answered at once, the pending one kept
                mapping["conditions"] = [{"active_loop": None}]
            expected.append(mapping)
    assert slot["mappings"] == expected


def test_every_question_has_an_action_label_button_and_messages():
    assert set(ANSWER_ACTIONS) == {q.key for q in QUESTIONS}
    assert {cls().name() for cls in ANSWER_ACTIONS.values()} == {q.action_name for q in QUESTIONS}
    assert set(labels("questions")) == {q.key for q in QUESTIONS}
    titles = button_titles()
    assert [q.button_intent for q in QUESTIONS if q.button_intent not in titles] == []
    assert [m for q in QUESTIONS for m in q.general if m not in catalogue()] == []


@pytest.mark.parametrize("name", ["utter_greet", "utter_out_of_scope"])
def test_domain_buttons_take_their_titles_from_the_one_table(name):
    titles = button_titles()
    for variant in DOMAIN["responses"][name]:
        for button in variant.get("buttons", []):
            intent = button["payload"].lstrip("/")
            # The greeting's return button reads as a wish, not a topic; anything else must
            # match the table so a title is changed in one place.
            if (name, intent) == ("utter_greet", "ask_return"):
                continue
            assert button["title"] == titles[intent], (name, intent)
