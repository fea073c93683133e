"""Shared fixtures: the committed Korean spaCy pipeline, loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PIPELINE = ROOT / "bot" / "nlp" / "ko_pipeline"


@pytest.fixture(scope="session")
def nlp():
    import spacy

    return spacy.load(PIPELINE)
