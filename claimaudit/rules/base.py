"""Rule: the record every rule module exports, and the context a check receives."""

from __future__ import annotations

import inspect
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from claimaudit.findings.model import EvidenceRef, Family, Finding, Severity, SourceSpan

if TYPE_CHECKING:
    from claimaudit.claims.model import Claim, DocumentFacts
    from claimaudit.ingest.source import NormalizedDocument
    from claimaudit.knowledge_base.lookup import KnowledgeLookup
    from claimaudit.settings import Settings

_R = TypeVar("_R")


# Values derived from one Claim object are computed once for all the rules that ask (claims and
# the knowledge base are immutable), keyed by the claim's identity: each entry holds its claim, so
# an id cannot be reused while the entry lives. A store is emptied when a new RuleContext
# (document) starts, and when it reaches this many entries.
_CLAIM_MEMO_LIMIT = 200_000


# The stores of `per_claim` functions (one per function, keyed by the claim's id and the other
# arguments).
_CLAIM_STORES: list[dict[Any, Any]] = []


def per_claim(function: Callable[..., _R]) -> Callable[..., _R]:
    """Cache `function(claim, *args)` for the claim object (by identity, for the current
    document); the other arguments must be hashable and immutable (a knowledge lookup, a
    frozenset). The result is shared: never mutate it."""
    store: dict[Any, tuple[object, Any]] = {}
    _CLAIM_STORES.append(store)
    arity = _fixed_arity(function)

    if arity == 1:  # the claim alone (most memos): no argument tuple to pack and hash

        @wraps(function)
        def cached_claim(claim: "Claim") -> _R:
            entry = store.get(id(claim))
            if entry is not None and entry[0] is claim:
                return entry[1]  # type: ignore[no-any-return]
            value = function(claim)
            if len(store) >= _CLAIM_MEMO_LIMIT:
                store.clear()
            store[id(claim)] = (claim, value)
            return value

        return cached_claim

    if arity == 2:  # the claim and one more argument (a knowledge lookup, a set of kinds)

        @wraps(function)
        def cached_pair(claim: "Claim", other: Any) -> _R:
            key = (id(claim), other)
            entry = store.get(key)
            if entry is not None and entry[0] is claim:
                return entry[1]  # type: ignore[no-any-return]
            value = function(claim, other)
            if len(store) >= _CLAIM_MEMO_LIMIT:
                store.clear()
            store[key] = (claim, value)
            return value

        return cached_pair

    @wraps(function)
    def cached(claim: "Claim", *args: Any) -> _R:
        key = (id(claim), args) if args else id(claim)
        entry = store.get(key)
        if entry is not None and entry[0] is claim:
            return entry[1]  # type: ignore[no-any-return]
        value = function(claim, *args)
        if len(store) >= _CLAIM_MEMO_LIMIT:
            store.clear()
        store[key] = (claim, value)
        return value

    return cached


def _fixed_arity(function: Callable[..., Any]) -> int | None:
    """How many positional parameters `function` takes, when that is all it takes (no default
    value, no *args, no keyword-only parameter, no **kwargs); else None. A memo for such a
    function needs no argument tuple."""
    code = getattr(function, "__code__", None)
    if code is None or getattr(function, "__defaults__", None) or code.co_kwonlyargcount:
        return None
    if code.co_flags & (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS):
        return None
    return int(code.co_argcount)


def per_claim_in_context(function: Callable[..., _R]) -> Callable[..., _R]:
    """Like `per_claim` for `function(claim, ctx, *args)`, whose result depends on the document
    too: the cached value is kept with its context and used only for that same context."""

    store: dict[Any, tuple[object, object, Any]] = {}
    _CLAIM_STORES.append(store)

    if _fixed_arity(function) == 2:  # the claim and the context alone (most)

        @wraps(function)
        def cached_in_context(claim: "Claim", ctx: "RuleContext") -> _R:
            entry = store.get(id(claim))
            if entry is not None and entry[0] is claim and entry[1] is ctx:
                return entry[2]  # type: ignore[no-any-return]
            value = function(claim, ctx)
            if len(store) >= _CLAIM_MEMO_LIMIT:
                store.clear()
            store[id(claim)] = (claim, ctx, value)
            return value

        return cached_in_context

    @wraps(function)
    def cached(claim: "Claim", ctx: "RuleContext", *args: Any) -> _R:
        key = (id(claim), args) if args else id(claim)
        entry = store.get(key)
        if entry is not None and entry[0] is claim and entry[1] is ctx:
            return entry[2]  # type: ignore[no-any-return]
        value = function(claim, ctx, *args)
        if len(store) >= _CLAIM_MEMO_LIMIT:
            store.clear()
        store[key] = (claim, ctx, value)
        return value

    return cached


_TEXT_MEMOS: list[dict[str, Any]] = []


def per_text(function: Callable[[str], _R]) -> Callable[[str], _R]:
    """Cache `function(text)` for the current document (several rules ask about one claim's
    text); emptied with the claim memos, so no value outlives its document."""
    store: dict[str, _R] = {}
    _TEXT_MEMOS.append(store)

    @wraps(function)
    def cached(text: str) -> _R:
        try:
            return store[text]
        except KeyError:
            if len(store) >= _CLAIM_MEMO_LIMIT:
                store.clear()
            value = store[text] = function(text)
            return value

    return cached


def per_record(function: Callable[[Any], _R]) -> Callable[[Any], _R]:
    """Cache `function(record)` for an immutable knowledge-base record (a Study, a Mechanism),
    by identity: the entry holds the record, and the store is bounded."""
    store: dict[int, tuple[object, _R]] = {}

    @wraps(function)
    def cached(record: Any) -> _R:
        entry = store.get(id(record))
        if entry is not None and entry[0] is record:
            return entry[1]
        value = function(record)
        if len(store) >= 20_000:
            store.clear()
        store[id(record)] = (record, value)
        return value

    return cached


@dataclass(frozen=True, slots=True)
class RuleContext:
    """What a rule may consult: the knowledge base, the document, all its claims, page facts."""

    kb: "KnowledgeLookup"
    document: "NormalizedDocument"
    claims: tuple["Claim", ...]
    facts: "DocumentFacts"
    settings: "Settings"
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)  # per-document indexes

    def __post_init__(self) -> None:
        for claim_store in _CLAIM_STORES:  # the previous document's claims: no rule asks again
            claim_store.clear()
        for store in _TEXT_MEMOS:
            store.clear()

    def claim_position(self, claim: "Claim") -> int | None:
        """The index of the first claim with `claim`'s id in `claims` (O(1) after one pass)."""
        positions: dict[str, int] | None = self.memo.get("positions")
        if positions is None:
            positions = {}
            for index, other in enumerate(self.claims):
                positions.setdefault(other.id, index)
            self.memo["positions"] = positions
        return positions.get(claim.id)

    def earlier_in_section(self, claim: "Claim", limit: int) -> tuple["Claim", ...]:
        """The last `limit` claims of `claim`'s section that start before it (document order)."""
        sections: dict[Any, tuple[list["Claim"], list[int]]] | None = self.memo.get("sections")
        if sections is None:
            sections = {}
            for other in self.claims:
                members, starts = sections.setdefault(other.section, ([], []))
                members.append(other)
                starts.append(other.norm_start)
            self.memo["sections"] = sections
            self.memo["sorted"] = all(a.norm_start <= b.norm_start for a, b in zip(self.claims, self.claims[1:]))
        members, starts = sections.get(claim.section, ([], []))
        if self.memo["sorted"]:
            end = bisect_left(starts, claim.norm_start)
            return tuple(members[max(0, end - limit):end])
        earlier = [c for c in members if c.norm_start < claim.norm_start]
        return tuple(earlier[-limit:]) if limit else ()

    def page_regulators(self) -> tuple[str, ...]:
        """Every regulator the page's claims name, in order, with repeats."""
        found: tuple[str, ...] | None = self.memo.get("regulators")
        if found is None:
            found = self.memo["regulators"] = tuple(r for c in self.claims for r in c.regulators)
        return found


ClaimCheck = Callable[["Claim", RuleContext], Iterable[Finding]]
DocumentCheck = Callable[["DocumentFacts", RuleContext], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule's identity and documentation. `doc` is its module docstring (fixed sections)."""

    code: str
    name: str
    family: Family
    severity: Severity
    summary: str
    doc: str = ""
    scope: str = "claim"  # claim | document

    def finding(
        self,
        claim: "Claim",
        message: str,
        *,
        severity: Severity | None = None,
        evidence: Iterable[EvidenceRef] = (),
        suggestion: str | None = None,
        advice: str | None = None,
        note: str | None = None,
        trigger: tuple[int, int] | None = None,
    ) -> Finding:
        """A finding on a claim's whole span. `suggestion` is the claim rewritten (one
        sentence, ready to paste), `advice` what to do, `note` context; `trigger` the
        normalized-text offsets of the words that triggered it (else the auditor finds them)."""
        return Finding(
            code=self.code,
            family=self.family,
            severity=severity or self.severity,
            span=claim.span,
            text=claim.text,
            message=message,
            evidence=tuple(evidence),
            suggestion=suggestion,
            claim_id=claim.id,
            advice=advice,
            note=note,
            trigger_norm=trigger,
        )

    def document_finding(
        self,
        span: SourceSpan,
        text: str,
        message: str,
        *,
        omits: str,
        severity: Severity | None = None,
        evidence: Iterable[EvidenceRef] = (),
        suggestion: str | None = None,
        advice: str | None = None,
        note: str | None = None,
        trigger: SourceSpan | None = None,
        trigger_text: str = "",
    ) -> Finding:
        """A whole-document finding (DISC): `omits` says what the page leaves out. `trigger`
        and `trigger_text`: its own span and source text, as the auditor would set them."""
        return Finding(
            code=self.code,
            family=self.family,
            severity=severity or self.severity,
            span=span,
            text=text,
            message=message,
            evidence=tuple(evidence),
            suggestion=suggestion,
            advice=advice,
            note=note,
            omits=omits,
            trigger=trigger,
            trigger_text=trigger_text,
        )


@dataclass(frozen=True, slots=True)
class RuleModule:
    """A loaded rule: its record and its check function."""

    rule: Rule
    check_claim: ClaimCheck | None = None
    check_document: DocumentCheck | None = None
