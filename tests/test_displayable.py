"""Text shown in the terminal: every control character, C1 control, bidi override and lone
surrogate becomes a visible placeholder, whatever path `displayable` takes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.text import _KEEP_NEWLINE, _TABLE, displayable

CHARACTERS = st.one_of(
    st.characters(min_codepoint=0, max_codepoint=0x2FF),
    st.characters(min_codepoint=0x2000, max_codepoint=0x2070),
    st.sampled_from(["\n", "\t", "\x1b", "\u202e", "\ud800", "“", "漢"]),
)


@settings(max_examples=500, deadline=None)
@given(text=st.text(alphabet=CHARACTERS, max_size=40), keep_newlines=st.booleans())
def test_displayable_replaces_exactly_what_the_table_says(text, keep_newlines):
    shown = displayable(text, keep_newlines)
    assert shown == text.translate(_KEEP_NEWLINE if keep_newlines else _TABLE)
    assert len(shown) == len(text)


def test_escapes_in_text_beyond_ascii_are_made_visible():
    assert displayable("“hi”\x1b[31m\u202e", keep_newlines=True) == "“hi”␛[31m\ufffd"
    assert displayable("a\nb“") == "a␊b“" and displayable("a\nb“", keep_newlines=True) == "a\nb“"
