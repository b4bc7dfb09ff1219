"""SCOPE002 transplanted-result: a result carried over from another condition, population or species.

What it flags:
    A figure quoted for one condition that the knowledge base records as a result of a study
    in another (a depression response rate on an anxiety page); a cited study of a different
    condition used for a number; a subtype's result quoted for its parent condition; a figure
    for one age group quoted for another; and animal findings stated or inferred as results
    in patients.

Why it matters:
    Response rates, effect sizes and timelines do not transfer between conditions, patient
    groups or species. Quoting them elsewhere promises a result nobody has measured there.

Flagged example:
    For panic disorder, 64% of patients respond within a day (Rivera et al., 2014).
    (where Rivera 2014 studied treatment-resistant depression)

Use instead:
    In treatment-resistant depression, 64% responded within a day (Rivera et al., 2014);
    no comparable figure exists for panic disorder.

Not flagged:
    Figures whose study covers the claim's condition (or a parent or child of it); figures
    matching no recorded result; approximate or bounded figures ("over 70%") without a
    citation, which STAT002 reports; animal studies cited for mechanisms described as animal
    findings; figures for an age group in a sentence that names no treatment and cites no
    recorded study (prevalence, surveys: "70% of teenagers call depression a major problem");
    figures that are not results of the treatment (prevalence, pharmacokinetics, prices: the
    topics STAT002 uses); uncited figures on a page that reports its own research (an abstract,
    a news report, a label), which are that page's results.

Knowledge used:
    Study records: indications, population, design (preclinical), outcomes with their
    indication; the indication hierarchy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from claimaudit.claims.model import Certainty, Claim, ClaimKind
from claimaudit.findings.model import EvidenceRef, Family, Finding, Severity
from claimaudit.knowledge_base.model import Mechanism, Outcome, Study
from claimaudit.nlp import prefilter
from claimaudit.nlp.scan import finditer_kept
from claimaudit.rules._rewrite import hedged_prefix, table_rewrite
from claimaudit.rules.base import Rule, RuleContext, per_claim_in_context, per_record, per_text
from claimaudit.rules.citation._sources import credible_study_cited
from claimaudit.rules.scope._studies import (
    claim_studies,
    context_studies,
    covers_indication,
    describe_study,
    focus_substances,
    indication_name,
    indication_related,
    study_ref,
)
from claimaudit.rules.statistics._numbers import (
    Stated,
    outcome_matches,
    own_figures,
    stated_numbers,
)
from claimaudit.rules.statistics._topic import OUTCOME, number_topic, reports_research

RULE = Rule(
    code="SCOPE002",
    name="transplanted-result",
    family=Family.SCOPE,
    severity=Severity.WARNING,
    summary="Result carried over from another condition, population or species",
)

_ANIMAL_WORDS = prefilter.compile(
    r"\b(?:animal|animals|rodent|rodents|mice|mouse|rats?|preclinical|pre-clinical|in vitro|laboratory)\b", re.I
)


@per_text
def _animal_words(text: str) -> bool:
    return bool(_ANIMAL_WORDS.search(text))


@per_record
def _animal_population(study: Study) -> bool:
    return bool(_ANIMAL_WORDS.search(study.population or ""))


_PRECLINICAL = frozenset({"preclinical", "animal", "in_vitro"})


def check(claim: Claim, ctx: RuleContext) -> Iterable[Finding]:
    if claim.certainty <= Certainty.SPECULATIVE:
        return ()
    return _findings(claim, ctx)


def _findings(claim: Claim, ctx: RuleContext) -> Iterator[Finding]:
    finding = transplant(claim, ctx)
    if finding is not None:
        yield finding


@per_claim_in_context
def transplant(claim: Claim, ctx: RuleContext) -> Finding | None:
    """The SCOPE002 finding for a claim, if any (STAT002 leaves such numbers to SCOPE)."""
    if claim.certainty <= Certainty.SPECULATIVE:
        return None
    return (
        _animal_to_human(claim, ctx)
        or _animal_inference(claim)
        or _preclinical_as_finding(claim, ctx)
        or (_population_transplant(claim, ctx) if claim.quantities else None)  # both need a stated number
        or (_number_transplant(claim, ctx) if claim.quantities else None)
    )


# Age groups a result may be carried to (label, pattern).
_AGE_GROUPS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("older adults", prefilter.compile(
        r"\b(?:over|aged|above|older than)\s+(?:6[05]|70|75)\b|\b6[05]\s*(?:\+|and (?:over|older))|"
        r"\bolder (?:adults|people|patients)\b|\belderly\b|\bseniors?\b|\blater life\b", re.I)),
    ("young people", prefilter.compile(
        r"\b(?:adolescents?|teen(?:s|agers?)?|children|kids|young people|youth|under 18)\b", re.I)),
)


def _population_transplant(claim: Claim, ctx: RuleContext) -> Finding | None:
    """A figure quoted for an age group (older adults, adolescents) that comes from a study of
    other adults, when the base holds a study of that age group with a different result."""
    numbers = [s for s in stated_numbers(claim) if not s.is_threshold and s.quantity.kind != "sample_size"]
    if not numbers:
        return None  # (before the age-group words: most claims have no such number)
    groups = [(label, rx) for label, rx in _AGE_GROUPS if rx.search(claim.text)]
    if not groups:
        return None
    label, pattern = groups[0]
    cited = list(claim_studies(claim, ctx.kb))
    if not cited and not claim.substances:
        return None  # no treatment named: a prevalence or survey figure for the age group
    pool = cited or _effect_studies(claim, ctx)
    in_group = [s for s in _effect_studies(claim, ctx) if pattern.search(s.population or "")]
    if not in_group:
        return None
    for stated in numbers:
        if any(outcome_matches(stated, o) for s in in_group for o in s.outcomes):
            return None  # the figure is the age group's own result
        for study in pool:
            if pattern.search(study.population or "") or study in in_group:
                continue
            for outcome in study.outcomes:
                if outcome_matches(stated, outcome) and not pattern.search(outcome.population or ""):
                    own = in_group[0]
                    result = next((o for o in own.outcomes if o.measure == outcome.measure), None)
                    detail = (
                        f"; in {own.population}, {describe_study(own)} found {result.value:g}{result.unit}"
                        + (f" vs {result.comparator_value:g}{result.unit}" if result and result.comparator_value is not None else "")
                        if result else f"; {describe_study(own)} studied {own.population}"
                    )
                    return RULE.finding(
                        claim,
                        f"'{stated.quantity.text.strip()}' is a result from {describe_study(study)} in "
                        f"{study.population or 'other adults'}, quoted here for {label}{detail}",
                        evidence=[study_ref(study, note=outcome.definition), study_ref(own, note=own.population)],
                        suggestion=_without_figure(claim, stated),
                        advice=f"Quote the result measured in {label}, or say which population the figure comes from.",
                        trigger=(stated.quantity.start, stated.quantity.end),
                    )
    return None


def _number_transplant(claim: Claim, ctx: RuleContext) -> Finding | None:
    if not claim.indications and not claim.topic_indication:
        return None  # no condition named or inherited: the test below would end the same way
    # only results of the treatment travel: prevalence, pharmacokinetics, prices do not
    numbers = [s for s in stated_numbers(claim) if not s.is_threshold and s.quantity.kind != "sample_size"
               and number_topic(claim, s.quantity) == OUTCOME]
    if not numbers:
        return None
    own = claim_studies(claim, ctx.kb)
    if not own and own_figures(claim.text):
        return None  # a clinic's own figure, not a study's (STAT002 reports it)
    indications = claim.indications
    if not indications and own and claim.topic_indication:
        if not claim.citations:
            return None  # a study named by its trial name carries its own condition
        # a cited figure on a page about another condition, with no condition named:
        # only a study of an unrelated condition is a transplant
        indications = (claim.topic_indication,)
        own = tuple(s for s in own if not any(
            indication_related(ctx.kb, i, claim.topic_indication) for i in s.indications
        ))
        if not own:
            return None
    if not indications:
        return None  # a page-topic guess alone is too weak a basis
    context = () if own or claim.citations else context_studies(claim, ctx)
    if own:
        attempts = [(list(own), False, False)]
    elif not claim.citations and not credible_study_cited(claim, ctx):
        # the study the paragraph just named ("that means seven in ten ..."), then any
        # study with that distinctive figure (not on a page reporting its own research)
        attempts = [(list(context), False, True)] if context else []
        if not reports_research(ctx.facts.page_kind):
            attempts.append((_effect_studies(claim, ctx), True, False))
    else:
        return None
    for candidates, exact_only, loose in attempts:
        found = _transplanted(claim, ctx, numbers, candidates, indications, exact_only=exact_only, loose=loose)
        if found is not None:
            return found
    return None


def _transplanted(
    claim: Claim, ctx: RuleContext, numbers: list[Stated], candidates: list[Study],
    indications: tuple[str, ...], *, exact_only: bool, loose: bool,
) -> Finding | None:
    for stated in numbers:
        if exact_only and (stated.relation != "exact" or _round(stated.value)):
            continue  # without a citation only a distinctive figure (70.8%, 9.87) identifies a study
        home = _home_studies(stated, candidates, ctx, indications, loose=loose)
        if home is None:
            continue
        if exact_only and any(
            outcome_matches(stated, o) for s in _effect_studies(claim, ctx)
            for o in s.outcomes if _outcome_covers(ctx, s, o, indications)
        ):
            continue
        study, outcome = home
        where = _outcome_indication(study, outcome)
        wanted = ", ".join(indication_name(ctx.kb, i) for i in indications)
        return RULE.finding(
            claim,
            f"'{stated.quantity.text.strip()}' is a result from {describe_study(study)} in "
            f"{indication_name(ctx.kb, where) if where else study.population or 'another population'}, "
            f"quoted here for {wanted}",
            evidence=[study_ref(study, note=outcome.definition or outcome.measure)],
            suggestion=_without_figure(claim, stated),
            advice=f"Say which condition and study the figure comes from, or use a result measured in {wanted}.",
            trigger=(stated.quantity.start, stated.quantity.end),
        )
    return None


def _home_studies(
    stated: Stated, studies: list[Study], ctx: RuleContext, indications: tuple[str, ...], *, loose: bool = False
) -> tuple[Study, Outcome] | None:
    """The study/outcome the number comes from, when that outcome is for another condition
    (None if it matches nothing, or matches an outcome for the claim's condition). `loose`
    (a number in a paragraph about a study) accepts a related condition: the sentence speaks
    of that study's patients."""
    other: tuple[Study, Outcome] | None = None
    for study in studies:
        for outcome in study.outcomes:
            if not outcome_matches(stated, outcome):
                continue
            if _outcome_covers(ctx, study, outcome, indications) or (
                loose and covers_indication(ctx.kb, (outcome.indication,) if outcome.indication else study.indications, indications[0])
            ):
                return None
            other = other or (study, outcome)
    return other


def _outcome_covers(ctx: RuleContext, study: Study, outcome: Outcome, indications: tuple[str, ...]) -> bool:
    """The outcome was measured in the claim's condition or in a broader one that contains it;
    a result for one subtype (social anxiety) does not cover its parent (anxiety disorders)."""
    have = (outcome.indication,) if outcome.indication else study.indications
    if study.indications and all(h in ctx.kb.indication_ancestors(i) and h != i for h in have for i in study.indications):
        have = study.indications  # a study measures no broader population than it enrolled
    if not have:
        return True
    for wanted in indications:
        if any(h == wanted or h in ctx.kb.indication_ancestors(wanted) for h in have):
            return True
        if set(have) >= set(_children(ctx, wanted)) and _children(ctx, wanted):
            return True  # the study covered every subtype of the condition
    return False


def _children(ctx: RuleContext, indication: str) -> tuple[str, ...]:
    return tuple(
        i.id for i in ctx.kb.kb.indications.values() if i.parent == indication
    )


def _outcome_indication(study: Study, outcome: Outcome) -> str:
    return outcome.indication or (study.indications[0] if study.indications else "")


def _effect_studies(claim: Claim, ctx: RuleContext) -> list[Study]:
    found: dict[str, Study] = {}
    for substance in focus_substances(claim, ctx.kb):
        for study in ctx.kb.studies_for(substance):
            if study.peer_reviewed:
                found.setdefault(study.id, study)
    return list(found.values())


# An animal result carried to people in so many words ("which tells us it will do the same in people");
# a `named` subject counts only when it is a substance the claim names (`_carried_to_people`).
_TO_PEOPLE = prefilter.compile(
    r"\b(?:same|likewise|also)\b[^.;]{0,30}\b(?:in|for)\s+(?:people|humans|patients|you)\b"
    r"|\b(?:tells|shows|proves|means)\s+(?:us\s+)?(?:that\s+)?(?:it|this|the drug|(?P<named>[\w-]+))\s+(?:will|does|can)\b"
    r"|\b(?:so|therefore)\s+(?:patients|people|you)\b",
    re.I,
)
# Research attribution that presents a finding as established in people.
_FOUND = prefilter.compile(
    # "research shows", "research published in Nature shows", "studies at two universities have
    # found": the words between open with a preposition or participle and hold no verb, conjunction
    # or other subject ("research is limited but our patients have found" is the patients' word)
    r"\b(?:scientists|researchers|studies|research|science)"
    r"(?:\s+(?:published|conducted|done|led|funded|at|in|from|by|of|on|into|across|involving|among)"
    r"(?:\s+(?!(?:and|but|or|nor|is|are|was|were|can|cannot|could|that|who|which|why|patients|people|clients|nurses|doctors)\b)[\w-]+){0,5})?"
    r"\s+(?:have\s+|has\s+)?(?:found|show(?:s|n)?|prove[ds]?|confirm(?:s|ed)?|discovered)\b",
    re.I,
)
_PRECLINICAL_STATUS = frozenset({"preclinical"})


def _carried_to_people(claim: Claim) -> bool:
    """`_TO_PEOPLE` matches, its named subject (if any) a substance the claim mentions ("which
    shows psilocybin will ..."), not the animal ("which shows that rats can ...")."""
    names = {m.text.casefold() for m in claim.mentions if m.kind == "substance"}

    def keep(match: re.Match[str]) -> bool:
        named = match.group("named")
        return named is None or named.casefold() in names

    return next(finditer_kept(_TO_PEOPLE, claim.text, keep), None) is not None


def _animal_inference(claim: Claim) -> Finding | None:
    """Animal findings named as such, then carried over to people."""
    if not _animal_words(claim.text) or not _carried_to_people(claim):
        return None
    return RULE.finding(
        claim,
        "carries a finding from animal studies over to people; animal models do not show what happens in patients",
        suggestion=table_rewrite(claim, "animal"),
        advice="Say the finding comes from animal studies and that it has not been shown in people.",
    )


def _preclinical_as_finding(claim: Claim, ctx: RuleContext) -> Finding | None:
    """A mechanism the base records as shown only in animals, reported as a research finding
    about patients or people ("studies show ketamine grows new synapses ...")."""
    if _animal_words(claim.text):
        return None
    # (the mechanisms of a sentence are looked up once for all rules: tested before the wording)
    preclinical = [m for m in ctx.kb.mechanisms_matching(claim.text) if m.status in _PRECLINICAL_STATUS]
    if not preclinical or not _FOUND.search(claim.text):
        return None
    mechanism = preclinical[0]
    return RULE.finding(
        claim,
        f"reports as a finding in people what has been shown only in animals: {mechanism.statement}",
        evidence=[study_ref_for_mechanism(mechanism)],
        suggestion=hedged_prefix(claim, "Animal studies suggest that", "attribution"),
        advice="Say the finding comes from animal studies, or cite evidence in patients.",
    )


def study_ref_for_mechanism(mechanism: Mechanism) -> EvidenceRef:

    link = next((s.link for s in mechanism.sources if s.link), "")
    return EvidenceRef(id=mechanism.id, label=mechanism.statement, url=link, note=mechanism.status)


def _animal_to_human(claim: Claim, ctx: RuleContext) -> Finding | None:
    if ClaimKind.EFFICACY not in claim.kinds or ClaimKind.MECHANISM in claim.kinds:
        return None
    if _animal_words(claim.text):
        return None
    for study in claim_studies(claim, ctx.kb):
        if study.design in _PRECLINICAL or _animal_population(study):
            if study.design not in _PRECLINICAL and re.search(r"\b(?:patients|adults|people|participants)\b", study.population, re.I):
                continue
            return RULE.finding(
                claim,
                f"states as a result in people what {describe_study(study)} found in animals",
                evidence=[study_ref(study, note=study.population)],
                suggestion=hedged_prefix(claim, "In animal studies,", "attribution"),
                advice="Say the finding comes from animal studies, or cite evidence in patients.",
            )
    return None


def _round(value: float) -> bool:
    return float(value).is_integer() and int(value) % 5 == 0


def _without_figure(claim: Claim, stated: Stated) -> str | None:
    """The sentence without the figure carried over from another population."""
    quantity = stated.quantity
    return table_rewrite(claim, "figures", (quantity.start - claim.norm_start, quantity.end - claim.norm_start))
