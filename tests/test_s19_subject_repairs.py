"""Speakers the parse hides: a name misparsed into an opening prepositional phrase, a description
subject whose apposition names the person after a "backing …" phrase, and a "he" closing a
sentence whose pieces are split by the writer's aside naming someone else."""

from __future__ import annotations

from tests.test_quotes_real_news import speaker_of

OPENING = (
    "Senator Marta Lindqvist opened the hearing on the ballot dispute on Tuesday, and Governor Anna Dahl "
    "listened. “This question "
    "has dragged on for far too long,” Lindqvist said.\n\n"
)


def test_a_name_parsed_into_the_opening_phrase_is_the_sentence_subject(trained):
    text = OPENING + (
        "At a May town hall for Dahl in St. Albans, Vermont, 58-year-old Maria Holm also railed against "
        "the tax, and explained how much it upset her. “They should cut it now,” she said."
    )
    assert speaker_of(trained, text, "They should cut") == "Maria Holm"


def test_a_description_subject_is_the_person_named_beside_it(trained):
    text = OPENING + (
        "One farmer backing Ms. Lindqvist, Tomas Berglund of Oak Creek Farm in Dalby, said he had "
        "knocked on 200 doors. He has spoken at church suppers since May, he said.\n\n"
        "“Bring a neighbour and vote early,” he tells his friends."
    )
    assert speaker_of(trained, text, "Bring a neighbour") == "Tomas Berglund"


def test_a_he_closing_a_split_sentence_skips_the_name_in_the_aside(trained):
    text = OPENING + (
        "Lindqvist's pollster, Tomas Berglund, says the senator has the money and the time. “I don't "
        "think the talk” — that Governor Erik Dahl is unbeatable in the north — “is going to last,” "
        "he says."
    )
    assert speaker_of(trained, text, "is going to last") == "Tomas Berglund"


def test_a_closed_sentence_before_the_pronoun_keeps_the_usual_resolution(trained):
    # the first piece ends its sentence: the "he" after the second is whoever the passage says
    text = OPENING + (
        "Berglund, her lawyer, called the charge “a stunt.” Judge Erik Dahl saw it differently: "
        "“When the senator says she will fight, I take her at her word,” he said."
    )
    assert speaker_of(trained, text, "When the senator says") == "Erik Dahl"


def test_a_title_and_a_state_after_an_exclamation_keep_the_cue(trained):
    text = OPENING + "“Perpetual motion!” Rep. Tomas Berglund, R-Ore., said of the week's events."
    assert speaker_of(trained, text, "Perpetual motion") == "Tomas Berglund"


def test_a_described_name_carrying_a_quoted_phrase_is_the_cue_subject(trained):
    text = OPENING + (
        "“We’ve had more successful conventions than this one,” Ohio delegate Tomas Berglund, wearing a "
        "cowboy hat and “Anna Dahl” campaign pins, said matter-of-factly."
    )
    assert speaker_of(trained, text, "We’ve had more") == "Tomas Berglund"


def test_a_relative_clause_ending_on_a_comma_introduces_the_quote(trained):
    text = OPENING + (
        "On Thursday, Lindqvist scored her first endorsement from a Senate colleague, from Tomas "
        "Berglund, who declared in the debate spin room, “I’m sending the signal that it’s time to "
        "unite.” Lindqvist was also endorsed the day before."
    )
    assert speaker_of(trained, text, "I’m sending the signal") == "Tomas Berglund"


def test_speech_said_with_a_face_is_a_cue(trained):
    text = OPENING + "“This is fantastic!” beamed Tomas Berglund of Dalby, who snuck onto the floor."
    assert speaker_of(trained, text, "This is fantastic") == "Tomas Berglund"


# no senator named before: the description can only point to the senators of the passage
PLAIN_OPENING = "Anna Lindqvist spoke in Dalby on Monday. “We will win this county,” Lindqvist said.\n\n"


def test_a_senator_of_another_state_is_not_the_florida_senator(trained):
    text = PLAIN_OPENING + (
        "Tomas Berglund, who is third in many polls, stressed defense issues during an appearance "
        "with Sen. Karin Ek, R-Iowa.\n\nThe Florida senator told reporters he feels good about his "
        "campaign. “We are going to do great,” the Florida senator said."
    )
    assert speaker_of(trained, text, "We are going to do great") == "Tomas Berglund"


def test_a_senator_tagged_with_the_state_is_the_state_senator(trained):
    text = PLAIN_OPENING + (
        "Tomas Berglund stressed defense issues during an appearance with Sen. Karin Ek, R-Fla.\n\n"
        "“We are going to do great,” the Florida senator said."
    )
    assert speaker_of(trained, text, "We are going to do great") == "Karin Ek"


def test_a_reported_clause_before_a_colon_leaves_the_quote_to_the_reporter(trained):
    text = PLAIN_OPENING + (
        "As the count dragged on after her loss in Dalby, Lindqvist scrambled to organize.\n\n"
        "Tomas Berglund said this was a “fatal miscalculation” and that she has learned her lesson: "
        "“They are fortified for a longer fight if they need to be in one.”"
    )
    assert speaker_of(trained, text, "They are fortified") == "Tomas Berglund"


def test_with_no_person_as_subject_the_first_person_named_is_the_he(trained):
    text = PLAIN_OPENING + (
        "Tomas Berglund has long opposed Lindqvist.\n\n"
        "The rise of the new party gave Berglund fresh reason to oppose Erik Dahl and to court those "
        "who might normally oppose him.\n\n"
        "He said he was “truly, gravely concerned about the direction of the county.”"
    )
    assert speaker_of(trained, text, "truly, gravely") == "Tomas Berglund"


def test_a_name_inside_an_anti_word_is_no_candidate(trained):
    text = PLAIN_OPENING + (
        "Erik Dahl won the district last year.\n\n"
        "Despite the district’s anti-Dahl lean this spring, the party gave Tomas Berglund a seat at "
        "the convention.\n\n“I’m sure we will have some delegates out there,” he said."
    )
    assert speaker_of(trained, text, "I’m sure we will") == "Tomas Berglund"


def test_an_email_sent_from_a_person_speaks_for_its_sender(trained):
    text = PLAIN_OPENING + (
        "On Thursday, an email was sent from the club’s executive director, Tomas Berglund, to the "
        "members. The email said, “Effective immediately, we are going to wind down the club.”\n\n"
        "The email went on to say, “Today, people just don’t feel as much of a need to show up.”"
    )
    assert speaker_of(trained, text, "Effective immediately") == "Tomas Berglund"
    assert speaker_of(trained, text, "Today, people") == "Tomas Berglund"


def test_an_email_whose_sender_is_unnamed_stays_the_email(trained):
    text = PLAIN_OPENING + (
        "A fundraising email sent out by Tomas Berglund on Tuesday warned of the fight ahead.\n\n"
        "Lindqvist’s campaign sent out an email appeal that looked ahead. “We need to come out on "
        "top in the states that lie ahead,” the email said."
    )
    assert speaker_of(trained, text, "We need to come out") == "the email"


def _parsed(words, heads, deps, pos):
    """A Doc with the parse given (the one spaCy's small model makes of such sentences)."""
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    return Doc(Vocab(), words=words, heads=heads, deps=deps, pos=pos)


def test_a_noun_parsed_into_the_opening_clause_is_the_subject_the_verb_lacks():
    from tui.core.analysis.quote_cue_parse import dep_subject, subject_lost_to_preposition

    # "Although there is overlap with Roe's team, a White House official who spoke said Wednesday,"
    words = [
        "Although",
        "there",
        "is",
        "overlap",
        "with",
        "Roe",
        "'s",
        "team",
        ",",
        "a",
        "White",
        "House",
        "official",
        "who",
        "spoke",
        "said",
        "Wednesday",
        ",",
    ]
    heads = [2, 2, 15, 2, 3, 7, 5, 4, 7, 12, 11, 12, 7, 14, 12, 15, 15, 15]
    deps = [
        "mark",
        "expl",
        "advcl",
        "attr",
        "prep",
        "poss",
        "case",
        "pobj",
        "punct",
        "det",
        "compound",
        "compound",
        "appos",
        "nsubj",
        "relcl",
        "ROOT",
        "npadvmod",
        "punct",
    ]
    pos = [
        "SCONJ",
        "PRON",
        "VERB",
        "NOUN",
        "ADP",
        "PROPN",
        "PART",
        "NOUN",
        "PUNCT",
        "DET",
        "PROPN",
        "PROPN",
        "NOUN",
        "PRON",
        "VERB",
        "VERB",
        "PROPN",
        "PUNCT",
    ]
    doc = _parsed(words, heads, deps, pos)
    lost = subject_lost_to_preposition(doc, doc[15])
    assert lost is not None and lost.i == 12
    assert dep_subject(doc, 15, 0, len(doc)) == (9, 13)  # "a White House official"


def test_a_verb_with_its_own_subject_lost_nothing():
    from tui.core.analysis.quote_cue_parse import subject_lost_to_preposition

    # "With Roe's team, the official said": the parse found the subject
    words = ["With", "Roe", "'s", "team", ",", "the", "official", "said"]
    heads = [7, 3, 1, 0, 7, 6, 7, 7]
    deps = ["prep", "poss", "case", "pobj", "punct", "det", "nsubj", "ROOT"]
    pos = ["ADP", "PROPN", "PART", "NOUN", "PUNCT", "DET", "NOUN", "VERB"]
    doc = _parsed(words, heads, deps, pos)
    assert subject_lost_to_preposition(doc, doc[7]) is None


def test_the_one_referring_to_someone_as_something_said_it(trained):
    text = PLAIN_OPENING + (
        "Sen. Tomas Berglund on Wednesday downplayed the attack on the judge and said it is basically "
        "the same thing as Justice Karin Ek referring to herself as “a wise daughter of the valley.”"
    )
    assert speaker_of(trained, text, "a wise daughter") == "Karin Ek"


def test_a_she_in_a_clause_coordinated_with_a_name_tells_its_gender(trained):
    # neither given name tells a gender; "…, but she has said" does
    text = (
        "Kerry Lund spoke first in Dalby on Monday.\n\nRobin Voss has taken a confusing stance on the "
        "tax, but she has said that she supports a cut for families.\n\n“It is a matter of fairness,” "
        "he said."
    )
    assert speaker_of(trained, text, "It is a matter") == "Kerry Lund"


def test_a_possessive_after_the_previous_sentences_subject_tells_no_gender(trained):
    # "her challenger" may be Lund's, the subject of the sentence before: Voss keeps no gender
    text = (
        "Karin Lund, who is reviled by farmers, said at the hearing that the process is open. Robin "
        "Voss endorsed and has campaigned for her challenger in the north, Anna Berg.\n\nVoss spoke "
        "next. “Do not give up on the valley,” he said."
    )
    assert speaker_of(trained, text, "Do not give up") == "Robin Voss"


def test_the_utility_is_the_company_that_spoke_before(trained):
    text = PLAIN_OPENING + (
        "Crews from Northwind Power Corp. worked through the night to restore power to 40,000 homes, "
        "Northwind Power Corp. said on Sunday.\n\n“There are hundreds of individual outages that "
        "crews must repair,” the utility said in a statement."
    )
    assert speaker_of(trained, text, "There are hundreds") == "Northwind Power Corp."


def test_the_response_of_someone_after_a_quote_is_theirs(trained):
    text = PLAIN_OPENING + (
        "The campaign posted a video in which a tractor takes “snow laps” in a field. “The best "
        "sleigh this Christmas!” was the response of one jolly viewer. The spot says much.\n\n"
        "“It is a disgrace,” was the reaction of Tomas Berglund, the mayor."
    )
    assert speaker_of(trained, text, "The best sleigh") == "one jolly viewer"
    assert speaker_of(trained, text, "It is a disgrace") == "Tomas Berglund"


def test_the_answer_to_a_question_is_not_the_askers(trained):
    text = (
        "Tomas Berglund sat down with the host, Erik Dahl, on Sunday.\n\n"
        "“It tells you that one of us is a candidate of the establishment,” Berglund remarked.\n\n"
        "“That would be you?” Dahl asked.\n\n"
        "“That would be me, yes. I think that’s probably right,” he said."
    )
    assert speaker_of(trained, text, "That would be me") == "Tomas Berglund"
