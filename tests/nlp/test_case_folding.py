"""Words written with the Turkish letters "İ" and "ı" (or the long s "ſ") read as their ASCII
letters: the terms, cues and context components match them (LOWER is `prefilter.fold`), the
rules' case-insensitive patterns already did, and every offset stays on the original text."""

from __future__ import annotations

import random
import re
import sys

import pytest

from claimaudit.nlp.prefilter import ODD_CHARACTERS, fold, folded

PAGE = (
    "Our clinic offers ketamine infusions for anxiety and depression. Ketamine is FDA-approved for "
    "anxiety and has no side effects. Studies show esketamine cures depression within minutes, "
    "and over 90% of our patients feel better after one ketamine session."
)
TERMS = "Esketamine (Spravato) and ketamine infusions for treatment-resistant depression: studies show it works."


def _dotted(text: str) -> str:
    """Substance names with a dotted capital I: "ketamİne" (a Turkish keyboard or locale)."""
    return re.sub(r"(?i)(?<=ketam)i(?=ne)", "\u0130", text)


def _dotless(text: str) -> str:
    """Every "i" as the dotless "ı", as a Turkish locale lower-cases "I"."""
    return text.replace("i", "\u0131")


def _upper_turkish(text: str) -> str:
    """Upper case as in a Turkish locale: "i" becomes "İ"."""
    return text.replace("i", "\u0130").upper()


def _plain(text: str) -> str:
    return text.translate(str.maketrans({"\u0130": "i", "\u0131": "i"}))


def _groups(doc) -> dict[str, list[tuple[int, int, str, str]]]:  # type: ignore[no-untyped-def]
    return {key: [(s.start_char, s.end_char, s.label_, s.kb_id_) for s in doc.spans[key]] for key in doc.spans}


@pytest.mark.parametrize("variant", [_dotted, _dotless, _upper_turkish])
def test_terms_cues_and_context_match_the_turkish_letters(nlp, variant) -> None:  # type: ignore[no-untyped-def]
    written = variant(TERMS)
    assert written != TERMS and len(written) == len(TERMS)
    plain, turkish = _groups(nlp(TERMS)), _groups(nlp(written))
    assert plain["terms"] and plain["cues"]
    assert turkish == plain
    substances = [(s.kb_id_, s.text) for s in nlp(written).spans["terms"] if s.label_ == "substance"]
    assert [entity for entity, _ in substances] == ["esketamine", "esketamine", "ketamine"]
    assert all(text == written[written.index(text):][: len(text)] for _, text in substances)


def test_an_abbreviation_typed_with_a_dotted_capital_i_is_recognised(nlp) -> None:  # type: ignore[no-untyped-def]
    plain = "An SSRI or an MAOI with ketamine? Not for PTSD."
    turkish = plain.replace("I", "\u0130")
    assert _groups(nlp(turkish))["terms"] == _groups(nlp(plain))["terms"]
    assert {s.kb_id_ for s in nlp(plain).spans["terms"]} >= {"ssris", "maois", "ketamine", "ptsd"}
    assert not [s for s in nlp("An ssrİ or an maoİ.").spans["terms"]]  # abbreviations stay case-sensitive


def _findings(result):  # type: ignore[no-untyped-def]
    return [(f.code, f.severity, f.span, _plain(f.text), _plain(f.message), _plain(f.suggestion or ""),
             tuple(e.id for e in f.evidence), f.claim_id) for f in result.findings]


def _claims(result):  # type: ignore[no-untyped-def]
    return [(c.id, c.span, c.norm_start, c.norm_end, c.kinds, c.certainty, _plain(c.text), c.topic_substance,
             c.topic_indication) for c in result.claims]


@pytest.mark.parametrize("variant", [_dotted, _dotless])
def test_a_turkish_substance_name_is_audited_like_the_plain_one(audit, variant) -> None:  # type: ignore[no-untyped-def]
    written = variant(PAGE)
    plain, turkish = audit(PAGE), audit(written)
    assert {f.code for f in plain.findings} >= {"REG001", "SAFE001", "EVI001"}
    assert _findings(turkish) == _findings(plain)
    assert _claims(turkish) == _claims(plain)
    for finding in turkish.findings:  # spans on the original text: the claim as the author wrote it
        assert written[finding.span.start:finding.span.end] == finding.text


def test_triggers_after_a_dotless_i_are_exact(audit) -> None:  # type: ignore[no-untyped-def]
    written = _dotless(PAGE)
    plain, turkish = audit(PAGE), audit(written)
    assert [f.trigger for f in turkish.findings] == [f.trigger for f in plain.findings]
    assert [_plain(f.trigger_text) for f in turkish.findings] == [f.trigger_text for f in plain.findings]


def test_triggers_after_a_dotted_capital_i_are_exact(audit) -> None:  # type: ignore[no-untyped-def]
    written = _dotted(PAGE)
    plain, turkish = audit(PAGE), audit(written)
    assert [f.trigger for f in turkish.findings] == [f.trigger for f in plain.findings]


def test_the_ordinary_path_is_unchanged(nlp) -> None:  # type: ignore[no-untyped-def]
    """Without the odd characters the fold is `str.lower`, and so is every token's LOWER."""
    assert fold(PAGE) == PAGE.lower() and folded(TERMS) == TERMS.lower()
    for text in (PAGE, TERMS, "Ünïcode ÀÉÎ ΣΑΣ Straße café"):
        assert [token.lower_ for token in nlp(text)] == [token.text.lower() for token in nlp(text)]
    assert [token.lower_ for token in nlp("KETAM\u0130NE")] == ["ketamine"]


def _all_characters() -> list[str]:
    return [chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code <= 0xDFFF]


def test_fold_keeps_every_offset() -> None:
    """`fold` maps each character to one character, so a position in the folded text is the same
    position in the original (rules find a needle in the fold and slice the original there)."""
    for char in _all_characters():
        assert len(fold(char)) == 1, hex(ord(char))
    rng = random.Random(5)
    pieces = [*ODD_CHARACTERS, "a", "I", "i", "K", "s", " ", "Σ", "ς", "ß", "ẞ", "\u0307", "ketamine", "KETAMİNE"]
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 20)))
        assert len(fold(text)) == len(text) == len(folded(text)), text
    text = "Ketamİne: İNFUSİON ſafety, \u212aETAMINE."
    for word in ("ketamine", "infusion", "safety"):
        at = fold(text).index(word)
        assert re.fullmatch(word, text[at:at + len(word)], re.IGNORECASE)


def test_fold_makes_an_ascii_letter_exactly_where_ignorecase_matches_one() -> None:
    """A case-insensitive ASCII match in the text is a substring match at the same offsets of the fold."""
    letter = re.compile("[a-z]", re.IGNORECASE)
    for char in _all_characters():
        folded_char = fold(char)
        is_letter = folded_char.isascii() and folded_char.isalpha()
        assert bool(letter.fullmatch(char)) == is_letter, hex(ord(char))
        if is_letter:
            assert re.fullmatch(folded_char, char, re.IGNORECASE)
