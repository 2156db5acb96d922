"""Choosing and loading the spaCy pipeline, and running Margin's analysis on a text."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from tui.core.text import plain_spaces, trim_span

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokenizer import Tokenizer

    from tui.core.analysis.result import Analysis, Entity, Quote

# One piece of text to analyse: (index of its text, offset of the piece in that text, the piece).
Piece = tuple[int, int, str]

# Official English pipelines, best first; then any other installed English pipeline.
OFFICIAL_MODELS = ("en_core_web_trf", "en_core_web_lg", "en_core_web_md", "en_core_web_sm")
RULES_MODEL = "rules"
ANALYZER_VERSION = "62"
# Texts longer than this are analysed in paragraph-aligned chunks to bound memory: spaCy's
# parser needs roughly 3.5 MB of working memory per 1,000 characters of one Doc.
CHUNK_CHARS = 100_000
# At most this many characters are handed to spaCy at once (one chunk, or many short articles),
# so peak memory stays flat however long the article or how many articles are batched.
BATCH_CHARS = 100_000


class ModelError(Exception):
    """The pipeline the user asked for cannot be loaded."""


@dataclass(frozen=True)
class ModelInfo:
    """The pipeline in use: package name (or "rules"), version and a one-line description."""

    name: str  # package name, or "rules"
    version: str
    description: str  # one line for the status bar / CLI

    @property
    def is_trained(self) -> bool:
        """Whether this is a trained spaCy pipeline rather than the rules-only fallback."""
        return self.name != RULES_MODEL


def installed_english_pipelines() -> list[str]:
    """Installed English pipeline packages, official names first (no spaCy import needed)."""
    from importlib import metadata

    found: list[str] = [m for m in OFFICIAL_MODELS if importlib.util.find_spec(m) is not None]
    others = []
    for dist in metadata.distributions():
        name = (dist.metadata["Name"] or "").replace("-", "_").lower()
        if name.startswith("en_core_") and name not in found and name not in others:
            if importlib.util.find_spec(name) is not None:
                others.append(name)
    # Prefer larger unofficial builds too: trf > lg > md > sm.
    rank = {"trf": 0, "lg": 1, "md": 2, "sm": 3}
    others.sort(key=lambda n: (min((r for k, r in rank.items() if f"_{k}" in n), default=9), n))
    return found + others


def load_pipeline(name: str | None = None) -> tuple[Language, ModelInfo]:
    """Load `name`, or the best installed English pipeline, with Margin's components added.

    Returns (nlp, ModelInfo). Without any trained pipeline, returns a rule-based one.
    Raises ModelError when an explicitly requested pipeline cannot be loaded.
    """
    import spacy

    from tui.core.analysis import entities as _entities  # noqa: F401  (registers factories)
    from tui.core.analysis import paragraphs as _paragraphs  # noqa: F401
    from tui.core.analysis import quotes as _quotes  # noqa: F401

    if name == RULES_MODEL:
        candidates: list[str] = []
    elif name:
        candidates = [name]
    else:
        candidates = installed_english_pipelines()
    nlp: Language | None = None
    for candidate in candidates:
        try:
            nlp = spacy.load(candidate)
            break
        except Exception as exc:  # a broken or incompatible package: try the next one
            if name:
                raise ModelError(f"cannot load spaCy pipeline {name!r}: {exc}") from exc
    if nlp is None:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        info = ModelInfo(RULES_MODEL, spacy.__version__, "rules only (no trained English pipeline installed: no entities)")
    else:
        meta = nlp.meta
        pkg = candidates[candidates.index(candidate)]
        info = ModelInfo(pkg, meta.get("version", "?"), f"{pkg} {meta.get('version', '?')}")
    add_title_abbreviations(nlp)
    # a paragraph break starts a sentence: before the parser (which keeps preset starts), else last
    first_parse = next((p for p in ("parser", "senter") if p in nlp.pipe_names), None)
    if first_parse:
        nlp.add_pipe("margin_paragraphs", before=first_parse)
    else:
        nlp.add_pipe("margin_paragraphs")
    if "ner" in nlp.pipe_names:
        nlp.add_pipe("margin_entities", last=True)
    nlp.add_pipe("margin_quotes", last=True)
    return nlp, info


# Rank abbreviations spaCy's English tokenizer splits from their full stop ("Capt" + "."), which
# cuts "Navy Capt. Jane Doe" into two sentences: kept whole, so the name stays one mention.
TITLE_ABBREVIATIONS = (
    "Capt.",
    "Lt.",
    "Sgt.",
    "Col.",
    "Maj.",
    "Cmdr.",
    "Cpl.",
    "Pvt.",
    "Supt.",
    "Det.",
    "Insp.",
    "Atty.",
    "Brig.",
    "Spc.",
    "Ret.",
)


def add_title_abbreviations(nlp: Language) -> None:
    """Teach the tokenizer the rank abbreviations of TITLE_ABBREVIATIONS (and their upper-case forms)."""
    from spacy.attrs import ORTH

    tokenizer = cast("Tokenizer", nlp.tokenizer)  # spaCy types it as any callable; every pipeline here has a Tokenizer
    for word in TITLE_ABBREVIATIONS:
        for form in (word, word.upper()):
            tokenizer.add_special_case(form, [{ORTH: form}])


def _chunks(text: str, size: int) -> list[tuple[int, str]]:
    """Split at paragraph breaks into pieces of about `size` characters: (offset, piece)."""
    out, start = [], 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n\n", start + size // 2, end)
            if cut == -1:
                cut = text.rfind("\n", start + size // 2, end)
            end = cut + 1 if cut != -1 else end
        out.append((start, text[start:end]))
        start = end
    return out


def analyze_text(text: str, nlp: Language, info: ModelInfo) -> Analysis:
    """Run the pipeline on `text` and return an Analysis with offsets into `text`."""
    return analyze_texts([text], nlp, info)[0]


def batches_by_chars(pieces: list[Piece], budget: int = BATCH_CHARS) -> Iterator[list[Piece]]:
    """Group `(index, offset, piece)` items into runs whose pieces total at most `budget`
    characters (a longer piece goes alone), keeping their order."""
    batch: list[Piece] = []
    size = 0
    for item in pieces:
        if batch and size + len(item[2]) > budget:
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += len(item[2])
    if batch:
        yield batch


def analyze_texts(
    texts: list[str], nlp: Language, info: ModelInfo, progress: Callable[[int, int], None] | None = None
) -> list[Analysis]:
    """Analyse many texts through `nlp.pipe` (batched by characters); one Analysis per text.
    `progress(done, total)` (characters) is called after each batch: a long article's share done.

    Long texts are cut at paragraph breaks into pieces of about CHUNK_CHARS characters, and
    spaCy is given at most BATCH_CHARS characters at a time: each piece's Doc is merged into
    small result records and released before the next batch, so memory stays bounded. The
    pieces' offsets are shifted back so every offset indexes the original text.
    """
    from dataclasses import replace

    from tui.core.analysis.entities import entities_from_doc
    from tui.core.analysis.quote_store import quotes_from_doc

    nlp.max_length = max(nlp.max_length, CHUNK_CHARS + 10)
    pieces = [(index, offset, piece) for index, text in enumerate(texts) for offset, piece in _chunks(text, CHUNK_CHARS)]
    parts: list[tuple[list[tuple[int, int]], list[Entity], list[Quote]]] = [([], [], []) for _ in texts]
    total, done = sum(len(piece) for _, _, piece in pieces), 0
    for batch in batches_by_chars(pieces):
        docs = nlp.pipe([plain_spaces(piece) for _, _, piece in batch], batch_size=len(batch))
        for (index, offset, _), doc in zip(batch, docs):
            text = texts[index]
            sentences, entities, quotes = parts[index]
            for sent in doc.sents:
                s, e = trim_span(text, offset + sent.start_char, offset + sent.end_char)
                if e > s:
                    sentences.append((s, e))
            if offset:
                entities.extend(replace(ent, start=ent.start + offset, end=ent.end + offset) for ent in entities_from_doc(doc))
            else:
                entities.extend(entities_from_doc(doc))  # the first piece of a text: offsets already right
            for q in quotes_from_doc(doc):
                quotes.append(_shift_quote(q, offset))
            del doc
        done += sum(len(piece) for _, _, piece in batch)
        if progress is not None:
            progress(done, total)
    return [
        _result(info, *verbatim(text, joined_sentences(text, sentences), entities, quotes))
        for text, (sentences, entities, quotes) in zip(texts, parts)
    ]


SENTENCE_ENDS = tuple(".!?:;…\"”’')]*")  # what a sentence (or a quoted one) ends with


def _ends_a_sentence(sentence: str) -> bool:
    """Whether a sentence ends as one: closing punctuation, but not a quote closed on a comma
    (“Go,” | she said)."""
    return sentence.endswith(SENTENCE_ENDS) and not sentence.rstrip("\"”’')]").endswith(",")


def joined_sentences(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parser's sentences with the splits it made inside a line and after no closing
    punctuation joined again ("Jane | Doe said, …" after a short title): within a line, a news
    sentence ends with a stop, a question or exclamation mark, a colon or a closing mark. Splits
    at a line break (titles, datelines, list items) stay."""
    joined: list[tuple[int, int]] = []
    for start, end in sentences:
        if joined:
            last_start, last_end = joined[-1]
            if not _ends_a_sentence(text[last_start:last_end]) and "\n" not in text[last_end:start]:
                joined[-1] = (last_start, end)
                continue
        joined.append((start, end))
    return joined


def verbatim(
    text: str, sentences: list[tuple[int, int]], entities: list[Entity], quotes: list[Quote]
) -> tuple[list[tuple[int, int]], list[Entity], list[Quote]]:
    """The records of an analysis of `plain_spaces(text)` with the words they quote as `text`
    writes them (its no-break spaces back), so each one's text is exactly its slice of `text`."""
    from dataclasses import replace

    if plain_spaces(text) == text:
        return sentences, entities, quotes

    def written(value: str | None, start: int | None, end: int | None) -> str | None:
        if value is None or start is None or end is None or plain_spaces(text[start:end]) != value:
            return value
        return text[start:end]

    entities = [replace(e, text=written(e.text, e.start, e.end) or e.text) for e in entities]
    out = []
    for q in quotes:
        speaker = q.speaker and replace(q.speaker, text=written(q.speaker.text, q.speaker.start, q.speaker.end) or q.speaker.text)
        out.append(
            replace(
                q, text=written(q.text, q.start, q.end) or q.text, cue=written(q.cue, q.cue_start, q.cue_end), speaker=speaker
            )
        )
    return sentences, entities, out


def _result(info: ModelInfo, sentences: list[tuple[int, int]], entities: list[Entity], quotes: list[Quote]) -> Analysis:
    from tui.core.analysis.result import Analysis

    return Analysis(
        model=info.name,
        model_version=info.version,
        analyzer_version=ANALYZER_VERSION,
        sentences=sentences,
        entities=entities,
        quotes=quotes,
    )


def _shift_quote(q: Quote, offset: int) -> Quote:
    from dataclasses import replace

    if not offset:
        return q
    speaker = q.speaker and replace(q.speaker, start=q.speaker.start + offset, end=q.speaker.end + offset)
    return replace(
        q,
        start=q.start + offset,
        end=q.end + offset,
        speaker=speaker,
        cue_start=None if q.cue_start is None else q.cue_start + offset,
        cue_end=None if q.cue_end is None else q.cue_end + offset,
    )
