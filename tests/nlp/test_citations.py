"""The reference-list lines found from the first heading on are those of a line-by-line read."""

from __future__ import annotations

import random

from claimaudit.nlp.citations import _lines, listed_lines, reference_lines

_LINES = (
    "References", "## Sources:", "  # sources and references  ", "Bibliography", "WORKS CITED :", "Further reading",
    "Literature\r", "\u2028Citations", "References here", "[1] Doe J. Pills and potions. Journal of Tests, 2019.",
    "[2]  Roe A (2020) doi:10.1/xyz", "[3] nothing alike", "[45]\tPMID 12345678", "4. Moe B. et al. Trial. 2021.",
    "5) Another entry", "[6]", "[7]x 2019", "Next section", "A longer paragraph that goes on and on about things.",
    "Short heading", "Heading with 2020", "", "   ", "\t[8] Poe C. Study. 2018.", "- [9] Listed 2017", "[1000] 2019",
)


def _texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        lines = [rng.choice(_LINES) for _ in range(rng.randint(0, 14))]
        texts.append(rng.choice(("", "\n", "  ")) + "\n".join(lines) + rng.choice(("", "\n", " \n")))
    return texts


def test_reference_lines_are_those_of_a_line_by_line_read() -> None:
    found = 0
    for text in _texts(3000, 3) + ["[1] Doe 2019\nReferences\n[2] Roe 2020", "No list at all.\nNone here."]:
        expected = listed_lines(_lines(text))
        assert reference_lines(text) == expected, text
        found += len(expected)
    assert found > 3000
