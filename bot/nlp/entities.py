"""The pipeline's entity component: `doc.ents` from the rules in bot/nlp/patterns.py.

Rasa's SpacyEntityExtractor reads `doc.ents`; the pipeline's config.cfg names this
component's factory, `ko_kiwi_entities`.
"""

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from bot.nlp.patterns import find_entities


class EntityFinder:
    """Sets `doc.ents` from `find_entities`, snapping spans outwards to token edges.

    With `placeholder_lemmas`, the tokens of an entity get the lemma `__<label>__`:
    every order number in real use is unseen in training, so the intent classifier
    (which reads lemmas) should learn "an order number" rather than its digits.
    """

    def __init__(self, placeholder_lemmas: bool = True):
        self.placeholder_lemmas = placeholder_lemmas

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for found in find_entities(doc.text):
            span = doc.char_span(found.start, found.end, found.label, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.ents = filter_spans(spans)
        if self.placeholder_lemmas:
            for span in doc.ents:
                for token in span:
                    if not token.is_space:
                        token.lemma_ = f"__{span.label_}__"
        return doc


@Language.factory("ko_kiwi_entities", default_config={"placeholder_lemmas": True})
def make_entity_finder(nlp: Language, name: str, placeholder_lemmas: bool) -> EntityFinder:
    return EntityFinder(placeholder_lemmas)
