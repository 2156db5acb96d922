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


# Search matches and an entity's highlighted mentions: a saturated blue no entity label uses (the
# displaCy palette is pastel; the old pink was nearly LAW's), white text at 5.7:1.
SEARCH_COLOUR = "#304ffe"
SEARCH_STYLE = Style(color="#ffffff", bgcolor=SEARCH_COLOUR, bold=True)
CAPTION_STYLE = Style(dim=True, italic=True)  # without a theme; with one, its readable muted colour
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
    gutter: str = "#ffaf00"  # the cursor's mark beside the text (graphics: 3:1 on the page at least)
    search: Style = SEARCH_STYLE
    caption: Style = CAPTION_STYLE
    title: Style = TITLE_STYLE


DARK = Highlights(
    quote_colour=QUOTE_COLOUR,
    quote=Style(color=QUOTE_COLOUR, italic=True),
    speaker=Style(color=QUOTE_COLOUR, bold=True, underline=True),
    quote_focus=Style(bgcolor="#2e3440"),
    annotation=Style(bgcolor="#00524f", underline=True),
    selection=Style(color="#ffffff", bgcolor="#5c4a00"),
    cursor=Style(bgcolor="#3b4252"),
)
LIGHT = Highlights(
    quote_colour="#8a5300",
    quote=Style(color="#8a5300", italic=True),
    speaker=Style(color="#8a5300", bold=True, underline=True),
    quote_focus=Style(bgcolor="#ecebf4"),
    annotation=Style(bgcolor="#bde8e4", underline=True),
    selection=Style(color="#000000", bgcolor="#ffe48a"),
    cursor=Style(bgcolor="#dfe5f0"),
    gutter="#b36b00",
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
    readable = readable_variables_for(theme)
    foreground = Color.parse(readable["foreground"])
    # Tints as strong as they can be while the article's text stays readable on them.
    cursor = readable_tint(surface, primary, 0.22, (foreground,))
    quote_focus = readable_tint(surface, accent, 0.12, (foreground,))
    for strength in (0.08, 0.05, 0.03, 0.0):  # the cursor's sentence must show inside a focused quote
        if colour_distance(cursor, quote_focus) >= CURSOR_IN_QUOTE_DISTANCE:
            break
        quote_focus = readable_tint(surface, accent, strength, (foreground,))
    selection = readable_tint(surface, warning, 0.35, (foreground,))
    # An annotated passage's teal, as close to it as the text allows (solarized-dark's text was
    # 3.4:1 on the dark palette's fixed teal).
    annotation_bg = readable_tint(surface, Color.parse(str(base.annotation.bgcolor.name)), 1.0, (foreground,))
    # The quote colour must stay readable wherever a quote is drawn: on the page, under the
    # cursor, in a focused quote, in a selection, annotated and on the side panel's highlighted row.
    quote_colour = Color.parse(base.quote_colour)
    option = Color.parse(readable["margin-option-highlight"])
    for under in (surface, cursor, quote_focus, selection, annotation_bg, option, surface):
        quote_colour = readable_on(quote_colour, under)
    quote = quote_colour.hex
    muted = readable.get("text-muted")
    return replace(
        base,
        quote_colour=quote,
        quote=base.quote + Style(color=quote),
        speaker=base.speaker + Style(color=quote),
        cursor=Style(bgcolor=cursor.hex),
        gutter=readable_on(Color.parse("#ffaf00"), surface, GRAPHICS_CONTRAST).hex,
        annotation=base.annotation + Style(bgcolor=annotation_bg.hex),
        quote_focus=Style(bgcolor=quote_focus.hex),
        selection=Style(color=foreground.hex, bgcolor=selection.hex),
        caption=Style(italic=True, color=muted) if muted else base.caption,
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


# -- readable themes (WCAG AA) ---------------------------------------------------------------------
# Every text colour Margin's own styles draw on a theme-coloured background is checked against
# WCAG 2's contrast ratio and, where a theme falls short, moved towards white or black just far
# enough to reach it. The theme keeps its character; its text becomes readable.
AA_CONTRAST = 4.5
CURSOR_IN_QUOTE_DISTANCE = 24.0  # the cursor's tint against a focused quote's (RGB distance)
GRAPHICS_CONTRAST = 3.0  # WCAG 2.1 non-text contrast: marks and other graphics
# ANSI themes take their colours from the terminal's palette, which Margin cannot see or check.
UNCHECKABLE_THEMES = ("textual-ansi", "ansi-dark", "ansi-light")
# Variables Margin's stylesheet uses beyond Textual's own (defaults for themes not yet adjusted).
MARGIN_VARIABLES = {
    "margin-title-foreground": "auto 100%",
    "margin-option-highlight": "#3b4252",
    "margin-heading": "#5f87d7",
}


def _relative_luminance(colour) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = colour.rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(foreground, background) -> float:
    """WCAG 2 contrast ratio of two opaque colours (Textual `Color`s or anything with `.rgb`)."""
    light, dark = sorted((_relative_luminance(foreground), _relative_luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable_on(foreground, background, minimum: float = AA_CONTRAST):
    """`foreground`, or the nearest blend of it towards white or black that reaches `minimum`
    contrast on `background` (both opaque Textual Colors)."""
    from textual.color import Color

    if contrast_ratio(foreground, background) >= minimum:
        return foreground
    white, black = Color(255, 255, 255), Color(0, 0, 0)
    target = white if contrast_ratio(white, background) >= contrast_ratio(black, background) else black
    for step in range(1, 21):
        candidate = foreground.blend(target, step / 20)
        if contrast_ratio(candidate, background) >= minimum:
            return candidate
    return target


def colour_distance(a, b) -> float:
    """How far apart two opaque colours are (Euclidean, in RGB): tints of nearly the same
    lightness can still differ in hue, which the contrast ratio does not see."""
    return sum((x - y) ** 2 for x, y in zip(a.rgb, b.rgb)) ** 0.5


def readable_tint(base, tint, strongest: float, texts, minimum: float = AA_CONTRAST):
    """`base` blended towards `tint` as strongly as possible (at most `strongest`) while every
    colour in `texts` keeps `minimum` contrast on it."""
    for step in range(int(strongest * 100), 0, -2):
        candidate = base.blend(tint, step / 100)
        if all(contrast_ratio(text, candidate) >= minimum for text in texts):
            return candidate
    return base


def readable_variables(theme) -> dict[str, str]:
    """Theme variables that make every text/background pair Margin shows reach AA contrast:
    header and status lines, footer keys and descriptions, list cursors."""
    from textual.color import Color

    generated = theme.to_color_system().generate()
    generated.update(theme.variables)

    def colour(name: str, under: Color) -> Color | None:
        try:
            parsed = Color.parse(generated[name])
        except Exception:  # "auto …" or a missing name: leave it to Textual
            return None
        return under + parsed if parsed.a < 1 else parsed

    surface = colour("surface", Color(0, 0, 0)) or Color(0, 0, 0)
    background = colour("background", surface) or surface
    panel = colour("panel", surface) or surface
    out: dict[str, str] = {}
    foreground = colour("foreground", surface) or Color(255, 255, 255)
    for _ in range(2):  # a focused list tints its background with the text colour: settle both
        focused = surface.blend(foreground, 0.05)
        for under in (surface, background, panel, focused, surface):  # body text, wherever it stands
            foreground = readable_on(foreground, under)
    focused = surface.blend(foreground, 0.05)
    out["foreground"] = foreground.hex
    title_bg = colour("primary-background", surface)
    if title_bg is not None:
        out["margin-title-foreground"] = readable_on(foreground, title_bg).hex
    muted = foreground.blend(panel, 0.35)  # secondary text: on the status lines and the list
    for under in (panel, surface, focused, panel, focused):
        muted = readable_on(muted, under)
    out["text-muted"] = muted.hex
    # Panel lists: the highlighted row is a tint of the primary colour, as strong as it can be
    # while body text and muted text on it stay readable.
    primary = colour("primary", surface) or foreground
    # Headings and the annotations panel's tags: the accent, readable wherever a list stands
    # (a focused list tints its background: solarized-light's accent was 4.3:1 there).
    heading = colour("accent", surface) or primary
    for under in (surface, panel, focused, surface, panel, focused):
        heading = readable_on(heading, under)
    out["margin-option-highlight"] = readable_tint(surface, primary, 0.45, (foreground, muted, heading)).hex
    out["margin-heading"] = heading.hex
    footer_bg = colour("footer-background", surface) or panel
    for name in ("footer-key-foreground", "footer-description-foreground", "footer-foreground"):
        value = colour(name, footer_bg)
        if value is not None:
            out[name] = readable_on(value, footer_bg).hex
    for fg_name, bg_name in (
        ("block-cursor-foreground", "block-cursor-background"),
        ("block-cursor-blurred-foreground", "block-cursor-blurred-background"),
    ):
        bg = colour(bg_name, surface)
        if bg is not None:
            out[fg_name] = readable_on(colour(fg_name, bg) or foreground, bg).hex
    return out


_READABLE_CACHE: dict[tuple, dict[str, str]] = {}


def readable_variables_for(theme) -> dict[str, str]:
    """`readable_variables`, computed once per theme (a few milliseconds each)."""
    key = (theme.name, id(theme))
    if key not in _READABLE_CACHE:
        _READABLE_CACHE[key] = readable_variables(theme)
    return _READABLE_CACHE[key]


def hide_uncheckable_themes(app) -> None:
    """Drop the themes whose colours Margin cannot check from the app's theme picker."""
    for name in UNCHECKABLE_THEMES:
        if name in app.available_themes and name != app.theme:
            app.unregister_theme(name)
