"""The incremental people index (tui.core.people.index), its file, corrections applied to a
summary, and the incremental same-quote grouping (tui.core.people.same). Names are invented."""

from __future__ import annotations

import random
from types import SimpleNamespace

from test_people import analysis, entry

from tui.core.people import PeopleIndex, SameQuotes, build_people, same_quotes, sort_people, summarise
from tui.core.people.corrected import corrected_summary, fingerprint


def rows(people):
    return [p.to_dict() for p in sort_people(people, "name")]


def library(n: int = 40, seed: int = 3):
    rng = random.Random(seed)
    names = [
        "Orla Fenwick",
        "Senator Fenwick",
        "Ansel Traske",
        "Traske",
        "Zofia Quill",
        "a senior official",
        "Halvorsen Shipping Corp",
        "Ms. Quill",
        "Bram Moreau Jr.",
        "Bram Moreau",
    ]
    entries, records = [], {}
    for i in range(n):
        e = entry(i, date=f"2024-{rng.randint(1, 12):02}-01", source=rng.choice(["Outlet A", "Outlet B", None]))
        quotes = [(rng.choice(names), rng.choice(["he", "she", "Fenwick"])) for _ in range(rng.randint(1, 4))]
        entries.append(e)
        records[e.id] = summarise(analysis(*quotes))
    return entries, records


def test_updates_give_the_rows_a_build_from_scratch_gives():
    entries, records = library()
    index = PeopleIndex(records=lambda: records)
    assert index.update(entries[:25], records) == 25
    assert rows(index.people()) == rows(build_people(entries[:25], records))
    assert index.update(entries, records) == 15  # only the new ones
    assert rows(index.people()) == rows(build_people(entries, records))
    kept = entries[5:]
    moved = SimpleNamespace(**{**vars(kept[0]), "source": "Outlet Z"})  # its outlet changed
    kept = [moved, *kept[1:]]
    assert index.update(kept, records) == 7  # 5 gone; 1 out and in again
    assert rows(index.people()) == rows(build_people(kept, records))
    assert index.update(kept, records) == 0 and index.people() is index.people()  # nothing changed: the same rows


def test_the_file_round_trips_and_a_loaded_index_keeps_updating(tmp_path):
    entries, records = library()
    index = PeopleIndex("v1", records=lambda: records)
    index.update(entries, records)
    index.save(tmp_path / "index.json")
    loaded = PeopleIndex("v1", records=lambda: records).load(tmp_path / "index.json")
    assert loaded.update(entries, {}) == 0  # everything was in the file: no summary needed
    assert rows(loaded.people()) == rows(index.people())
    fewer = entries[3:]
    loaded.update(fewer, records)  # drops three articles read from the file: mentions recounted
    assert rows(loaded.people()) == rows(build_people(fewer, records))
    assert {tuple(sorted(p.mentions)) for p in loaded.people()} == {
        tuple(sorted(p.mentions)) for p in build_people(fewer, records)
    }
    assert PeopleIndex("v2").load(tmp_path / "index.json").voices == {}  # another version: not used
    (tmp_path / "index.json").write_text("{damaged", encoding="utf-8")
    assert PeopleIndex("v1").load(tmp_path / "index.json").voices == {}


def correction(article_id, start, end, verdict, speaker=None, text="", cid="c1"):
    return SimpleNamespace(
        id=cid,
        article_id=article_id,
        start=start,
        end=end,
        verdict=verdict,
        speaker=speaker,
        updated="now",
        mention_text=None,
        quote_text=text,
        orphan=False,
    )


def test_corrections_move_confirm_and_drop_quotes_of_a_summary():
    record = summarise(
        analysis(
            ("Orla Fenwick", "Orla Fenwick", "first words here"),
            ("Orla Fenwick", "she", "second words here"),
            ("Ansel Traske", "Traske", "third words here"),
        )
    )
    spans = [(q[0], q[1]) for row in record["s"] for q in row[4]]
    (a, b, c) = sorted(spans)
    fixed = corrected_summary(
        record,
        [
            correction("x", *a, "speaker", "Zofia Quill", cid="1"),
            correction("x", *b, "confirmed", "Orla Fenwick", cid="2"),
            correction("x", *c, "not_a_quote", cid="3"),
            correction("x", 900, 920, "speaker", "Ansel Traske", "a quote the model missed", cid="4"),
        ],
    )
    by_name = {row[0]: row for row in fixed["s"]}
    assert [q[2] for q in by_name["Zofia Quill"][4]] == ["first words here"]
    assert by_name["Zofia Quill"][1] == "person" and by_name["Zofia Quill"][4][0][7] == "user"
    assert [(q[2], q[7]) for q in by_name["Orla Fenwick"][4]] == [("second words here", "user")]
    assert [q[2] for q in by_name["Ansel Traske"][4]] == ["a quote the model missed"]  # the missed one added
    assert fixed["n"] == record["n"] - 1
    assert record["s"][0][4][0][2] == "first words here"  # the cached summary is not changed
    assert fingerprint([]) == "" and fingerprint([correction("x", 1, 2, "speaker", "A")]) != fingerprint(
        [correction("x", 1, 2, "speaker", "B")]
    )


def test_the_index_applies_corrections_and_follows_their_changes():
    entries, records = library(6)
    index = PeopleIndex(records=lambda: records)
    index.update(entries, records, [])
    target = entries[0]
    first = records[target.id]["s"][0][4][0]
    moved = correction(target.id, first[0], first[1], "speaker", "Quentin Newname")
    assert index.update(entries, records, [moved]) == 1  # only that article indexed again
    newcomer = next(p for p in index.people() if p.name == "Quentin Newname")
    assert newcomer.quote_count == 1 and newcomer.quotes[0].speaker_source == "user"
    assert index.update(entries, records, [moved]) == 0
    assert index.update(entries, records, []) == 1  # the correction removed: back to the model's
    assert not any(p.name == "Quentin Newname" for p in index.people())


def quotes_of(texts):
    """(article id, start, end, text) rows: one quote per article."""
    return [(f"a{i}", 0, len(t), t) for i, t in enumerate(texts)]


WORDS = "the harbour will reopen by spring and nobody will lose a job there at all".split()


def test_same_quotes_incremental_compares_only_new_quotes_and_matches_a_fresh_run(tmp_path):
    rng = random.Random(5)
    base = [" ".join(rng.choice(WORDS + [f"w{i}{j}" for j in range(30)]) for _ in range(12)) for i in range(60)]
    base += [base[3][:40], base[10] + " said again"]  # carried by other articles (truncated, longer)
    same = SameQuotes()
    same.update(quotes_of(base))
    groups = {frozenset(members) for members in _groups(same)}
    fresh = SameQuotes()
    more = base + [base[20], "an unrelated sentence of six or more words here"]
    fresh.update(quotes_of(more))
    assert same.update(quotes_of(more)) == 2 and same.compared <= 5  # only the two new quotes were compared
    assert {frozenset(g) for g in _groups(same)} == {frozenset(g) for g in _groups(fresh)}
    assert len(_groups(same)) >= len(groups)
    same.save(tmp_path / "same.json")
    loaded = SameQuotes().load(tmp_path / "same.json")
    assert loaded.update(quotes_of(more)) == 0 and loaded.compared == 0  # nothing new: no comparison at all
    assert {frozenset(g) for g in _groups(loaded)} == {frozenset(g) for g in _groups(fresh)}
    # one member of a group leaves: its group is checked again, the others stay grouped
    left = [(f"a{i}", 0, len(t), t) for i, t in enumerate(more) if i != 3]
    assert loaded.update(left) == 1
    assert all(("a3", 0, len(more[3])) not in g for g in _groups(loaded))
    again = SameQuotes()
    again.update(left)
    assert {frozenset(g) for g in _groups(loaded)} == {frozenset(g) for g in _groups(again)}


def _groups(same: SameQuotes):
    by_root: dict[int, list] = {}
    for i, root in same.grouped().items():
        by_root.setdefault(root, []).append(same.keys[i])
    return [g for g in by_root.values() if len(g) > 1]


def test_same_quotes_of_people_uses_its_file(tmp_path):
    words = "we will reopen the harbour by spring whatever it takes"
    entries = [entry(1, date="2024-01-01"), entry(2, date="2024-02-01")]
    records = {
        entries[0].id: summarise(analysis(("Orla Fenwick", "she", words))),
        entries[1].id: summarise(analysis(("Senator Fenwick", "Fenwick", words + " now"))),
    }
    people = build_people(entries, records)
    groups = same_quotes(people, file=tmp_path / "same.json")
    (group,) = {id(g): g for g in groups.values()}.values()
    assert [q.article_id for _, q in group.members] == ["id1", "id2"]  # earliest first
    assert (tmp_path / "same.json").exists()
    assert same_quotes(people, file=False).keys() == groups.keys()


def test_shingles_written_by_another_process_are_not_used_with_these_quotes(tmp_path):
    texts = [f"the harbour will reopen by spring said speaker number {i} today" for i in range(4)]
    mine, theirs = SameQuotes(), SameQuotes()
    mine.update(quotes_of(texts))
    theirs.update(quotes_of(texts[:2]))
    mine.save(tmp_path / "same.json")
    theirs.save(tmp_path / "other.json")
    (tmp_path / "other.npz").replace(tmp_path / "same.npz")  # the pair no longer matches
    loaded = SameQuotes().load(tmp_path / "same.json")
    assert not any(loaded.indexed) and len(loaded.shingles) == 0  # made again when needed
    assert {frozenset(g) for g in _groups(loaded)} == {frozenset(g) for g in _groups(mine)}
    more = [*texts, "the harbour will reopen by spring said speaker number 9 today"]
    loaded.update(quotes_of(more))
    fresh = SameQuotes()
    fresh.update(quotes_of(more))
    assert {frozenset(g) for g in _groups(loaded)} == {frozenset(g) for g in _groups(fresh)}
