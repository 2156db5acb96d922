"""Pronoun and description resolution over a `DocIndex`: what a subject pronoun ("he", "it",
"they") or a definite description ("the minister") stands for. `DocIndex` inherits these methods
from `PronounResolution`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

from tui.core.analysis.entity_names import (
    TITLE_WORDS,
    NameMention,
)
from tui.core.analysis.lexicon import (
    ANONYMOUS_NOUNS,
    AUTHORED_NOUNS,
    COMPANY_NOUNS,
    DESCRIPTION_OPENERS,
    DESCRIPTION_STOP_WORDS,
    EPITHET_NOUNS,
    GENERIC_ORG_NOUNS,
    NUMBER_WORDS,
    OBLIQUE_PREPOSITIONS,
    ORGANISATION_NOUNS,
    PARTY_WORDS,
    PERSON_NOUNS,
    POLL_NOUNS,
    PRONOUN_GENDER,
    PUBLIC_BODY_NOUNS,
    REPORTING_VERBS,
    ROLE_EPITHETS,
    SHARE_WORDS,
    TITLE_PAIRS,
    TITLE_WORD_FORMS,
)
from tui.core.analysis.quote_coref import (
    description_kind,
    lexical_sentence_subject,
    modifies_common_noun,
    pronoun_accepts,
    subject_phrase,
    word_gender,
)
from tui.core.analysis.quote_names import not_a_person_name, sentence_end_after, sentence_start_before
from tui.core.analysis.token_scan import tokens_with_lower

if TYPE_CHECKING:
    from tui.core.analysis.quote_index import SpeechEvent

# Parts of speech that end a title written before a name.
BEFORE_TITLE_STOPS = {"VERB", "AUX", "ADP", "DET", "PRON", "CCONJ", "SCONJ", "PART"}

# A candidate antecedent of a pronoun: (sentence start, mention start, subject — 0/False: no,
# 1/True: a subject, 2: the subject of a reporting verb —, canonical name, kind, gender).
PronounCandidate = tuple[int, int, int, str, str, str | None]


# Documents that come from whoever announced something just before ("A statement said …").
ANNOUNCED_NOUNS = {"statement", "release", "email", "e-mail", "letter", "message"}
WHOLE_ARTICLE = 1_000_000  # a window of paragraphs reaching the article's start
AFTER_PREPOSITION = "after a preposition"  # a name that only follows a preposition (_candidate_of_name)
# Where a name's tag or phrase places the person: "Doe, R-Iowa", "Doe (D-Vt.)", "Doe of Ohio".
PLACE_TAG_AFTER = re.compile(r"(?:,\s*|\s*\()[RDI]-([A-Z][A-Za-z.]*)|\s+(?:of|from)\s+([A-Z][a-z]+)")
# Prepositions a tagger may take into a name opening a sentence ("Outside Acme's plant, …").
OPENING_PREPOSITIONS = frozenset(OBLIQUE_PREPOSITIONS | {"outside", "inside"})
# The cue of a question: "“…?” Roe asked." / "“…?” asked Roe."
ASKED_AFTER = re.compile(r"[^.\n“\"]{0,60}?\b(?:asked|asks)\b[^.\n“\"]{0,40}")
# Words making a title another one: "Vice President Doe" is not "the president".
TITLE_QUALIFIERS = {"former", "ex", "vice", "deputy", "assistant", "acting", "interim", "late", "then", "associate"}


class PronounResolution:
    """The pronoun and definite-description resolver of `DocIndex` (a mixin: the index's own
    lookups and state are declared below for the type checker only)."""

    if TYPE_CHECKING:  # what DocIndex provides (declared for the type checker only)
        doc: Doc
        text: str
        headline: int
        starts: list[int]
        subject_tokens: list[int]
        paragraphs: list[tuple[int, int]]
        quote_ranges: list[tuple[int, int]]
        names: list[NameMention]
        name_starts: list[int]
        events: list[SpeechEvent]
        gender: dict[str, str]
        _subject_phrases: list[tuple[int, int, str, str | None]] | None
        _chain: list[tuple[int, str]] | None
        _chain_refs: list[str | None]
        _sentence_starts: dict[int, int]
        _role_names: dict[int, str | None]
        _name_places: list[tuple[int, bool]] | None
        _name_candidates: dict[int, PronounCandidate | str | None]

        def tokens_within(self, a: int, b: int) -> tuple[int, int]: ...  # noqa: D102
        def chars(self, tokens: tuple[int, int]) -> tuple[int, int]: ...  # noqa: D102
        def paragraph_of(self, pos: int) -> int: ...  # noqa: D102
        def inside_quote(self, pos: int) -> bool: ...  # noqa: D102
        def in_aside(self, pos: int) -> bool: ...  # noqa: D102
        def is_main_subject(self, pos: int) -> bool: ...  # noqa: D102
        def is_subject_mention(self, pos: int) -> bool: ...  # noqa: D102
        def after_preposition(self, pos: int) -> bool: ...  # noqa: D102
        def names_within(self, a: int, b: int) -> list[NameMention]: ...  # noqa: D102

    def _last_quote_end_before(self, pos: int) -> int:
        k = bisect_right(self.quote_ranges, (pos, float("inf"))) - 1
        while k >= 0 and self.quote_ranges[k][1] > pos:
            k -= 1
        return self.quote_ranges[k][1] if k >= 0 else 0

    def resolve_pronoun(
        self, pos: int, pronoun: str | None = None, window: int = 3, people_only: bool = False, exclude: str | None = None
    ) -> str | None:
        """What a subject pronoun at `pos` most likely refers to (`pronoun` None: any person).

        Candidates are names outside quotes that are not the object of a preposition, the
        (resolved) subjects of earlier reporting verbs and, for "it"/"they", organisation
        names and parsed noun-phrase subjects, within `window` paragraphs; only those the
        pronoun's gender and number allow (`quote_coref.pronoun_accepts`) are kept. The latest
        sentence holding a candidate wins; inside it a subject beats an object ("Doe told
        reporters results giving Roe a lead ... He said" -> Doe). Falls back to the nearest name
        after a preposition. (A person's gender is read once, from the whole article:
        `DocIndex._learn_name_genders`.)"""
        word = (pronoun or "").lower()
        topic = self._fronted_topic(pos, word)
        if topic is not None:
            return topic
        candidates, fallback = self._pronoun_candidates(pos, window, word)
        if exclude is not None:
            candidates = [c for c in candidates if c[3] != exclude]
            fallback = None if fallback == exclude else fallback
        if word in ("he", "she", ""):
            if word:
                allowed = [c for c in candidates if pronoun_accepts(word, c[4], self._gender_of(c))]
                candidates = allowed
            else:
                # no pronoun: anyone who can speak; `people_only`: a person, for a role's holder
                candidates = [c for c in candidates if c[4] == "person" or c[4] == "either" and not people_only]
        else:
            candidates = [c for c in candidates if pronoun_accepts(word, c[4], None)]
            fallback = None
        if not candidates:
            if fallback and word in ("he", "she") and self.gender.get(fallback) not in (None, PRONOUN_GENDER[word]):
                return None  # "… a showdown with Roe. “…,” she said": not Roe, whom the article calls "he"
            return fallback
        latest_sentence = max(c[0] for c in candidates)
        if word in ("he", "she"):
            named = self._person_after_preposition(pos, window)
            if named is not None and named[0] > latest_sentence and self.gender.get(named[1]) == PRONOUN_GENDER[word]:
                # "Doe spoke on Monday. … I met with Roe in his office. He is looking ahead": the
                # one person of the latest sentence naming anyone, though not as its subject
                return named[1]
        in_sentence = [c for c in candidates if c[0] == latest_sentence]
        subjects = [c for c in in_sentence if c[2]]
        if not subjects and word:
            # "Francis' message is a call to all. He has challenged …": whose the subject is (a
            # person the article gives that gender)
            gender = PRONOUN_GENDER.get(word)
            subjects = [c for c in in_sentence if self._owns_main_subject(c[1]) and self._gender_of(c) == gender]
        if not subjects and word:
            # Only people mentioned in passing there ("proposals from the front-runner, Jane
            # Roe, he added"): the person speaking in the passage is the likelier referent.
            paragraph = self.paragraph_of(pos)
            speakers = [c for c in candidates if c[2] == 2 and paragraph - self.paragraph_of(c[1]) <= 1]
            if speakers:
                in_sentence = subjects = [max(speakers, key=lambda c: c[1])]
        speaking = [c for c in subjects if c[2] == 2]
        main = [c for c in subjects if self.is_main_subject(c[1])]
        # "Doe, Roe said, has created …": the one whose words the sentence reports is its speaker
        main_speaking = [c for c in speaking if c in main or self._parenthetical_speaker(c[1])]
        # the main clause's subject before one in a relative clause ("Doe avoided attacking
        # Roe, who says …. He dismissed …": Doe)
        if subjects or not word:
            chosen = max(main_speaking or main or speaking or subjects or in_sentence, key=lambda c: c[1])
        else:
            chosen = min(in_sentence, key=lambda c: c[1])
        asked = self._person_asked_by(chosen[1], in_sentence)
        if asked is not None and (not word or pronoun_accepts(word, asked[4], self._gender_of(asked))):
            chosen = asked  # "Roe asked Doe whether …. “…,” he said": Doe answers
        if exclude is None and chosen[3] == self._asker_just_before(pos):
            # "“That would be you?” Roe asked. “That would be me,” he said": the one asked
            # answers, whoever the passage named before the question
            return self.resolve_pronoun(pos, pronoun, window + 2, people_only, exclude=chosen[3])
        return chosen[3]

    def _asker_just_before(self, pos: int) -> str | None:
        """Who asked the question quoted just before the quote `pos` follows ("“…?” Roe asked.
        “…,” he said"), read from the reporting verb's subject right after the question; else None."""
        k = bisect_right(self.quote_ranges, (pos, float("inf"))) - 1
        while k >= 0 and self.quote_ranges[k][1] > pos:
            k -= 1
        if k >= 0 and self.quote_ranges[k][0] >= self.paragraphs[self.paragraph_of(pos)][0]:
            k -= 1  # the quote the pronoun follows, in its own paragraph: the question is the one before
        if k < 0:
            return None
        start, end = self.quote_ranges[k]
        cue = ASKED_AFTER.match(self.text, end)
        if cue is None or not self.text[start:end].rstrip("”\"’' ").endswith("?"):
            return None
        return next((event.canonical for event in self.events if end <= event.start < cue.end()), None)

    def _name_head_at(self, pos: int) -> Token | None:
        """The parsed head of the name starting at `pos` ("Jane" of "Jane Doe" climbs to "Doe"),
        or None without a parse."""
        if not self.doc.has_annotation("DEP"):
            return None
        k = bisect_left(self.starts, pos)
        if k >= len(self.doc):
            return None
        token = self.doc[k]
        while token.dep_ in ("compound", "flat") and token.head is not token:
            token = token.head
        return token

    def _owns_main_subject(self, pos: int) -> bool:
        """The name at `pos` is the possessor of its sentence's main subject ("Doe's plan is …")."""
        token = self._name_head_at(pos)
        if token is None:
            return False
        owned = token.head
        return token.dep_ == "poss" and owned.dep_ in ("nsubj", "nsubjpass") and owned.head.dep_ == "ROOT"

    def _fronted_topic(self, pos: int, word: str) -> str | None:
        """ "As for Doe, he said …": the person named in a topic phrase that opens the pronoun's
        own sentence, when the pronoun can stand for them."""
        if word not in ("he", "she"):
            return None
        start = self.sentence_of(pos)
        match = FRONTED_TOPIC.match(self.text[start:pos])
        if match is None:
            return None
        a, b = start + match.start(1), start + match.end(1)
        people = [m for m in self.names_within(a, b) if m.label == "PERSON"]
        if len(people) != 1 or self.gender.get(people[0].text) not in (None, PRONOUN_GENDER[word]):
            return None
        return people[0].text

    def _parenthetical_speaker(self, pos: int) -> bool:
        """The mention at `pos` is the subject of a reporting verb set in its sentence between
        commas ("Doe, Roe said, has created …": Roe)."""
        token = self._name_head_at(pos)
        if token is None:
            return False
        verb = token.head
        return token.dep_ == "nsubj" and verb.dep_ == "parataxis" and verb.lower_ in REPORTING_VERBS

    def _gender_of(self, candidate: PronounCandidate) -> str | None:
        return candidate[5] or _description_gender(candidate[3]) or self.gender.get(candidate[3])

    def _names_before(self, pos: int, window: int) -> Iterator[NameMention]:
        """Name mentions ending before `pos`, nearest first, at most `window` paragraphs back,
        outside quotations."""
        for i in self._name_indices_before(pos, window):
            yield self.names[i]

    def _name_indices_before(self, pos: int, window: int) -> Iterator[int]:
        """The indices in `names` of `_names_before(pos, window)`."""
        paragraph = self.paragraph_of(pos)
        if self._name_places is None:  # (paragraph, in narration) of each name, worked out once
            self._name_places = [
                (self.paragraph_of(m.start), not self.inside_quote(m.start) and m.start >= self.headline) for m in self.names
            ]
        places = self._name_places
        i = bisect_left(self.name_starts, pos) - 1
        while i >= 0:
            mention = self.names[i]
            name_paragraph, in_narration = places[i]
            i -= 1
            if paragraph - name_paragraph > window:
                return
            if in_narration and mention.end <= pos:
                yield i + 1

    def _pronoun_candidates(self, pos: int, window: int, word: str = "") -> tuple[list[PronounCandidate], str | None]:
        """(sentence, start, is_subject, canonical, kind, gender) tuples, and a fallback name."""
        paragraph = self.paragraph_of(pos)
        candidates: list[PronounCandidate] = []
        fallback: str | None = None
        want_orgs = word in ("it", "they")
        for i in self._name_indices_before(pos, window):
            mention = self.names[i]
            if mention.label != "PERSON" and not (want_orgs and mention.label in ("ORG", "GPE", "NORP")):
                continue
            if i not in self._name_candidates:
                self._name_candidates[i] = self._candidate_of_name(mention)
            made = self._name_candidates[i]
            if made is None:
                continue
            if isinstance(made, str):  # AFTER_PREPOSITION
                if mention.label == "PERSON":
                    fallback = fallback or mention.text
                continue
            candidates.append(made)
        if word in ("he", "she", ""):
            # "She had never voted before, and she doubts Roe can win": the person a narration
            # pronoun stands for is still the topic
            chain = self._pronoun_chain(pos)
            # none before the first paragraph in reach is a candidate
            first = bisect_left(chain, (self.paragraphs[paragraph - window][0],)) if paragraph > window else 0
            for (at, pronoun), referent in zip(chain[first:], self._chain_refs[first:]):
                if referent and at < pos and paragraph - self.paragraph_of(at) <= window:
                    candidates.append((self.sentence_of(at), at, True, referent, "person", PRONOUN_GENDER[pronoun]))
        for event in self.events:
            if event.start < pos and paragraph - self.paragraph_of(event.start) <= window:
                # 2: the subject of a reporting verb, the person speaking in the passage
                candidates.append((self.sentence_of(event.start), event.start, 2, event.canonical, event.kind, event.gender))
        if word == "they":
            candidates.extend(self._named_pairs_before(pos, window))
        if want_orgs:
            for a, b, kind, _ in self.subject_phrases:
                if kind != "person" and a < pos and paragraph - self.paragraph_of(a) <= window:
                    candidates.append((self.sentence_of(a), a, True, self.text[a:b], kind, None))
        elif word in ("he", "she"):
            # "A 29-year-old Berlin woman received probation …. “…,” she wrote": a described
            # person whose head noun tells the gender
            for a, b, kind, gender in self.subject_phrases:
                if kind == "person" and a < pos and paragraph - self.paragraph_of(a) <= window:
                    candidates.append((self.sentence_of(a), a, True, self.text[a:b], kind, gender))
            # "On Monday, the mayor brought the plan up again. “…,” he said": the person the
            # role stands for
            for a, name in self._role_subjects(pos, window):
                candidates.append((self.sentence_of(a), a, True, name, "person", None))
        return candidates, fallback

    def _candidate_of_name(self, mention: NameMention) -> PronounCandidate | str | None:
        """What a person's or body's name mention is to `_pronoun_candidates` (the same each time,
        so it is worked out once): None when it names no one a pronoun stands for, AFTER_PREPOSITION
        when it follows a preposition (a person there is only a fallback), else its candidate."""
        if not_a_person_name(mention.text) and mention.label == "PERSON":
            return None
        if self.text[mention.start - 1 : mention.start] == "-":
            return None  # "the district's anti-Doe lean": an attitude to Doe, no mention of an actor
        if self.after_preposition(mention.start) or self._opens_with_preposition(mention):
            return AFTER_PREPOSITION
        if self._modifies_noun(mention):
            return None  # "it opposed the Doe pipeline": a pipeline, no one a "she" stands for
        kind = "person" if mention.label == "PERSON" else ("group" if mention.label == "NORP" else "org")
        return (self.sentence_of(mention.start), mention.start, self.is_subject_mention(mention.start), mention.text, kind, None)

    def _opens_with_preposition(self, mention: NameMention) -> bool:
        """The tagger took a capitalised preposition opening the sentence into the name ("Outside
        Acme's plant, …"): the name is a preposition's object."""
        if mention.text.split(" ", 1)[0].lower() not in OPENING_PREPOSITIONS:
            return False
        s, e = self.tokens_within(mention.start, mention.end)
        first = self.doc[s]
        return e - s > 1 and (first.pos_ == "ADP" or bool(first.is_sent_start)) and first.lower_ in OPENING_PREPOSITIONS

    def _role_subjects(self, pos: int, window: int) -> list[tuple[int, str]]:
        """(start, name) of each subject before `pos` (within `window` paragraphs, outside quotes)
        that is a definite description of a role the article ties to a named person ("the
        mayor" -> "Jane Doe"; see `description_antecedent`)."""
        if not self.doc.has_annotation("DEP"):
            return []
        paragraph = self.paragraph_of(pos)
        lo = self.paragraphs[max(0, paragraph - window)][0]
        found = []
        subjects = self.subject_tokens
        window_tokens = subjects[
            bisect_left(subjects, bisect_left(self.starts, lo)) : bisect_left(subjects, bisect_left(self.starts, pos))
        ]
        for k in window_tokens:
            token = self.doc[k]
            if token.pos_ != "NOUN" or self.inside_quote(token.idx):
                continue
            s, e = subject_phrase(self.doc, token)
            if self.doc[s].lower_ != "the" or e - s > 4 or self.doc[e - 1].i != token.i:
                continue
            a, b = self.chars((s, e))
            if a not in self._role_names:  # memoised: the same subjects come up for every pronoun
                name = self.description_antecedent(a, self.text[a:b])
                people = name and any(m.text == name and m.label == "PERSON" for m in self.names)
                self._role_names[a] = name if people else None
            name = self._role_names[a]
            if name:
                found.append((a, name))
        return found

    def _modifies_noun(self, mention: NameMention) -> bool:
        """The name is a modifier of the common noun after it, inside an article's noun phrase
        ("the Doe campaign"; not "Jane Doe strode", a verb misread as a noun), or a place's or
        body's name is ("Harbour City mayor", "Acme trucks")."""
        if not self.doc.has_annotation("DEP"):
            return False
        s, e = self.tokens_within(mention.start, mention.end)
        if e > s and mention.label != "PERSON":
            return modifies_common_noun(self.doc[e - 1])
        return e > s > 0 and self.doc[s - 1].lower_ in ("the", "a", "an") and modifies_common_noun(self.doc[e - 1])

    def _person_after_preposition(self, pos: int, window: int) -> tuple[int, str] | None:
        """(sentence, name) of the nearest person named before `pos` as the object of a
        preposition, in a sentence naming no one else whose subject is no person ("I met with Roe")."""
        for mention in self._names_before(pos, window):
            if mention.label != "PERSON" or not_a_person_name(mention.text):
                continue
            if not self.after_preposition(mention.start):
                return None
            sentence = self.sentence_of(mention.start)
            others = [m for m in self.names_within(sentence, pos) if m.label == "PERSON" and m.text != mention.text]
            if others or self._person_subject(mention.start):
                return None
            return sentence, mention.text
        return None

    def _person_subject(self, pos: int) -> bool:
        """The main clause of the sentence holding `pos` has a person as its subject (a name, a
        he/she or a description of a person: "The radio host filled his speeches for Roe")."""
        if not self.doc.has_annotation("DEP"):
            return True
        k = bisect_left(self.starts, pos)
        if k >= len(self.doc):
            return True
        root = self.doc[k].sent.root
        subjects = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subjects:
            return False
        subject = subjects[0]
        if subject.lower_ in ("he", "she", "they") or subject.ent_type_ == "PERSON":
            return True
        if subject.pos_ not in ("NOUN", "PROPN"):
            return False
        # "the radio talker": a noun for someone, even where the word lists do not know it
        return description_kind(self.doc, *subject_phrase(self.doc, subject))[0] == "person" or _people_noun(subject)

    def _named_pairs_before(self, pos: int, window: int) -> list[PronounCandidate]:
        """People named together outside quotes before `pos` ("David Doe and Jane Roe", "Professors
        Doe, Roe and Poe"): each run is a group a "they" can stand for, named as written."""
        runs: list[list[NameMention]] = []
        for mention in reversed(list(self._names_before(pos, window))):  # reading order
            joiner = self.text[runs[-1][-1].end : mention.start] if runs else ""
            if runs and mention.label == "PERSON" and joiner in (" and ", ", ", ", and ") and runs[-1][-1].label == "PERSON":
                runs[-1].append(mention)
            else:
                runs.append([mention])
        found: list[PronounCandidate] = []
        for run in runs:
            if len(run) >= 2 and all(m.label == "PERSON" for m in run):
                start, end = run[0].start, run[-1].end
                found.append(
                    (self.sentence_of(start), start, self.is_subject_mention(start), self.text[start:end], "group", None)
                )
        return found

    def _pronoun_chain(self, pos: int) -> list[tuple[int, str]]:
        """The he/she subjects outside quotes before `pos`, each resolved in reading order (so
        each sees the ones before it); `_chain_refs` holds what they stand for."""
        if self._chain is None:
            self._chain = []
            if self.doc.has_annotation("DEP"):
                for k in tokens_with_lower(self.doc, ("he", "she")):
                    token = self.doc[k]
                    if token.dep_ in ("nsubj", "nsubjpass") and not self.inside_quote(token.idx):
                        self._chain.append((token.idx, token.lower_))
        while len(self._chain_refs) < len(self._chain) and self._chain[len(self._chain_refs)][0] < pos:
            at, pronoun = self._chain[len(self._chain_refs)]
            self._chain_refs.append(None)  # placeholder while it is resolved (never its own candidate)
            self._chain_refs[-1] = self.resolve_pronoun(at, pronoun)
        return self._chain[: len(self._chain_refs)]

    @property
    def subject_phrases(self) -> list[tuple[int, int, str, str | None]]:
        """Parsed noun-phrase subjects outside quotes that are organisations or groups, or people
        described by a gendered noun ("a Berlin woman"): (start, end, kind, gender)."""
        if self._subject_phrases is None:
            self._subject_phrases = []
            if self.doc.has_annotation("DEP"):
                for k in self.subject_tokens:
                    token = self.doc[k]
                    if token.pos_ not in ("NOUN", "PROPN"):
                        continue
                    if self.inside_quote(token.idx) or self.in_aside(token.idx):
                        continue
                    s, e = subject_phrase(self.doc, token)
                    first = self.doc[s].lower_
                    if first not in DESCRIPTION_OPENERS and not self.doc[s].text[:1].isupper():
                        continue
                    kind, gender = description_kind(self.doc, s, e, token.ent_type_ or None)
                    owned = s + 1 < e and self.doc[s + 1].lower_ in ("'s", "’s")  # "Doe's wife, Jane"
                    described = (first in ("a", "an", "the", "one", "another") or owned) and not token.ent_type_
                    if kind == "group" and not token.ent_type_ and not _people_noun(token):
                        continue  # "Wages fell …": a plural thing, which no "they said" stands for
                    if kind in ("org", "group") or (kind == "person" and gender and described):
                        a, b = self.chars((s, e))
                        self._subject_phrases.append((a, b, kind, gender))
            else:
                for sent in self.doc.sents:
                    phrase = lexical_sentence_subject(self.doc, sent.start, sent.end)
                    if phrase is not None and not self.inside_quote(self.doc[phrase[0]].idx):
                        a, b = self.chars(phrase[:2])
                        self._subject_phrases.append((a, b, phrase[2], None))
        return self._subject_phrases

    def description_antecedent(self, pos: int, description: str, window: int = 3) -> str | None:
        """The named person or organisation a definite description at `pos` stands for, or None:
        "the minister", "the Texas senator", "the U.N. secretary-general" (head noun last, up to
        three modifiers before it; a capitalised modifier such as a place prefers a name written
        near it). See `definite_antecedent`."""
        words = description.replace("’s", "'s").split()
        if len(words) < 2 or len(words) > 5 or words[0].lower() != "the":
            return None
        if any(w.endswith("'s") or w.lower() in DESCRIPTION_STOP_WORDS for w in words[1:]):
            return None  # "the senator's aide", "the head of the agency": not the titled person
        noun = words[-1].lower().strip(",.;:")
        if noun in AUTHORED_NOUNS and len(words) <= 3:
            return self.document_author(pos, noun, window)
        if len(words) > 2 and f"{words[-2]} {words[-1]}".lower().replace(" ", "-") in TITLE_PAIRS:
            noun = f"{words[-2]}-{words[-1]}".lower()
        hints = [w for w in words[1:-1] if w[:1].isupper() and w.lower() not in TITLE_WORDS]
        qualifiers = {w.lower().rstrip("-") for w in words[1:-1]} & TITLE_QUALIFIERS
        return self.definite_antecedent(pos, noun, window, hints=hints, generic=len(words) == 2, qualifiers=qualifiers)

    def document_author(self, pos: int, noun: str, window: int = 2) -> str | None:
        """Who issued the document a definite description at `pos` stands for ("the memo" ->
        "Jane Doe" after "Doe wrote in a memo", "the report" -> "the Harbour Board" after "a
        report by the Harbour Board"): the latest earlier mention of the document
        (or of the verb that makes it, "emailed") outside quotes, and the name that owns it
        ("Doe's memo"), wrote it ("a report by/from X"), or is the subject of its verb; None when
        no name is found there."""
        if not self.doc.has_annotation("DEP"):
            return None
        forms = AUTHORED_NOUNS[noun]
        paragraph = self.paragraph_of(pos)
        k = bisect_left(self.starts, pos) - 1
        found = False
        while k >= 0:
            token = self.doc[k]
            k -= 1
            if paragraph - self.paragraph_of(token.idx) > window:
                return None
            if token.lower_ not in forms or self.inside_quote(token.idx):
                continue
            author = self._author_of(token)
            if author is not None or not (token.dep_ == "nsubj" and token.head.lower_ in REPORTING_VERBS):
                return author
            found = True  # "The email said …": the same document speaking, its author named further back
        return None if found else self._latest_announcer(pos)

    def _latest_announcer(self, pos: int) -> str | None:
        """ "The state party announced on Thursday she was not coming. “…,” the release said":
        a document not mentioned before stands for the organisation or person whose reporting
        verb comes last before it, in this paragraph or the one before."""
        paragraph = self.paragraph_of(pos)
        for event in reversed(self.events):
            if event.start >= pos or self.inside_quote(event.start):
                continue
            if paragraph - self.paragraph_of(event.start) > 1:
                return None
            return event.canonical if event.kind in ("org", "either", "person") else None
        return None

    def indefinite_document_author(self, a: int, b: int) -> str | None:
        """ "Doe is releasing a new 30-second ad that urges …": the name that owns, writes or
        issues an indefinite document (a/an + a document noun) whose mention is the characters a:b."""
        words = self.text[a:b].split()
        if len(words) < 2 or words[0].lower() not in ("a", "an") or not self.doc.has_annotation("DEP"):
            return None
        s, e = self.tokens_within(a, b)
        if words[-1].lower().strip(",.") in AUTHORED_NOUNS and e > 0:
            # "Acme said its director was killed. A statement said …": when the document says
            # nothing of its author, the one who just announced it
            announced = len(words) == 2 and words[1].lower() in ANNOUNCED_NOUNS
            return self._author_of(self.doc[e - 1]) or (self._latest_announcer(a) if announced else None)
        # "A statement e-mailed to reporters by Jane Doe": the phrase's head is the document
        heads = [t for t in self.doc[s:e] if not s <= t.head.i < e or t.head is t]
        if len(heads) == 1 and heads[0].lower_ in AUTHORED_NOUNS and heads[0].i <= s + 2:
            return self._author_of(heads[0])
        return None

    def poll_behind(self, a: int, b: int) -> str | None:
        """ "Some 55 percent of voters said …, according to a Quinnipiac poll": the poll a share
        of the people asked (the mention a:b) stands for, when its sentence or the one before
        names a poll or survey outside quotes; else None."""
        words = self.text[a:b].lower().replace("%", " % ").split()
        share = any(w in SHARE_WORDS for w in words[:5]) or (
            len(words) > 2 and words[1] == "in" and (words[0].isdigit() or words[0] in NUMBER_WORDS)
        )  # "six in 10 Republicans"
        if not share or not self.doc.has_annotation("DEP"):
            return None
        sentence = self.sentence_of(a)
        lo = self.sentence_of(sentence - 1) if sentence > 0 else sentence
        hi = sentence_end_after(self.text, b, self.paragraphs[self.paragraph_of(a)][1])
        i, j = self.tokens_within(lo, hi)
        polls = [t for t in self.doc[i:j] if t.lower_ in POLL_NOUNS and t.pos_ == "NOUN" and not self.inside_quote(t.idx)]
        if not polls:
            return None
        poll = min(polls, key=lambda t: abs(t.idx - a))  # the nearest
        start = poll.left_edge.idx
        return " ".join(self.text[start : poll.idx + len(poll)].split())

    def _author_of(self, token: Token) -> str | None:
        """The name owning, writing or issuing the document (or making it, for a verb) at `token`."""
        for child in token.children:
            if child.dep_ in ("poss", "compound") and (name := self._name_at(child.idx)):
                return name  # "Doe's memo", "the Roe campaign ad"
            # "a report by X", "a memo released on Monday by X"
            heads = [child] + [c for c in child.children if c.dep_ in ("prep", "agent")] if child.dep_ == "acl" else [child]
            for prep in heads:
                if prep.dep_ in ("prep", "agent") and prep.lower_ in ("by", "from", "of"):
                    for grandchild in prep.children:
                        if grandchild.dep_ == "pobj" and (name := self._name_at(grandchild.idx)):
                            return name
        verb = token
        for _ in range(3):
            if verb.pos_ in ("VERB", "AUX"):
                break
            verb = verb.head
        if verb.pos_ not in ("VERB", "AUX"):
            return None
        for child in verb.children:
            if child.dep_ == "nsubj" and child.lower_ not in ("it", "this"):
                return self._name_at(child.idx)  # "Doe emailed supporters", "Acme released a report"
        for child in verb.children:
            if child.dep_ in ("prep", "agent") and child.lower_ in ("by", "from"):
                # "an email was sent from the club's director, Jane Doe, to …": its sender
                for sender in child.children:
                    if sender.dep_ != "pobj":
                        continue
                    named = [sender, *(c for c in sender.children if c.dep_ == "appos")]
                    return next((n for t in named if (n := self._name_at(t.idx))), None)
        for child in verb.children:
            if child.dep_ == "nsubjpass" and child.lower_ not in ("it", "this"):
                return self._name_at(child.idx)
        return None

    def _name_at(self, pos: int) -> str | None:
        """The person or organisation name mention covering character `pos`, if any."""
        i = bisect_right(self.name_starts, pos) - 1
        if i >= 0 and self.names[i].start <= pos < self.names[i].end and self.names[i].label in ("PERSON", "ORG"):
            return self.names[i].text
        return None

    def definite_antecedent(
        self,
        pos: int,
        noun: str,
        window: int = 3,
        hints: list[str] | None = None,
        generic: bool = True,
        qualifiers: set[str] | None = None,
    ) -> str | None:
        """The named person or organisation a definite description stands for ("the minister"
        -> "Environment Minister Jane Doe", "the company" -> "Acme Corp"): the nearest earlier
        name outside quotes that carries the noun as a title or in its name, or sits next to
        it ("the start-up company Acme"); for a generic organisation noun ("the company",
        "the group") with a tagger, else the nearest organisation that is a subject."""
        epithet = noun in EPITHET_NOUNS or noun in ROLE_EPITHETS and self._role_written_before(noun, pos)
        role = noun in TITLE_WORDS or noun in PERSON_NOUNS or noun in TITLE_PAIRS or epithet
        org = noun in ORGANISATION_NOUNS
        if noun in ANONYMOUS_NOUNS or not role and not org:
            return None
        generic_name = None
        titled, recent, elsewhere = False, set(), False
        for mention in self._names_before(pos, window):
            if role and mention.label != "PERSON" or org and mention.label not in ("ORG", "either"):
                continue
            match = self._titled_as(mention, noun, hints, qualifiers or set())
            if match == "exact":
                return mention.text
            if match == "title":
                if self._placed_elsewhere(mention, hints):
                    elsewhere = True  # "Sen. Jane Doe, R-Iowa" is not "the Florida senator"
                    continue
                titled = True
                if self.paragraph_of(pos) - self.paragraph_of(mention.start) <= 1:
                    recent.add(mention.text)  # a holder named just before
                continue
            if (
                org
                and generic_name is None
                and generic
                and noun in GENERIC_ORG_NOUNS
                and self.doc.has_annotation("DEP")
                and self.is_subject_mention(mention.start)
                and not _other_kind_of_body(mention.text, noun)
            ):
                generic_name = mention.text
        if titled:
            # titled, but none from the place the description names: only the one holder of the
            # title written just before ("Sen. Doe spoke first. “…,” the Ohio senator said")
            return recent.pop() if noun in TITLE_WORDS and len(recent) == 1 else None
        if elsewhere and noun in TITLE_WORDS:
            # every holder of the title is from another place: the person the passage is about,
            # if the article places them nowhere else ("Roe stressed defense …. The Florida
            # senator told reporters …")
            referent = self._epithet_referent(pos, noun, hints or [])
            placed = [m for m in self.names if m.text == referent and self._placed_elsewhere(m, hints)]
            return referent if referent is not None and not placed else None
        if epithet and generic_name is None:
            # the person the passage is about, unless the article titled someone else so long
            # before ("Coach Bram Olsen" in the opening paragraphs)
            referent = self._epithet_referent(pos, noun, hints or [])
            holders = {
                m.text
                for m in self._names_before(pos, WHOLE_ARTICLE)
                if m.label == "PERSON" and self._titled_as(m, noun, hints, qualifiers or set())
            }
            if referent is not None and (referent in holders or not holders):
                return referent
            if not holders:  # nobody titled so: the one the story is about (of the party it names)
                leading = self._leading_person(pos) if self._role_written_before(noun, pos) else None
                party = _party_words(noun, hints or [])
                if leading is not None and (not party or party & self._parties_of(leading)):
                    return leading
                return None
            return holders.pop() if len(holders) == 1 else None
        if org and generic_name is None:
            return self._latest_speaking_org(pos, noun)
        return generic_name

    def _latest_speaking_org(self, pos: int, noun: str) -> str | None:
        """ "In a statement, the Harbour Board said …. The agency added …": an organisation
        description (head `noun`) no name before carries stands for the organisation that spoke
        last, when the latest reporting verb before it (this paragraph or the one before) is that
        organisation's and its name calls it nothing of another kind ("the firm" is no "Harbour
        Ministry")."""
        paragraph = self.paragraph_of(pos)
        for event in reversed(self.events):
            if event.start >= pos or self.inside_quote(event.start):
                continue
            if paragraph - self.paragraph_of(event.start) > 1 or event.kind not in ("org", "either"):
                return None
            if _other_kind_of_body(event.canonical, noun):
                return None
            return event.canonical if any(m.text == event.canonical for m in self.names) else None
        return None

    def _role_written_before(self, noun: str, pos: int) -> bool:
        """The article names the role `noun` before the description at `pos` ("Harbour City mayor",
        "the mayor's claims"), so the description can point back to its holder."""
        pattern = re.compile(rf"\b{re.escape(noun)}\b", re.I)
        return pattern.search(self.text, self.headline, max(self.headline, pos - 1)) is not None

    def _described_apart(self, name: str, noun: str, pos: int) -> bool:
        """A sentence before `pos` has "the … <noun>" as a subject and names `name` elsewhere ("The
        former president spoke after Ansel Crane"): two people."""
        if not self.doc.has_annotation("DEP"):
            return False
        for mention in self.names:
            if mention.text != name or mention.start >= pos:
                continue
            k = bisect_left(self.starts, mention.start)
            if k >= len(self.doc):
                continue
            for token in self.doc[k].sent:
                if token.lower_ == noun and token.dep_ in ("nsubj", "nsubjpass") and token.left_edge.lower_ == "the":
                    if not token.left_edge.idx <= mention.start <= token.idx:
                        return True
        return False

    def _leading_person(self, pos: int) -> str | None:
        """The person the story is about, when one stands out: named outside quotes before `pos`
        at least four times, and twice as often as anyone else."""
        counts: dict[str, int] = {}
        for mention in self._names_before(pos, WHOLE_ARTICLE):
            if mention.label == "PERSON" and not not_a_person_name(mention.text):
                counts[mention.text] = counts.get(mention.text, 0) + 1
        ranked = sorted(counts.values(), reverse=True)
        if not ranked or ranked[0] < 4 or len(ranked) > 1 and ranked[0] < 2 * ranked[1]:
            return None
        return max(counts, key=lambda name: counts[name])

    def _titled_as(self, mention: NameMention, noun: str, hints: list[str] | None, qualifiers: set[str]) -> str | None:
        """ "exact" when the name carries the title `noun` and every hint ("Ohio" of "the Ohio
        senator") in its title or the few words after it, "title" when only the title, else None.
        The title is read before the name and in its apposition ("Secretary-General Ban", "Ban,
        the Secretary General of …"); a qualified title is another one unless the description
        says so too ("Vice President Doe", "former governor Roe" are not "the president", "the
        governor")."""
        s, e = self.tokens_within(mention.start, mention.end)
        if e <= s:
            return None
        near = self._title_words_before(s) + [t.lower_ for t in self.doc[s:e]]
        if e < len(self.doc) and self.doc[e].text == ",":
            for t in self.doc[e + 1 : e + 8]:  # the apposition up to its first preposition
                if t.lower_ in DESCRIPTION_STOP_WORDS or t.text in (",", ".", "!", "?", ";") or t.is_space:
                    break
                near.append(t.lower_)
        words = [w for w in near if w != "-"]
        title = noun.replace("-", " ").split()
        at = next((i for i in range(len(words)) if words[i : i + len(title)] == title), None)
        if at is None:
            return None
        before = {w.rstrip("-") for w in words[:at]} & TITLE_QUALIFIERS
        if before - qualifiers:
            return None
        if not hints:
            return "exact"
        # the words of its title and the few after the name ("Sen. Doe of Ohio", "Ohio Sen. Doe")
        after = []
        for t in self.doc[e : e + 5]:
            if t.is_space or t.text in (".", "!", "?", ";"):
                break  # not the next sentence's words ("…, R-Iowa.\n\nThe Florida senator")
            after.append(t.lower_)
        context = " ".join(near) + " " + " ".join(after)
        return "exact" if all(h.rstrip(".,").lower() in context for h in hints) else "title"

    def _placed_elsewhere(self, mention: NameMention, hints: list[str] | None) -> bool:
        """The words around the name place the person somewhere the description's place words
        (`hints`: "Florida" of "the Florida senator") do not name ("Sen. Jane Doe, R-Iowa", "Iowa
        Sen. Jane Doe")."""
        if not hints:
            return False
        s, e = self.tokens_within(mention.start, mention.end)
        if e <= s:
            return False
        wanted = {h.rstrip(".,").lower()[:1] for h in hints}
        titles = self._title_words_before(s)
        places = [t.lower_ for t in self.doc[s - len(titles) : s] if t.ent_type_ in ("GPE", "LOC")]
        tagged = PLACE_TAG_AFTER.match(self.text, mention.end)
        if tagged:
            places.append((tagged.group(1) or tagged.group(2)).lower())
        # first letters only: "R-Fla." may stand for "Florida"
        return bool(places) and not any(place[:1] in wanted for place in places)

    def _epithet_referent(self, pos: int, noun: str, hints: list[str]) -> str | None:
        """ "Doe took the stage. “…,” the Ohio Republican said": an epithet nobody before carries
        as a title stands for the person the passage is about (as a "he" or "she" there would),
        unless the article gives that person another party ("the Democratic front-runner" is not
        "Republican Jane Doe")."""
        gender = word_gender(noun)
        name = self.resolve_pronoun(pos, {"m": "he", "f": "she"}.get(gender or ""), window=1, people_only=True)
        if not name or not any(m.text == name and m.label == "PERSON" for m in self.names):
            return None
        sentence = self.sentence_of(pos)
        if self._described_apart(name, noun, pos):
            return None
        if any(m.text == name and self.sentence_of(m.start) == sentence for m in self.names if m.start != pos):
            return None  # "Roe took on Doe after the front-runner said …": not the one named beside it
        return None if self._party_clash(name, noun, hints) else name

    def _party_clash(self, name: str, noun: str, hints: list[str]) -> bool:
        """The description's party ("the Democratic front-runner") is not the one the article
        gives the person `name`."""
        party = _party_words(noun, hints)
        return bool(party and (their := self._parties_of(name)) and not party & their)

    def _parties_of(self, name: str) -> set[str]:
        """The parties the article writes next to the person `name` ("Republican Jane Doe",
        "Doe, a Democrat,", "Sen. Jane Doe (R-Ohio)")."""
        parties: set[str] = set()
        for mention in self.names:
            if mention.text != name:
                continue
            s, e = self.tokens_within(mention.start, mention.end)
            near = self._title_words_before(s) + [t.lower_ for t in self.doc[e : e + 6]]
            parties |= {PARTY_WORDS[w] for w in near if w in PARTY_WORDS}
            after = self.text[mention.end : mention.end + 6]
            if after.startswith((" (R-", " (D-", " (I-")):
                parties.add(after[2])
        return parties

    def _title_words_before(self, s: int, most: int = 4) -> list[str]:
        """The words just before token `s` that can be a title of the name there ("U.N.
        Secretary-General", "former Gov."), stopping at a verb, preposition, article or comma."""
        words: list[str] = []
        k = s - 1
        while k >= 0 and len(words) < most:
            t = self.doc[k]
            if t.text != "-" and (t.is_punct or t.is_space or t.pos_ in BEFORE_TITLE_STOPS):
                break
            words.insert(0, TITLE_WORD_FORMS.get(t.lower_, t.lower_))
            k -= 1
        return words

    def sentence_of(self, pos: int) -> int:
        """Start of the sentence containing character `pos`."""
        start = self._sentence_starts.get(pos)
        if start is None:
            lo_p = self.paragraphs[self.paragraph_of(pos)][0]
            start = self._sentence_starts[pos] = sentence_start_before(self.text, pos, lo_p)
        return start

    def _person_asked_by(self, pos: int, in_sentence: list[PronounCandidate]) -> PronounCandidate | None:
        """When the mention at `pos` is the subject of "ask" and its object is a candidate
        person of the same sentence, that person (the one who answers)."""
        if not self.doc.has_annotation("DEP"):
            return None
        k = bisect_left(self.starts, pos)
        if k >= len(self.doc):
            return None
        token = self.doc[k]
        while token.dep_ in ("compound", "flat", "appos", "det", "amod") and token.head is not token:
            token = token.head  # "A reporter asked Doe …": from "A" to its noun
        verb = token.head
        if token.dep_ != "nsubj" or verb.lemma_ != "ask":
            return None
        for child in verb.children:
            if child.dep_ == "dobj":
                start = child.left_edge.idx
                end = child.idx + len(child)
                for c in in_sentence:
                    if start <= c[1] < end and c[4] in ("person", "either"):
                        return c
        return None


# "As for Doe, he …", "Speaking of Roe, she …": a sentence opening on its topic, then the pronoun.
FRONTED_TOPIC = re.compile(r"\s*(?:As for|As to|Speaking of|And as for)\s+([^,]{2,60}?)\s*,\s*$")


def _other_kind_of_body(name: str, noun: str) -> bool:
    """The organisation's name calls it a body of another kind than the description's head
    `noun`: a company ("the firm") for a "Ministry of Harbours", or a public body for "Acme Corporation"."""
    calls = {w.lower().strip(",.") for w in name.split()}
    if noun in COMPANY_NOUNS:
        return bool(calls & PUBLIC_BODY_NOUNS)
    return noun in PUBLIC_BODY_NOUNS and bool(calls & COMPANY_NOUNS)


def _party_words(noun: str, hints: list[str]) -> set[str]:
    """The party letters a description names ("the Democratic front-runner" -> {"D"})."""
    return {PARTY_WORDS[w.lower()] for w in [*hints, noun] if w.lower() in PARTY_WORDS}


def _description_gender(canonical: str) -> str | None:
    """The gender a description carries in its own head noun ("the man", "a Berlin woman"): a
    "she" is never "the man", whatever a misread pronoun taught."""
    words = canonical.split()
    if len(words) < 2 or words[0].lower() not in DESCRIPTION_OPENERS:
        return None
    return word_gender(words[-1].strip(",."))


# Endings of nouns for people ("workers", "activists", "politicians", "immigrants", "employees").
PEOPLE_NOUN_ENDINGS = (
    "er",
    "or",
    "ist",
    "ian",
    "ant",
    "ent",
    "ee",
    "ive",
    "ite",
    "ers",
    "ors",
    "ists",
    "ians",
    "ants",
    "ents",
    "ees",
    "ives",
    "ites",
)


def _people_noun(head: Token) -> bool:
    """A common noun that names people or bodies ("voters", "the groups", "a talker")."""
    lower = head.lower_
    singular = head.lemma_.lower() if head.lemma_ else lower.rstrip("s")
    return (
        singular in PERSON_NOUNS
        or singular in ORGANISATION_NOUNS
        or lower in ("people", "men", "women", "children", "folks", "police", "staff", "crowd", "public")
        or lower.endswith(PEOPLE_NOUN_ENDINGS)
    )
