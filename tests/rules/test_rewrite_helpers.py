"""The suggestion helpers: `tidy` and `table_rewrite` give what the plain step-by-step versions
give (every substitution, every rewrite entry tried)."""

from __future__ import annotations

import random
import re
from types import SimpleNamespace

from claimaudit.rules import _rewrite
from claimaudit.rules._rewrite import one_sentence_problems, table_rewrite, tidy

_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*$")


def _tidy_reference(text: str) -> str:
    text = " ".join(text.split())
    text = re.sub(r"\s+([,.;:!?)])", r"\1", text)
    text = re.sub(r"\(\s+", "(", text)
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    text = re.sub(r"[,;:]\s*([.!?])", r"\1", text)
    text = re.sub(r"\b([Aa]) (?=[aeioAEIO]|u(?!s|ni|ti|k))", r"\1n ", text)
    text = re.sub(r"\b([Aa])n (?=[b-df-gj-np-tv-zB-DF-GJ-NP-TV-Z])", r"\1 ", text)
    text = text.strip(" ,;:")
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    if text and not _END.search(text):
        text = text.rstrip(" .,;:") + "."
    return text


PIECES = [
    "a", "A", "an", "An", "apple", "use", "unit", "hour", "pear", "Effects", "ketamine", "(", ")", "[", "]",
    ",", ";", ":", ".", "!", "?", "..", "...", "\"", "'", "\u201d", "\u2019", "\u201c", "{x}", "None", "(s)",
    "Dr.", "e.g.", "Most", "people", "within hours", "for up to 2 weeks", "\u00e9t\u00e9", "1",
]
SEPARATORS = ["", " ", " ", "  ", "\n", "\t", "\u00a0", " ,", " ."]


def _texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return [
        rng.choice(["", " ", "\n"]) + "".join(rng.choice(PIECES) + rng.choice(SEPARATORS) for _ in range(rng.randint(0, 10)))
        for _ in range(count)
    ]


def test_tidy_is_the_reference() -> None:
    for text in ["", " ", "a apple , ; .", "an pear( x )", "Ends well.\u201d", "Ends well.\n", "x?)] "] + _texts(4, 8000):
        assert tidy(text) == _tidy_reference(text), repr(text)


def test_sentence_end_is_the_search() -> None:
    for text in ["", ".", "a.", "a.\u201d)", "a)", "a.x", "?'"] + [t.strip() for t in _texts(5, 3000)]:
        assert _rewrite._ends_sentence(text) == bool(_END.search(text)), repr(text)
        if text:
            ends = "does not end with a full stop, question or exclamation mark" not in one_sentence_problems(text)
            assert ends == bool(_END.search(text.strip())), repr(text)


def _table_rewrite_reference(claim, family, near=None, **values):  # type: ignore[no-untyped-def]
    from claimaudit.rules._helpers import plain

    text = plain(claim.text)
    edits: list[tuple[int, int, str]] = []
    for pattern, template in _rewrite._rewrite_table(family):
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end, _ in edits):
                continue
            try:
                replacement = match.expand(template.format(**values))
            except (KeyError, IndexError, re.error):
                break
            if match.start() == 0:
                replacement = replacement[:1].upper() + replacement[1:]
            edits.append((match.start(), match.end(), replacement))
            break
    if not edits:
        return None
    if near is not None and not any(start < near[1] and near[0] < end for start, end, _ in edits):
        return None
    result = claim.text
    for start, end, replacement in sorted(edits, reverse=True):
        result = result[:start] + replacement + result[end:]
    return _rewrite.sentence_or_none(_tidy_reference(result))


CLAIMS = [
    "Ketamine works within minutes for depression.",
    "Relief is instant and lasts forever.",
    "Our infusions are completely safe with no side effects.",
    "Ketamine is clinically proven to cure depression in most patients.",
    "Benefits last for up to a year after one infusion.",
    "Studies show it is 100% effective; Dr. Smith says so.",
    "It is non-addictive and has no risk of dependence.",
    "Research proves ketamine rewires the brain \\ permanently.",
    "Ketamine is not addictive, and it works immediately.",
]
VALUES = [
    {}, {"effects": "dissociation, nausea and raised blood pressure"}, {"onset": "within hours"},
    {"limit": "about 2 weeks"}, {"effects": "a \\1 b"}, {"onset": "\\g<what>"},
]


def test_table_rewrite_is_the_reference() -> None:
    families = ["safety", "onset", "duration", "efficacy", "authority", "source_certainty", "figures", "animal",
                "attribution"]
    for text in CLAIMS:
        claim = SimpleNamespace(text=text)
        for family in families:
            for values in VALUES:
                for near in (None, (0, 8), (10, 30)):
                    assert table_rewrite(claim, family, near, **values) == _table_rewrite_reference(
                        claim, family, near, **values), (text, family, values, near)  # type: ignore[arg-type]


def test_leftover_gate_opens_wherever_the_leftover_pattern_matches() -> None:
    """`_may_hold_leftovers` says no only where `_LEFTOVERS` finds nothing (on crafted texts
    and on random ones over the characters its alternatives name)."""
    crafted = ["a {b}", "x (s) y", "a\nb", "a  b", "a , b", "a;; b", "a.. b", "a... b", "!!!", "", " ",
               "None here", "is None.", "Nonesuch", "!!\n", "\u2003\u2003x", "a\u00a0,b", "Ketamine works."]
    rng = random.Random(12)
    alphabet = "aN one{}()s \n\t\u00a0,.;:!?-'x"
    texts = crafted + ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(3000)]
    for text in texts:
        if _rewrite._LEFTOVERS.search(text):
            assert _rewrite._may_hold_leftovers(text), text
