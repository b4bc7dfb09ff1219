"""CITE005 wrong-author-year: an author-year citation whose name or year does not match the study.

What it flags:
    An author-year citation ("(Tanaka et al., 2021)") that the knowledge base matches to a
    study whose first author has a different surname (for example the citation uses the
    first author's given name, or a co-author's name) or whose year differs.

Why it matters:
    A wrong name or year makes the source hard to find and check, and is a sign the citation
    was copied rather than read.

Flagged example:
    A large registry study (Maria et al., 2022) followed 3,000 patients.
    (where the study's first author is Maria Lindqvist, 2022)

Use instead:
    A large registry study (Lindqvist et al., 2022) followed 3,000 patients.

Not flagged:
    Citations whose surname and year match the study; citations the base cannot match to
    any study; numbered markers (CITE002 handles unresolved ones).

Knowledge used:
    Study records: authors (surnames, first author first), given names, year.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence

from claimaudit.claims.model import CitationMarker, Claim
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.knowledge_base.model import Study
from claimaudit.rules._rewrite import replace_range, sentence_or_none
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.scope._studies import authors_with_wrong_year, may_name_studies, study_ref

RULE = Rule(
    code="CITE005",
    name="wrong-author-year",
    family=Family.CITE,
    severity=Severity.WARNING,
    summary="Author or year of a citation does not match the study",
)


def check(claim: Claim, ctx: RuleContext) -> Iterable[Finding]:
    if not may_name_studies(claim):
        return ()  # (most claims: no marker to judge and no year for an author to go with)
    return _findings(claim, ctx)


def _findings(claim: Claim, ctx: RuleContext) -> Iterator[Finding]:
    cited_authors = {_fold(_cited_surname(m)) for m in claim.citations if m.kind == "author_year"}
    for surname, year, studies in authors_with_wrong_year(claim.text, ctx.kb):
        if _fold(surname) in cited_authors:
            continue  # the marker itself is judged below
        labels = ", ".join(f"{s.short_label}" for s in studies)
        yield RULE.finding(
            claim,
            f"names {surname} and colleagues with the year {year}, but no study by {surname} from {year} "
            f"is known; the base has {labels}",
            evidence=[study_ref(s, note=s.citation) for s in studies[:3]],
            suggestion=_with_year(claim, year, studies),
            advice=f"Give the year of the study meant ({', '.join(str(s.year) for s in studies)}).",
        )
        return
    for marker in claim.citations:
        if marker.kind != "author_year":
            continue
        found = _diagnose(marker, ctx)
        if found is None:
            continue
        study, problem = found
        yield RULE.finding(
            claim,
            f"cites '{marker.text.strip()}' but {problem}",
            evidence=[study_ref(study, note=study.citation)],
            suggestion=sentence_or_none(replace_range(claim, marker.start, marker.end, _marker_for(marker, study))),
            advice=f"Cite it as {study.first_author}{' et al.' if len(study.authors) > 2 else ''} ({study.year}).",
            trigger=(marker.start, marker.end),
        )
        return


def _diagnose(marker: CitationMarker, ctx: RuleContext) -> tuple[Study, str] | None:
    surname = _cited_surname(marker)
    study = ctx.kb.study(marker.study_id) if marker.study_id else None
    if study is None:
        study = _by_given_name(surname, marker.year, ctx)
        if study is None:
            return None
    author_ok = marker.author_matches
    if author_ok is None and surname:
        author_ok = _fold(surname) == _fold(study.first_author)
    year_ok = marker.year_matches
    if year_ok is None and marker.year is not None:
        year_ok = marker.year == study.year
    problems = []
    if author_ok is False:
        detail = f"the first author of {study.short_label} is {study.first_author}"
        given = _given_name_of_first(study)
        if given and surname and _fold(given) == _fold(surname):
            detail += f" ('{surname}' is the first author's given name)"
        elif surname and _fold(surname) in {_fold(a) for a in study.authors[1:]}:
            detail += f" ('{surname}' is a co-author)"
        problems.append(detail)
    if year_ok is False:
        problems.append(f"{study.short_label} was published in {study.year}, not {marker.year}")
    if not problems:
        return None
    return study, "; ".join(problems)


def _by_given_name(surname: str, year: int | None, ctx: RuleContext) -> Study | None:
    """A study whose first author's given name is the cited 'surname' (same year if given)."""
    if not surname:
        return None
    for study in ctx.kb.kb.studies.values():
        given = _given_name_of_first(study)
        if given and _fold(given) == _fold(surname) and (year is None or year == study.year):
            if _fold(surname) not in {_fold(a) for a in study.authors}:
                return study
    return None


def _given_name_of_first(study: Study) -> str:
    return study.given_names[0] if study.given_names else ""


def _cited_surname(marker: CitationMarker) -> str:
    if marker.label and not marker.label.isdigit():
        return marker.label.split()[0].strip(",.;()")
    match = re.search(r"[A-Z][\w'\-]+", marker.text)
    return match.group(0) if match else ""


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().strip()


def _marker_for(marker: CitationMarker, study: Study) -> str:
    """The citation written for the study, in the marker's own style ("(Glue et al., 2017)")."""
    name = f"{study.first_author}{' et al.' if len(study.authors) > 2 else ''}"
    inner = f"{name}, {study.year}" if "," in marker.text else f"{name} {study.year}"
    text = marker.text.strip()
    if text.startswith("("):
        return f"({inner})"
    if text.startswith("["):
        return f"[{inner}]"
    return inner


def _with_year(claim: Claim, year: int, studies: Sequence[Study]) -> str | None:
    """The sentence with the wrong year replaced by the study's, when one study is meant."""
    years = {s.year for s in studies}
    if len(years) != 1:
        return None
    at = claim.text.find(str(year))
    if at < 0:
        return None
    start = claim.norm_start + at
    return sentence_or_none(replace_range(claim, start, start + len(str(year)), str(years.pop())))
