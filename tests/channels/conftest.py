from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.stack import Stack, find_model, running_stack


@pytest.fixture(scope="session")
def trained_model() -> Path:
    return find_model()


@pytest.fixture(scope="module")
def widget_stack(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(tmp_path_factory.mktemp("widget-stack"), trained_model) as stack:
        yield stack
