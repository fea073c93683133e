"""The Commerce API client against the fake API: token, retries, errors, batches, paging."""

from __future__ import annotations

import base64
from datetime import timedelta

import bcrypt
import pytest

from bot.live.commerce import (
    CommerceApiError,
    CommerceClient,
    CommerceConfig,
    CommerceError,
    CommerceUnreachable,
    client_secret_sign,
    configured,
)
from tests.live.conftest import FAST, changed, numbered_document
from tests.support.clock import FIXED_NOW


def test_the_signature_is_bcrypt_of_id_and_timestamp_salted_with_the_secret():
    secret = bcrypt.gensalt(rounds=4).decode()
    sign = client_secret_sign("my-app", secret, 1700000000000)
    hashed = base64.standard_b64decode(sign)
    assert hashed.startswith(secret.encode())
    assert bcrypt.checkpw(b"my-app_1700000000000", hashed)
    assert not bcrypt.checkpw(b"my-app_1700000000001", hashed)


def test_configuration_comes_from_the_documented_variables(monkeypatch):
    for name in ("COMMERCE_CLIENT_ID", "COMMERCE_CLIENT_SECRET", "COMMERCE_API_URL"):
        monkeypatch.delenv(name, raising=False)
    assert configured() is None
    monkeypatch.setenv("COMMERCE_CLIENT_ID", "app")
    monkeypatch.setenv("COMMERCE_CLIENT_SECRET", "$2a$04$abcdefghijklmnopqrstuv")
    config = configured()
    assert config.api_url == "https://api.commerce.naver.com/external"
    assert "abcdefghij" not in repr(config)
    monkeypatch.setenv("COMMERCE_API_URL", "http://127.0.0.1:9/external/")
    assert configured().api_url == "http://127.0.0.1:9/external"


def test_one_token_serves_many_calls_and_a_rejected_token_is_renewed_once(api, client):
    api.add(numbered_document(1))
    assert len(client.product_orders(["2026119000000001"])) == 1
    assert len(client.product_orders(["2026119000000001"])) == 1
    assert api.tokens_issued == 1
    api.revoke_tokens()  # expired early on the server's side
    assert len(client.product_orders(["2026119000000001"])) == 1
    assert api.tokens_issued == 2
    statuses = [r.status for r in api.calls("/product-orders/query")]
    assert statuses == [200, 200, 401, 200]


def test_a_token_is_renewed_before_its_lifetime_runs_out(api):
    api.add(numbered_document(1))
    clock = [1000.0]
    client = CommerceClient(
        CommerceConfig(api.client_id, api.client_secret, api.url), FAST,
        monotonic=lambda: clock[0],
    )
    client.product_orders(["2026119000000001"])
    clock[0] += 10800 - 601  # just before the 10-minute margin: still the same token
    client.product_orders(["2026119000000001"])
    assert api.tokens_issued == 1
    clock[0] += 2  # inside the margin: a new token first, no 401 on the way
    client.product_orders(["2026119000000001"])
    assert api.tokens_issued == 2
    assert [r.status for r in api.calls("/product-orders/query")] == [200, 200, 200]


def test_rate_limit_then_success_backs_off_with_jitter_under_the_cap(api, client, sleeps):
    api.add(numbered_document(1))
    api.fail_next("/product-orders/query", 429, "GW.RATE_LIMIT", times=2)
    api.fail_next("/product-orders/query", 503, "SERVICE_UNAVAILABLE")
    assert len(client.product_orders(["2026119000000001"])) == 1
    assert [r.status for r in api.calls("/product-orders/query")] == [429, 429, 503, 200]
    assert len(sleeps) == 3
    assert all(0 <= s <= FAST.backoff_max_seconds for s in sleeps)


def test_retries_stop_after_the_configured_attempts_with_the_api_code(api, client, sleeps):
    api.fail_next("/product-orders/query", 429, "GW.RATE_LIMIT", times=10)
    with pytest.raises(CommerceApiError) as raised:
        client.product_orders(["2026119000000001"])
    assert raised.value.code == "GW.RATE_LIMIT" and raised.value.status == 429
    assert "GW.RATE_LIMIT" in str(raised.value) and "injected failure" in str(raised.value)
    assert len(api.calls("/product-orders/query")) == FAST.request_attempts


def test_a_client_error_is_not_retried_and_never_shows_the_secret(api, sleeps):
    wrong = bcrypt.gensalt(rounds=4).decode()  # a salt, but not the application's secret
    client = CommerceClient(CommerceConfig(api.client_id, wrong, api.url), FAST,
                            sleep=sleeps.append)
    with pytest.raises(CommerceApiError) as raised:
        client.product_orders(["2026119000000001"])
    assert raised.value.code == "INVALID_SIGNATURE"
    assert wrong not in str(raised.value) and wrong not in repr(client)
    assert len(api.calls("/oauth2/token")) == 1 and sleeps == []


def test_a_secret_that_is_no_bcrypt_salt_is_named_but_not_shown(api, sleeps):
    client = CommerceClient(CommerceConfig(api.client_id, "not-a-salt-" + "x" * 20, api.url),
                            FAST, sleep=sleeps.append)
    with pytest.raises(CommerceError) as raised:
        client.product_orders(["2026119000000001"])
    assert "COMMERCE_CLIENT_SECRET" in str(raised.value) and "x" * 20 not in str(raised.value)
    assert api.calls("/oauth2/token") == []


def test_an_unreachable_api_is_retried_then_reported_without_the_secret(sleeps):
    secret = bcrypt.gensalt(rounds=4).decode()
    client = CommerceClient(
        CommerceConfig("app", secret, "http://127.0.0.1:9/external"), FAST, sleep=sleeps.append
    )
    with pytest.raises(CommerceUnreachable) as raised:
        client.product_orders(["2026119000000001"])
    assert secret not in str(raised.value)
    assert len(sleeps) == FAST.request_attempts - 1


def test_details_are_asked_in_batches_of_at_most_300(api, client):
    for n in range(1, 651):
        api.add(numbered_document(n))
    ids = [f"2026119{n:09d}" for n in range(1, 651)]
    found = client.product_orders(ids)
    assert [d["productOrder"]["productOrderId"] for d in found] == ids
    sizes = [len(r.body["productOrderIds"]) for r in api.calls("/product-orders/query")]
    assert sizes == [300, 300, 50]


def test_the_ids_of_an_order_number(api, client):
    api.add(numbered_document(7))
    assert client.product_order_ids("2026112000000007") == ["2026119000000007"]
    assert client.product_order_ids("2026112000000099") == []
    api.fail_next("/product-order-ids", 400, "INVALID_ORDER_ID")
    assert client.product_order_ids("20261120") == []  # a number the API refuses: a miss


def test_a_rejected_key_is_an_error_not_a_missing_order(api):
    wrong = CommerceClient(CommerceConfig(api.client_id, bcrypt.gensalt(rounds=4).decode(),
                                          api.url), FAST)
    with pytest.raises(CommerceApiError) as raised:
        wrong.product_order_ids("2026112000000007")
    assert raised.value.code == "INVALID_SIGNATURE"


def test_the_change_feed_pages_with_the_more_marker(api, client):
    for n in range(1, 6):
        api.add(numbered_document(n), changed_at=changed(n))
    since, until = FIXED_NOW - timedelta(hours=7), FIXED_NOW
    first = client.changed_statuses(since, until, None, limit=2)
    assert first.product_order_ids == ["2026119000000001", "2026119000000002"]
    assert first.has_more and first.more_from == changed(3)
    second = client.changed_statuses(first.more_from, until, first.more_sequence, limit=2)
    assert second.product_order_ids == ["2026119000000003", "2026119000000004"]
    sent = api.calls("/last-changed-statuses")[1].query
    assert sent["lastChangedFrom"] == "2026-11-27T04:03:00.000+09:00"
    assert sent["lastChangedTo"] == "2026-11-27T10:00:00.000+09:00"
    assert sent["limitCount"] == "2" and sent["moreSequence"] == first.more_sequence
