"""Typed records of the evidence knowledge base (the contract for `knowledge/`).

Every record carries `sources`: at least one Source with a PMID, DOI or URL and the date
it was checked. Ids are unique across the whole base.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Grade(str, Enum):
    """Evidence grade for a substance x indication (judgement.md, section 2)."""

    ESTABLISHED = "established"
    MODERATE = "moderate"
    PRELIMINARY = "preliminary"
    MIXED = "mixed"
    INSUFFICIENT = "insufficient"
    CONTRADICTED = "contradicted"

    @property
    def supported_level(self) -> int:
        """Highest certainty level (Certainty value) this grade supports."""
        return _SUPPORTED_LEVEL[self]


_SUPPORTED_LEVEL = {
    Grade.ESTABLISHED: 4,
    Grade.MODERATE: 3,
    Grade.PRELIMINARY: 2,
    Grade.MIXED: 2,
    Grade.INSUFFICIENT: 1,
    Grade.CONTRADICTED: 0,
}


class MechanismStatus(str, Enum):
    ESTABLISHED = "established"  # established in humans / standard pharmacology
    LIMITED = "limited"  # human evidence limited or mixed
    PRECLINICAL = "preclinical"  # strong animal evidence only
    HYPOTHESIS = "hypothesis"
    INCORRECT = "incorrect"  # wrong or misleading wording

    @property
    def supported_level(self) -> int:
        return _MECH_LEVEL[self]


_MECH_LEVEL = {
    MechanismStatus.ESTABLISHED: 4,
    MechanismStatus.LIMITED: 2,
    MechanismStatus.PRECLINICAL: 2,
    MechanismStatus.HYPOTHESIS: 2,
    MechanismStatus.INCORRECT: -1,
}


class SourceKindName(str, Enum):
    """What a knowledge-base source is. The tier follows from the kind (see `tier`)."""

    REGULATOR = "regulator"  # regulator record or label: Drugs@FDA/DailyMed, DPD, EPAR, MHRA/NICE, ARTG
    REGISTRY = "registry"  # trial registry entry
    PAPER = "paper"  # peer-reviewed paper (PMID and/or DOI)
    GUIDELINE = "guideline"  # clinical guideline or consensus statement
    SECONDARY = "secondary"  # government health information, methods handbooks

    @property
    def tier(self) -> int:
        """1 primary record (regulator, paper, registry), 2 guideline, 3 secondary."""
        return _SOURCE_TIER[self]


_SOURCE_TIER = {
    SourceKindName.REGULATOR: 1,
    SourceKindName.PAPER: 1,
    SourceKindName.REGISTRY: 1,
    SourceKindName.GUIDELINE: 2,
    SourceKindName.SECONDARY: 3,
}


@dataclass(frozen=True, slots=True)
class Source:
    """Where a fact comes from: a PMID, DOI or URL (at least one), its kind, and when it was checked."""

    checked: str  # ISO date
    pmid: str | None = None
    doi: str | None = None
    url: str | None = None
    note: str = ""
    kind: SourceKindName = SourceKindName.SECONDARY
    pmcid: str | None = None  # PubMed Central id, for papers whose PMID is not recorded

    @property
    def tier(self) -> int:
        return self.kind.tier

    @property
    def link(self) -> str:
        """Canonical address: PubMed, else doi.org, else PubMed Central, else the URL."""
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmcid:
            return f"https://pmc.ncbi.nlm.nih.gov/articles/{self.pmcid}/"
        return self.url or ""


@dataclass(frozen=True, slots=True)
class Substance:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    brands: tuple[str, ...] = ()
    drug_class: str = ""
    parent: str | None = None  # esketamine -> ketamine (enantiomer of)
    focus: bool = True  # a subject of the domain (False for comparators such as midazolam, SSRIs)
    # given to a trial's control arm (an active placebo such as midazolam), not a treatment a
    # reader would choose instead: "outperformed midazolam" is a trial result, not a comparison
    trial_control: bool = False
    sources: tuple[Source, ...] = ()

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases, *self.brands)


@dataclass(frozen=True, slots=True)
class Indication:
    id: str
    name: str
    abbreviations: tuple[str, ...] = ()
    lay_terms: tuple[str, ...] = ()
    parent: str | None = None  # trd -> mdd; gad -> anxiety_disorders
    category: str = "psychiatric"  # psychiatric, pain, anaesthesia, substance_use, other
    sources: tuple[Source, ...] = ()

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.abbreviations, *self.lay_terms)


@dataclass(frozen=True, slots=True)
class Regulator:
    id: str  # fda, health_canada, ema, mhra, tga
    name: str
    jurisdiction: str  # US, CA, EU, UK, AU
    aliases: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class Approval:
    """substance x indication x regulator: approved (with date and conditions) or explicitly not."""

    id: str
    substance: str
    indication: str
    regulator: str
    status: str  # approved | not_approved
    date: str = ""  # ISO date or year
    product: str = ""
    conditions: tuple[str, ...] = ()
    summary: str = ""  # plain-language approved use, usable in a rewrite
    sources: tuple[Source, ...] = ()

    @property
    def approved(self) -> bool:
        return self.status == "approved"


@dataclass(frozen=True, slots=True)
class EvidenceAssessment:
    """substance x indication -> grade, with the studies behind it and the wording it supports."""

    id: str
    substance: str
    indication: str
    grade: Grade
    studies: tuple[str, ...] = ()
    summary: str = ""
    supported_wording: str = ""  # strongest wording the grade supports, for rewrites
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True, slots=True)
class Outcome:
    """One reported result of a study."""

    measure: str  # response, remission, relapse, odds_ratio, smd, mean_change, n_responders ...
    value: float
    unit: str = "%"  # %, n, OR, SMD, points, days, hours
    definition: str = ""  # e.g. "LSAS reduction >35%"
    arm: str = ""  # ketamine, placebo, midazolam ...
    comparator_value: float | None = None
    time_point: str = ""
    sessions: int | None = None
    population: str = ""
    indication: str = ""
    ci_low: float | None = None
    ci_high: float | None = None
    verified: bool = True
    p_value: float | None = None
    note: str = ""  # e.g. "model estimate", "self-report among prior responders"


@dataclass(frozen=True, slots=True)
class Study:
    id: str
    citation: str
    authors: tuple[str, ...]  # surnames, first author first
    year: int
    title: str = ""
    journal: str = ""
    pmid: str | None = None
    doi: str | None = None
    url: str | None = None
    design: str = ""  # rct, crossover_rct, open_label, single_arm, meta_analysis, systematic_review, narrative_review, retrospective, preclinical, case_series, guideline, consensus, web_article, press_release
    randomized: bool = False
    controlled: bool = False
    blinded: bool = False
    peer_reviewed: bool = True
    source_kind: str = "journal_article"
    population: str = ""
    n: int | None = None
    substances: tuple[str, ...] = ()
    indications: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()  # free topic tags: mechanism, safety, durability, treatment_as_usual ...
    dose_route: str = ""
    comparator: str = ""
    outcomes: tuple[Outcome, ...] = ()
    follow_up: str = ""
    conclusion: str = ""
    sources: tuple[Source, ...] = ()
    # optional
    given_names: tuple[str, ...] = ()  # given names where known, same order as `authors`
    limitations: str = ""  # the study's own or well-documented limits, in plain words
    funding: str = ""

    @property
    def first_author(self) -> str:
        return self.authors[0] if self.authors else ""

    @property
    def short_label(self) -> str:
        if not self.first_author:  # a body or an unnamed team: "the 2020 study"
            return f"the {self.year} study" if self.year else "the study"
        suffix = " et al." if len(self.authors) > 2 else ""
        return f"{self.first_author}{suffix} {self.year}"

    @property
    def link(self) -> str:
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return self.url or ""


@dataclass(frozen=True, slots=True)
class Mechanism:
    """A mechanism statement and its status; `triggers` recognise it in text.

    A trigger is a tuple of terms that must all occur in one sentence; a term is
    alternatives separated by `|`, each a lower-case word or a prefix ending in `*`
    (e.g. ("revers*|repair*", "damage*")).
    """

    id: str
    statement: str
    status: MechanismStatus
    triggers: tuple[tuple[str, ...], ...] = ()
    correction: str = ""
    substances: tuple[str, ...] = ()
    misconception: bool = False  # a wrong term or wrong history: a finding whatever the hedging
    sources: tuple[Source, ...] = ()
    exclude: tuple[tuple[str, ...], ...] = ()  # triggers (same format) that veto a match


@dataclass(frozen=True, slots=True)
class AdverseEffect:
    id: str
    name: str
    substances: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    frequency: str = ""  # e.g. "41% vs 9% placebo (esketamine trials)"
    seriousness: str = "common"  # common, serious, long_term
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True, slots=True)
class Contraindication:
    id: str
    condition: str
    substances: tuple[str, ...]
    kind: str = "relative"  # absolute | relative
    aliases: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True, slots=True)
class OnsetDurability:
    """What the evidence records for how fast and how long, per substance x indication."""

    id: str
    substance: str
    indication: str
    onset_min_hours: float  # earliest measured therapeutic onset
    single_dose_max_days: float  # longest recorded benefit after one dose
    course_max_days: float | None = None  # longest benefit after a course, without maintenance
    summary: str = ""
    studies: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True, slots=True)
class SourceKind:
    id: str  # journal_article, systematic_review, guideline, agency_page, society_blog, press_release, clinic_page, news
    name: str
    peer_reviewed: bool
    supports_efficacy: bool
    domains: tuple[str, ...] = ()  # web domains typical of the kind
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True, slots=True)
class Pack:
    id: str
    name: str
    version: str
    description: str = ""
    default_jurisdictions: tuple[str, ...] = ("US",)


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """The loaded, validated, cross-checked base (all packs layered)."""

    packs: tuple[Pack, ...]
    version: str
    content_hash: str
    substances: dict[str, Substance] = field(default_factory=dict)
    indications: dict[str, Indication] = field(default_factory=dict)
    regulators: dict[str, Regulator] = field(default_factory=dict)
    approvals: dict[str, Approval] = field(default_factory=dict)
    assessments: dict[str, EvidenceAssessment] = field(default_factory=dict)
    studies: dict[str, Study] = field(default_factory=dict)
    mechanisms: dict[str, Mechanism] = field(default_factory=dict)
    adverse_effects: dict[str, AdverseEffect] = field(default_factory=dict)
    contraindications: dict[str, Contraindication] = field(default_factory=dict)
    onset_durability: dict[str, OnsetDurability] = field(default_factory=dict)
    source_kinds: dict[str, SourceKind] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)  # record id -> file it was read from
    # Records marked `unverified: <reason>`: validated and listed by `kb audit`, never judged with.
    unverified: dict[str, "UnverifiedRecord"] = field(default_factory=dict)

    def record(self, record_id: str) -> Any | None:
        """Any judged record by id (unverified records excluded)."""
        for table in RECORD_TABLES:
            found = getattr(self, table).get(record_id)
            if found is not None:
                return found
        return None

    def oldest_checked(self, record_ids: Iterable[str]) -> str:
        """Oldest `checked` date over the given records ('' when none of them is known)."""
        dates = [record_checked(r) for r in map(self.record, record_ids) if r is not None]
        return min((d for d in dates if d), default="")


RECORD_TABLES: tuple[str, ...] = (
    "substances",
    "indications",
    "regulators",
    "approvals",
    "assessments",
    "studies",
    "mechanisms",
    "adverse_effects",
    "contraindications",
    "onset_durability",
    "source_kinds",
)


@dataclass(frozen=True, slots=True)
class UnverifiedRecord:
    """A record that could not be tied to a primary source: kept for review, out of judgements."""

    kind: str  # the table it would belong to (studies, approvals ...)
    record: Any
    reason: str


def record_checked(record: Any) -> str:
    """A record's `checked` date: the oldest check among its sources (ISO, '' when it has none)."""
    dates = [source.checked for source in getattr(record, "sources", ())]
    return min(dates, default="")
