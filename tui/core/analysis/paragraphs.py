"""The `margin_paragraphs` component: a paragraph break always starts a sentence.

News paragraphs often end with a closing quotation mark ("… never again.”") that the parser does
not take for a sentence end, so it runs two paragraphs into one sentence and hangs the next
paragraph's verb on a word of the one before ("Never, never Doe.” / Another reader said …" parsed
with "Doe" as a subject of "said"). Placed before the parser, this component marks the first token
after a blank line as a sentence start; spaCy's parser keeps preset sentence starts, so no parse
arc crosses a paragraph break. It changes nothing else.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


def mark_paragraph_starts(doc: Doc) -> Doc:
    """Set `is_sent_start` on every token that opens a paragraph (follows a blank line); returns `doc`."""
    for i in range(1, len(doc)):
        before = doc[i - 1]
        if doc[i].is_space:
            continue
        if (before.is_space and before.text.count("\n") >= 2) or before.whitespace_.count("\n") >= 2:
            doc[i].is_sent_start = True
    return doc


@Language.component("margin_paragraphs", assigns=["token.is_sent_start"])
def paragraph_starts(doc: Doc) -> Doc:
    """The spaCy component of `mark_paragraph_starts` (added before the parser by `load_pipeline`)."""
    return mark_paragraph_starts(doc)
