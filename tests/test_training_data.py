"""The training data and the held-out split: sizes, and that the split is never trained on."""

import difflib
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
    # after-sale questions (data/nlu/after_sale.yml)
    "report_not_received", "ask_return_rejected", "ask_return_pickup", "ask_bundle_fee",
    "request_address_change", "ask_seller_notice", "ask_opened_return", "ask_return_exception",
    "ask_auto_confirm", "ask_refund_less",
}


# Lone jamo are mood, not meaning (ㅋㅋ, ㅎㅎ, ㅠㅠ): dropped unless they are the whole message
# (ㄳ, ㅇㅇ). Repeated letters count once (네네 / 네), spacing and punctuation not at all.
JAMO = re.compile(r"[\u3131-\u318e]")
NEAR = 0.9  # difflib ratio at which two normalised lines are the same sentence


def _key(text: str) -> str:
    text = re.sub(r"[\s\W_]+", "", text).lower()
    text = JAMO.sub("", text) or text
    return re.sub(r"(.)\1+", r"\1", text)


def _near_duplicate(line: str, by_length: dict[int, list[str]]) -> str | None:
    """The training line (normalised) at least NEAR similar to `line`, if any."""
    # ratio = 2·matches / (len a + len b) ≥ 0.9 needs lengths within a factor of 1.1/0.9.
    low, high = int(len(line) * 0.9 / 1.1) - 1, int(len(line) * 1.1 / 0.9) + 1
    for length in range(max(low, 0), high + 1):
        for other in by_length.get(length, ()):
            matcher = difflib.SequenceMatcher(None, line, other, autojunk=False)
            if (matcher.real_quick_ratio() >= NEAR and matcher.quick_ratio() >= NEAR
                    and matcher.ratio() >= NEAR):
                return other
    return None


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


def test_near_duplicates_are_caught():
    by_length: dict[int, list[str]] = {}
    for text in ("돈 언제 들어와요?", "ㄳ", "반품 배송비는 누가 내나요?"):
        by_length.setdefault(len(_key(text)), []).append(_key(text))
    assert _near_duplicate(_key("돈 언제 들어와요ㅠㅠ"), by_length)
    assert _near_duplicate(_key("ㄳㄳ"), by_length)
    assert _near_duplicate(_key("반품 배송비는 누가 내나요"), by_length)
    assert _near_duplicate(_key("ㅇㅇ"), by_length) is None  # jamo-only lines keep their jamo
    assert _near_duplicate(_key("환불은 언제 되나요?"), by_length) is None


def test_heldout_covers_every_intent_clean_and_noisy_and_is_never_trained_on():
    training = {_key(m.get("text")) for m in _examples(ROOT / "data" / "nlu")}
    by_length: dict[int, list[str]] = {}
    for line in training:
        by_length.setdefault(len(line), []).append(line)
    heldout = ROOT / "bench" / "heldout"
    for split in ("clean", "noisy"):
        examples = [m for f in sorted(heldout.glob(f"{split}*.yml")) for m in _examples(f)]
        intents = {m.get("intent") for m in examples}
        assert DOMAIN_INTENTS <= intents, split
        leaked = [m.get("text") for m in examples
                  if _near_duplicate(_key(m.get("text")), by_length)]
        assert not leaked, f"held-out lines ≥ {NEAR} similar to training lines: {leaked}"


def test_no_duplicate_training_texts():
    counts = Counter(m.get("text") for m in _examples(ROOT / "data" / "nlu"))
    assert [text for text, n in counts.items() if n > 1] == []
