from __future__ import annotations

import sys

import pytest

from bot.nlp.normalize import normalize_carrier, normalize_order_id, normalize_phone_last4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026112500000001", "2026112500000001"),
        ("2026-1125-0000-0001", "2026112500000001"),
        (" 2026 1125 0000 0001 ", "2026112500000001"),
        ("주문번호는 2026112500000001 이고 뒷자리 5678", "2026112500000001"),
        ("202611250000001", None),
        ("20261125000000012", None),
        ("", None),
    ],
)
def test_normalize_order_id(text, expected):
    assert normalize_order_id(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5678", "5678"),
        ("뒷자리 1234요", "1234"),
        ("010-1234-5678", "5678"),
        ("01098765432", "5432"),
        ("2026년", None),
        ("12345", None),
        ("없어요", None),
    ],
)
def test_normalize_phone_last4(text, expected):
    assert normalize_phone_last4(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CJ대한통운", "CJGLS"),
        ("cj 대한통운", "CJGLS"),
        ("씨제이", "CJGLS"),
        ("롯데", "HYUNDAI"),
        ("롯데 택배로 왔어요", "HYUNDAI"),
        ("hanjin", "HANJIN"),
        ("로젠택배", "KGB"),
        ("우체국", "EPOST"),
        ("GS반값택배", "CVSNET"),
        ("CU 편의점 택배", "CUPARCEL"),
        ("경동", "KDEXP"),
        ("대신택배", "DAESIN"),
        ("일양로지스", "ILYANG"),
        ("천일택배", "CHUNIL"),
        ("호남택배", "HONAM"),
        ("건영택배", "KUNYOUNG"),
        ("CJGLS", "CJGLS"),
        ("대신", None),
        ("쿠팡", None),
    ],
)
def test_normalize_carrier(text, expected):
    assert normalize_carrier(text) == expected


def test_normalize_needs_no_spacy():
    # The action server imports these; spaCy (and TensorFlow through thinc) must stay out.
    import subprocess

    code = "import sys, bot.nlp.normalize; print('spacy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False"
