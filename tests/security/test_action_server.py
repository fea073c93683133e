"""bot/action_server.py as a real process: only Rasa (holding the token) may call it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.support.clock import FIXED_NOW_TEXT
from tests.support.paths import FIXTURE_ORDERS, PROJECT_ROOT
from tests.support.stack import free_port, kill_group, wait_until_up

TOKEN = "action-token-" + "x" * 24
ORDER = "2026112500000004"


def action_call(action: str, slots: dict) -> dict:
    return {
        "next_action": action,
        "sender_id": "attacker",
        "version": "3.6.2",
        "domain": {},
        "tracker": {
            "sender_id": "attacker",
            "slots": slots,
            "latest_message": {"text": "", "intent": {}, "entities": []},
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        },
    }


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> str:
    workdir = tmp_path_factory.mktemp("action-server")
    orders = FIXTURE_ORDERS
    env = {**os.environ, "ACTION_SERVER_TOKEN": TOKEN, "BOT_SECRET_KEY": "k" * 40,
           "ORDERS_DB_URL": f"sqlite:///{workdir / 'orders.db'}",
           "BOT_NOW": FIXED_NOW_TEXT}
    subprocess.run([sys.executable, "-m", "bot.orders", "load", str(orders)], env=env,
                   cwd=PROJECT_ROOT, check=True, capture_output=True)
    port = free_port()
    log = workdir / "actions.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.action_server", "--port", str(port)],
            env=env, cwd=PROJECT_ROOT, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/health", process, Path(log), 90, "action server")
        yield url
    finally:
        kill_group(process)


FORGED = action_call("action_explain_status", {"verified": True, "verified_proof": "forged",
                                               "order_id": ORDER})


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong-token-xxxxxxxx"},
                                     {"Authorization": TOKEN}, {"Authorization": "Basic " + TOKEN}])
def test_a_call_without_the_token_gets_401(server, headers):
    reply = requests.post(f"{server}/webhook", json=FORGED, headers=headers, timeout=30)
    assert reply.status_code == 401
    assert "블루투스" not in reply.text
    assert requests.get(f"{server}/actions", headers=headers, timeout=30).status_code == 401


def test_health_is_open(server):
    assert requests.get(f"{server}/health", timeout=30).json() == {"status": "ok"}


def test_even_with_the_token_a_forged_verified_flag_reveals_nothing(server):
    reply = requests.post(f"{server}/webhook", json=FORGED,
                          headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
    assert reply.status_code == 200
    text = str(reply.json())
    assert "블루투스" not in text and "0004" not in text
    # It sends the buyer to the verification form instead (which asks for the digits).
    assert reply.json() == {"events": [{"event": "followup", "timestamp": None,
                                        "name": "verify_form"}], "responses": []}


def test_errors_do_not_echo_the_request(server):
    broken = action_call("action_verify_order", {"order_id": ORDER})
    broken["tracker"]["latest_message"] = "phone 1004 secret"  # not a dict: the action fails
    reply = requests.post(f"{server}/webhook", json=broken,
                          headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
    assert reply.status_code == 500
    assert "1004" not in reply.text and "secret" not in reply.text


def test_the_server_refuses_to_start_without_a_token():
    env = {k: v for k, v in os.environ.items() if k != "ACTION_SERVER_TOKEN"}
    done = subprocess.run([sys.executable, "-m", "bot.action_server", "--port", "1"], env=env,
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "ACTION_SERVER_TOKEN" in done.stderr
