"""Two Rasa replicas sharing one tracker store, locked per conversation by a real Redis
(through bot.rasa_ext.lock_store.AtomicRedisLockStore, as deploy/endpoints.scale.yml)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.clock import FIXED_NOW_TEXT as NOW
from tests.support.messages import heard
from tests.support.paths import FIXTURE_ORDERS
from tests.support.redis_server import redis_server
from tests.support.stack import Stack, add_redis_lock_store, find_model, running_stack

pytestmark = pytest.mark.slow


@pytest.fixture
def redis_url():
    with redis_server() as server:
        yield server


def _names(replies: list[dict]) -> list[str]:
    return [reply.name for reply in heard(replies)]


def test_two_replicas_share_conversations_under_a_redis_lock(tmp_path, redis_url):
    redis_port, client = redis_url
    with running_stack(tmp_path / "a", find_model(), orders_file=FIXTURE_ORDERS, now=NOW) as a:
        # Replica A restarts with the Redis lock store; replica B shares A's endpoints
        # (action server, tracker store, lock store) on a port of its own.
        a.stop_rasa()
        add_redis_lock_store(a.endpoints, redis_port)
        a.start_rasa()
        (tmp_path / "b").mkdir()
        b = Stack(tmp_path / "b", a.model, a.env, a.credentials, enable_api=True)
        b.endpoints = a.endpoints
        try:
            b.start_rasa()
            calls_before = client.info("commandstats").get("cmdstat_set", {}).get("calls", 0)

            assert _names(a.rest("buyer", "취소가 왜 거부됐어요?")) == ["ask_order_id"]
            assert _names(b.rest("buyer", "2026112500000004")) == ["ask_phone_last4"]
            answer = heard(a.rest("buyer", "1004"))  # A continues what B was told
            assert "refusal_scanned_before" in [reply.name for reply in answer]

            # The same buyer on both replicas at once: each turn is handled whole.
            with ThreadPoolExecutor(max_workers=2) as pool:
                first = pool.submit(a.rest, "buyer", "꼭 받아야 하나요?")
                second = pool.submit(b.rest, "buyer", "반품 배송비는 누가 내요?")
                replies = [_names(first.result()), _names(second.result())]
            assert all(replies) and "?" not in replies[0] + replies[1]
            events = a.tracker("buyer")["events"]
            users = [e["text"] for e in events if e["event"] == "user"]
            assert users[-2:] in (
                ["꼭 받아야 하나요?", "반품 배송비는 누가 내요?"],
                ["반품 배송비는 누가 내요?", "꼭 받아야 하나요?"],
            )
            calls_after = client.info("commandstats").get("cmdstat_set", {}).get("calls", 0)
            assert calls_after > calls_before  # the locks went through Redis
        finally:
            b.stop_rasa()
