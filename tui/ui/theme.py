"""Highlight styles: displaCy's entity palette, quotes, annotations, cursor. One place for colours."""

from __future__ import annotations

from rich.style import Style

# displaCy's default entity colours (spacy.displacy.render.DEFAULT_LABEL_COLORS), text in black.
ENTITY_COLOURS = {
    "ORG": "#7aecec",
    "PRODUCT": "#bfeeb7",
    "GPE": "#feca74",
    "LOC": "#ff9561",
    "PERSON": "#aa9cfc",
    "NORP": "#c887fb",
    "FAC": "#9cc9cc",
    "EVENT": "#ffeb80",
    "LAW": "#ff8197",
    "LANGUAGE": "#ff8197",
    "WORK_OF_ART": "#f0d0ff",
    "DATE": "#bfe1d9",
    "TIME": "#bfe1d9",
    "MONEY": "#e4e7d2",
    "QUANTITY": "#e4e7d2",
    "ORDINAL": "#e4e7d2",
    "CARDINAL": "#e4e7d2",
    "PERCENT": "#e4e7d2",
}
DEFAULT_ENTITY_COLOUR = "#dddddd"
QUOTE_COLOUR = "#ffd75f"


def entity_style(label: str) -> Style:
    return Style(color="#000000", bgcolor=ENTITY_COLOURS.get(label, DEFAULT_ENTITY_COLOUR))


QUOTE_STYLE = Style(color=QUOTE_COLOUR, italic=True)
SPEAKER_STYLE = Style(color=QUOTE_COLOUR, bold=True, underline=True)
QUOTE_FOCUS_STYLE = Style(bgcolor="#2e3440")
ANNOTATION_STYLE = Style(bgcolor="#00524f", underline=True)
SELECTION_STYLE = Style(bgcolor="#5c4a00")
SEARCH_STYLE = Style(color="#000000", bgcolor="#ff5f87", bold=True)
CAPTION_STYLE = Style(dim=True, italic=True)
TITLE_STYLE = Style(bold=True)
