"""The sentence splitter's scan of the text gives the starts a token-by-token reading gives."""

from __future__ import annotations

import pytest

from claimaudit.nlp.sentences import _can_start, _may_end, _Tokens, sentence_starts
from claimaudit.nlp.tokenizer import blank_english

TEXTS = [
    "Ketamine works. It is fast. Dr. Smith agrees. [1] Then e.g. this one. A. B. Jones wrote it.",
    "The end. [2, 3] Next one. Also .[4] glued.Reports say so. In 2018Journal papers.",
    "Word. [",
    "End.\n\nNew block.  Two spaces. U.S. law applies. x . y",
    ". . . ... ?! ok",
    'He said. "Yes." Then (he left.) And [this.] More… Done! Why? ok',
    "i. e. g. No. no. Fig. 2 shows. approx. 5 mg. etc. The list: a. b. c.",
    "numbing. [2] Next.\nline. [12]\n- item one.\n- item two. 3. Third.",
    "Trailing dot.",
    "Ends with a space. ",
    "Quote.' Next. Closer.” Next. Bracket.) Next.",
    "Über. Ärger. éclair. 'quoted' start. “Curly” start.",
]


def reference_starts(doc) -> set[int]:  # type: ignore[no-untyped-def]
    """Token by token: the first non-space token after a line break, and after every token that
    may end a sentence and does, when it can start one."""
    tokens = _Tokens(doc)
    starts = {0}
    for i in range(tokens.size):
        text = tokens.text(i)
        if tokens.is_space(i):
            if "\n" in text:
                following = tokens.next_non_space(i)
                if following is not None:
                    starts.add(following)
            continue
        if _may_end(text) and tokens.ends_sentence(i, text):
            following = tokens.next_non_space(i)
            if following is not None and _can_start(tokens.text(following)):
                starts.add(following)
    return starts


@pytest.mark.parametrize("text", TEXTS)
def test_scan_gives_the_token_by_token_starts(text: str) -> None:
    doc = blank_english().make_doc(text)
    assert sentence_starts(doc) == reference_starts(doc)
