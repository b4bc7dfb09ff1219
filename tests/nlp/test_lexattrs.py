"""The faster lexical attribute getters give spaCy's own values (LOWER: spaCy's but for the
characters `re.IGNORECASE` equates with an ASCII letter, see `prefilter.fold`)."""

from __future__ import annotations

import random
import re
import sys

import spacy
from spacy import attrs
from spacy.util import compile_infix_regex

from claimaudit.nlp.lexattrs import faster_getters
from claimaudit.nlp.prefilter import ODD_CHARACTERS, fold
from claimaudit.nlp.tokenizer import GLUED_SENTENCE_INFIXES, blank_english

WORDS = [
    "ketamine", "Ketamine", "KETAMINE", "KeTamine", "a", "I", "Mg", "mg", "twenty", "Twentieth",
    "hundredth", "1st", "22nd", "3rd", "4th", "th", "10,000", "1.5", "+5", "-3", "±2", "~4", "1/2",
    "1/2/3", "one/two", "x" * 99, "x" * 100, "X" * 120, "aaaaaAAAAAaaa", "http://x.org", "https://a",
    "www.example.com", "www.", "example.com", "example.com/", ".com", "com.", "a@b.co", "foo@bar",
    "e-mail@host.org", "(", ")", "''", "``", "'", '"', "«", "—", "...", "$", "$$", "€", "£$", "#",
    "%", "?!", "", " ", "\n", "\n\n", "\t", "étude", "ÉTUDE", "Ähnlich", "ſ", "\u212a", "İstanbul",
    "naïve", "x²", "٣", "Ⅻ", "ǅungla", "can't", "U.S.", "e.g.", "St.", "re-test", "COVID-19",
]


def _random_strings(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    alphabet = "aZkT.,:;@/-+~±$€'\"()[]`«»0123456789 \n\u00e9\u0130\u0131\u017f\u212a\u00b2\u0663\u2160_"
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14))) for _ in range(count)]


def _all_characters() -> list[str]:
    return [chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code <= 0xDFFF]


def test_every_getter_gives_spacys_value() -> None:
    spacy_getters = spacy.blank("en").vocab.lex_attr_getters
    fast = faster_getters(spacy_getters)
    assert set(fast) == set(spacy_getters)
    replaced = [attr for attr in fast if fast[attr] is not spacy_getters[attr]]
    assert len(replaced) >= 18
    texts = WORDS + _random_strings(20000, 7) + _all_characters()
    texts += [a + b for a in ("x", "X", "1", ".", "'", "$", "(") for b in ("'s", "`", "''", "x", "X", ".", ")")]
    for attr in replaced:
        for text in texts:
            if not text and attr in (attrs.PREFIX, attrs.LIKE_URL):
                continue  # spaCy never makes a lexeme of "" (its getters fail on it)
            expected = spacy_getters[attr](_plain_odd(text) if attr == attrs.LOWER else text)
            assert fast[attr](text) == expected, (attr, text)
            assert type(fast[attr](text)) is type(expected), (attr, text)


_ODD_AS_ASCII = str.maketrans(dict(zip(ODD_CHARACTERS, "IisK")))  # "İ" -> "I", "ı" -> "i", "ſ" -> "s"


def _plain_odd(text: str) -> str:
    return text.translate(_ODD_AS_ASCII)


def test_lower_is_spacys_but_for_the_odd_characters() -> None:
    """LOWER is spaCy's own value for every word without "İ", "ı", "ſ", "K" (Kelvin), and for
    those the lower case of the ASCII letter they stand for: one character for one, always."""
    lower = faster_getters(spacy.blank("en").vocab.lex_attr_getters)[attrs.LOWER]
    for text in ("KETAMİNE", "Ketamİne", "ketamıne", "KETAMINE", "\u212aETAMINE"):
        assert lower(text) == "ketamine", text
    assert (lower("İ"), lower("ı"), lower("ſafety")) == ("i", "i", "safety")
    for char in _all_characters():
        assert len(lower(char)) == 1, hex(ord(char))
        assert lower(char) == (char.lower() if char not in ODD_CHARACTERS else _plain_odd(char).lower())
    for text in WORDS + _random_strings(5000, 11):
        assert lower(text) == fold(text) and len(lower(text)) == len(text), text


def test_unknown_getters_are_kept() -> None:
    def mine(text: str) -> bool:
        return text == "x"

    getters = {attrs.IS_ALPHA: mine, attrs.LOWER: str.upper}
    assert faster_getters(getters) == getters


def _dropped_uses(source: str) -> list[str]:
    """Uses of a lexical attribute claimaudit's vocab does not compute (not in USED_ATTRS)."""
    from spacy.attrs import IDS

    from claimaudit.nlp.lexattrs import SPACY_ATTRS, USED_ATTRS

    names = sorted(name for name, value in IDS.items() if value in SPACY_ATTRS - USED_ATTRS)
    properties = [name.lower() for name in names if name.startswith(("IS_", "LIKE_"))]
    properties += [name.lower() + "_" for name in names if not name.startswith(("IS_", "LIKE_"))]
    found = re.findall(r"\.(%s)\b" % "|".join(properties), source)  # token.like_num, token.shape_
    found += re.findall(r"""["']?\b(%s)\b["']?\s*:""" % "|".join(names), source)  # Matcher patterns
    found += re.findall(r"""["'](%s)["']""" % "|".join(names), source)  # attr="NORM", to_array("SHAPE")
    found += re.findall(r"spacy\.attrs import [^\n]*\b(%s)\b" % "|".join(names), source)
    return found


def test_the_package_reads_no_dropped_attribute() -> None:
    from pathlib import Path

    import claimaudit

    root = Path(claimaudit.__file__).parent
    for path in [*root.rglob("*.py"), *root.rglob("*.yaml")]:
        if path.name != "lexattrs.py":
            assert not _dropped_uses(path.read_text(encoding="utf-8")), (path, _dropped_uses(path.read_text(encoding="utf-8")))
    for snippet in ("token.like_num", "t.shape_ == 'dd'", '[{"NORM": "x"}]', "- IS_STOP: true",
                    "from spacy.attrs import IDX, NORM", "doc.to_array(['IS_DIGIT'])", "PhraseMatcher(v, attr='SHAPE')"):
        assert _dropped_uses(snippet), snippet
    for snippet in ("token.lower_", "claim.norm_start", "path.suffix", "UNIT_NORMAL = {", '{"LOWER": "x"}', "t.is_alpha"):
        assert not _dropped_uses(snippet), snippet


def test_the_pipeline_tokens_have_spacys_attributes() -> None:
    nlp, reference = blank_english(), spacy.blank("en")
    infixes = [*reference.Defaults.infixes, *GLUED_SENTENCE_INFIXES]
    reference.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    text = " ".join(WORDS + _random_strings(500, 3)) * 2
    names = ["lower_", "lang_", "is_alpha", "is_lower", "is_title", "is_punct", "is_space"]  # USED_ATTRS
    tokens, expected = nlp.make_doc(text), reference.make_doc(text)
    assert len(tokens) == len(expected)
    for token, other in zip(tokens, expected):
        values = [getattr(other, name) for name in names]
        values[0] = fold(other.text)  # LOWER: spaCy's but for "İ", "ı", "ſ" (asserted above)
        assert [getattr(token, name) for name in names] == values, token.text


def test_the_language_getter_is_the_codes_format() -> None:
    nlp = blank_english()
    getter = nlp.vocab.lex_attr_getters[attrs.LANG]
    assert getattr(getter, "__self__", None) == "en" and getter.__name__ == "format"
    assert nlp.vocab.lang == "en" and [t.lang_ for t in nlp.make_doc("Hello {0} {}, world")] == ["en"] * 8


def test_the_punctuation_set_is_unicodes_punctuation() -> None:
    import unicodedata

    from claimaudit.nlp.lexattrs import _PUNCTUATION_VERSION, punct_getter, punctuation_set

    assert punctuation_set("0.0.0") is None
    found = punctuation_set(_PUNCTUATION_VERSION)
    assert found is not None and len(found) > 700
    if unicodedata.unidata_version == _PUNCTUATION_VERSION:
        assert found == {c for c in _all_characters() if unicodedata.category(c).startswith("P")}
        assert getattr(punct_getter, "__name__", "") == "issuperset"
