"""Quote finder on structures the development set covers thinly: one test per structure, with
sentences written for these tests (none is taken from the dev set or the challenge set), and
aggregate floors on the challenge set in bench/quotes_challenge.

Floors are the measured scores minus a small margin; see bench/quotes_eval.py for the metric.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tui.core.analysis.pipeline import analyze_text, load_pipeline

REPO = Path(__file__).resolve().parents[1]
CHALLENGE = REPO / "bench" / "quotes_challenge"


def quotes(pipeline, text):
    nlp, info = pipeline
    return analyze_text(text, nlp, info).quotes


def by_text(found, start):
    matches = [q for q in found if q.text.startswith(start)]
    assert matches, f"no quote starting {start!r} in {[q.text for q in found]}"
    return matches[0]


def canonical(found, start):
    q = by_text(found, start)
    return q.speaker.canonical if q.speaker else None


# -- multi-paragraph quotes -----------------------------------------------------------------


def test_multi_paragraph_quote_with_closing_less_middle_paragraph(any_pipeline):
    text = (
        "Harbour master Ingrid Vale spoke after the ferry ran aground. “The tide was lower than the charts said. "
        "We had no warning.\n\n"
        "“The captain did everything right and nobody was hurt.\n\n"
        "“We will tow the ferry off tonight.”\n\n"
        "Vale said an inquiry would follow."
    )
    found = quotes(any_pipeline, text)
    assert [q.text for q in found] == [
        "The tide was lower than the charts said. We had no warning.",
        "The captain did everything right and nobody was hurt.",
        "We will tow the ferry off tonight.",
    ]
    assert all(q.speaker and q.speaker.canonical == "Ingrid Vale" for q in found)


def test_split_quote_running_into_next_paragraph_keeps_cue(any_pipeline):
    text = (
        "“The orchard is finished,” said grower Tomas Brekke. “Hail took every apple.\n\n"
        "“My grandfather planted these trees, and I do not know if I can replant them.”"
    )
    found = quotes(any_pipeline, text)
    assert len(found) == 3
    assert [q.cue for q in found] == ["said", "said", "said"]
    assert {q.speaker.canonical for q in found} == {"Tomas Brekke"}


# -- marks ------------------------------------------------------------------------------------


def test_british_single_marks(any_pipeline):
    text = (
        "‘We can’t let the library close,’ said councillor Anwen Price. ‘It is the only warm room some people have.’\n\n"
        "Her colleague said the budget was ‘simply not there’ this year."
    )
    found = quotes(any_pipeline, text)
    assert [q.text for q in found] == [
        "We can’t let the library close,",
        "It is the only warm room some people have.",
        "simply not there",
    ]
    assert canonical(found, "We can’t") == "Anwen Price"
    assert canonical(found, "It is the only") == "Anwen Price"


def test_apostrophes_alone_make_no_single_mark_quotes(any_pipeline):
    text = "The farmers’ market reopened in the ’90s, and the growers’ co-op says it isn’t leaving."
    assert quotes(any_pipeline, text) == []


def test_nested_single_quote_inside_double(any_pipeline):
    text = "“My son asked me, ‘Will the school open tomorrow?’ and I had no answer,” said parent Dana Wolff."
    found = quotes(any_pipeline, text)
    assert [q.text for q in found] == ["My son asked me, ‘Will the school open tomorrow?’ and I had no answer,"]
    assert found[0].speaker.canonical == "Dana Wolff"


def test_question_and_exclamation_before_inverted_cue(any_pipeline):
    text = "“Who pays for the repairs?” asked tenant Luis Moreno. “Not us!”"
    found = quotes(any_pipeline, text)
    assert [q.text for q in found] == ["Who pays for the repairs?", "Not us!"]
    assert [q.cue for q in found] == ["asked", "asked"]
    assert {q.speaker.canonical for q in found} == {"Luis Moreno"}


def test_em_dash_interruption(trained):
    text = "“The vote,” Senator Rhea Collins said — pausing to check her notes — “was never in doubt.”"
    found = quotes(trained, text)
    assert [q.text for q in found] == ["The vote,", "was never in doubt."]
    assert {q.speaker.canonical for q in found} == {"Rhea Collins"}


def test_quote_inside_parentheses(any_pipeline):
    text = "The mill closed in May. (“We saw it coming for years,” recalled former worker Edwin Shaw.)"
    found = quotes(any_pipeline, text)
    assert [q.text for q in found] == ["We saw it coming for years,"]
    assert found[0].cue == "recalled"
    assert found[0].speaker.canonical == "Edwin Shaw"


# -- cues ---------------------------------------------------------------------------------------


def test_according_to_introduces_a_direct_quote(any_pipeline):
    text = "According to the county sheriff, “the driver was not wearing a seat belt and was thrown from the car.”"
    found = quotes(any_pipeline, text)
    assert len(found) == 1
    assert found[0].cue == "According to"
    assert "sheriff" in found[0].speaker.canonical


def test_colon_introduced_quote(any_pipeline):
    text = "Principal Oskar Lind told parents: “The roof will be fixed before the new term starts.”"
    found = quotes(any_pipeline, text)
    assert found[0].cue == "told parents"
    assert found[0].speaker.canonical == "Oskar Lind"


def test_inverted_cue_with_role_description(any_pipeline):
    text = "Prices will rise again, warns the central bank. “Inflation has not peaked,” says the bank’s chief economist."
    found = quotes(any_pipeline, text)
    assert len(found) == 1
    assert found[0].cue == "says"
    assert "economist" in found[0].speaker.canonical


def test_inverted_cue_takes_the_name_in_apposition(any_pipeline):
    text = "“We have waited long enough,” said the tenants’ spokeswoman, Nadia Berg."
    found = quotes(any_pipeline, text)
    assert found[0].speaker.canonical == "Nadia Berg"


def test_appositive_speaker_before_the_cue(trained):
    text = "The bakery’s owner, Felix Amato, said the new oven would “double what we can bake in a morning.”"
    found = quotes(trained, text)
    assert [q.text for q in found] == ["double what we can bake in a morning."]
    assert found[0].speaker.canonical == "Felix Amato"


def test_coordinated_verb_shares_the_speaker(any_pipeline):
    text = "Activist Mara Lindgren called the project “a theft of public land” and said the city had “ignored every objection.”"
    found = quotes(any_pipeline, text)
    assert [q.text for q in found] == ["a theft of public land", "ignored every objection."]
    assert [q.speaker.canonical if q.speaker else None for q in found] == ["Mara Lindgren", "Mara Lindgren"]


def test_post_and_statement(any_pipeline):
    text = (
        "“See you all next summer,” the band wrote on Instagram.\n\n"
        "The festival said in a statement: “Tickets will be refunded within 14 days.”"
    )
    found = quotes(any_pipeline, text)
    assert [q.cue for q in found] == ["wrote", "said"]
    assert "band" in found[0].speaker.canonical
    assert "festival" in found[1].speaker.canonical


def test_long_quote_with_cue_at_the_end_and_cueless_continuation(any_pipeline):
    text = (
        "Chef Paulo Ramos has run the restaurant for 20 years.\n\n"
        "“We started with four tables and a borrowed stove. Every year since then we have added something, "
        "a room, a terrace, a garden for herbs,” he said.\n\n"
        "“I would not change a single day of it.”"
    )
    found = quotes(any_pipeline, text)
    assert len(found) == 2
    assert found[0].cue == "said" and found[0].speaker.canonical == "Paulo Ramos"
    assert found[1].cue is None and found[1].speaker.canonical == "Paulo Ramos"


# -- speakers: pronouns and descriptions -------------------------------------------------------


def test_he_and_she_alternate_between_two_people(trained):
    text = (
        "Governor Alma Ruiz and her rival, rancher Dale Hobbs, met in a debate on Thursday.\n\n"
        "Ruiz defended the water plan. “It keeps every farm alive,” she said.\n\n"
        "Hobbs disagreed. “It keeps the cities alive and the farms thirsty,” he said.\n\n"
        "She said the numbers were public. “Anyone can check them,” she said."
    )
    found = quotes(trained, text)
    assert canonical(found, "It keeps every") == "Alma Ruiz"
    assert canonical(found, "It keeps the cities") == "Dale Hobbs"
    assert canonical(found, "Anyone can") == "Alma Ruiz"


def test_it_refers_to_an_organisation(any_pipeline):
    text = "The national rail operator apologised for the delays.\n\n“Passengers deserve better,” it said in a statement."
    found = quotes(any_pipeline, text)
    assert found[0].speaker.text == "it"
    assert "operator" in found[0].speaker.canonical


def test_they_refers_to_a_group(any_pipeline):
    text = "Nurses marched to the parliament building on Friday. “Safe staffing saves lives!” they chanted."
    found = quotes(any_pipeline, text)
    assert found[0].cue == "chanted"
    assert found[0].speaker.canonical == "Nurses"


def test_it_does_not_take_a_person(trained):
    text = (
        "Finance Minister Jonas Ekberg met the tax agency on Monday.\n\n"
        "The agency said the new forms were ready. “The system is tested and working,” it said."
    )
    found = quotes(trained, text)
    assert "agency" in found[0].speaker.canonical.lower()


def test_definite_description_resolves_to_the_titled_person(trained):
    text = "Health Minister Clara Voss visited the clinic on Monday.\n\n“We will hire 500 nurses this year,” the minister said."
    found = quotes(trained, text)
    assert found[0].speaker.text == "the minister"
    assert found[0].speaker.canonical == "Clara Voss"


def test_he_after_an_unnamed_described_speaker(trained):
    text = (
        "A senior police officer, speaking on condition of anonymity, said the investigation was widening.\n\n"
        "“We expect more arrests,” he said."
    )
    found = quotes(trained, text)
    assert "officer" in found[0].speaker.canonical


# -- not speech ---------------------------------------------------------------------------------


def test_titles_with_inner_comma_nicknames_and_single_words_are_not_speech(any_pipeline):
    text = (
        "Critic Lena Fox, author of the book “Empty Seats,” said the arena “will never fill up.” "
        "Fans call the arena “The Bowl” and its owners promise “magic” every night."
    )
    found = quotes(any_pipeline, text)
    assert [q.text for q in found] == ["will never fill up."]
    assert found[0].speaker.canonical == "Lena Fox"


def test_partial_quote_in_a_clause_is_speech(any_pipeline):
    text = "Union chief Ravi Menon called the offer “an insult to every worker in this plant.”"
    found = quotes(any_pipeline, text)
    assert [q.text for q in found] == ["an insult to every worker in this plant."]
    assert found[0].cue == "called"
    assert found[0].speaker.canonical == "Ravi Menon"


def test_headline_verb_is_not_part_of_a_name(rules):
    text = "Flood Defences Held, Says Engineer\n\n“The wall did its job,” engineer Moira Kent said."
    found = quotes(rules, text)
    assert found[0].speaker.canonical == "Moira Kent"


# -- aggregate floors on the challenge set ------------------------------------------------------


def _challenge_scores(model):
    sys.path.insert(0, str(REPO / "bench"))
    import quotes_eval

    nlp, info = load_pipeline(model)
    scores = quotes_eval.Scores()
    for name, text, gold in quotes_eval.load_dev(CHALLENGE):
        scores.add(name, quotes_eval.margin_predict(text, nlp, info), quotes_eval.gold_spans(text, gold), text)
    return scores.row(), info


def test_challenge_set_floor_trained(trained):
    row, info = _challenge_scores(None)
    assert row["F1"] >= 0.97, row
    assert row["speaker acc"] >= 0.95, row
    assert row["cue-less acc"] >= 0.9, row


def test_challenge_set_floor_rules():
    row, _ = _challenge_scores("rules")
    assert row["F1"] >= 0.97, row
    assert row["speaker acc"] >= 0.95, row
