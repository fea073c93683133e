"""Real end-to-end runs: `rasa run` + the action server on loopback, fixture orders, fixed clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.clock import FIXED_NOW_TEXT
from tests.support.paths import FIXTURE_ORDERS
from tests.support.stack import Stack, find_model, running_stack


@pytest.fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(
        tmp_path_factory.mktemp("e2e-stack"), find_model(), orders_file=FIXTURE_ORDERS,
        now=FIXED_NOW_TEXT,
    ) as running:
        yield running
