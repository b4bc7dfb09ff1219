"""Claims: the assertions extracted from a document, with everything the rules need."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, IntEnum

from claimaudit.findings.model import SourceSpan
from claimaudit.claims.page_kind import PageKind


class ClaimKind(str, Enum):
    """What a claim is about (the gold annotation's `type`)."""

    REGULATORY = "regulatory"
    EFFICACY = "efficacy"
    STATISTIC = "statistic"
    SAFETY = "safety"
    MECHANISM = "mechanism"
    DURABILITY = "durability"
    ONSET = "onset"
    SCOPE = "scope"
    HISTORY = "history"
    CITATION = "citation"


class Certainty(IntEnum):
    """The certainty a sentence asserts (judgement.md, section 1)."""

    REJECTED = 0
    SPECULATIVE = 1
    HEDGED = 2
    ASSERTED = 3
    BOOSTED = 4
    ABSOLUTE = 5

    @property
    def label(self) -> str:
        return self.name.lower()


class QualifierKind(str, Enum):
    """Assertion modifiers found by the context component."""

    NEGATION = "negation"
    HEDGE = "hedge"
    HYPOTHETICAL = "hypothetical"
    BOOSTER = "booster"
    ABSOLUTE = "absolute"
    ATTRIBUTION = "attribution"
    REBUTTAL = "rebuttal"
    LIMITATION = "limitation"


@dataclass(frozen=True, slots=True)
class Qualifier:
    """One modifier cue and the claim it governs."""

    kind: QualifierKind
    text: str
    start: int  # offsets in the normalized text
    end: int


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number attached to a claim: a percentage, a count, an N, an odds ratio, a duration..."""

    kind: str  # percent, ratio, count, sample_size, odds_ratio, ci, duration, sessions, dose, year, p_value, range
    value: float
    text: str
    start: int
    end: int
    upper: float | None = None  # for ranges and CIs
    unit: str = ""  # "%", "hours", "days", "mg/kg", ...


@dataclass(frozen=True, slots=True)
class Reference:
    """One entry of the document's own reference list."""

    label: str  # "1", "4", or "Taylor 2018" for an unnumbered list
    text: str
    start: int
    end: int
    study_id: str | None = None  # knowledge-base study it matches
    match_score: float = 0.0
    url: str = ""


@dataclass(frozen=True, slots=True)
class CitationMarker:
    """An in-text citation and what it resolves to."""

    kind: str  # numbered, author_year, link, pmid, doi
    text: str
    start: int
    end: int
    label: str = ""  # "4" for [4]; surname for author-year
    year: int | None = None
    reference: Reference | None = None
    study_id: str | None = None
    match_score: float = 0.0
    author_matches: bool | None = None  # author-year: does the surname match the study's first author?
    year_matches: bool | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    """A knowledge-base entity recognised in the text (substance, indication, regulator, study, ...)."""

    kind: str  # substance, indication, regulator, study, mechanism, adverse_effect, ...
    entity_id: str
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Claim:
    """A span that asserts something about a treatment."""

    id: str
    kinds: tuple[ClaimKind, ...]
    text: str
    span: SourceSpan  # in the original file
    norm_start: int  # in the normalized text
    norm_end: int
    certainty: Certainty
    qualifiers: tuple[Qualifier, ...] = ()
    mentions: tuple[Mention, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    citations: tuple[CitationMarker, ...] = ()
    cues: tuple[Mention, ...] = ()  # claim cues: kind=cue label (approval, proven, safe, onset_fast, ...)
    section: str = ""  # heading the claim sits under
    in_list_item: bool = False
    sentence_text: str = ""  # the whole sentence when the claim is one clause of it
    topic_substance: str | None = None  # the page's main focus substance (for "it ..." sentences)
    topic_indication: str | None = None  # the page's main indication
    other_subject: str = ""  # the clause opens with another subject ("Meditation ..."): not the page's substance
    # `entity_ids` answers by kind, filled as asked (rules ask for the same kinds many times);
    # not part of the claim's value
    _entity_ids: dict[str, tuple[str, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    @property
    def kind(self) -> ClaimKind:
        return self.kinds[0]

    def entity_ids(self, kind: str) -> tuple[str, ...]:
        found = self._entity_ids.get(kind)
        if found is None:
            seen: dict[str, None] = {}
            for mention in self.mentions:
                if mention.kind == kind:
                    seen.setdefault(mention.entity_id, None)
            found = self._entity_ids[kind] = tuple(seen)
        return found

    @property
    def substances(self) -> tuple[str, ...]:
        return self.entity_ids("substance")

    @property
    def subject_substances(self) -> tuple[str, ...]:
        """Substances named in the claim, else the page's topic substance."""
        named = self.substances
        if named:
            return named
        return (self.topic_substance,) if self.topic_substance else ()

    @property
    def indications(self) -> tuple[str, ...]:
        return self.entity_ids("indication")

    @property
    def regulators(self) -> tuple[str, ...]:
        return self.entity_ids("regulator")

    @property
    def studies(self) -> tuple[str, ...]:
        named = self.entity_ids("study")
        cited = tuple(c.study_id for c in self.citations if c.study_id)
        return tuple(dict.fromkeys(named + cited))

    def has_qualifier(self, kind: QualifierKind) -> bool:
        for qualifier in self.qualifiers:  # a loop, not `any`: most claims have none or one
            if qualifier.kind is kind:
                return True
        return False

    def cue_labels(self) -> frozenset[str]:
        return frozenset(c.entity_id for c in self.cues)


@dataclass(frozen=True, slots=True)
class DocumentFacts:
    """Page-level facts gathered while reading, for whole-document (DISC) rules."""

    word_count: int
    promotes_treatment: bool
    substances: tuple[str, ...]
    indications: tuple[str, ...]
    mentions_off_label: bool
    mentions_side_effects: bool
    mentions_contraindications: bool
    mentions_evidence_limits: bool
    has_review_date: bool
    has_sources: bool
    citation_count: int
    references: tuple[Reference, ...] = ()
    extra: dict[str, bool] = field(default_factory=dict)
    # promotional | informational | unknown, with the cues that decided it (claims/page_kind.py)
    page_kind: PageKind = field(default_factory=lambda: PageKind("unknown", 0, 0))
