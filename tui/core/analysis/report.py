"""The public `margin analyze` format: per article, entities and quotes with character offsets."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui.core.analysis.result import Analysis
from tui.core.text import one_line

if TYPE_CHECKING:
    from tui.core.articles import Article

Report = dict[str, Any]  # one article's `margin analyze` record, as JSON: {article, model, entities, quotes}


def analysis_report(article: Article, analysis: Analysis) -> Report:
    """The `margin analyze` record of one article: its metadata, the model, and its entities and quotes with offsets."""
    return {
        "article": {"id": article.id, "path": str(article.path), "title": article.title, "date": article.date},
        "model": {"name": analysis.model, "version": analysis.model_version, "analyzer": analysis.analyzer_version},
        "entities": [
            {"start": e.start, "end": e.end, "label": e.label, "text": e.text, "canonical": e.canonical}
            for e in analysis.entities
        ],
        "quotes": [
            {
                "start": q.start,
                "end": q.end,
                "text": q.text,
                "cue": q.cue,
                "speaker": None
                if q.speaker is None
                else {
                    "start": q.speaker.start,
                    "end": q.speaker.end,
                    "text": q.speaker.text,
                    "canonical": q.speaker.canonical,
                    "method": q.speaker.method,
                    "confidence": q.speaker.confidence,
                },
                **({"speaker_unknown_reason": q.speaker_unknown_reason} if q.speaker is None else {}),
            }
            for q in analysis.quotes
        ],
    }


def format_text_report(report: Report) -> str:
    """Human-readable form; every article-derived string is made terminal-safe."""
    art = report["article"]
    lines = [f"# {one_line(art['title'])}  ({one_line(art['path'])})"]
    lines.append(f"entities: {len(report['entities'])}")
    for e in report["entities"]:
        lines.append(f"  {e['start']:>6}-{e['end']:<6} {e['label']:<12} {one_line(e['text'])} -> {one_line(e['canonical'])}")
    lines.append(f"quotes: {len(report['quotes'])}")
    for q in report["quotes"]:
        who = one_line(q["speaker"]["canonical"]) if q["speaker"] else f"? ({q.get('speaker_unknown_reason') or 'unknown'})"
        lines.append(f"  {q['start']:>6}-{q['end']:<6} {who} [{one_line(q['cue'] or '-')}]: “{one_line(q['text'], 100)}”")
    return "\n".join(lines) + "\n\n"
