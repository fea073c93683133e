"""Naver Commerce API client: token, change feed, product-order details, an order's ids.

Configured by COMMERCE_CLIENT_ID, COMMERCE_CLIENT_SECRET and COMMERCE_API_URL (default
https://api.commerce.naver.com/external); timeouts, attempts and backoff come from the `live`
section of bot/settings.yml. The secret never leaves this process: only its bcrypt signature
of "{client_id}_{timestamp}" is sent, and no error message, log line or repr carries either.
"""

from __future__ import annotations

import base64
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import bcrypt
import httpx
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_random_exponential

from bot.clock import to_kst
from bot.settings import LiveSettings

DEFAULT_API_URL = "https://api.commerce.naver.com/external"
TOKEN_PATH = "/v1/oauth2/token"
DETAILS_PATH = "/v1/pay-order/seller/product-orders/query"
CHANGES_PATH = "/v1/pay-order/seller/product-orders/last-changed-statuses"
ORDER_IDS_PATH = "/v1/pay-order/seller/orders/{order_id}/product-order-ids"
MAX_DETAIL_BATCH = 300  # the detail query takes at most 300 product-order ids
TOKEN_LIFETIME_SECONDS = 10800  # 3 h, when the token response does not say


@dataclass(frozen=True)
class CommerceConfig:
    client_id: str
    client_secret: str = field(repr=False)
    api_url: str = DEFAULT_API_URL


def configured() -> CommerceConfig | None:
    """The API's configuration from the environment; None when the live store is off."""
    client_id = os.environ.get("COMMERCE_CLIENT_ID", "").strip()
    secret = os.environ.get("COMMERCE_CLIENT_SECRET", "").strip()
    if not client_id or not secret:
        return None
    url = os.environ.get("COMMERCE_API_URL", "").strip() or DEFAULT_API_URL
    return CommerceConfig(client_id, secret, url.rstrip("/"))


def client_secret_sign(client_id: str, client_secret: str, timestamp_ms: int) -> str:
    """The token request's signature: bcrypt of "{id}_{timestamp}" salted with the secret."""
    try:
        hashed = bcrypt.hashpw(f"{client_id}_{timestamp_ms}".encode(), client_secret.encode())
    except ValueError:  # said without the value: it is the secret
        raise CommerceError(
            "COMMERCE_CLIENT_SECRET is not a bcrypt salt ($2a$...): copy it again from the "
            "application's page in the Commerce API center"
        ) from None
    return base64.standard_b64encode(hashed).decode("ascii")


def api_time(moment: datetime) -> str:
    """A time as the API writes it: 2026-11-26T10:05:00.000+09:00."""
    return to_kst(moment).isoformat(timespec="milliseconds")


class CommerceError(RuntimeError):
    """A call that failed; says which call and why, never with the secret or a token."""


class CommerceUnreachable(CommerceError):
    """No HTTP answer: connection refused, DNS, timeout."""


class CommerceApiError(CommerceError):
    def __init__(self, path: str, status: int, code: str, message: str) -> None:
        self.path, self.status, self.code, self.api_message = path, status, code, message
        super().__init__(f"Commerce API {path}: HTTP {status} {code}: {message}")

    @property
    def retryable(self) -> bool:
        return self.status == 429 or self.status >= 500


def _retryable(error: BaseException) -> bool:
    return isinstance(error, CommerceUnreachable) or (
        isinstance(error, CommerceApiError) and error.retryable
    )


@dataclass(frozen=True)
class ChangePage:
    """One page of the change feed: the product orders changed, and where the next page starts."""

    product_order_ids: list[str]
    more_from: datetime | None = None
    more_sequence: str | None = None

    @property
    def has_more(self) -> bool:
        return self.more_from is not None


def batches(ids: Iterable[str], size: int = MAX_DETAIL_BATCH) -> Iterator[list[str]]:
    batch: list[str] = []
    for product_order_id in ids:
        batch.append(product_order_id)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class CommerceClient:
    """One seller application's API session; thread-safe; token cached and refreshed."""

    def __init__(
        self,
        config: CommerceConfig,
        settings: LiveSettings,
        *,
        attempts: int | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config
        self.settings = settings
        self.attempts = attempts or settings.request_attempts
        self._monotonic = monotonic
        self._sleep = sleep
        self._http = httpx.Client(
            base_url=config.api_url,
            timeout=settings.request_timeout_seconds,
            headers={"Accept": "application/json"},
        )
        self._lock = threading.Lock()
        self._token: str | None = None
        self._token_good_until = 0.0

    def __repr__(self) -> str:
        return f"CommerceClient({self.config.api_url!r}, client_id={self.config.client_id!r})"

    def close(self) -> None:
        self._http.close()

    # --- the API -------------------------------------------------------------------------

    def changed_statuses(
        self, since: datetime, until: datetime, more_sequence: str | None, limit: int
    ) -> ChangePage:
        params: dict[str, Any] = {
            "lastChangedFrom": api_time(since),
            "lastChangedTo": api_time(until),
            "limitCount": min(limit, MAX_DETAIL_BATCH),
        }
        if more_sequence:
            params["moreSequence"] = more_sequence
        data = self._call("GET", CHANGES_PATH, params=params) or {}
        changes = data.get("lastChangeStatuses") or []
        more = data.get("more") or {}
        more_from = more.get("moreFrom")
        return ChangePage(
            product_order_ids=[str(change["productOrderId"]) for change in changes],
            more_from=to_kst(datetime.fromisoformat(more_from)) if more_from else None,
            more_sequence=more.get("moreSequence") if more_from else None,
        )

    def product_orders(self, product_order_ids: Iterable[str]) -> list[dict[str, Any]]:
        """The product orders' details, as the API returns them, in batches of at most 300."""
        found: list[dict[str, Any]] = []
        for batch in batches(product_order_ids):
            found += self._call("POST", DETAILS_PATH, json={"productOrderIds": batch}) or []
        return found

    def product_order_ids(self, order_id: str) -> list[str]:
        """The product-order ids of an order number; [] when the API knows no such order."""
        path = ORDER_IDS_PATH.format(order_id=order_id)
        try:
            data = self._call("GET", path)
        except CommerceApiError as error:
            # The API refusing this number is a miss; a refused token (a wrong secret) is not.
            if error.path == path and error.status in (400, 404):
                return []
            raise
        return [str(product_order_id) for product_order_id in data or []]

    # --- plumbing ------------------------------------------------------------------------

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        """The response's `data`; 429 and 5xx retried with capped exponential backoff + jitter."""
        retrying = Retrying(
            stop=stop_after_attempt(self.attempts),
            wait=wait_random_exponential(
                multiplier=self.settings.backoff_initial_seconds,
                max=self.settings.backoff_max_seconds,
            ),
            retry=retry_if_exception(_retryable),
            sleep=self._sleep,
            reraise=True,
        )
        body = retrying(self._authorized, method, path, **kwargs)
        return body.get("data") if isinstance(body, dict) else body

    def _authorized(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._send(method, path, self._bearer(), **kwargs)
        if response.status_code == 401:  # expired or revoked early: one new token, once
            self._forget_token()
            response = self._send(method, path, self._bearer(), **kwargs)
        return self._checked(response, path)

    def _send(self, method: str, path: str, token: str, **kwargs: Any) -> httpx.Response:
        try:
            return self._http.request(
                method, path, headers={"Authorization": f"Bearer {token}"}, **kwargs
            )
        except httpx.TransportError as error:
            raise CommerceUnreachable(
                f"Commerce API {path}: {type(error).__name__} ({self.config.api_url})"
            ) from None

    def _bearer(self) -> str:
        with self._lock:
            if self._token is None or self._monotonic() >= self._token_good_until:
                self._token, lifetime = self._new_token()
                margin = min(self.settings.token_refresh_margin_seconds, lifetime / 2)
                self._token_good_until = self._monotonic() + lifetime - margin
            return self._token

    def _forget_token(self) -> None:
        with self._lock:
            self._token = None

    def _new_token(self) -> tuple[str, float]:
        timestamp = int(time.time() * 1000)
        form = {
            "client_id": self.config.client_id,
            "timestamp": str(timestamp),
            "grant_type": "client_credentials",
            "client_secret_sign": client_secret_sign(
                self.config.client_id, self.config.client_secret, timestamp
            ),
            "type": "SELF",
        }
        try:
            response = self._http.post(TOKEN_PATH, data=form)
        except httpx.TransportError as error:
            raise CommerceUnreachable(
                f"Commerce API {TOKEN_PATH}: {type(error).__name__} ({self.config.api_url})"
            ) from None
        body = self._checked(response, TOKEN_PATH)
        try:
            lifetime = float(body.get("expires_in") or TOKEN_LIFETIME_SECONDS)
            return str(body["access_token"]), lifetime
        except (AttributeError, KeyError, TypeError, ValueError):
            raise CommerceError(
                f"Commerce API {TOKEN_PATH}: no access_token in the answer"
            ) from None

    def _checked(self, response: httpx.Response, path: str) -> Any:
        if response.is_success:
            try:
                return response.json()
            except ValueError:
                raise CommerceApiError(
                    path, response.status_code, "INVALID_JSON", "the answer is not JSON"
                ) from None
        try:
            body = response.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        code = str(body.get("code") or body.get("error") or "HTTP_ERROR")
        message = str(
            body.get("message") or body.get("error_description") or response.reason_phrase
        )
        raise CommerceApiError(path, response.status_code, code, self._scrub(message)[:300])

    def _scrub(self, text: str) -> str:
        """Whatever a server echoes back, the secret is not printed."""
        return text.replace(self.config.client_secret, "***") if self.config.client_secret else text
