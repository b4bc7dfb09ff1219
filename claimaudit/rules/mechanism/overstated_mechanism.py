"""MECH002 overstated-mechanism: a mechanism stated with more certainty than its status.

What it flags
    A mechanism statement ("rewires the brain", "reverses the damage", "grows new synapses
    in patients") asserted at a certainty above what the knowledge base's status for it
    supports: preclinical, hypothesised or limited mechanisms support hedged wording only
    (level 2). Two or more levels over is a warning; one level over is a warning for a bare
    hypothesis and info for a preclinical or limited mechanism.

Why it matters
    Mechanism stories sell treatments. Presenting animal findings or hypotheses as
    established facts about patients' brains overstates what is known.

Flagged example
    Each infusion rebuilds the connections that depression has destroyed.

Use instead
    In animal studies, ketamine promotes the growth of new synaptic connections; whether
    this happens in patients, and explains the benefit, is not yet known.

Not flagged
    Hedged statements at or below the supported level ("may promote the growth of neural
    connections"), statements scoped to where they were shown ("in animal studies"),
    reports of what studies explored, headings, one-level overstatements that cite a source
    or describe one molecular step of a pathway without making it a claim about the
    substance or the brain, established pharmacology ("ketamine blocks NMDA receptors"),
    and preclinical mechanisms reported as research findings ("studies show ketamine grows
    new synapses": an animal result carried to people, judged by SCOPE). A hedge or a condition
    does not cover presupposed content: "may reverse the damage caused by anxiety" still asserts
    the damage, and "should it work, later visits build on its neuron-mending powers" still
    asserts the mending.

Knowledge used
    Mechanism entries: triggers, status (established / limited / preclinical / hypothesis),
    the certainty level each status supports, corrections and sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from claimaudit.claims.model import Certainty, Claim, QualifierKind
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.knowledge_base.model import Mechanism, MechanismStatus
from claimaudit.nlp.analysis_cache import compiled
from claimaudit.rules._helpers import (
    family_regex,
    is_rebutted,
    looks_like_heading,
    plain,
    regex_list,
    source_ref,
    substance_label,
)
from claimaudit.rules._rewrite import hedged_prefix, table_rewrite
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.citation._sources import credible_study_cited
from claimaudit.rules.mechanism._matching import has_mechanisms, is_wrong, matched_mechanisms

RULE = Rule(
    code="MECH002",
    name="overstated-mechanism",
    family=Family.MECH,
    severity=Severity.WARNING,
    summary="Mechanism stated with more certainty than its evidence",
)


def check(claim: Claim, ctx: RuleContext) -> Iterable[Finding]:
    if claim.certainty == 0 or is_rebutted(claim) or claim.text.rstrip().endswith("?"):
        return ()  # rejected, rebutted, or asked ("Does ketamine rewire the brain?")
    if not has_mechanisms(claim, ctx):
        return ()  # (most claims: no mechanism record's trigger)
    return _findings(claim, ctx)


def _findings(claim: Claim, ctx: RuleContext) -> Iterator[Finding]:
    mechanisms = matched_mechanisms(claim, ctx)
    if not mechanisms or any(is_wrong(m) for m in mechanisms):
        return  # MECH001's
    text = plain(claim.text)
    if family_regex("mechanism", "preclinical_scope").search(text) or looks_like_heading(claim):
        return
    if any(p.search(text) for p in regex_list("mechanism", "investigation_regex")):
        return
    if _animal_finding_as_research(claim, mechanisms):
        return  # "studies show it grows new synapses": an animal result carried to people (SCOPE)
    worst = max(mechanisms, key=lambda m: claim.certainty - m.status.supported_level)
    level = int(claim.certainty)
    presupposed = _presupposes(claim, text, ctx)
    if presupposed:
        # "may reverse the damage caused by anxiety", "should it work, later visits build on its
        # neuron-mending powers": a modal or condition does not hedge what the noun phrase takes for granted
        level = max(level, int(Certainty.ASSERTED))
    gap = level - worst.status.supported_level
    if gap <= 0:
        return
    if gap == 1 and not presupposed and (_cited(claim, ctx) or not _about_brain_or_person(claim, text)):
        return
    supported = Certainty(worst.status.supported_level).label if worst.status.supported_level >= 0 else "none"
    message = (
        f"states '{worst.statement.rstrip('.')}' as {Certainty(level).label} (level {level}) "
        f"where its status is {worst.status.value} (supports {supported} wording, level "
        f"{worst.status.supported_level})"
    )
    yield RULE.finding(
        claim,
        message,
        severity=_severity(gap, worst, presupposed),
        evidence=[source_ref(worst.id, worst.statement, worst.sources)],
        suggestion=None if presupposed else _rewrite(claim, worst),
        advice=mechanism_advice(worst, _substance_named(claim, worst, ctx)),
        note=worst.correction or None,
    )


def _rewrite(claim: Claim, mechanism: Mechanism) -> str | None:
    """The claim hedged as the mechanism's status allows; an established mechanism stated as
    absolute keeps its statement and loses only the absolute wording."""
    lead = _HEDGE_LEAD.get(mechanism.status)
    if lead is None:
        return table_rewrite(claim, "efficacy")
    return hedged_prefix(claim, lead, "efficacy")


def mechanism_advice(mechanism: Mechanism, substance: str) -> str:
    """What to change, with an example lead-in fit for the mechanism's status and the claim's substance."""
    lead = _ADVICE_LEAD.get(mechanism.status)
    if lead is None:  # established: only an absolute claim (level 5) goes beyond it
        return "Keep the mechanism but drop the absolute wording: it is established, not certain in every patient."
    return f"Hedge the mechanism and say where it was shown (e.g. '{lead} {substance} may ...')."


def _substance_named(claim: Claim, mechanism: Mechanism, ctx: RuleContext) -> str:
    """The substance the claim is about (else the mechanism record's first), by its name."""
    ids = claim.subject_substances or mechanism.substances
    return substance_label(ctx, ids[0]) if ids else "it"


# how the advice's example introduces a mechanism of each status
_ADVICE_LEAD = {
    MechanismStatus.PRECLINICAL: "in animal studies,",
    MechanismStatus.HYPOTHESIS: "one hypothesis is that",
    MechanismStatus.LIMITED: "limited evidence suggests that",
}

# how a rewrite introduces a mechanism of each status (wording at level 2 or below)
_HEDGE_LEAD = {
    MechanismStatus.PRECLINICAL: "Animal studies suggest that",
    MechanismStatus.HYPOTHESIS: "One hypothesis is that",
    MechanismStatus.LIMITED: "Limited evidence suggests that",
}


def _severity(gap: int, mechanism: Mechanism, presupposed: bool) -> Severity:
    """Two or more levels over: warning. One level over: warning for a bare hypothesis stated
    as fact (no animal or human evidence behind it), info otherwise."""
    if gap >= 2 or (mechanism.status is MechanismStatus.HYPOTHESIS and not presupposed):
        return Severity.WARNING
    return Severity.INFO


_IT = compiled(r"\s*(?:it|its)\b", re.I)


def _about_brain_or_person(claim: Claim, text: str) -> bool:
    """The statement is made of the substance itself (named, or 'it') or frames the mechanism
    as a change in the brain or person, not as one molecular step of a pathway."""
    if claim.substances or _IT.match(text):
        return True
    return bool(family_regex("mechanism", "outcome_terms").search(text))


def _presupposes(claim: Claim, text: str, ctx: RuleContext) -> bool:
    """Content taken for granted by the wording itself, unless a verb of belief or proposal
    before it keeps it inside a reported view ("some theorize that its ability to ...").
    `text`: the claim's text, `plain`."""
    plug = family_regex("mechanism", "presupposition_plugs").search(text)
    starts = [match.start() for pattern in regex_list("mechanism", "presupposition_regex") if (match := pattern.search(text))]
    starts.extend(_attributes(claim, text, ctx))
    return any(not (plug and plug.start() < start) for start in starts)


def _attributes(claim: Claim, text: str, ctx: RuleContext) -> Iterator[int]:
    """Where the claim gives the drug a healing attribute ("the drug's neuron-mending powers",
    "its ability to"): the start of each owner (a focus substance the claim names, by one of its
    names in the base, or one of the pattern file's `attribute_owners`) that an `attribute_regex`
    follows."""
    owners = [(m.start(), m.end()) for m in family_regex("mechanism", "attribute_owners").finditer(text)]
    for mention in claim.mentions:
        if mention.kind != "substance" or (record := ctx.kb.substance(mention.entity_id)) is None or not record.focus:
            continue
        if mention.text.casefold() not in {name.casefold() for name in record.names()}:
            continue  # a pronoun the clause inherits ("It could have abilities ..."), not the drug's name
        start, end = mention.start - claim.norm_start, mention.end - claim.norm_start
        if 0 <= start and end <= len(text):
            owners.append((start, end))
    tails = regex_list("mechanism", "attribute_regex")
    for start, end in sorted(set(owners)):
        if any(tail.match(text, end) for tail in tails):
            yield start


def _animal_finding_as_research(claim: Claim, mechanisms: list[Mechanism]) -> bool:
    """A preclinical mechanism reported as what research found ("studies show", "scientists
    have found"): the problem is the animal result carried over to people, which the scope
    rules judge, not the mechanism's certainty."""
    attributed = (
        bool(claim.cue_labels() & {"research_backed"})
        or claim.has_qualifier(QualifierKind.ATTRIBUTION)
        or any(p.search(claim.text) for p in regex_list("mechanism", "research_finding_regex"))
    )
    return attributed and all(m.status is MechanismStatus.PRECLINICAL for m in mechanisms)


def _cited(claim: Claim, ctx: RuleContext) -> bool:
    """A citation that can carry the statement: a resolved study or a credible source (a
    clinic blog or press release behind a mechanism does not temper it)."""
    return credible_study_cited(claim, ctx)
