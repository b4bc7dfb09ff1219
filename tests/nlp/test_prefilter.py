"""The literal prefilter never changes a pattern's answer; it only skips hopeless searches."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimaudit.nlp.prefilter import Prefiltered, compile, fast, fold, folded, needles

TEXTS = [
    "Ketamine is GUARANTEED to work for 70% of patients.",
    "Results are not guaranteed; some people feel better within 24 hours.",
    "Book a free consultation today!",
    "İnfusion ſafety in Kelvin units",
    "Nothing relevant here at all.",
    "",
]


@pytest.mark.parametrize(
    ("source", "flags", "expected"),
    [
        (r"\bguaranteed?\b", re.I, {"guarantee"}),
        (r"\b(?:book|schedule)\s+(?:now|today)\b", re.I, {"book", "schedule"}),
        (r"(?:FDA|EMA)[- ]approved", 0, {"fda- approved", "fda approved", "ema- approved", "ema approved"} and None),
        (r"\bsafe(?:ly)?\b", re.I, {"safe"}),
        (r"\d+\s*%", 0, None),  # no literal of 3 characters
        (r"(?<!not )\bproven\b", re.I, {"proven"}),
        (r"(?i:Rapid)\s+relief", 0, {"relief"}),
    ],
)
def test_needles_are_the_literals_every_match_contains(source: str, flags: int, expected: object) -> None:
    found = needles(re.compile(source, flags))
    if source.startswith("(?:FDA"):
        assert found is not None and all(n.endswith("approved") for n in found)
    else:
        assert found == (frozenset(expected) if expected else None)  # type: ignore[arg-type]


def test_fast_returns_the_pattern_itself_when_no_needle_helps() -> None:
    plain = re.compile(r"\d+(?:\.\d+)?")
    assert fast(plain) is plain
    wrapped = fast(re.compile(r"\bdramatic(?:ally)?\b", re.I))
    assert isinstance(wrapped, Prefiltered)
    assert fast(wrapped) is wrapped


def test_compile_is_lazy_and_skips_texts_without_a_needle() -> None:
    broken = compile(r"\bproven(")  # no error until it is used
    assert isinstance(broken, Prefiltered) and broken.pattern == r"\bproven("
    with pytest.raises(re.error):
        broken.search("it is proven")
    lazy = compile(r"\bproven\b", re.I)
    assert lazy.search("nothing to see") is None and lazy._regex is None  # skipped, never compiled
    assert lazy.search("It is PROVEN.") is not None and lazy._regex is not None
    unfiltered = compile(r"\d+")
    assert unfiltered.findall("3 of 40") == ["3", "40"]


@pytest.mark.parametrize("lazy", [False, True])
@pytest.mark.parametrize("text", TEXTS)
def test_every_method_answers_as_the_pattern_does(text: str, lazy: bool) -> None:
    source = r"\b(guarantee[ds]?|safety|consultation)\b"
    raw = re.compile(source, re.I)
    wrapped = compile(source, re.I) if lazy else fast(raw)
    assert isinstance(wrapped, Prefiltered)
    assert wrapped.groups == 1 and wrapped.flags == raw.flags
    assert wrapped.findall(text) == raw.findall(text)
    assert [m.span() for m in wrapped.finditer(text)] == [m.span() for m in raw.finditer(text)]
    assert bool(wrapped.search(text)) == bool(raw.search(text))
    assert bool(wrapped.match(text)) == bool(raw.match(text))
    assert bool(wrapped.fullmatch(text)) == bool(raw.fullmatch(text))
    assert wrapped.sub("X", text) == raw.sub("X", text)
    assert wrapped.subn("X", text) == raw.subn("X", text)
    assert wrapped.split(text) == raw.split(text)


def test_special_case_folds_still_reach_the_pattern() -> None:
    # re's case-insensitive matching pairs these with ASCII letters; str.lower alone does not.
    for text, source in [("\u0130nfusion", "infusion"), ("\u017fafe", "safe"), ("\u212aetamine", "ketamine"),
                         ("d\u0131ssociation", "dissociation")]:
        raw = re.compile(source, re.I)
        assert raw.search(text), text
        assert fast(raw).search(text), text


def test_fold_covers_every_case_insensitive_ascii_match() -> None:
    """For every code point, a case-insensitive match with an ASCII letter survives folding."""
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    for letter in "abcdefghijklmnopqrstuvwxyz":
        for hit in re.compile(letter, re.I).findall(everything):
            assert letter in fold(hit), (letter, hex(ord(hit)))


def test_fold_keeps_length_apart_from_the_remapped_characters() -> None:
    # Needles span adjacent characters: folding must not insert characters between them.
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    assert len(fold(everything)) == len(everything)


WORDS = ["safe", "proven", "fda", "approved", "cure", "rapid", "not", "ketamine", "70", "%"]
ATOMS = st.sampled_from([
    *[re.escape(w) for w in WORDS], r"\s+", r"\s*", r"\w+", r"\d+", r"[ -]", r"\b", ".", r"(?:ly)?",
    r"[dn]", r"s?", r"(?<!not )", r"(?=\s)",
])


@st.composite
def patterns(draw: st.DrawFn) -> str:
    def piece() -> str:
        parts = draw(st.lists(ATOMS, min_size=1, max_size=4))
        return "".join(parts)

    alternatives = draw(st.lists(st.builds(piece), min_size=1, max_size=3))
    body = "(?:" + "|".join(alternatives) + ")"
    return draw(st.sampled_from([body, body + r"\b", r"\b" + body, body + "+", "(" + body + "){1,2}"]))


@settings(max_examples=200, deadline=None)
@given(source=patterns(), flags=st.sampled_from([0, re.I]),
       text=st.lists(st.sampled_from([*WORDS, "SAFE", "Proven", "FDA-approved", " ", "  ", ".", "\u0130", "\u017f"]),
                     max_size=12).map(" ".join))
def test_generated_patterns_and_texts_agree(source: str, flags: int, text: str) -> None:
    raw = re.compile(source, flags)
    for wrapped in (fast(raw), compile(source, flags)):
        assert [m.span() for m in wrapped.finditer(text)] == [m.span() for m in raw.finditer(text)]
        assert wrapped.findall(text) == raw.findall(text)
    wrapped = fast(raw)
    assert [m.span() for m in wrapped.finditer(text)] == [m.span() for m in raw.finditer(text)]
    assert wrapped.findall(text) == raw.findall(text)


def test_folded_remembers_texts_and_answers_as_fold() -> None:
    texts = [f"Text {i} \u0130nfusion ſafe" for i in range(100)]
    for _ in range(2):
        for text in texts:
            assert folded(text) == fold(text)
            assert folded(text) == fold(text)  # the last text again


def test_what_is_not_a_str_reaches_the_pattern() -> None:
    wrapped = fast(re.compile(r"\bguaranteed?\b", re.I))
    assert wrapped.search("") is None and not wrapped.may_match("")
    with pytest.raises(TypeError):
        wrapped.search(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        wrapped.search(b"guaranteed")  # type: ignore[arg-type]


def test_prefiltered_patterns_copy_and_pickle() -> None:
    import copy
    import pickle

    for wrapped in (compile(r"\bproven\b", re.I), fast(re.compile(r"\bproven\b", re.I))):
        for clone in (copy.deepcopy(wrapped), pickle.loads(pickle.dumps(wrapped))):
            assert clone == wrapped and clone.search("It is PROVEN") and clone.search("no") is None


def test_may_name_year_holds_for_every_year_a_year_pattern_finds() -> None:
    import re

    from claimaudit.nlp.prefilter import may_name_year

    year = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
    texts = [f"In {y}, a trial ran." for y in range(1900, 2100)]
    texts += ["Published 2O21 (a letter O).", "Over 90% of 1,000 people in 18 months.", "No digits at all.", ""]
    for text in texts:
        if year.search(text):
            assert may_name_year(text), text
    assert not may_name_year("Over 90% of 1,000 people in 18 months.")
    assert not may_name_year("No digits at all.")
