"""Lexical attributes: only those claimaudit reads, from cheaper getters giving spaCy's values.

spaCy computes some 25 attributes for every word it sees for the first time (`Vocab._new_lexeme`
calls each getter of `vocab.lex_attr_getters`), most of them Python functions. On a fresh
page that is a good share of the tokenizer's time.

`used_getters` keeps the getters of `USED_ATTRS`, the attributes claimaudit reads, and drops
the others (shape, norm, prefix, suffix, stop word, like_num, like_url ...: they stay 0 on the
lexemes of a claimaudit pipeline). tests/nlp/test_lexattrs.py fails when the package starts
reading one of the dropped attributes: add it to USED_ATTRS then.

`faster_getters` swaps the getters it knows for equivalents: the `str` method itself where
spaCy's function only calls it, a set lookup for spaCy's tuples, and for the common word of
ASCII letters a direct answer where spaCy's function would loop over the characters. Anything
else goes to spaCy's function, so every value is spaCy's (tests compare them on every code
point and on generated strings), with one deliberate exception: LOWER.

LOWER is `prefilter.fold`: `str.lower`, except that the characters `re.IGNORECASE` equates with
an ASCII letter become that letter (dotted capital I and dotless i: "i", long s: "s"). So the
PhraseMatchers and Matchers on LOWER (knowledge-base terms, cues, context) match "KETAMİNE" and
"ketamıne" as the rules' case-insensitive patterns already do, where `"İ".lower()` is "i" plus a
combining dot and no term would equal it. The value differs from spaCy's only for words holding
one of `prefilter.ODD_CHARACTERS`.
"""

from __future__ import annotations

import operator
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

from spacy import attrs
from spacy.lang import lex_attrs as base
from spacy.lang.en import lex_attrs as english

from claimaudit.nlp.prefilter import fold

_ASCII_PUNCT = "".join(c for c in map(chr, range(128)) if unicodedata.category(c).startswith("P"))
_ASCII_CURRENCY = "".join(c for c in map(chr, range(128)) if unicodedata.category(c) == "Sc")
# spaCy's English number and ordinal words (what `like_num` answers True for among words of letters).
_NUMBER_WORDS = frozenset(english._num_words) | frozenset(english._ordinal_words)

# The tuples spaCy's is_bracket, is_quote, is_left_punct and is_right_punct test membership in.
_BRACKETS = frozenset(("(", ")", "[", "]", "{", "}", "<", ">"))
_QUOTES = frozenset(('"', "'", "`", "«", "»", "‘", "’", "‚", "‛", "“", "”", "„", "‟", "‹", "›", "❮", "❯", "''", "``"))
_LEFT_PUNCT = frozenset(("(", "[", "{", "<", '"', "'", "«", "‘", "‚", "‛", "“", "„", "‟", "‹", "❮", "``"))
_RIGHT_PUNCT = frozenset((")", "]", "}", ">", '"', "'", "»", "’", "”", "›", "❯", "''"))


def _letters(text: str) -> bool:
    """`text` is ASCII letters only (a nonempty word such as "Ketamine")."""
    return text.isascii() and text.isalpha()


def is_punct(text: str) -> bool:
    if text.isascii():
        return not text.strip(_ASCII_PUNCT)  # every character is punctuation (or there is none)
    return base.is_punct(text)


def is_currency(text: str) -> bool:
    if text.isascii():
        return not text.strip(_ASCII_CURRENCY)
    return base.is_currency(text)


def like_email(text: str) -> bool:
    return "@" in text and base.like_email(text)


def like_url(text: str) -> bool:
    if _letters(text):
        return False  # no "://", "www." nor "."
    return base.like_url(text)


def like_num(text: str) -> bool:
    """English `like_num`: a word of letters is number-like only as a number or ordinal word."""
    if _letters(text):
        return text.lower() in _NUMBER_WORDS
    return bool(english.like_num(text))  # type: ignore[no-untyped-call]


def word_shape(text: str) -> str:
    """spaCy's `word_shape` ("Xxxxx"): runs of the same shape character stop at 4."""
    if _letters(text) and len(text) < 100:
        if text.islower():
            return "xxxx"[: len(text)]
        if text.isupper():
            return "XXXX"[: len(text)]
        if text.istitle():
            return "X" + "xxxx"[: len(text) - 1]
    return base.word_shape(text)


# What claimaudit reads: LOWER (the Matcher and PhraseMatcher patterns, `lower_`), IS_SPACE and
# IS_PUNCT (`doc.to_array` in claim extraction and page facts), IS_ALPHA, IS_LOWER and IS_TITLE
# (sentence splitting, the sentence model); LANG is kept for `Vocab.lang`, which calls its getter.
USED_ATTRS = frozenset({attrs.LOWER, attrs.IS_SPACE, attrs.IS_PUNCT, attrs.IS_ALPHA, attrs.IS_LOWER, attrs.IS_TITLE,
                        attrs.LANG})
# spaCy's own lexical attributes (the others in a vocab's getters are flags added by components)
SPACY_ATTRS = frozenset({*base.LEX_ATTRS, attrs.IS_STOP, attrs.LANG, attrs.NORM, attrs.LIKE_NUM})


def used_getters(getters: Mapping[int, Callable[[str], Any]]) -> dict[int, Callable[[str], Any]]:
    """`faster_getters(getters)` without spaCy's attributes claimaudit does not read."""
    return {attr: getter for attr, getter in faster_getters(getters).items()
            if attr in USED_ATTRS or attr not in SPACY_ATTRS}


def faster_getters(getters: Mapping[int, Callable[[str], Any]]) -> dict[int, Callable[[str], Any]]:
    """`getters` with each getter that is spaCy's own function replaced by its equivalent here;
    getters it does not know (other languages, flags of our own) are kept."""
    known: dict[tuple[int, Callable[[str], Any]], Callable[[str], Any]] = {
        (attrs.LOWER, base.lower): fold,  # not spaCy's value for "İ", "ı", "ſ" (see the module's text)
        (attrs.PREFIX, base.prefix): operator.itemgetter(0),
        (attrs.SUFFIX, base.suffix): operator.itemgetter(slice(-3, None)),
        (attrs.IS_ALPHA, base.is_alpha): str.isalpha,
        (attrs.IS_DIGIT, base.is_digit): str.isdigit,
        (attrs.IS_LOWER, base.is_lower): str.islower,
        (attrs.IS_SPACE, base.is_space): str.isspace,
        (attrs.IS_TITLE, base.is_title): str.istitle,
        (attrs.IS_UPPER, base.is_upper): str.isupper,
        (attrs.IS_ASCII, base.is_ascii): str.isascii,
        (attrs.IS_PUNCT, base.is_punct): is_punct,
        (attrs.IS_CURRENCY, base.is_currency): is_currency,
        (attrs.IS_BRACKET, base.is_bracket): _BRACKETS.__contains__,
        (attrs.IS_QUOTE, base.is_quote): _QUOTES.__contains__,
        (attrs.IS_LEFT_PUNCT, base.is_left_punct): _LEFT_PUNCT.__contains__,
        (attrs.IS_RIGHT_PUNCT, base.is_right_punct): _RIGHT_PUNCT.__contains__,
        (attrs.LIKE_EMAIL, base.like_email): like_email,
        (attrs.LIKE_URL, base.like_url): like_url,
        (attrs.LIKE_NUM, english.like_num): like_num,
        (attrs.SHAPE, base.word_shape): word_shape,
    }
    return {attr: known.get((attr, getter), getter) for attr, getter in getters.items()}
