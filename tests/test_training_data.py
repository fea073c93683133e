"""The training data and the held-out split: sizes, and that the split is never trained on."""

import re
from collections import Counter
from pathlib import Path

import yaml
from rasa.shared.nlu.training_data.loading import load_data

ROOT = Path(__file__).resolve().parents[1]
DOMAIN_INTENTS = {
    "ask_cancel_refused", "request_cancel", "ask_order_status", "ask_tracking_lag",
    "ask_must_accept", "ask_return", "ask_return_fee", "complain_shipping_delay",
    "ask_refund_timing", "report_defect", "ask_seller_fault", "ask_order_process",
    "provide_order_id", "provide_phone_last4", "request_human",
}


def _key(text: str) -> str:
    return re.sub(r"[\s\W_]+", "", text).lower()


def _examples(path: Path):
    return load_data(str(path)).intent_examples


def test_every_domain_intent_has_at_least_40_examples():
    counts = Counter(m.get("intent") for m in _examples(ROOT / "data" / "nlu"))
    thin = {intent: counts[intent] for intent in DOMAIN_INTENTS if counts[intent] < 40}
    assert not thin


def test_domain_intents_are_exactly_the_trained_ones():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    trained = {m.get("intent") for m in _examples(ROOT / "data" / "nlu")}
    assert set(domain["intents"]) == trained


def test_heldout_covers_every_intent_clean_and_noisy_and_is_never_trained_on():
    training = {_key(m.get("text")) for m in _examples(ROOT / "data" / "nlu")}
    heldout = ROOT / "bench" / "heldout"
    for split in ("clean", "noisy"):
        examples = [m for f in sorted(heldout.glob(f"{split}*.yml")) for m in _examples(f)]
        intents = {m.get("intent") for m in examples}
        assert DOMAIN_INTENTS <= intents, split
        leaked = [m.get("text") for m in examples if _key(m.get("text")) in training]
        assert not leaked, leaked


def test_no_duplicate_training_texts():
    counts = Counter(m.get("text") for m in _examples(ROOT / "data" / "nlu"))
    assert [text for text, n in counts.items() if n > 1] == []
