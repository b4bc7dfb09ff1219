"""Sentence segmentation that copes with headings, list items, "et al.", "e.g.", decimals and
citation brackets. Every line break of the normalized text (a block boundary) ends a sentence."""

from __future__ import annotations

import numpy
from spacy.attrs import IDX, SENT_START, SPACY
from spacy.language import Language
from spacy.tokens import Doc

from claimaudit.nlp.spans import doc_text

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
        values = numpy.full((len(doc), 1), NOT_SENT_START, dtype="uint64")
        values[sorted(sentence_starts(doc)), 0] = 1
        doc.from_array([SENT_START], values)  # type: ignore[arg-type]
        return doc


# the last character of every token `_may_end` holds for
_END_CODES = sorted({ord(text[-1]) for text in SENTENCE_END | CLOSERS})
_ENDS_TOKEN = numpy.zeros(max(_END_CODES) + 2, dtype=bool)  # by code point; the last entry: any above
_ENDS_TOKEN[_END_CODES] = True
# `str.isspace` by code point (tests/nlp/test_sentences.py checks every one); the last entry: any above
WHITE_SPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_SPACE = numpy.zeros(0x3002, dtype=bool)
_SPACE[[ord(char) for char in WHITE_SPACE]] = True


def sentence_starts(doc: Doc) -> set[int]:
    """Indices of tokens that begin a sentence.

    Vectorized over `doc.to_array` and the text's code points: the token after a line break
    starts a sentence; so does the token after a sentence end if it can start one. Token texts
    are sliced from the text only for the few tokens that may end or start a sentence.
    """
    starts = {0}
    if not len(doc):
        return starts
    tokens = _Tokens(doc)
    non_space = numpy.flatnonzero(~tokens.is_space)
    # the first non-space token after a line-break space token
    after = numpy.searchsorted(non_space, tokens.breaks(), side="right")
    starts.update(non_space[after[after < len(non_space)]].tolist())
    ends = [i for i in tokens.may_end() if tokens.ends_sentence(i)]
    if not ends:
        return starts
    positions = numpy.searchsorted(non_space, ends, side="right").tolist()
    for position in positions:
        if position >= len(non_space):
            continue
        following = int(non_space[position])
        if _can_start(tokens.text(following)):
            starts.add(following)
    return starts


class _Tokens:
    """A doc's tokens as offsets into its text (one `doc.to_array`): token texts, trailing
    spaces and the sentence-end tests without `Token` objects. Each test gives what the same
    test on spaCy's tokens gives (`text`, `whitespace_`, `lower_`, `is_space`, `is_alpha`,
    `is_lower`, `is_title` are the text slice, its space and its `str` methods)."""

    __slots__ = ("doc_text", "codes", "first", "starts", "ends", "spaces", "is_space", "size")

    def __init__(self, doc: Doc) -> None:
        array = doc.to_array([IDX, SPACY]).view(numpy.int64)
        self.doc_text = doc_text(doc)
        self.codes = numpy.frombuffer(self.doc_text.encode("utf-32-le"), dtype=numpy.uint32)
        self.first = numpy.ascontiguousarray(array[:, 0])
        spaces = numpy.ascontiguousarray(array[:, 1])  # a space follows the token (`whitespace_`)
        # a token ends where the next starts, less its trailing space (the tokens and their
        # spaces make up the text); memoryviews give offsets as Python ints without a list
        ends = numpy.empty_like(self.first)
        ends[:-1] = self.first[1:]
        ends[-1] = len(self.doc_text)
        self.starts, self.ends, self.spaces = self.first.data, (ends - spaces).data, spaces.data
        # spaCy's IS_SPACE: every token is all white space or holds none (chunks are split at
        # white space, white space runs are tokens of their own), so its first character tells
        self.is_space = _SPACE[numpy.minimum(self.codes[self.first], len(_SPACE) - 1)]
        self.size = len(array)

    def text(self, i: int) -> str:
        return self.doc_text[self.starts[i]:self.ends[i]]

    def breaks(self) -> "numpy.ndarray":
        """Indices of the space tokens holding a line break."""
        newlines = numpy.flatnonzero(self.codes == 10)
        holders = numpy.unique(numpy.searchsorted(self.first, newlines, side="right") - 1)
        return holders[self.is_space[holders]]

    def may_end(self) -> list[int]:
        """Indices of the non-space tokens `_may_end` holds for, in order."""
        last = self.codes[numpy.asarray(self.ends) - 1]
        candidates = numpy.flatnonzero(_ENDS_TOKEN[numpy.minimum(last, len(_ENDS_TOKEN) - 1)] & ~self.is_space).tolist()
        return [i for i in candidates if _may_end(self.text(i))]

    def ends_sentence(self, i: int) -> bool:
        text = self.text(i)
        if text in SENTENCE_END:
            if text == "." and i > 0 and not self.spaces[i - 1]:
                previous = self.text(i - 1)
                word = previous.lower().rstrip(".")
                if word in ABBREVIATIONS or (len(previous) == 1 and previous.isupper()):
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
