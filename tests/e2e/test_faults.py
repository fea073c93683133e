"""Faults over real processes: the buyer gets a polite answer, never silence."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.buyer import Buyer
from tests.support.clock import FIXED_NOW_TEXT
from tests.support.messages import heard
from tests.support.paths import FIXTURE_ORDERS
from tests.support.postgres import postgres_cluster
from tests.support.redis_server import redis_process
from tests.support.stack import Stack, add_redis_lock_store, find_model, running_stack
from tests.support.widget_client import WidgetClient

pytestmark = pytest.mark.slow


def test_action_server_down_gets_a_polite_answer_and_recovery(tmp_path):
    with running_stack(tmp_path, find_model(), orders_file=FIXTURE_ORDERS,
                       now=FIXED_NOW_TEXT) as stack:
        buyer = Buyer(stack, "fault-1")
        buyer.says("취소가 왜 거부됐어요?")
        stack.stop_actions()
        started = time.monotonic()
        buyer.says("2026112500000004")
        assert time.monotonic() - started < 5
        assert buyer.names == ["no_reply"]
        stack.start_actions()
        # The conversation goes on where it was: the number was kept, the digits are asked.
        buyer.says("배송 상태 알려주세요")
        assert "ask_phone_last4" in buyer.names
        buyer.says("1004")
        assert buyer.got("verified")["product"] == "블루투스 스피커"


def _names(replies: list[dict]) -> list[str]:
    return [reply.name for reply in heard(replies)]


def test_rasa_restarted_mid_verification_continues_over_rest_and_the_widget(tmp_path):
    with running_stack(tmp_path, find_model(), orders_file=FIXTURE_ORDERS,
                       now=FIXED_NOW_TEXT) as stack:
        buyer = Buyer(stack, "restart-rest")
        buyer.says("취소가 왜 거부됐어요?")
        buyer.says("2026112500000004")
        assert buyer.names == ["ask_phone_last4"]

        tab = WidgetClient(stack.rasa_url)
        tab.connect()
        session_id = tab.request_session(None)
        assert "ask_order_id" in _names(tab.ask("취소가 왜 거부됐어요?"))
        assert _names(tab.ask("2026112500000005")) == ["ask_phone_last4"]

        stack.stop_rasa()
        assert tab.wait_disconnected()
        stack.start_rasa()

        # REST: the next message is the digits the form was waiting for.
        buyer.says("1004")
        assert buyer.got("verified")["product"] == "블루투스 스피커"
        # Widget: reconnect and rejoin the signed session id, as widget.js does on `connect`.
        try:
            tab.connect()
            assert tab.request_session(session_id) == session_id
            replies = heard(tab.ask("1005"))
        finally:
            tab.close()
        assert [r.values["product"] for r in replies if r.name == "verified"] == ["겨울 패딩"]


def _ledger_failures(redis_client) -> list[bytes]:
    return list(redis_client.scan_iter("ledger:failures:*"))


def test_order_database_down_gets_a_polite_answer_counts_nothing_and_recovers(tmp_path):
    with postgres_cluster() as orders_db, redis_process() as ledger_redis, running_stack(
        tmp_path, find_model(), orders_file=FIXTURE_ORDERS, now=FIXED_NOW_TEXT,
        extra_env={"ORDERS_DB_URL": orders_db.url,
                   "LEDGER_REDIS_URL": f"redis://127.0.0.1:{ledger_redis.port}/0"},
    ) as stack:
        buyer = Buyer(stack, "db-down")
        buyer.says("취소가 왜 거부됐어요?")
        buyer.says("2026112500000004")
        assert buyer.names == ["ask_phone_last4"]

        # The ownership check while the database is down: fail closed, count nothing.
        orders_db.stop()
        started = time.monotonic()
        buyer.says("1004")
        assert time.monotonic() - started < 10
        assert buyer.names == ["lookup_unavailable"]
        assert _ledger_failures(ledger_redis.client) == []
        assert not stack.tracker("db-down")["slots"].get("verify_failures")

        # Back: the same conversation verifies.
        orders_db.start()
        buyer.says("취소가 왜 거부됐어요?")
        assert buyer.names == ["ask_order_id"]
        buyer.verifies("2026112500000004", "1004")
        assert buyer.got("verified")["product"] == "블루투스 스피커"

        # An answer while the database is down: polite, and the proof is kept for later.
        orders_db.stop()
        buyer.says("반품 배송비는 누가 내요?")
        assert buyer.names == ["lookup_unavailable"]
        orders_db.start()
        buyer.says("반품 배송비는 누가 내요?")
        assert buyer.names and not {"lookup_unavailable", "ask_order_id"} & set(buyer.names)
        assert _ledger_failures(ledger_redis.client) == []


def test_lock_store_down_fails_closed_with_a_message_and_recovers(tmp_path):
    with redis_process() as locks, running_stack(
        tmp_path / "a", find_model(), orders_file=FIXTURE_ORDERS, now=FIXED_NOW_TEXT
    ) as a:
        a.stop_rasa()
        add_redis_lock_store(a.endpoints, locks.port)
        a.start_rasa()
        (tmp_path / "b").mkdir()
        b = Stack(tmp_path / "b", a.model, a.env, a.credentials, enable_api=True)
        b.endpoints = a.endpoints  # same action server, tracker store and lock store
        try:
            b.start_rasa()
            assert _names(a.rest("buyer", "취소가 왜 거부됐어요?")) == ["ask_order_id"]
            assert _names(b.rest("buyer", "2026112500000004")) == ["ask_phone_last4"]
            before = a.tracker("buyer")["events"]

            # No lock, no turn: neither replica touches the conversation, both say so.
            locks.stop()
            with ThreadPoolExecutor(max_workers=2) as pool:
                first = pool.submit(a.rest, "buyer", "1004")
                second = pool.submit(b.rest, "buyer", "1004")
                assert _names(first.result()) == _names(second.result()) == ["no_reply"]
            assert a.tracker("buyer")["events"] == before

            # Redis back (empty, as after a restart): the conversation goes on, one turn at
            # a time across both replicas.
            locks.start()
            answer = _names(b.rest("buyer", "1004"))
            assert "verified" in answer and "refusal_scanned_before" in answer
            with ThreadPoolExecutor(max_workers=2) as pool:
                first = pool.submit(a.rest, "buyer", "꼭 받아야 하나요?")
                second = pool.submit(b.rest, "buyer", "반품 배송비는 누가 내요?")
                replies = [_names(first.result()), _names(second.result())]
            assert all(replies) and "no_reply" not in replies[0] + replies[1]
            users = [e["text"] for e in a.tracker("buyer")["events"] if e["event"] == "user"]
            assert sorted(users[-2:]) == sorted(["꼭 받아야 하나요?", "반품 배송비는 누가 내요?"])
            assert locks.client.info("commandstats").get("cmdstat_set", {}).get("calls", 0) > 0
        finally:
            b.stop_rasa()
