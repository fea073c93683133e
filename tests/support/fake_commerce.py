"""A fake Naver Commerce API and a fake delivery-tracker: real HTTP servers on loopback.

They implement the request and response shapes of ../shared/domain/smartstore.md §1 and §4
and check what a client sends: the token request's bcrypt signature against the secret,
a bearer token on every other call, the change feed's parameters, at most 300 ids per detail
query. Every request is recorded (`requests`) for tests to assert on; `fail_next` makes the
next calls to a path fail (429 GW.RATE_LIMIT, 500, ...).

    with FakeCommerceApi() as api:        # api.url, api.client_id, api.client_secret
        api.add(document, changed_at)
"""

from __future__ import annotations

import base64
import bisect
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import bcrypt

PREFIX = "/external"
MAX_IDS = 300
MAX_WINDOW_SECONDS = 24 * 3600
TIMESTAMP_SKEW_MS = 5 * 60 * 1000


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    status: int = 0


class _Server(ThreadingHTTPServer):
    daemon_threads = True


class _Handler(BaseHTTPRequestHandler):
    fake: Any  # set on a subclass per server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _reply(self, status: int, body: Any) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def _handle(self, method: str) -> None:
        parts = urlsplit(self.path)
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        raw = self._body()
        status, body = self.fake.handle(method, parts.path, query, raw, self.headers)
        if status == 0:  # the fake chose not to answer in time
            return
        self._reply(status, body)


class _FakeServer:
    def __init__(self) -> None:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = _Server(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self.lock = threading.Lock()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()


def _error(code: str, message: str) -> dict[str, Any]:
    return {"code": code, "message": message, "timestamp": _now_text(), "traceId": "fake"}


def _now_text() -> str:
    return datetime.now().astimezone().isoformat(timespec="milliseconds")


@dataclass
class _Change:
    changed_at: datetime
    product_order_id: str
    order_id: str


@dataclass
class FakeCommerceApi(_FakeServer):
    client_id: str = "fake-client"
    client_secret: str = field(default_factory=lambda: bcrypt.gensalt(rounds=4).decode())
    token_lifetime: int = 10800

    def __post_init__(self) -> None:
        super().__init__()
        self.documents: dict[str, Any] = {}  # productOrderId -> API document (with PII)
        self.changes: list[_Change] = []
        self.tokens: set[str] = set()
        self.tokens_issued = 0
        self.requests: list[Recorded] = []
        self._failures: list[tuple[str, int, str]] = []  # (path suffix, status, code)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{PREFIX}"

    # --- set-up ---------------------------------------------------------------------------

    def add(self, document: dict[str, Any], changed_at: datetime | None = None) -> None:
        """A product order the store holds; with `changed_at`, also a change-feed entry."""
        self.add_many([(document, changed_at)])

    def add_many(self, entries: list[tuple[dict[str, Any], datetime | None]]) -> None:
        with self.lock:
            for document, changed_at in entries:
                product_order_id = str(document["productOrder"]["productOrderId"])
                self.documents[product_order_id] = document
                if changed_at is not None:
                    order_id = str((document.get("order") or {}).get("orderId"))
                    self.changes.append(_Change(changed_at, product_order_id, order_id))
            self.changes.sort(key=lambda c: (c.changed_at, c.product_order_id))

    def fail_next(self, path_suffix: str, status: int, code: str, times: int = 1) -> None:
        with self.lock:
            self._failures += [(path_suffix, status, code)] * times

    def revoke_tokens(self) -> None:
        """Every issued token stops working, as when one expires early on the server."""
        with self.lock:
            self.tokens.clear()

    def calls(self, path_suffix: str) -> list[Recorded]:
        return [r for r in self.requests if r.path.endswith(path_suffix)]

    # --- the API --------------------------------------------------------------------------

    def handle(self, method, path, query, raw, headers) -> tuple[int, Any]:
        body: Any = raw.decode() if raw else None
        if headers.get("Content-Type", "").startswith("application/json") and raw:
            body = json.loads(raw)
        record = Recorded(method, path, query, body)
        with self.lock:
            self.requests.append(record)
            failure = next((f for f in self._failures if path.endswith(f[0])), None)
            if failure is not None:
                self._failures.remove(failure)
        if failure is not None:
            record.status = failure[1]
            return failure[1], _error(failure[2], "injected failure")
        status, answer = self._route(method, path, query, raw, headers)
        record.status = status
        return status, answer

    def _route(self, method, path, query, raw, headers) -> tuple[int, Any]:
        if not path.startswith(PREFIX):
            return 404, _error("NOT_FOUND", path)
        path = path.removeprefix(PREFIX)
        if method == "POST" and path == "/v1/oauth2/token":
            return self._token(raw, headers)
        token = headers.get("Authorization", "").removeprefix("Bearer ")
        with self.lock:
            if token not in self.tokens:
                return 401, _error("GW.AUTHN", "invalid or expired access token")
        if method == "GET" and path == "/v1/pay-order/seller/product-orders/last-changed-statuses":
            return self._changes(query)
        if method == "POST" and path == "/v1/pay-order/seller/product-orders/query":
            return self._details(json.loads(raw or b"{}"))
        prefix, suffix = "/v1/pay-order/seller/orders/", "/product-order-ids"
        if method == "GET" and path.startswith(prefix) and path.endswith(suffix):
            order_id = path.removeprefix(prefix).removesuffix(suffix)
            with self.lock:
                ids = sorted(
                    pid for pid, doc in self.documents.items()
                    if str(doc.get("order", {}).get("orderId")) == order_id
                )
            return 200, {"timestamp": _now_text(), "data": ids}
        return 404, _error("NOT_FOUND", path)

    def _token(self, raw: bytes, headers) -> tuple[int, Any]:
        if not headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
            return 400, _error("BAD_REQUEST", "form body expected")
        form = {key: values[-1] for key, values in parse_qs(raw.decode()).items()}
        if form.get("grant_type") != "client_credentials" or form.get("type") != "SELF":
            return 400, _error("BAD_REQUEST", "grant_type / type")
        if form.get("client_id") != self.client_id:
            return 400, _error("INVALID_CLIENT", "unknown client_id")
        timestamp = form.get("timestamp", "")
        if not timestamp.isdigit() or abs(int(timestamp) - time.time() * 1000) > TIMESTAMP_SKEW_MS:
            return 400, _error("INVALID_TIMESTAMP", "timestamp out of range")
        try:
            hashed = base64.standard_b64decode(form.get("client_secret_sign", ""))
            good = hashed.startswith(self.client_secret.encode()) and bcrypt.checkpw(
                f"{self.client_id}_{timestamp}".encode(), hashed
            )
        except ValueError:
            good = False
        if not good:
            return 400, _error("INVALID_SIGNATURE", "client_secret_sign does not verify")
        token = secrets.token_urlsafe(16)
        with self.lock:
            self.tokens.add(token)
            self.tokens_issued += 1
        return 200, {"access_token": token, "expires_in": self.token_lifetime,
                     "token_type": "Bearer"}

    def _changes(self, query: dict[str, str]) -> tuple[int, Any]:
        try:
            since = datetime.fromisoformat(query["lastChangedFrom"])
            until = datetime.fromisoformat(query["lastChangedTo"])
            limit = int(query.get("limitCount", MAX_IDS))
        except (KeyError, ValueError):
            return 400, _error("BAD_REQUEST", "lastChangedFrom / lastChangedTo / limitCount")
        if since.tzinfo is None or until.tzinfo is None or not since < until:
            return 400, _error("BAD_REQUEST", "times need an offset and from < to")
        if (until - since).total_seconds() > MAX_WINDOW_SECONDS or not 1 <= limit <= MAX_IDS:
            return 400, _error("BAD_REQUEST", "window over 24 hours or limitCount out of range")
        with self.lock:
            if "moreSequence" in query:
                start = int(query["moreSequence"])
                if start >= len(self.changes) or self.changes[start].changed_at < since:
                    return 400, _error("BAD_REQUEST", "moreSequence before lastChangedFrom")
            else:
                start = bisect.bisect_left(self.changes, since, key=lambda c: c.changed_at)
            in_window = []
            for index in range(start, len(self.changes)):
                change = self.changes[index]
                if change.changed_at > until or len(in_window) > limit:
                    break
                in_window.append((index, change))
        page, rest = in_window[:limit], in_window[limit:]
        data: dict[str, Any] = {
            "lastChangeStatuses": [
                {"orderId": c.order_id, "productOrderId": c.product_order_id,
                 "lastChangedDate": c.changed_at.isoformat(timespec="milliseconds"),
                 "lastChangedType": "DISPATCHED"}
                for _, c in page
            ],
            "count": len(page),
        }
        if rest:
            index, change = rest[0]
            data["more"] = {"moreFrom": change.changed_at.isoformat(timespec="milliseconds"),
                            "moreSequence": str(index)}
        return 200, {"timestamp": _now_text(), "data": data}

    def _details(self, body: dict[str, Any]) -> tuple[int, Any]:
        ids = body.get("productOrderIds")
        if not isinstance(ids, list) or not 1 <= len(ids) <= MAX_IDS:
            return 400, _error("BAD_REQUEST", "productOrderIds: 1 to 300 ids")
        with self.lock:
            found = [self.documents[str(i)] for i in ids if str(i) in self.documents]
        return 200, {"timestamp": _now_text(), "data": found}


@dataclass
class FakeDeliveryTracker(_FakeServer):
    """POST /graphql with `track(carrierId, trackingNumber)`; events per (carrier, invoice)."""

    delay_seconds: float = 0.0

    def __post_init__(self) -> None:
        super().__init__()
        self.parcels: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.carriers = {"kr.cjlogistics", "kr.lotte", "kr.hanjin", "kr.logen", "kr.epost"}
        self.requests: list[dict[str, Any]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/graphql"

    def add(self, carrier_id: str, tracking_number: str, events: list[tuple[str, str]]) -> None:
        """Events as (ISO time, status code), in the order the carrier lists them."""
        self.parcels[(carrier_id, tracking_number)] = [
            {"time": at, "status": {"code": code, "name": code.lower()}, "description": code}
            for at, code in events
        ]

    def handle(self, method, path, query, raw, headers) -> tuple[int, Any]:
        if method != "POST" or path != "/graphql":
            return 404, {"errors": [{"message": "not found"}]}
        request = json.loads(raw or b"{}")
        self.requests.append(request)
        if self.delay_seconds:
            time.sleep(self.delay_seconds)
        variables = request.get("variables") or {}
        if "track(" not in request.get("query", "") or "events(first:" not in request["query"]:
            return 400, {"errors": [{"message": "expected a track query with events(first:)"}]}
        carrier, number = variables.get("carrierId"), variables.get("trackingNumber")
        if carrier not in self.carriers:
            return 200, {"data": {"track": None}, "errors": [
                {"message": "carrier not found", "extensions": {"code": "NOT_FOUND"}}]}
        events = self.parcels.get((carrier, number))
        if events is None:
            return 200, {"data": {"track": None}, "errors": [
                {"message": "tracking number not found", "extensions": {"code": "NOT_FOUND"}}]}
        return 200, {"data": {"track": {
            # the latest by time, whatever order the carrier lists its events in
            "lastEvent": max(events, key=lambda e: datetime.fromisoformat(e["time"]))
            if events else None,
            "events": {"edges": [{"node": event} for event in events]},
        }}}
