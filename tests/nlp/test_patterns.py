from __future__ import annotations

import pytest

from bot.nlp.patterns import find_entities


def found(text: str) -> list[tuple[str, str]]:
    return [(text[f.start : f.end], f.label) for f in find_entities(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("주문번호 2026112500000001 취소요", "2026112500000001"),
        ("2026 1125 0000 0001", "2026 1125 0000 0001"),
        ("2026-1125-0000-0001이요", "2026-1125-0000-0001"),
        ("번호는20261125 00000001입니다", "20261125 00000001"),
    ],
)
def test_order_ids_typed_whole_or_in_groups(text, expected):
    assert found(text) == [(expected, "order_id")]


@pytest.mark.parametrize(
    "text",
    [
        "202611250000001",  # 15 digits
        "20261125000000012",  # 17 digits
        "2026 1125 0000 001",  # 15 in groups
        "2026 1125 0000 0001 2",  # 17 in groups
        "2026-1125-0000-00012",
        "A2026112500000001",
    ],
)
def test_no_order_id_in_longer_or_shorter_runs(text):
    assert "order_id" not in [label for _, label in found(text)]


def test_order_id_then_phone_digits():
    assert found("2026112500000001 5678") == [
        ("2026112500000001", "order_id"),
        ("5678", "phone_last4"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("송장번호 512345678901 인데요", "512345678901"),
        ("5123-4567-8901 조회가 안돼요", "5123-4567-8901"),
        ("운송장 123456789", "123456789"),
        ("6012345678901 우체국", "6012345678901"),
    ],
)
def test_tracking_numbers(text, expected):
    assert (expected, "tracking_number") in found(text)


@pytest.mark.parametrize("text", ["12345678", "123456789012345", "2026112500000001", "1234"])
def test_not_tracking_numbers(text):
    assert "tracking_number" not in [label for _, label in found(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5678", "5678"),
        ("뒷자리 1234요", "1234"),
        ("뒷자리1234이에요", "1234"),
        ("010-1234-5678 이요", "010-1234-5678"),
        ("010 1234 5678", "010 1234 5678"),
    ],
)
def test_phone_digits(text, expected):
    assert found(text) == [(expected, "phone_last4")]


@pytest.mark.parametrize(
    "text",
    ["2026년 11월 25일", "2026 년", "1234원이요", "12345", "123", "1234 5678", "3.1234", "10,000"],
)
def test_not_phone_digits(text):
    assert "phone_last4" not in [label for _, label in found(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CJ대한통운으로 왔어요", "CJ대한통운"),
        ("cj 대한통운", "cj 대한통운"),
        ("롯데택배 송장이요", "롯데택배"),
        ("한진이요", "한진"),
        ("우체국 택배로 보냈대요", "우체국"),  # the name only, as annotators mark it
        ("우체국택배로 보냈대요", "우체국택배"),
        ("대신 택배요", "대신 택배"),
        ("GS25 반값택배", "GS25 반값택배"),
        ("CU편의점택배", "CU편의점택배"),
        ("대신택배", "대신택배"),
        ("로젠", "로젠"),
    ],
)
def test_carriers(text, expected):
    assert found(text) == [(expected, "carrier")]


@pytest.mark.parametrize(
    "text",
    [
        "대신 반품할게요",
        "롯데마트에서 샀어요",
        "CUT",
        "호남 지방",
        "CJ ONE 포인트",
        "우체국에 가서 보낼게요",
    ],
)
def test_not_carriers(text):
    assert found(text) == []
