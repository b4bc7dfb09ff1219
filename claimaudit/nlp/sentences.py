"""Sentence segmentation that copes with headings, list items, "et al.", "e.g.", decimals and
citation brackets. Every line break of the normalized text (a block boundary) ends a sentence."""

from __future__ import annotations

import bisect
import re

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from claimaudit.nlp.analysis_cache import compiled
from claimaudit.nlp.spans import CharIndex, doc_text, token_end, token_spaces

ABBREVIATIONS = frozenset(
    {
        "al", "e.g", "i.e", "eg", "ie", "etc", "vs", "v", "dr", "mr", "mrs", "ms", "prof", "fig",
        "figs", "no", "nos", "approx", "ca", "st", "jr", "sr", "inc", "ltd", "co", "u.s", "u.k",
        "vol", "pp", "p", "ed", "eds", "dept", "univ", "resp", "incl", "min", "max", "jan", "feb",
        "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "ref", "refs",
    }
)
SENTENCE_END = frozenset({".", "!", "?", "…"})
CLOSERS = frozenset({'"', "'", "”", "’", ")", "]", "»"})
NOT_SENT_START = numpy.uint64(-1 & 0xFFFFFFFFFFFFFFFF)  # SENT_START -1, as an unsigned array value


@Language.factory(
    "claimaudit_sentences",
    assigns=["token.is_sent_start"],
    default_config={},
)
def make_sentence_splitter(nlp: Language, name: str) -> "SentenceSplitter":
    return SentenceSplitter()


class SentenceSplitter:
    """Rule-based sentence boundaries for web health content."""

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        starts = sorted(sentence_starts(doc))
        values = numpy.full((len(doc), 1), NOT_SENT_START, dtype="uint64")
        values[starts, 0] = 1
        doc.from_array([SENT_START], values)  # type: ignore[arg-type]
        doc.user_data[STARTS_KEY] = starts  # what claim extraction reads of SENT_START
        return doc


STARTS_KEY = "claimaudit.sentence_starts"


def kept_sentence_starts(doc: Doc) -> list[int] | None:
    """The sentence starts the splitter set on the doc, in order (token 0 and every token
    whose SENT_START is 1), or None when it did not run on this doc."""
    starts: list[int] | None = doc.user_data.get(STARTS_KEY)
    return starts


# the last character of every token `_may_end` holds for
_END_CHARACTER = compiled("[" + re.escape("".join(sorted({text[-1] for text in SENTENCE_END | CLOSERS}))) + "]")


def sentence_starts(doc: Doc) -> set[int]:
    """Indices of tokens that begin a sentence.

    Read from token offsets (`doc.to_array`) and the text: the token after a line break starts
    a sentence; so does the token after a sentence end if it can start one. Only the tokens
    holding a line break or ending in a sentence-end character are looked at.
    """
    starts = {0}
    if not len(doc):
        return starts
    tokens = _Tokens(doc)
    text, offsets, spaces, size = tokens.doc_text, tokens.starts, tokens.spaces, tokens.size
    at = text.find("\n")
    while at >= 0:  # the first non-space token after a space token with a line break
        holder = bisect.bisect_right(offsets, at) - 1
        if tokens.is_space(holder):
            following = tokens.next_non_space(holder)
            if following is not None:
                starts.add(following)
            # the holder's other line breaks give the same token: look on after it
            at = text.find("\n", offsets[holder + 1] if holder + 1 < size else len(text))
        else:
            at = text.find("\n", at + 1)
    for found in _END_CHARACTER.finditer(text):
        end = found.end()
        i = bisect.bisect_right(offsets, end - 1) - 1
        if (offsets[i + 1] if i + 1 < size else len(text)) - spaces[i] != end:  # `token_end`, inline
            continue  # not the token's last character
        if end - offsets[i] > 1 and text[end - 1] != ".":
            continue  # `_may_end` holds for no longer token that ends otherwise than in "."
        if spaces[i] and end - offsets[i] == 1 and text[end - 1] == ".":
            # the common case, a "." token and a space: `ends_sentence` with what it reads known
            # (no closer glued to it, no glued capital), a sentence start read from its first character
            if i > 0 and not spaces[i - 1] and tokens.abbreviation(i - 1):
                continue
            if i + 1 < size and text[offsets[i + 1]] == "[" and tokens.text(i + 1) == "[" and tokens.is_citation_bracket(i + 1):
                continue
            following = tokens.next_non_space(i)
            if following is not None and _can_start(text[offsets[following]]):
                starts.add(following)
            continue
        if tokens.ends_sentence(i, text[offsets[i]:end]):  # (a token ending in `_END_CHARACTER` is no space)
            following = tokens.next_non_space(i)
            if following is not None and _can_start(tokens.text(following)):
                starts.add(following)
    return starts


class _Tokens:
    """A doc's tokens as offsets into its text (`CharIndex`, `doc.to_array`): token texts, trailing
    spaces and the sentence-end tests without `Token` objects. Each test gives what the same
    test on spaCy's tokens gives (`text`, `whitespace_`, `lower_`, `is_space`, `is_alpha`,
    `is_lower`, `is_title` are the text slice, its space and its `str` methods)."""

    __slots__ = ("doc_text", "starts", "spaces", "size")

    def __init__(self, doc: Doc) -> None:
        self.doc_text = doc_text(doc)
        self.starts: list[int] = CharIndex.of(doc).starts  # kept for the later components
        self.spaces: list[int] = token_spaces(doc)  # a space follows the token (`whitespace_`)
        self.size = len(self.starts)

    def end(self, i: int) -> int:
        """Where token i ends."""
        return token_end(self.starts, self.spaces, len(self.doc_text), i)

    def text(self, i: int) -> str:
        starts = self.starts  # `end` (`token_end`), inline: asked of every token looked at
        following = starts[i + 1] if i + 1 < self.size else len(self.doc_text)
        return self.doc_text[starts[i] : following - self.spaces[i]]

    def holding(self, position: int) -> int:
        """The token whose text or trailing space holds the character at `position`."""
        return bisect.bisect_right(self.starts, position) - 1

    def is_space(self, i: int) -> bool:
        """spaCy's IS_SPACE: a token is all white space or holds none (chunks are split at
        white space, white space runs are tokens of their own), so its first character tells."""
        return self.doc_text[self.starts[i]].isspace()

    def next_non_space(self, i: int) -> int | None:
        """The first token after token i that is not white space, if any."""
        following, size, text, starts = i + 1, self.size, self.doc_text, self.starts
        while following < size and text[starts[following]].isspace():  # `is_space`, inline
            following += 1
        return following if following < size else None

    def ends_sentence(self, i: int, text: str | None = None) -> bool:
        """Token i (whose text is `text` when given) ends a sentence."""
        if text is None:
            text = self.text(i)
        if text in SENTENCE_END:
            if text == "." and i > 0 and not self.spaces[i - 1] and self.abbreviation(i - 1):
                return False
            return self.next_is_boundary(i) or self.glued_to_capital(i)
        if text in CLOSERS and i > 0 and self.text(i - 1) in SENTENCE_END:
            return self.next_is_boundary(i)
        if text == "]" and self.bracket_follows_sentence_end(i):
            return self.next_is_boundary(i)
        if text.endswith(".") and len(text) > 1 and text[:-1].lower() not in ABBREVIATIONS:
            # tokens like "approx." are kept whole by the tokenizer; other "word." endings split
            if not any(ch.isdigit() for ch in text) and text.count(".") == 1:
                return self.next_is_boundary(i)
        return False

    def abbreviation(self, i: int) -> bool:
        """Token i is an abbreviation ("e.g", "Dr") or a single capital, so a "." glued to it
        ends no sentence."""
        previous = self.text(i)
        return previous.lower().rstrip(".") in ABBREVIATIONS or (len(previous) == 1 and previous.isupper())

    def glued_to_capital(self, i: int) -> bool:
        """"properties.Reports": a full stop glued to the next sentence's capitalised word."""
        if self.text(i) != "." or self.spaces[i] or i + 1 >= self.size or i == 0:
            return False
        previous, following = self.text(i - 1), self.text(i + 1)
        return previous.isalpha() and previous.islower() and following.istitle() and len(following) > 1

    def next_is_boundary(self, i: int) -> bool:
        """A sentence ends here unless a citation bracket or closing quote follows."""
        if i + 1 >= self.size:
            return True
        following = self.text(i + 1)
        if following in CLOSERS and not self.spaces[i]:
            return False  # the closer ends the sentence instead
        if following == "[" and self.is_citation_bracket(i + 1):
            return False
        return bool(self.spaces[i]) or following.isspace()

    def is_citation_bracket(self, i: int) -> bool:
        for index in range(i + 1, min(i + 12, self.size)):
            text = self.text(index)
            if text == "]":
                return True
            if not (text.isdigit() or text in {",", "-", "–"} or text.isspace()):
                return False
        return False

    def bracket_follows_sentence_end(self, i: int) -> bool:
        """`]` closing a citation bracket placed after a full stop: "... numbing. [2]"."""
        index = i - 1
        while index > 0 and self.text(index) != "[" and i - index < 12:
            index -= 1
        return index > 0 and self.text(index) == "[" and self.text(index - 1) in SENTENCE_END


def _may_end(text: str) -> bool:
    """The texts `_Tokens.ends_sentence` can be true for (a cheap filter)."""
    return text in SENTENCE_END or text in CLOSERS or text.endswith(".")


def _can_start(text: str) -> bool:
    """A token with this text may start a sentence after a sentence end."""
    first = text[0]
    return first.isupper() or first.isdigit() or first in "\"'“‘([•-–—*#" or not first.isalpha()
