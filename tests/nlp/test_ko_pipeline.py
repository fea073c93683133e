"""The committed spaCy pipeline (bot/nlp/ko_pipeline) and the Rasa config that uses it."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
import spacy
import yaml

from bot.nlp.tokenizer import KiwiTokenizer
from tests.support.paths import KO_PIPELINE, PROJECT_ROOT

SLICE_INTENTS = ("greet", "thank", "ask_return", "request_cancel", "request_human")
UNSEEN = {
    "안녕하세요~": "greet",
    "친절하게 알려주셔서 정말 고마워요": "thank",
    "받은 물건이 마음에 안 들어서 돌려보내고 싶은데 어떻게 하나요?": "ask_return",
    "방금 결제한 주문 취소해 주세요": "request_cancel",
    "봇 말고 상담원이랑 직접 얘기하고 싶어요": "request_human",
}


def test_spacy_loads_the_pipeline_by_path_without_downloads():
    nlp = spacy.load(KO_PIPELINE)
    assert nlp.lang == "ko"
    assert isinstance(nlp.tokenizer, KiwiTokenizer)
    assert nlp.pipe_names == ["ko_kiwi_entities"]
    assert spacy.info(str(KO_PIPELINE))["spacy_version"]  # Rasa checks this field


def test_rasa_loads_the_pipeline_from_config_yml(monkeypatch):
    from rasa.nlu.utils.spacy_utils import SpacyNLP

    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text(encoding="utf-8"))
    spacy_nlp = next(c for c in config["pipeline"] if c["name"] == "SpacyNLP")
    monkeypatch.chdir(PROJECT_ROOT)  # the model path is relative to the project root
    model = SpacyNLP.load_model(spacy_nlp["model"])
    SpacyNLP.ensure_proper_language_model(model.model)
    assert [t.lemma_ for t in model.model("취소했어요")] == ["취소", "하다", "어요"]


def test_config_never_uses_whitespace_tokenizer():
    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text(encoding="utf-8"))
    names = [c["name"] for c in config["pipeline"]]
    assert config["language"] == "ko"
    assert "WhitespaceTokenizer" not in names
    classifier = names.index("bot.rasa_ext.linear_intent.LinearIntentClassifier")
    assert names.index("SpacyNLP") < names.index("SpacyTokenizer") < classifier


def _training_slice(target: Path) -> None:
    """A few clearly distinct intents from data/nlu, plus the carrier synonyms."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(PROJECT_ROOT / "data" / "nlu"))
    data = data.filter_training_examples(lambda m: m.get("intent") in SLICE_INTENTS)
    assert {m.get("intent") for m in data.intent_examples} == set(SLICE_INTENTS)
    training_texts = {m.get("text") for m in data.intent_examples}
    assert not training_texts & set(UNSEEN)
    target.write_text(data.nlu_as_yaml(), encoding="utf-8")


@pytest.mark.slow
def test_real_pipeline_trains_and_classifies_unseen_sentences(tmp_path, monkeypatch):
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu

    monkeypatch.setenv("RASA_TELEMETRY_ENABLED", "false")
    monkeypatch.setenv("RASA_CACHE_DIRECTORY", str(tmp_path / "cache"))
    monkeypatch.chdir(PROJECT_ROOT)
    config_path = PROJECT_ROOT / "config.yml"  # the real pipeline
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    _training_slice(data_dir / "nlu.yml")
    (data_dir / "carriers.yml").write_text(
        (PROJECT_ROOT / "data" / "nlu" / "carriers.yml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )

    started = time.monotonic()
    model = train_nlu(str(config_path), str(data_dir), str(tmp_path / "models"))
    assert model is not None
    assert time.monotonic() - started < 200

    agent = Agent.load(model)
    for text, intent in UNSEEN.items():
        parsed = asyncio.run(agent.parse_message(text))
        assert parsed["intent"]["name"] == intent, (text, parsed["intent_ranking"][:3])

    parsed = asyncio.run(
        agent.parse_message("주문번호 2026-1125-0000-0001 CJ대한통운 건 취소해 주세요")
    )
    entities = {e["entity"]: e["value"] for e in parsed["entities"]}
    assert entities == {"order_id": "2026-1125-0000-0001", "carrier": "CJGLS"}

    # A 100,000-character message is analysed as its first and last few hundred characters.
    started = time.monotonic()
    parsed = asyncio.run(agent.parse_message("반품비는 누가 내요? " + "ㅋ" * 100_000))
    assert time.monotonic() - started < 10
    assert len(parsed["text"]) == 1000 and parsed["text"].startswith("반품비는 누가 내요?")
