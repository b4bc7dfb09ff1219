"""Lexical attributes: only those claimaudit reads, from cheaper getters giving spaCy's values.

spaCy computes some 25 attributes for every word it sees for the first time (`Vocab._new_lexeme`
calls each getter of `vocab.lex_attr_getters`), most of them Python functions. On a fresh
page that is a good share of the tokenizer's time.

`used_getters` keeps the getters of `USED_ATTRS`, the attributes claimaudit reads, and drops
the others (shape, norm, prefix, suffix, stop word, like_num, like_url ...: they stay 0 on the
lexemes of a claimaudit pipeline). tests/nlp/test_lexattrs.py fails when the package starts
reading one of the dropped attributes: add it to USED_ATTRS then.

`faster_getters` swaps the getters it knows for equivalents: the `str` method itself where
spaCy's function only calls it, a set lookup for spaCy's tuples (and for IS_PUNCT a set of
Unicode's punctuation), for the common word of ASCII letters a direct answer where spaCy's
function would loop over the characters, and for LANG the language code's own `format` (the
code whatever the word, without a Python call). Anything else goes to spaCy's function, so every value is spaCy's (tests compare them on every code
point and on generated strings), with one deliberate exception: LOWER.

LOWER is `prefilter.fold`: `str.lower`, except that the characters `re.IGNORECASE` equates with
an ASCII letter become that letter (dotted capital I and dotless i: "i", long s: "s"). So the
PhraseMatchers and Matchers on LOWER (knowledge-base terms, cues, context) match "KETAMİNE" and
"ketamıne" as the rules' case-insensitive patterns already do, where `"İ".lower()` is "i" plus a
combining dot and no term would equal it. The value differs from spaCy's only for words holding
one of `prefilter.ODD_CHARACTERS`.
"""

from __future__ import annotations

import functools
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


# The code points of Unicode's punctuation categories (P*), as hex ranges, in the version of
# `unicodedata` they were read from: with that version `is_punct` is a set's `issuperset`,
# called from C (tests/nlp/test_lexattrs.py compares it with spaCy's on every code point).
_PUNCTUATION_VERSION = "14.0.0"
_PUNCTUATION = """
21-23 25-2A 2C-2F 3A-3B 3F-40 5B-5D 5F 7B 7D A1 A7 AB B6-B7 BB BF 37E 387 55A-55F 589-58A 5BE 5C0
5C3 5C6 5F3-5F4 609-60A 60C-60D 61B 61D-61F 66A-66D 6D4 700-70D 7F7-7F9 830-83E 85E 964-965 970 9FD
A76 AF0 C77 C84 DF4 E4F E5A-E5B F04-F12 F14 F3A-F3D F85 FD0-FD4 FD9-FDA 104A-104F 10FB 1360-1368
1400 166E 169B-169C 16EB-16ED 1735-1736 17D4-17D6 17D8-17DA 1800-180A 1944-1945 1A1E-1A1F 1AA0-1AA6
1AA8-1AAD 1B5A-1B60 1B7D-1B7E 1BFC-1BFF 1C3B-1C3F 1C7E-1C7F 1CC0-1CC7 1CD3 2010-2027 2030-2043
2045-2051 2053-205E 207D-207E 208D-208E 2308-230B 2329-232A 2768-2775 27C5-27C6 27E6-27EF 2983-2998
29D8-29DB 29FC-29FD 2CF9-2CFC 2CFE-2CFF 2D70 2E00-2E2E 2E30-2E4F 2E52-2E5D 3001-3003 3008-3011
3014-301F 3030 303D 30A0 30FB A4FE-A4FF A60D-A60F A673 A67E A6F2-A6F7 A874-A877 A8CE-A8CF A8F8-A8FA
A8FC A92E-A92F A95F A9C1-A9CD A9DE-A9DF AA5C-AA5F AADE-AADF AAF0-AAF1 ABEB FD3E-FD3F FE10-FE19
FE30-FE52 FE54-FE61 FE63 FE68 FE6A-FE6B FF01-FF03 FF05-FF0A FF0C-FF0F FF1A-FF1B FF1F-FF20 FF3B-FF3D
FF3F FF5B FF5D FF5F-FF65 10100-10102 1039F 103D0 1056F 10857 1091F 1093F 10A50-10A58 10A7F
10AF0-10AF6 10B39-10B3F 10B99-10B9C 10EAD 10F55-10F59 10F86-10F89 11047-1104D 110BB-110BC
110BE-110C1 11140-11143 11174-11175 111C5-111C8 111CD 111DB 111DD-111DF 11238-1123D 112A9
1144B-1144F 1145A-1145B 1145D 114C6 115C1-115D7 11641-11643 11660-1166C 116B9 1173C-1173E 1183B
11944-11946 119E2 11A3F-11A46 11A9A-11A9C 11A9E-11AA2 11C41-11C45 11C70-11C71 11EF7-11EF8 11FFF
12470-12474 12FF1-12FF2 16A6E-16A6F 16AF5 16B37-16B3B 16B44 16E97-16E9A 16FE2 1BC9F 1DA87-1DA8B
1E95E-1E95F
"""


def punctuation_set(version: str = unicodedata.unidata_version) -> frozenset[str] | None:
    """Every punctuation character (`_PUNCTUATION`), or None for another Unicode version."""
    if version != _PUNCTUATION_VERSION:
        return None
    chars: list[str] = []
    for item in _PUNCTUATION.split():
        low, _, high = item.partition("-")
        chars.extend(map(chr, range(int(low, 16), int(high or low, 16) + 1)))
    return frozenset(chars)


_PUNCTUATION_SET = punctuation_set()
# `is_punct` from C where the set is known: every character of the text is punctuation
punct_getter: Callable[[str], bool] = is_punct if _PUNCTUATION_SET is None else _PUNCTUATION_SET.issuperset


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
        (attrs.IS_PUNCT, base.is_punct): punct_getter,
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
    return {attr: known.get((attr, getter)) or _lang_getter(getter) for attr, getter in getters.items()}


def _lang_getter(getter: Callable[[str], Any]) -> Callable[[str], Any]:
    """spaCy's LANG getter, `partial(get_lang, lang=code)` (a Python call per new word), as
    `code.format`: the code whatever the text, from C. Any other getter as it is."""
    if isinstance(getter, functools.partial) and getter.func is base.get_lang and not getter.args:
        code = getter.keywords.get("lang")
        if getter.keywords.keys() == {"lang"} and isinstance(code, str) and "{" not in code and "}" not in code:
            return code.format
    return getter
