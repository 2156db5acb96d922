"""A corpus's Parquet tables (`margin analyze --all --engine dask --quotes-out DIR`): their
columns, the rows a worker writes, the People columns filled in across the whole corpus, and
reading a table back (`margin speakers|quotes --quotes-from DIR`, later the People view).

A table folder holds `quotes/`, `entities/` and `articles/` partitions (one Parquet file per
batch of articles, every article's rows in one partition) and `manifest.json`. The quote table
has exactly the columns of `margin quotes` (QUOTE_COLUMNS), one row per quote of every article
(attributed or not: an unattributed quote has null speaker and People columns). `person`,
`person_id`, `kind`, `group` and `also_in` depend on the whole corpus (a bare surname joins the
only person of that surname anywhere; the user's merges and splits), so a worker writes them
empty and `fill_people_columns` sets them once the run's batches are in. The article table keeps
each article's speaker summary (`people.summarise`), from which `people_from_quote_table`
rebuilds exactly the People rows a library of the same articles gives. Every table's `path` is the
article's path as `margin quotes --format csv` shows it (`shown_path`: a byte of a file name that is
not UTF-8 as \\xNN, a backslash as \\\\); the reading functions give the exact path back (`exact_path`).

pyarrow is imported only inside the functions that read or write Parquet: importing this module
costs nothing, and the plain install (without the corpus extra) can import it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from tui.core.analysis.result import Analysis
    from tui.core.articles import Article
    from tui.core.people import Overrides, Person, PersonQuote, QuoteGroup

Row = dict[str, Any]  # one row of a table: column name -> value

MANIFEST = "manifest.json"
MANIFEST_VERSION = 2
TABLES = ("quotes", "entities", "articles")
INSTALL_HINT = "pip install 'margin-reader[corpus]'"

# The quote table's columns: those of `margin quotes` (tui/commands/quotes.py), in its order.
QUOTE_COLUMNS = [
    "article_id",
    "title",
    "path",
    "date",
    "source",
    "start",
    "end",
    "text",
    "cue",
    "speaker",
    "speaker_canonical",
    "person",
    "person_id",
    "kind",
    "speaker_source",
    "confidence",
    "method",
    "group",
    "also_in",
]
PEOPLE_COLUMNS = ("person", "person_id", "kind", "group", "also_in")  # filled across the corpus
ENTITY_COLUMNS = ["article_id", "path", "start", "end", "label", "text", "canonical"]
ARTICLE_COLUMNS = ["article_id", "path", "title", "source", "date", "words", "quotes", "speakers"]


# A file name's bytes that are not UTF-8 reach Python as lone surrogates (U+DC80..U+DCFF), which a
# Parquet string column (UTF-8) cannot hold. The tables' `path` column is the path as `margin quotes
# --format csv` shows it (`shown_path`): each such byte as \xNN, a backslash as \\; `exact_path`
# gives the exact path back (`os.fsencode` its bytes).
_TO_ESCAPE = re.compile(r"[\\\ud800-\udfff]")  # a backslash or a surrogate
_ESCAPED = re.compile(r"\\(\\|x[89a-f][0-9a-f]|ud[89a-f][0-9a-f]{2})")


def shown_path(path: str) -> str:
    """`path` as the tables store it and CSV or text shows it, unambiguously: each byte of the
    file name that is not UTF-8 as \\xNN ("caf\\xe9.txt"), a backslash as \\\\; the rest as it is."""

    def escape(match: re.Match[str]) -> str:
        code = ord(match.group())
        if code == ord("\\"):
            return "\\\\"
        return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"

    return _TO_ESCAPE.sub(escape, path)


def exact_path(shown: str) -> str:
    """The exact path (bad bytes as surrogates, as `os.fsdecode` gives them) of a `shown_path`."""

    def unescape(match: re.Match[str]) -> str:
        code = match.group(1)
        if code == "\\":
            return "\\"
        return chr(0xDC00 + int(code[1:], 16)) if code[0] == "x" else chr(int(code[1:], 16))

    return _ESCAPED.sub(unescape, shown)


class QuoteTableError(Exception):
    """A folder that is not a quote table, a damaged one, or pyarrow missing."""


def require_pyarrow() -> None:
    """Raise QuoteTableError, saying what to install, when pyarrow is missing."""
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise QuoteTableError(f"reading a Parquet quote table needs pyarrow: {INSTALL_HINT}") from None


def schemas() -> dict[str, Any]:
    """The pyarrow schema of each table."""
    import pyarrow as pa

    s, i, f = pa.string(), pa.int64(), pa.float64()
    quotes = pa.schema(
        [
            ("article_id", s),
            ("title", s),
            ("path", s),
            ("date", s),
            ("source", s),
            ("start", i),
            ("end", i),
            ("text", s),
            ("cue", s),
            ("speaker", s),
            ("speaker_canonical", s),
            ("person", s),
            ("person_id", s),
            ("kind", s),
            ("speaker_source", s),
            ("confidence", f),
            ("method", s),
            ("group", s),
            ("also_in", i),
        ]
    )
    entities = pa.schema(
        [
            ("article_id", s),
            ("path", s),
            ("start", i),
            ("end", i),
            ("label", s),
            ("text", s),
            ("canonical", s),
        ]
    )
    articles = pa.schema(
        [
            ("article_id", s),
            ("path", s),
            ("title", s),
            ("source", s),
            ("date", s),
            ("words", i),
            ("quotes", i),
            ("speakers", s),
        ]
    )
    return {"quotes": quotes, "entities": entities, "articles": articles}


# ------------------------------------------------------------------------------------ rows --


def quote_row(person: Person, quote: PersonQuote, group: QuoteGroup | None = None) -> Row:
    """The `margin quotes` row (QUOTE_COLUMNS) of one of `person`'s quotes (a `people.PersonQuote`),
    with its group of the same quote in other articles (a `people.QuoteGroup`), if any."""
    return {
        "article_id": quote.article_id,
        "title": quote.title,
        "path": quote.path,
        "date": quote.date,
        "source": quote.source,
        "start": quote.start,
        "end": quote.end,
        "text": quote.text,
        "cue": quote.cue,
        "speaker": quote.speaker,
        "speaker_canonical": quote.canonical,
        "person": person.name,
        "person_id": person.id,
        "kind": person.kind,
        "speaker_source": getattr(quote, "speaker_source", "model"),
        "confidence": quote.confidence,
        "method": quote.method,
        "group": group.id if group else None,
        "also_in": group.articles - 1 if group else 0,
    }


def article_rows(article: Article, analysis: Analysis, summary: dict[str, Any]) -> list[Row]:
    """Every quote of one article as quote-table rows, in text order: the attributed ones as
    `margin quotes` gives them (from the article's speaker `summary`, `people.summarise`), the
    others with null speaker columns; the People columns are left empty (`fill_people_columns`)."""
    base = {
        "article_id": article.id,
        "title": article.title,
        "path": shown_path(str(article.path)),
        "date": article.date,
        "source": article.source,
    }
    rows = []
    attributed = set()
    for canonical, _kind, _full, _mentions, quotes in summary.get("s", ()):
        for quote in quotes:
            start, end, text, cue, confidence, mention, method = quote[:7]
            attributed.add((start, end))
            rows.append(
                {
                    **base,
                    "start": start,
                    "end": end,
                    "text": text,
                    "cue": cue,
                    "speaker": mention,
                    "speaker_canonical": canonical,
                    "person": None,
                    "person_id": None,
                    "kind": None,
                    "speaker_source": quote[7] if len(quote) > 7 else "model",
                    "confidence": confidence,
                    "method": method,
                    "group": None,
                    "also_in": 0,
                }
            )
    for q in analysis.quotes:
        if (q.start, q.end) not in attributed:
            rows.append(
                {
                    **base,
                    "start": q.start,
                    "end": q.end,
                    "text": q.text,
                    "cue": q.cue,
                    "speaker": None,
                    "speaker_canonical": None,
                    "person": None,
                    "person_id": None,
                    "kind": None,
                    "speaker_source": None,
                    "confidence": None,
                    "method": None,
                    "group": None,
                    "also_in": 0,
                }
            )
    rows.sort(key=lambda r: (r["start"], r["end"]))
    return rows


def entity_rows(article: Article, analysis: Analysis) -> list[Row]:
    """One row per named entity of an article (ENTITY_COLUMNS)."""
    return [
        {
            "article_id": article.id,
            "path": shown_path(str(article.path)),
            "start": e.start,
            "end": e.end,
            "label": e.label,
            "text": e.text,
            "canonical": e.canonical,
        }
        for e in analysis.entities
    ]


def article_row(article: Article, analysis: Analysis, summary: dict[str, Any]) -> Row:
    """An article's row (ARTICLE_COLUMNS): its metadata, words, quotes and speaker summary (JSON)."""
    return {
        "article_id": article.id,
        "path": shown_path(str(article.path)),
        "title": article.title,
        "source": article.source,
        "date": article.date,
        "words": article.word_count,
        "quotes": len(analysis.quotes),
        "speakers": orjson.dumps(summary).decode(),
    }


def parquet_bytes(table: Any) -> bytes:
    """A pyarrow table as the bytes of a Parquet file (zstd)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    data: bytes = sink.getvalue().to_pybytes()
    return data


def write_partition(path: Path, rows: list[Row], schema: Any) -> None:
    """Write `rows` as one Parquet partition at `path`, atomically and durably (the manifest, written
    after, records it: it must not name a file a power cut lost)."""
    import pyarrow as pa

    from tui.core.store import write_atomically

    table = pa.Table.from_pylist(rows, schema=schema)
    write_atomically(path, parquet_bytes(table))


# --------------------------------------------------------------------------------- reading --


@dataclass(frozen=True)
class TableEntry:
    """An article of a quote table, as People needs it (`people.LibraryEntry`)."""

    id: str
    path: str
    title: str
    date: str | None
    source: str | None
    error: str | None = None


class QuoteTable:
    """A quote table folder, opened for reading: `model`, `articles` (the number of articles),
    and streaming reads of its partitions (one at a time: memory bounded by the largest)."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder).expanduser()
        if not self.folder.is_dir():
            what = "a file, not a folder" if self.folder.exists() else "no such folder"
            raise QuoteTableError(
                f"{self.folder}: {what} (a quote table is the DIR of `margin analyze --all --engine dask --quotes-out DIR`)"
            )
        require_pyarrow()
        from tui.core.paths import load_json

        try:
            manifest = load_json((self.folder / MANIFEST).read_bytes())  # a path that is not UTF-8: \udcNN
        except FileNotFoundError:
            raise QuoteTableError(
                f"{self.folder} is not a quote table (no {MANIFEST}): write one with "
                "`margin analyze CORPUS --all --engine dask --quotes-out DIR`"
            ) from None
        except (OSError, ValueError) as exc:
            raise QuoteTableError(f"{self.folder / MANIFEST}: cannot be read ({exc})") from None
        if not isinstance(manifest, dict) or "articles" not in manifest:
            raise QuoteTableError(f"{self.folder} is not a quote table ({MANIFEST} is not Margin's)")
        if manifest.get("version") != MANIFEST_VERSION:
            raise QuoteTableError(
                f"{self.folder}: written by another version of Margin; run `margin analyze "
                "--all --engine dask --quotes-out` on it again to update it"
            )
        missing = [t for t in TABLES if not (self.folder / t).is_dir()]
        if missing:
            raise QuoteTableError(f"{self.folder} is not a complete quote table ({missing[0]}/ is missing)")
        self.model: str | None = manifest.get("model")
        self.articles = len({e.get("id") for e in manifest["articles"].values() if isinstance(e, dict)})
        self.partition_names = sorted(
            {e["partition"] for e in manifest["articles"].values() if isinstance(e, dict) and isinstance(e.get("partition"), str)}
        )

    def files(self, table: str) -> list[Path]:
        """The partition files of `table` the manifest records (a stopped run's leftovers are not read)."""
        return [self.folder / table / name for name in self.partition_names if (self.folder / table / name).exists()]

    def batches(self, table: str, columns: list[str] | None = None) -> Iterator[list[Row]]:
        """The rows of `table`, one record batch (a list of dicts) at a time; `path` is the exact
        path (`exact_path`), as the article's `path` is in Margin."""
        import pyarrow.parquet as pq

        for file in self.files(table):
            try:
                parquet = pq.ParquetFile(file)
                for batch in parquet.iter_batches(columns=columns, batch_size=8192):
                    rows = batch.to_pylist()
                    for row in rows:
                        if "\\" in (row.get("path") or ""):
                            row["path"] = exact_path(row["path"])
                    yield rows
            except (OSError, ValueError) as exc:  # pyarrow's errors are OSError/ArrowInvalid (a ValueError)
                raise QuoteTableError(f"{file}: cannot be read as Parquet ({exc})") from None

    def rows(self, table: str = "quotes", columns: list[str] | None = None) -> Iterator[Row]:
        """The rows of `table` (default: the quotes), streamed."""
        for batch in self.batches(table, columns):
            yield from batch

    def entries_and_records(self) -> tuple[list[TableEntry], dict[str, dict[str, Any]]]:
        """People's input: one entry per article file (sorted by path) and the speaker summary of
        each article id, as `people.collect` would have put in its cache."""
        entries: list[TableEntry] = []
        records: dict[str, dict[str, Any]] = {}
        for row in self.rows("articles", ["article_id", "path", "title", "date", "source", "speakers"]):
            entries.append(TableEntry(row["article_id"], row["path"], row["title"] or "", row["date"], row["source"]))
            if row["article_id"] not in records:
                try:
                    records[row["article_id"]] = orjson.loads(row["speakers"] or "{}")
                except ValueError:
                    records[row["article_id"]] = {}
        entries.sort(key=lambda e: e.path)
        return entries, records

    def people(self, overrides: Overrides | None = None) -> list[Person]:
        """Every speaker of the table merged into people, as `people.build_people` gives them for
        a library of the same articles (with `overrides`, the user's merges and splits)."""
        from tui.core.people import build_people

        entries, records = self.entries_and_records()
        return build_people(entries, records, overrides)


def read_quote_table(folder: Path | str) -> Iterator[Row]:
    """The quote rows (QUOTE_COLUMNS) of the table in `folder`, streamed partition by partition
    (`path` the exact path: see `exact_path`). Raises QuoteTableError when `folder` is not a quote table or pyarrow is missing."""
    return QuoteTable(folder).rows("quotes", QUOTE_COLUMNS)


def people_from_quote_table(folder: Path | str, overrides: Overrides | None = None) -> list[Person]:
    """The People rows (`people.Person`, as `people.build_people` returns) of the table in `folder`,
    with the user's merges and splits `overrides` (default: none). Raises QuoteTableError."""
    return QuoteTable(folder).people(overrides)


# ----------------------------------------------------------------------- People columns --


def overrides_fingerprint(overrides: Overrides | None) -> str:
    """A short fingerprint of the user's merges and splits (and the summary format): when it changes,
    the table's People columns are filled again."""
    from tui.core.people import PEOPLE_VERSION

    data = {"v": PEOPLE_VERSION, "merges": overrides.merges if overrides else [], "splits": overrides.splits if overrides else []}
    return hashlib.sha256(orjson.dumps(data, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]


def fill_people_columns(
    folder: Path | str, overrides: Overrides | None = None, progress: Callable[[int, int], None] | None = None
) -> int:
    """Set `person`, `person_id`, `kind`, `group` and `also_in` of every quote row of the table in
    `folder` from People across the whole table (with `overrides`). Rewrites (atomically) only the
    partitions whose values change; returns how many it rewrote."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tui.core.people import same_quotes
    from tui.core.store import write_atomically

    table = QuoteTable(folder)
    files = table.files("quotes")
    if progress is not None:
        progress(0, len(files))
    people = table.people(overrides)
    groups = same_quotes(people)
    person_of: dict[tuple[str, str], Person] = {}
    for person in people:
        for voice in person.voices:  # a name across articles: which articles it speaks in
            for article_id in voice.articles:
                person_of[(article_id, voice.canonical)] = person
    rewritten = 0
    types = {"person": pa.string(), "person_id": pa.string(), "kind": pa.string(), "group": pa.string(), "also_in": pa.int64()}
    for number, file in enumerate(files):
        data = pq.read_table(file)
        ids = data.column("article_id").to_pylist()
        canonicals = data.column("speaker_canonical").to_pylist()
        starts, ends = data.column("start").to_pylist(), data.column("end").to_pylist()
        new: dict[str, list[Any]] = {name: [] for name in PEOPLE_COLUMNS}
        for article_id, canonical, start, end in zip(ids, canonicals, starts, ends):
            row = person_of.get((article_id, canonical)) if canonical is not None else None
            group = groups.get((article_id, start, end)) if row is not None else None
            new["person"].append(row.name if row else None)
            new["person_id"].append(row.id if row else None)
            new["kind"].append(row.kind if row else None)
            new["group"].append(group.id if group else None)
            new["also_in"].append(group.articles - 1 if group else 0)
        if any(data.column(name).to_pylist() != values for name, values in new.items()):
            for name, values in new.items():
                data = data.set_column(data.schema.get_field_index(name), name, pa.array(values, types[name]))
            write_atomically(file, parquet_bytes(data))
            rewritten += 1
        if progress is not None:
            progress(number + 1, len(files))
    return rewritten
