"""Without their environment (TALKTALK_TOKEN, KAKAO_BOT_ID) the messenger channels listed in
the default credentials.yml are inert: their webhooks answer 404 and nothing reaches Rasa."""

from __future__ import annotations

import os

import pytest
import requests

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("channel", ["talktalk", "kakao"])
def test_messenger_webhooks_are_off_without_their_environment(widget_stack, channel):
    if os.environ.get("TALKTALK_TOKEN") or os.environ.get("KAKAO_BOT_ID"):
        pytest.skip("a messenger's environment is set for this test run")
    base = f"{widget_stack.rasa_url}/webhooks/{channel}"
    assert requests.get(f"{base}/", timeout=10).json() == {"status": "off"}
    event = {"event": "send", "user": "u1", "textContent": {"text": "안녕하세요"},
             "userRequest": {"utterance": "안녕하세요", "user": {"id": "u1"}}, "bot": {"id": ""}}
    assert requests.post(f"{base}/webhook", json=event, timeout=10).status_code == 404
    tracker = requests.get(f"{widget_stack.rasa_url}/conversations/{channel}:u1/tracker",
                           timeout=10).json()
    assert tracker["events"] == [] or all(e["event"] != "user" for e in tracker["events"])
