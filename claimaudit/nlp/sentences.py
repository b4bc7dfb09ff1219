"""Sentence segmentation that copes with headings, list items, "et al.", "e.g.", decimals and
citation brackets. Every line break of the normalized text (a block boundary) ends a sentence."""

from __future__ import annotations

import numpy
from spacy.attrs import IS_SPACE, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

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
    _flags(nlp.vocab)  # the lexeme flags, added before any document is split
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


def sentence_starts(doc: Doc) -> set[int]:
    """Indices of tokens that begin a sentence.

    Vectorized over `doc.to_array`: the token after a line break starts a sentence; so does
    the token after a sentence end if it can start one. Token objects are made only for the
    few tokens that may end or start a sentence.
    """
    starts = {0}
    if not len(doc):
        return starts
    is_space, is_break, may_end = doc.to_array([IS_SPACE, *_flags(doc.vocab)]).T.astype(bool)
    non_space = numpy.flatnonzero(~is_space)
    # the first non-space token after a line-break space token
    after = numpy.searchsorted(non_space, numpy.flatnonzero(is_break), side="right")
    starts.update(non_space[after[after < len(non_space)]].tolist())
    ends = [i for i in numpy.flatnonzero(may_end).tolist() if _ends_sentence(doc[i])]
    if not ends:
        return starts
    positions = numpy.searchsorted(non_space, ends, side="right").tolist()
    for i, position in zip(ends, positions):
        if position >= len(non_space):
            continue
        following = int(non_space[position])
        if "\n" in doc[i].whitespace_ or _can_start(doc[following]):
            starts.add(following)
    return starts


def _flags(vocab: Vocab) -> tuple[int, int]:
    """Lexeme flags of the vocab (custom flag bits FLAG19-FLAG63, added once per vocab): a
    space token with a line break; a token `_may_end` holds for. `doc.to_array` reads them for
    all tokens at once."""
    getters: dict[int, object] = vocab.lex_attr_getters  # type: ignore[attr-defined]
    ids = {getter: attr for attr, getter in getters.items() if getter in (_is_break, _is_possible_end)}
    for getter in (_is_break, _is_possible_end):
        if getter not in ids:
            free = next(bit for bit in range(19, 64) if bit not in getters)
            ids[getter] = vocab.add_flag(getter, flag_id=free)
    return ids[_is_break], ids[_is_possible_end]


def _is_break(text: str) -> bool:
    return text.isspace() and "\n" in text  # spaCy's IS_SPACE, with a line break


def _is_possible_end(text: str) -> bool:
    return not text.isspace() and _may_end(text)


def _may_end(text: str) -> bool:
    """The texts `_ends_sentence` can be true for (a cheap filter before making a Token)."""
    return text in SENTENCE_END or text in CLOSERS or text.endswith(".")


def _ends_sentence(token: Token) -> bool:
    text = token.text
    if text in SENTENCE_END:
        previous = token.nbor(-1) if token.i > 0 else None
        if text == "." and previous is not None and not previous.whitespace_:
            word = previous.lower_.rstrip(".")
            if word in ABBREVIATIONS or (len(previous.text) == 1 and previous.text.isupper()):
                return False
        return _next_is_boundary(token) or _glued_to_capital(token)
    if text in CLOSERS and token.i > 0 and token.nbor(-1).text in SENTENCE_END:
        return _next_is_boundary(token)
    if text == "]" and _bracket_follows_sentence_end(token):
        return _next_is_boundary(token)
    if text.endswith(".") and len(text) > 1 and text[:-1].lower() not in ABBREVIATIONS:
        # tokens like "approx." are kept whole by the tokenizer; other "word." endings split
        if not any(ch.isdigit() for ch in text) and text.count(".") == 1:
            return _next_is_boundary(token)
    return False


def _glued_to_capital(token: Token) -> bool:
    """"properties.Reports": a full stop glued to the next sentence's capitalised word."""
    if token.text != "." or token.whitespace_ or token.i + 1 >= len(token.doc) or token.i == 0:
        return False
    previous, nxt = token.nbor(-1), token.nbor(1)
    return previous.is_alpha and previous.is_lower and nxt.is_title and len(nxt.text) > 1


def _next_is_boundary(token: Token) -> bool:
    """A sentence ends here unless a citation bracket or closing quote follows."""
    if token.i + 1 >= len(token.doc):
        return True
    nxt = token.nbor(1)
    if nxt.text in CLOSERS and not token.whitespace_:
        return False  # the closer ends the sentence instead
    if nxt.text == "[" and _is_citation_bracket(nxt):
        return False
    return bool(token.whitespace_) or nxt.is_space


def _is_citation_bracket(token: Token) -> bool:
    doc = token.doc
    for index in range(token.i + 1, min(token.i + 12, len(doc))):
        text = doc[index].text
        if text == "]":
            return True
        if not (text.isdigit() or text in {",", "-", "–"} or doc[index].is_space):
            return False
    return False


def _bracket_follows_sentence_end(token: Token) -> bool:
    """`]` closing a citation bracket placed after a full stop: "... numbing. [2]"."""
    doc = token.doc
    index = token.i - 1
    while index > 0 and doc[index].text != "[" and token.i - index < 12:
        index -= 1
    return index > 0 and doc[index].text == "[" and doc[index - 1].text in SENTENCE_END


def _can_start(token: Token) -> bool:
    first = token.text[0]
    return first.isupper() or first.isdigit() or first in "\"'“‘([•-–—*#" or not first.isalpha()
