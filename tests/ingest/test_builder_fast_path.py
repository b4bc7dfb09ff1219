"""The builder's fast path (a segment copied as one run) agrees with the break patterns."""

from __future__ import annotations

import re

import pytest

from claimaudit.ingest.builder import _ENTITY_BREAK, _INVISIBLE, _PLAIN_BREAK, TextBuilder, _is_plain_run


def test_every_break_character_is_non_printable() -> None:
    """The fast path rests on this: whitespace other than " " and invisible characters never print."""
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    breaking = set(re.findall(r"[^\S ]", everything)) | set(_INVISIBLE)
    assert breaking and not any(ch.isprintable() for ch in breaking)


@pytest.mark.parametrize("segment", [
    "Ketamine may help some adults.", "two  spaces", "tab\there", "line\nbreak", "nbsp\u00a0here",
    "soft\u00adhyphen", "AT&amp;T", "AT&T", " leading and trailing ", "", "zero\u200bwidth",
    "signi\ufb01cant", "\uff2b\uff25\uff34\uff21\uff2d\uff29\uff2e\uff25", "caf\u00e9 na\u00efve",
])
@pytest.mark.parametrize("entities", [False, True])
def test_fast_path_only_where_no_break_is_found(segment: str, entities: bool) -> None:
    pattern = _ENTITY_BREAK if entities else _PLAIN_BREAK
    if _is_plain_run(segment, entities):
        assert pattern.search(segment) is None


@pytest.mark.parametrize("source", ["Plain words here.", "Spaced  out\ttext\u00a0and&nbsp;more", " edge ",
                                    "e\ufb00ects, signi\ufb01cant \uff2b\uff25\uff34 caf\u00e9"])
def test_built_text_is_the_same_with_and_without_the_fast_path(source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def build() -> tuple[str, list[tuple[int, int]]]:
        builder = TextBuilder(source)
        builder.block()
        builder.text(0, len(source), entities=True)
        built = builder.finish()
        return built.text, [(i, built.offsets.to_source(i)) for i in range(len(built.text))]

    fast = build()
    monkeypatch.setattr("claimaudit.ingest.builder._is_plain_run", lambda segment, entities: False)
    assert build() == fast
