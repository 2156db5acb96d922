"""The reader's speakers: what the user decided about who said a quote, and the same quote in
other articles (issue 14).

- `c` on a quote: who said it — one of the article's people (completion), a typed name, or "not
  a quote" (`SpeakerDialog`); `C`: the speaker shown is right. Both are speaker corrections
  (`tui.core.corrections`), which win over the analysis wherever the reader shows quotes: the
  reader always shows `corrected_analysis(...)` of the model's analysis, again after a
  re-analysis, another process's change (`StoreChanged`) or a timeline's correction. `u` undoes
  the last one made here (as it undoes a delete).
- "also in N": the quote appears in N other articles (same-quote groups of `tui.core.people`,
  found in a worker, `SameQuotesFound` when ready); `o` opens the group (`QuoteGroupDialog`).
  Only articles Margin has analysed count (opened, or analysed by People or `margin analyze`):
  the reader never analyses the library itself.
"""

from __future__ import annotations

from textual import work

from tui.core.analysis.quote_attribution import METHOD_IN_WORDS
from tui.core.analysis.result import Analysis, Quote
from tui.core.passages import action_target
from tui.core.reading import plural
from tui.core.speaker_undo import SpeakerUndo, decide, forget
from tui.core.text import one_line
from tui.ui.messages import SameQuotesFound

CHECKED = "✓"  # a speaker the user decided (corrected or confirmed)
_COLLECTED: set[str] = set()  # People caches to which the analysed articles were added (once per process)


class ReaderSpeakers:
    """Mixed into `ReaderScreen` (which has `article`, `reading`, `analysis`, `_go`, `_jump_to`
    and the `analysis_state` / `quote_note` reactives)."""

    _model_analysis: Analysis | None = None  # the analysis as the model made it (before corrections)
    same: dict[tuple[int, int], object] | None = None  # (start, end) of a quote here -> its QuoteGroup
    _same_started = False
    _undo_order: list[str]  # "annotation" / "speaker": what `u` undoes next
    _speaker_undo: SpeakerUndo  # the speaker decisions made here, to take back with `u`

    # -- the analysis as the user corrected it ----------------------------------------------------
    def corrected(self, analysis: Analysis) -> Analysis:
        """`analysis` with this article's speaker corrections applied."""
        from tui.core.corrections import corrected_analysis

        keep = set(self.app.session.library_article_ids())
        return corrected_analysis(self.app.store, self.article, analysis, keep)

    def show_corrections(self) -> None:
        """The corrections as stored now (another process, a timeline, a key here): redrawn only
        when what is shown changes, the cursor kept where the reader was."""
        model = self._model_analysis
        if model is None or self.analysis is None:
            return
        corrected = self.corrected(model)
        if corrected.quotes == self.analysis.quotes:
            return
        self.analysis = corrected
        self.show_analysis_state(corrected)
        wanted = self.reading.wanted_offset
        self._go(self.reading.unit_at(wanted), scroll=False, wanted=wanted, moved=False)

    # -- the quote under the cursor -----------------------------------------------------------------
    def quote_here(self) -> Quote | None:
        """The quote the cursor is in (whatever is selected), or None."""
        reading = self.reading
        if not reading.units or not reading.quote_spans:
            return None
        passage = action_target(reading.unit, reading.quote_spans)
        if passage.kind != "quote" or passage.quote_index is None or passage.quote_index >= len(reading.quotes):
            return None
        return reading.quotes[passage.quote_index]

    def quote_note_for(self, quote: Quote | None) -> str:
        """What the status line says of the quote under the cursor: its speaker (✓ when the user
        decided it; ? when Margin is unsure, with how it found the speaker and how sure it is) and in
        how many other articles it appears."""
        if quote is None:
            return ""
        from tui.core.corrections import speaker_source

        speaker = quote.speaker
        if speaker is None:
            said = "no speaker (c names one)"
        elif speaker_source(quote) == "user":
            said = f"said by {one_line(speaker.canonical, 30)} {CHECKED}"
        else:
            said = f"said by {one_line(speaker.canonical, 30)}"
            if speaker.uncertain:  # why Margin is unsure: how it found the speaker, how likely it is right
                how = METHOD_IN_WORDS.get(speaker.method, speaker.method or "a guess")
                if speaker.method == "pronoun → name" and speaker.text:
                    how = f"from “{one_line(speaker.text, 12)}”"
                said += f"? ({round(speaker.confidence * 100)} % sure: {how})"  # the figure first: a narrow line cuts the end
        others = self.others_carrying(quote)
        return said + (f" · also in {others} (o)" if others else "")

    def others_carrying(self, quote: Quote) -> int:
        """In how many other articles `quote` appears (0 while the groups are not known yet)."""
        group = (self.same or {}).get((quote.start, quote.end))
        return group.articles - 1 if group is not None else 0  # type: ignore[attr-defined]

    # -- c / C: decide who said it ------------------------------------------------------------------
    def _quote_or_say(self) -> Quote | None:
        quote = self.quote_here()
        if quote is None:
            self.notify(
                "Put the cursor on a quote first (] goes to the next one)."
                if self.analysis is not None
                else "Quotes appear when analysis finishes.",
                markup=False,
            )
        return quote

    def article_people(self) -> list[str]:
        """The names the dialog offers: the article's speakers (most quoted first), then the
        people it names."""
        from tui.ui.screens.speaker_dialog import article_people

        return article_people(self.analysis) if self.analysis is not None else []

    def action_correct_speaker(self) -> None:
        """`c`: who said the quote under the cursor — a name, one of the article's people, or not a quote."""
        from tui.ui.screens.speaker_dialog import NOT_A_QUOTE, SpeakerDialog

        quote = self._quote_or_say()
        if quote is None:
            return
        current = quote.speaker.canonical if quote.speaker else None

        def decided(choice) -> None:
            if choice is None:
                return
            verdict, name = choice
            if verdict == NOT_A_QUOTE:
                self._decide(quote, "not_a_quote", None, "Marked as not a quote: it is left out (saved; u undoes).")
            else:
                self._decide(quote, "speaker", name, f"Speaker of this quote: {one_line(name, 60)} (saved; u undoes).")

        self.app.push_screen(SpeakerDialog(quote.text, current, self.article_people()), decided)

    def action_confirm_speaker(self) -> None:
        """`C`: the speaker shown for the quote under the cursor is right."""
        quote = self._quote_or_say()
        if quote is None:
            return
        if quote.speaker is None:
            self.notify("This quote has no speaker to confirm: c names one.", markup=False)
            return
        self._decide(quote, "confirmed", None, f"Confirmed: {one_line(quote.speaker.canonical, 60)} said it (saved; u undoes).")

    def _decide(self, quote: Quote, verdict: str, name: str | None, done: str) -> bool:
        """Record the user's decision on `quote` — and, for a speaker named or confirmed, on the
        other pieces of the same quotation that show the same speaker ("“…,” she said. “…”"):
        one step for `u`."""
        store, article = self.app.store, self.article
        pieces = [quote] if verdict == "not_a_quote" else self._same_quotation(quote)
        made_here, problem = decide(store, article, pieces, verdict, name)
        if made_here:  # what was saved can be undone, even when a later piece failed
            self._speaker_undo.record(made_here)
            self._undo_order.append("speaker")
        if problem is not None:
            self.notify(f"Not saved: {one_line(problem, 200)}", severity="error", timeout=8, markup=False)
            self.show_corrections()
            return False
        if store.unsaved_corrections:
            self.notify(
                one_line(store.notice or "Kept in memory only: not saved yet.", 300), severity="warning", timeout=8, markup=False
            )
        if len(made_here) > 1:
            done += f" The same for the {plural(len(made_here) - 1, 'other piece')} of this quotation."
        self.notify(done, timeout=4, markup=False)
        self.show_corrections()
        return True

    def _same_quotation(self, quote: Quote) -> list[Quote]:
        """`quote` and the other pieces of its quotation (as shown) that show the same speaker."""
        from tui.core.corrections import quotation_pieces

        model = self._model_analysis
        if model is None or self.analysis is None:
            return [quote]
        shown = {(q.start, q.end): q for q in self.analysis.quotes}
        said_by = quote.speaker.canonical if quote.speaker else None
        pieces = []
        for piece in quotation_pieces(model.quotes, quote):
            piece = shown.get((piece.start, piece.end), piece)
            if (piece.start, piece.end) == (quote.start, quote.end):
                pieces.append(quote)
            elif (piece.speaker.canonical if piece.speaker else None) == said_by:
                pieces.append(piece)
        return pieces

    def action_forget_speaker(self) -> None:
        """(Command palette) Forget the user's decision on the quote under the cursor, whenever it
        was made: the analysis' speaker shows again. A quote marked "not a quote" is not shown, so
        that one is taken back with `u` right after, or from the timeline."""
        from tui.core.storage.errors import StoreError

        quote = self._quote_or_say()
        if quote is None:
            return
        try:
            forgotten = forget(self.app.store, self.article, quote)
        except StoreError as exc:
            self.notify(f"Not forgotten: {one_line(str(exc), 200)}", severity="error", timeout=8, markup=False)
            return
        if forgotten is None:
            self.notify("The speaker of this quote is Margin's own: nothing to forget.", markup=False)
            return
        self._speaker_undo.record([forgotten])  # `u` saves it back as it was
        self._undo_order.append("speaker")
        self.show_corrections()
        self.notify("Your decision on this quote is forgotten: Margin's speaker shows again — u undoes.", markup=False)

    def undo_speaker(self) -> None:
        """Take back the last speaker decision made in this reader (the earlier one comes back),
        on every piece of the quotation it was made on."""
        from tui.core.storage.errors import StoreError

        try:
            first = self._speaker_undo.undo(self.app.store)
        except (ValueError, StoreError) as exc:
            self._undo_order.append("speaker")  # what could not be undone stays for the next `u`
            self.show_corrections()
            self.notify(f"Not undone: {one_line(str(exc), 200)}", severity="error", timeout=8, markup=False)
            return
        self.show_corrections()
        if first is not None:
            self._jump_to(first.start)
            self.notify(f"Undone: the speaker of “{one_line(first.text, 40)}” is as before.", markup=False)

    # -- the same quote in other articles -------------------------------------------------------------
    def look_for_same_quotes(self) -> None:
        """Start looking for this article's quotes in other articles (once per reader)."""
        if not self._same_started:
            self._same_started = True
            self.find_same_quotes(self._model_analysis)

    @work(thread=True, exclusive=True, group="same-quotes")
    def find_same_quotes(self, analysis: Analysis | None) -> None:
        """The same-quote groups of the library, kept to this article's quotes: in a worker (the
        People index and the incremental grouping of `tui.core.people`), posted when found."""
        from tui.ui.screens.library import LibraryScreen

        library = next((s for s in self.app.screen_stack if isinstance(s, LibraryScreen)), None)
        if library is None:
            return
        try:
            from tui.core.people import collect, same_quotes, summarise
            from tui.ui.screens.people_source import PeopleSource

            source = PeopleSource.from_library(library)
            cache = source.ensure_summaries()
            if analysis is not None and cache.get(self.article.id) is None:
                cache.put(self.article.id, summarise(analysis))  # this article's quotes, analysed just now
            if library.loaded and str(cache.file) not in _COLLECTED:  # once per process: nothing is analysed here
                _COLLECTED.add(str(cache.file))
                collect(source.entries(), source.analyzer, cache, analyse=False)  # those analysed before
            groups = same_quotes(source.build())
            source.save()
        except Exception:  # a damaged cache or index: no "also in", the reader works on
            return
        mine = {(s, e): group for (article_id, s, e), group in groups.items() if article_id == self.article.id}
        self.post_message(SameQuotesFound(mine))

    def on_same_quotes_found(self, message: SameQuotesFound) -> None:
        self.same = message.groups
        self.show_same()

    def action_also_in(self) -> None:
        """`o`: the versions of the quote under the cursor in other articles, their differences highlighted."""
        from tui.ui.screens.quote_group import QuoteGroupDialog

        quote = self._quote_or_say()
        if quote is None:
            return
        if self.same is None:
            self.notify("Still looking for this quote in other articles; try again in a moment.", timeout=3, markup=False)
            return
        group = self.same.get((quote.start, quote.end))
        if group is None:
            self.notify("No other article carries this quote.", timeout=3, markup=False)
            return
        members = group.members  # type: ignore[attr-defined]
        current = next(
            (q for _, q in members if (q.article_id, q.start, q.end) == (self.article.id, quote.start, quote.end)),
            members[0][1],
        )

        def chosen(index: int | None) -> None:
            if index is not None:
                self.open_version(members[index][1])

        self.app.push_screen(QuoteGroupDialog(group, current), chosen)

    def open_version(self, version) -> None:
        """One version of a same-quote group: here, the cursor to it; else its article, at it."""
        if version.article_id == self.article.id:
            self._jump_to(version.start)
            return
        from tui.core.articles import ArticleError, load_article

        try:
            article = load_article(version.path)
        except ArticleError as exc:
            self.notify(one_line(str(exc), 200), severity="error", markup=False)
            return
        at = version.start if article.text[version.start : version.end] == version.text else article.text.find(version.text)
        self.app.push_screen(type(self)(article, start_offset=at if at >= 0 else None))
