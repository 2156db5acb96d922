"""The one object the UI and CLI use for analysis: picks the model, loads it once, caches results.

The cache lives under the user cache dir (never in the annotations database); its key is the text
hash + model name + model version + analyzer version, so a cached result can be shown before spaCy
is even imported.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from tui.core.analysis.pipeline import (
    ANALYZER_VERSION,
    RULES_MODEL,
    ModelError,
    ModelInfo,
    analyze_texts,
    installed_english_pipelines,
    load_pipeline,
)
from tui.core.analysis.result import Analysis
from tui.core.articles import text_hash
from tui.core.paths import cache_dir
from tui.core.store import write_atomically

if TYPE_CHECKING:
    from spacy.language import Language


def _package_version(name: str) -> str | None:
    from importlib import metadata  # only when needed: it is slow to import at start-up

    for candidate in (name, name.replace("_", "-")):
        try:
            return metadata.version(candidate)
        except metadata.PackageNotFoundError:
            continue
    return None


class Analyzer:
    """Picks the pipeline, loads it once on first use, and caches the analysis of each text on disk."""

    def __init__(self, model: str | None = None, cache: Path | None = None) -> None:
        self.requested = model
        self.cache = (cache or cache_dir()) / "analysis"
        self._nlp: Language | None = None
        self._info: ModelInfo | None = None
        self._load_lock = threading.Lock()
        self._run_lock = threading.Lock()
        self._planned: tuple[str, str] | None = None

    def planned_model(self) -> tuple[str, str]:
        """(name, version) of the pipeline that will be used, without importing spaCy."""
        if self._info is not None:
            return self._info.name, self._info.version
        if self._planned is None:
            self._planned = self._find_planned_model()
        return self._planned

    def _find_planned_model(self) -> tuple[str, str]:
        if self.requested == RULES_MODEL:
            return RULES_MODEL, _package_version("spacy") or "?"
        if self.requested:
            return self.requested, _package_version(self.requested) or "?"
        for name in installed_english_pipelines():
            return name, _package_version(name) or "?"
        return RULES_MODEL, _package_version("spacy") or "?"

    def describe(self) -> str:
        """One line naming the pipeline that will be used, for the status bar and CLI."""
        name, version = self.planned_model()
        if name == RULES_MODEL:
            if self.requested == RULES_MODEL:
                return "rules only (as asked with --model rules: no entities)"
            return "rules only (no trained English pipeline installed: no entities)"
        return f"{name} {version}"

    def pipeline(self) -> tuple[Language, ModelInfo]:
        """Load (once) and return (nlp, info). Raises ModelError for an unusable --model."""
        with self._load_lock:
            if self._nlp is None or self._info is None:  # both are set together
                self._nlp, self._info = load_pipeline(self.requested)
            return self._nlp, self._info

    @property
    def info(self) -> ModelInfo | None:
        """The loaded pipeline's ModelInfo, or None before it is loaded."""
        return self._info

    def _cache_file(self, text: str, name: str, version: str) -> Path:
        key = hashlib.sha256(f"{text_hash(text)}|{name}|{version}|{ANALYZER_VERSION}".encode()).hexdigest()
        return self.cache / f"{key[:32]}.json"

    def has_cached(self, text: str) -> bool:
        """Whether an analysis of `text` is in the cache (a file check, no parsing)."""
        return self._cache_file(text, *self.planned_model()).exists()

    def cached(self, text: str) -> Analysis | None:
        """The cached analysis of `text`, or None when there is none or it cannot be read (not
        JSON, not an object, a field of the wrong type: the text is then analysed again)."""
        name, version = self.planned_model()
        path = self._cache_file(text, name, version)
        try:
            data = orjson.loads(path.read_bytes())
            return Analysis.from_dict(data) if isinstance(data, dict) else None
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def analyze(self, text: str, progress: Callable[[int, int], None] | None = None) -> Analysis:
        """The analysis of `text`, from the cache when possible. Thread-safe; may take seconds
        (minutes for a book): `progress(done, total)` characters is called as it goes."""
        return self.analyze_many([text], progress)[0]

    def analyze_many(self, texts: list[str], progress: Callable[[int, int], None] | None = None) -> list[Analysis]:
        """Analyses of `texts` (cached ones from the cache, the rest in one batched spaCy run);
        each new result is cached as soon as the batch is done."""
        results: list[Analysis | None] = [self.cached(text) for text in texts]
        missing = [i for i, result in enumerate(results) if result is None]
        if missing:
            nlp, info = self.pipeline()
            with self._run_lock:
                for i in missing:  # another thread may have analysed it while this one waited
                    results[i] = self.cached(texts[i])
                missing = [i for i in missing if results[i] is None]
                fresh = analyze_texts([texts[i] for i in missing], nlp, info, progress) if missing else []
                for i, result in zip(missing, fresh):
                    results[i] = result
                    self._store(texts[i], info, result)
        return results  # type: ignore[return-value]  # every None was filled from `fresh` above

    def _store(self, text: str, info: ModelInfo, result: Analysis) -> None:
        try:
            write_atomically(self._cache_file(text, info.name, info.version), orjson.dumps(result.to_dict()))
        except OSError:
            pass  # a cache that cannot be written only costs time


__all__ = ["Analyzer", "ModelError"]
