"""bench/load.py at small scale, as a correctness test (nothing is timed): concurrent
conversations over REST and the widget's socket.io, their turns spread over two Rasa replicas
sharing the PostgreSQL tracker store under the Redis lock store (deploy/endpoints.scale.yml)."""

from __future__ import annotations

import pytest

from bench.load import run_load
from tests.support.stack import find_model

pytestmark = pytest.mark.slow


def test_concurrent_conversations_on_two_replicas_keep_every_turn_once_and_in_order(tmp_path):
    results = run_load(8, replica_counts=[2], model=find_model(), workdir=tmp_path)

    assert [(r.transport, r.replicas, r.conversations, r.turns) for r in results] == [
        ("rest", 2, 8, 56), ("widget", 2, 8, 56),
    ]
    for r in results:
        counts = (r.failed_turns, r.wrong_replies, r.lost, r.duplicated, r.reordered,
                  r.wrong_stored_replies)
        assert counts == (0, 0, 0, 0, 0, 0), (r.transport, r.problems)
