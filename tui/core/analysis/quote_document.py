"""`QuoteDocument`: one document's quote-finding state and the steps of the `margin_quotes`
component (see `tui.core.analysis.quotes` for the algorithm).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from spacy.tokens import Doc, Token

from tui.core.analysis import speaker_confidence, speaker_ranker
from tui.core.analysis.entity_names import (
    TITLE_WORDS,
    NameMention,
    is_name_token,
)
from tui.core.analysis.lexicon import (
    AUTHORED_NOUNS,
    CROWD_NOUNS,
    DOCUMENT_NOUNS,
    POLL_NOUNS,
    POSSESSIVE_PRONOUNS,
    SPEAKER_PRONOUN_WORDS,
    SPEECH_NOUNS,
    WORD_CARRYING_NOUNS,
)
from tui.core.analysis.quote_attribution import DEFAULT_SPANS_KEY, METHOD_CONFIDENCE, Attribution
from tui.core.analysis.quote_coref import description_kind, head_token, subject_phrase
from tui.core.analysis.quote_cue_parse import (
    dep_subject,
    parse_path,
    without_clause,
)
from tui.core.analysis.quote_cue_words import (
    Cue,
    is_reporting_verb,
    pick_mention,
)
from tui.core.analysis.quote_cues import (
    after_cue,
    before_cue,
)
from tui.core.analysis.quote_index import (
    DocIndex,
)
from tui.core.analysis.quote_marks import QuotedPiece, find_quoted_pieces
from tui.core.analysis.quote_names import (
    sentence_end_after,
    sentence_start_before,
)
from tui.core.analysis.quote_rules import (
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
from tui.core.analysis.quote_speech import is_label_like, looks_like_speech
from tui.core.analysis.quote_store import store_on_doc
from tui.core.analysis.token_scan import doc_text

# Entity labels a description may carry as a modifier ("the Texas senator", "the French minister").
PLACE_LABELS = ("GPE", "NORP", "LOC")

# A line crediting the quotation above it: a dash, then a capitalised name or description of at
# most 80 characters ("— Jane Doe.", "- Sen. Jane Doe, in a speech").
# “…” was the response of …, “…” came the reply / shouts from …: a speech noun whose owner follows
RESPONSE_OF = re.compile(
    r"\s*,?\s*(was|is|came|were)\s+(?:the\s+|a\s+|an\s+)?(?:[a-z-]+\s+)?"
    r"(?:response|reply|reaction|verdict|answer|retort|refrain|message|comment|rejoinder"
    r"|shouts?|cry|cries|chants?|voices?)\s+(?:of|from)\s+"
)
# "From Doe's Facebook post: “…”", "in Doe's words, “…”": the owner of the words or document
# named right before the quote, with no verb between
SOURCE_PHRASE = re.compile(
    r"(?i)(?:^|[,;—–]\s*)(?:from|in)\s+(?P<owner>[^,;:“”\"]{2,60}?)['’]s?\s+(?:[\w-]+\s+){0,3}?"
    r"(?:words|post|posts|tweet|tweets|statement|letter|email|e-mail|speech|remarks|op-ed|column|memo|"
    r"message|blog|website|testimony|press release|announcement|account)\s*[:,]?\s*$"
)
SENTENCE_END = re.compile(r"[.!?]\s")  # a sentence ending in narration (or an abbreviation: then too cautious)
ATTRIBUTION_LINE = re.compile(r"[-–—―]+\s*([A-Z][^\n]{1,80}?)\.?")


# Things a reporting verb may have for subject and still be quoted: documents, polls, someone's
# words, signs and bills, and crowds that chant (QuoteDocument._a_thing).
THINGS_THAT_SPEAK = frozenset(
    DOCUMENT_NOUNS | SPEECH_NOUNS | POLL_NOUNS | WORD_CARRYING_NOUNS | CROWD_NOUNS | AUTHORED_NOUNS.keys()
)


class QuoteDocument:
    """One document's quote-finding state, owned in one place: the Doc, its index, the quoted
    pieces, each piece's own cue and its attribution. `run` performs the steps of the module
    docstring; the other methods are those steps for piece k."""

    def __init__(self, doc: Doc):
        self.doc = doc
        text = doc_text(doc)
        self.pieces: list[QuotedPiece] = find_quoted_pieces(text)
        self.index = DocIndex(doc, self.pieces, text)
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
            elif index.in_aside(pieces[k].outer_start):
                attributions[k].is_speech = False  # "READ MORE: ‘…’: another story's headline": no part of this one
        self.resolve_speakers()
        if speaker_confidence.enabled():
            speaker_confidence.calibrate(self)
        if speaker_ranker.enabled():
            speaker_ranker.rerank(self)
        store_on_doc(doc, index, pieces, attributions, spans_key)
        return doc

    def own_cue(self, k: int) -> tuple[Cue | None, str]:
        """(cue, where) found around piece k alone: where is "after" or "before"."""
        index, pieces = self.index, self.pieces
        piece = pieces[k]
        lo_p, hi_p = index.paragraphs[piece.paragraph]
        next_open = self._next_open(k, hi_p)
        deferred: Cue | None = None  # an after-cue that opens the next quote: this piece's only if nothing before
        if piece.close_mark >= 0 and links_forward(index.text, piece):
            a = piece.outer_end
            b = min(next_open, sentence_end_after(index.text, a, hi_p))
            cue = after_cue(index.doc, *index.tokens_within(a, b))
            if cue is not None:
                before = self._governing_before_cue(k)
                if before is not None and self._nearer_on_path(before.verb, cue.verb, piece):
                    return before, "before"  # "When Doe said he would “…,” the crowd applauded"
                return cue, "after"
            cue = bare_verb_cue(index, piece, a, b)
            if cue is not None:
                before = self._governing_before_cue(k)
                if before is not None and self._nearer_on_path(before.verb, cue.verb, piece):
                    return before, "before"
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
                while first >= 0 and index.doc[first].lower_.rstrip(".") in TITLE_WORDS:
                    first += 1  # “…!” Rep. Jane Doe, D-Ore., said: the name follows the title
                dash = any(t.text in ("-", "—", "–", "--") for t in index.doc[lo : max(lo, first)])
                if cue is not None and (cue.speaker is None or cue.speaker[0] != first or dash):
                    cue = None
            if cue is not None and cue.speaker is not None:
                if not (piece.open_mark >= 0 and self._opens_next_quote(k, cue)):
                    return cue, "after"
                deferred = cue  # “Why now?” … Roe writes back, “…”: Roe's cue is for the next quote
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
            source = self._source_phrase_cue(a, piece.open_mark)
            if source is not None:
                return source, "before"
            verb_cue = self._person_verb_cue(k)
            if verb_cue is not None:
                return verb_cue, "before"
        if deferred is None and piece.close_mark >= 0:
            response = self._response_cue(k, next_open)
            if response is not None:
                return response, "after"
        return (deferred, "after") if deferred is not None else (None, "")

    def _response_cue(self, k: int, limit: int) -> Cue | None:
        """“…” was the response of one viewer / was the reaction from Jane Doe: the one the
        speech noun after the quote belongs to."""
        index, piece = self.index, self.pieces[k]
        match = RESPONSE_OF.match(index.text, piece.outer_end, limit)
        if match is None:
            return None
        lo, hi = index.tokens_within(match.end(), min(limit, sentence_end_after(index.text, match.end(), limit)))
        end = lo
        while end < hi and not index.doc[end].is_punct:
            end += 1
        speaker = pick_mention(index.doc, lo, end) if end > lo else None
        if speaker is None:
            return None
        verb, _ = index.tokens_within(match.start(1), match.end(1))
        return Cue(verb, verb, verb + 1, speaker)

    def _source_phrase_cue(self, a: int, b: int) -> Cue | None:
        """ "From Doe's Facebook post: “…”", "in Doe's words, “…”": the owner named in the verbless
        phrase that ends right before the quote (SOURCE_PHRASE)."""
        index = self.index
        match = SOURCE_PHRASE.search(index.text[a:b])  # sliced: "^" is the phrase's start
        if match is None:
            return None
        lo, hi = index.tokens_within(a + match.start("owner"), a + match.end("owner"))
        speaker = pick_mention(index.doc, lo, hi) if hi > lo else None
        if speaker is None or not any(index.doc[t].ent_type_ in ("PERSON", "ORG", "NORP") for t in range(*speaker)):
            return None  # "in its own words", "from the company's statement": nobody named
        verb, _ = index.tokens_within(a + match.start(), a + match.end())
        return Cue(verb, verb, verb + 1, speaker)

    def _opens_next_quote(self, k: int, cue: Cue) -> bool:
        """The cue after piece k ends where the next piece opens, in the same sentence ("Roe
        then writes back, “…”")."""
        pieces, index = self.pieces, self.index
        if k + 1 >= len(pieces) or pieces[k + 1].paragraph != pieces[k].paragraph or pieces[k + 1].open_mark < 0:
            return False
        last = max(cue.cue_end, cue.speaker[1] if cue.speaker else 0) - 1
        between = index.text[index.doc[last].idx + len(index.doc[last]) : pieces[k + 1].open_mark]
        return between.rstrip().endswith((",", ":")) and len(between.split()) <= 3 and not any(c in between for c in ".?!;")

    def _person_verb_cue(self, k: int) -> Cue | None:
        """ "Doe promised “free college”", "she called it “a disgrace”": a short quote that is part
        of the clause of a verb whose subject is a person (named, or he/she) is that person's words,
        even though the verb is not a reporting verb."""
        index, piece = self.index, self.pieces[k]
        doc = index.doc
        if not doc.has_annotation("DEP") or len(index.text[piece.start : piece.end].split()) > 4:
            return None
        lo, _ = index.tokens_within(piece.start, piece.end)
        path = parse_path(doc, lo)
        for step, n in enumerate(path[1:], start=1):
            verb = doc[n]
            if verb.idx >= piece.open_mark or verb.pos_ not in ("VERB", "AUX"):
                continue
            reporting = self._reporting_verb_above(path[step:], piece)
            if reporting is not None:
                # "Doe said that Roe was “a lightweight” while Poe is “a basket case”": the
                # clause hangs on a reporting verb, whose subject says the words
                lo_p, _ = index.tokens_within(index.paragraphs[piece.paragraph][0], piece.open_mark)
                mention = dep_subject(doc, reporting, max(lo_p, doc[reporting].sent.start), reporting + 1)
                return Cue(reporting, reporting, reporting + 1, mention) if mention is not None else None
            subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if subject is None or verb.lemma_ == "be":
                return None  # "Poe is “a basket case”" describes Poe; it is not Poe's word
            if subject.lower_ in ("he", "she") or subject.ent_type_ == "PERSON":
                s = subject.i
                while subject.ent_type_ == "PERSON" and s > 0 and doc[s].ent_iob_ == "I":
                    s -= 1  # the person's name, not "Acme President Jane Doe"
                return Cue(verb.i, verb.i, verb.i + 1, (s, subject.i + 1))
            return None
        return None

    def _reporting_verb_above(self, path: list[int], piece: QuotedPiece) -> int | None:
        """The reporting verb that the clause starting at path[0] hangs on through complement,
        coordinated or adverbial clauses only (not through a noun, a relative clause or a
        "when …" clause, which have a speaker of their own), before the quote opens."""
        doc = self.index.doc
        for a, b in zip(path, path[1:]):
            token = doc[a]
            if token.dep_ not in ("ccomp", "conj", "xcomp", "advcl") or doc[b].pos_ not in ("VERB", "AUX"):
                return None
            if token.dep_ == "advcl" and any(c.lower_ in ("when", "after", "before", "if", "because") for c in token.children):
                return None
            if is_reporting_verb(doc[b]) and doc[b].idx < piece.open_mark:
                return b
        return None

    def _path_to_root(self, piece: QuotedPiece) -> list[int]:
        """Token indices on the parse path from the quote's first word up to its root."""
        lo, hi = self.index.tokens_within(piece.start, piece.end)
        return parse_path(self.index.doc, lo) if hi > lo else []

    def _governs(self, verb: int, piece: QuotedPiece) -> bool:
        """The verb at token `verb` is on the parse path from the quote's first word to the root."""
        return verb in self._path_to_root(piece)

    def _nearer_on_path(self, verb: int, other: int, piece: QuotedPiece) -> bool:
        """`verb` is met before `other` going up from the quote ("When Doe said “…,” the crowd
        applauded": the quote hangs on "said", which hangs on "applauded")."""
        path = self._path_to_root(piece)
        return verb in path and (other not in path or path.index(verb) < path.index(other))

    def _governing_before_cue(self, k: int) -> Cue | None:
        """The cue before piece k when the parse makes the quote depend on its reporting verb."""
        index, piece = self.index, self.pieces[k]
        if piece.open_mark < 0 or not index.doc.has_annotation("DEP"):
            return None
        lo_p = index.paragraphs[piece.paragraph][0]
        a = max(lo_p, sentence_start_before(index.text, piece.open_mark, lo_p))
        if k > 0 and self.pieces[k - 1].paragraph == piece.paragraph:
            a = max(a, self.pieces[k - 1].outer_end)
        cue = before_cue(index.doc, *index.tokens_within(a, piece.open_mark))
        if cue is None or cue.speaker is None or not self._governs(cue.verb, piece):
            return None
        if self._object_relative(cue):
            return None  # "Nothing the governor said “will assuage …,” Roe said": what he said is "nothing"
        return cue

    def _object_relative(self, cue: Cue) -> bool:
        """The cue's verb heads a relative clause with a subject of its own ("nothing [that] the
        governor said", not "Doe, who said"): the noun it modifies is what was said."""
        doc = self.index.doc
        verb = doc[cue.verb]
        if verb.dep_ != "relcl" or cue.speaker is None:
            return False
        words = {t.lower_ for t in doc[cue.speaker[0] : cue.speaker[1]]}
        return not words & {"who", "that", "which", "whom"}

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

    def _next_open(self, k: int, paragraph_end: int) -> int:
        """Where the next quotation in piece k's paragraph opens, past short phrases quoted inside
        a sentence ("Jane Doe, wearing “Vote Roe” pins, said": not a quotation that ends the cue)."""
        pieces, text = self.pieces, self.index.text
        j = k + 1
        while j < len(pieces) and pieces[j].paragraph == pieces[k].paragraph:
            piece = pieces[j]
            inner = text[piece.start : piece.end]
            before = text[max(0, piece.outer_start - 2) : piece.outer_start]
            after = text[piece.outer_end : piece.outer_end + 2]
            woven = before[-1:] == " " and before[:1].isalpha() and after[:1] == " " and after[1:].isalpha()
            if not (woven and len(inner.split()) <= 4 and not any(c in inner for c in ".!?,;:")):
                return piece.outer_start
            j += 1
        return paragraph_end

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
            # “…,” says Doe. Roe needed no persuading. “…”: a sentence about someone else
            someone_else = any(t.dep_ in ("nsubj", "nsubjpass") and t.ent_type_ == "PERSON" for t in extra)
            return None if someone_else or any(is_reporting_verb(t) for t in extra) else k - 1
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
        mention = without_clause(index.doc, *cue.speaker)
        if mention is None or _is_adverb_mention(index.doc, *mention):
            attribution.cue = Cue(cue.verb, cue.cue_start, cue.cue_end, None)  # "Indeed, “…”": no one
            return
        a, b = index.chars(mention)
        attribution.speaker_chars = (a, b)
        attribution.speaker_text = index.text[a:b]
        opening = self._sentence_opening_piece(k)
        if opening is not None and attribution.speaker_text.lower() in ("he", "she"):
            # "“I don't think the talk” -- that Roe is finished -- “will last,” he says": the "he"
            # speaks the whole sentence, so whoever is named between its pieces is no candidate
            pronoun_at = self.pieces[opening].outer_start
            attribution.canonical = self.resolve_pronoun(pronoun_at, attribution.speaker_text) or attribution.speaker_text
        else:
            attribution.canonical = self.canonical_speaker(a, b)
        _set_method(index, attribution, a, b)

    def _sentence_opening_piece(self, k: int) -> int | None:
        """The uncued speech piece that opens the sentence piece k (cued after it) closes, when
        only a short aside in narration stands between them (no sentence ends there); else None."""
        if k == 0 or self.own[k][1] != "after":
            return None
        before, piece = self.pieces[k - 1], self.pieces[k]
        if before.paragraph != piece.paragraph or self.own[k - 1][0] is not None or not self.attributions[k - 1].is_speech:
            return None
        between = self.index.text[before.outer_end : piece.outer_start]
        closed = self.index.text[before.outer_start : before.outer_end].rstrip("\"'”’ ").endswith((".", "!", "?"))
        if closed or len(between) > 200 or SENTENCE_END.search(between):
            return None
        return k - 1

    def canonical_speaker(self, a: int, b: int) -> str:
        """The name or description the speaker mention [a, b) stands for, with pronouns, relative words and surnames resolved."""
        index = self.index
        a, b = _widened_to_names(index, a, b)
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
        author = index.indefinite_document_author(a, b)
        if author:
            return author  # "Doe is releasing a new ad that urges …": Doe's words
        poll = index.poll_behind(a, b)
        if poll:
            return poll  # "55 percent of voters said …, according to a new poll": the poll's finding
        words = text.split()
        if len(words) >= 2 and words[0].lower() == "the" and names and all(m.label == "NORP" for m in names):
            # "the Republican", "the Utah Democrat": a person described by party or people
            return index.description_antecedent(a, text) or text
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
        if words and words[0].lower() == "the" and all(m.label in PLACE_LABELS for m in names):
            # "the minister", "the Montana senator": a title whose holder the article names
            return index.description_antecedent(a, text) or text
        return text

    def resolve_pronoun(self, pos: int, pronoun: str | None = None) -> str | None:
        """The name the pronoun at `pos` most likely refers to (see DocIndex.resolve_pronoun), or None."""
        index = self.index
        return index.resolve_pronoun(pos, pronoun)

    def _resolve_continuation(self, k: int) -> None:
        """A speech piece with no cue: the subject of the last reporting verb just before it (same
        paragraph, or the previous one if the quote opens its paragraph), else the subject of the
        sentence carrying it, else the previous speaker, else the nearest person named before it."""
        index, pieces, attributions = self.index, self.pieces, self.attributions
        piece, attribution = pieces[k], attributions[k]
        credited = piece.credit or self._attribution_line(k)
        if credited is not None:
            self._credit(attribution, *credited, "attribution line")
            return
        lo_p = index.paragraphs[piece.paragraph][0]
        opens_paragraph = not index.text[lo_p : piece.outer_start].strip()
        region_start = index.paragraphs[piece.paragraph - 1][0] if opens_paragraph and piece.paragraph > 0 else lo_p
        gaps = _gaps_between_quotes(index, region_start, piece.outer_start)
        introduced = self._introduced_person(*gaps[-1]) if gaps else None
        if introduced is not None:
            # "“…,” says Doe. Roe did not need much coaxing. “I am thankful …”": the person the
            # sentence just before the quote is about, not the one who last spoke
            self._credit(attribution, introduced.start, introduced.end, "previous cue", introduced.text)
            return
        for a, b in reversed(gaps):
            cue = before_cue(index.doc, *index.tokens_within(a, b))
            if cue is not None and cue.speaker is not None and index.doc[cue.verb].lower_ != "according":
                s, e = index.chars(cue.speaker)
                if self._a_thing(s, e):
                    continue  # "The request for a roll call drew jeers": no one's words go on after it
                self._credit(attribution, s, e, "previous cue")
                return
        subject = self._narrating_subject(k)
        if subject is not None:
            self._credit(attribution, *subject, "previous cue")
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

    def _credit(self, attribution: Attribution, a: int, b: int, method: str, canonical: str | None = None) -> None:
        """Make the mention text[a:b] the speaker of `attribution` (its canonical name worked out
        unless given), found by `method`."""
        attribution.speaker_chars = (a, b)
        attribution.speaker_text = self.index.text[a:b]
        attribution.canonical = canonical if canonical is not None else self.canonical_speaker(a, b)
        _set_method(self.index, attribution, a, b, method)

    def _narrating_subject(self, k: int) -> tuple[int, int] | None:
        """(start, end) of the subject of the sentence that carries uncued piece k, before it: of
        the highest verb above the quote that has a subject naming someone, a body, a group or a
        document ("The commission recognized that a court should settle it — “so that …”": the
        commission, not the court; "Boos rained down, and the crowd reprised the chant “…”": the
        crowd, boos being a thing), not above the clause it is in (a relative clause stands for
        the noun it describes; a coordinated one ends the climb). A form of "be" and a passive
        subject say nothing ("Crows are considered the “…”"); a pronoun there, a heading in
        capitals or a subject inside a quote gives none."""
        index, piece = self.index, self.pieces[k]
        doc = index.doc
        if not doc.has_annotation("DEP") or piece.open_mark < 0:
            return None
        lo, _ = index.tokens_within(piece.start, piece.end)
        if lo >= len(doc):
            return None
        subjects: list[Token] = []  # nearest verb first, up to the clause that carries the quote
        for n in parse_path(doc, lo)[1:]:
            verb = doc[n]
            if not subjects and verb.lower_ in SPEECH_NOUNS and verb.idx < piece.open_mark:
                owner = _owner_of_words(verb)
                if owner is not None:
                    return index.chars(_entity_around(owner))
            if verb.idx >= piece.open_mark or verb.pos_ not in ("VERB", "AUX"):
                continue
            subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if subject is not None and verb.dep_ == "relcl" and subject.lower_ in ("who", "that", "which"):
                subject = verb.head  # "…, from Mike Lee, who declared, “…”": Mike Lee
            if subject is not None and verb.lemma_ != "be":
                subjects.append(subject)
            if verb.dep_ in ("conj", "relcl"):
                break  # "Trump planned a speech, but the speech had been reframed to “…”": not Trump
        for subject in reversed(subjects):  # the highest first
            if subject.pos_ == "PRON" or subject.lower_ in SPEAKER_PRONOUN_WORDS or index.inside_quote(subject.idx):
                return None
            a, b = index.chars(subject_phrase(doc, subject))
            if sum(c.isupper() for c in index.text[a:b]) > 3 and not any(c.islower() for c in index.text[a:b]):
                return None  # "NEW YORK ENDS TAMPON TAX “…”": a heading
            if not self._a_thing(a, b):
                return a, b
        return None

    def _a_thing(self, a: int, b: int) -> bool:
        """The phrase at text[a:b] names no one and stands for a thing that says nothing (not a
        document, a poll or someone's words): "the request", "a comical gesture"."""
        index = self.index
        if index.names_within(a, b) or index.text[a:b].lower() in SPEAKER_PRONOUN_WORDS:
            return False
        s, e = index.tokens_within(a, b)
        if e <= s:
            return False
        kind, _ = description_kind(index.doc, s, e)
        head = head_token(index.doc, s, e)
        return kind == "thing" and head is not None and head.lower_ not in THINGS_THAT_SPEAK

    def _introduced_person(self, a: int, b: int) -> NameMention | None:
        """The person named as the main subject of the last sentence of the narration [a, b)
        right before an uncued quote, when that sentence names no one else and has no
        reporting verb."""
        index = self.index
        text = index.text[a:b].rstrip()
        if not text.endswith((".", "!")) or len(text) < 3:
            return None
        a = max(a, index.sentence_of(a + len(text) - 2))  # its last sentence
        if len(index.text[a:b]) > 200 or before_cue(index.doc, *index.tokens_within(a, b)) is not None:
            return None
        people = [m for m in index.names_within(a, b) if m.label == "PERSON"]
        if len({m.text for m in people}) != 1:
            return None
        mention = people[0]
        if index.inside_quote(mention.start) or not index.is_main_subject(mention.start):
            return None
        return mention

    def _attribution_line(self, k: int) -> tuple[int, int] | None:
        """Where the name is in a line crediting the quote of a paragraph made only of quotation
        ("“…”" then "— Jane Doe." on its own line, as fact-checks and epigraphs print it), or None."""
        index, piece = self.index, self.pieces[k]
        if piece.paragraph + 1 >= len(index.paragraphs):
            return None
        outside = "".join(index.text[a:b] for a, b in _gaps_between_quotes(index, *index.paragraphs[piece.paragraph]))
        if outside.strip(" \t\n.,;…") or piece.continues:
            return None
        n_lo, n_hi = index.paragraphs[piece.paragraph + 1]
        line = index.text[n_lo:n_hi]
        match = ATTRIBUTION_LINE.fullmatch(line.strip())
        if match is None:
            return None
        a = n_lo + (len(line) - len(line.lstrip())) + match.start(1)
        b = a + len(match.group(1))
        if match.group(1).rstrip()[-1:] in "-–—―" or not index.names_within(a, b):
            return None  # "– An immigrant himself –": a subheading, not a credit
        return a, b

    def _point_at_previous_speaker(self, k: int, name: str) -> None:
        attributions = self.attributions
        for j in range(k - 1, -1, -1):
            if attributions[j].canonical == name and attributions[j].speaker_chars:
                attributions[k].speaker_chars = attributions[j].speaker_chars
                attributions[k].speaker_text = attributions[j].speaker_text
                return


def _owner_of_words(noun: Token) -> Token | None:
    """The person or body whose words the speech noun `noun` names, when the parse gives one by
    name: "comments from Senator Doe that “…”", "remarks by Acme", "Doe's claim that “…”"."""
    for child in noun.children:
        if child.dep_ == "poss" and child.ent_type_ in ("PERSON", "ORG"):
            return child
        if child.dep_ == "prep" and child.lower_ in ("from", "by"):
            name = next((c for c in child.children if c.dep_ == "pobj"), None)
            if name is not None and name.ent_type_ in ("PERSON", "ORG"):
                return name
    return None


def _entity_around(token: Token) -> tuple[int, int]:
    """The token range of the entity `token` is part of (its name without the titles before it:
    "Senator Tomas Berglund" -> "Tomas Berglund")."""
    doc, s, e = token.doc, token.i, token.i + 1
    while s > 0 and doc[s].ent_iob_ == "I":
        s -= 1
    while e < len(doc) and doc[e].ent_iob_ == "I":
        e += 1
    return s, e


def _widened_to_names(index: DocIndex, a: int, b: int) -> tuple[int, int]:
    """[a, b) grown to cover a name it cuts ("Corvell" of "SNX-Corvell", parsed as the head of
    its compound)."""
    i = bisect_right(index.name_starts, a) - 1
    if a > 0 and index.text[a - 1] == "-" and i >= 0 and index.names[i].start < a < index.names[i].end >= b:
        return index.names[i].start, max(b, index.names[i].end)
    return a, b
