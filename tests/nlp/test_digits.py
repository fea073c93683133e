"""bot/nlp/digits.py: compatibility digits become ASCII; other scripts' digits do not."""

from __future__ import annotations

from bot.nlp.digits import ascii_digits, fold_digits


def test_full_width_digits_fold_one_for_one():
    assert fold_digits("끝자리 ３１０５요") == "끝자리 3105요"
    assert len(fold_digits("３１０５")) == 4


def test_other_scripts_and_letters_stay():
    assert fold_digits("٣١٠٥ ㅋㅋ ＡＢ") == "٣١٠٥ ㅋㅋ ＡＢ"


def test_ascii_digits_take_only_0_to_9_after_nfkc():
    assert ascii_digits("２０２６-1125 ①") == "202611251"
    assert ascii_digits("٢٠٢٦") == ""
    assert ascii_digits(["3105", "x"]) == "3105"
    assert ascii_digits(None) == "" and ascii_digits([]) == ""
