"""bot/security/alerts.py: a lockout is logged and posted to the store's webhook."""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from bot.security.alerts import announce
from bot.security.ledger import Count, Subject
from bot.settings import Limit

COUNT = Count(Subject("order", "2026112500000004"), 5, Limit(5, 1440, 1440))


@pytest.fixture
def webhook():
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            length = int(self.headers["Content-Length"])
            received.append(json.loads(self.rfile.read(length)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/lockouts", received
    server.shutdown()


def test_a_lockout_is_logged_without_the_whole_number(caplog, monkeypatch):
    monkeypatch.delenv("LOCKOUT_WEBHOOK_URL", raising=False)
    with caplog.at_level(logging.WARNING, logger="bot.security"):
        assert announce(COUNT, "rest", now=1_800_000_000.0) is None
    (record,) = [r for r in caplog.records if r.name == "bot.security"]
    event = json.loads(record.getMessage())
    assert event["event"] == "verification_lockout" and event["scope"] == "order"
    assert event["order"] == "2026********0004" and event["locked_until"] == "2027-01-16T08:00:00Z"
    assert "2026112500000004" not in record.getMessage()


def test_a_lockout_is_posted_to_the_webhook(webhook, monkeypatch):
    url, received = webhook
    monkeypatch.setenv("LOCKOUT_WEBHOOK_URL", url)
    announce(COUNT, "widget", now=1_800_000_000.0).join(timeout=10)
    (event,) = received
    assert event["order_id"] == "2026112500000004"  # the store's own endpoint may know it
    assert event["channel"] == "widget" and event["failures"] == 5


def test_an_unreachable_webhook_does_not_raise(monkeypatch):
    monkeypatch.setenv("LOCKOUT_WEBHOOK_URL", "http://127.0.0.1:9/nowhere")
    announce(COUNT, "rest").join(timeout=10)
