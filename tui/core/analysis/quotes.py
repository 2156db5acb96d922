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

from bisect import bisect_left
from dataclasses import dataclass

from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span

from tui.core.analysis import speaker_ranker
from tui.core.analysis.entity_names import (
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
from tui.core.analysis.quote_cues import (
    Cue,
    after_cue,
    before_cue,
    dep_mention,
    dep_subject,
    is_reporting_verb,
)
from tui.core.analysis.quote_index import (  # noqa: F401  (re-exported)
    CLOSING_QUOTES,
    NAME_LABELS,
    ROLE_PREFIXES,
    SENTENCE_END,
    DocIndex,
    SpeechEvent,
    _is_abbreviation,
    _is_sentence_boundary,
    looks_like_personal_name,
    not_a_person_name,
    sentence_end_after,
    sentence_start_before,
)
from tui.core.analysis.quote_marks import QuotedPiece, find_quoted_pieces
from tui.core.analysis.result import LOW_CONFIDENCE, Quote, Speaker  # noqa: F401  (LOW_CONFIDENCE: re-exported)

SPAN_EXTENSIONS = (
    "margin_content",
    "margin_cue",
    "margin_cue_chars",
    "margin_speaker_chars",
    "margin_speaker_text",
    "margin_speaker_canonical",
    "margin_speaker_method",
    "margin_speaker_confidence",
    "margin_speaker_unknown_reason",
)
DEFAULT_SPANS_KEY = "margin_quotes"


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


def _other_keys(spans_key: str) -> tuple[str, str]:
    if spans_key == DEFAULT_SPANS_KEY:
        return "margin_speakers", "margin_quoted_other"
    return spans_key + "_speakers", spans_key + "_other"


@dataclass
class Attribution:
    """What is known about one quoted piece: its cue, whether it is speech, and its speaker and how it was found."""

    cue: Cue | None = None
    source: int = -1  # index of the piece whose cue this piece uses (itself when own), -1 none
    speaker_chars: tuple[int, int] | None = None
    speaker_text: str | None = None
    canonical: str | None = None
    is_speech: bool = False
    resolved: bool = False
    method: str = ""  # how the speaker was found (METHOD_CONFIDENCE)
    confidence: float = 0.0
    unknown_reason: str | None = None


# How a speaker was found, and how far that way is trusted (measured on PolNeAR's tuning part).
METHOD_CONFIDENCE = {
    "cue subject": 0.95,  # the named subject of the quote's own reporting verb
    "cue description": 0.85,  # a description as subject ("a spokeswoman said")
    "according to": 0.9,
    "pronoun → name": 0.75,  # "he said": the person speaking in the passage
    "split quote": 0.95,  # the second half of “…,” she said. “…”
    "continuation": 0.8,  # a paragraph continuing a multi-paragraph quote
    "previous cue": 0.7,  # no cue: the subject of the last reporting verb before it
    "previous speaker": 0.55,  # no cue: the person speaking in the passage
    "ranker": 0.6,  # the learned ranker overrode the rules (speaker_ranker); its probability is used instead
}


def speaker_problem(canonical: str | None) -> str | None:
    """Why `canonical` cannot be a speaker's name or description (the speaker contract), or None."""
    text = (canonical or "").strip()
    if not text:
        return "no speaker named"
    words = text.lower().replace(",", " ").split()
    if text.lower() in NOT_A_SPEAKER:
        return "pronoun with no antecedent"
    if not any(ch.isalpha() for ch in text):
        return "not a name"
    if words[0] in MONTH_WORDS or (len(words) <= 3 and words[-1] in MONTH_WORDS):
        return "a date, not a speaker"
    if words[0] in FUNCTION_WORDS - {"the", "a", "an"} or words[-1] in FUNCTION_WORDS:
        return "no speaker named"
    if len(words) > 12:
        return "no speaker named"
    return None


# -- the component ------------------------------------------------------------------------------


def find_quotes(doc: Doc, spans_key: str = DEFAULT_SPANS_KEY) -> Doc:
    """Find the quotes of `doc` with their cues and speakers and store them in `doc.spans` (see QuoteFinder); returns `doc`."""
    return QuoteDocument(doc).run(spans_key)


def bare_verb_cue(index: DocIndex, piece: QuotedPiece, a: int, b: int) -> Cue | None:
    """ "“…,” an angry Jane Doe retaliated." — a quote ending in a comma followed by a short clause
    of a subject and any verb (not in the reporting lexicon): that verb is the cue (parse needed)."""
    doc = index.doc
    if not doc.has_annotation("DEP") or index.text[piece.end - 1 : piece.end] != ",":
        return None
    i, j = index.tokens_within(a, b)
    while i < j and (doc[i].is_punct or doc[i].is_space):
        i += 1
    verbs = [t for t in doc[i : min(j, i + 8)] if t.pos_ == "VERB"]
    if not verbs:
        return None
    verb = verbs[0]
    subject = dep_subject(doc, verb.i, i, verb.i)
    if subject is None or any(t.pos_ not in ("DET", "ADJ") for t in doc[i : subject[0]]):
        return None  # only "an angry" may come before the subject
    if not (_strong_speaker(doc, subject) or doc[subject[0]].lower_ in ("a", "an", "the")):
        return None
    between = doc[subject[1] : verb.i]
    if any(not (t.pos_ in ("ADV", "AUX", "PART") or t.is_punct) for t in between):
        return None
    rest = [t for t in doc[verb.i + 1 : j] if not t.is_space]
    if rest and not (rest[0].is_punct or rest[0].pos_ in ("ADV", "ADP")):
        return None  # "“…,” Doe wrote in a letter" fine; "“…,” Doe built a house" is not a cue
    return Cue(verb.i, verb.i, verb.i + 1, subject)


def is_quoted_subheading(index: DocIndex, piece: QuotedPiece) -> bool:
    """A short paragraph that is nothing but a quote in single marks, with no cue: a section
    heading quoting the text below (‘Pretty cool working there.’), not a new quote."""
    lo, hi = index.paragraphs[piece.paragraph]
    if piece.open_mark < 0 or piece.close_mark < 0 or index.text[piece.open_mark] not in "‘'":
        return False
    if index.text[lo : piece.open_mark].strip() or index.text[piece.close_mark + 1 : hi].strip():
        return False
    return len(_words(index.text[piece.start : piece.end])) <= 10


def is_headline(index: DocIndex) -> bool:
    """The first paragraph is a headline: one short line, most words capitalised, followed by
    more paragraphs."""
    if len(index.paragraphs) < 2:
        return False
    lo, hi = index.paragraphs[0]
    line = index.text[lo:hi].strip()
    words = [w.strip("‘’'\"“”:,.") for w in line.split()]
    words = [w for w in words if w[:1].isalpha()]
    if "\n" in line or not 3 <= len(words) <= 25:
        return False
    small = {"a", "an", "the", "of", "in", "on", "for", "to", "at", "and", "or", "but", "by", "with", "from", "as"}
    content = [w for w in words if w.lower() not in small]
    return bool(content) and sum(w[0].isupper() for w in content) >= 0.75 * len(content)


def colon_introduction(index: DocIndex, a: int, b: int) -> Cue | None:
    """ "Doe disagreed: “…”": a clause ending in a colon right before the quote, whose subject
    is a name or a personal pronoun, introduces that subject's words (parse needed)."""
    doc = index.doc
    if not doc.has_annotation("DEP") or not index.text[a:b].rstrip().endswith(":"):
        return None
    i, j = index.tokens_within(a, b)
    verbs = [t for t in doc[i:j] if t.pos_ in ("VERB", "AUX") and (t.dep_ == "ROOT" or not i <= t.head.i < j)]
    if not verbs:
        return None
    verb = verbs[-1]
    subject = dep_subject(doc, verb.i, i, j)
    if subject is None or not _strong_speaker(doc, subject):
        return None
    return Cue(verb.i, verb.i, verb.i + 1, subject)


def _strong_speaker(doc: Doc, mention: tuple[int, int] | None) -> bool:
    """A mention that names someone: a name, a personal pronoun."""
    if mention is None:
        return False
    return any(
        t.ent_type_ in ("PERSON", "ORG", "NORP") or t.pos_ == "PROPN" or t.lower_ in SPEAKER_PRONOUN_WORDS
        for t in doc[mention[0] : mention[1]]
    )


def links_forward(text: str, piece: QuotedPiece) -> bool:
    """Can the words after the closing mark be this quote's cue? Not when the quote ended its
    sentence and a new capitalised sentence starts ("….” He said …" introduces what follows)."""
    last = text[piece.end - 1]
    after = text[piece.outer_end : piece.outer_end + 4].lstrip(" \t")
    if after.startswith(","):
        return True
    if last in SENTENCE_END and last != "?" and last != "!":
        return after[:1].islower()
    if last in "?!":
        return after[:1].islower() or after[:1] == ","
    return True


# -- speech or not ------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return [w for w in text.split() if any(ch.isalnum() for ch in w)]


def is_standalone(text: str, piece: QuotedPiece, lo_p: int) -> bool:
    """The quote is a sentence of its own: it opens its paragraph or follows a sentence end,
    and ends with sentence punctuation (or a comma before a cue)."""
    before = text[lo_p : piece.outer_start].rstrip()
    opens_sentence = not before or before[-1] in SENTENCE_END + ":" + CLOSING_QUOTES
    return opens_sentence


def is_label_like(index: DocIndex, piece: QuotedPiece) -> bool:
    """Plainly not speech whatever cue follows: a quoted single word, or a short Title Case
    title or name inside a sentence ("the book “Stadium Dreams,” said ...")."""
    content = index.text[piece.start : piece.end]
    words = _words(content)
    if piece.continues or is_standalone(index.text, piece, index.paragraphs[piece.paragraph][0]):
        return False
    return len(words) < 2 or is_title_like(words, content.removesuffix(","))


def is_title_like(words: list[str], content: str) -> bool:
    """Whether the quoted words look like a title: at most six, capitalised except small words, no final punctuation."""
    small = {"of", "the", "and", "a", "an", "in", "on", "for", "to", "at", "de"}
    if len(words) > 6 or content[-1:] in ".,!?;:":
        return False
    return all(w[0].isupper() or w.lower() in small for w in words if w[0].isalpha()) and words[0][:1].isupper()


def modifies_following_noun(index: DocIndex, piece: QuotedPiece) -> bool:
    """A short quote used as a modifier: several “home made” bombs."""
    if piece.close_mark < 0 or index.text[piece.end - 1] in ".,!?;:":
        return False
    i, j = index.tokens_within(piece.outer_end, min(len(index.text), piece.outer_end + 40))
    if i >= j:
        return False
    token = index.doc[i]
    if (
        not token.is_alpha
        or not token.text.islower()
        or token.lower_ in NOUN_CONTINUATION_STOPWORDS
        or token.lower_ in OBLIQUE_PREPOSITIONS
        or token.lower_ in NOT_NOUN_STARTS
    ):
        return False
    return token.pos_ in ("", "NOUN", "ADJ", "PROPN")


def follows_label_word(index: DocIndex, piece: QuotedPiece) -> bool:
    """Whether one of the three words before the quote names it ("dubbed", "known as"): a name, not speech."""
    before = index.text[max(0, piece.outer_start - 30) : piece.outer_start].lower().split()
    return any(w.strip(",") in LABEL_WORDS for w in before[-3:])


def names_a_work(index: DocIndex, piece: QuotedPiece) -> bool:
    """The quote is a noun phrase's head or name: after a possessive, a determiner, an adjective,
    a noun or a preposition ("NBC’s “Meet the Press”", "the low-rated “Rush Hour”")."""
    j = bisect_left(index.starts, piece.open_mark) - 1
    while j >= 0 and index.doc[j].is_space:
        j -= 1
    if j < 0:
        return False
    token = index.doc[j]
    return token.lower_ in (
        "'s",
        "’s",
        "the",
        "a",
        "an",
        "on",
        "of",
        "in",
        "show",
        "series",
        "book",
        "film",
        "movie",
        "song",
    ) or (token.pos_ in ("DET", "ADJ", "NOUN", "PROPN") and token.dep_ != "nsubj")


def looks_like_speech(index: DocIndex, piece: QuotedPiece, has_cue: bool) -> bool:
    """Whether the piece is something said, rather than a title, a term or a name in quotation marks."""
    content = index.text[piece.start : piece.end]
    words = _words(content)
    if len(words) < 2:
        return False
    lo_p = index.paragraphs[piece.paragraph][0]
    standalone = is_standalone(index.text, piece, lo_p) or piece.continues
    if not standalone and is_title_like(words, content.removesuffix(",")):
        return False
    if not standalone and len(words) <= 3 and modifies_following_noun(index, piece):
        return False
    if has_cue and is_title_like(words, content.removesuffix(",").removesuffix(".")) and names_a_work(index, piece):
        return False  # said on NBC’s “Meet the Press.”: the cue is not about the title
    if has_cue:
        return True
    if not piece.continues and is_title_like(words, content.removesuffix(",").removesuffix(".")):
        return False  # “Rush Hour,” a new series — a title, even opening the sentence
    if standalone:
        return True
    return len(words) >= 4 and content.rstrip(CLOSING_QUOTES)[-1:] in SENTENCE_END and not follows_label_word(index, piece)


# -- speakers -----------------------------------------------------------------------------------


def _copy_speaker(src: Attribution, dst: Attribution, method: str = "continuation") -> None:
    dst.speaker_chars, dst.speaker_text, dst.canonical = src.speaker_chars, src.speaker_text, src.canonical
    if src.canonical:
        dst.method = method
        dst.confidence = min(src.confidence, METHOD_CONFIDENCE[method])
    dst.unknown_reason = src.unknown_reason


def _set_method(index: DocIndex, attribution: Attribution, a: int, b: int, fallback: str | None = None) -> None:
    """How a speaker mention at a:b was turned into `attribution.canonical`."""
    text = index.text[a:b]
    cue = attribution.cue
    if fallback:
        method = fallback
    elif text.lower() in SPEAKER_PRONOUN_WORDS:
        method = "pronoun → name"
    elif cue is not None and index.doc[cue.verb].lower_ == "according":
        method = "according to"
    elif index.names_within(a, b):
        method = "cue subject"
    else:
        method = "cue description"
    attribution.method = method
    attribution.confidence = METHOD_CONFIDENCE[method]


def _is_adverb_mention(doc: Doc, s: int, e: int) -> bool:
    """A lone sentence adverb taken for a speaker ("Indeed", "Hastily"): tagged ADV and no
    entity (needs a tagger)."""
    if e - s != 1:
        return False
    token = doc[s]
    return not token.ent_type_ and token.pos_ == "ADV"


def relative_antecedent(index: DocIndex, pos: int) -> tuple[int, int] | None:
    """Characters of what a relative pronoun at `pos` stands for ("Jane Doe, who said"): the
    noun its clause attaches to in the parse, else the name just before it."""
    doc = index.doc
    k = bisect_left(index.starts, pos)
    if doc.has_annotation("DEP") and k < len(doc):
        verb = doc[k].head
        if verb.dep_ == "relcl" and verb.head.pos_ in ("PROPN", "NOUN"):
            mention = dep_mention(doc, verb.head, 0, k)
            if mention:
                return index.chars(mention)
    names = index.names_within(max(0, pos - 80), pos)
    if names and not index.text[names[-1].end : pos].strip(" ,"):
        return names[-1].start, names[-1].end
    return None


def _is_head_name(index: DocIndex, mention: NameMention, a: int, b: int) -> bool:
    """Not a modifier inside a description: not after a preposition ("director of X") and not
    followed by a lower-case noun ("the X report")."""
    if mention.start > a and index.after_preposition(mention.start):
        return False
    following = index.text[mention.end : b].split()
    if following and following[0][:1] in "’'" and (len(following) > 1 or len(following[0]) > 2):
        return False  # "Jane Doe’s spokeswoman": a description, not Jane Doe
    return not following or not following[0][:1].islower() or following[0].lower() in OBLIQUE_PREPOSITIONS


def _covers(mention: NameMention, a: int, b: int, text: str) -> bool:
    outside = (text[a : mention.start] + text[mention.end : b]).strip().lower()
    return outside in ("", "the")


def _link_bare_name(index: DocIndex, text: str, pos: int) -> str:
    """A name the tagger missed: link it to a fuller person name in the document."""
    people = [m for m in index.names if m.label == "PERSON"]
    probe = NameMention(pos, pos + len(text), text, "PERSON", tagged_person=True)
    ordered = sorted(people + [probe], key=lambda m: m.start)
    names = link_canonical_names([NameMention(m.start, m.end, m.text, "PERSON", m is probe) for m in ordered])
    return names[ordered.index(probe)]


def _gaps_between_quotes(index: DocIndex, a: int, b: int) -> list[tuple[int, int]]:
    gaps, cursor = [], a
    for start, end in index.quote_ranges:
        if end <= a or start >= b:
            continue
        if start > cursor:
            gaps.append((cursor, start))
        cursor = max(cursor, end)
    if cursor < b:
        gaps.append((cursor, b))
    return gaps


# -- storing and reading back -------------------------------------------------------------------


def enforce_contract(attributions: list[Attribution]) -> None:
    """A speaker is a name, a description or unknown (with the reason): never a pronoun, a
    clause fragment, a date or a number."""
    for attribution in attributions:
        if not attribution.is_speech:
            continue
        if attribution.canonical and attribution.canonical.rsplit(" ", 1)[-1] in ("Jr", "Sr"):
            attribution.canonical += "."  # the tokenizer split "Jr." and the entity left the full stop out
        problem = speaker_problem(attribution.canonical)
        if problem is not None and attribution.canonical:
            repaired = _trim_function_words(attribution.canonical)
            if repaired and speaker_problem(repaired) is None:
                attribution.canonical = repaired  # "Jane Doe of" -> "Jane Doe"
                attribution.confidence = min(attribution.confidence, 0.5)
                continue
        if problem is None:
            continue
        if attribution.unknown_reason is None:
            attribution.unknown_reason = (
                "no cue and no speaker before it" if attribution.cue is None and not attribution.canonical else problem
            )
        attribution.canonical = None
        attribution.method, attribution.confidence = "", 0.0


def _trim_function_words(text: str) -> str:
    words = text.split()
    while words and words[0].lower().strip(",") in FUNCTION_WORDS - {"the", "a", "an"}:
        words.pop(0)
    while words and words[-1].lower().strip(",") in FUNCTION_WORDS:
        words.pop()
    return " ".join(words).strip(" ,")


def store_on_doc(
    doc: Doc, index: DocIndex, pieces: list[QuotedPiece], attributions: list[Attribution], spans_key: str = DEFAULT_SPANS_KEY
) -> None:
    """Write the quotes, their speaker mentions and the quoted non-speech to `doc.spans`, enforcing the speaker contract."""
    enforce_contract(attributions)
    quotes, others, speakers = [], [], []
    for piece, attribution in zip(pieces, attributions):
        span = doc.char_span(piece.start, piece.end, alignment_mode="expand")
        if span is None:
            continue
        if not attribution.is_speech:
            others.append(span)
            continue
        span._.margin_content = (piece.start, piece.end)
        cue = attribution.cue
        if cue is not None:
            cs, ce = index.chars((cue.cue_start, cue.cue_end))
            span._.margin_cue = index.text[cs:ce]
            span._.margin_cue_chars = (cs, ce)
        span._.margin_speaker_chars = attribution.speaker_chars
        span._.margin_speaker_text = attribution.speaker_text
        span._.margin_speaker_canonical = attribution.canonical
        span._.margin_speaker_method = attribution.method or None
        span._.margin_speaker_confidence = attribution.confidence if attribution.canonical else None
        span._.margin_speaker_unknown_reason = (
            None if attribution.canonical else (attribution.unknown_reason or "no speaker named")
        )
        quotes.append(span)
        if attribution.speaker_chars:
            speaker_span = doc.char_span(*attribution.speaker_chars, alignment_mode="expand")
            if speaker_span is not None:
                speakers.append(speaker_span)
    speakers_key, others_key = _other_keys(spans_key)
    doc.spans[spans_key] = quotes
    doc.spans[speakers_key] = speakers
    doc.spans[others_key] = others


def quotes_from_doc(doc: Doc, spans_key: str = DEFAULT_SPANS_KEY) -> list[Quote]:
    """The quotes stored on a processed doc as Quote records: a speaker only when one is named, else the reason."""
    out = []
    text = doc.text  # built from the tokens on every access: once
    for span in doc.spans.get(spans_key, []):
        start, end = span._.margin_content or (span.start_char, span.end_char)
        speaker = None
        if span._.margin_speaker_canonical:
            s, e = span._.margin_speaker_chars or (start, start)
            written = span._.margin_speaker_text or ""
            speaker = Speaker(
                s,
                e,
                written or span._.margin_speaker_canonical,
                span._.margin_speaker_canonical,
                span._.margin_speaker_method or "",
                round(span._.margin_speaker_confidence or 0.0, 2),
            )
        cue_chars = span._.margin_cue_chars or (None, None)
        out.append(
            Quote(
                start,
                end,
                text[start:end],
                span._.margin_cue,
                speaker,
                cue_chars[0],
                cue_chars[1],
                None if speaker else (span._.margin_speaker_unknown_reason or "no speaker named"),
            )
        )
    return out


class QuoteDocument:
    """One document's quote-finding state, owned in one place: the Doc, its index, the quoted
    pieces, each piece's own cue and its attribution. `run` performs the steps of the module
    docstring; the other methods are those steps for piece k."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.pieces: list[QuotedPiece] = find_quoted_pieces(doc.text)
        self.index = DocIndex(doc, self.pieces)
        self.attributions: list[Attribution] = [Attribution() for _ in self.pieces]
        self.own: list[tuple[Cue | None, str]] = []

    def run(self, spans_key: str = DEFAULT_SPANS_KEY) -> Doc:
        """Cues, speech or not, speakers; then store everything on the Doc and return it."""
        doc, index, pieces, attributions = self.doc, self.index, self.pieces, self.attributions
        index.label_like = [is_label_like(index, piece) for piece in pieces]
        self.own = [self.own_cue(k) for k in range(len(pieces))]
        for k in range(len(pieces)):
            attributions[k].cue, attributions[k].source = self.choose_cue(k)
        headline = is_headline(index)
        for k in range(len(pieces)):
            attributions[k].is_speech = looks_like_speech(index, pieces[k], attributions[k].cue is not None)
            if headline and pieces[k].paragraph == 0 and self.own[k][0] is None:
                attributions[k].is_speech = False  # “Doe: ‘We Will Win’”: a headline teases a quote of the body
            elif attributions[k].cue is None and is_quoted_subheading(index, pieces[k]):
                attributions[k].is_speech = False
        self.resolve_speakers()
        if speaker_ranker.enabled():
            speaker_ranker.rerank(self)
        store_on_doc(doc, index, pieces, attributions, spans_key)
        return doc

    def own_cue(self, k: int) -> tuple[Cue | None, str]:
        """(cue, where) found around piece k alone: where is "after" or "before"."""
        index, pieces = self.index, self.pieces
        piece = pieces[k]
        lo_p, hi_p = index.paragraphs[piece.paragraph]
        next_open = pieces[k + 1].outer_start if k + 1 < len(pieces) and pieces[k + 1].paragraph == piece.paragraph else hi_p
        if piece.close_mark >= 0 and links_forward(index.text, piece):
            a = piece.outer_end
            b = min(next_open, sentence_end_after(index.text, a, hi_p))
            cue = after_cue(index.doc, *index.tokens_within(a, b))
            if cue is not None:
                return cue, "after"
            cue = bare_verb_cue(index, piece, a, b)
            if cue is not None:
                return cue, "after"
        elif piece.close_mark >= 0 and index.text[piece.end - 1 : piece.end] in "?!":
            # “Who can tell?” Jane Doe asks: a question or exclamation ends the quote, not the sentence
            a = piece.outer_end
            b = min(next_open, sentence_end_after(index.text, a, hi_p))
            lo, hi = index.tokens_within(a, b)
            cue = after_cue(index.doc, lo, hi, max_speaker_tokens=6, reach=7)
            if cue is None and index.doc.has_annotation("DEP"):
                # “How are you?” Jane Doe, a retired nurse, said: the parse carries the apposition
                cue = after_cue(index.doc, lo, hi, max_speaker_tokens=6, reach=24)
                first = next((t.i for t in index.doc[lo:hi] if not (t.is_punct or t.is_space)), -1)
                dash = any(t.text in ("-", "—", "–", "--") for t in index.doc[lo : max(lo, first)])
                if cue is not None and (cue.speaker is None or cue.speaker[0] != first or dash):
                    cue = None
            if cue is not None and cue.speaker is not None:
                return cue, "after"
        if piece.open_mark >= 0:
            j = k - 1
            while j >= 0 and pieces[j].paragraph == piece.paragraph and index.label_like[j]:
                j -= 1  # a title or scare quote is part of the sentence, not a boundary
            prev_end = pieces[j].outer_end if j >= 0 and pieces[j].paragraph == piece.paragraph else lo_p
            a = max(prev_end, sentence_start_before(index.text, piece.open_mark, lo_p))
            cue = before_cue(index.doc, *index.tokens_within(a, piece.open_mark))
            colon = colon_introduction(index, a, piece.open_mark)
            if colon is not None and (
                cue is None
                or index.doc[cue.verb].dep_ in ("advcl", "ccomp", "xcomp", "relcl", "pcomp")
                and index.doc[cue.verb].head.i == colon.verb
            ):
                return colon, "before"  # "When Roe suggested …, Doe fired back: “…”"
            if cue is not None:
                return cue, "before"
        return None, ""

    def choose_cue(self, k: int) -> tuple[Cue | None, int]:
        """(cue, index of the piece it belongs to) for piece k: its own, a split or continued quote's, or (None, -1)."""
        index, pieces, own, attributions = self.index, self.pieces, self.own, self.attributions
        piece = pieces[k]
        cue, where = own[k]
        if piece.continues and k > 0 and attributions[k - 1].source >= 0:
            return attributions[k - 1].cue, attributions[k - 1].source
        if where == "after":
            return cue, k
        split_source = self.split_partner(k)
        partner_cue = attributions[split_source].cue if split_source is not None else None
        if split_source is not None and (
            cue is None
            or (partner_cue is not None and cue.verb == partner_cue.verb)
            or (index.doc.has_annotation("DEP") and not _strong_speaker(index.doc, cue.speaker))
        ):
            return attributions[split_source].cue, attributions[split_source].source
        if cue is not None:
            if cue.speaker is None and where == "before":
                borrowed = self.coordinated_speaker(k, cue)
                if borrowed is not None:
                    return borrowed, k
            return cue, k
        if piece.runs_on:  # a multi-paragraph quote whose cue comes later in the chain
            for j in range(k + 1, len(pieces)):
                if not pieces[j].continues:
                    break
                if own[j][0] is not None:
                    return own[j][0], j
                if not pieces[j].runs_on:
                    break
        same = self.same_sentence_partner(k)
        if same is not None:
            return attributions[same].cue, attributions[same].source
        return None, -1

    def same_sentence_partner(self, k: int) -> int | None:
        """ "Doe said Roe was “a total lightweight” while Poe is “a basket case” and “a liar.”":
        a short quote with no cue of its own, in the same sentence as an earlier quote that has a
        cue before it, shares that quote's cue (index of that piece, or None)."""
        index, pieces, attributions = self.index, self.pieces, self.attributions
        if k == 0 or pieces[k - 1].paragraph != pieces[k].paragraph or pieces[k].open_mark < 0:
            return None
        prev = attributions[k - 1]
        if prev.source < 0 or prev.cue is None or index.label_like[k - 1]:
            return None
        if index.doc[prev.cue.verb].i >= index.tokens_within(pieces[k - 1].outer_start, pieces[k - 1].outer_end)[0]:
            return None  # its cue comes after it: "…,” Doe said. Then …"
        between = index.text[pieces[k - 1].outer_end : pieces[k].open_mark]
        inner = index.text[pieces[k - 1].end - 1 : pieces[k - 1].end]
        if any(ch in between for ch in ".!?;:") or inner in "!?" or len(between.split()) > 20:
            return None
        if inner == "." and pieces[k - 1].close_mark >= 0:
            return None  # the earlier quote ended its sentence
        return k - 1

    def coordinated_speaker(self, k: int, cue: Cue) -> Cue | None:
        """ "X called it “…” and said “…”": a verb coordinated right after the previous quote of
        the same sentence shares that quote's speaker."""
        index, pieces, attributions = self.index, self.pieces, self.attributions
        doc = index.doc
        j = cue.verb - 1
        while j >= 0 and (doc[j].lower_ in ("also", "then", "later", "has", "had", "have") or doc[j].is_space):
            j -= 1
        if j < 0 or doc[j].lower_ not in ("and", "but"):
            return None
        if k == 0 or pieces[k - 1].paragraph != pieces[k].paragraph:
            return None
        prev = attributions[k - 1]
        if prev.cue is None or prev.cue.speaker is None or not (pieces[k - 1].outer_end <= doc[j].idx):
            return None
        between = index.text[pieces[k - 1].outer_end : doc[j].idx]
        if any(ch in between for ch in ".!?;"):
            return None
        return Cue(cue.verb, cue.cue_start, cue.cue_end, prev.cue.speaker)

    def split_partner(self, k: int) -> int | None:
        """Index of the previous piece when piece k is the second half of a split quote: the
        previous piece in the paragraph has its cue right after it, between the two halves."""
        index, pieces, own, attributions = self.index, self.pieces, self.own, self.attributions
        if k == 0 or pieces[k - 1].paragraph != pieces[k].paragraph or index.label_like[k - 1]:
            return None
        prev_cue, where = own[k - 1]
        if prev_cue is None or where != "after" or attributions[k - 1].source < 0:
            return None
        between = index.tokens_within(pieces[k - 1].outer_end, pieces[k].outer_start)
        words = [t for t in index.doc[between[0] : between[1]] if t.is_alpha]
        cue_words = set(range(prev_cue.cue_start, prev_cue.cue_end))
        if prev_cue.speaker:
            cue_words |= set(range(*prev_cue.speaker))
        extra = [t for t in words if t.i not in cue_words]
        if len(extra) <= 6:
            return None if any(is_reporting_verb(t) for t in extra) else k - 1
        # “…,” Doe said, with a smile that suggested …. “…”: narration between the halves is fine
        # with a parse, as long as no other named or pronoun subject speaks there
        if not index.doc.has_annotation("DEP") or len(extra) > 30:
            return None
        for t in extra:
            if any(a.dep_ in ("relcl", "acl", "advcl") for a in (t, *t.ancestors) if a.i != prev_cue.verb):
                continue  # "…,” Doe wrote in the email, which was first reported by …. “…”
            if t.dep_ in ("nsubj", "nsubjpass") and t.ent_type_ in ("PERSON", "ORG"):
                return None
            if is_reporting_verb(t) and _strong_speaker(index.doc, dep_subject(index.doc, t.i, 0, len(index.doc))):
                return None
        return k - 1

    def resolve_speakers(self) -> None:
        """Set the speaker of every speech piece: from its cue, the quote it continues or completes, or the passage before it."""
        pieces, attributions = self.pieces, self.attributions
        for k, attribution in enumerate(attributions):
            if not attribution.is_speech:
                continue
            source = attribution.source
            if source >= 0:
                if not attributions[source].resolved:
                    self._resolve_own(source)
                if source != k:
                    _copy_speaker(attributions[source], attribution, "continuation" if pieces[k].continues else "split quote")
            else:
                self._resolve_continuation(k)
            attribution.resolved = True

    def _resolve_own(self, k: int) -> None:
        index, attributions = self.index, self.attributions
        attribution = attributions[k]
        attribution.resolved = True
        cue = attribution.cue
        if cue is None or cue.speaker is None:
            return
        if _is_adverb_mention(index.doc, *cue.speaker):
            attribution.cue = Cue(cue.verb, cue.cue_start, cue.cue_end, None)  # "Indeed, “…”": no one
            return
        a, b = index.chars(cue.speaker)
        attribution.speaker_chars = (a, b)
        attribution.speaker_text = index.text[a:b]
        attribution.canonical = self.canonical_speaker(a, b)
        _set_method(index, attribution, a, b)

    def canonical_speaker(self, a: int, b: int) -> str:
        """The name or description the speaker mention [a, b) stands for, with pronouns, relative words and surnames resolved."""
        index = self.index
        text = index.text[a:b]
        if text.lower() in ("who", "that", "which"):
            antecedent = relative_antecedent(index, a)
            if antecedent is None:
                return text
            a, b = antecedent
            text = index.text[a:b]
        if text.lower() in SPEAKER_PRONOUN_WORDS:
            return self.resolve_pronoun(a, text) or text
        names = index.names_within(a, b)
        people = [m for m in names if m.label == "PERSON" and _is_head_name(index, m, a, b)]
        if len(names) > 1 and " and " in text:
            return text  # "NASA and ESA"
        if people:
            return people[0].text
        words = text.split()
        if names and (len(names) == 1 and _covers(names[0], a, b, index.text)):
            return names[0].text
        if names and words and words[-1].lower() in DOCUMENT_NOUNS:
            orgs = [m for m in names if m.label == "ORG"]
            if orgs:
                return orgs[0].text
        if words and words[-1].lower() in SPEECH_NOUNS and len(words) <= 4:
            # "Doe's remarks", "his statement": the words stand for the one who said them
            owners = [m for m in names if m.label == "PERSON" and index.text[m.end : m.end + 2] in ("'s", "’s")]
            if owners:
                return owners[0].text
            if words[0].lower() in POSSESSIVE_PRONOUNS:
                name = self.resolve_pronoun(a, POSSESSIVE_PRONOUNS[words[0].lower()])
                if name:
                    return name
        i, j = index.tokens_within(a, b)
        if j > i and all(is_name_token(t) or not t.is_alpha for t in index.doc[i:j]):
            return _link_bare_name(index, text, a)
        if not names and len(words) == 2 and words[0].lower() == "the":
            return index.definite_antecedent(a, words[1].lower()) or text
        return text

    def resolve_pronoun(self, pos: int, pronoun: str | None = None) -> str | None:
        """The name the pronoun at `pos` most likely refers to (see DocIndex.resolve_pronoun), or None."""
        index = self.index
        return index.resolve_pronoun(pos, pronoun)

    def _resolve_continuation(self, k: int) -> None:
        """A speech piece with no cue: the subject of the last reporting verb just before it (same
        paragraph, or the previous one if the quote opens its paragraph), else the previous
        speaker, else the nearest person named before it."""
        index, pieces, attributions = self.index, self.pieces, self.attributions
        piece, attribution = pieces[k], attributions[k]
        lo_p = index.paragraphs[piece.paragraph][0]
        opens_paragraph = not index.text[lo_p : piece.outer_start].strip()
        region_start = index.paragraphs[piece.paragraph - 1][0] if opens_paragraph and piece.paragraph > 0 else lo_p
        for a, b in reversed(_gaps_between_quotes(index, region_start, piece.outer_start)):
            cue = before_cue(index.doc, *index.tokens_within(a, b))
            if cue is not None and cue.speaker is not None and index.doc[cue.verb].lower_ != "according":
                s, e = index.chars(cue.speaker)
                attribution.speaker_chars = (s, e)
                attribution.speaker_text = index.text[s:e]
                attribution.canonical = self.canonical_speaker(s, e)
                _set_method(index, attribution, s, e, "previous cue")
                return
        name = self.resolve_pronoun(piece.outer_start)
        if name:
            attribution.canonical = name
            attribution.method, attribution.confidence = "previous speaker", METHOD_CONFIDENCE["previous speaker"]
            mention = index.last_person_before(piece.outer_start)
            if mention is not None and mention.text == name:
                attribution.speaker_chars = (mention.start, mention.end)
                attribution.speaker_text = index.text[mention.start : mention.end]
            else:
                self._point_at_previous_speaker(k, name)

    def _point_at_previous_speaker(self, k: int, name: str) -> None:
        attributions = self.attributions
        for j in range(k - 1, -1, -1):
            if attributions[j].canonical == name and attributions[j].speaker_chars:
                attributions[k].speaker_chars = attributions[j].speaker_chars
                attributions[k].speaker_text = attributions[j].speaker_text
                return
