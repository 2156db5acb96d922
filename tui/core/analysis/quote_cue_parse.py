"""Cue subjects and speaker mentions read from the dependency parse, when the pipeline has one
(`quote_cues` falls back to the words themselves without it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
from tui.core.analysis.lexicon import DOCUMENT_NOUNS
from tui.core.analysis.quote_cue_words import _is_pronoun, is_reporting_verb

RELATIVE_WORDS = {"who", "that", "which", "whom"}
SUBJECT_DEPS = ("nsubj", "nsubjpass")
# climbing from a participle or complement to the verb that carries the subject
CLIMB_DEPS = ("advcl", "xcomp", "conj", "pcomp", "ccomp", "prep")
MENTION_RIGHT_DEPS = ("amod", "prep", "pobj", "acl", "compound", "nummod", "case", "poss")


def _inside_marks(doc: Doc, lo: int, i: int) -> bool:
    """Is token i inside a quotation opened after token lo (an odd number of marks before it)?"""
    text = doc[lo:i].text_with_ws if i > lo else ""
    return (text.count('"') + text.count("“") + text.count("”")) % 2 == 1


def subject_lost_to_preposition(doc: Doc, verb: Token) -> Token | None:
    """The noun the parser hung on an opening prepositional phrase (as an object of its
    preposition, or an apposition or conjunct of one) though it is the subject `verb` lacks: "At a
    rally in Dalby, 62-year-old Jane Doe also railed …", "Although there is no overlap with Roe's
    team, a White House official who spoke anonymously said …". The noun's phrase follows a comma
    and ends right before the verb (only adverbs and auxiliaries between); None when the verb has
    a subject or no such noun is found."""
    if verb.pos_ not in ("VERB", "AUX") or any(c.dep_ in LOST_SUBJECT_BLOCKERS for c in verb.children):
        return None
    # the noun's phrase ends right before the verb: climb from that last word to the phrase's head
    k = verb.i - 1
    start = verb.sent.start
    while k >= start and doc[k].pos_ in ("ADV", "AUX", "PART"):
        k -= 1
    if k < start:
        return None
    token = doc[k]
    for _ in range(12):
        if token.right_edge.i != k:
            return None
        if lost_subject_of(token, verb):
            return token
        if token.head.i == token.i or token.head.i >= verb.i:
            return None
        token = token.head
    return None


LOST_SUBJECT_BLOCKERS = {"nsubj", "nsubjpass", "expl", "csubj"}


def lost_subject_of(token: Token, verb: Token) -> bool:
    """Whether `token` is a noun hung on an opening prepositional phrase that ends right before
    `verb` after a comma (see `subject_lost_to_preposition`; the verb's own subjects unchecked)."""
    if token.pos_ not in ("NOUN", "PROPN") or token.dep_ not in ("appos", "conj", "pobj") or token.i >= verb.i:
        return False
    doc = token.doc
    if not all(t.pos_ in ("ADV", "AUX", "PART") for t in doc[token.right_edge.i + 1 : verb.i]):
        return False
    attached = token
    while attached.dep_ in ("appos", "conj") and attached.head is not attached:
        attached = attached.head  # "in Salem, Oregon, retired nurse Jane Doe": one more place
    start = token.left_edge.i
    return attached.dep_ == "pobj" and start > 0 and doc[start - 1].text == ","


def dep_subject(doc: Doc, verb: int, lo: int, hi: int) -> tuple[int, int] | None:
    """The speaker of the reporting verb at `verb` read from the dependency parse, within
    doc[lo:hi]: the verb's subject (climbing from "…, saying" / "was quoted as saying" to the
    verb that has one); "according to X" -> X; a relative pronoun ("Doe, who said") -> the noun
    it attaches to. Never the verb's object. None without a parse or when nothing fits."""
    if not doc.has_annotation("DEP"):
        return None
    token = doc[verb]
    if token.lower_ == "according":
        for child in doc[verb + 1].children if verb + 1 < len(doc) else ():
            if child.dep_ == "pobj" and lo <= child.i < hi:
                return dep_mention(doc, child, lo, hi)
        return None
    for _ in range(6):
        # (a "subject" in the paragraph before is the parser running two paragraphs together)
        subjects = [c for c in token.children if c.dep_ in SUBJECT_DEPS and not across_paragraphs(doc, c.i, token.i)]
        if not subjects:
            # "Jane Doe, noting the figures, said": the subject parsed under the participle
            for child in token.children:
                if child.dep_ == "advcl" and child.i < token.i and child.tag_ in ("VBG", "VBN"):
                    subjects = [c for c in child.children if c.dep_ in SUBJECT_DEPS and c.i < child.i]
                    if subjects:
                        break
        if not subjects and token.i == verb:
            lost = subject_lost_to_preposition(doc, token)
            if lost is not None and lo <= lost.i < hi:
                subjects = [lost]
        if not subjects and token.dep_ == "relcl" and token.head.pos_ in ("PROPN", "NOUN") and lo <= token.head.i < hi:
            return dep_mention(doc, token.head, lo, hi)  # "the group that said"
        agents = [c for c in token.children if c.dep_ == "agent"]
        if agents and token.i == verb and token.lower_ not in ("quoted",) and any(c.dep_ == "nsubjpass" for c in token.children):
            # "Doe was asked by Roe whether …": Roe speaks, Doe is addressed (but "Doe was joined
            # by Roe and joked": Doe, the subject the two verbs share)
            objects = [c for c in agents[0].children if c.dep_ == "pobj" and lo <= c.i < hi]
            if objects and objects[0].pos_ in ("PROPN", "NOUN", "PRON"):
                return dep_mention(doc, objects[0], lo, hi)
        if (
            subjects
            and token.i != verb
            and token.dep_ == "ccomp"
            and is_reporting_verb(token.head)
            and is_reporting_verb(doc[verb])
        ):
            # "Doe said that Roe was right, adding …" / "Doe said it was early but added":
            # a reporting verb hanging in the reported clause belongs to the one reporting
            token = token.head
            continue
        if (
            subjects
            and token.i == verb
            and token.dep_ == "ccomp"
            and is_reporting_verb(token.head)
            and is_thing(doc, subjects[0])
            and any(c.dep_ in SUBJECT_DEPS for c in token.head.children)
        ):
            # "Doe said that the plan should reiterate “…”": a thing reports nothing; Doe speaks
            token = token.head
            continue
        if subjects:
            subject = subjects[0]
            if token.i != verb and is_thing(doc, subject) and subject.lower_ not in DOCUMENT_NOUNS:
                if token.dep_ in ("ccomp", "advcl") and _subject_above(token):
                    # "Doe made clear that the meeting was private, saying …": the clause is Doe's
                    token = token.head
                    continue
                # "The first incident came …, when protesters interrupted her, shouting “…”": an
                # incident shouts nothing; the people of the clause between do
                subject = _animate_subject_between(doc, subject.i + 1, verb) or subject
            people = [c for c in subjects[1:] if c.ent_type_ == "PERSON" and lo <= c.i < hi]
            if subject.ent_type_ == "PERSON" and people and people[-1].i < token.i and subject.i < people[-1].i:
                # "Or maybe Jane Doe, consultant John Roe says": the name next to the verb speaks
                subject = people[-1]
            elif subject.ent_type_ != "PERSON" and people:
                # two subjects parsed: "wrote the ambassador at the time, Jane Doe"; a dateline
                # "Paris (AFP) – Jane Doe has said": the person
                subject = people[0]
            elif not subject.ent_type_ and subject.pos_ == "NOUN":
                # "the celebrity press Acme Books announced": the name beside the description
                named = [c for c in subjects[1:] if c.ent_type_ and c.left_edge.i == subject.i + 1 and c.i < hi]
                subject = named[0] if named else subject
            if subject.lower_ in RELATIVE_WORDS and token.dep_ == "relcl":
                subject = token.head
            if subject.pos_ == "PRON" and subject.lower_ in RELATIVE_WORDS:
                return None
            if not lo <= subject.i < hi or subject.pos_ not in ("PROPN", "NOUN", "PRON"):
                return None
            if subject.pos_ == "PRON" and not _is_pronoun(subject):
                return None  # "this", "everyone", "something"
            mention = dep_mention(doc, subject, lo, hi)
            if mention and subject.pos_ == "NOUN" and not subject.ent_type_:
                mention = _name_beside(doc, mention, lo, hi) or mention
            for conj in subject.children:  # "NASA and ESA said": both
                if mention and conj.dep_ == "conj" and conj.ent_type_ and conj.i < hi:
                    mention = (mention[0], max(mention[1], conj.i + 1))
                    while mention[1] < hi and doc[mention[1]].ent_iob_ == "I":
                        mention = (mention[0], mention[1] + 1)
            return mention
        if token.dep_ == "xcomp" and token.head is not token:
            # "That prompted Doe to make a joke and call Roe “…”": the one prompted speaks
            objects = [
                c
                for c in token.head.children
                if c.dep_ == "dobj"
                and c.pos_ == "PROPN"
                and lo <= c.i < hi
                and doc[max(0, c.left_edge.i - 1)].text not in "“\"‘'"
            ]
            if objects and objects[0].i < token.i:
                return dep_mention(doc, objects[0], lo, hi)
        if token.dep_ in CLIMB_DEPS and token.head is not token and not across_paragraphs(doc, token.head.i, token.i):
            token = token.head
        else:
            break
    return None


def across_paragraphs(doc: Doc, a: int, b: int) -> bool:
    """A paragraph break (a blank line) lies between tokens a and b: a parse arc joining them
    is the parser running two paragraphs together, not grammar."""
    lo, hi = min(a, b), max(a, b)
    return any(doc[k].text.count("\n") + doc[k].whitespace_.count("\n") >= 2 for k in range(lo, hi))


def _subject_above(token: Token) -> bool:
    """A verb above `token`'s clause (its head or the head's head) has a subject of its own."""
    for _ in range(2):
        if token.head is token:
            return False
        token = token.head
        if any(c.dep_ in SUBJECT_DEPS for c in token.children):
            return True
    return False


def _animate_subject_between(doc: Doc, a: int, b: int) -> Token | None:
    """The last subject in doc[a:b] (one sentence, outside quotation marks) that is a name, a
    personal pronoun or a person's or group's description, not a thing."""
    found = None
    for k in range(a, b):
        token = doc[k]
        if token.is_sent_start and k > a:
            found = None  # another sentence: only the participle's own counts
        if token.dep_ not in SUBJECT_DEPS or _inside_marks(doc, a, k):
            continue
        if token.pos_ == "PROPN" or _is_pronoun(token) or token.pos_ == "NOUN" and not is_thing(doc, token):
            found = token
    return found


def is_thing(doc: Doc, token: Token) -> bool:
    """A common-noun subject that is neither a person, a group nor an organisation ("the plan")."""
    from tui.core.analysis.quote_coref import description_kind

    if token.pos_ != "NOUN" or token.ent_type_:
        return False
    return description_kind(doc, token.left_edge.i, token.i + 1)[0] == "thing"


def _name_beside(doc: Doc, mention: tuple[int, int], lo: int, hi: int) -> tuple[int, int] | None:
    """A person's name in apposition to a description the parser did not link: "Jane Doe, the
    chairwoman of the party, recalled" / "the chairwoman, Jane Doe, recalled" -> Jane Doe."""
    s, e = mention
    k = s - 1
    # not "As Roe attacked Doe, the attendees chanted": an object in another clause, a group
    beside = k - 1 >= lo and doc[k - 1].dep_ not in ("dobj", "pobj", "dative") and doc[e - 1].tag_ not in ("NNS", "NNPS")
    if beside and doc[k].text == "," and doc[k - 1].ent_type_ == "PERSON":
        end = k
        start = end - 1
        while start > lo and doc[start - 1].ent_type_ == "PERSON" and doc[start].ent_iob_ == "I":
            start -= 1
        return start, end
    comma = e
    while comma < min(hi, e + 5) and doc[comma].text != "," and doc[comma].is_lower and doc[comma].pos_ in ("ADP", "DET", "NOUN"):
        comma += 1  # "the director at the time, Jane Doe"
    if comma + 1 < hi and doc[comma].text == "," and doc[comma + 1].ent_type_ == "PERSON":
        start = end = comma + 1
        while end < hi and doc[end].ent_type_ == "PERSON" and (end == start or doc[end].ent_iob_ == "I"):
            end += 1
        if end >= hi or doc[end].is_punct or doc[_past_home_phrase(doc, end, hi)].text == ",":
            return start, end
    # "The editor I was talking to, Jane Doe, interrupted": a short relative clause, then the
    # name closed by a comma
    mark = next((k for k in range(e, min(hi, e + 8)) if doc[k].is_punct), -1)
    if mark > e and doc[mark].text == "," and mark + 1 < hi and doc[mark + 1].ent_type_ == "PERSON":
        end = mark + 2
        while end < hi and doc[end].ent_iob_ == "I":
            end += 1
        close = _past_home_phrase(doc, end, hi)
        if close < hi and doc[close].text == "," and any(t.pos_ in ("VERB", "AUX") for t in doc[e:mark]):
            return mark + 1, end
    return None


HOME_PREPOSITIONS = {"of", "from", "at", "in"}


def _past_home_phrase(doc: Doc, end: int, hi: int) -> int:
    """Where a name's short "of Oak Creek Farm in Dalby" phrase (saying where the person is from
    or works: prepositions, names, determiners and nouns only) ends at a comma; `end` itself
    when no such phrase follows the name."""
    if end >= hi or doc[end].lower_ not in HOME_PREPOSITIONS:
        return end
    for k in range(end + 1, min(hi, end + 9)):
        if doc[k].text == ",":
            return k
        if doc[k].pos_ not in ("ADP", "PROPN", "DET", "NOUN", "PUNCT") or doc[k].is_quote:
            return end
    return end


def dep_mention(doc: Doc, head: Token, lo: int, hi: int) -> tuple[int, int] | None:
    """The mention headed by `head`: a named entity, a name with its compounds, else the noun
    phrase (left modifiers, and right modifiers such as "familiar with the matter"); a
    description with a name in apposition ("the minister, Jane Doe,") gives the name."""
    if _is_pronoun(head):
        return head.i, head.i + 1
    if head.pos_ == "NOUN" and head.dep_ == "appos" and head.head.pos_ == "PROPN" and lo <= head.head.i < hi:
        return dep_mention(doc, head.head, lo, hi)  # "Doe, a native who writes": Doe
    for child in head.children:
        if child.dep_ == "appos" and lo <= child.i < hi and child.ent_type_ == "PERSON" and not head.ent_type_:
            return dep_mention(doc, child, lo, hi)
        if (
            child.dep_ == "appos"
            and child.left_edge.i == head.i + 1
            and child.pos_ == "PROPN"
            and head.pos_ == "NOUN"
            and child.i < hi
        ):
            return child.left_edge.i, child.right_edge.i + 1  # "the newspaper Acme Daily": the name
    if head.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
        s = e = head.i
        while s > lo and doc[s].ent_iob_ == "I":
            s -= 1
        while e + 1 < hi and doc[e + 1].ent_iob_ == "I":
            e += 1
        s, e = s, e + 1
        if doc[e - 1].ent_type_ == "PERSON" or head.ent_type_ == "PERSON":
            # "White House spokesman Josh Earnest": the entity only
            while e - s > 1 and doc[s].lower_ in ("the", "a"):
                s += 1
            while (
                s - 1 >= lo
                and doc[s - 1].is_alpha
                and doc[s - 1].is_lower
                and doc[s - 1].pos_ in ("NOUN", "PROPN", "VERB")
                and (doc[s - 1].dep_ in ("compound", "dobj", "nmod") or s <= doc[s - 1].head.i < e)
            ):
                s -= 1  # "guide Jane Doe"
            return s, e
        # an organisation or place: keep a noun it names ("the Clinton campaign")
        return _noun_phrase(doc, head, lo, hi)
    return _noun_phrase(doc, head, lo, hi)


def _noun_phrase(doc: Doc, head: Token, lo: int, hi: int) -> tuple[int, int] | None:
    s = head.i
    for child in head.lefts:
        if child.dep_ in ("det", "amod", "compound", "poss", "nummod", "nmod", "quantmod", "case", "predet") and child.i >= lo:
            s = min(s, child.left_edge.i if child.left_edge.i >= lo else child.i)
    e = head.i + 1
    for child in head.rights:
        if child.dep_ in ("amod", "prep", "acl", "compound", "case") and child.right_edge.i < hi:
            if child.dep_ == "acl" and not child.text.endswith(("ed", "iar")):
                continue
            if child.dep_ == "prep" and any(c.dep_ == "pobj" and c.ent_type_ in ("DATE", "TIME") for c in child.children):
                break  # "the campaign on Monday": a time, not part of who
            e = max(e, child.right_edge.i + 1)
        elif child.dep_ in ("case",):
            e = max(e, child.i + 1)
        else:
            break
    comma = next((k for k in range(head.i + 1, e) if doc[k].text == ","), None)
    if comma is not None:
        if comma + 1 < e and doc[comma + 1].ent_type_ == "PERSON" and doc[comma + 1].ent_iob_ == "B":
            end = comma + 2
            while end < e and doc[end].ent_iob_ == "I":
                end += 1
            return comma + 1, end  # "his best friend at college, Jane Doe": the name
        e = comma  # "one official involved in the talks, who spoke on condition …": to the comma
    while e > s + 1 and (doc[e - 1].is_punct or doc[e - 1].is_space):
        e -= 1
    while s < e - 1 and (doc[s].is_punct or doc[s].is_space):
        s += 1
    if e - s > 14:
        return head.i, head.i + 1
    return s, e


def parse_path(doc: Doc, i: int, limit: int = 40) -> list[int]:
    """Token indices from doc[i] up through its heads to the root of its sentence."""
    path: list[int] = []
    token = doc[i]
    while len(path) < limit:
        path.append(token.i)
        head = token.head
        if head.i == token.i:  # the root is its own head (a new Token object each time: not `is`)
            break
        token = head
    return path


# Tags of a finite verb: a speaker mention running into one has swallowed a clause.
FINITE_VERB_TAGS = {"VBD", "VBZ", "VBP", "MD"}
# Tags of a word that cannot open a speaker mention ("endorsed Senator Doe", "Informed of …").
CLAUSE_OPENER_TAGS = {"VBD", "VBZ", "VBP", "VBN", "VBG", "MD"}


def _opens_a_person_name(doc: Doc, s: int, e: int) -> bool:
    """doc[s] (tagged a verb, "Will", "May") opens a person's name the tagger found ("Will Doe")."""
    return doc[s].ent_type_ == "PERSON" and doc[s].ent_iob_ == "B" and s + 1 < e and doc[s + 1].ent_iob_ == "I"


def without_clause(doc: Doc, s: int, e: int) -> tuple[int, int] | None:
    """The speaker mention `doc[s:e]` cut before a finite verb it ran into ("The senator emailed
    supporters" -> "The senator") and after an upper-case dateline ("NEW YORK - Jane Doe");
    None when it opens with a verb (a clause, not a speaker). Without a tagger: unchanged."""
    if not doc.has_annotation("TAG"):
        return s, e
    for k in range(s, min(e, s + 6)):
        if doc[k].text in ("-", "—", "–") and k > s and all(t.text.isupper() or not t.is_alpha for t in doc[s:k]):
            s = k + 1  # "NEW YORK - Republican presidential candidate Jane Doe"
            break
    if s >= e or doc[s].tag_ in CLAUSE_OPENER_TAGS and not _opens_a_person_name(doc, s, e):
        return None
    for k in range(s + 1, e):
        if doc[k].tag_ in FINITE_VERB_TAGS and not doc[k].ent_type_:
            while k > s and not doc[k - 1].whitespace_ and "-" in (doc[k - 1].text, doc[k].text):
                k -= 1  # "A statement e-mailed by …": the whole hyphenated word goes
            while k > s and (doc[k - 1].is_punct or doc[k - 1].is_space):
                k -= 1
            return (s, k) if k > s else None
    return s, e
