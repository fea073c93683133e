"""A linear intent classifier for Rasa, optionally blended with DIET's ranking.

On our held-out questions a linear SVM over TF-IDF-weighted n-gram counts generalises better
than DIET alone (DIET is very sure of itself on phrasings it never saw), and it trains in
seconds instead of minutes. It is the assistant's only intent classifier; a blend that gives
DIET a share of the ranking can be measured with `make bench` (bench/ablation/).

The classifier reads the sentence-level sparse features the pipeline's featurizers already
computed (lemma n-grams and character n-grams), weights them by TF-IDF, and turns the SVM
margins into probabilities with one temperature fitted on cross-validated margins, so
FallbackClassifier's threshold reads as a calibrated probability.
The trained model is a handful of arrays stored with numpy (no pickle).

config.yml, after the featurizers:
    - name: bot.rasa_ext.linear_intent.LinearIntentClassifier
      C: 1.0

To blend, put DIETClassifier (with ranking_length: 0, so it ranks every intent) before it and
set diet_weight (e.g. 0.2); without a DIET ranking on the message the SVM decides alone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)

MODEL_FILE = "linear_intent.npz"


@dataclass(frozen=True)
class LinearModel:
    """What training learns: intent names, IDF weights, SVM weights and a temperature."""

    classes: np.ndarray  # (k,) intent names
    idf: np.ndarray  # (d,)
    coef: np.ndarray  # (k, d)
    intercept: np.ndarray  # (k,)
    temperature: float

    def probabilities(self, counts: sp.csr_matrix) -> np.ndarray:
        """(n, k) probabilities of each intent for n rows of n-gram counts."""
        return softmax(self.margins(counts) * self.temperature)

    def margins(self, counts: sp.csr_matrix) -> np.ndarray:
        return np.asarray(tfidf(counts, self.idf) @ self.coef.T) + self.intercept


def inverse_document_frequency(counts: sp.csr_matrix) -> np.ndarray:
    """Smoothed IDF, as scikit-learn's TfidfTransformer computes it."""
    n = counts.shape[0]
    document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
    return np.log((1 + n) / (1 + document_frequency)) + 1.0


def tfidf(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """Sublinear TF (1 + log count) times IDF, each row scaled to unit length."""
    weighted = sp.csr_matrix(counts, dtype=np.float64, copy=True)
    positive = weighted.data > 0
    weighted.data[positive] = 1.0 + np.log(weighted.data[positive])
    weighted = weighted @ sp.diags(idf)
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1))).ravel()
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ weighted)


def softmax(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def _svm(features: sp.csr_matrix, labels: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.svm import LinearSVC

    svm = LinearSVC(C=c, random_state=0, max_iter=10_000).fit(features, labels)
    return svm.coef_, svm.intercept_


def fit_temperature(margins: np.ndarray, truth: np.ndarray) -> float:
    """The scale of the margins whose softmax best predicts the truth (maximum likelihood)."""
    from scipy.optimize import minimize_scalar

    rows = np.arange(len(truth))

    def loss(log_t: float) -> float:
        scores = margins * np.exp(log_t)
        scores = scores - scores.max(axis=1, keepdims=True)
        return float(np.mean(np.log(np.exp(scores).sum(axis=1)) - scores[rows, truth]))

    return float(np.exp(minimize_scalar(loss, bounds=(-3.0, 5.0), method="bounded").x))


def fit(counts: sp.csr_matrix, intents: list[str], c: float = 1.0, folds: int = 5) -> LinearModel:
    """Train on n-gram counts; the temperature comes from out-of-fold margins."""
    from sklearn.model_selection import StratifiedKFold

    classes, labels = np.unique(np.asarray(intents), return_inverse=True)
    if len(classes) < 3:
        raise ValueError("LinearIntentClassifier needs at least three intents")
    idf = inverse_document_frequency(counts)
    features = tfidf(counts, idf)
    held_out = np.zeros((len(labels), len(classes)))
    smallest = int(np.bincount(labels).min())
    splitter = StratifiedKFold(n_splits=max(2, min(folds, smallest)), shuffle=True, random_state=0)
    for train, test in splitter.split(features, labels):
        coef, intercept = _svm(features[train], labels[train], c)
        # An intent missing from a fold's training part keeps margin 0 there.
        seen = np.unique(labels[train])
        held_out[np.ix_(test, seen)] = features[test] @ coef.T + intercept
    coef, intercept = _svm(features, labels, c)
    return LinearModel(classes, idf, coef, intercept, fit_temperature(held_out, labels))


def blend(linear: dict[str, float], diet: dict[str, float], diet_weight: float) -> list[dict]:
    """Weighted average of two intent → probability maps, best first."""
    if not diet:
        diet_weight = 0.0
    names = set(linear) | set(diet)
    scores = {
        name: (1 - diet_weight) * linear.get(name, 0.0) + diet_weight * diet.get(name, 0.0)
        for name in names
    }
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return [{"name": name, "confidence": float(score)} for name, score in ranked]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(GraphComponent, IntentClassifier):
    @classmethod
    def required_components(cls) -> list[type]:
        return [Featurizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "C": 1.0,  # SVM regularisation: smaller is smoother
            "folds": 5,  # cross-validation folds for the temperature
            "diet_weight": 0.0,  # share of DIET's ranking in the blend (0 = linear only)
            "ranking_length": 10,
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: LinearModel | None = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LinearIntentClassifier:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if not examples:
            logger.debug("LinearIntentClassifier: no intent examples, nothing to train.")
            return self._resource
        counts = sentence_counts(examples)
        self.model = fit(counts, [e.get(INTENT) for e in examples], self.config["C"],
                         self.config["folds"])
        self.persist()
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        if self.model is None:
            return messages
        for message in messages:
            counts = sentence_counts([message])
            if counts is None or counts.shape[1] != len(self.model.idf):
                continue  # no text features (e.g. an intent sent as /payload)
            probabilities = self.model.probabilities(counts)[0]
            linear = dict(zip(self.model.classes.tolist(), probabilities.tolist(), strict=True))
            diet = {r["name"]: r["confidence"] for r in message.get(INTENT_RANKING_KEY) or []}
            ranking = blend(linear, diet, self.config["diet_weight"])
            message.set(INTENT, ranking[0], add_to_output=True)
            length = self.config["ranking_length"]
            message.set(INTENT_RANKING_KEY, ranking[:length] if length else ranking,
                        add_to_output=True)
        return messages

    def persist(self) -> None:
        with self._model_storage.write_to(self._resource) as directory:
            np.savez(
                directory / MODEL_FILE,
                classes=self.model.classes.astype(str),
                idf=self.model.idf,
                coef=self.model.coef,
                intercept=self.model.intercept,
                temperature=np.array(self.model.temperature),
            )

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearIntentClassifier:
        try:
            with model_storage.read_from(resource) as directory:
                with np.load(directory / MODEL_FILE, allow_pickle=False) as arrays:
                    model = LinearModel(
                        arrays["classes"], arrays["idf"], arrays["coef"], arrays["intercept"],
                        float(arrays["temperature"]),
                    )
        except (ValueError, FileNotFoundError):
            logger.debug("LinearIntentClassifier: no trained model in storage.")
            model = None
        return cls(config, model_storage, resource, model)


def sentence_counts(messages: list[Message]) -> sp.csr_matrix | None:
    """Rows of the featurizers' sparse sentence features (the n-gram counts)."""
    rows = []
    for message in messages:
        _, sentence = message.get_sparse_features(TEXT)
        if sentence is None:
            return None
        rows.append(sp.csr_matrix(sentence.features))
    return sp.vstack(rows).tocsr()
