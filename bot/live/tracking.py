"""The carrier's own scans, from a self-hosted delivery-tracker (GraphQL, DELIVERY_TRACKER_URL).

An order's data may lack the carrier's first pickup scan (`pickupDate`) or the delivery; the
carrier's tracking page has them. `carrier_scans` reduces the carrier's events to what the
answers need (pure); `DeliveryTracker` asks the server, caches per invoice and gives up
quietly (timeout, unknown carrier, unknown invoice): the answer then rests on the order data
and says so (Source).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

import httpx

from bot.clock import to_kst
from bot.orders.model import Delivery, DeliveryStatus, ProductOrderRecord
from bot.settings import LiveSettings

logger = logging.getLogger(__name__)

# Naver deliveryCompany code -> delivery-tracker carrier id (../shared/domain/smartstore.md §1).
CARRIER_IDS: dict[str, str] = {
    "CJGLS": "kr.cjlogistics",
    "HYUNDAI": "kr.lotte",  # 롯데택배 keeps the old 현대택배 code
    "HANJIN": "kr.hanjin",
    "KGB": "kr.logen",  # 로젠택배 keeps the old KGB code
    "EPOST": "kr.epost",
    "CVSNET": "kr.cvsnet",
    "CUPARCEL": "kr.cupost",
    "KDEXP": "kr.kdexp",
    "DAESIN": "kr.daesin",
    "ILYANG": "kr.ilyanglogis",
    "CHUNIL": "kr.chunilps",
    "HONAM": "kr.honamlogis",
    "KUNYOUNG": "kr.kunyoung",
}

EVENT = "time status { code name } description"
# `events(first: ...)`: the earliest scans are the ones that decide a refusal; lastEvent is
# the latest state even when a long history does not fit in the first page.
TRACK_QUERY = (
    "query Track($carrierId: ID!, $trackingNumber: String!) { "
    "track(carrierId: $carrierId, trackingNumber: $trackingNumber) { "
    f"lastEvent {{ {EVENT} }} events(first: 50) {{ edges {{ node {{ {EVENT} }} }} }} }} }}"
)

# Entries that are not the parcel in the carrier's hands: the seller's data arriving, or noise.
NOT_A_SCAN = frozenset({"INFORMATION_RECEIVED", "UNKNOWN"})
ON_THE_WAY = frozenset(
    {"AT_PICKUP", "IN_TRANSIT", "OUT_FOR_DELIVERY", "ATTEMPT_FAIL", "AVAILABLE_FOR_PICKUP"}
)
BEFORE_THE_CARRIER = frozenset(
    {None, DeliveryStatus.COLLECT_REQUEST, DeliveryStatus.COLLECT_WAIT, DeliveryStatus.NOT_TRACKING}
)


class Source(str, Enum):
    """Where an answer's scan times come from."""

    CARRIER = "carrier"  # 택배사 조회 기준
    ORDER = "order"  # 주문 정보 기준


@dataclass(frozen=True)
class ScanEvent:
    time: datetime
    status: str


@dataclass(frozen=True)
class CarrierScans:
    first_scan_at: datetime | None  # the first event of the parcel in the carrier's hands
    latest_status: str | None
    latest_at: datetime | None
    delivered_at: datetime | None


def carrier_scans(events: Iterable[ScanEvent]) -> CarrierScans:
    """The first meaningful scan and the latest state, whatever order the carrier lists them in.

    The first scan is the earliest event that is not INFORMATION_RECEIVED / UNKNOWN, not the
    first AT_PICKUP: some carriers never report AT_PICKUP (Logen's 집하완료 arrives as
    IN_TRANSIT), and their first IN_TRANSIT is the pickup.
    """
    scans = sorted((e for e in events if e.status not in NOT_A_SCAN), key=lambda e: e.time)
    if not scans:
        return CarrierScans(None, None, None, None)
    delivered = [e.time for e in scans if e.status == "DELIVERED"]
    return CarrierScans(
        first_scan_at=scans[0].time,
        latest_status=scans[-1].status,
        latest_at=scans[-1].time,
        delivered_at=delivered[0] if delivered else None,
    )


def with_scans(record: ProductOrderRecord, scans: CarrierScans) -> tuple[ProductOrderRecord, bool]:
    """The record with what its delivery lacks filled from the carrier; whether anything was."""
    delivery = record.delivery
    if delivery is None:
        return record, False
    filled: dict[str, Any] = {}
    if delivery.pickupDate is None and scans.first_scan_at is not None:
        filled["pickupDate"] = scans.first_scan_at
    if delivery.deliveredDate is None and scans.delivered_at is not None:
        filled["deliveredDate"] = scans.delivered_at
    if delivery.deliveryStatus in BEFORE_THE_CARRIER:
        if scans.latest_status == "DELIVERED":
            filled["deliveryStatus"] = DeliveryStatus.DELIVERY_COMPLETION
        elif scans.latest_status in ON_THE_WAY:
            filled["deliveryStatus"] = DeliveryStatus.DELIVERING
    if not filled:
        return record, False
    updated = Delivery.parse_obj({**delivery.dict(), **filled})
    return record.copy(update={"delivery": updated}), True


def needs_scans(record: ProductOrderRecord) -> bool:
    """An invoice whose first scan or delivery the order data does not show yet."""
    delivery = record.delivery
    return (
        delivery is not None
        and bool(delivery.trackingNumber)
        and (delivery.pickupDate is None or delivery.deliveredDate is None)
    )


def _events(track: dict[str, Any]) -> list[ScanEvent]:
    nodes = [edge.get("node") for edge in (track.get("events") or {}).get("edges") or []]
    nodes.append(track.get("lastEvent"))
    found = []
    for node in nodes:
        if not node or not node.get("time"):
            continue
        status = ((node.get("status") or {}).get("code")) or "UNKNOWN"
        found.append(ScanEvent(to_kst(datetime.fromisoformat(node["time"])), status))
    return found


class DeliveryTracker:
    """track(carrierId, trackingNumber) against one delivery-tracker server, cached per invoice."""

    def __init__(
        self,
        url: str,
        settings: LiveSettings,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self.settings = settings
        self._monotonic = monotonic
        self._http = httpx.Client(timeout=settings.tracker_timeout_seconds)
        self._cache: dict[tuple[str, str], tuple[float, CarrierScans | None]] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        self._http.close()

    def track(self, carrier_id: str, tracking_number: str) -> CarrierScans | None:
        """The invoice's scans; None when the tracker cannot say (then use the order data)."""
        key = (carrier_id, tracking_number)
        now = self._monotonic()
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None and cached[0] > now:
            return cached[1]
        found = self._ask(carrier_id, tracking_number)
        # A failure is asked again sooner than an answer: the carrier may be back in a minute.
        keep = self.settings.tracker_cache_seconds if found else min(
            60.0, self.settings.tracker_cache_seconds
        )
        with self._lock:
            self._cache[key] = (now + keep, found)
        return found

    def _ask(self, carrier_id: str, tracking_number: str) -> CarrierScans | None:
        variables = {"carrierId": carrier_id, "trackingNumber": tracking_number}
        try:
            response = self._http.post(
                self.url, json={"query": TRACK_QUERY, "variables": variables}
            )
            response.raise_for_status()
            track = (response.json().get("data") or {}).get("track")
        except (httpx.HTTPError, ValueError, AttributeError) as error:
            logger.warning("delivery-tracker %s: %s", carrier_id, type(error).__name__)
            return None
        if not track:
            return None  # unknown carrier or invoice: the errors say which; either way, no scans
        return carrier_scans(_events(track))


def tracker_from_env(settings: LiveSettings) -> DeliveryTracker | None:
    url = os.environ.get("DELIVERY_TRACKER_URL", "").strip()
    return DeliveryTracker(url, settings) if url else None


def scans_for(
    record: ProductOrderRecord, tracker: DeliveryTracker
) -> tuple[ProductOrderRecord, Source | None]:
    """The record completed from the carrier's scans, and the source of its scan times.

    None when there is no invoice to speak of (nothing to attribute)."""
    delivery = record.delivery
    if delivery is None or not delivery.trackingNumber:
        return record, None
    if not needs_scans(record):
        return record, Source.ORDER
    carrier_id = CARRIER_IDS.get(delivery.deliveryCompany or "")
    if carrier_id is None:
        return record, Source.ORDER  # a carrier the tracker does not know: the order data
    scans = tracker.track(carrier_id, delivery.trackingNumber)
    if scans is None:
        return record, Source.ORDER
    completed, changed = with_scans(record, scans)
    return completed, Source.CARRIER if changed else Source.ORDER
