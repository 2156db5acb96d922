"""Quote finding on news pages: a linked story's quoted headline on a page-furniture line is no
quotation of this story; a short verb phrase or noun phrase quoted before a noun is speech, not
a modifier of that noun."""

from __future__ import annotations

from tui.core.analysis.pipeline import analyze_text

OPENING = "Tomas Berglund spoke in Dalby on Monday. “We will win this county,” Berglund said.\n\n"


def quote_texts(trained, text: str) -> list[str]:
    nlp, info = trained
    return [q.text for q in analyze_text(text, nlp, info).quotes]


def test_a_read_more_headline_is_no_quote_of_the_story(trained):
    text = OPENING + (
        "READ MORE: ‘It becomes a nightmare’: the rise of the viral bomb threat\n\n"
        "WATCH: ‘No magic pill’ – the police chief reviews the year\n\n"
        "Berglund said the attackers made no money."
    )
    found = quote_texts(trained, text)
    assert not any("nightmare" in q or "magic pill" in q for q in found)
    assert any(q.startswith("We will win") for q in found)


def test_a_short_verb_phrase_before_a_noun_is_speech(trained):
    text = OPENING + 'Mayor Anna Dahl says she spent Saturday "running around" town and opening the school.'
    assert any(q.startswith("running around") for q in quote_texts(trained, text))


def test_a_quoted_noun_phrase_before_a_noun_is_speech(trained):
    text = OPENING + "Berglund said he feels “a lot stronger” thanks to all that time in the gym."
    assert any(q.startswith("a lot stronger") for q in quote_texts(trained, text))


def test_a_quoted_modifier_before_a_noun_stays_no_quote(trained):
    text = OPENING + "Police said they found several “home made” bombs in the shed."
    assert not any("home made" in q for q in quote_texts(trained, text))


def test_a_watch_below_caption_is_no_quote_of_the_story(trained):
    text = OPENING + (
        "WATCH BELOW: The county is cancelling its public sessions following what it is calling "
        "“inflamed rhetoric.” Anna Dahl has more.\n\nBerglund said the sessions would return."
    )
    assert not any("inflamed rhetoric" in q for q in quote_texts(trained, text))


def test_a_so_called_term_is_no_quote_even_beside_a_cue(trained):
    text = OPENING + (
        "Berglund said the gains are often measured by the so-called “fiscal multipliers” of the "
        "spending, which he called too rosy."
    )
    assert not any("fiscal multipliers" in q for q in quote_texts(trained, text))


def test_titles_with_small_words_a_subtitle_or_a_full_stop_are_no_quotes(trained):
    text = OPENING + (
        "Berglund said on “The Evening Hour with Anna Dahl,” that he would run. He wrote “The "
        "Harvest Years: Three Generations That Built a Valley,” and Dahl once starred in “Rush "
        "Hour.” Berglund said the race is “wide open now.”"
    )
    found = quote_texts(trained, text)
    assert not any(q.startswith(("The Evening Hour", "The Harvest Years", "Rush Hour")) for q in found)
    assert any(q.startswith("wide open now") for q in found)


def test_a_line_break_before_an_opening_mark_starts_a_paragraph_of_the_quote(trained):
    text = OPENING + (
        "“One I would describe as a casual hate,” Berglund said. “The rallies are outlets for people "
        "to engage in what society has pushed aside — and they revel in it.\n“There’s another side "
        "that’s kind of nihilistic,” Berglund said.\n\nThe rally ended at nine."
    )
    found = quote_texts(trained, text)
    assert any(q.startswith("The rallies are outlets") and q.rstrip().endswith("revel in it.") for q in found)
    assert any(q.startswith("There’s another side") for q in found)


def test_paragraphs_split_at_blank_lines_and_before_an_opening_quote_only():
    from tui.core.analysis.quote_marks import paragraph_bounds

    text = "One line\nwrapped here.\n“A new quote,” she said.\n\nNext paragraph.\nAnd a wrapped line."
    pieces = [text[a:b] for a, b in paragraph_bounds(text)]
    assert pieces == ["One line\nwrapped here.", "“A new quote,” she said.", "Next paragraph.\nAnd a wrapped line."]


def test_a_name_line_closing_a_quotation_credits_it(trained):
    nlp, info = trained
    text = OPENING + (
        "On its face, the critique is a typical line of attack.\n\n"
        '"I worry that we may see a resurgence of voters singing the virtues of balanced budgets.\n'
        'Karin Ek, Center for Economic Research."\n\nBut the broadside continued.'
    )
    quotes = [q for q in analyze_text(text, nlp, info).quotes if q.text.startswith("I worry")]
    assert len(quotes) == 1 and quotes[0].text.rstrip().endswith("balanced budgets.")
    assert quotes[0].speaker is not None and quotes[0].speaker.canonical == "Karin Ek"


def test_a_last_line_of_speech_is_no_credit_line():
    from tui.core.analysis.quote_marks import find_quoted_pieces

    text = 'She spoke last.\n\n"We came a long way.\nThank you all, and good night."'
    (piece,) = find_quoted_pieces(text)
    assert piece.credit is None and text[piece.start : piece.end].endswith("good night.")


def test_a_short_quote_someone_dubbed_a_rival_is_speech(trained):
    text = OPENING + (
        "Berglund also took swipes at Erik Dahl, whom he dubbed “the little senator.” He mocked Dahl for losing the county."
    )
    assert any(q.startswith("the little senator") for q in quote_texts(trained, text))


def test_a_longer_heading_in_single_marks_is_no_new_quote(trained):
    text = OPENING + (
        "In a post to his constituents at the time, Berglund said the law was too strict.\n\n"
        "‘I was not able to give it my vote in good conscience’\n\n"
        "“As a professor of law for 20 years, I worry about passing it,” Berglund wrote."
    )
    found = quote_texts(trained, text)
    assert not any(q.startswith("I was not able") for q in found)
    assert any(q.startswith("As a professor of law") for q in found)
