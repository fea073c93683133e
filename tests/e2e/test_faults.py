"""Faults over real processes: the buyer gets a polite answer, never silence."""

from __future__ import annotations

import time

import pytest

from tests.support.buyer import Buyer
from tests.support.clock import FIXED_NOW_TEXT
from tests.support.paths import FIXTURE_ORDERS
from tests.support.stack import find_model, running_stack

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
