"""Telling the store that a lookup was locked: a structured log line and, if configured, a
webhook (LOCKOUT_WEBHOOK_URL or `security.lockout_webhook_url`).

The webhook is posted from a background thread with a short timeout: an unreachable
endpoint must not slow the buyer's turn down.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time

import requests

from bot.present import mask_order_id
from bot.security.ledger import Count
from bot.settings import get_settings

logger = logging.getLogger("bot.security")

WEBHOOK_TIMEOUT = 5.0


def lockout_event(count: Count, channel: str, now: float) -> dict:
    """The structured event: what was locked, until when, and nothing a reader could misuse."""
    event = {
        "event": "verification_lockout",
        "scope": count.subject.scope,
        "key": count.subject.key[:16],
        "failures": count.failures,
        "window_minutes": count.limit.window_minutes,
        "locked_until": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                      time.gmtime(now + count.limit.lock_minutes * 60)),
        "channel": channel,
    }
    if count.subject.scope == "order":
        event["order"] = mask_order_id(count.subject.value)
    return event


def webhook_url() -> str:
    configured = os.environ.get("LOCKOUT_WEBHOOK_URL")
    return (configured or get_settings().security.lockout_webhook_url).strip()


def _post(url: str, event: dict) -> None:
    try:
        requests.post(url, json=event, timeout=WEBHOOK_TIMEOUT)
    except requests.RequestException as error:
        logger.warning("lockout webhook failed: %s", type(error).__name__)


def announce(count: Count, channel: str, now: float | None = None) -> threading.Thread | None:
    """Log the lockout; post it to the webhook in the background (the thread, for tests)."""
    event = lockout_event(count, channel, time.time() if now is None else now)
    logger.warning(json.dumps(event, ensure_ascii=False))
    url = webhook_url()
    if not url:
        return None
    if count.subject.scope == "order":  # the store's own endpoint: it needs the whole number
        event = {**event, "order_id": count.subject.value}
    thread = threading.Thread(target=_post, args=(url, event), daemon=True)
    thread.start()
    return thread
