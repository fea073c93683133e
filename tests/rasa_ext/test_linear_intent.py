"""The linear intent classifier blended with DIET (bot/rasa_ext/linear_intent.py)."""

import numpy as np
import pytest
import scipy.sparse as sp
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

from bot.rasa_ext.linear_intent import (
    LinearIntentClassifier,
    LinearModel,
    blend,
    fit,
    fit_temperature,
    inverse_document_frequency,
    softmax,
    tfidf,
)

# Three small intents with distinct vocabularies and shared filler words.
TRAINING = {
    "refund": ["환불 언제 돼요", "환불 언제 들어와요", "돈 언제 환불돼요", "환불 며칠 걸려요",
               "카드 환불 언제요", "환불 아직이에요"],
    "return": ["반품 어떻게 해요", "반품 신청 어디서 해요", "반품하고 싶어요", "교환 반품 방법",
               "반품 접수 어떻게", "반품 보내는 법"],
    "greet": ["안녕하세요", "안녕", "하이", "안녕하세요 반가워요", "헬로", "안녕 반가워"],
}


@pytest.fixture(scope="module")
def vectorizer():
    texts = [t for examples in TRAINING.values() for t in examples]
    return CountVectorizer(analyzer="char_wb", ngram_range=(1, 3)).fit(texts)


def _message(text, vectorizer, **data):
    message = Message(data={TEXT: text, **data})
    counts = sp.coo_matrix(vectorizer.transform([text]))
    message.add_features(Features(counts, "sentence", TEXT, "counts"))
    return message


def test_tfidf_matches_scikit_learn():
    counts = CountVectorizer(analyzer="char").fit_transform(["aab", "abc", "ccc d", "b"])
    expected = TfidfTransformer(sublinear_tf=True).fit_transform(counts).toarray()
    ours = tfidf(counts.tocsr(), inverse_document_frequency(counts.tocsr())).toarray()
    assert np.allclose(ours, expected)


def test_tfidf_keeps_an_empty_row_empty():
    counts = sp.csr_matrix(np.array([[0, 0], [1, 2]]))
    weighted = tfidf(counts, np.ones(2)).toarray()
    assert np.all(weighted[0] == 0) and np.isclose(np.linalg.norm(weighted[1]), 1.0)


def test_fit_temperature_recovers_the_scale_that_generated_the_labels():
    rng = np.random.default_rng(0)
    margins = rng.normal(size=(4000, 4))
    truth = np.array([rng.choice(4, p=p) for p in softmax(margins * 3.0)])
    assert fit_temperature(margins, truth) == pytest.approx(3.0, rel=0.15)


def test_blend_weights_both_rankings_and_sorts_best_first():
    ranking = blend({"a": 0.9, "b": 0.1}, {"a": 0.2, "b": 0.7, "c": 0.1}, diet_weight=0.5)
    assert [r["name"] for r in ranking] == ["a", "b", "c"]
    assert ranking[0]["confidence"] == pytest.approx(0.55)
    assert ranking[2]["confidence"] == pytest.approx(0.05)


def test_blend_without_a_diet_ranking_is_the_linear_one():
    assert blend({"a": 0.3, "b": 0.7}, {}, diet_weight=0.5)[0] == {"name": "b", "confidence": 0.7}


def test_fit_classifies_unseen_phrasings(vectorizer):
    texts = [t for examples in TRAINING.values() for t in examples]
    intents = [i for i, examples in TRAINING.items() for _ in examples]
    model = fit(sp.csr_matrix(vectorizer.transform(texts)), intents)
    unseen = ["환불은 언제쯤 되나요", "반품은 어떻게 하나요", "안녕하세여"]
    probabilities = model.probabilities(sp.csr_matrix(vectorizer.transform(unseen)))
    assert list(model.classes[probabilities.argmax(axis=1)]) == ["refund", "return", "greet"]
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    assert model.temperature > 0


def test_fit_refuses_fewer_than_three_intents():
    with pytest.raises(ValueError):
        fit(sp.csr_matrix(np.eye(4)), ["a", "a", "b", "b"])


def _component(tmp_path, config):
    storage = LocalModelStorage(tmp_path)
    resource = Resource("linear_intent")
    context = ExecutionContext(GraphSchema({}), "test")
    return (LinearIntentClassifier.create(config, storage, resource, context),
            lambda: LinearIntentClassifier.load(config, storage, resource, context))


def test_component_trains_persists_and_loads_the_same_arrays(tmp_path, vectorizer):
    trained, load = _component(tmp_path, {})
    trained.train(TrainingData([
        _message(text, vectorizer, intent=intent)
        for intent, texts in TRAINING.items()
        for text in texts
    ]))
    loaded = load().model
    assert list(loaded.classes) == ["greet", "refund", "return"]
    for field in ("idf", "coef", "intercept"):
        assert np.array_equal(getattr(loaded, field), getattr(trained.model, field)), field
    assert loaded.temperature == trained.model.temperature
    message = _message("환불 언제 돼요", vectorizer)
    loaded_component = load()
    loaded_component.process([message])
    assert message.get(INTENT)["name"] == "refund"


def _one_hot(column, width=3, **data):
    message = Message(data={TEXT: "x", **data})
    counts = np.zeros((1, width))
    counts[0, column] = 2.0  # any count: TF-IDF scales the row to unit length
    message.add_features(Features(sp.coo_matrix(counts), "sentence", TEXT, "counts"))
    return message


def test_component_blends_its_probabilities_with_diets_ranking(tmp_path):
    # A model written by hand: feature 1 gives `refund` a margin of ln(3)/2 and the others 0,
    # so with temperature 2 the linear probabilities are 1:3:1 = 0.2, 0.6, 0.2.
    component, load = _component(tmp_path, {"diet_weight": 0.2, "ranking_length": 2})
    component.model = LinearModel(
        classes=np.array(["greet", "refund", "return"]),
        idf=np.ones(3),
        coef=np.array([[0.0, 0.0, 0.0], [0.0, np.log(3) / 2, 0.0], [0.0, 0.0, 0.0]]),
        intercept=np.zeros(3),
        temperature=2.0,
    )
    component.persist()
    # DIET is sure it is a greeting; the linear model leans to a refund.
    diet = [{"name": "greet", "confidence": 0.99}, {"name": "refund", "confidence": 0.01}]
    message = _one_hot(1, **{INTENT_RANKING_KEY: diet})
    load().process([message])
    # refund: 0.8 * 0.6 + 0.2 * 0.01 = 0.482; greet: 0.8 * 0.2 + 0.2 * 0.99 = 0.358;
    # return (0.8 * 0.2 = 0.16) is cut by ranking_length 2.
    ranking = message.get(INTENT_RANKING_KEY)
    assert [r["name"] for r in ranking] == ["refund", "greet"]
    assert [r["confidence"] for r in ranking] == pytest.approx([0.482, 0.358])
    assert message.get(INTENT) == ranking[0]


def test_untrained_component_leaves_messages_alone(tmp_path, vectorizer):
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    component = LinearIntentClassifier.load({}, storage, Resource("missing"), context)
    message = _message("안녕", vectorizer)
    component.process([message])
    assert message.get(INTENT) is None


def test_component_alone_in_the_pipeline_ranks_by_its_own_probabilities(tmp_path, vectorizer):
    storage = LocalModelStorage(tmp_path)
    resource = Resource("linear_intent")
    context = ExecutionContext(GraphSchema({}), "test")
    examples = [
        _message(text, vectorizer, intent=intent)
        for intent, texts in TRAINING.items()
        for text in texts
    ]
    LinearIntentClassifier.create({}, storage, resource, context).train(TrainingData(examples))
    loaded = LinearIntentClassifier.load({}, storage, resource, context)

    message = _message("반품은 어떻게 하나요", vectorizer)  # no DIET ranking on it
    loaded.process([message])
    counts = sp.csr_matrix(vectorizer.transform(["반품은 어떻게 하나요"]))
    probabilities = sorted(loaded.model.probabilities(counts)[0], reverse=True)
    ranking = message.get(INTENT_RANKING_KEY)
    assert message.get(INTENT)["name"] == "return"
    assert [r["confidence"] for r in ranking] == pytest.approx(probabilities)
