"""CITE003 weak-source: an efficacy or numeric claim resting on a source that is not peer-reviewed.

What it flags:
    A claim about how well a treatment works, or one quoting a result, whose citation
    resolves to a blog post, press release, news or magazine piece, clinic page or other
    source that is not peer-reviewed: known from the knowledge base's record of the work,
    from the web domain of its link, or from the wording of the reference entry.

Why it matters:
    A blog or press release can repeat a figure without its population, design or
    comparator; citing one gives a number the look of research without its checks.

Flagged example:
    Over 80% of clients improve after four sessions [2].
    (where [2] is a wellness-magazine article)

Use instead:
    Cite the peer-reviewed study the figure comes from, or say where it really comes from
    ("a clinic network's own survey reported...").

Not flagged:
    Journal articles, reviews, guidelines and agency pages; non-peer-reviewed sources cited
    for non-efficacy background (history, access, cost).

Knowledge used:
    Study records (peer_reviewed, source_kind) and source kinds with their typical domains.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from claimaudit.claims.model import Certainty, Claim, ClaimKind
from claimaudit.findings.model import EvidenceRef, Family, Finding, Severity
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.citation._sources import classify, is_credible
from claimaudit.rules.statistics._numbers import RESULT_KINDS, SESSION_KINDS, stated_numbers

RULE = Rule(
    code="CITE003",
    name="weak-source",
    family=Family.CITE,
    severity=Severity.WARNING,
    summary="Efficacy or numeric claim cites a source that is not peer-reviewed",
)

_EFFECT_KINDS = frozenset({ClaimKind.EFFICACY, ClaimKind.STATISTIC, ClaimKind.DURABILITY, ClaimKind.ONSET})


def check(claim: Claim, ctx: RuleContext) -> Iterable[Finding]:
    if claim.certainty <= Certainty.REJECTED or not claim.citations:
        return ()
    return _findings(claim, ctx)


def _findings(claim: Claim, ctx: RuleContext) -> Iterator[Finding]:
    numeric = bool(stated_numbers(claim, RESULT_KINDS | SESSION_KINDS))
    if not numeric and not set(claim.kinds) & _EFFECT_KINDS:
        return
    for marker in claim.citations:
        verdict = classify(marker, ctx)
        if not verdict.kind or is_credible(verdict, ctx):
            continue
        what = "a numeric result" if numeric else "an efficacy claim"
        label = verdict.study.citation if verdict.study else (
            marker.reference.text if marker.reference else marker.text
        )
        message = (
            f"{marker.text.strip()} is cited for {what} but is a {verdict.kind_name} "
            f"(not peer-reviewed; judged by {verdict.via}): {_short(label)}"
        )
        evidence = []
        if verdict.study is not None:
            evidence.append(EvidenceRef(id=verdict.study.id, label=verdict.study.short_label, url=verdict.study.link))
        kind = ctx.kb.source_kind(verdict.kind)
        if kind is not None and kind.sources:
            evidence.append(EvidenceRef(id=kind.id, label=kind.name, url=kind.sources[0].link))
        yield RULE.finding(
            claim,
            message,
            severity=Severity.WARNING,
            evidence=evidence,
            advice="Cite the peer-reviewed study behind the statement, or present it as the source's own report.",
            trigger=(marker.start, marker.end),
        )
        return


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
