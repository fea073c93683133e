from __future__ import annotations

import pytest


def ents(nlp, text: str) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in nlp(text).ents]


def test_pipeline_sets_entities_on_the_doc(nlp):
    text = "주문 2026-1125-0000-0001 CJ대한통운 송장 512345678901 뒷자리 5678"
    assert ents(nlp, text) == [
        ("2026-1125-0000-0001", "order_id"),
        ("CJ대한통운", "carrier"),
        ("512345678901", "tracking_number"),
        ("5678", "phone_last4"),
    ]


@pytest.mark.parametrize(
    "text",
    ["번호는 2026 1125 0000 0001 이에요", "2026112500000001이요", "주문번호2026112500000001"],
)
def test_entity_spans_keep_character_offsets(nlp, text):
    doc = nlp(text)
    assert len(doc.ents) == 1
    entity = doc.ents[0]
    assert text[entity.start_char : entity.end_char] == entity.text
    assert entity.text.replace(" ", "").isdigit()


def test_no_entities_in_plain_text(nlp):
    assert ents(nlp, "취소 신청했는데 거부됐어요 2026년 11월에요") == []
