"""Small pure helpers shared by rule modules (add functions; never change existing behaviour)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cache, lru_cache
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import TYPE_CHECKING

from claimaudit.claims.model import Claim, Mention, QualifierKind
from claimaudit.findings.model import EvidenceRef, SourceSpan
from claimaudit.nlp import prefilter
from claimaudit.nlp.analysis_cache import cached, compiled
from claimaudit.nlp.literal_trie import occurrences
from claimaudit.nlp.resources import load_patterns as load_patterns  # the rules read their phrase lists here
from claimaudit.rules.base import per_claim, per_claim_in_context, per_text

if TYPE_CHECKING:
    from claimaudit.knowledge_base.model import Source
    from claimaudit.rules.base import RuleContext

# A negation word shortly before a position ("is not approved", "has never been approved",
# "isn't FDA-approved"): the cue at that position is denied, not asserted.
_LOCAL_NEGATION = compiled(
    r"\b(?:not|never|no|nor|neither|without|cannot|isn't|aren't|wasn't|hasn't|haven't|"
    r"doesn't|don't|won't|n't)\b[\w\s,'\u2019\-]{0,28}$",
    re.IGNORECASE,
)
_CLAUSE_BREAK = compiled(
    r"[;:.!?\u2014]|\bbut\b|\bwhile\b|\bwhereas\b|\bhowever\b"
    # a coordinated predicate starts afresh: "is not a narcotic and is not addictive"
    r"|\band\s+(?:is|are|was|it|it's|has|have|does|do|can|will|they)\b",
    re.IGNORECASE,
)


def compile_phrases(phrases: Iterable[str]) -> re.Pattern[str]:
    """One case-insensitive regex from plain phrases: spaces match any whitespace or hyphen,
    a trailing `*` on a word matches any ending, everything else is literal; word-bounded."""
    alternatives = []
    for phrase in phrases:
        words = []
        for word in re.split(r"[\s\-]+", phrase.strip()):
            if not word:
                continue
            prefix = word.endswith("*")
            body = re.escape(word.rstrip("*"))
            words.append(body + (r"[\w'\u2019\-]*" if prefix else ""))
        if words:
            alternatives.append(r"[\s\-]+".join(words))
    if not alternatives:
        return re.compile(r"(?!x)x")
    alternatives.sort(key=len, reverse=True)
    # compiled through the pattern cache: a fresh process skips re's compiler for known lists
    return compiled(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?![\w]|-\w)", re.IGNORECASE)


@cache
def family_regex(family: str, key: str) -> re.Pattern[str]:
    """The compiled regex of one phrase list in a family's pattern file."""
    phrases = load_patterns(family).get(key, [])
    if not isinstance(phrases, list):
        raise ValueError(f"claimaudit/nlp/patterns/{family}.yaml: {key!r} must be a list of phrases")
    return prefilter.fast(compile_phrases(str(p) for p in phrases))


def plain(text: str) -> str:
    """Typographic apostrophes and dashes made plain (same length as the input)."""
    return (
        text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-")
        .replace("\u2011", "-").replace("\u2010", "-")
    )


# the same plain text object for the same claim text: a rule that searches one claim many
# times then finds its folded form in the prefilter's cache instead of making it again
plain_text = lru_cache(maxsize=4096)(plain)


def negated_before(text: str, position: int) -> bool:
    """True when a negation word stands shortly before `position` in the same clause."""
    window = plain(text[max(0, position - 60) : position])
    breaks = list(_CLAUSE_BREAK.finditer(window))
    if breaks:
        window = window[breaks[-1].end() :]
    return bool(_LOCAL_NEGATION.search(window))


_MYTH_LABEL = compiled(
    r"^\W*(?:(?:myth|false|fiction|misconception|not true)\s*(?:#?\d+)?\s*[:\-\u2013\u2014]"
    r"|(?:it\s+is|it's|it\u2019s)\s+(?:a\s+)?(?:common\s+|popular\s+)?(?:myth|misconception)\s+that\b"
    r"|contrary\s+to\s+popular\s+belief)",
    re.I,
)


@per_claim
def is_rebutted(claim: Claim) -> bool:
    """The claim is quoted in order to reject it ("a common myth is that ...", "Myth: ...")."""
    return claim.has_qualifier(QualifierKind.REBUTTAL) or bool(
        _MYTH_LABEL.match(claim.text) or _MYTH_LABEL.match(claim.sentence_text or "")
    )


def is_hypothetical(claim: Claim) -> bool:
    return claim.has_qualifier(QualifierKind.HYPOTHETICAL)


def claim_cues(claim: Claim, *labels: str) -> tuple[Mention, ...]:
    """The claim's cue mentions with one of these labels, in text order."""
    wanted = set(labels)
    return tuple(sorted((c for c in claim.cues if c.entity_id in wanted), key=lambda c: c.start))


def relative(claim: Claim, norm_offset: int) -> int:
    """A normalized-text offset as an index into `claim.text` (clamped)."""
    return max(0, min(len(claim.text), norm_offset - claim.norm_start))


def mentions_of(claim: Claim, kind: str) -> tuple[Mention, ...]:
    return tuple(sorted((m for m in claim.mentions if m.kind == kind), key=lambda m: m.start))


def regulators_in_scope(claim: Claim, ctx: "RuleContext") -> tuple[str, ...]:
    """The regulators the claim names, else those of the configured jurisdictions plus any
    regulator the page names elsewhere (a German page's EMA)."""
    named = claim.regulators
    if named:
        return named
    configured = ctx.kb.regulators_for_jurisdictions(ctx.settings.jurisdictions)
    on_page = ctx.page_regulators()
    return tuple(dict.fromkeys((*configured, *on_page)))


def source_ref(record_id: str, label: str, sources: Sequence["Source"], note: str = "") -> EvidenceRef:
    """An EvidenceRef for a knowledge-base record, linked to its first source."""
    url = next((s.link for s in sources if s.link), "")
    return EvidenceRef(id=record_id, label=label, url=url, note=note)


def name_list(names: Sequence[str], limit: int = 5) -> str:
    """'a, b, c' or 'a, b, c, d, e and 3 more'."""
    shown = list(dict.fromkeys(n for n in names if n))
    if len(shown) <= limit:
        return ", ".join(shown)
    return ", ".join(shown[:limit]) + f" and {len(shown) - limit} more"


def substance_label(ctx: "RuleContext", substance_id: str) -> str:
    record = ctx.kb.substance(substance_id)
    return record.name if record else substance_id


def indication_label(ctx: "RuleContext", indication_id: str) -> str:
    record = ctx.kb.indication(indication_id)
    return record.name if record else indication_id.replace("_", " ")


def regulator_label(ctx: "RuleContext", regulator_id: str) -> str:
    record = ctx.kb.regulator(regulator_id)
    if record is None:
        return regulator_id.upper()
    short = [a for a in record.aliases if a.isupper() and len(a) <= 6]
    return short[0] if short else record.name


def focus_substances(ids: Iterable[str], ctx: "RuleContext") -> tuple[str, ...]:
    """The ids that name a focus substance of the domain (not a comparator)."""
    out = []
    for substance_id in ids:
        record = ctx.kb.substance(substance_id)
        if record is not None and record.focus:
            out.append(substance_id)
    return tuple(dict.fromkeys(out))


def document_title_span(ctx: "RuleContext") -> tuple[SourceSpan, str]:
    """The source span and text of the document's first non-empty block (its title line)."""
    document = ctx.document
    for block in document.blocks:
        text = document.text[block.start : block.end]
        if text.strip():
            lead = len(text) - len(text.lstrip())
            start, end = block.start + lead, block.start + len(text.rstrip())
            return document.offsets.span(start, end), document.text[start:end]
    text = document.text
    match = re.search(r"\S[^\n]*", text)
    if match is None:
        return document.offsets.span(0, 0), ""
    end = match.start() + len(match.group(0).rstrip())
    return document.offsets.span(match.start(), end), text[match.start() : end]


@cache
def regex_list(family: str, key: str) -> tuple[re.Pattern[str], ...]:
    """A list of raw regular expressions from a family's pattern file, compiled once."""
    raw = load_patterns(family).get(key, [])
    if not isinstance(raw, list):
        raise ValueError(f"claimaudit/nlp/patterns/{family}.yaml: {key!r} must be a list of regexes")
    return tuple(prefilter.fast(compiled(str(r), re.IGNORECASE)) for r in raw)


def looks_like_heading(claim: Claim) -> bool:
    """A short line without closing punctuation (a heading or label, not an assertion)."""
    text = claim.text.strip()
    return bool(text) and text[-1] not in ".!?;:)\"\u201d\u2019]" and len(text.split()) <= 14


def trigger_terms_negated(triggers: Iterable[Sequence[str]], text: str) -> bool:
    """True when a term of a knowledge-base trigger occurs in `text` right after a negation
    in its clause ("veterinary use was not its origin", "for depression, not for PTSD"):
    the text denies the record's statement rather than making it."""
    plain_text = plain(text)
    if _NEGATION_WORD.search(plain_text) is None:
        return False  # no negation word anywhere: no position of the text is negated
    haystack = prefilter.fold(plain_text)
    for trigger in triggers:
        for group in trigger:
            starts = _group_starts(group)
            if starts is not None and len(haystack) == len(text) and not any(
                _NEGATION_WORD.search(haystack, max(0, at - 60), at)
                for word in starts for at in occurrences(haystack, word)
            ):
                continue  # no phrase of the group can start shortly after a negation word
            pattern = _group_regex(group)
            if any(negated_before(text, m.start()) for m in pattern.finditer(text)):
                return True
    return False


# one of these is in every match of _LOCAL_NEGATION (same flags), so a text without any of them
# has no negated position (negated_before searches windows of the plain text)
_NEGATION_WORD = compiled(r"no|never|neither|without|n't", re.IGNORECASE)


@lru_cache(maxsize=1024)
def _group_starts(group: str) -> tuple[str, ...] | None:
    """How each match of _group_regex(group) starts, lower-cased (its phrase's first word, as
    compile_phrases spells it); None when a first word is not ASCII (no exact folding)."""
    firsts = set()
    for phrase in group.split("|"):
        first = next((w for w in re.split(r"[\s\-]+", phrase.strip()) if w), "").rstrip("*")
        if not first or not first.isascii():
            return None
        firsts.add(first.lower())
    return tuple(sorted(firsts))


@lru_cache(maxsize=1024)
def _group_regex(group: str) -> re.Pattern[str]:
    """compile_phrases of a trigger group ("a|b|c"), built once."""
    return compile_phrases(group.split("|"))


@cache
def _jurisdiction_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    table = load_patterns("regulatory").get("jurisdiction_words", {}) or {}
    if not isinstance(table, dict):
        raise ValueError("claimaudit/nlp/patterns/regulatory.yaml: 'jurisdiction_words' must map codes to phrase lists")
    # behind the prefilter: they are searched on whole pages, which name few places
    return tuple((str(code), prefilter.fast(compile_phrases(str(w) for w in words))) for code, words in table.items())


_Locator = tuple[re.Pattern[str], re.Pattern[str], tuple[tuple[str, re.Pattern[str]], ...]]


@cache
def _jurisdiction_locator() -> _Locator | None:
    """Case-sensitive patterns that find, in a folded text (`prefilter.fold`), every position
    where a place word may start (its first word, not after a word character): one matched at
    the text's start, one searched for a character other than [a-z0-9_] and the word after it
    (a pattern that starts with a character class: the regex engine skips the letters between
    in one loop instead of trying each position); with the bare place patterns to confirm
    each. None when a first word is not ASCII (no exact folding)."""
    firsts: set[str] = set()
    for _code, pattern in _jurisdiction_patterns():
        if not pattern.pattern.startswith("(?<!\\w)(?:"):
            return None
    table = load_patterns("regulatory").get("jurisdiction_words", {}) or {}
    for words in table.values():
        for word in words:
            first = next((w for w in re.split(r"[\s\-]+", str(word).strip()) if w), "").rstrip("*")
            if not first or not first.isascii():
                return None
            firsts.add(first.lower())
    if not firsts:
        return None
    # (a non-word character never folds to one of [a-z0-9_], so no true start is missed)
    words = "(?:" + "|".join(map(re.escape, sorted(firsts))) + ")"
    bare = tuple((code, getattr(pattern, "regex", pattern)) for code, pattern in _jurisdiction_patterns())
    return compiled(words), compiled("[^a-z0-9_]" + words), bare


@per_text
def jurisdictions_named(text: str) -> tuple[str, ...]:
    """Jurisdiction codes whose place words occur in `text` ("in the UK" -> UK)."""
    plain_text = plain(text)
    located = _jurisdiction_locator()
    if located is None:
        return tuple(code for code, pattern in _jurisdiction_patterns() if pattern.search(plain_text))
    # one scan of the page for where any place word may start, each confirmed by the patterns
    # themselves (matched there): the same codes as searching each pattern over the whole text
    at_start, after, patterns = located
    folded = prefilter.fold(plain_text)  # same length as plain_text
    found: set[str] = set()
    start: int | None = 0 if at_start.match(folded) else None  # a place word may open the text
    search_from = 0
    while len(found) < len(patterns):
        if start is None:
            # the next start after the last one: a character other than [a-z0-9_] at or after
            # it, and a first word right behind that character
            candidate = after.search(folded, search_from)
            if candidate is None:
                break
            start = candidate.start() + 1
        found.update(code for code, pattern in patterns if code not in found and pattern.match(plain_text, start))
        search_from, start = start, None
    return tuple(code for code, _ in patterns if code in found)


@per_claim_in_context
def regulators_in_scope_by_place(claim: Claim, ctx: "RuleContext") -> tuple[str, ...]:
    """Like `regulators_in_scope`, but places count as well as regulator names: a claim that
    names a place ("licensed in the UK") is judged against that place's regulators; otherwise
    places named anywhere on the page (a German practice's "European Union") add theirs."""
    if claim.regulators:
        return claim.regulators
    named_here = jurisdictions_named(claim.text)
    if named_here:
        regulators = ctx.kb.regulators_for_jurisdictions(named_here)
        if regulators:
            return regulators
    on_page = ctx.memo.get("jurisdictions")
    if on_page is None:  # once per document: the page text is long
        on_page = ctx.memo["jurisdictions"] = jurisdictions_named(ctx.document.text)
    extra = ctx.kb.regulators_for_jurisdictions(on_page) if on_page else ()
    return tuple(dict.fromkeys((*regulators_in_scope(claim, ctx), *extra)))



# Characters that have no case (lower() == upper() == itself): a case-insensitive pattern
# treats them as in a case-sensitive one, so a text made of ASCII and these alone may be
# searched lower-cased and case-sensitively instead (typographic quotes, dashes, symbols).
_UNCASED_EXTRA = "\u00a0\u00a9\u00ae\u00b0\u00b7\u2010\u2011\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u2122"
_OTHER_CHARACTER = compiled(f"[^\\x00-\\x7f{_UNCASED_EXTRA}]")


def _min_width(pattern: str, flags: int) -> int:
    """The shortest match `pattern` can have, remembered between runs (re's parser, once)."""
    return cached("min_width", pattern, flags, lambda: int(sre_parse.parse(pattern, flags).getwidth()[0]))


class LowerSearch:
    """A case-insensitive pattern searched case-sensitively in the lower-cased text (often
    several times faster), with the same results: used only when the pattern has no upper-case
    letter and the text holds no cased character beyond ASCII (where lower-casing changes
    exactly the letters A-Z, which the pattern matches whatever their case); the match returned
    is the pattern's own, searched from where the lower-case search found one (same span,
    groups). Other texts go to the pattern behind its prefilter. It must not match the empty
    string (`finditer` steps on from each match's end)."""

    __slots__ = ("regex", "lower", "needles")

    def __init__(self, pattern: str, flags: int = re.IGNORECASE) -> None:
        self.regex = prefilter.compile(pattern, flags)
        if _min_width(pattern, flags) == 0:
            raise ValueError("LowerSearch: the pattern can match the empty string")
        letters = re.sub(r"\\.|\(\?P[<=]", "", pattern)
        usable = flags & re.IGNORECASE and not flags & re.ASCII and not re.search("[A-Z]", letters)
        self.lower = compiled(pattern, flags & ~re.IGNORECASE) if usable else None
        self.needles: tuple[str, ...] | None = None  # the prefilter's, worked out on first use

    @property
    def pattern(self) -> str:
        return self.regex.pattern

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        if self.lower is None or _OTHER_CHARACTER.search(text):
            return self.regex.search(text, pos)
        return self.search_lowered(text, prefilter.folded(text), pos)

    def search_lowered(self, text: str, lowered: str, pos: int = 0) -> re.Match[str] | None:
        """`search` for a text that qualifies, given `lowered` = `prefilter.fold(text)`."""
        needles = self.needles
        if needles is None:
            needles = self.needles = self.regex.needles  # type: ignore[attr-defined]
        if needles and not any(n in lowered for n in needles):
            return None
        found = self.lower.search(lowered, pos)  # type: ignore[union-attr]
        return None if found is None else self.regex.regex.search(text, found.start())  # type: ignore[attr-defined]

    def finditer(self, text: str, pos: int = 0) -> Iterator[re.Match[str]]:
        while (found := self.search(text, pos)) is not None:
            yield found
            pos = found.end()


class GatedAlternatives:
    """A case-insensitive regex made of top-level alternatives (`"|".join(pieces)`), searched
    piece by piece: one `PatternTable` over the pieces' lower-case forms (`LowerSearch`) says,
    from one look at the text's folded form, which pieces can match there at all (a literal of
    every set each one needs is in it); only those are searched, in that folded text. The
    earliest start a piece matches at is where the whole pattern first matches (a match of the
    whole is a match of one piece there), so the match returned is the whole pattern's own,
    searched from that start: same span, same groups. Texts `LowerSearch` cannot take, and
    patterns with an upper-case letter, go to the whole pattern behind its prefilter."""

    __slots__ = ("whole", "pieces", "table")

    def __init__(self, pieces: Sequence[str], flags: int = re.IGNORECASE) -> None:
        from claimaudit.rules._pattern_table import PatternTable

        self.whole = prefilter.compile("|".join(pieces), flags)
        split = tuple(LowerSearch(p, flags) for p in pieces)  # (each nonempty: checked there)
        usable = all(p.lower is not None for p in split)
        self.pieces = split if usable else ()
        # over the lower-case patterns that are searched (in the folded text the table looks
        # at), already compiled: the case-insensitive pieces are compiled only if ever needed
        self.table = PatternTable(p.lower for p in split) if usable else None  # type: ignore[misc]

    @property
    def pattern(self) -> str:
        return self.whole.pattern

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        if self.table is None or _OTHER_CHARACTER.search(text):
            return self.whole.search(text, pos)
        return self._search(text, prefilter.folded(text), self.table.candidates(text), pos)

    def _search(self, text: str, lowered: str, candidates: tuple[int, ...], pos: int) -> re.Match[str] | None:
        start = -1
        pieces = self.pieces
        for index in candidates:
            found = pieces[index].lower.search(lowered, pos)  # type: ignore[union-attr]
            if found is not None and (start < 0 or found.start() < start):
                start = found.start()
        return None if start < 0 else self.whole.regex.search(text, start)  # type: ignore[attr-defined]

    def finditer(self, text: str, pos: int = 0) -> Iterator[re.Match[str]]:
        if self.table is None or _OTHER_CHARACTER.search(text):
            while (found := self.whole.search(text, pos)) is not None:
                yield found
                pos = found.end()
            return
        lowered, candidates = prefilter.folded(text), self.table.candidates(text)
        if not candidates:
            return
        while (found := self._search(text, lowered, candidates, pos)) is not None:
            yield found
            pos = found.end()
