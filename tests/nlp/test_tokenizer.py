from __future__ import annotations

import pickle

import pytest
from spacy.util import registry
from spacy.vocab import Vocab

from bot.nlp.tokenizer import KiwiTokenizer, create_kiwi_tokenizer

MIXED = [
    "주문번호 2026112500000001 취소 거부됐어요ㅠㅠ 왜요?? 😡",
    "  CJ대한통운  송장 512345678901\n뒷자리 5678이요\t👍",
    "iPhone15 케이스 반품할래요ㅋㅋㅋ~~ 🙏🙏",
    "그런거예요? 2026-1125-0000-0001 요",
    "",
    "   ",
    "ㅎㅇ",
]


@pytest.fixture(scope="module")
def tokenizer():
    return KiwiTokenizer(Vocab())


@pytest.mark.parametrize("text", MIXED)
def test_no_character_is_lost_and_offsets_are_exact(tokenizer, text):
    doc = tokenizer(text)
    assert "".join(token.text_with_ws for token in doc) == text
    for token in doc:
        assert token.text
        assert text[token.idx : token.idx + len(token.text)] == token.text


def test_emoji_latin_digits_and_jamo_are_tokens(tokenizer):
    texts = [t.text for t in tokenizer("취소좀요ㅠㅠ 😡 CJ 2026112500000001 ok")]
    for expected in ("ㅠㅠ", "😡", "CJ", "2026112500000001", "ok"):
        assert expected in texts


@pytest.mark.parametrize("digits", ["2026112500000001", "512345678901", "12345678901234567890"])
def test_digit_runs_stay_whole(tokenizer, digits):
    assert digits in [t.text for t in tokenizer(f"번호는{digits}이에요")]


def test_spaces_follow_the_text(tokenizer):
    doc = tokenizer("취소  해주세요")
    assert [t.text for t in doc][:2] == ["취소", " "]
    assert doc[0].whitespace_ == " "
    assert doc[1].tag_ == "_SP"


def test_lemmas_are_dictionary_forms(tokenizer):
    lemmas = [t.lemma_ for t in tokenizer("취소했어요 반품하고 싶어요 됐나요")]
    for expected in ("취소", "하다", "싶다", "되다"):
        assert expected in lemmas


def test_contractions_become_one_token_with_joined_tags(tokenizer):
    doc = tokenizer("거부됐어요")
    assert [t.text for t in doc] == ["거부", "됐", "어요"]
    assert doc[1].tag_ == "XSV+EP"
    assert doc[1].lemma_ == "되다"


def test_tags_and_pos_are_set(tokenizer):
    doc = tokenizer("반품 2026 😡")
    assert [t.tag_ for t in doc] == ["NNG", "SN", "W_EMOJI"]
    assert [t.pos_ for t in doc] == ["NOUN", "NUM", "X"]


def test_zero_width_morphemes_join_the_next_token(tokenizer):
    doc = tokenizer("거예요")
    assert [t.text for t in doc] == ["거", "예요"]
    assert doc[1].lemma_ == "이다"


def test_typo_correction_changes_lemmas_not_text():
    vocab = Vocab()
    text = "거부됫어요"
    plain = KiwiTokenizer(vocab)(text)
    corrected = KiwiTokenizer(vocab, typos="basic")(text)
    assert corrected.text == plain.text == text
    assert "되다" in [t.lemma_ for t in corrected]
    assert "되다" not in [t.lemma_ for t in plain]


def test_pickle_round_trip(tokenizer):
    restored = pickle.loads(pickle.dumps(tokenizer))
    assert isinstance(restored, KiwiTokenizer)
    assert [t.text for t in restored("취소했어요")] == [t.text for t in tokenizer("취소했어요")]


def test_pickled_pipeline_keeps_its_tokenizer(nlp):
    restored = pickle.loads(pickle.dumps(nlp))
    assert isinstance(restored.tokenizer, KiwiTokenizer)
    assert [t.lemma_ for t in restored("반품했어요")] == ["반품", "하다", "어요"]


def test_registry_finds_the_tokenizer_through_the_entry_point():
    assert registry.tokenizers.get("ko_kiwi.KiwiTokenizer") is create_kiwi_tokenizer
    assert "ko_kiwi.KiwiTokenizer" in registry.tokenizers.get_entry_points()
