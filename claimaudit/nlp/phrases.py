"""Compile the phrase syntax of `patterns/*.yaml` into spaCy Matcher token patterns.

Syntax: words separated by spaces; `a|b` is a choice at one position; a word ending in `*`
matches any token starting with it. A word the tokenizer splits ("fda-approved", "n't") is
expanded into its tokens, so patterns always agree with the tokenizer.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from claimaudit.nlp.analysis_cache import compiled
from claimaudit.nlp.scan import LiteralStarts, lower_text, page_literal_positions
from claimaudit.nlp.spans import CharIndex

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

TokenSpec = dict[str, object]


def compile_phrase(phrase: str, tokenize: Callable[[str], list[str]]) -> list[list[TokenSpec]]:
    """All token patterns one phrase stands for."""
    slots: list[list[list[TokenSpec]]] = []
    for word in phrase.lower().split():
        slots.append(_slot_alternatives(word, tokenize))
    patterns = []
    for combination in itertools.product(*slots):
        pattern: list[TokenSpec] = [spec for part in combination for spec in part]
        patterns.append(pattern)
    return patterns


def _slot_alternatives(word: str, tokenize: Callable[[str], list[str]]) -> list[list[TokenSpec]]:
    single: list[str] = []
    multi: list[list[TokenSpec]] = []
    for choice in word.split("|"):
        if choice.endswith("*") and len(choice) > 1:
            multi.append([{"LOWER": {"REGEX": "^" + _regex_escape(choice[:-1])}}])
            continue
        tokens = tokenize(choice)
        if len(tokens) == 1:
            single.append(tokens[0])
        elif tokens:
            multi.append([{"LOWER": token} for token in tokens])
    alternatives = list(multi)
    if single:
        alternatives.append([{"LOWER": {"IN": single}}] if len(single) > 1 else [{"LOWER": single[0]}])
    return alternatives


def _regex_escape(text: str) -> str:
    import re

    return re.escape(text)


def compile_phrases(phrases: Iterable[str], tokenize: Callable[[str], list[str]]) -> list[list[TokenSpec]]:
    for phrase in phrases:
        if not isinstance(phrase, str):
            raise ValueError(f"pattern phrase {phrase!r} is not a string (quote it in the YAML file)")
    return [pattern for phrase in phrases for pattern in compile_phrase(phrase, tokenize)]


def phrase_regex(phrase: str) -> str:
    """The regular expression one phrase stands for (case-insensitive, word-bounded)."""
    words = []
    for word in phrase.lower().split():
        choices = []
        for choice in word.split("|"):
            prefix = choice.endswith("*") and len(choice) > 1
            body = choice[:-1] if prefix else choice
            escaped = re.escape(body).replace("\\-", "\\s*[-\u2010\u2011]\\s*").replace("'", "['\u2019]")
            choices.append(escaped + (r"[\w\-]*" if prefix else ""))
        words.append("(?:" + "|".join(choices) + ")")
    return r"(?<![\w])" + r"\s+".join(words) + r"(?![\w])"


def compile_regex(phrases: Iterable[str]) -> "re.Pattern[str]":
    """One alternation for a list of phrases, longest first."""
    items = []
    for phrase in phrases:
        if not isinstance(phrase, str):
            raise ValueError(f"pattern phrase {phrase!r} is not a string (quote it in the YAML file)")
        items.append(phrase)
    items.sort(key=len, reverse=True)
    return compiled("|".join(phrase_regex(p) for p in items), re.IGNORECASE)


def expand_phrase(phrase: str) -> list[str]:
    """Plain phrases (no `|`) one phrase stands for; prefix words (`*`) are kept as they are."""
    slots = [word.split("|") for word in phrase.lower().split()]
    return [" ".join(choice) for choice in itertools.product(*slots)]


class PhraseIndex:
    """Fast matching of the phrase syntax: a spaCy PhraseMatcher for plain phrases, and a small
    regular expression only for phrases with prefix words (`rewir*`)."""

    def __init__(self, nlp: "Language", phrases_by_label: Mapping[str, Iterable[str]]) -> None:
        from spacy.matcher import PhraseMatcher

        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.regexes: list[tuple[str, LiteralStarts]] = []
        for label, phrases in phrases_by_label.items():
            plain: list[str] = []
            prefixed: list[str] = []
            for phrase in phrases:
                if not isinstance(phrase, str):
                    raise ValueError(f"pattern phrase {phrase!r} is not a string (quote it in the YAML file)")
                for expanded in expand_phrase(phrase):
                    (prefixed if "*" in expanded else plain).append(expanded)
            if plain:
                self.matcher.add(label, list(nlp.tokenizer.pipe(plain)))  # type: ignore[union-attr]
            if prefixed:
                self.regexes.append((label, LiteralStarts(compile_regex(prefixed))))
        # every regex's start literals (None when one has none: it scans the text), looked up
        # in the page pass at once: most pages hold none of them, and no regex needs trying
        starts = [pattern.prefixes for _, pattern in self.regexes]
        self.prefixes: tuple[str, ...] | None = (
            tuple(sorted({prefix for found in starts for prefix in found or ()})) if starts and None not in starts else None
        )

    def matches(self, doc: "Doc", text: str) -> list[tuple[str, int, int, bool]]:
        """(label, start, end, is_char_offsets) for every match."""
        strings = doc.vocab.strings
        return [(strings[label], start, end, is_char) for label, start, end, is_char in self.label_matches(doc, text)]

    def label_matches(self, doc: "Doc", text: str) -> list[tuple[int, int, int, bool]]:
        """`matches` with the label as its hash in the vocab's strings (Span takes it as it is)."""
        found: list[tuple[int, int, int, bool]] = [(match_id, start, end, False) for match_id, start, end in self.matcher(doc)]
        found.extend((label_id, start, end, True) for label_id, start, end in self.regex_matches(doc, text))
        return found

    def spans(self, doc: "Doc", text: str) -> list["Span"]:
        """A span labelled with its label for every match, in the order of `label_matches`
        (a regex match widened to whole tokens; the matcher makes its spans itself)."""
        found: list[Span] = self.matcher(doc, as_spans=True)
        chars = CharIndex.of(doc)
        for label_id, start, end in self.regex_matches(doc, text):
            span = chars.span(start, end, label=label_id)
            if span is not None:
                found.append(span)
        return found

    def regex_matches(self, doc: "Doc", text: str) -> list[tuple[int, int, int]]:
        """(label hash, start, end) of the matches of the prefix-word phrases, in characters."""
        if not self.regexes:
            return []
        lowered = lower_text(doc)
        if lowered is not None and self.prefixes is not None and not page_literal_positions(lowered, self.prefixes):
            return []  # no regex's start literal in the page: none matches (`LiteralStarts`)
        found: list[tuple[int, int, int]] = []
        for label, pattern in self.regexes:
            spans = [m.span() for m in pattern.finditer(text, lowered)]
            if spans:
                label_id = doc.vocab.strings.add(label)
                found.extend((label_id, start, end) for start, end in spans)
        return found
