"""A reporting participle at the end of a long chain of clauses ("…, saying that the plan had …
but was sunk by … - and arguing that …") belongs to the subject of the sentence's main verb,
not to the subject of a clause it reports."""

from __future__ import annotations

from tests.test_quotes_real_news import speaker_of


def test_a_participle_after_a_reported_clause_and_its_coordinates_is_the_main_subjects(trained):
    text = (
        "Senator Dana Whitcombe defended her record on Thursday.\n\n"
        "Whitcombe answered her critics at a town hall, saying that the plan had enough money "
        "but was slowed by a court ruling - and adding that she and Ortiz wanted "
        '"the same outcome for the harbour."\n\n'
        "The vote is next week."
    )
    assert speaker_of(trained, text, "the same outcome") == "Dana Whitcombe"


def test_a_shouting_participle_belongs_to_the_people_not_to_an_incident(trained):
    text = (
        "Mayor Lena Okafor met angry residents twice this week.\n\n"
        "The second clash came at a school board hearing in Eastbrook, when parents from the "
        "harbour district interrupted her remarks, chanting “close the depot now!”\n\n"
        "The hearing went on for three hours."
    )
    speaker = speaker_of(trained, text, "close the depot")
    assert speaker is not None and "clash" not in speaker and "parents" in speaker


def test_a_quote_with_no_cue_is_not_given_to_a_thing_a_verb_before_it_had_for_subject(trained):
    text = (
        "Council member Rosa Lindqvist pressed the transit board on Tuesday.\n\n"
        "“We were promised buses every ten minutes,” Lindqvist said.\n\n"
        "Her proposal called for a vote within a month, and the room fell quiet.\n\n"
        "“Nobody here wants another study. We want buses.”"
    )
    assert speaker_of(trained, text, "Nobody here") == "Rosa Lindqvist"


def test_a_crowd_a_sign_and_a_document_still_speak_after_their_cue(trained):
    text = (
        "Supporters packed the hall on Friday night.\n\n"
        "The crowd chanted for the governor as she walked to the stage.\n\n"
        "“Four more years! Four more years!”"
    )
    assert speaker_of(trained, text, "Four more") == "The crowd"


def test_a_participle_after_a_clause_about_a_thing_is_the_reporters(trained):
    text = (
        "Bishop Tomas Herrera spoke to reporters on Sunday.\n\n"
        "Herrera made clear that his visit to the mayor was not political, saying that anyone who "
        "thought otherwise should “read the schedule again,” according to the diocese.\n\n"
        "The visit lasted an hour."
    )
    assert speaker_of(trained, text, "read the schedule") == "Tomas Herrera"


def test_a_thing_before_a_colon_says_nothing_the_person_it_surprises_does(trained):
    text = (
        "The governor's poll numbers fell again this week.\n\n"
        "The size of Governor Rivera’s drop does not surprise economist Miriam Castellanos: “Voters feel "
        "prices before they read about them.”\n\n"
        "The next poll is due in June."
    )
    assert speaker_of(trained, text, "Voters feel") == "Miriam Castellanos"
