"""Direct quotations, their reporting cues and speakers: the `margin_quotes` component.

Algorithm (works on characters and tokens; uses tags, parse and entities only when present):

1. `quote_marks.find_quoted_pieces` pairs the quotation marks paragraph by paragraph, giving
   content spans; a quote left open at a paragraph end and re-opened by the next paragraph is
   a multi-paragraph quote whose pieces are chained.
2. Each piece looks for its own cue (`quote_cues`): first right after its closing mark in the
   same sentence ("…,” she said" / "…,” said Jane Doe" / "…,” according to X"), then before
   its opening mark in the same sentence ("Jane Doe replied, “…"; "She said that “…").
3. Pieces borrow a cue from their neighbours: the second half of a split quote ("…,” he said.
   “…”) uses the cue between the halves; a paragraph continuing a multi-paragraph quote uses
   the cue of the piece it continues (or of a later piece of the chain).
4. Each piece is judged speech or not: single quoted words, short Title Case names ("Water
   Cube"), short scare quotes modifying a noun ("several “home made” bombs") and fragments
   with neither a cue nor the shape of a quoted sentence are not reported as speech.
5. Speakers are resolved to a canonical name. A pronoun goes to the latest compatible
   candidate (a subject preferred): he/she to people whose gender, when known from titles,
   role words or earlier pronouns, agrees (`quote_coref`); it/they to organisations, groups
   and noun-phrase subjects ("The ministry praised ... “…,” it said"). A name goes to its
   fullest form in the document; a definite description ("the minister", "the company") to
   the named person or organisation it stands for when one carries that title nearby; any
   other description ("a source familiar with the matter") stays as written. A verb
   coordinated right after a quote ("called it “…” and said “…”") shares that quote's
   speaker. A quote with no cue (a paragraph that just continues someone's
   words) takes the subject of the last reporting verb just before it, else the previous
   speaker, else the nearest person named before it.

Results live on the Doc: `doc.spans["margin_quotes"]` (token spans covering the content) with
exact character offsets and the cue/speaker in Span extensions, and the speaker mentions in
`doc.spans["margin_speakers"]`. Quoted strings judged not to be speech are kept in
`doc.spans["margin_quoted_other"]`. `quotes_from_doc` turns these into `Quote` records.
"""

from __future__ import annotations

from bisect import bisect_left  # noqa: F401  (re-exported: quotes.py offered every name it imported)
from dataclasses import dataclass  # noqa: F401

from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span

from tui.core.analysis import speaker_ranker  # noqa: F401
from tui.core.analysis.entity_names import (  # noqa: F401
    NameMention,
    is_name_token,
    link_canonical_names,
)
from tui.core.analysis.lexicon import (  # noqa: F401  (word lists live in the lexicon)
    ABBREVIATIONS,
    ANONYMOUS_NOUNS,
    DESCRIPTION_OPENERS,
    DOCUMENT_NOUNS,
    FUNCTION_WORDS,
    LABEL_WORDS,
    MONTH_WORDS,
    NOT_A_SPEAKER,
    NOT_NOUN_STARTS,
    NOUN_CONTINUATION_STOPWORDS,
    OBLIQUE_PREPOSITIONS,
    ORG_HEAD_WORDS,
    PLACE_HEADS,
    POSSESSIVE_PRONOUNS,
    SPEAKER_PRONOUN_WORDS,
    SPEECH_NOUNS,
)

# quote_attribution, quote_rules, quote_speech, quote_store and quote_document were split out of
# this module: every name it defined stays importable from here.
from tui.core.analysis.quote_attribution import (  # noqa: F401  (re-exported)
    DEFAULT_SPANS_KEY,
    METHOD_CONFIDENCE,
    SPAN_EXTENSIONS,
    Attribution,
    _other_keys,
    speaker_problem,
)
from tui.core.analysis.quote_cue_parse import (  # noqa: F401
    dep_mention,
    dep_subject,
)
from tui.core.analysis.quote_cue_words import (  # noqa: F401
    Cue,
    is_reporting_verb,
)
from tui.core.analysis.quote_cues import (  # noqa: F401
    after_cue,
    before_cue,
)
from tui.core.analysis.quote_document import QuoteDocument
from tui.core.analysis.quote_index import (  # noqa: F401  (re-exported)
    NAME_LABELS,
    ROLE_PREFIXES,
    DocIndex,
    SpeechEvent,
)
from tui.core.analysis.quote_marks import QuotedPiece, find_quoted_pieces  # noqa: F401
from tui.core.analysis.quote_names import (  # noqa: F401  (re-exported)
    CLOSING_QUOTES,
    SENTENCE_END,
    _is_abbreviation,
    _is_sentence_boundary,
    looks_like_personal_name,
    not_a_person_name,
    sentence_end_after,
    sentence_start_before,
)
from tui.core.analysis.quote_rules import (  # noqa: F401  (re-exported)
    _copy_speaker,
    _covers,
    _gaps_between_quotes,
    _is_adverb_mention,
    _is_head_name,
    _link_bare_name,
    _set_method,
    _strong_speaker,
    bare_verb_cue,
    colon_introduction,
    is_headline,
    is_quoted_subheading,
    links_forward,
    relative_antecedent,
)
from tui.core.analysis.quote_speech import (  # noqa: F401  (re-exported)
    _words,
    follows_label_word,
    is_label_like,
    is_standalone,
    is_title_like,
    looks_like_speech,
    modifies_following_noun,
    names_a_work,
)
from tui.core.analysis.quote_store import (  # noqa: F401  (re-exported)
    _trim_function_words,
    enforce_contract,
    quotes_from_doc,
    store_on_doc,
)
from tui.core.analysis.result import LOW_CONFIDENCE, Quote, Speaker  # noqa: F401  (re-exported)


def _speaker_span(span: Span) -> Span | None:
    """The speaker mention of a quote span, as a Span (from the stored character offsets)."""
    chars = span._.margin_speaker_chars
    return None if chars is None else span.doc.char_span(chars[0], chars[1], alignment_mode="expand")


def install_extensions() -> None:
    """The Span extensions the component writes (idempotent; called by the factory)."""
    for name in SPAN_EXTENSIONS:
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    if not Span.has_extension("margin_speaker"):
        Span.set_extension(
            "margin_speaker",
            getter=_speaker_span,
        )


class QuoteFinder(Pipe):
    """The `margin_quotes` component: direct quotes, their cues and speakers.

    Writes `doc.spans[spans_key]` (the quotes, with the cue and speaker in Span extensions),
    `doc.spans[spans_key + "_speakers"]`-style keys for the speaker mentions and the quoted
    strings that are not speech (`margin_speakers` / `margin_quoted_other` with the default key).
    Uses the tagger, parser and entities when the pipeline has them, and works without."""

    def __init__(self, nlp: Language, name: str = "margin_quotes", spans_key: str = DEFAULT_SPANS_KEY):
        self.name = name
        self.spans_key = spans_key
        install_extensions()

    def __call__(self, doc: Doc) -> Doc:
        """Find the quotes of `doc`, store them on it and return it."""
        return find_quotes(doc, self.spans_key)


@Language.factory(
    "margin_quotes",
    assigns=["doc.spans"],
    requires=["doc.sents"],
    default_config={"spans_key": DEFAULT_SPANS_KEY},
)
def make_quote_finder(nlp: Language, name: str, spans_key: str) -> QuoteFinder:
    """The spaCy factory of the `margin_quotes` component."""
    return QuoteFinder(nlp, name, spans_key)


# -- the component ------------------------------------------------------------------------------


def find_quotes(doc: Doc, spans_key: str = DEFAULT_SPANS_KEY) -> Doc:
    """Find the quotes of `doc` with their cues and speakers and store them in `doc.spans` (see QuoteFinder); returns `doc`."""
    return QuoteDocument(doc).run(spans_key)
