"""Faults over real processes: the buyer gets a polite answer, never silence."""

from __future__ import annotations

import time

import pytest

from tests.e2e.conftest import FIXTURE_ORDERS, NOW, Buyer
from tests.support.stack import find_model, running_stack

pytestmark = pytest.mark.slow


def test_action_server_down_gets_a_polite_answer_and_recovery(tmp_path):
    with running_stack(tmp_path, find_model(), orders_file=FIXTURE_ORDERS, now=NOW) as stack:
        buyer = Buyer(stack, "fault-1")
        buyer.says("취소가 왜 거부됐어요?")
        stack.stop_actions()
        started = time.monotonic()
        answer = buyer.says("2026112500000004")
        assert time.monotonic() - started < 5
        assert "잠시 후 다시" in answer and "1588-0000" in answer
        stack.start_actions()
        # The conversation goes on where it was: the number was kept, the digits are asked.
        assert "끝 4자리" in buyer.says("배송 상태 알려주세요")
        assert "블루투스 스피커" in buyer.says("1004")
