"""`margin analyze --all`: batched pre-analysis into the cache, in processes, resumable."""

from __future__ import annotations

import shutil

from helpers import SAMPLES

from tui.cli import main
from tui.core.analysis.service import Analyzer
from tui.core.articles import load_article


def make_library(tmp_path, count=5):
    library = tmp_path / "library"
    library.mkdir()
    for path in SAMPLES[:count]:
        shutil.copy(path, library / path.name)
    return library


def test_analyse_all_fills_the_cache_and_resumes(tmp_path, capsys):
    library = make_library(tmp_path)
    (library / "broken.txt").write_bytes(b"\x00\x01binary")
    assert main(["analyze", "--all", "--library", str(library), "--jobs", "2"]) == 1  # one file is unreadable
    err = capsys.readouterr().err
    assert "5 to analyse" in err and "broken.txt: looks like a binary file" in err
    assert "done: 5 analysed" in err
    analyzer = Analyzer()
    fresh = Analyzer(cache=tmp_path / "fresh-cache")  # its own empty cache: a real analysis
    for path in sorted(p for p in library.iterdir() if p.name != "broken.txt"):
        article = load_article(path)
        cached = analyzer.cached(article.text)
        assert cached is not None
        # the batched, multi-process result is the one a fresh single analysis gives
        assert fresh.cached(article.text) is None
        assert cached == fresh.analyze(article.text)
    (library / "broken.txt").unlink()
    assert main(["analyze", "--all", "--library", str(library)]) == 0
    err = capsys.readouterr().err
    assert "5 already analysed; 0 to analyse" in err


def test_analyse_all_resumes_after_a_partial_run(tmp_path, capsys):
    library = make_library(tmp_path, count=4)
    first = sorted(library.glob("*.txt"))[0]
    Analyzer().analyze(load_article(first).text)  # as if an earlier run stopped after one article
    assert main(["analyze", "--all", "--library", str(library), "--jobs", "1"]) == 0
    err = capsys.readouterr().err
    assert "1 already analysed; 3 to analyse" in err and "done: 3 analysed, 1 were cached" in err


def test_batched_analysis_equals_one_by_one(tmp_path):
    texts = [load_article(p).text for p in SAMPLES[:4]]
    batched = Analyzer(cache=tmp_path / "a").analyze_many(texts)
    single = [Analyzer(cache=tmp_path / "b").analyze(t) for t in texts]
    assert batched == single


def test_two_threads_asking_for_the_same_text_analyse_it_once(tmp_path, monkeypatch):
    """The reader reopened while its article is still being analysed: the second ask waits for
    the first and reads its result from the cache, instead of running spaCy again."""
    import threading
    import time

    from tui.core.analysis import service

    analyzer = Analyzer(model="rules", cache=tmp_path / "cache")
    real, runs = service.analyze_texts, []

    def slow_analyze(texts, nlp, info, progress=None):
        runs.append(len(texts))
        time.sleep(0.3)
        return real(texts, nlp, info, progress)

    monkeypatch.setattr(service, "analyze_texts", slow_analyze)
    text = "A title\n\n“We will reopen the harbour,” Jane Roe said.\n"
    got = []
    threads = [threading.Thread(target=lambda: got.append(analyzer.analyze(text))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert runs == [1] and got[0] == got[1] and len(got[0].quotes) == 1


def test_a_run_reports_each_batchs_quote_counts_and_stops_between_batches(tmp_path):
    from tui.core.analysis.batch import BATCH_ARTICLES, analyse_all

    library = tmp_path / "lib"
    library.mkdir()
    paths = []
    for k in range(BATCH_ARTICLES + 2):  # two batches
        path = library / f"a{k}.txt"
        path.write_text(f"Story {k}\n\n“We sail at dawn number {k},” said Jane Roe.\n", encoding="utf-8")
        paths.append(path)
    counted: list[dict] = []
    progress = analyse_all(
        paths, None, tmp_path / "cache", 1, lambda progress, problems: None, counted.append, stop=lambda: bool(counted)
    )
    assert progress.done == BATCH_ARTICLES < progress.total  # stopped after the first batch
    (counts,) = counted
    first = str(paths[0])
    assert counts[first] == (load_article(first).id, 1)
    assert len(counts) == BATCH_ARTICLES


def test_a_stopped_run_ends_its_worker_processes_at_once(tmp_path):
    import multiprocessing
    import time

    from tui.core.analysis.batch import analyse_all

    library = make_library(tmp_path, count=4)
    calls = []

    def stop() -> bool:
        calls.append(time.monotonic())
        return len(calls) > 1  # let the pool start, then stop before any batch can be done

    started = time.monotonic()
    progress = analyse_all(sorted(library.glob("*.txt")), None, tmp_path / "cache", 2, lambda p, q: None, stop=stop)
    assert progress.done == 0
    assert time.monotonic() - started < 10  # not after the batches' analysis
    assert multiprocessing.active_children() == []
