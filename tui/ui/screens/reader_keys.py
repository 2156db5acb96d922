"""The reader's keys in one place: each key bound to a reader action (`READER_BINDINGS`), and the
same keys grouped and explained for `?` (`READER_KEYS`), kept side by side so a new key gets both.

To add a key: a `Binding` here naming an `action_…` of `ReaderScreen`, a row in `READER_KEYS`,
and the action itself, which asks `tui.core.reading.Reading` what the key means and redraws.
"""

from __future__ import annotations

from textual.binding import Binding

# Every key of the reader, grouped, for the help screen (kept next to BINDINGS on purpose).
READER_KEYS = [
    (
        "Move",
        [
            ("j / ↓, k / ↑", "next / previous sentence (or quote piece)"),
            ("J / }, K / {", "next / previous paragraph"),
            ("] / [", "next / previous quote"),
            ("> / <", "next / previous annotation"),
            ("g / Home, G / End", "top / bottom"),
            ("z", "centre the cursor's line in the view (as vim's zz)"),
            ("PageDown / Space, PageUp", "page down / up"),
            ("mouse", "click places the cursor, drag selects, wheel scrolls"),
        ],
    ),
    (
        "Select",
        [
            ("v", "select the sentence under the cursor (v again cancels); every move extends it"),
            ("w / b", "extend / shrink the selection by a word"),
            ("Escape", "cancel the selection or the search"),
        ],
    ),
    (
        "Annotate (selection, else the quote under the cursor, else the sentence)",
        [
            ("t", "tag (comma-separated, Tab completes known tags)"),
            ("1 … 9", "quick tag from your palette (the same key again removes it)"),
            ("P", "edit the quick-tag palette"),
            ("n", "note (ctrl+s saves, Escape cancels)"),
            ("e", "edit the annotation under the cursor"),
            (
                "d / u",
                "delete the annotation under the cursor / undo the last delete, tag or note change (t, n, e, quick tags) or speaker decision (c, C)",
            ),
            ("y", "copy the passage with its attribution (speaker, title, source, date, web address)"),
        ],
    ),
    (
        "Speakers (the quote under the cursor)",
        [
            ("c", "who said it: pick one of the article's people, type a name (Tab completes), or “not a quote”"),
            ("C", "confirm the speaker shown is right (marked ✓, counted in how often Margin was right)"),
            ("!", "the next quote whose speaker Margin is unsure of (?) or could not find; from the top again at the end"),
            ("o", "the same quote in other articles (“also in N”): each version, its words' differences highlighted"),
        ],
    ),
    (
        "Find",
        [
            ("/", "search in the article, matches highlighted as you type; Enter goes to the first, Escape cancels"),
            ("n / N", "next / previous match, wrapping at the end (while a search or an entity's mentions are highlighted)"),
            ("a", "annotations panel: Enter jumps; / filters it by tag (Escape empties the filter)"),
            ("s", "who said what panel"),
            ("E", "entities panel: Enter on an entity highlights its mentions; on a label, shows / hides that label"),
            ("W", "People: every speaker across the library, each one's quotes as a timeline"),
            ("p", "show / hide the side panel"),
            ("j / k, g / G, Enter", "in a panel's list: move its highlight (the text's cursor stays), choose"),
        ],
    ),
    (
        "General",
        [
            ("x", "export annotations"),
            ("ctrl+p", "command palette"),
            ("?", "this help"),
            ("Escape", "back to the library"),
            ("q", "quit"),
        ],
    ),
]

READER_BINDINGS = [
    Binding("j,down", "move(1)", "Next", show=False),
    Binding("k,up", "move(-1)", "Prev", show=False),
    Binding("J,right_curly_bracket", "paragraph(1)", "Paragraph", show=False),
    Binding("K,left_curly_bracket", "paragraph(-1)", "Paragraph up", show=False),
    Binding("g,home", "edge(-1)", "Top", show=False),
    Binding("G,end", "edge(1)", "Bottom", show=False),
    Binding("pagedown,space", "page(1)", "Page down", show=False),
    Binding("pageup", "page(-1)", "Page up", show=False),
    Binding("right_square_bracket", "quote(1)", "Next quote"),
    Binding("left_square_bracket", "quote(-1)", "Prev quote", show=False),
    Binding("greater_than_sign", "annotation(1)", "Next annotation", show=False),
    Binding("less_than_sign", "annotation(-1)", "Prev annotation", show=False),
    Binding("z", "centre", "Centre", show=False),
    Binding("y", "copy", "Copy", show=False),
    Binding("c", "correct_speaker", "Speaker", show=False),
    Binding("C", "confirm_speaker", "Confirm speaker", show=False),
    Binding("exclamation_mark", "unsure_quote", "Unsure speaker", show=False),
    Binding("o", "also_in", "Also in", show=False),
    Binding("v", "select", "Select", show=False),
    Binding("w", "word(1)", "Word", show=False),
    Binding("b", "word(-1)", "Word back", show=False),
    Binding("t", "tag", "Tag"),
    # `n` / `N` step through matches while a search or an entity's mentions are highlighted
    # (the footer then says so), else `n` writes a note: one key, two modes, never both at once.
    Binding("n", "search_step(1)", "Next match"),
    Binding("n", "note", "Note"),
    Binding("N", "search_step(-1)", "Prev match"),
    Binding("e", "edit", "Edit", show=False),
    Binding("d", "delete", "Delete", show=False),
    Binding("u", "undo", "Undo", show=False),
    Binding("slash", "search", "Search"),
    Binding("a", "panel('notes')", "Notes", show=False),
    Binding("s", "panel('quotes')", "Who said", show=False),
    Binding("E", "panel('entities')", "Entities", show=False),
    Binding("p", "toggle_panel", "Panel", show=False),
    Binding("P", "edit_palette", "Palette", show=False),
    Binding("W", "app.people", "People", show=False),
    Binding("x", "export", "Export"),
    Binding("question_mark", "help", "Help"),
    Binding("escape", "back", "Back"),
    Binding("q", "app.quit", "Quit"),
] + [Binding(str(i), f"quick_tag({i})", f"Quick tag {i}", show=False) for i in range(1, 10)]
