"""Shared fixtures: the committed Korean spaCy pipeline, loaded once."""

from __future__ import annotations

import pytest

from tests.support.paths import KO_PIPELINE


@pytest.fixture(scope="session")
def nlp():
    import spacy

    return spacy.load(KO_PIPELINE)
