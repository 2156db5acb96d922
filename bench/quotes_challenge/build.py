#!/usr/bin/env python3
"""Build (and check) the quotes challenge set: `python3 build.py` writes articles/ and gold/.

Every text here was written for this set (invented people, places and events); none is taken
from a real article. The paragraphs exercise structures the quotes-dev set covers thinly or
not at all: multi-paragraph quotes (with a closing-less middle paragraph), nested quotes,
British single-mark quotes, "according to X" before a direct quote, colon-introduced quotes,
inverted cues ("said X", "says the minister"), noun-phrase and role speakers, pronoun chains
with two people in play (he/she) and "it"/"they" for organisations and groups, quotes in
parentheses, em-dash interruptions, quotes ending in "?" or "!", partial quotes in a clause,
scare quotes/titles/nicknames/single words that are not speech, statements and posts,
long quotes with the cue at the end, and cue-less continuation paragraphs.

Labels follow the quotes-dev README rules, plus one rule that set never needed: a quotation
running over paragraphs gives one entry per paragraph, a paragraph piece with no closing mark
runs to the paragraph end, and every piece of one quotation carries the cue (or null) of that
quotation, as the pieces of a split quote do.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent

# (slug, title, paragraphs, quotes [(text, speaker, aliases, cue)], non_speech, notes)
ARTICLES = [
    (
        "c01-flood-barrier",
        "Flood barrier gives way in river town",
        [
            "Residents of the river town of Elmsford were moved to higher ground on Tuesday after a flood barrier gave way during heavy rain.",
            "Fire chief Daniel Okoro described the night to reporters at the town hall. “The water came over the wall at about four in the morning. Within an hour the lower streets were under a metre of water.",
            "“We knocked on every door we could reach. Some older residents refused to leave, and we had to carry two of them out.",
            "“Nobody has been hurt, and that is what matters tonight.”",
            "Okoro said the barrier had been inspected in the spring. “It passed every test,” he said.",
        ],
        [
            (
                "The water came over the wall at about four in the morning. Within an hour the lower streets were under a metre of water.",
                "Daniel Okoro",
                ["Fire chief Daniel Okoro"],
                None,
            ),
            (
                "We knocked on every door we could reach. Some older residents refused to leave, and we had to carry two of them out.",
                "Daniel Okoro",
                [],
                None,
            ),
            ("Nobody has been hurt, and that is what matters tonight.", "Daniel Okoro", [], None),
            ("It passed every test,", "Daniel Okoro", ["Okoro", "he"], "said"),
        ],
        [],
        ["Multi-paragraph quote over three paragraphs, the middle one with neither closing mark nor cue."],
    ),
    (
        "c02-teachers-strike",
        "Teachers vote to strike over pay",
        [
            "Teachers in the northern province voted on Monday to strike next month after talks over pay broke down.",
            "“We did not want this,” said Hannah Voss, general secretary of the teachers’ union. “Our members have waited three years for an offer that keeps up with prices.",
            "“Every week another teacher leaves for a job abroad. The schools cannot keep going like this.”",
            "The education ministry said in a statement that it “remains open to talks at any time” and called the strike “unnecessary and harmful to pupils.”",
            "A ministry official, who asked not to be named, told VOA the government could not afford a larger raise. “The budget is already stretched,” the official said.",
        ],
        [
            ("We did not want this,", "Hannah Voss", [], "said"),
            ("Our members have waited three years for an offer that keeps up with prices.", "Hannah Voss", [], "said"),
            (
                "Every week another teacher leaves for a job abroad. The schools cannot keep going like this.",
                "Hannah Voss",
                [],
                "said",
            ),
            ("remains open to talks at any time", "The education ministry", [], "said in a statement that"),
            ("unnecessary and harmful to pupils.", "The education ministry", [], "called"),
            ("The budget is already stretched,", "A ministry official", ["the official"], "said"),
        ],
        [],
        ["Split quote whose second half runs on into the next paragraph."],
    ),
    (
        "c03-cycle-lanes",
        "Council approves new cycle lanes",
        [
            "Councillors in Westbridge have approved a network of cycle lanes after a two-year consultation.",
            "‘This is a good day for everyone who wants cleaner air,’ said council leader Fiona Marsh. ‘It has taken far too long to get here.’",
            "Opposition councillor Tom Baird said the plan would ‘choke the high street’ and warned that shop owners would lose trade.",
            "‘I have spoken to dozens of traders and not one of them was asked,’ he said. ‘They were simply told it was decided, and that was that.’",
            "Cyclists’ groups said the lanes would open in stages from next spring.",
        ],
        [
            ("This is a good day for everyone who wants cleaner air,", "Fiona Marsh", ["council leader Fiona Marsh"], "said"),
            ("It has taken far too long to get here.", "Fiona Marsh", [], "said"),
            ("choke the high street", "Tom Baird", ["Opposition councillor Tom Baird"], "said"),
            ("I have spoken to dozens of traders and not one of them was asked,", "Tom Baird", ["he"], "said"),
            ("They were simply told it was decided, and that was that.", "Tom Baird", ["he"], "said"),
        ],
        [],
        ["British style: single quotation marks throughout, apostrophes ('Cyclists’') in the same text."],
    ),
    (
        "c04-hospital-power-cut",
        "Hospital staff describe night of power cut",
        [
            "A power cut left the city’s main hospital in darkness for nearly three hours on Saturday night, staff said.",
            "Nurse Rosa Delgado said she was on the maternity ward when the lights went out. “A mother asked me, ‘Is my baby safe?’ and I told her the machines had batteries,” Delgado said.",
            "The hospital’s director, Marcus Lyle, said the backup generator failed to start. “We test it every month. It has never failed before,” Lyle said. “We want to know what went wrong.”",
            "The nurses’ union has asked for an inquiry. (Its president, Alan Ferris, said the outage was “a warning nobody should ignore.”)",
        ],
        [
            (
                "A mother asked me, ‘Is my baby safe?’ and I told her the machines had batteries,",
                "Rosa Delgado",
                ["Nurse Rosa Delgado", "Delgado"],
                "said",
            ),
            ("We test it every month. It has never failed before,", "Marcus Lyle", ["Lyle"], "said"),
            ("We want to know what went wrong.", "Marcus Lyle", ["Lyle"], "said"),
            ("a warning nobody should ignore.", "Alan Ferris", [], "said"),
        ],
        [],
        ["Nested single quote inside a double quote; a partial quote inside parentheses."],
    ),
    (
        "c05-airline-cancellations",
        "Airline cancels flights as pilots fall ill",
        [
            "Northstar Airways cancelled more than 40 flights on Thursday after dozens of pilots called in sick, according to the airport authority.",
            "According to a company memo seen by reporters, “staff shortages will continue to affect the schedule until at least the end of the month.”",
            "The airline’s chief executive, Peter Hald, said: “I apologise to every passenger whose trip has been disrupted. We are doing everything we can.”",
            "Passenger Li Wen, stuck at the airport with two children, said: “Nobody tells us anything. We have been here since six this morning.”",
            "The pilots’ association denied that the absences were a protest. “Our members are exhausted, not striking,” it said in a statement.",
        ],
        [
            (
                "staff shortages will continue to affect the schedule until at least the end of the month.",
                "a company memo",
                [],
                "According to",
            ),
            (
                "I apologise to every passenger whose trip has been disrupted. We are doing everything we can.",
                "Peter Hald",
                [],
                "said",
            ),
            ("Nobody tells us anything. We have been here since six this morning.", "Li Wen", ["Passenger Li Wen"], "said"),
            ("Our members are exhausted, not striking,", "The pilots’ association", ["it"], "said in a statement"),
        ],
        [],
        ["'According to' introducing a direct quote; colon-introduced quotes; 'it said' for an organisation."],
    ),
    (
        "c06-fishermen-protest",
        "Fishermen protest new catch limits",
        [
            "Hundreds of fishermen blocked the port of Santa Ilha on Wednesday to protest new catch limits.",
            "“These rules were written by people who have never been on a boat,” said Jorge Almeida, who has fished the coast for 30 years.",
            "“We will feed our families one way or another,” says his neighbour, Rui Castro.",
            "The limits are needed to let fish stocks recover, says the fisheries minister. “If we do nothing now, there will be no fish left for anyone in ten years,” the minister told parliament on Tuesday.",
            "“We are listening,” added a ministry spokeswoman, “but the science is clear.”",
            "Leaders of the fishermen’s association met the minister on Thursday evening. “We will be back every week until the rules change,” they said afterwards.",
        ],
        [
            ("These rules were written by people who have never been on a boat,", "Jorge Almeida", [], "said"),
            ("We will feed our families one way or another,", "Rui Castro", ["his neighbour, Rui Castro"], "says"),
            (
                "If we do nothing now, there will be no fish left for anyone in ten years,",
                "the fisheries minister",
                ["the minister"],
                "told parliament",
            ),
            ("We are listening,", "a ministry spokeswoman", [], "added"),
            ("but the science is clear.", "a ministry spokeswoman", [], "added"),
            ("We will be back every week until the rules change,", "Leaders of the fishermen’s association", ["they"], "said"),
        ],
        [],
        ["Inverted cues with names and descriptions; a split quote interrupted by an inverted cue; 'they' for a group."],
    ),
    (
        "c07-housing-debate",
        "Mayor and challenger clash over housing",
        [
            "Mayor Linda Carver and her challenger, businessman Omar Reyes, clashed over housing in a televised debate on Sunday.",
            "Carver said the city had built more homes in four years than in the previous ten. “We have delivered,” she said.",
            "Reyes accused her of counting projects that had not yet begun. “Half of those homes exist only on paper,” he said.",
            "She replied that every project had its funding in place. “The money is in the bank,” she said. “The cranes are coming.”",
            "He was not convinced. “I will believe it when families move in,” he said.",
        ],
        [
            ("We have delivered,", "Linda Carver", ["Carver", "she"], "said"),
            ("Half of those homes exist only on paper,", "Omar Reyes", ["Reyes", "he"], "said"),
            ("The money is in the bank,", "Linda Carver", ["she"], "said"),
            ("The cranes are coming.", "Linda Carver", ["she"], "said"),
            ("I will believe it when families move in,", "Omar Reyes", ["he"], "said"),
        ],
        [],
        ["Two people in play, one 'he' and one 'she', alternating paragraph by paragraph."],
    ),
    (
        "c08-charger-recall",
        "Electronics firm recalls faulty chargers",
        [
            "Brightwave Electronics is recalling 200,000 phone chargers after reports that some overheated.",
            "“Customer safety comes first,” Brightwave said in a statement. “We are asking everyone who bought a charger since March to stop using it.”",
            "The company said it had received 14 reports of chargers melting. “No serious injuries have been reported,” it added.",
            "Consumer group Fair Deal welcomed the recall but said it came late. “They knew about this problem in the summer,” said the group’s director, Sara Klein.",
            "The regulator said it would review the case. “We will look closely at when the firm first learned of the fault,” a spokesman for the regulator told VOA.",
        ],
        [
            ("Customer safety comes first,", "Brightwave Electronics", ["Brightwave"], "said in a statement"),
            (
                "We are asking everyone who bought a charger since March to stop using it.",
                "Brightwave Electronics",
                ["Brightwave"],
                "said in a statement",
            ),
            ("No serious injuries have been reported,", "Brightwave Electronics", ["The company", "it"], "added"),
            ("They knew about this problem in the summer,", "Sara Klein", ["the group’s director, Sara Klein"], "said"),
            (
                "We will look closely at when the firm first learned of the fault,",
                "a spokesman for the regulator",
                [],
                "told VOA",
            ),
        ],
        [],
        ["'it added' for a company; 'They' inside a quote is not the speaker."],
    ),
    (
        "c09-village-school",
        "Villagers fight to save their school",
        [
            "Parents in the mountain village of Korvald are fighting a plan to close its only school.",
            "“Where will our children go?” asked Ingrid Solheim, a mother of three. “The next school is 40 kilometres away!”",
            "“This school — and I mean this — is the heart of the village,” said Erik Brandvold, the head teacher.",
            "“Closing it would be a mistake,” Brandvold said — a view shared by the local priest — “and we will fight it.”",
            "Regional officials say the school has too few pupils. “Is it fair to keep a school open for 11 children?” one official asked at a public meeting.",
        ],
        [
            ("Where will our children go?", "Ingrid Solheim", [], "asked"),
            ("The next school is 40 kilometres away!", "Ingrid Solheim", [], "asked"),
            ("This school — and I mean this — is the heart of the village,", "Erik Brandvold", [], "said"),
            ("Closing it would be a mistake,", "Erik Brandvold", ["Brandvold"], "said"),
            ("and we will fight it.", "Erik Brandvold", ["Brandvold"], "said"),
            ("Is it fair to keep a school open for 11 children?", "one official", [], "asked"),
        ],
        [],
        ["Quotes ending in '?' and '!' before inverted cues; em-dashes inside a quote and around an interruption."],
    ),
    (
        "c10-stadium-plan",
        "Critics pan city’s new stadium plan",
        [
            "The city council unveiled plans on Monday for a new stadium, already dubbed “The Bowl” by local fans.",
            "Council member Ruth Adeyemi called the plan “a disaster in the making” and said the money should go to schools.",
            "Economist Paul Brenner, author of the book “Stadium Dreams,” said such projects “almost never pay for themselves.”",
            "Supporters say the stadium will bring “jobs” and “pride” to the area. The mayor’s office described the critics as “noisy” but promised a public vote.",
            "The project’s “green roof” would be the largest in the country, planners said.",
        ],
        [
            ("a disaster in the making", "Ruth Adeyemi", ["Council member Ruth Adeyemi"], "called"),
            ("almost never pay for themselves.", "Paul Brenner", ["Economist Paul Brenner"], "said"),
        ],
        ["The Bowl", "Stadium Dreams,", "jobs", "pride", "noisy", "green roof"],
        [
            "Partial quotes in a clause next to a nickname, a book title (with the comma inside the marks), single quoted words and a scare-quoted term."
        ],
    ),
    (
        "c11-singer-tour",
        "Singer cancels tour, citing exhaustion",
        [
            "Pop singer Maya Lindqvist has cancelled the rest of her world tour, citing exhaustion.",
            "“I am so sorry to everyone who bought tickets. I need to rest and get better,” Lindqvist wrote on X on Sunday.",
            "Her record label, Northlight Music, said in a statement: “We fully support Maya’s decision and wish her a quick recovery.”",
            "Fans reacted with sympathy. “Take all the time you need,” one fan posted.",
            "Refunds will be issued automatically, the tour promoter said.",
        ],
        [
            (
                "I am so sorry to everyone who bought tickets. I need to rest and get better,",
                "Maya Lindqvist",
                ["Lindqvist"],
                "wrote on X",
            ),
            (
                "We fully support Maya’s decision and wish her a quick recovery.",
                "Northlight Music",
                ["Her record label, Northlight Music"],
                "said in a statement",
            ),
            ("Take all the time you need,", "one fan", [], "posted"),
        ],
        [],
        ["A post on X, a statement introduced by a colon, a post by an unnamed fan."],
    ),
    (
        "c12-storm-town",
        "Storm Batters Coastal Town, Leaving Thousands Without Power",
        [
            "Mayor Ben Tully said on Sunday that the town had been hit harder than any other place on the coast.",
            "“The storm took the roof off the church, flattened the stands at the football ground and pulled up trees that were older than anyone in town. I have lived here all my life and I have never seen anything like it,” he said.",
            "“We will rebuild. It will take time, but we will rebuild.”",
            "Emergency crews worked through the night. Utility spokeswoman Carla Benton said about 12,000 homes were still without electricity.",
            "“Our crews will not stop until every home is back on,” Benton said.",
        ],
        [
            (
                "The storm took the roof off the church, flattened the stands at the football ground and pulled up trees that were older than anyone in town. I have lived here all my life and I have never seen anything like it,",
                "Ben Tully",
                ["he"],
                "said",
            ),
            ("We will rebuild. It will take time, but we will rebuild.", "Ben Tully", [], None),
            ("Our crews will not stop until every home is back on,", "Carla Benton", ["Benton"], "said"),
        ],
        [],
        ["Headline in Title Case; long multi-sentence quote with the cue at its end; cue-less continuation paragraph."],
    ),
    (
        "c13-carmaker-jobs",
        "Carmaker to cut 3,000 jobs",
        [
            "Carmaker Veltra Motors will cut 3,000 jobs over the next two years as demand for its diesel models falls.",
            "The company’s spokeswoman, Maria Ortiz, said the cuts would be made “mostly through early retirement and not replacing people who leave.”",
            "Union leader Henrik Bakke said workers were angry. “People have given this company their whole lives,” Bakke told reporters outside the plant.",
            "Analysts were less surprised. (“The diesel market has been shrinking for five years,” noted Claire Dumont, an analyst at Meridian Bank.)",
            "Veltra’s shares rose 2 percent after the announcement.",
        ],
        [
            (
                "mostly through early retirement and not replacing people who leave.",
                "Maria Ortiz",
                ["The company’s spokeswoman"],
                "said",
            ),
            ("People have given this company their whole lives,", "Henrik Bakke", ["Bakke"], "told reporters"),
            ("The diesel market has been shrinking for five years,", "Claire Dumont", [], "noted"),
        ],
        [],
        ["Appositive speaker before the cue; a whole quotation inside parentheses."],
    ),
    (
        "c14-bank-robbery",
        "Two arrested after bank robbery in capital",
        [
            "Police arrested two men on Saturday after an armed robbery at a bank in the capital, the interior ministry said.",
            "“The suspects were caught less than an hour after the robbery,” a police spokesman said. “All of the money has been recovered.”",
            "The ministry praised the officers involved. “Their quick response prevented a tragedy,” it said.",
            "Bank manager Victor Hale told VOA that he had been held at gunpoint. “I thought I would never see my family again,” he said.",
            "His deputy, Samuel Ito, hid in a back office and called the police. “I just kept thinking: stay quiet, stay quiet,” Ito said.",
        ],
        [
            ("The suspects were caught less than an hour after the robbery,", "a police spokesman", [], "said"),
            ("All of the money has been recovered.", "a police spokesman", [], "said"),
            ("Their quick response prevented a tragedy,", "the interior ministry", ["The ministry", "it"], "said"),
            ("I thought I would never see my family again,", "Victor Hale", ["Bank manager Victor Hale", "he"], "said"),
            ("I just kept thinking: stay quiet, stay quiet,", "Samuel Ito", ["Ito"], "said"),
        ],
        [],
        ["Role speakers; 'it said' for a ministry; two men in play."],
    ),
    (
        "c15-drought-crops",
        "Farmers Turn to Drought-Resistant Crops",
        [
            "Farmers in the eastern highlands are planting sorghum and millet as the rains become less reliable.",
            '"Maize used to be enough for us," says farmer Joseph Mwangale, standing in his dry field. "Now the rains come late or not at all.',
            '"Last year I lost everything. This year I planted sorghum, and it is still green."',
            'Agricultural officer Mary Wanjiru says the change is happening across the region. "Farmers are learning fast," she says. "They have no choice."',
            "She says the government is giving out free seed to help.",
        ],
        [
            ("Maize used to be enough for us,", "Joseph Mwangale", ["farmer Joseph Mwangale"], "says"),
            ("Now the rains come late or not at all.", "Joseph Mwangale", [], "says"),
            ("Last year I lost everything. This year I planted sorghum, and it is still green.", "Joseph Mwangale", [], "says"),
            ("Farmers are learning fast,", "Mary Wanjiru", ["she"], "says"),
            ("They have no choice.", "Mary Wanjiru", ["she"], "says"),
        ],
        [],
        ["Straight marks; a split quote that runs on into the next paragraph; present-tense 'says'."],
    ),
    (
        "c16-plastic-ban",
        "Government unveils plan to cut plastic waste",
        [
            "The environment ministry on Tuesday announced a ban on single-use plastic bags from next year.",
            "Environment Minister Nadia Farouk told a news conference: “We cannot keep burying our rivers in plastic. This ban is only the first step.”",
            "“Will it hurt small shops?” asked one reporter. “Not if they prepare now,” replied the minister.",
            "Retailers were cautious. According to the retailers’ federation, the ban is “workable, but the timeline is tight.”",
            "Environmental groups welcomed the move. “It’s about time,” said campaigner Tara Quinn.",
        ],
        [
            (
                "We cannot keep burying our rivers in plastic. This ban is only the first step.",
                "Nadia Farouk",
                ["Environment Minister Nadia Farouk"],
                "told a news conference",
            ),
            ("Will it hurt small shops?", "one reporter", [], "asked"),
            ("Not if they prepare now,", "Nadia Farouk", ["the minister"], "replied"),
            ("workable, but the timeline is tight.", "the retailers’ federation", [], "According to"),
            ("It’s about time,", "Tara Quinn", ["campaigner Tara Quinn"], "said"),
        ],
        [],
        ["Colon after 'told a news conference'; two speakers in one paragraph; 'According to' before a partial quote."],
    ),
    (
        "c17-museum-theft",
        "Painting stolen from city museum",
        [
            "A small landscape painting was stolen from the city museum overnight, police said on Friday.",
            'Curator Helen Brooks said the thief had cut the canvas from its frame. "Whoever did this knew exactly what they wanted," she told reporters. "It was the most valuable piece in the room."',
            "Detective Inspector Raj Malhotra asked the public for help. He said officers were studying camera footage.",
            '"Someone must have seen a person carrying a large flat package late on Thursday," Malhotra said. "Please call us."',
            'The painting, known locally as "The Quiet Harbour," has hung in the museum since 1952.',
        ],
        [
            ("Whoever did this knew exactly what they wanted,", "Helen Brooks", ["she"], "told reporters"),
            ("It was the most valuable piece in the room.", "Helen Brooks", ["she"], "told reporters"),
            (
                "Someone must have seen a person carrying a large flat package late on Thursday,",
                "Raj Malhotra",
                ["Malhotra"],
                "said",
            ),
            ("Please call us.", "Raj Malhotra", ["Malhotra"], "said"),
        ],
        ["The Quiet Harbour,"],
        ["Straight marks; a title with the comma inside the marks."],
    ),
    (
        "c18-election-night",
        "Opposition claims victory as count continues",
        [
            "Opposition leader Amara Kone declared victory late on Sunday, hours before official results were due.",
            '"The people have spoken, and they have spoken clearly," Kone told cheering supporters in the capital. "Tomorrow we begin the work of rebuilding this country."',
            'The electoral commission said the claim was premature. "No candidate can declare victory until every vote is counted," commission chairman Felix Ansah said.',
            'Kone\'s party rejected that. "Our own count is complete," said campaign manager Ruth Mensah. She added that observers had watched every polling station.',
            '"We have nothing to hide," she said.',
        ],
        [
            ("The people have spoken, and they have spoken clearly,", "Amara Kone", ["Kone"], "told cheering supporters"),
            ("Tomorrow we begin the work of rebuilding this country.", "Amara Kone", ["Kone"], "told cheering supporters"),
            (
                "No candidate can declare victory until every vote is counted,",
                "Felix Ansah",
                ["commission chairman Felix Ansah"],
                "said",
            ),
            ("Our own count is complete,", "Ruth Mensah", ["campaign manager Ruth Mensah"], "said"),
            ("We have nothing to hide,", "Ruth Mensah", ["she"], "said"),
        ],
        [],
        ["Pronoun 'she' after a paragraph with two named people."],
    ),
    # -- second batch: written after the first round of fixes, to check they generalise ----------
    (
        "c19-port-strike",
        "Dock workers walk out over safety",
        [
            "Dock workers at the port of Halvik stopped work on Monday after a crane collapsed last week, injuring two men.",
            "Union representative Agnes Thorsen, who has worked at the port for 22 years, said the crane had been reported as unsafe in January. “We warned them again and again,” she said, adding that the union would not return until an inspection was done.",
            "The port authority said in a statement that it “takes every safety report seriously.” It added that an outside inspector had been hired.",
            "Port director Karl Jensen told VOA: “Nobody wants the workers back more than I do. But they will go back to a safe port.”",
            "Asked whether the strike would spread, Thorsen did not hesitate. “If nothing changes here, the other ports will stop too,” she said.",
        ],
        [
            ("We warned them again and again,", "Agnes Thorsen", ["Union representative Agnes Thorsen", "she"], "said"),
            ("takes every safety report seriously.", "The port authority", [], "said in a statement that"),
            (
                "Nobody wants the workers back more than I do. But they will go back to a safe port.",
                "Karl Jensen",
                ["Port director Karl Jensen"],
                "told VOA",
            ),
            ("If nothing changes here, the other ports will stop too,", "Agnes Thorsen", ["Thorsen", "she"], "said"),
        ],
        [],
        ["Relative clause inside the subject; 'said, adding that'; colon after 'told VOA'; she after a paragraph naming a man."],
    ),
    (
        "c20-league-final",
        "Underdogs win league final",
        [
            "Riverside United won the league final 2-1 on Saturday, their first title in 40 years.",
            "Coach Sam Reilly could hardly speak after the match. “I told the players at half-time: ‘Forget the score and play your game.’ They did exactly that,” the coach said.",
            "Team captain Jonas Eriksen scored the winning goal in the final minute. “I didn’t even see it go in!” he said. “I just heard the crowd.”",
            "The losing side’s manager, Paula Ricci, was gracious in defeat. “They deserved it today,” Ricci said. “We will be back next season.”",
        ],
        [
            (
                "I told the players at half-time: ‘Forget the score and play your game.’ They did exactly that,",
                "Sam Reilly",
                ["the coach"],
                "said",
            ),
            ("I didn’t even see it go in!", "Jonas Eriksen", ["he"], "said"),
            ("I just heard the crowd.", "Jonas Eriksen", ["he"], "said"),
            ("They deserved it today,", "Paula Ricci", ["Ricci"], "said"),
            ("We will be back next season.", "Paula Ricci", ["Ricci"], "said"),
        ],
        [],
        ["Nested single quote; role noun 'the coach' as speaker; '!' before 'he said'."],
    ),
    (
        "c21-water-prices",
        "Residents angry over water price rise",
        [
            "The regional water company will raise prices by 18 percent from January, it announced on Wednesday.",
            "“Nobody likes paying more,” the company said in a statement. “But our pipes are 80 years old, and they must be replaced.”",
            "Residents were not persuaded. “Eighteen percent? My pension went up by two,” said retired teacher Olive Grant, 74.",
            "Consumer advocate Daniel Stroud called the rise “the largest in a decade” and said the company had “failed to explain where the money goes.”",
            "Protesters gathered outside the company’s headquarters on Thursday evening. “Fair prices now!” they chanted.",
        ],
        [
            ("Nobody likes paying more,", "the company", [], "said in a statement"),
            ("But our pipes are 80 years old, and they must be replaced.", "the company", [], "said in a statement"),
            ("Eighteen percent? My pension went up by two,", "Olive Grant", ["retired teacher Olive Grant"], "said"),
            ("the largest in a decade", "Daniel Stroud", ["Consumer advocate Daniel Stroud"], "called"),
            ("failed to explain where the money goes.", "Daniel Stroud", [], "said"),
            ("Fair prices now!", "Protesters", ["they"], "chanted"),
        ],
        [],
        ["Organisation statement split over a cue; two partial quotes for one speaker; a chant by a group."],
    ),
    (
        "c22-mountain-rescue",
        "Climbers rescued after two nights on mountain",
        [
            "Two climbers were rescued on Tuesday after spending two nights stranded on Mount Arven.",
            "Rescue team leader Mrs. Elin Dahl said the pair had been found on a narrow ledge. The helicopter pilot, Marco Bellini, had to hover for almost ten minutes.",
            "“It was the hardest winch I have done,” Bellini said. “The wind kept pushing us toward the rock.”",
            "“They were cold and hungry but in good spirits,” she said. “They had done everything right.”",
            "One of the climbers, Tobias Krum, later wrote on Facebook: “Thank you to the heroes who came for us. We owe you our lives.”",
        ],
        [
            ("It was the hardest winch I have done,", "Marco Bellini", ["Bellini"], "said"),
            ("The wind kept pushing us toward the rock.", "Marco Bellini", ["Bellini"], "said"),
            ("They were cold and hungry but in good spirits,", "Elin Dahl", ["she"], "said"),
            ("They had done everything right.", "Elin Dahl", ["she"], "said"),
            (
                "Thank you to the heroes who came for us. We owe you our lives.",
                "Tobias Krum",
                ["One of the climbers, Tobias Krum"],
                "wrote on Facebook",
            ),
        ],
        [],
        ["'she' skips the man quoted last, whose gender a title says nothing about: only 'Mrs.' marks her."],
    ),
    (
        "c23-bridge-closure",
        "Old bridge closed after inspection",
        [
            "The city has closed the Old Mill Bridge to traffic after engineers found cracks in two of its supports.",
            '"We could not take the risk," said city engineer Hamid Rostami. "The cracks are small today, but they grow every winter."',
            'According to Rostami, "a full repair will take at least 18 months and cost more than the council has set aside."',
            'Shop owners on the east bank say they are already losing customers. "Half of my regulars live across the river," said baker Nina Kowalski. "Now they have to drive twenty minutes to reach me.',
            '"I understand the safety concerns. I just wish somebody had told us before the barriers went up."',
        ],
        [
            ("We could not take the risk,", "Hamid Rostami", ["city engineer Hamid Rostami"], "said"),
            ("The cracks are small today, but they grow every winter.", "Hamid Rostami", [], "said"),
            (
                "a full repair will take at least 18 months and cost more than the council has set aside.",
                "Hamid Rostami",
                ["Rostami"],
                "According to",
            ),
            ("Half of my regulars live across the river,", "Nina Kowalski", ["baker Nina Kowalski"], "said"),
            ("Now they have to drive twenty minutes to reach me.", "Nina Kowalski", [], "said"),
            (
                "I understand the safety concerns. I just wish somebody had told us before the barriers went up.",
                "Nina Kowalski",
                [],
                "said",
            ),
        ],
        [],
        ["Straight marks; 'According to' a named person before a full quote; split quote running into the next paragraph."],
    ),
    (
        "c24-vaccine-drive",
        "Health workers take vaccines to remote villages",
        [
            "Health workers in the northern hills are carrying vaccines on foot to villages that no road reaches.",
            "‘Some of these children have never seen a doctor,’ says nurse Amina Yusuf, who leads one of the teams. ‘Their parents walk for a day to reach a clinic.’",
            "The health ministry says 40,000 children have been vaccinated since March. It calls the campaign ‘a model for the whole region’.",
            "Village elder Musa Bello says people were suspicious at first. ‘They thought the needles would make them ill,’ he says. ‘Now they come out to meet the nurses.’",
        ],
        [
            ("Some of these children have never seen a doctor,", "Amina Yusuf", ["nurse Amina Yusuf"], "says"),
            ("Their parents walk for a day to reach a clinic.", "Amina Yusuf", [], "says"),
            ("a model for the whole region", "The health ministry", ["It"], "calls"),
            ("They thought the needles would make them ill,", "Musa Bello", ["he"], "says"),
            ("Now they come out to meet the nurses.", "Musa Bello", ["he"], "says"),
        ],
        [],
        ["British single marks with present-tense cues, the full stop outside the closing mark, 'It calls'."],
    ),
    (
        "c25-court-ruling",
        "Court blocks new mining licence",
        [
            "The High Court on Friday blocked a licence for a copper mine near Lake Sarnia, saying the environmental study was incomplete.",
            "In her ruling, Judge Catherine Obi wrote that the study “ignored the lake entirely.” The mining company, Redrock Minerals, said it would appeal.",
            "“We respect the court, but we believe the ruling is wrong,” Redrock chief executive Alan Pryce said. “Our study was the most thorough ever done in this country.”",
            "Campaigners outside the court cheered the decision. “This is a victory for everyone who fishes, swims or drinks from this lake,” said Lucia Ferro of the Save Sarnia group.",
        ],
        [
            ("ignored the lake entirely.", "Catherine Obi", ["Judge Catherine Obi"], "wrote that"),
            (
                "We respect the court, but we believe the ruling is wrong,",
                "Alan Pryce",
                ["Redrock chief executive Alan Pryce"],
                "said",
            ),
            ("Our study was the most thorough ever done in this country.", "Alan Pryce", [], "said"),
            ("This is a victory for everyone who fishes, swims or drinks from this lake,", "Lucia Ferro", [], "said"),
        ],
        [],
        ["Written ruling quoted in a clause; name followed by 'of the ... group' after an inverted cue."],
    ),
    (
        "c26-new-library",
        "Town opens library in old railway station",
        [
            "The town of Barrow Cross opened a public library on Saturday in its disused railway station.",
            "Librarian Grace Hollis showed visitors the old ticket office, now a reading room for children. “The building waited 30 years for a new purpose,” she said. “Now it has one.”",
            "Local historian Peter Vance, whose grandfather worked at the station, called the project “the best thing to happen here in my lifetime.”",
            "The library’s first book club will read “The Long Platform,” a novel set in the station in the 1920s.",
            "“I came for the building and stayed for the books,” said one visitor, Harold Wick.",
        ],
        [
            ("The building waited 30 years for a new purpose,", "Grace Hollis", ["she"], "said"),
            ("Now it has one.", "Grace Hollis", ["she"], "said"),
            ("the best thing to happen here in my lifetime.", "Peter Vance", ["Local historian Peter Vance"], "called"),
            ("I came for the building and stayed for the books,", "Harold Wick", ["one visitor, Harold Wick"], "said"),
        ],
        ["The Long Platform,"],
        ["A novel's title with the comma inside the marks; 'said one visitor, Name'."],
    ),
    (
        "c27-ceasefire-talks",
        "Ceasefire talks resume in neutral capital",
        [
            "Negotiators from both sides returned to the table on Monday, a week after talks broke down.",
            "The mediator, former diplomat Ruth Okonkwo, said both delegations had agreed to a list of topics. “Nobody expects an agreement this week,” she told reporters. “But they are talking, and that matters.”",
            "A member of one delegation, speaking on condition of anonymity, said the question of prisoners remained the hardest. “On that point we are still very far apart,” he said.",
            "The foreign ministry of the host country said it was “cautiously hopeful” about the outcome.",
        ],
        [
            (
                "Nobody expects an agreement this week,",
                "Ruth Okonkwo",
                ["The mediator, former diplomat Ruth Okonkwo", "she"],
                "told reporters",
            ),
            ("But they are talking, and that matters.", "Ruth Okonkwo", ["she"], "told reporters"),
            ("On that point we are still very far apart,", "A member of one delegation", ["he"], "said"),
            ("cautiously hopeful", "The foreign ministry of the host country", [], "said"),
        ],
        [],
        ["'he' for an unnamed speaker just described; a ministry's partial quote."],
    ),
    (
        "c28-space-launch",
        "Private rocket reaches orbit on second try",
        [
            "A rocket built by the start-up company Orbis reached orbit on Thursday, three months after its first attempt exploded on the pad.",
            "“Second time lucky,” the company wrote on X minutes after the launch, posting a video of the lift-off.",
            "Orbis founder Dmitri Volkov said the team had rebuilt the engine from scratch. “After the explosion, some people told us to give up. We didn’t listen,” he said. “Today shows why.”",
            "The rocket carried two small weather satellites for the national space agency. The agency said both were working normally.",
        ],
        [
            ("Second time lucky,", "Orbis", ["the company"], "wrote on X"),
            (
                "After the explosion, some people told us to give up. We didn’t listen,",
                "Dmitri Volkov",
                ["Orbis founder Dmitri Volkov", "he"],
                "said",
            ),
            ("Today shows why.", "Dmitri Volkov", ["he"], "said"),
        ],
        [],
        ["A company's post; 'the company' as a speaker description."],
    ),
]

QCH = '"“”‘’'


def build() -> int:
    (ROOT / "articles").mkdir(exist_ok=True)
    (ROOT / "gold").mkdir(exist_ok=True)
    problems = 0
    for slug, title, paragraphs, quotes, non_speech, notes in ARTICLES:
        text = title + "\n\n" + "\n\n".join(paragraphs) + "\n"
        gold = {
            "source_url": None,
            "license": "written for Margin's challenge set",
            "title": title,
            "date": None,
            "quotes": [{"text": t, "speaker": s, "speaker_aliases": a, "cue": c} for t, s, a, c in quotes],
            "non_speech_quoted": non_speech,
            "text_scope": "complete article body",
            "notes": notes,
        }
        cursor = 0
        for t, s, a, c in quotes:
            i = text.find(t, cursor)
            if i < 0:
                print(f"{slug}: quote not found in order: {t[:40]!r}")
                problems += 1
                continue
            before = text[i - 1]
            after = text[i + len(t)] if i + len(t) < len(text) else "\n"
            if before not in QCH or not (after in QCH or after == "\n"):
                print(f"{slug}: quote not delimited: {t[:40]!r}")
                problems += 1
            for w in [s, *a] + ([c] if c else []):
                if w not in text:
                    print(f"{slug}: {w!r} not in text")
                    problems += 1
            cursor = i + 1
        for s in non_speech:
            if s not in text:
                print(f"{slug}: non-speech {s!r} not in text")
                problems += 1
        (ROOT / "articles" / f"{slug}.txt").write_text(text, encoding="utf-8")
        (ROOT / "gold" / f"{slug}.json").write_text(json.dumps(gold, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    n_par = sum(len(a[2]) for a in ARTICLES)
    n_q = sum(len(a[3]) for a in ARTICLES)
    print(f"{len(ARTICLES)} articles, {n_par} paragraphs, {n_q} quotes, {problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(build())
