"""No silent pass: what in a document the auditor could not judge.

A claim about a condition or substance the knowledge base does not cover, or about a covered
condition the base has no evidence grade for with that substance, cannot be judged by the
EVI, CITE, DUR and STAT rules: it would pass without a word. A document in another language
cannot be read at all. Each is reported as a notice (not a finding about the text):

- COV001 indication-not-covered: the claim names a condition the base does not record, or one
  it records with no evidence grade for the claim's substance;
- COV002 substance-not-covered: a benefit claim about a substance the base does not record;
- COV003 language-not-supported: the document is not in English (its claims are not judged).

Vocabulary and stopword lists: `claimaudit/nlp/patterns/coverage.yaml`.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from claimaudit.claims.model import Claim, ClaimKind
from claimaudit.claims.positions import Occurrences
from claimaudit.nlp.prefilter import fold
from claimaudit.nlp.prefilter import needles
from claimaudit.nlp.analysis_cache import compiled

if TYPE_CHECKING:
    from claimaudit.claims.anchored import Haystack
    from claimaudit.ingest.source import NormalizedDocument
    from claimaudit.knowledge_base.lookup import KnowledgeLookup

CODES: dict[str, tuple[str, str]] = {
    "COV001": ("indication-not-covered", "A claim about a condition the knowledge base cannot judge"),
    "COV002": ("substance-not-covered", "A benefit claim about a substance the knowledge base does not record"),
    "COV003": ("language-not-supported", "The document is not in English; its claims are not judged"),
}
EXPLAINED: dict[str, str] = {
    "COV001": (
        "Reported when a benefit claim (efficacy, statistic, onset, durability) names a condition of\n"
        "the general vocabulary (patterns/coverage.yaml) that the knowledge base does not recognise,\n"
        "or a condition it records with no evidence grade for the claim's substance. EVI, STAT, DUR\n"
        "and CITE could not judge the claim. Add the condition (and a graded assessment) to the\n"
        "knowledge base, or review the claim by hand."
    ),
    "COV002": (
        "Reported when a sentence with a benefit word names a substance of the vocabulary\n"
        "(psilocybin, MDMA, ...) and no substance the knowledge base knows. Nothing about it was\n"
        "checked."
    ),
    "COV003": (
        "Reported when a document of 40 or more words is not English: common English function\n"
        "words are under 12% of its words and another language's share is higher. No rule runs on it."
    ),
}
# Benefit claims: the ones EVI, STAT, DUR and CITE judge against evidence records (a safety
# sentence naming a condition is usually a contraindication, which SAFE/DISC read).
_JUDGED_KINDS = frozenset({ClaimKind.EFFICACY, ClaimKind.STATISTIC, ClaimKind.ONSET, ClaimKind.DURABILITY})
_JUDGED = tuple(_JUDGED_KINDS)  # a tuple: membership by identity, no enum hashing
_WORD = compiled(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")


@dataclass(frozen=True, slots=True)
class Unjudged:
    """One thing the auditor did not judge, where it was first met (a claim's span)."""

    code: str
    kind: str  # indication | substance | language
    name: str
    start: int
    end: int
    line: int
    column: int
    message: str


@cache
def _patterns() -> dict[str, Any]:
    from claimaudit.rules._helpers import load_patterns

    return load_patterns("coverage")


@cache
def _regex(key: str) -> re.Pattern[str]:
    from claimaudit.rules._helpers import compile_phrases

    return compile_phrases(str(p) for p in _patterns().get(key, []))


@cache
def _conditions() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(reported name, regex of its phrases) per condition of the vocabulary."""
    from claimaudit.rules._helpers import compile_phrases

    table = _patterns().get("conditions", {}) or {}
    return tuple((str(name), compile_phrases(str(p) for p in phrases)) for name, phrases in table.items())


@cache
def _condition_needles() -> tuple[re.Pattern[str] | None, tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Per condition, literals one of which each of its matches contains (folded; () when
    unknown), all of them, and one regex finding any of them (None when a condition has none)."""
    per_condition = tuple(tuple(needles(pattern) or ()) for _name, pattern in _conditions())
    every = tuple(sorted({n for found in per_condition for n in found}, key=len, reverse=True))
    if not per_condition or not all(per_condition):
        return None, every, per_condition
    from claimaudit.nlp.literal_trie import literal_gate

    return literal_gate(every), every, per_condition  # a trie: each character tried once per position


@cache
def _by_needle() -> tuple[dict[str, tuple[int, ...]], tuple[int, ...]]:
    """Which conditions each literal belongs to, and the conditions without literals."""
    _gate, _every, per_condition = _condition_needles()
    table: dict[str, list[int]] = {}
    for index, found in enumerate(per_condition):
        for needle in found:
            table.setdefault(needle, []).append(index)
    return {n: tuple(i) for n, i in table.items()}, tuple(i for i, found in enumerate(per_condition) if not found)


def _candidates(present: set[str]) -> list[int]:
    """The conditions (indices, in order) that can match a text holding the literals `present`:
    those with one of their literals in it, and those with none known."""
    table, always = _by_needle()
    found = set(always)
    for needle in present:
        found.update(table[needle])
    return sorted(found)


@cache
def _substance_needles() -> tuple[str, ...]:
    """Literals one of which every match of the substance vocabulary contains (folded)."""
    return tuple(needles(_regex("substances")) or ())


@cache
def _stopwords() -> dict[str, frozenset[str]]:
    config = _patterns().get("language", {})
    return {name: frozenset(str(w).lower() for w in ws) for name, ws in config.get("stopwords", {}).items()}


def detect_language(text: str) -> tuple[str, float]:
    """The language whose common function words make up the largest share of the text's words,
    with that share; ("English", share) when the text is too short to tell."""
    config = _patterns().get("language", {})
    min_words, english_min = int(config.get("min_words", 40)), float(config.get("english_min", 0.12))
    quick = _english_share(text)  # most pages: English, told without counting every word
    if quick is not None and (quick[1] < min_words or quick[0] >= english_min):
        return "English", quick[0]
    counts: Counter[Any]  # words, as str or (`_ascii_word_counts`) as bytes
    lists: dict[str, frozenset[str]] | dict[str, frozenset[bytes]]
    counted = _ascii_word_counts(text)
    if counted is not None:
        counts, total = counted
        lists = _stopword_bytes()
    else:
        words = lower_words(text)
        total = len(words)
        counts = Counter(words)
        lists = _stopwords()

    def share(stopwords: frozenset[Any]) -> float:
        return sum(map(counts.__getitem__, counts.keys() & stopwords)) / total

    english = share(lists["English"]) if total and "English" in lists else 0.0
    if total < min_words or english >= english_min:
        return "English", english
    shares = {name: share(ws) for name, ws in lists.items()} if total else {}
    best = max(shares, key=lambda name: shares[name])
    return best, shares[best]


_ASCII_WORD = compiled(r"[a-z]+(?:['\u2019][a-z]+)?")  # `_WORD` in lower-cased text whose letters are ASCII
_ASCII_RUN = compiled(r"[\x00-\x7f]+")
# `_ASCII_WORD` over ASCII bytes in which "\x01" stands for "\u2019", and the translation that
# turns every byte but a-z and the two apostrophes into a space
_ASCII_WORD_BYTES = re.compile(rb"[a-z]+(?:['\x01][a-z]+)?")
_WORD_BYTE_TABLE = bytes(b if 97 <= b <= 122 or b in (39, 1) else 32 for b in range(256))


@cache
def _stopword_bytes() -> dict[str, frozenset[bytes]]:
    """`_stopwords` spelt as `_ascii_word_counts` spells words ("\u2019" as "\x01"; UTF-8)."""
    return {
        name: frozenset(w.replace("\u2019", "\x01").encode("utf-8") for w in ws) for name, ws in _stopwords().items()
    }


def _ascii_word_counts(text: str) -> tuple["Counter[bytes]", int] | None:
    """The counts of `lower_words(text)` (spelt as in `_stopword_bytes`; a count may be 0) and
    their number, found with bytes operations; None unless every word character of `text` is
    ASCII (`lower_words`'s first case), or when it holds "\x01" (see `_ascii_runs`)."""
    found = _ascii_runs(text)
    if found is None:
        return None
    runs, spaced, with_apostrophe = found
    counts, total = Counter(runs), len(runs)
    for start, end in with_apostrophe.items():
        words = _ASCII_WORD_BYTES.findall(spaced, start, end)
        counts[spaced[start:end]] -= 1
        counts.update(words)
        total += len(words) - 1
    return counts, total


def _english_share(text: str) -> tuple[float, int] | None:
    """`detect_language`'s English share and word count, as its counts would give them, without
    counting each word (None where `_ascii_word_counts` is None)."""
    found = _ascii_runs(text)
    if found is None:
        return None
    runs, spaced, with_apostrophe = found
    stopwords = _stopword_bytes().get("English")
    listed = stopwords.__contains__ if stopwords is not None else None
    total = len(runs)
    count = sum(map(listed, runs)) if listed is not None else 0
    for start, end in with_apostrophe.items():  # such a run counts as its words
        words = _ASCII_WORD_BYTES.findall(spaced, start, end)
        total += len(words) - 1
        if listed is not None:
            count += sum(map(listed, words)) - listed(spaced[start:end])
    return (count / total if total and listed is not None else 0.0), total


def _ascii_runs(text: str) -> tuple[list[bytes], bytes, dict[int, int]] | None:
    """The runs of `text`'s words, the bytes they were split from, and where each run holding
    an apostrophe starts and ends; None unless every word character of `text` is ASCII, or when
    it holds "\x01".

    Lower-cased, with "\u2019" as "\x01" and any other non-ASCII character as "?", every byte
    but a-z and the apostrophes becomes a space: each run of the rest is one word, unless it
    holds an apostrophe (that run's words are then `_ASCII_WORD_BYTES`'s in it alone: no match
    spans a space)."""
    if "\x01" in text:
        return None
    lowered = text.lower()
    if not text.isascii():
        if any(map(str.isalnum, _ASCII_RUN.sub("", text))):
            return None  # a non-ASCII word character: `lower_words` reads it
        lowered = lowered.replace("\u2019", "\x01")
    spaced = lowered.encode("ascii", "replace").translate(_WORD_BYTE_TABLE)
    runs = spaced.split()
    with_apostrophe: dict[int, int] = {}  # start -> end of each run holding one
    for apostrophe in (b"'", b"\x01"):
        at = spaced.find(apostrophe)
        while at >= 0:
            end = spaced.find(b" ", at)
            end = len(spaced) if end < 0 else end
            with_apostrophe[spaced.rfind(b" ", 0, at) + 1] = end
            at = spaced.find(apostrophe, end)
    return runs, spaced, with_apostrophe


def lower_words(text: str) -> list[str]:
    """`[w.lower() for w in _WORD.findall(text)]`. The text is lower-cased first when that
    changes no word: lower-casing keeps every other character's length and class (a test
    checks every code point), but "İ" becomes two characters and "Σ" depends on its
    neighbours."""
    if text.isascii() or not any(map(str.isalnum, _ASCII_RUN.sub("", text))):
        # every word character (`str.isalnum` or "_") is ASCII; lower-casing gives no other
        # character a letter's class
        return _ASCII_WORD.findall(text.lower())
    if "\u0130" in text or "\u03a3" in text:
        words = _WORD.findall(text)
        # every word lower-cased in one call: a word holds no newline, and lower-casing
        # never depends on what lies beyond one (so each piece is that word's `lower()`)
        return "\n".join(words).lower().split("\n") if words else []
    return _WORD.findall(text.lower())


def language_notice(text: str) -> Unjudged | None:
    """COV003 for a document that is not in English."""
    language, share = detect_language(text)
    if language == "English":
        return None
    return Unjudged(
        "COV003", "language", language, 0, 0, 1, 1,
        f"the document looks {language} ({share:.0%} of its words are common {language} words); "
        "claimaudit judges English text only, so none of its claims were judged",
    )


def unjudged_claims(
    claims: Sequence[Claim], lookup: "KnowledgeLookup", haystack: "Haystack | None" = None
) -> tuple[Unjudged, ...]:
    """COV001/COV002 notices, one per distinct unknown name, at its first claim. `haystack`:
    the page's, when it found the conditions' literals (`page_literals`)."""
    found: dict[tuple[str, str], Unjudged] = {}
    literals: _ConditionLiterals | None = None
    for claim in claims:
        if not any(kind in _JUDGED for kind in claim.kinds):
            continue
        if literals is None and haystack is not None and haystack.universe.issuperset(_condition_needles()[1]):
            literals = _ConditionLiterals(haystack)
        for code, kind, name, why in _claim_gaps(claim, lookup, literals):
            found.setdefault((code, name.lower()), _notice(code, kind, name, why, claim))
    return tuple(found.values())


def page_literals() -> tuple[str, ...]:
    """The literals coverage looks for in a page (its substance and condition vocabularies'):
    a page haystack that found them (`facts.page_haystack`) serves its notices."""
    return tuple(dict.fromkeys((*_substance_needles(), *_condition_needles()[1])))


class _ConditionLiterals:
    """Where the conditions' literals (`_condition_needles`) occur in a page, read from its
    haystack's single pass (folding keeps offsets: an ASCII literal occurs in a piece of the
    text exactly where it occurs inside that piece of the folded whole)."""

    __slots__ = ("text", "starts", "ends", "literals")

    def __init__(self, haystack: "Haystack") -> None:
        self.text = haystack.text
        found = sorted(
            (at, at + len(literal), literal)
            for literal in _condition_needles()[1]
            if literal in haystack.present
            for at in haystack.offsets(literal)
        )
        self.starts = [start for start, _end, _literal in found]
        self.ends = [end for _start, end, _literal in found]
        self.literals = [literal for _start, _end, literal in found]

    def within(self, claim: Claim) -> set[str] | None:
        """The literals inside the claim's text, or None when its text is not the page's
        between its offsets."""
        start, end = claim.norm_start, claim.norm_end
        if self.text[start:end] != claim.text:
            return None
        low = bisect.bisect_left(self.starts, start)
        high = bisect.bisect_left(self.starts, end, low)
        ends, literals = self.ends, self.literals
        return {literals[i] for i in range(low, high) if ends[i] <= end}


def _claim_gaps(
    claim: Claim, lookup: "KnowledgeLookup", literals: "_ConditionLiterals | None" = None
) -> Iterable[tuple[str, str, str, str]]:
    present = literals.within(claim) if literals is not None else None
    for name in unrecorded_conditions(claim) if present is None else _unrecorded(claim, present):
        yield "COV001", "indication", name, "a condition the knowledge base has no record of"
    focus = [s for s in claim.subject_substances if (r := lookup.substance(s)) is not None and r.focus]
    if ClaimKind.EFFICACY in claim.kinds or ClaimKind.STATISTIC in claim.kinds:
        for substance in focus[:1]:
            for indication in claim.indications:
                if lookup.assessment_for(substance, indication) is None:
                    record = lookup.indication(indication)
                    label = record.name if record else indication
                    yield ("COV001", "indication", label,
                           f"the knowledge base has no evidence grade for {substance} in it")


def unrecorded_conditions(claim: Claim) -> tuple[str, ...]:
    """Conditions of the general vocabulary the claim names that the knowledge base did not
    recognise in it (reported names, e.g. "migraine")."""
    gate, every, _per_condition = _condition_needles()
    folded = fold(claim.text)
    if gate is not None and gate.search(folded) is None:
        return ()  # no condition's literal: no condition can match
    return _unrecorded(claim, {n for n in every if n in folded})


def _unrecorded(claim: Claim, present: set[str]) -> tuple[str, ...]:
    """`unrecorded_conditions`, given the conditions' literals that occur in the claim's text."""
    if not present and _condition_needles()[0] is not None:
        return ()  # no condition's literal: no condition can match
    text = claim.text
    conditions = _conditions()
    known: str | None = None  # the claim's indication mentions, read at its first match (few claims have one)
    names = []
    for index in _candidates(present):
        name, pattern = conditions[index]
        match = pattern.search(text)
        if match:
            if known is None:
                known = " ".join(m.text.lower() for m in claim.mentions if m.kind == "indication")
            if match.group(0).lower() not in known:
                names.append(name)
    return tuple(names)


def _notice(code: str, kind: str, name: str, why: str, claim: Claim) -> Unjudged:
    span = claim.span
    message = (f"not judged: '{name}' is {why}; claims about it were not checked against evidence"
               if kind == "substance" or "no record" in why
               else f"not judged: claims about {name} were not checked against evidence ({why})")
    return Unjudged(code, kind, name, span.start, span.end, span.line, span.column, message)


def unknown_substance_sentences(
    document: "NormalizedDocument", lookup: "KnowledgeLookup", haystack: "Haystack | None" = None
) -> tuple[Unjudged, ...]:
    """COV002 for benefit sentences about a substance the base does not record. The claim
    reader only builds claims around known substances, so these sentences are found here:
    a vocabulary substance, a benefit word, and no substance the base knows. `haystack`: the
    page's, when it found the vocabulary's literals (`page_literals`)."""
    text = document.text
    literals = _substance_needles()
    occurrences = None
    if literals and haystack is not None and haystack.text is text and haystack.universe.issuperset(literals):
        if haystack.present.isdisjoint(literals):
            return ()  # no sentence can name a vocabulary substance
        occurrences = Occurrences(haystack.folded, literals, haystack)
    elif literals:
        folded = fold(text)
        if not any(n in folded for n in literals):
            return ()  # no sentence can name a vocabulary substance
        occurrences = Occurrences(folded, literals)  # folding keeps offsets
    found: dict[str, Unjudged] = {}
    for sentence in _SENTENCE.finditer(text):
        if occurrences is not None and not occurrences.any_within(sentence.start(), sentence.end()):
            continue  # every match of the vocabulary holds one of its literals
        words = sentence.group(0)
        match = _regex("substances").search(words)
        if match is None or not _regex("benefit_words").search(words) or _names_known_substance(words, lookup):
            continue
        name = match.group(0)
        span = document.offsets.span(sentence.start(), sentence.end())
        found.setdefault(name.lower(), Unjudged(
            "COV002", "substance", name, span.start, span.end, span.line, span.column,
            f"not judged: '{name}' is a substance the knowledge base has no record of; "
            "claims about it were not checked against evidence",
        ))
    return tuple(found.values())


_SENTENCE = compiled(r"[^.!?\n]+[.!?]?")


def _names_known_substance(text: str, lookup: "KnowledgeLookup") -> bool:
    lowered = text.lower()
    return any(name in lowered for name in _known_names(lookup))


@lru_cache(maxsize=4)
def _known_names(lookup: "KnowledgeLookup") -> tuple[str, ...]:
    """Every name of every substance of the base longer than three characters, lower-cased, in
    the base's order."""
    return tuple(
        name.lower() for substance in lookup.kb.substances.values() for name in substance.names() if len(name) > 3
    )


def coverage_notices(
    document: "NormalizedDocument", claims: Sequence[Claim], lookup: "KnowledgeLookup"
) -> tuple[Unjudged, ...]:
    """Everything not judged in one document: its language, else its uncovered claims."""
    language = language_notice(document.text)
    if language is not None:
        return (language,)
    from claimaudit.claims.facts import page_haystack

    haystack = page_haystack(document.text, page_literals())  # claim extraction's, when it built it last
    notices = {(u.code, u.name.lower()): u for u in unjudged_claims(claims, lookup, haystack)}
    for item in unknown_substance_sentences(document, lookup, haystack):
        notices.setdefault((item.code, item.name.lower()), item)
    return tuple(notices.values())
