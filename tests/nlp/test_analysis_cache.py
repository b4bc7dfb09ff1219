"""Pattern analyses remembered between runs: same answers, rebuilt when missing or corrupt."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from claimaudit.nlp import analysis_cache
from claimaudit.nlp.prefilter import _analyse, needles


def counting(value: object) -> tuple[list[int], object]:
    calls: list[int] = []

    def compute() -> object:
        calls.append(1)
        return value

    return calls, compute


def test_answers_are_computed_once_and_survive_a_new_process(cache_dir: Path) -> None:
    calls, compute = counting(frozenset({"proven"}))
    assert analysis_cache.cached("needles", r"\bproven\b", 2, compute) == frozenset({"proven"})
    assert analysis_cache.cached("needles", r"\bproven\b", 2, compute) == frozenset({"proven"})
    assert len(calls) == 1
    assert analysis_cache.save()
    written = analysis_cache.cache_file()
    assert written is not None and written.parent == cache_dir and written.exists()
    analysis_cache.reset()  # as a fresh process would start
    again, compute_again = counting(frozenset({"other"}))
    assert analysis_cache.cached("needles", r"\bproven\b", 2, compute_again) == frozenset({"proven"})
    assert again == []
    assert not analysis_cache.save()  # nothing new: nothing written


def test_flags_and_kind_are_part_of_the_key(cache_dir: Path) -> None:
    analysis_cache.cached("needles", "abc", 0, lambda: "plain")
    assert analysis_cache.cached("needles", "abc", re.I, lambda: "ignorecase") == "ignorecase"
    assert analysis_cache.cached("leads", "abc", 0, lambda: "other kind") == "other kind"


def test_a_corrupt_file_is_an_empty_table(cache_dir: Path) -> None:
    path = analysis_cache.cache_file()
    assert path is not None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a pickle at all")
    calls, compute = counting(None)
    assert analysis_cache.cached("needles", "x+", 0, compute) is None and calls == [1]
    assert analysis_cache.save()  # and the file is made good again
    analysis_cache.reset()
    assert analysis_cache.cached("needles", "x+", 0, lambda: "recomputed") is None


def test_the_file_name_follows_the_code_version(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = analysis_cache.cache_file()
    monkeypatch.setattr("claimaudit.__version__", "0.0.0-other")
    assert analysis_cache.cache_file() not in (None, first)


def test_disabled_cache_writes_nothing(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(analysis_cache.DISABLE, "1")
    analysis_cache.reset()
    assert analysis_cache.cache_file() is None
    analysis_cache.cached("needles", "abc", 0, lambda: None)
    assert not analysis_cache.save()
    assert list(cache_dir.iterdir()) == []


def test_prefilter_needles_read_through_the_cache_are_the_analysis(cache_dir: Path) -> None:
    for source, flags in [(r"\bguaranteed?\b", re.I), (r"\d+%", 0), (r"(?:book|call)\s+now", re.I)]:
        direct = _analyse(source, flags)
        assert needles(re.compile(source, flags)) == direct
        analysis_cache.save()
        analysis_cache.reset()
        assert needles(re.compile(source, flags)) == direct


COMPILED = [
    (r"(?P<word>[a-z]+)(\d)?(?P=word)\b", re.I), (r"\bproven\b(?=\s)", 0), (r"(?i:x)y|[^\W\d]+$", re.M),
    (r"(?:19|20)\d\d(?=[A-Z][a-z])", 0), (r"^\s*(?:a|b){2,5}?.", re.S | re.X), ("µg|ml", re.I | re.A), ("", 0),
]


def test_compiled_patterns_equal_re_compile_and_survive_a_new_process(cache_dir: Path) -> None:
    for source, flags in COMPILED:
        assert analysis_cache.compiled(source, flags) == re.compile(source, flags)  # same code, flags, pattern
    assert analysis_cache.save()
    analysis_cache.reset()
    for source, flags in COMPILED:
        regex = analysis_cache.compiled(source, flags)
        expected = re.compile(source, flags)
        assert regex == expected and regex.groupindex == expected.groupindex and regex.groups == expected.groups
        assert [m.span() for m in regex.finditer("Proven proven 2018Journal µG x1x")] == \
            [m.span() for m in expected.finditer("Proven proven 2018Journal µG x1x")]


def test_a_bad_program_is_compiled_again(cache_dir: Path) -> None:
    analysis_cache.compiled(r"\bdose\b", re.I)
    table = analysis_cache._load()
    key = ("program", r"\bdose\b", int(re.I))
    flags, code, *rest = table[key]
    code[0] = 9999  # not an opcode: `_sre` refuses the program
    table[key] = (flags, code, *rest)
    assert analysis_cache.compiled(r"\bdose\b", re.I) == re.compile(r"\bdose\b", re.I)
    with pytest.raises(re.error):
        analysis_cache.compiled("(unclosed", 0)


def test_patterns_built_from_kept_programs_equal_re_compile() -> None:
    """The modules whose patterns come from kept programs (`analysis_cache.compiled`) hold the
    patterns `re.compile` makes: same source, flags and code (`re.Pattern` equality)."""
    import importlib

    from claimaudit.knowledge_base.lookup import compile_term

    modules = (
        "claimaudit.claims.coverage", "claimaudit.claims.described", "claimaudit.claims.facts",
        "claimaudit.claims.references", "claimaudit.claims.subjects", "claimaudit.knowledge_base.lookup",
        "claimaudit.nlp.citations", "claimaudit.rules.safety._phrases", "claimaudit.rules.safety.asserted_safety",
        "claimaudit.rules.mechanism.overstated_mechanism",
    )
    patterns = [
        value for name in modules for value in vars(importlib.import_module(name)).values()
        if isinstance(value, re.Pattern)
    ]
    patterns.append(compile_term("revers*|repair*|brain cell*"))
    assert len(patterns) > 20
    for pattern in patterns:
        assert pattern == re.compile(pattern.pattern, pattern.flags)
    assert compile_term("revers*") is compile_term("revers*")
    assert compile_term("revers*").search("it reverses it") and not compile_term("revers*").search("irreversible")
