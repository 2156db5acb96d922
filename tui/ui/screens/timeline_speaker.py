"""The timeline's speaker keys: `c` corrects a quote's speaker (a name, one of the article's
people, or "not a quote"), `y` confirms it; saved as speaker corrections (tui.core.corrections),
after which People re-indexes the quote's article and the timeline shows its quotes anew. `u`
takes the last decision back when it came after the last delete (`undo_speaker`)."""

from __future__ import annotations

from tui.core.people import Person, PersonQuote
from tui.core.reading import plural
from tui.core.text import one_line


class SpeakerKeys:
    """Mixed into TimelineScreen (which has `current`, `person`, `quotes`, `options`, `fill`,
    `_title`, `_status`, `entries`, `corrected`, `speaker_undo` and `undo_order`)."""

    def _article_for(self, quote: PersonQuote):
        """The article of `quote` as it is now, or None (said why) when it changed or is gone."""
        from tui.core.articles import ArticleError, load_article

        try:
            article = load_article(quote.path)
        except ArticleError as exc:
            self.notify(one_line(str(exc), 200), severity="error", markup=False)
            return None
        if article.id != quote.article_id or article.text[quote.start : quote.end] != quote.text:
            self.notify(
                "This article changed since it was analysed: open it (Enter) to check its speakers.",
                severity="warning",
                timeout=6,
                markup=False,
            )
            return None
        return article

    @staticmethod
    def _core_quote(quote: PersonQuote):
        from tui.core.analysis.result import Quote, Speaker

        speaker = Speaker(quote.start, quote.start, quote.speaker, quote.canonical, quote.method, quote.confidence)
        return Quote(quote.start, quote.end, quote.text, quote.cue, speaker)

    def _article_people(self, quote: PersonQuote, article) -> list[str]:
        """The names the dialog offers for `quote`: this row's person and the quote's speaker
        first, then the ones the reader offers for its article — the article's speakers as the
        user corrected them (its summary in the people index, most quoted first) and the people
        it names (its cached analysis: read, never analysed here; an article not analysed on this
        machine offers its speakers only)."""
        from tui.ui.screens.speaker_dialog import article_people

        names = [self.person.name, quote.canonical]
        index = self.person.index
        record = index.record(quote.article_id) if index is not None else None
        rows = sorted((record or {}).get("s", ()), key=lambda row: (-len(row[4]), row[0].casefold()))
        for row in rows:
            names.append(row[0])
            if row[2]:
                names.append(row[2])
        analysis = self._cached_analysis(article)
        if analysis is not None:  # the summary holds only who is quoted: the people named are here
            names += article_people(analysis, speakers=not rows)
        return names

    def _cached_analysis(self, article):
        """The article's analysis from the analysis cache (a file read, no spaCy), or None when
        it was not analysed with the current model."""
        return self.app.analyzer.cached(article.text)

    def action_correct(self) -> None:
        """Who said the current quote: a name, one of the article's people, or not a quote."""
        from tui.ui.screens.speaker_dialog import NOT_A_QUOTE, SpeakerDialog

        quote = self.current
        if quote is None:
            return
        article = self._article_for(quote)
        if article is None:
            return

        def decided(choice) -> None:
            if choice is None:
                return
            verdict, name = choice
            if verdict == NOT_A_QUOTE:
                self._decide(quote, article, "not_a_quote", None, "Marked as not a quote: it is left out (saved).")
            else:
                self._decide(quote, article, "speaker", name, f"Speaker of this quote: {one_line(name, 60)} (saved).")

        self.app.push_screen(SpeakerDialog(quote.text, quote.canonical, self._article_people(quote, article)), decided)

    def action_confirm(self) -> None:
        """The current quote's speaker is right."""
        quote = self.current
        if quote is None:
            return
        article = self._article_for(quote)
        if article is not None:
            self._decide(quote, article, "confirmed", None, f"Confirmed: {one_line(quote.canonical, 60)} said it (saved).")

    def _decide(self, quote: PersonQuote, article, verdict: str, name: str | None, done: str) -> None:
        from tui.core.speaker_undo import decide

        store = self.app.store
        pieces = [quote] if verdict == "not_a_quote" else self._same_quotation(quote)
        made, problem = decide(store, article, [self._core_quote(piece) for piece in pieces], verdict, name)
        if made:  # what was saved can be undone, even when a later piece failed
            self.speaker_undo.record(made)
            self.undo_order.append("speaker")
        if problem is not None:
            self.notify(f"Not saved: {one_line(problem, 200)}", severity="error", timeout=8, markup=False)
            if not made:
                return
        if store.notice:
            self.notify(one_line(store.notice, 300), severity="warning", timeout=8, markup=False)
        if len(made) > 1:
            done += f" The same for the {plural(len(made) - 1, 'other piece')} of this quotation."
        self.notify(done, timeout=4, markup=False)
        self._after_correction()

    def _after_correction(self) -> None:
        self._status("saved")
        if self.corrected is not None:
            self.corrected(self._rows_changed)

    def undo_speaker(self) -> None:
        """Take back the last speaker decision made in this timeline (the earlier one comes back)."""
        from tui.core.storage.errors import StoreError

        try:
            first = self.speaker_undo.undo(self.app.store)
        except (ValueError, StoreError) as exc:
            self.undo_order.append("speaker")  # what could not be undone stays for the next `u`
            self.notify(f"Not undone: {one_line(str(exc), 200)}", severity="error", timeout=8, markup=False)
            self._after_correction()
            return
        if first is not None:
            self.notify(f"Undone: the speaker of “{one_line(first.text, 40)}” is as before.", markup=False)
            self._after_correction()

    def _same_quotation(self, quote: PersonQuote) -> list[PersonQuote]:
        """`quote` and the other pieces of its quotation ("“…,” she said. “…”") among this
        person's quotes of the same article that show the same speaker. (A piece continues the
        one just before it in the article, which says the same person's words: so it is here too.)"""
        from tui.core.corrections import quotation_pieces

        same = sorted(
            (q for q in self.quotes if q.article_id == quote.article_id and q.canonical == quote.canonical),
            key=lambda q: q.start,
        )
        by_span = {(q.start, q.end): q for q in same}
        pieces = quotation_pieces([self._core_quote(q) for q in same], self._core_quote(quote))
        return [by_span.get((p.start, p.end), quote) for p in pieces]

    def _rows_changed(self, people: list[Person]) -> None:
        """People rebuilt after a correction: this person's quotes as they are now."""
        if not self.is_attached:
            return
        mine = next((p for p in people if p.id == self.person.id), None)
        index = self.options.highlighted or 0
        self.person = mine if mine is not None else self.person
        self.quotes = mine.quotes if mine is not None else []
        self.entries.update({unit.entry.id: unit.entry for unit in self.person.units})
        self.fill(index)
        self._title()
        self._status("saved")
