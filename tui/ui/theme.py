"""Highlight styles: displaCy's entity palette, quotes, annotations, cursor. One place for colours."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

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


def entity_style(label: str, page: str | None = None) -> Style:
    """An entity's highlight: black on displaCy's colour for its label, that colour deepened just
    enough to stand out on `page` (the reader's background) where it is too pale for it (the
    numbers' and dates' pastels on a light page)."""
    return Style(color="#000000", bgcolor=entity_colour(label, page))


def entity_colour(label: str, page: str | None = None) -> str:
    """displaCy's colour for `label`, apart from `page` (see `entity_style`)."""
    return _entity_colour(ENTITY_COLOURS.get(label, DEFAULT_ENTITY_COLOUR), page)


@lru_cache(maxsize=256)
def _entity_colour(colour: str, page: str | None) -> str:
    if page is None:
        return colour
    from textual.color import Color

    base, ground, black = Color.parse(colour), Color.parse(page), Color(0, 0, 0)
    for step in range(11):
        deeper = base.blend(black, step * 0.04)
        if contrast_ratio(black, deeper) < AA_CONTRAST:
            break  # never so dark that its black text is hard to read
        if apart(deeper, ground, PAGE_APART):
            return deeper.hex
    return colour


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
    blended from the theme's own surface and primary/accent colours so they stand out on it, and
    every layer kept apart from the others it can be seen beside (see `_layers`)."""
    base = DARK if dark else LIGHT
    if theme is None:
        return base
    key = (dark, theme.name, id(theme))
    if key not in _HIGHLIGHTS_CACHE:
        _HIGHLIGHTS_CACHE[key] = _highlights(base, dark, theme)
    return _HIGHLIGHTS_CACHE[key]


_HIGHLIGHTS_CACHE: dict[tuple, Highlights] = {}


def _highlights(base: Highlights, dark: bool, theme) -> Highlights:
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
    layers = _layers(surface, foreground, primary, accent, warning, Color.parse(str(base.annotation.bgcolor.name)))
    cursor, quote_focus, selection, annotation_bg = (
        layers["cursor"],
        layers["quote_focus"],
        layers["selection"],
        layers["annotation"],
    )
    # The quote colour must stay readable wherever a quote is drawn: on the page, under the
    # cursor, in a focused quote, in a selection, annotated and on the side panel's highlighted row
    # (in 256 colours too, as far as the page's own text is there).
    floor = eight_bit_floor(foreground, surface)
    quote_colour = Color.parse(base.quote_colour)
    option = Color.parse(readable["margin-option-highlight"])
    for under in (surface, cursor, quote_focus, selection, annotation_bg, option, surface):
        quote_colour = readable_on(quote_colour, under, eight_bit_minimum=floor)
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


def _layers(surface, foreground, primary, accent, warning, teal) -> dict:
    """The backgrounds of the reader's layers on a theme's page: each as near as it can be to the
    tint it is meant to be (the cursor a tint of the primary colour, a focused quote of the
    accent, a selection of the warning colour, an annotated passage the palette's teal), while

    - the article's text stays readable on it (AA; in 256 colours as far as the page's own text is),
    - it stands apart from the page and from each layer it can be seen beside or inside of — the
      cursor from an annotated passage by `LAYER_APART`, the others (a focused quote, a selection,
      the search matches, the entity labels' colours) by `BESIDE_APART` — both in truecolor and
      once down-converted to 256 colours, where two tints of nearly one colour become the same one
      (the dark theme's cursor and annotations were both 256-colour 23).

    A theme whose 256-colour rendering leaves no such colours (its own text there is barely
    readable) gets them in truecolor only; one where even that fails, the tints themselves."""
    from textual.color import Color

    entities = [Color.parse(c) for c in sorted({*ENTITY_COLOURS.values(), DEFAULT_ENTITY_COLOUR})]
    others = [(Color.parse(SEARCH_COLOUR), LAYER_APART), *((entity, BESIDE_APART) for entity in entities)]
    floor = eight_bit_floor(foreground, surface)

    def far(a, b, minimum: float, in_256: bool) -> bool:
        return apart(a, b, minimum) if in_256 else delta_e(a, b) >= minimum

    def options(preferred, in_256: bool, page_apart: float = PAGE_APART, taken=()) -> Iterator:
        """Colours near `preferred` (nearest first) the text reads on and that stand out on the
        page, from the search and entity colours and from the layers `taken`."""
        for c in _nearby(preferred):
            if (
                far(c, surface, page_apart, in_256)
                and all(far(c, t, BESIDE_APART, in_256) for t in taken)
                and all(far(c, other, minimum, in_256) for other, minimum in others)
                and legible(foreground, c, eight_bit_minimum=floor if in_256 else 0.0)
            ):
                yield c

    def nearest_pair(cursor0, annotation0, in_256: bool):
        """The cursor and an annotated passage, seen side by side on every page: the pair of
        colours nearest to what they are meant to be that stand `LAYER_APART` apart."""
        cursors = [(delta_e(c, cursor0), c) for c in islice(options(cursor0, in_256), PAIR_OPTIONS)]
        annotations = [(delta_e(a, annotation0), a) for a in islice(options(annotation0, in_256), PAIR_OPTIONS)]
        pairs = sorted((dc + da, i, j) for i, (dc, _) in enumerate(cursors) for j, (da, _) in enumerate(annotations))
        for _, i, j in pairs:
            if far(cursors[i][1], annotations[j][1], LAYER_APART, in_256):
                return cursors[i][1], annotations[j][1]
        return None

    cursor0 = readable_tint(surface, primary, 0.22, (foreground,))
    annotation0 = readable_tint(surface, teal, 1.0, (foreground,))
    pair = nearest_pair(cursor0, annotation0, True) or nearest_pair(cursor0, annotation0, False)
    chosen = dict(zip(("cursor", "annotation"), pair or (cursor0, annotation0)))
    # A selection lies on top of every other layer; a focused quote is a faint tint (the cursor's
    # sentence must show inside it: failing all else, the quote is not tinted at all).
    focus_fallback = next(
        (
            tint
            for strength in (0.12, 0.08, 0.05, 0.03)
            if delta_e(tint := readable_tint(surface, accent, strength, (foreground,)), chosen["cursor"]) >= BESIDE_APART
        ),
        surface,
    )
    for name, preferred, page_apart, fallback in (
        ("selection", readable_tint(surface, warning, 0.35, (foreground,)), PAGE_APART, None),
        ("quote_focus", readable_tint(surface, accent, 0.12, (foreground,)), FOCUS_APART, focus_fallback),
    ):
        taken = tuple(chosen.values())
        chosen[name] = (
            next(options(preferred, True, page_apart, taken), None)  # in both truecolor and 256 colours
            or next(options(preferred, False, page_apart, taken), None)  # in truecolor
            or fallback
            or preferred
        )
    return chosen


PAIR_OPTIONS = 150  # the nearest colours tried for each of the cursor and the annotation


@lru_cache(maxsize=64)
def _nearby(colour) -> list:
    """Colours around `colour`, nearest first (ΔE): lighter and darker, stronger and weaker, the hue
    turned a little either way (in L*a*b*)."""
    import math

    from textual.color import Color, Lab, lab_to_rgb

    lightness, a, b = _lab(colour)
    chroma, hue = math.hypot(a, b), math.atan2(b, a)
    found = {colour.rgb: colour}
    for d_lightness in range(-32, 33, 4):
        for scale in (0.0, 0.5, 0.8, 1.0, 1.25, 1.6, 2.0, 3.0):
            chroma_here = max(chroma * scale, 8.0 * scale)  # a grey gets some colour too
            for turn in (-12, 0, 12):
                angle = hue + math.radians(turn)
                lab = Lab(
                    min(100.0, max(0.0, lightness + d_lightness)), chroma_here * math.cos(angle), chroma_here * math.sin(angle)
                )
                rgb = tuple(min(255, max(0, v)) for v in lab_to_rgb(lab).rgb)  # out of gamut: clipped
                if rgb not in found:
                    found[rgb] = Color(*rgb)
    return sorted(found.values(), key=lambda c: delta_e(c, colour))


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
GRAPHICS_CONTRAST = 3.0  # WCAG 2.1 non-text contrast: marks and other graphics
# How far apart (CIE76 ΔE, in truecolor and once down-converted to 256 colours) the reader's
# highlights must be: the cursor's sentence and an annotated passage, both bands of text, told
# apart at a glance (as the search colour from the entities'); any other two layers that can be
# seen side by side or one inside the other (a focused quote, a selection, the search matches, an
# entity label's colour); a layer and the page.
LAYER_APART = 30.0
BESIDE_APART = 15.0
PAGE_APART = 12.0
FOCUS_APART = 10.0  # a focused quote is a faint tint of the page on purpose
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


def readable_on(foreground, background, minimum: float = AA_CONTRAST, eight_bit_minimum: float = 0.0):
    """`foreground`, or the nearest blend of it towards white or black that reaches `minimum`
    contrast on `background` (both opaque Textual Colors), and `eight_bit_minimum` once both are
    down-converted to 256 colours."""
    from textual.color import Color

    if legible(foreground, background, minimum, eight_bit_minimum):
        return foreground
    white, black = Color(255, 255, 255), Color(0, 0, 0)
    target = white if contrast_ratio(white, background) >= contrast_ratio(black, background) else black
    blends = [foreground.blend(target, step / 20) for step in range(1, 21)]
    found = next((c for c in blends if legible(c, background, minimum)), target)
    if legible(found, background, minimum, eight_bit_minimum):
        return found
    # Readable in truecolor, not in 256 colours: the nearest colour that is, further along the
    # blend or around it (256 colours are coarse: the blend alone took textual-light's amber
    # heading nearly to black, where a deeper shade of its hue reads as well).
    further = next((c for c in blends if legible(c, background, minimum, eight_bit_minimum)), target)
    around = next((c for c in _nearby(found) if legible(c, background, minimum, eight_bit_minimum)), further)
    return min((further, around), key=lambda c: delta_e(c, found))


def legible(text, background, minimum: float = AA_CONTRAST, eight_bit_minimum: float = 0.0) -> bool:
    """`text` reaches `minimum` contrast on `background`, and `eight_bit_minimum` as a terminal of
    256 colours shows them."""
    if contrast_ratio(text, background) < minimum:
        return False
    return not eight_bit_minimum or contrast_ratio(eight_bit(text), eight_bit(background)) >= eight_bit_minimum


def eight_bit_floor(text, page) -> float:
    """The contrast text must keep in 256 colours: AA, or where a theme's own page text falls short
    of it there (its colours down-converted), as much as that text has (no worse than the page)."""
    return min(AA_CONTRAST, contrast_ratio(eight_bit(text), eight_bit(page)))


@lru_cache(maxsize=4096)
def eight_bit(colour):
    """`colour` (a Textual Color) as a terminal of 256 colours shows it (tmux without truecolor,
    macOS Terminal.app): Rich, and so Textual, down-converts each truecolor to an entry of the
    xterm palette (rich.color.Color.downgrade), which is what the terminal draws."""
    from rich.color import Color as RichColor
    from rich.color import ColorSystem
    from textual.color import Color

    return Color(*RichColor.from_rgb(*colour.rgb).downgrade(ColorSystem.EIGHT_BIT).get_truecolor())


@lru_cache(maxsize=8192)
def _lab(colour):
    from textual.color import rgb_to_lab

    return rgb_to_lab(colour)


def delta_e(a, b) -> float:
    """How different two opaque colours look (CIE76 ΔE in L*a*b*: about 2 is just noticeable, 30
    and more different at a glance)."""
    (l1, a1, b1), (l2, a2, b2) = _lab(a), _lab(b)
    return ((l1 - l2) ** 2 + (a1 - a2) ** 2 + (b1 - b2) ** 2) ** 0.5


def apart(a, b, minimum: float = LAYER_APART) -> bool:
    """`a` and `b` are at least `minimum` ΔE apart both in truecolor and in 256 colours."""
    return delta_e(a, b) >= minimum and delta_e(eight_bit(a), eight_bit(b)) >= minimum


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
    header and status lines, footer keys and descriptions, list cursors — in truecolor, and once
    down-converted to 256 colours as far as the theme's own text on its page is readable there
    (textual-light's list cursor and header were 3:1 in 256 colours)."""
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
    floor = eight_bit_floor(foreground, surface)

    def readable(text: Color, under: Color) -> Color:
        return readable_on(text, under, eight_bit_minimum=floor)

    for _ in range(2):  # a focused list tints its background with the text colour: settle both
        focused = surface.blend(foreground, 0.05)
        for under in (surface, background, panel, focused, surface):  # body text, wherever it stands
            foreground = readable(foreground, under)
    focused = surface.blend(foreground, 0.05)
    out["foreground"] = foreground.hex
    title_bg = colour("primary-background", surface)
    if title_bg is not None:
        out["margin-title-foreground"] = readable(foreground, title_bg).hex
    muted = foreground.blend(panel, 0.35)  # secondary text: on the status lines and the list
    for under in (panel, surface, focused, panel, focused):
        muted = readable(muted, under)
    out["text-muted"] = muted.hex
    # Panel lists: the highlighted row is a tint of the primary colour, as strong as it can be
    # while body text and muted text on it stay readable.
    primary = colour("primary", surface) or foreground
    # Headings and the annotations panel's tags: the accent, readable wherever a list stands
    # (a focused list tints its background: solarized-light's accent was 4.3:1 there).
    heading = colour("accent", surface) or primary
    for under in (surface, panel, focused, surface, panel, focused):
        heading = readable(heading, under)
    option = readable_tint(surface, primary, 0.45, (foreground, muted, heading))
    out["margin-option-highlight"] = _standing_out(option, (surface, focused), (foreground, muted, heading), floor).hex
    out["margin-heading"] = heading.hex
    footer_bg = colour("footer-background", surface) or panel
    for name in ("footer-key-foreground", "footer-description-foreground", "footer-foreground"):
        value = colour(name, footer_bg)
        if value is not None:
            out[name] = readable(value, footer_bg).hex
    for fg_name, bg_name in (
        ("block-cursor-foreground", "block-cursor-background"),
        ("block-cursor-blurred-foreground", "block-cursor-blurred-background"),
    ):
        bg = colour(bg_name, surface)
        if bg is not None:
            out[fg_name] = readable(colour(fg_name, bg) or foreground, bg).hex
    return out


def _standing_out(colour, pages, texts, floor: float):
    """`colour` (a list's highlighted row), or the nearest colour to it that stands out on each of
    `pages` by `PAGE_APART` and keeps every one of `texts` readable on it (AA; `floor` in 256
    colours), in truecolor and in 256 colours (where textual-light's row and page were two
    neighbouring greys, 251 and 252)."""
    for candidate in _nearby(colour):
        if all(apart(candidate, page, PAGE_APART) for page in pages) and all(
            legible(text, candidate, eight_bit_minimum=floor) for text in texts
        ):
            return candidate
    return colour


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
