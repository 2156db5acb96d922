"""Highlight styles: displaCy's entity palette, quotes, annotations, cursor. One place for colours."""

from __future__ import annotations

from dataclasses import dataclass

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


SEARCH_STYLE = Style(color="#000000", bgcolor="#ff5f87", bold=True)
CAPTION_STYLE = Style(dim=True, italic=True)
TITLE_STYLE = Style(bold=True)


@dataclass(frozen=True)
class Highlights:
    """The reader's highlight styles for a dark or a light theme (entities: displaCy's palette)."""

    quote_colour: str
    quote: Style
    speaker: Style
    quote_focus: Style
    annotation: Style
    selection: Style
    cursor: Style
    search: Style = SEARCH_STYLE
    caption: Style = CAPTION_STYLE
    title: Style = TITLE_STYLE


DARK = Highlights(
    quote_colour=QUOTE_COLOUR,
    quote=Style(color=QUOTE_COLOUR, italic=True),
    speaker=Style(color=QUOTE_COLOUR, bold=True, underline=True),
    quote_focus=Style(bgcolor="#2e3440"),
    annotation=Style(bgcolor="#00524f", underline=True),
    selection=Style(bgcolor="#5c4a00"),
    cursor=Style(bgcolor="#3b4252"),
)
LIGHT = Highlights(
    quote_colour="#8a5300",
    quote=Style(color="#8a5300", italic=True),
    speaker=Style(color="#8a5300", bold=True, underline=True),
    quote_focus=Style(bgcolor="#ecebf4"),
    annotation=Style(bgcolor="#bde8e4", underline=True),
    selection=Style(bgcolor="#ffe48a"),
    cursor=Style(bgcolor="#dfe5f0"),
)


def highlights(dark: bool, theme=None) -> Highlights:
    """The highlight styles for a theme: DARK or LIGHT, with the cursor, quote focus and selection
    blended from the theme's own surface and primary/accent colours so they stand out on it."""
    base = DARK if dark else LIGHT
    if theme is None:
        return base
    from dataclasses import replace

    from textual.color import Color

    try:
        surface = Color.parse(theme.surface or theme.background or ("#1e1e1e" if dark else "#ffffff"))
        primary = Color.parse(theme.primary)
        accent = Color.parse(theme.accent or theme.primary)
        warning = Color.parse(theme.warning or "#ffa62b")
    except Exception:  # a theme with colours Textual cannot parse: the fixed palette
        return base
    return replace(
        base,
        cursor=Style(bgcolor=surface.blend(primary, 0.22).hex),
        quote_focus=Style(bgcolor=surface.blend(accent, 0.12).hex),
        selection=Style(bgcolor=surface.blend(warning, 0.35).hex),
    )


# What spaCy's entity labels mean (OntoNotes), for the entities panel.
LABEL_MEANINGS = {
    "PERSON": "people",
    "NORP": "nationalities, religious or political groups",
    "FAC": "buildings, airports, roads, bridges",
    "ORG": "companies, agencies, institutions",
    "GPE": "countries, cities, states",
    "LOC": "other places: mountains, waters, regions",
    "PRODUCT": "objects, vehicles, foods",
    "EVENT": "named events: wars, storms, games",
    "WORK_OF_ART": "titles of books, songs, shows",
    "LAW": "named laws and documents",
    "LANGUAGE": "languages",
    "DATE": "dates and periods",
    "TIME": "times of day",
    "PERCENT": "percentages",
    "MONEY": "money",
    "QUANTITY": "measurements",
    "ORDINAL": "first, second, …",
    "CARDINAL": "other numbers",
}
