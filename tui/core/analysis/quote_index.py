"""One document's index for the quote finder: token/character lookups, paragraphs, quotation
ranges, name mentions, the speech events (who said what outside quotes, resolved in reading
order) and pronoun resolution over them (`DocIndex.resolve_pronoun`).

Split out of `quotes.py`; `quotes` re-exports these names.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator  # noqa: F401
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from tui.core.analysis.entity_names import (
    TITLE_WORDS,
    NameMention,
    headline_end,
    link_canonical_names,
    name_run_at,
    name_run_starting_at,
    strip_possessive,
)
from tui.core.analysis.given_names import given_name_gender, weak_given_name_gender
from tui.core.analysis.lexicon import (  # noqa: F401  (word lists live in the lexicon)
    ABBREVIATIONS,
    ANONYMOUS_NOUNS,
    DESCRIPTION_OPENERS,
    DOCUMENT_NOUNS,
    FUNCTION_WORDS,
    GENERIC_ORG_NOUNS,
    LABEL_WORDS,
    MONTH_WORDS,
    NOT_A_SPEAKER,
    NOT_NOUN_STARTS,
    NOUN_CONTINUATION_STOPWORDS,
    OBLIQUE_PREPOSITIONS,
    ORG_HEAD_WORDS,
    ORGANISATION_NOUNS,
    PERSON_NOUNS,
    PLACE_HEADS,
    POSSESSIVE_PRONOUNS,
    PRONOUN_GENDER,
    REPORTING_VERBS,
    SPEAKER_PRONOUN_WORDS,
    SPEECH_NOUNS,
)
from tui.core.analysis.page_asides import aside_ranges
from tui.core.analysis.quote_coref import (  # noqa: F401  (re-exported)
    description_kind,
    gender_near_mention,
    lexical_sentence_subject,
    modifies_common_noun,
    possessive_gender_after,
    pronoun_accepts,
    subject_phrase,
)
from tui.core.analysis.quote_cue_parse import LOST_SUBJECT_BLOCKERS, lost_subject_of
from tui.core.analysis.quote_cue_words import (
    is_reporting_verb,
)
from tui.core.analysis.quote_cues import (
    subject_before,
)
from tui.core.analysis.quote_marks import QuotedPiece, paragraph_bounds

# quote_names and quote_pronouns were split out of this module: every name it defined stays importable from here.
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
from tui.core.analysis.quote_pronouns import PronounCandidate, PronounResolution  # noqa: F401  (re-exported)
from tui.core.analysis.result import LOW_CONFIDENCE, Quote, Speaker  # noqa: F401  (LOW_CONFIDENCE: re-exported)
from tui.core.analysis.token_scan import (
    doc_text,
    possible_name_starts,
    token_ends,
    token_starts,
    tokens_with_dep,
    tokens_with_lower,
)

NAME_LABELS = {"PERSON", "ORG", "GPE", "NORP"}


# Capitalised role words that open a name run in text without a tagger ("Activist Jane Doe").
ROLE_PREFIXES = (
    TITLE_WORDS
    | (
        PERSON_NOUNS
        - {"one", "person", "someone", "somebody", "head", "member", "son", "friend", "general", "chair", "guard", "fan"}
    )
    | {"general"}
)


class DocIndex(PronounResolution):
    """Character/token lookups over one document, built once per doc."""

    def __init__(self, doc: Doc, pieces: list[QuotedPiece], text: str | None = None):
        self.doc = doc
        self.text = doc_text(doc) if text is None else text
        self.starts = token_starts(doc)
        self.ends = token_ends(doc)
        self.subject_tokens = tokens_with_dep(doc, ("nsubj", "nsubjpass"))  # the parsed subjects, in order
        self.paragraphs = paragraph_bounds(self.text)
        self.para_starts = [lo for lo, _ in self.paragraphs]
        self.pieces = pieces
        self.headline = headline_end(self.text)  # a title-case first line: no discourse
        self.quote_ranges = sorted((p.outer_start, p.outer_end) for p in pieces)
        self.asides = aside_ranges(self.text)  # "WATCH: …", "Story continues below advertisement"
        self.names = [m for m in self._name_mentions() if not self.in_aside(m.start)]
        self.name_starts = [m.start for m in self.names]
        self.events: list[SpeechEvent] = []
        self.label_like: list[bool] = []
        self.gender: dict[str, str] = {}
        self._subject_phrases: list[tuple[int, int, str, str | None]] | None = None
        self._chain: list[tuple[int, str]] | None = None  # he/she subjects in narration
        self._chain_refs: list[str | None] = []
        self._name_places: list[tuple[int, bool]] | None = None  # _names_before, worked out once
        self._name_candidates: dict[int, PronounCandidate | str | None] = {}  # _candidate_of_name, by name index
        self._sentence_starts: dict[int, int] = {}  # sentence_of, memoised (the text never changes)
        self._role_names: dict[int, str | None] = {}  # _role_subjects, memoised
        self._subject_at: dict[int, bool] = {}  # is_subject_mention, memoised
        self._after_preposition_at: dict[int, bool] = {}  # after_preposition, memoised
        self._find_speech_events()
        self.events = [e for e in self.events if not self.in_aside(e.start)]

    # -- tokens -----------------------------------------------------------------------------
    def tokens_within(self, a: int, b: int) -> tuple[int, int]:
        """Token range (i, j) of the tokens lying entirely within the characters [a, b)."""
        i = bisect_left(self.starts, a)
        j = bisect_left(self.starts, b)
        while j > i and self.ends[j - 1] > b:
            j -= 1
        return i, j

    def chars(self, tokens: tuple[int, int]) -> tuple[int, int]:
        """Character range (start, end) of a token range."""
        s, e = tokens
        return self.starts[s], self.ends[e - 1]

    def paragraph_of(self, pos: int) -> int:
        """Index of the paragraph containing character `pos` (between paragraphs: the one before)."""
        return max(0, bisect_right(self.para_starts, pos) - 1)

    def in_aside(self, pos: int) -> bool:
        """Whether character `pos` lies on a line of page furniture (`page_asides`)."""
        k = bisect_right(self.asides, (pos, float("inf"))) - 1
        return k >= 0 and self.asides[k][0] <= pos < self.asides[k][1]

    def inside_quote(self, pos: int) -> bool:
        """Whether character `pos` lies within a quotation, its marks included."""
        k = bisect_right(self.quote_ranges, (pos, float("inf"))) - 1
        return k >= 0 and self.quote_ranges[k][0] <= pos < self.quote_ranges[k][1]

    # -- names ------------------------------------------------------------------------------
    def _name_mentions(self) -> list[NameMention]:
        doc = self.doc
        if not doc.has_annotation("ENT_IOB"):
            return self._lexical_name_mentions()
        mentions: list[NameMention] = []
        covered: set[int] = set()
        for ent in doc.ents:
            covered.update(range(ent.start, ent.end))
            if ent.label_ in NAME_LABELS:
                canonical = ent._.margin_canonical if Span.has_extension("margin_canonical") else None
                canonical = canonical or strip_possessive(ent.text)
                mentions.append(NameMention(ent.start_char, ent.end_char, canonical, ent.label_))
        for mention in self._lexical_name_mentions(min_tokens=2):
            i, j = self.tokens_within(mention.start, mention.end)
            if not any(k in covered for k in range(i, j)):
                mentions.append(mention)  # a name the tagger missed ("Jane Doe, from Ohio, says")
        mentions.sort(key=lambda m: m.start)
        return mentions

    def _lexical_name_mentions(self, min_tokens: int = 1) -> list[NameMention]:
        """Capitalised runs (titles stripped) standing in for person names: all of them in the
        rules-only pipeline, runs the tagger missed otherwise."""
        doc, mentions, i = self.doc, [], 0
        # only a capitalised word or a proper noun opens a name run: look at those alone
        for first in possible_name_starts(doc, self.text, self.starts):
            if first < i:
                continue  # inside the run found last
            i = first
            run = name_run_at(doc, i)
            if not run:
                continue
            s, e = run
            last = doc[e - 1].lower_
            if last not in ORG_HEAD_WORDS:
                # "Foreign Minister Jane Doe": drop everything up to the last title word
                titles = [k for k in range(s, e - 1) if doc[k].lower_.rstrip(".") in ROLE_PREFIXES]
                if titles:
                    s = titles[-1] + 1
            start, end = doc[s].idx, doc[e - 1].idx + len(doc[e - 1])
            i = e
            if e - s < min_tokens or not any(t.text[:1].isupper() for t in doc[s:e]):
                continue  # "powerful rules committee" the tagger called proper nouns: no name
            # Without a tagger a lone capitalised word is as often a place or an adjective as
            # a person: call it ORG (usable as a speaker, not as a pronoun's antecedent). A
            # lone word opening a sentence is kept only if it is the surname of a full name.
            opener = e - s == 1 and self._opens_sentence(s)
            label = "PERSON" if e - s > 1 and not self._names_a_body(s, e) else "ORG"
            mentions.append(NameMention(start, end, self.text[start:end], label, tagged_person=opener))
        canonical = link_canonical_names(
            [NameMention(m.start, m.end, m.text, m.label) for m in mentions], headline_end(self.text)
        )
        kept = []
        for mention, name in zip(mentions, canonical):
            if mention.tagged_person:  # (marks a sentence opener here)
                mention.tagged_person = False
                if name == mention.text:
                    continue
            if name != mention.text:
                mention.label = "PERSON"  # a surname of a full name seen elsewhere
            mention.text = name  # the mention now carries its canonical form
            kept.append(mention)
        return kept

    def _names_a_body(self, s: int, e: int) -> bool:
        """The capitalised run doc[s:e] ends in an organisation's head word and does not open
        with a given name: "Superior Court", "Finance Committee" (not "Margaret Court")."""
        return self.doc[e - 1].lower_ in ORG_HEAD_WORDS and given_name_gender(self.doc[s:e].text) is None

    def _opens_sentence(self, i: int) -> bool:
        j = i - 1
        while j >= 0 and self.doc[j].is_space:
            j -= 1
        return (
            j < 0
            or self.doc[j].text in (".", "!", "?", ":", "—")
            or "\n" in self.doc[i - 1].text_with_ws
            or self.doc[j].text in CLOSING_QUOTES
        )

    def names_within(self, a: int, b: int) -> list[NameMention]:
        """Name mentions lying entirely within the characters [a, b), in reading order."""
        i = bisect_left(self.name_starts, a)
        out = []
        while i < len(self.names) and self.names[i].start < b:
            if self.names[i].end <= b:
                out.append(self.names[i])
            i += 1
        return out

    # -- who spoke before: reporting-verb subjects, resolved in reading order ------------------
    def _find_speech_events(self) -> None:
        """Every "X said"/"said X" outside quotes whose subject is a name, a pronoun or a
        description ("the ministry said"). Names the tagger called organisations but that speak
        like people ("Jane Doe said") are re-labelled PERSON for pronoun resolution."""
        doc = self.doc
        found = []
        for k in tokens_with_lower(doc, REPORTING_VERBS):
            token = doc[k]
            if self.inside_quote(token.idx) or not is_reporting_verb(token):
                continue
            subject = self._subject_of(token.i)
            if subject is None:
                continue
            a, b = self.chars(subject)
            is_pronoun = self.text[a:b].lower() in SPEAKER_PRONOUN_WORDS
            names = [m for m in self.names_within(a, b) if self._is_name_with_titles(m, a, b)]
            found.append((a, b, is_pronoun, names, subject))
        for _, _, _is_pronoun, names, _ in found:
            for mention in names:
                if mention.label == "ORG" and looks_like_personal_name(mention.text):
                    for other in self.names:
                        if other.text == mention.text:
                            other.label = "PERSON"
        self._learn_name_genders()
        for a, b, is_pronoun, names, subject in found:
            kind, gender = "person", None
            if is_pronoun:
                canonical = self.resolve_pronoun(a, self.text[a:b])
                word = self.text[a:b].lower()
                if word in ("it", "they"):
                    kind = "org" if word == "it" else "group"
            elif names:
                people = [m for m in names if m.label == "PERSON"]
                canonical = (people or names)[0].text
                if not people:
                    # an organisation name ("The Gazette Press reported"), or a person the tagger missed
                    head = canonical.split()[-1].lower() if canonical.split() else ""
                    kind = "org" if head in ORG_HEAD_WORDS else "either"
            else:
                words = self.text[a:b].split()
                if not words or words[0].lower() not in DESCRIPTION_OPENERS:
                    continue
                canonical = self.text[a:b]
                kind, gender = description_kind(doc, *subject)
                canonical = self.description_antecedent(a, canonical) or canonical
            if canonical:
                self.events.append(SpeechEvent(a, b, canonical, kind, gender))

    def _learn_name_genders(self) -> None:
        """Gender of each person from the words around its mentions, weighed: a title or role
        word beside a mention counts 3, a common given name 2, a later "his"/"her" in the
        sentence 1 (it may belong to someone else); a tie leaves it unknown."""
        votes: dict[str, dict[str, float]] = {}
        people = [
            m for m in self.names if m.label == "PERSON" and not self.inside_quote(m.start) and not not_a_person_name(m.text)
        ]  # not "R-Ore." either: a "his" after "Sen. Jane Doe (R-Ore.)" is still hers to claim
        possessives = tokens_with_lower(self.doc, ("his", "her"))  # a later one is the weakest evidence
        for n, mention in enumerate(people):
            s, e = self.tokens_within(mention.start, mention.end)
            if e <= s:
                continue
            tally = votes.setdefault(mention.text, {})
            gender, weight = gender_near_mention(self.doc, s, e), 3
            if gender is None:
                hi_char = sentence_end_after(self.text, mention.end, self.paragraphs[self.paragraph_of(mention.start)][1])
                if n + 1 < len(people) and people[n + 1].start < hi_char:
                    hi_char = people[n + 1].start  # stop where the next person is named
                _, hi = self.tokens_within(mention.end, hi_char)
                if bisect_left(possessives, e) == bisect_left(possessives, hi):
                    continue  # no "his"/"her" in reach
                if self._previous_subject_is_another_person(s, mention):
                    continue  # "Roe said …. Doe has backed her challenger": maybe Roe's
                gender, weight = possessive_gender_after(self.doc, s, e, hi), 1
            if gender:
                tally[gender] = tally.get(gender, 0) + weight
        for name, gender, weight in [*self._pronoun_continuations(people), *self._reported_self(people)]:
            tally = votes.setdefault(name, {})
            tally[gender] = tally.get(gender, 0) + weight
        self.gender = {}
        for name, tally in votes.items():
            by_name = given_name_gender(name)
            if by_name:
                tally[by_name] = tally.get(by_name, 0) + 2
            weak = weak_given_name_gender(name)
            if weak:
                tally[weak] = tally.get(weak, 0) + 0.5  # a tie-breaker only
            male, female = tally.get("m", 0), tally.get("f", 0)
            if male != female:
                self.gender[name] = "m" if male > female else "f"

    def _previous_subject_is_another_person(self, s: int, mention: NameMention) -> bool:
        """The sentence before token `s` (in the same paragraph) has a person other than `mention`
        as its main subject: a "his"/"her" after the mention may still be about that person."""
        if not self.doc.has_annotation("DEP"):
            return False
        start = self.doc[s].sent.start
        if start == 0 or self.paragraph_of(self.doc[start - 1].idx) != self.paragraph_of(mention.start):
            return False
        for token in self.doc[start - 1].sent:
            if token.dep_ == "nsubj" and token.head.dep_ == "ROOT" and token.ent_type_ == "PERSON":
                return token.text not in mention.text.split()
        return False

    def _reported_self(self, people: list[NameMention]) -> Iterator[tuple[str, str, int]]:
        """(name, gender, 1) for each person who is the subject of a reporting verb whose reported
        clause opens on a he/she ("Jane Doe, a manager, said she is unsure"): most often the
        speaker speaking of themself; or of a verb with a coordinated clause whose subject is a
        he/she, nobody else named between ("Doe has wavered, but she has said …")."""
        if not self.doc.has_annotation("DEP"):
            return
        for mention in people:
            k = bisect_left(self.starts, mention.start)
            if k >= len(self.doc):
                continue
            token = self._phrase_head(self.doc[k])
            if token is None or token.dep_ != "nsubj":
                continue
            reporting = token.head.lower_ in REPORTING_VERBS
            for clause in token.head.children:
                # "Doe said she is unsure"; "Doe has taken a stance, but she has said …": the
                # clause the name's verb reports, or one coordinated with it
                if clause.i < token.head.i or not (clause.dep_ == "ccomp" and reporting or clause.dep_ == "conj"):
                    continue
                pronouns = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("he", "she")]
                if not pronouns or self.inside_quote(pronouns[0].idx):
                    continue
                between = self.names_within(mention.end, pronouns[0].idx)
                if clause.dep_ == "conj" and any(m.label == "PERSON" for m in between):
                    continue  # "Doe met Roe, and she …": either of them
                yield mention.text, PRONOUN_GENDER[pronouns[0].lower_], 1

    def _pronoun_continuations(self, people: list[NameMention]) -> Iterator[tuple[str, str, int]]:
        """(name, gender, weight) for each sentence opening on a he/she subject right after a sentence
        whose subject is the one person it names ("Doe could have cited it. He didn't.")"""
        if not self.doc.has_annotation("DEP") or not people:
            return
        starts = [m.start for m in people]
        for k in tokens_with_lower(self.doc, ("he", "she")):
            token = self.doc[k]
            if token.dep_ not in ("nsubj", "nsubjpass") or token.head.dep_ != "ROOT":
                continue
            sentence = token.sent
            if token.i - sentence.start > 1 or sentence.start == 0 or self.inside_quote(token.idx):
                continue
            previous = self.doc[sentence.start - 1].sent
            if self.paragraph_of(token.idx) - self.paragraph_of(previous.start_char) > 1:
                continue
            other = "she" if token.lower_ == "he" else "he"
            if any(t.lower_ == other and t.dep_ in ("nsubj", "nsubjpass") for t in sentence):
                continue  # "He is in Ghana and she is back home": the two people named before, apart
            named = people[bisect_left(starts, previous.start_char) : bisect_left(starts, previous.end_char)]
            if len({m.text for m in named}) == 1 and any(self.is_subject_mention(m.start) for m in named):
                yield named[0].text, PRONOUN_GENDER[token.lower_], 2
            else:
                main = {m.text for m in named if self.is_main_subject(m.start)}
                if len(main) == 1:
                    yield main.pop(), PRONOUN_GENDER[token.lower_], 1

    def _is_name_with_titles(self, mention: NameMention, a: int, b: int) -> bool:
        """The subject is this name plus at most role words ("Police Chief Jane Doe")."""
        if mention.label not in ("PERSON", "ORG") or self.text[mention.end : b].strip():
            return False
        rest = self.text[a : mention.start].split()
        return all(w[:1].isupper() or w.lower() in TITLE_WORDS or w.lower() in ("the", "a", "an") for w in rest)

    def _subject_of(self, verb: int) -> tuple[int, int] | None:
        token = self.doc[verb]
        lo_p = self.paragraphs[self.paragraph_of(token.idx)][0]
        start = max(lo_p, sentence_start_before(self.text, token.idx, lo_p), self._last_quote_end_before(token.idx))
        lo, _ = self.tokens_within(start, token.idx)
        subject = subject_before(self.doc, verb, lo)
        if subject is None and verb + 1 < len(self.doc):  # "…,” said Jane Doe
            run = name_run_starting_at(self.doc, verb + 1, min(len(self.doc), verb + 8))
            if run is not None and (verb == lo or self.doc[verb - 1].is_punct):
                subject = run
        return subject

    def is_main_subject(self, pos: int) -> bool:
        """Parsed as the subject of its sentence's main verb (not of a relative or reported clause)."""
        if not self.doc.has_annotation("DEP"):
            return False
        k = bisect_left(self.starts, pos)
        if k >= len(self.doc):
            return False
        if stands_for_missing_subject(self.doc[k]):
            return True
        token = self._phrase_head(self.doc[k])
        if token is None or token.dep_ not in ("nsubj", "nsubjpass"):
            return False
        verb = token.head
        return verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")

    @staticmethod
    def _phrase_head(token: Token) -> Token | None:
        """The head of the phrase a name token belongs to ("Her father, Brad, worried": Brad
        stands for "father"), or None when the name only modifies a common noun ("Coal miners
        are …", "Doe supporters said")."""
        while token.dep_ in ("compound", "flat", "appos") and token.head is not token:
            if modifies_common_noun(token):
                return None
            head = token.head
            if token.dep_ == "appos" and head.pos_ == "NOUN" and head.lower_ not in PERSON_NOUNS | TITLE_WORDS:
                return token  # "Proposals from the front-runner, Jane Roe, …" misparsed: Roe is no proposal
            token = head
        return token

    def is_subject_mention(self, pos: int) -> bool:
        """Parsed as a subject, or (without a parser) opening its clause."""
        found = self._subject_at.get(pos)
        if found is None:
            found = self._subject_at[pos] = self._is_subject_mention(pos)
        return found

    def _is_subject_mention(self, pos: int) -> bool:
        k = bisect_left(self.starts, pos)
        if k >= len(self.doc):
            return False
        if self.doc.has_annotation("DEP"):
            if stands_for_missing_subject(self.doc[k]):
                return True
            token = self._phrase_head(self.doc[k])
            if token is None:
                return False
            if token.dep_ == "pobj" and token.head.lower_ in ("like", "including") and token.head.head is not token:
                token = token.head.head  # "Those who came, like Jane Doe, enjoyed": an example of the subject
            if token.dep_ == "ROOT" and token.pos_ == "PROPN":
                # "Local baker Jane Doe, who lost 9 lbs. …, says": a sentence cut at an
                # abbreviation leaves the name the root of a fragment describing it
                return any(c.dep_ in ("relcl", "appos", "acl") for c in token.children)
            return token.dep_ in ("nsubj", "nsubjpass")
        j = k - 1
        while j >= 0 and (self.doc[j].lower_.rstrip(".") in TITLE_WORDS or self.doc[j].lower_ in ("the", "a", "an")):
            j -= 1
        return j < 0 or self.doc[j].text == "," or self._opens_sentence(j + 1)

    def last_person_before(self, pos: int) -> NameMention | None:
        """The nearest person mention ending before `pos` outside quotations, or None."""
        i = bisect_left(self.name_starts, pos) - 1
        while i >= 0:
            mention = self.names[i]
            if mention.label == "PERSON" and mention.end <= pos and not self.inside_quote(mention.start):
                return mention
            i -= 1
        return None

    def _renames_subject(self, appos: Token) -> bool:
        """An apposition closing a subject noun phrase right before its verb ("A spokesman for the
        party's faction, Jane Doe, says"), wherever the parser attached it."""
        top = appos.head
        while top.dep_ in ("pobj", "prep") and top.head is not top:
            top = top.head
        after = appos.right_edge.i + 1
        return (
            top.dep_ in ("nsubj", "nsubjpass")
            and after + 1 < len(self.doc)
            and self.doc[after].text == ","
            and self.doc[after + 1].i == top.head.i
        )

    def after_preposition(self, pos: int) -> bool:
        """Whether the mention at `pos` (past any title words or article) follows a preposition ("to", "with", "by")."""
        found = self._after_preposition_at.get(pos)
        if found is None:
            found = self._after_preposition_at[pos] = self._after_preposition(pos)
        return found

    def _after_preposition(self, pos: int) -> bool:
        k = bisect_left(self.starts, pos) - 1
        if self.doc.has_annotation("DEP") and k + 1 < len(self.doc):
            token = self.doc[k + 1]
            while token.dep_ in ("compound", "flat") and token.head is not token:
                token = token.head
            if stands_for_missing_subject(token):
                return False
            if token.dep_ == "appos" and token.head.dep_ == "pobj" and not self._renames_subject(token):
                token = token.head  # "from the front-runner, Jane Roe," : Roe stands for the object
            if token.dep_ == "pobj" and token.head.lower_ in OBLIQUE_PREPOSITIONS:
                return True
        while k >= 0 and (self.doc[k].lower_.rstrip(".") in TITLE_WORDS or self.doc[k].lower_ in ("the", "a", "an")):
            k -= 1
        return k >= 0 and self.doc[k].lower_ in OBLIQUE_PREPOSITIONS


def stands_for_missing_subject(token: Token) -> bool:
    """The name at `token` was parsed into an opening prepositional phrase though it is the subject
    its sentence's main verb lacks (see `quote_cue_parse.subject_lost_to_preposition`)."""
    while token.dep_ in ("compound", "flat") and token.head is not token:
        token = token.head
    if token.ent_type_ != "PERSON" or token.dep_ not in ("appos", "conj", "pobj"):
        return False
    root = token.sent.root
    if root.pos_ not in ("VERB", "AUX") or any(c.dep_ in LOST_SUBJECT_BLOCKERS for c in root.children):
        return False
    return lost_subject_of(token, root)


@dataclass
class SpeechEvent:
    """The subject of a reporting verb outside quotes: its characters, the speaker it stands for, its kind and gender."""

    start: int
    end: int
    canonical: str
    kind: str = "person"  # person | org | group | thing (quote_coref.description_kind)
    gender: str | None = None
