"""scripts/audit.py keeps its promise: 1,000+ hostile inputs of every kind, the same each run."""

from __future__ import annotations

import importlib.util
import json
import random
import sys
from collections import Counter

from tests.support.stack import PROJECT_ROOT


def load_audit():
    spec = importlib.util.spec_from_file_location("audit", PROJECT_ROOT / "scripts" / "audit.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["audit"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_the_audit_sends_over_a_thousand_inputs_of_every_kind():
    audit = load_audit()
    cases = audit.hostile_inputs(random.Random(7))
    assert len(cases) >= 1000
    kinds = Counter(category for category, _ in cases)
    assert set(kinds) >= {"empty", "huge", "emoji", "invisible", "full-width", "injection",
                          "commands", "malformed-order", "real-looking-order"}
    texts = [text for _, text in cases]
    assert "" in texts and any(len(t) >= 500_000 for t in texts)
    assert any(t.startswith("/restart") for t in texts)
    assert any(t.startswith("/provide_order_id{") for t in texts)
    assert cases == audit.hostile_inputs(random.Random(7))


def test_facts_that_would_be_leaks_are_the_fixture_products_and_masked_numbers():
    facts = load_audit().fixture_facts()
    assert "블루투스 스피커" in facts and "2026********0004" in facts
    # A product name and a masked order number per fixture product order.
    orders = json.loads((PROJECT_ROOT / "tests/fixtures/orders.json").read_text(encoding="utf-8"))
    assert len(facts) == 2 * len(orders)
    assert "무선 이어폰" in facts and "2026********0022" in facts
