"""The pipeline's entity component: `doc.ents` from the rules in bot/nlp/patterns.py.

Rasa's SpacyEntityExtractor reads `doc.ents`; the pipeline's config.cfg names this
component's factory, `ko_kiwi_entities`.
"""

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from bot.nlp.patterns import find_entities


class EntityFinder:
    """Sets `doc.ents` from `find_entities`, snapping spans outwards to token edges."""

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for found in find_entities(doc.text):
            span = doc.char_span(found.start, found.end, found.label, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.ents = filter_spans(spans)
        return doc


@Language.factory("ko_kiwi_entities")
def make_entity_finder(nlp: Language, name: str) -> EntityFinder:
    return EntityFinder()
