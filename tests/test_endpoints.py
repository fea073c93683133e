"""endpoints.yml and deploy/endpoints.scale.yml, read by Rasa itself: every ${VAR} expands
(Rasa expands only unquoted values) and every tracker store redacts."""

from __future__ import annotations

import pytest
from rasa.core.utils import AvailableEndpoints

from tests.support.stack import PROJECT_ROOT

ENV = {
    "ACTION_SERVER_TOKEN": "token-123", "ACTION_SERVER_URL": "http://actions:5055/webhook",
    "TRACKER_DB_HOST": "db", "TRACKER_DB_PORT": "5432", "TRACKER_DB_NAME": "rasa",
    "TRACKER_DB_USER": "rasa", "TRACKER_DB_PASSWORD": "pw", "REDIS_HOST": "redis",
    "REDIS_PORT": "6379", "REDIS_LOCK_DB": "1", "REDIS_PASSWORD": "rpw",
}


@pytest.mark.parametrize("path", ["endpoints.yml", "deploy/endpoints.scale.yml"])
def test_every_variable_expands_and_the_tracker_store_redacts(path, monkeypatch):
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    endpoints = AvailableEndpoints.read_endpoints(str(PROJECT_ROOT / path))
    assert endpoints.action.headers == {"Authorization": "Bearer token-123"}
    assert endpoints.tracker_store.type == "bot.rasa_ext.tracker_store.PrivateSQLTrackerStore"
    text = (PROJECT_ROOT / path).read_text(encoding="utf-8")
    for config in (endpoints.action, endpoints.tracker_store, endpoints.lock_store):
        values = [config.url, *config.kwargs.values(), *config.headers.values()]
        assert not any("${" in str(value) for value in values), (path, values)
    assert "${" in text  # the file does use variables


def test_rasa_calls_the_action_server_on_loopback(monkeypatch):
    monkeypatch.setenv("ACTION_SERVER_TOKEN", "token-123")
    endpoints = AvailableEndpoints.read_endpoints(str(PROJECT_ROOT / "endpoints.yml"))
    assert endpoints.action.url.startswith("http://127.0.0.1:")


@pytest.mark.parametrize("path", ["endpoints.yml", "deploy/endpoints.scale.yml"])
def test_only_actions_that_read_the_domain_get_it(path, monkeypatch):
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    endpoints = AvailableEndpoints.read_endpoints(str(PROJECT_ROOT / path))
    assert endpoints.action.kwargs.get("enable_selective_domain") is True
