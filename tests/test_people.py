"""The people index (tui.core.people): merging names across articles, kinds, overrides, the
per-article cache. Names here are invented."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tui.core.analysis.result import Analysis, Entity, Quote, Speaker
from tui.core.people import (
    DESCRIPTION,
    ORGANISATION,
    PERSON,
    Overrides,
    PeopleCache,
    build_people,
    classify,
    filter_people,
    find_person,
    person_key,
    sort_people,
    summarise,
)


def entry(n: int, date: str | None = "2024-01-01", source: str | None = "Outlet A"):
    return SimpleNamespace(id=f"id{n}", path=f"/lib/a{n}.txt", title=f"Article {n}", date=date, source=source, error=None)


def analysis(*quotes: tuple, entities: list[tuple[str, str, str]] = ()) -> Analysis:
    """quotes: (canonical, mention) or (canonical, mention, text); entities: (text, label, canonical)."""
    qs, position = [], 0
    for q in quotes:
        canonical, mention = q[0], q[1]
        text = q[2] if len(q) > 2 else f"words of {canonical} #{position}"
        qs.append(
            Quote(
                position,
                position + len(text),
                text,
                "said",
                Speaker(position + 100, position + 100 + len(mention), mention, canonical, "cue subject", 0.9),
            )
        )
        position += 200
    ents = [Entity(0, len(t), label, t, c) for t, label, c in entities]
    return Analysis("m", "1", "1", [], ents, qs)


def people_of(*articles, overrides=None):
    entries, records = [], {}
    for n, spec in enumerate(articles):
        if isinstance(spec, tuple):
            an, meta = spec
        else:
            an, meta = spec, {}
        e = entry(n, **meta)
        entries.append(e)
        records[e.id] = summarise(an)
    return {p.name: p for p in build_people(entries, records, overrides)}, entries, records


def test_name_variants_across_articles_are_one_person():
    people, *_ = people_of(
        analysis(
            ("Orla Fenwick", "Orla Fenwick"), ("Orla Fenwick", "she"), entities=[("Orla Fenwick", "PERSON", "Orla Fenwick")]
        ),
        analysis(
            ("Senator Orla Fenwick", "Senator Orla Fenwick"),
            entities=[("Senator Orla Fenwick", "PERSON", "Senator Orla Fenwick")],
        ),
        analysis(("Orla J. Fenwick", "Fenwick")),
        analysis(("Ms. Fenwick", "Ms. Fenwick")),
        analysis(("Fenwick", "Fenwick")),
        analysis(("Senator Fenwick’s", "Senator Fenwick’s")),
    )
    assert list(people) == ["Orla Fenwick"]
    person = people["Orla Fenwick"]
    assert person.kind == PERSON and person.quote_count == 7 and person.articles == 6
    reasons = {v.name: v.reason for v in person.variants}
    assert reasons["Senator Orla Fenwick"] == "the name with a title"
    assert "only person named Fenwick" in reasons["Fenwick"]
    assert "only person named Fenwick" in reasons["Ms. Fenwick"]
    assert {"she", "Fenwick"} <= set(person.mentions)


def test_suffix_keeps_father_and_son_apart_and_a_bare_surname_is_not_guessed():
    people, *_ = people_of(
        analysis(("Tobias Quill Jr.", "Tobias Quill Jr.")),
        analysis(("Tobias Quill", "Tobias Quill")),
        analysis(("Tobias Quill, Jr.", "Quill")),
        analysis(("Quill", "Mr. Quill")),
    )
    rows = {p.id: p for p in people.values()}
    assert rows["person:tobias quill jr"].quote_count == 2
    assert rows["person:tobias quill"].quote_count == 1
    # a bare "Quill" could be the father or the son: not merged, and the row says why
    assert "2 people could be Quill" in rows["person:quill"].variants[0].reason


def test_two_people_sharing_a_surname_stay_apart_and_the_bare_surname_is_ambiguous():
    people, *_ = people_of(
        analysis(("Marta Oyelaran", "Marta Oyelaran")),
        analysis(("Dayo Oyelaran", "Dayo Oyelaran")),
        analysis(("Oyelaran", "Oyelaran")),
    )
    assert people["Marta Oyelaran"].quote_count == 1
    assert people["Dayo Oyelaran"].quote_count == 1
    assert "2 people could be Oyelaran" in people["Oyelaran"].variants[0].reason


def test_a_bare_surname_goes_to_the_person_the_article_names():
    # The article's entities name Dayo Oyelaran; the speaker's canonical is only "Oyelaran".
    people, *_ = people_of(
        analysis(("Marta Oyelaran", "Marta Oyelaran")),
        analysis(("Dayo Oyelaran", "Dayo Oyelaran")),
        analysis(("Oyelaran", "Oyelaran"), entities=[("Dayo Oyelaran", "PERSON", "Dayo Oyelaran")]),
    )
    assert "Oyelaran" not in people
    assert people["Dayo Oyelaran"].quote_count == 2
    assert any("gives in full as Dayo Oyelaran" in v.reason for v in people["Dayo Oyelaran"].variants)


def test_initial_and_accents():
    people, *_ = people_of(
        analysis(("Zofia Brzęczek", "Zofia Brzęczek")),
        analysis(("Zofia Brzeczek", "Brzeczek")),
        analysis(("Z. Brzęczek", "Z. Brzęczek")),
        analysis(("Renata Castellane", "Castellane")),
        analysis(("Paulo Castellane", "Castellane")),
        analysis(("R. Castellane", "R. Castellane")),
    )
    assert len([p for p in people.values() if "zofia" in p.hay]) == 1
    zofia = next(p for p in people.values() if "zofia" in p.hay)
    assert zofia.quote_count == 3
    assert people["Renata Castellane"].quote_count == 2  # R. is only Renata
    assert people["Paulo Castellane"].quote_count == 1


def test_different_middle_names_are_different_people():
    people, *_ = people_of(
        analysis(("Ezra Pellham Vance", "Ezra Pellham Vance")),
        analysis(("Ezra Morrow Vance", "Ezra Morrow Vance")),
    )
    assert len(people) == 2


@pytest.mark.parametrize(
    "name,label,mentions,kind",
    [
        ("Halvorsen Shipping Corp", None, [], ORGANISATION),
        ("Brightwater Ministry of Ports", None, [], ORGANISATION),
        ("The Velmont Review", None, [], ORGANISATION),
        ("Velmont", "ORG", [], ORGANISATION),
        ("Ansel Traske", "ORG", ["he"], PERSON),  # a small model's wrong label, the article says "he"
        ("a senior official", None, [], DESCRIPTION),
        ("the company’s spokeswoman", None, [], DESCRIPTION),
        ("The harbour master of Velmont", None, [], DESCRIPTION),
        ("Ansel Traske", None, [], PERSON),
        ("Ansel Traske", "PERSON", [], PERSON),
    ],
)
def test_kinds(name, label, mentions, kind):
    assert classify(name, label, mentions) == kind


def test_organisations_and_descriptions_are_rows_of_their_kind():
    people, *_ = people_of(
        analysis(
            ("Halvorsen Shipping Corp", "Halvorsen Shipping Corp"),
            ("a senior official", "a senior official"),
            entities=[("Halvorsen Shipping Corp", "ORG", "Halvorsen Shipping Corp")],
        ),
        analysis(("the Halvorsen Shipping Corp", "the Halvorsen Shipping Corp"), ("A senior official", "A senior official")),
    )
    org = next(p for p in people.values() if p.kind == ORGANISATION)
    assert org.quote_count == 2 and org.articles == 2
    desc = next(p for p in people.values() if p.kind == DESCRIPTION)
    assert desc.quote_count == 2


def test_person_row_fields_outlets_and_dates():
    people, *_ = people_of(
        (analysis(("Ilse Marrow", "Ilse Marrow")), {"date": "2023-05-01", "source": "Outlet B"}),
        (analysis(("Ilse Marrow", "Marrow"), ("Ilse Marrow", "she")), {"date": "2021-02-03", "source": "Outlet A"}),
        (analysis(("Ilse Marrow", "Marrow")), {"date": None, "source": None}),
    )
    p = people["Ilse Marrow"]
    assert (p.quote_count, p.articles, p.outlets, p.first, p.last) == (4, 3, ["Outlet A", "Outlet B"], "2021-02-03", "2023-05-01")
    quotes = p.quotes
    assert [q.date for q in quotes] == ["2021-02-03", "2021-02-03", "2023-05-01", None]  # undated last
    q = quotes[0]
    assert (q.article_id, q.path, q.title, q.source, q.cue, q.confidence) == (
        "id1",
        "/lib/a1.txt",
        "Article 1",
        "Outlet A",
        "said",
        0.9,
    )
    assert q.text == "words of Ilse Marrow #0" and q.end - q.start == len(q.text)
    d = p.to_dict()
    assert d["variants"][0]["name"] == "Ilse Marrow" and d["quotes"] == 4


def test_the_same_text_twice_counts_once():
    an = analysis(("Ilse Marrow", "Ilse Marrow"))
    e1, e2 = entry(1), entry(2)
    e2.id = e1.id
    people = build_people([e1, e2], {e1.id: summarise(an)})
    assert people[0].quote_count == 1 and people[0].articles == 1


def test_unattributed_quotes_are_counted_not_listed():
    an = Analysis("m", "1", "1", [], [], [Quote(0, 5, "hello", None, None, speaker_unknown_reason="no speaker named")])
    record = summarise(an)
    assert record == {"n": 1, "u": 1, "s": []}


def test_split_and_merge_by_hand(tmp_path):
    articles = (
        analysis(("Orla Fenwick", "Orla Fenwick")),
        analysis(("Fenwick", "Fenwick")),
        analysis(("Ansel Traske", "Ansel Traske")),
    )
    people, entries, records = people_of(*articles)
    assert people["Orla Fenwick"].quote_count == 2
    overrides = Overrides(tmp_path / "people.json")
    overrides.split(people["Orla Fenwick"], "Fenwick")
    overrides.save()
    loaded = Overrides(tmp_path / "people.json").load()
    assert loaded.splits == ["Fenwick"]
    rows = {p.name: p for p in build_people(entries, records, loaded)}
    assert rows["Orla Fenwick"].quote_count == 1
    assert rows["Fenwick"].quote_count == 1 and rows["Fenwick"].variants[0].reason == "split off by you"
    # merge two rows: the first keeps its id
    loaded.merge(rows["Ansel Traske"].id, rows["Orla Fenwick"].id)
    rows = {p.name: p for p in build_people(entries, records, loaded)}
    assert "Orla Fenwick" not in rows
    merged = rows["Ansel Traske"]
    assert merged.quote_count == 2 and {v.reason for v in merged.variants} == {"the name", "merged by you"}
    # splitting what a merge brought in undoes that merge
    loaded.split(merged, "Orla Fenwick")
    assert loaded.merges == []
    rows = {p.name: p for p in build_people(entries, records, loaded)}
    assert rows["Orla Fenwick"].quote_count == 1 and rows["Ansel Traske"].quote_count == 1
    # merging a split row back
    loaded.merge(rows["Orla Fenwick"].id, rows["Fenwick"].id)
    rows = {p.name: p for p in build_people(entries, records, loaded)}
    assert rows["Orla Fenwick"].quote_count == 2


def test_a_split_off_row_keeps_its_name_when_another_row_is_merged_into_it(tmp_path):
    # Ansel Traske's voice comes first, as it would if the order decided the merged row's name.
    articles = (*(analysis(("Ansel Traske", "Ansel Traske")) for _ in range(3)), analysis(("Orla Fenwick", "Orla Fenwick")))
    people, entries, records = people_of(*articles)
    overrides = Overrides(tmp_path / "people.json")
    overrides.merge(people["Orla Fenwick"].id, people["Ansel Traske"].id)
    rows = {p.name: p for p in build_people(entries, records, overrides)}
    overrides.split(rows["Orla Fenwick"], "Orla Fenwick")  # the row's own name taken out
    rows = {p.name: p for p in build_people(entries, records, overrides)}
    assert rows["Orla Fenwick"].quote_count == 1 and rows["Ansel Traske"].quote_count == 3
    overrides.merge(rows["Orla Fenwick"].id, rows["Ansel Traske"].id)  # back together, the first row keeps its name
    rows = {p.name: p for p in build_people(entries, records, overrides)}
    assert list(rows) == ["Orla Fenwick"] and rows["Orla Fenwick"].quote_count == 4
    overrides.split(rows["Orla Fenwick"], "Orla Fenwick")
    rows = {p.name: p for p in build_people(entries, records, overrides)}
    overrides.merge(rows["Ansel Traske"].id, rows["Orla Fenwick"].id)  # the other way round: Ansel's row keeps its name
    rows = {p.name: p for p in build_people(entries, records, overrides)}
    assert list(rows) == ["Ansel Traske"] and rows["Ansel Traske"].quote_count == 4


def test_splitting_another_name_of_a_row_with_merges_still_splits_that_name(tmp_path):
    articles = (
        analysis(("Orla Fenwick", "Orla Fenwick")),
        analysis(("Fenwick", "Fenwick")),
        analysis(("Ansel Traske", "Ansel Traske")),
    )
    people, entries, records = people_of(*articles)
    overrides = Overrides(tmp_path / "people.json")
    overrides.merge(people["Orla Fenwick"].id, people["Ansel Traske"].id)
    [row] = build_people(entries, records, overrides)
    overrides.split(row, "Fenwick")  # a name the rules put there, not the row's own: split off
    rows = {p.name: p for p in build_people(entries, records, overrides)}
    assert sorted(rows) == ["Fenwick", "Orla Fenwick"] and rows["Orla Fenwick"].quote_count == 2
    assert overrides.splits == ["Fenwick"] and len(overrides.merges) == 1


def test_splitting_a_rows_own_name_keeps_the_rows_merged_into_it_together(tmp_path):
    articles = (
        analysis(("Orla Fenwick", "Orla Fenwick")),
        analysis(("Ansel Traske", "Ansel Traske")),
        analysis(("Ilse Marrow", "Ilse Marrow")),
    )
    people, entries, records = people_of(*articles)
    overrides = Overrides(tmp_path / "people.json")
    overrides.merge(people["Orla Fenwick"].id, people["Ansel Traske"].id)
    overrides.merge(people["Orla Fenwick"].id, people["Ilse Marrow"].id)
    [row] = build_people(entries, records, overrides)
    overrides.split(row, "Orla Fenwick")
    rows = {p.name: p for p in build_people(entries, records, overrides)}
    assert sorted(rows) == ["Ansel Traske", "Orla Fenwick"] and rows["Ansel Traske"].quote_count == 2
    assert overrides.splits == []  # nothing left to remember but the merge of the two others
    overrides.merge(rows["Ansel Traske"].id, rows["Orla Fenwick"].id)  # merged back from the other row: its name stays
    rows = {p.name: p for p in build_people(entries, records, overrides)}
    assert list(rows) == ["Ansel Traske"] and rows["Ansel Traske"].quote_count == 3


def test_overrides_file_damaged_or_missing(tmp_path):
    (tmp_path / "people.json").write_text("{not json")
    o = Overrides(tmp_path / "people.json").load()
    assert o.merges == [] and o.splits == []
    assert Overrides(tmp_path / "none.json").load().splits == []


def test_cache_is_per_article_and_version(tmp_path):
    cache = PeopleCache(tmp_path / "people" / "articles.json", "v1")
    cache.put("a", {"n": 0, "u": 0, "s": []})
    cache.save()
    again = PeopleCache(tmp_path / "people" / "articles.json", "v1").load()
    assert again.get("a") == {"n": 0, "u": 0, "s": []}
    # another process added one meanwhile: saving keeps both
    other = PeopleCache(tmp_path / "people" / "articles.json", "v1").load()
    other.put("b", {"n": 1, "u": 1, "s": []})
    other.save()
    again.put("c", {"n": 0, "u": 0, "s": []})
    again.save()
    final = PeopleCache(tmp_path / "people" / "articles.json", "v1").load()
    assert set(final.records) == {"a", "b", "c"}
    assert PeopleCache(tmp_path / "people" / "articles.json", "v2").load().records == {}


def test_collect_summarises_only_what_is_missing(tmp_path):
    from tui.core.people import collect

    class FakeAnalyzer:
        def __init__(self):
            self.analysed = []

        def cached(self, text):
            return None

        def analyze_many(self, texts):
            self.analysed += texts
            return [analysis(("Ilse Marrow", "Ilse Marrow")) for _ in texts]

    paths = []
    for n in range(3):
        p = tmp_path / f"a{n}.txt"
        p.write_text(f"Title {n}\n\nBody number {n} with words.\n")
        paths.append(p)
    from tui.core.articles import load_article

    entries = []
    for p in paths:
        a = load_article(p)
        entries.append(SimpleNamespace(id=a.id, path=str(p), title=a.title, date=a.date, source=a.source, error=None))
    cache = PeopleCache(tmp_path / "c.json", "v")
    analyzer = FakeAnalyzer()
    seen = []
    assert collect(entries, analyzer, cache, progress=lambda d, t: seen.append((d, t))) == []
    assert len(analyzer.analysed) == 3 and seen[-1] == (3, 3)
    analyzer.analysed = []
    collect(entries, analyzer, cache)
    assert analyzer.analysed == []  # all cached
    people = build_people(entries, cache.records)
    assert people[0].quote_count == 3


def test_sort_filter_find():
    people, *_ = people_of(
        (analysis(("Orla Fenwick", "x"), ("Orla Fenwick", "x")), {"date": "2020-01-01"}),
        (analysis(("Ansel Traske", "x")), {"date": "2024-01-01"}),
        analysis(("Senator Fenwick", "x")),
    )
    rows = list(people.values())
    assert [p.name for p in sort_people(rows, "quotes")] == ["Orla Fenwick", "Ansel Traske"]
    assert [p.name for p in sort_people(rows, "name")] == ["Ansel Traske", "Orla Fenwick"]
    assert [p.name for p in sort_people(rows, "latest")] == ["Ansel Traske", "Orla Fenwick"]
    assert [p.name for p in filter_people(rows, "senator")] == ["Orla Fenwick"]  # a variant matches
    assert [p.name for p in filter_people(rows, "TRASK")] == ["Ansel Traske"]
    assert [p.name for p in find_person(rows, "senator fenwick")] == ["Orla Fenwick"]
    assert [p.name for p in find_person(rows, "Ms. Ansel Traske")] == ["Ansel Traske"]


def test_person_keys():
    assert person_key("Senator Jane Q. Public Jr.").full == "jane public jr"
    assert person_key("Foreign Minister Ruud van der Berg").surname == "van der berg"
    assert person_key("Van der Berg").is_bare
    assert person_key("Doe’s").full == "doe"


def test_the_same_quote_in_other_articles_is_grouped():
    from tui.core.people import same_quotes

    words = "we will not sign any agreement that leaves the harbour workers without their pensions"
    people, *_ = people_of(
        (analysis(("Orla Fenwick", "x", words.capitalize() + ".")), {"date": "2024-02-01"}),
        (
            analysis(("Senator Fenwick", "x", "We will not sign any agreement that leaves the harbour workers")),
            {"date": "2024-01-01", "source": "Outlet B"},
        ),  # truncated, earlier
        analysis(("Ansel Traske", "x", "We will NOT sign an agreement that leaves the harbour workers without their pensions!")),
        analysis(("Ansel Traske", "x", "Something else entirely was said about the harbour and its workers today")),
        analysis(("Ansel Traske", "x", "We will win")),  # too short to tell
        analysis(("Ansel Traske", "x", "We will win")),
    )
    groups = same_quotes(list(people.values()))
    distinct = {id(g): g for g in groups.values()}
    assert len(distinct) == 1
    group = next(iter(distinct.values()))
    assert group.articles == 3
    assert group.members[0][1].date == "2024-01-01"  # earliest first
    assert {p.name for p, _ in group.members} == {"Orla Fenwick", "Ansel Traske"}


def test_an_editors_insertion_does_not_keep_the_same_quote_apart():
    from tui.core.people import same_quotes

    plain = (
        "The council strongly supports the statement of the chair of the OTB that conditions do not "
        "exist for a vote to be held at this time"
    )
    inserted = (
        "The council strongly supports the statement of the chair of the OTB (Organisation of Tidal "
        "Boroughs) that conditions do not exist for a vote to be held at this time"
    )
    bracketed = (
        "The council strongly supports the statement of the chair of the OTB [Organisation of Tidal "
        "Boroughs and Harbour Districts] that conditions do not exist for a vote to be held at this time"
    )
    people, *_ = people_of(
        analysis(("Orla Fenwick", "x", plain)),
        analysis(("Orla Fenwick", "x", inserted)),
        analysis(("Orla Fenwick", "x", bracketed)),
    )
    groups = same_quotes(list(people.values()), file=False)
    assert len({id(g) for g in groups.values()}) == 1
    assert next(iter(groups.values())).articles == 3


def test_a_titled_bare_surname_never_joins_a_full_name_of_the_other_gender():
    entities = [("Mark Doe", "PERSON", "Mark Doe"), ("Ms. Doe", "PERSON", "Ms. Doe")]
    record = summarise(analysis(("Mark Doe", "Mark Doe"), ("Ms. Doe", "Ms. Doe"), entities=entities))
    full = {row[0]: row[2] for row in record["s"]}
    assert full["Ms. Doe"] is None  # his sister, say: not Mark Doe
    record = summarise(analysis(("Mark Doe", "Mark Doe"), ("Mr. Doe", "Mr. Doe"), entities=entities))
    assert {row[0]: row[2] for row in record["s"]}["Mr. Doe"] == "Mark Doe"
