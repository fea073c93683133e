"""A spaCy tokenizer for Korean backed by Kiwi (kiwipiepy).

Shaped like spaCy's own `spacy.ko.KoreanTokenizer`: a registered function returns a
factory, the tokenizer builds a `Doc` from surface slices plus `spaces`, then sets
`tag_`, `pos` and `lemma_`. Named in a pipeline's config.cfg as
`@tokenizers = "ko_kiwi.KiwiTokenizer"` and found through the `spacy_tokenizers`
entry point, so `spacy.load` needs no import from us.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from functools import cache

from spacy.lang.ko.tag_map import TAG_MAP
from spacy.symbols import POS, SPACE, X
from spacy.tokens import Doc
from spacy.util import DummyTokenizer, registry
from spacy.vocab import Vocab

# The pipeline's entity component lives next door; importing it here registers its
# factory whenever the tokenizer is loaded through the entry point.
from bot.nlp import entities as _entities  # noqa: F401

# Kiwi tags of predicate stems whose dictionary form ends in 다 (하 -> 하다).
_PREDICATE_TAGS = ("VV", "VA", "VX", "VCP", "VCN", "XSV", "XSA")
_GAP_PIECES = re.compile(r"\s+|\S+")


@cache
def get_kiwi():
    """One Kiwi per process: loading the model takes about a second."""
    from kiwipiepy import Kiwi

    # num_workers=0: analyse in the calling thread, no pool competing with TensorFlow.
    # kiwipiepy warns that 0 meant "all cores" before v0.21; we mean the new meaning.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return Kiwi(num_workers=0)


@dataclass
class Morph:
    start: int
    end: int
    lemma: str
    tag: str


@registry.tokenizers("ko_kiwi.KiwiTokenizer")
def create_kiwi_tokenizer(typos: str = ""):
    def kiwi_tokenizer_factory(nlp):
        return KiwiTokenizer(nlp.vocab, typos=typos)

    return kiwi_tokenizer_factory


class KiwiTokenizer(DummyTokenizer):
    def __init__(self, vocab: Vocab, typos: str = ""):
        self.vocab = vocab
        # "" = off; otherwise a kiwipiepy typo set, e.g. "basic_with_continual".
        self.typos = typos

    def __reduce__(self):
        return KiwiTokenizer, (self.vocab, self.typos)

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        morphs: list[Morph] = []

        def add_gap(start: int, end: int) -> None:
            # Whatever Kiwi left out (whitespace, rarely a symbol) still becomes tokens,
            # so that no character of the text is lost.
            for piece in _GAP_PIECES.finditer(text, start, end):
                begin, chunk = piece.start(), piece.group()
                if chunk.startswith(" ") and words and not spaces[-1] and not words[-1].isspace():
                    spaces[-1] = True
                    begin, chunk = begin + 1, chunk[1:]
                if chunk:
                    words.append(chunk)
                    spaces.append(False)
                    tag = "_SP" if chunk.isspace() else "SW"
                    morphs.append(Morph(begin, begin + len(chunk), chunk, tag))

        pos = 0
        for morph in self.morphs(text):
            add_gap(pos, morph.start)
            words.append(text[morph.start : morph.end])
            spaces.append(False)
            morphs.append(morph)
            pos = morph.end
        add_gap(pos, len(text))
        doc = Doc(self.vocab, words=words, spaces=spaces)
        for token, morph in zip(doc, morphs, strict=True):
            token.tag_ = morph.tag
            first_tag = morph.tag.partition("+")[0].partition("-")[0]
            token.pos = SPACE if first_tag == "_SP" else TAG_MAP.get(first_tag, {POS: X})[POS]
            token.lemma_ = morph.lemma
        return doc

    def morphs(self, text: str) -> list[Morph]:
        """Kiwi morphemes turned into non-overlapping surface spans.

        Kiwi reports contracted morphemes on shared characters (됐 = 되 + 었, 인데 =
        이 + ㄴ데); such a group becomes one token whose lemma is its first morpheme's
        dictionary form and whose tag joins the group's tags with "+". Adjacent digit
        spans are joined so that a number is never split.
        """
        merged: list[Morph] = []
        pending: Morph | None = None  # a zero-width morpheme (거예요: 이/VCP) waits for the next
        for tok in get_kiwi().tokenize(text, typos=self.typos or None):
            start, end = tok.start, tok.start + tok.len
            morph = Morph(start, end, _lemma(tok.form, tok.tag), tok.tag)
            if start == end:
                pending = pending or morph
                continue
            if pending is not None:
                morph.lemma, morph.tag = pending.lemma, f"{pending.tag}+{morph.tag}"
                pending = None
            last = merged[-1] if merged else None
            overlaps = last is not None and start < last.end
            digits = (
                last is not None
                and start == last.end
                and text[start : start + 1].isdigit()
                and text[last.end - 1 : last.end].isdigit()
            )
            if last is not None and (overlaps or digits):
                last.end = max(last.end, end)
                last.tag = f"{last.tag}+{morph.tag}"
                if digits:
                    last.lemma = text[last.start : last.end]
            else:
                merged.append(morph)
        if pending is not None and merged:
            merged[-1].tag += f"+{pending.tag}"
        return merged


def _lemma(form: str, tag: str) -> str:
    """The dictionary form: predicate stems get 다 (싶 -> 싶다), the rest stay as analysed."""
    if tag.partition("-")[0] in _PREDICATE_TAGS:
        return form + "다"
    return form
