"""Which knowledge-base studies a claim talks about, and whether a study covers a topic.

Shared by the STAT, SCOPE and CITE rules. Pure functions over a Claim and the lookup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from claimaudit.nlp.analysis_cache import compiled
from claimaudit.findings.model import EvidenceRef
from claimaudit.nlp import prefilter
from claimaudit.nlp.literal_trie import LiteralIndex
from claimaudit.rules.base import per_claim, per_claim_in_context

if TYPE_CHECKING:
    from claimaudit.claims.model import Claim
    from claimaudit.knowledge_base.lookup import KnowledgeLookup
    from claimaudit.knowledge_base.model import Study
    from claimaudit.rules.base import RuleContext

# Designs of works that collect other studies: calling their material "RCTs" is not a misdescription.
SECONDARY_DESIGNS = frozenset(
    {"meta_analysis", "systematic_review", "narrative_review", "review", "guideline", "consensus"}
)
_YEAR = compiled(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")


@per_claim
def cited_studies(claim: "Claim", kb: "KnowledgeLookup") -> tuple["Study", ...]:
    """Studies the claim's citation markers resolve to (marker or reference-list entry)."""
    found: dict[str, "Study"] = {}
    for marker in claim.citations:
        study_id = marker.study_id or (marker.reference.study_id if marker.reference else None)
        study = kb.study(study_id) if study_id else None
        year = marker.year or _first_year(marker.text)
        if study is not None and year and year != study.year:
            study = _same_author_in_year(kb, study, year) or study
        if study is not None:
            found.setdefault(study.id, study)
    return tuple(found.values())


def may_name_studies(claim: "Claim") -> bool:
    """False only when `cited_studies` and `studies_named_in_text` find nothing in the claim:
    no citation marker, and no year written (each study named in the text comes with one)."""
    return bool(claim.citations) or prefilter.may_name_year(claim.text)


def years_in(text: str) -> set[int]:
    """The years (1900-2099) written in `text` (scanned only where one may be)."""
    if not prefilter.may_name_year(text):
        return set()
    return {int(y) for y in _YEAR.findall(text)}


def _first_year(text: str) -> int | None:
    match = _YEAR.search(text)
    return int(match.group(1)) if match else None


def _same_author_in_year(kb: "KnowledgeLookup", study: "Study", year: int) -> "Study | None":
    """A marker "Glue et al. 2018" matched to Glue 2017 means Glue 2018 if the base has it."""
    return next(
        (s for s in kb.kb.studies.values() if s.first_author == study.first_author and s.year == year),
        None,
    )


@per_claim
def claim_studies(claim: "Claim", kb: "KnowledgeLookup") -> tuple["Study", ...]:
    """Studies the claim names or cites: marker/mention ids, then author + year named in the text."""
    text = claim.text
    if not claim.citations and not prefilter.may_name_year(text) and not claim.entity_ids("study"):
        # (most claims: no marker, no study mention and no year, so a trial name alone can name one)
        named: dict[str, "Study"] = {}
        for by_name in studies_named_by_acronym(text, kb):
            named.setdefault(by_name.id, by_name)
        return tuple(named.values())
    found: dict[str, "Study"] = {s.id: s for s in cited_studies(claim, kb)}
    for study_id in claim.entity_ids("study"):
        study = kb.study(study_id)
        if study is not None:
            found.setdefault(study.id, study)
    for study, _ in studies_named_in_text(claim.text, kb):
        found.setdefault(study.id, study)
    for study in studies_named_by_acronym(claim.text, kb):
        found.setdefault(study.id, study)
    if not found:
        for _, _, studies in authors_with_wrong_year(claim.text, kb):
            for study in studies:
                found.setdefault(study.id, study)
    return tuple(found.values())


# A surname named as a research group: "Feder and colleagues", "Smith et al.", "the Glue group".
_GROUP_AFTER = r"(?:\s+et\s+al\b\.?|\s+and\s+(?:his\s+|her\s+|their\s+)?(?:colleagues|co-?workers|co-?authors|team)|['\u2019]s\s+(?:group|team|lab))"


def authors_with_wrong_year(text: str, kb: "KnowledgeLookup") -> list[tuple[str, int, tuple["Study", ...]]]:
    """(surname, year, that author's studies) for each first author of the base named as a
    research group in the text ("Feder and colleagues (2019)", "In 1990, Berman and
    colleagues") with a year that none of that author's studies has."""
    return list(_authors_with_wrong_year(text, kb))


@lru_cache(maxsize=512)
def _authors_with_wrong_year(text: str, kb: "KnowledgeLookup") -> tuple[tuple[str, int, tuple["Study", ...]], ...]:
    years = years_in(text)
    if not years:
        return ()
    named = _surnames(kb).present(text)  # (one scan for every surname; each pattern needs its name as written)
    if not named:
        return ()
    found = []
    for surname, pattern, studies in _author_groups(kb):
        if surname not in named or not pattern.search(text):
            continue
        if years & {s.year for s in studies}:
            continue
        stated = min(years, key=lambda y: min(abs(y - s.year) for s in studies))
        found.append((surname, stated, tuple(sorted(studies, key=lambda s: s.year))))
    return tuple(found)


@lru_cache(maxsize=8)
def _author_groups(kb: "KnowledgeLookup") -> tuple[tuple[str, re.Pattern[str], tuple["Study", ...]], ...]:
    """(surname, its research-group pattern, its studies) for every first author of the base."""
    by_author: dict[str, list["Study"]] = {}
    for study in kb.kb.studies.values():
        if study.first_author:
            by_author.setdefault(study.first_author, []).append(study)
    return tuple(
        (surname, compiled(rf"\b{re.escape(surname)}{_GROUP_AFTER}"), tuple(studies))
        for surname, studies in by_author.items()
    )


def studies_named_in_text(text: str, kb: "KnowledgeLookup") -> list[tuple["Study", int]]:
    """(study, position of its author's name) for each study whose first author's surname and
    year both occur in `text` ("the Glue group's trials (2017, 2018)" names two studies)."""
    return list(_studies_named_in_text(text, kb))


@lru_cache(maxsize=512)
def _studies_named_in_text(text: str, kb: "KnowledgeLookup") -> tuple[tuple["Study", int], ...]:
    years = years_in(text)
    if not years:
        return ()
    named = _surnames(kb).present(text)  # (one scan for every surname)
    if not named:
        return ()
    hits: list[tuple["Study", int]] = []
    for study, pattern in _author_patterns(kb):
        if study.year not in years:
            continue
        match = pattern.search(text) if study.first_author in named else None  # (needs the name as written)
        if match:
            hits.append((study, match.start()))
    return tuple(sorted(hits, key=lambda hit: (hit[1], hit[0].year)))


# Capitals that name conditions, scales, receptors or journals, not a trial or a body.
_COMMON_ACRONYMS = frozenset(
    "PTSD NMDA AMPA JAMA BDNF MADRS LSAS CAPS HAM-A HAM-D QIDS CADSS BOCS Y-BOCS DSM-5 NICE REMS".split()
)
_ACRONYM = compiled(r"\b[A-Z][A-Z0-9]{2,}(?:-\d+)?\b")


def studies_named_by_acronym(text: str, kb: "KnowledgeLookup") -> tuple["Study", ...]:
    """Studies a trial or body name identifies ("the TRANSFORM-2 study", "CANMAT"): a
    distinctive capitalised name (five or more letters, or one with a trial number) that
    occurs in the record's title or citation and in at most two records."""
    index, gate = _acronym_index(kb), _acronym_gate(kb)
    if gate is None or gate.search(text) is None:
        return ()  # (each name found is one of the index's, as written: the base has a few)
    names = set(_ACRONYM.findall(text))
    if not names:
        return ()
    found: list["Study"] = []
    for name in sorted(names):
        found.extend(s for s in index.get(name, ()) if s not in found)
    return tuple(found)


@lru_cache(maxsize=8)
def _acronym_index(kb: "KnowledgeLookup") -> dict[str, tuple["Study", ...]]:
    index: dict[str, list["Study"]] = {}
    for study in kb.kb.studies.values():
        for name in set(_ACRONYM.findall(f"{study.title} {study.citation}")):
            distinctive = "-" in name or len(name) >= 5
            if distinctive and name not in _COMMON_ACRONYMS:
                index.setdefault(name, []).append(study)
    return {name: tuple(studies) for name, studies in index.items() if len(studies) <= 2}


@lru_cache(maxsize=8)
def _acronym_gate(kb: "KnowledgeLookup") -> re.Pattern[str] | None:
    """Whether one of `_acronym_index`'s names occurs in a text (as written), in one search;
    None for no name."""
    from claimaudit.nlp.literal_trie import literal_gate

    return literal_gate(_acronym_index(kb))


@lru_cache(maxsize=8)
def _surnames(kb: "KnowledgeLookup") -> LiteralIndex:
    """Which first authors' surnames of the base occur in a text, as written (`surname in
    text` for each), found in one scan."""
    return LiteralIndex(s.first_author for s in kb.kb.studies.values() if s.first_author)


@lru_cache(maxsize=8)
def _author_patterns(kb: "KnowledgeLookup") -> tuple[tuple["Study", re.Pattern[str]], ...]:
    """(study, a pattern for its first author's surname) for every study with a first author."""
    return tuple(
        (study, compiled(rf"\b{re.escape(study.first_author)}\b"))
        for study in kb.kb.studies.values()
        if study.first_author
    )


# An unnamed study introduced by the sentence itself ("In a relapse-prevention study", "another trial").
_NEW_STUDY = prefilter.compile(
    r"\b(?:in|from)\s+(?:a|an|another|one)\s+(?:[\w-]+\s+){0,3}?(?:study|trial|review|meta-analysis)\b"
    r"|\b(?:another|a separate|a second|a later|a different)\s+(?:[\w-]+\s+){0,2}?(?:study|trial)\b",
    re.I,
)


def context_studies(
    claim: "Claim", ctx: "RuleContext", back: int = 3, *, fit: bool = False
) -> tuple["Study", ...]:
    """The claim's own studies, else those of the nearest earlier claim in the same section
    (a number in a paragraph about a named study refers to that study). With `fit`, only
    studies that cover the conditions and substances the claim names."""
    return _context_studies(claim, ctx, back, fit)


@per_claim_in_context
def _context_studies(claim: "Claim", ctx: "RuleContext", back: int, fit: bool) -> tuple["Study", ...]:
    own = claim_studies(claim, ctx.kb)
    if own:
        return own
    index = ctx.claim_position(claim)
    if index is None:
        return ()
    for earlier in reversed(ctx.claims[max(0, index - back):index]):
        if earlier.section != claim.section:
            break
        found = claim_studies(earlier, ctx.kb)
        if found:
            if _NEW_STUDY.search(claim.text):
                return ()  # "in another trial ...": not the study the paragraph named
            return tuple(s for s in found if not fit or _fits(claim, s, ctx.kb))
    return ()


def _fits(claim: "Claim", study: "Study", kb: "KnowledgeLookup") -> bool:
    """A study the claim can be about: it covers the substances and conditions the claim names
    (a sentence about esketamine in TRD does not continue a paragraph about a SAD trial)."""
    named = [s for s in claim.substances if (kb.substance(s) is None or kb.substance(s).focus)]  # type: ignore[union-attr]
    if named and study.substances and not any(covers_substance(kb, study.substances, s) for s in named):
        return False
    if claim.indications and study.indications and not any(
        covers_indication(kb, study.indications, i) for i in claim.indications
    ):
        return False
    return True


def indication_related(kb: "KnowledgeLookup", one: str, other: str) -> bool:
    """Same indication, or one is a parent of the other (gad and anxiety_disorders)."""
    return one in kb.indication_ancestors(other) or other in kb.indication_ancestors(one)


def covers_indication(kb: "KnowledgeLookup", indications: Iterable[str], wanted: str) -> bool:
    return any(indication_related(kb, have, wanted) for have in indications)


def covers_substance(kb: "KnowledgeLookup", substances: Iterable[str], wanted: str) -> bool:
    """A study of esketamine covers a claim about ketamine's family, and the reverse."""
    family = set(kb.substance_family(wanted))
    return any(family & set(kb.substance_family(have)) for have in substances)


def claim_indications(claim: "Claim", *, topic_fallback: bool = True) -> tuple[str, ...]:
    """Indications named in the claim, else the page's main indication."""
    if claim.indications:
        return claim.indications
    if topic_fallback and claim.topic_indication:
        return (claim.topic_indication,)
    return ()


def focus_substances(claim: "Claim", kb: "KnowledgeLookup") -> tuple[str, ...]:
    """Subject substances that are the domain's focus (not comparators such as SSRIs)."""
    return focus_only(claim.subject_substances, kb)


def focus_only(substance_ids: Iterable[str], kb: "KnowledgeLookup") -> tuple[str, ...]:
    """The ids of substances that are the domain's focus; an id the base does not know counts
    as one."""
    return tuple(s for s in substance_ids if (record := kb.substance(s)) is None or record.focus)


def indication_name(kb: "KnowledgeLookup", indication_id: str) -> str:
    record = kb.indication(indication_id)
    if record is None:
        return indication_id
    return record.abbreviations[0] if record.abbreviations else record.name


def substance_name(kb: "KnowledgeLookup", substance_id: str) -> str:
    record = kb.substance(substance_id)
    return record.name if record else substance_id


def study_ref(study: "Study", note: str = "") -> EvidenceRef:
    return EvidenceRef(id=study.id, label=study.short_label, url=study.link, note=note)


def describe_study(study: "Study") -> str:
    """"Glue 2017 (open-label, n=12)"."""
    parts = [study.design.replace("_", "-")] if study.design else []
    if study.n:
        parts.append(f"n={study.n}")
    detail = f" ({', '.join(parts)})" if parts else ""
    return f"{study.short_label}{detail}"
