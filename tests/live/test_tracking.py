"""Carrier scans: the pure reduction, and the delivery-tracker adapter against the fake server."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import datetime

import pytest

from bot.clock import KST
from bot.live.tracking import (
    CARRIER_IDS,
    DeliveryTracker,
    ScanEvent,
    Source,
    carrier_scans,
    scans_for,
)
from bot.orders.model import DeliveryStatus
from bot.policy.shipping import RefusalVerdict, refusal_facts
from bot.settings import PolicySettings
from tests.live.conftest import FAST
from tests.support.clock import FIXED_NOW


def at(text: str) -> datetime:
    return datetime.fromisoformat(f"2026-11-{text}:00+09:00")


def test_events_out_of_order_give_the_earliest_scan_and_the_latest_state():
    scans = carrier_scans([
        ScanEvent(at("27T08:10"), "OUT_FOR_DELIVERY"),
        ScanEvent(at("26T09:40"), "AT_PICKUP"),
        ScanEvent(at("26T21:00"), "IN_TRANSIT"),
        ScanEvent(at("25T18:00"), "INFORMATION_RECEIVED"),  # the seller's data, not a scan
    ])
    assert scans.first_scan_at == at("26T09:40")
    assert (scans.latest_status, scans.latest_at) == ("OUT_FOR_DELIVERY", at("27T08:10"))
    assert scans.delivered_at is None


def test_a_carrier_that_never_reports_at_pickup_is_scanned_at_its_first_in_transit():
    scans = carrier_scans([  # Logen: 집하완료 arrives as IN_TRANSIT
        ScanEvent(at("26T19:30"), "IN_TRANSIT"),
        ScanEvent(at("26T11:05"), "IN_TRANSIT"),
        ScanEvent(at("27T13:00"), "DELIVERED"),
        ScanEvent(at("26T10:00"), "UNKNOWN"),
    ])
    assert scans.first_scan_at == at("26T11:05")
    assert scans.delivered_at == at("27T13:00") and scans.latest_status == "DELIVERED"


def test_only_information_received_is_no_scan_yet():
    scans = carrier_scans([ScanEvent(at("26T16:40"), "INFORMATION_RECEIVED")])
    assert scans.first_scan_at is None and scans.latest_status is None


def test_every_naver_code_of_the_reference_maps_to_a_tracker_carrier():
    assert CARRIER_IDS["HYUNDAI"] == "kr.lotte" and CARRIER_IDS["KGB"] == "kr.logen"
    assert "LOTTE" not in CARRIER_IDS and "LOGEN" not in CARRIER_IDS
    assert len(set(CARRIER_IDS.values())) == len(CARRIER_IDS) == 13


@pytest.fixture
def refused(make_record):
    """A refused cancel whose order data has the invoice but no pickup scan yet."""
    return make_record(
        productOrder={"productOrderStatus": "DELIVERING", "claimType": "CANCEL",
                      "claimStatus": "CANCEL_REJECT"},
        delivery={"deliveryCompany": "CJGLS", "trackingNumber": "512345678901",
                  "deliveryStatus": "COLLECT_WAIT", "sendDate": "2026-11-26T16:30:00+09:00"},
        currentClaim={"cancel": {"claimStatus": "CANCEL_REJECT",
                                 "claimRequestDate": "2026-11-26T10:05:00+09:00"}},
    )


@pytest.fixture
def tracker(tracker_server):
    made = DeliveryTracker(tracker_server.url, FAST)
    yield made
    made.close()


def test_the_carrier_scan_fills_the_order_and_decides_the_refusal(refused, tracker_server, tracker):
    tracker_server.add("kr.cjlogistics", "512345678901", [
        ("2026-11-26T21:00:00+09:00", "IN_TRANSIT"),
        ("2026-11-26T09:40:00+09:00", "AT_PICKUP"),
    ])
    assert refusal_facts(refused, FIXED_NOW, PolicySettings()).verdict == RefusalVerdict.NO_SCAN_YET
    completed, source = scans_for(refused, tracker)
    assert source == Source.CARRIER
    assert completed.delivery.pickupDate == datetime(2026, 11, 26, 9, 40, tzinfo=KST)
    assert completed.delivery.deliveryStatus == DeliveryStatus.DELIVERING
    facts = refusal_facts(completed, FIXED_NOW, PolicySettings())
    assert facts.verdict == RefusalVerdict.SCANNED_BEFORE_REQUEST
    sent = tracker_server.requests[0]
    assert sent["variables"] == {"carrierId": "kr.cjlogistics", "trackingNumber": "512345678901"}


def test_an_invoice_is_asked_once_within_the_cache_period(refused, tracker_server):
    tracker_server.add("kr.cjlogistics", "512345678901", [("2026-11-26T09:40:00+09:00",
                                                           "AT_PICKUP")])
    clock = [0.0]
    tracker = DeliveryTracker(tracker_server.url, FAST, monotonic=lambda: clock[0])
    scans_for(refused, tracker)
    clock[0] += FAST.tracker_cache_seconds - 1
    scans_for(refused, tracker)
    assert len(tracker_server.requests) == 1
    clock[0] += 2
    scans_for(refused, tracker)
    assert len(tracker_server.requests) == 2


def test_a_tracker_timeout_falls_back_to_the_order_data(refused, tracker_server, tracker):
    tracker_server.add("kr.cjlogistics", "512345678901", [("2026-11-26T09:40:00+09:00",
                                                           "AT_PICKUP")])
    tracker_server.delay_seconds = FAST.tracker_timeout_seconds + 0.5
    started = time.monotonic()
    completed, source = scans_for(refused, tracker)
    assert time.monotonic() - started < FAST.tracker_timeout_seconds + 0.4
    assert source == Source.ORDER and completed == refused


def test_an_unknown_carrier_is_not_asked_and_the_order_data_stands(make_record, tracker_server,
                                                                  tracker):
    record = make_record(delivery={"deliveryCompany": "SOMECO", "trackingNumber": "1",
                                   "sendDate": "2026-11-26T16:30:00+09:00"})
    assert scans_for(record, tracker) == (record, Source.ORDER)
    assert tracker_server.requests == []


def test_a_carrier_the_tracker_does_not_serve_falls_back_too(make_record, tracker_server, tracker):
    record = make_record(delivery={"deliveryCompany": "CVSNET", "trackingNumber": "77",
                                   "sendDate": "2026-11-26T16:30:00+09:00"})
    assert scans_for(record, tracker) == (record, Source.ORDER)
    assert len(tracker_server.requests) == 1


def test_an_unreachable_tracker_falls_back(refused):
    tracker = DeliveryTracker("http://127.0.0.1:9/graphql", replace(FAST))
    assert scans_for(refused, tracker) == (refused, Source.ORDER)


def test_order_data_with_the_scan_is_not_asked_and_an_order_without_invoice_has_no_source(
    make_record, tracker_server, tracker
):
    scanned = make_record(delivery={"deliveryCompany": "CJGLS", "trackingNumber": "5",
                                    "sendDate": "2026-11-26T16:30:00+09:00",
                                    "pickupDate": "2026-11-26T09:40:00+09:00",
                                    "deliveredDate": "2026-11-27T09:00:00+09:00"})
    assert scans_for(scanned, tracker) == (scanned, Source.ORDER)
    unsent = make_record()
    assert scans_for(unsent, tracker) == (unsent, None)
    assert tracker_server.requests == []
