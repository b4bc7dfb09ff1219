"""CITE006 phantom-authority: an appeal to guidelines or experts that do not exist or are hypothetical.

What it flags:
    A claim that rests on an authority the reader cannot find: guidelines, a consensus or a
    task force identified only by a year that no guideline in the knowledge base has ("the
    2025 guidelines"), and no named body or citation (warning); or statements put in the mouth
    of hypothetical guidelines or experts ("the guidelines would recommend", "experts would
    advise"), or unnamed experts who "agree" with no source (info).

Why it matters:
    Guidelines carry great weight with patients. Inventing them, or describing what they
    "would" say, borrows that weight for the writer's own opinion.

Flagged example:
    Under the 2030 treatment guidelines, infusions are the preferred option for panic.

Use instead:
    Name the real guideline and what it says ("CANMAT 2021 rates the evidence outside
    depression as preliminary"), or present the view as the clinic's own.

Not flagged:
    Named bodies with a citation or a year the base records (a 2021 task force that exists);
    statements that guidelines do not exist or have not recommended something; authorities
    cited with a source.

Knowledge used:
    Guideline and consensus records (year, authors) in the studies table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from claimaudit.nlp.analysis_cache import compiled
from claimaudit.claims.model import Certainty, Claim, QualifierKind
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.nlp import prefilter
from claimaudit.rules._rewrite import table_rewrite
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.scope._studies import study_ref

RULE = Rule(
    code="CITE006",
    name="phantom-authority",
    family=Family.CITE,
    severity=Severity.WARNING,
    summary="Appeal to guidelines or experts that do not exist or are hypothetical",
)

_AUTHORITY = r"(?:guidelines?|guidance|consensus(?: statement)?|recommendations|task force|position statement|expert panel)"
_YEAR_FIRST = prefilter.compile(rf"\b((?:19|20)\d\d)\W{{0,3}}\s*((?:[A-Za-z\-]+\s+){{0,2}}?){_AUTHORITY}\b", re.I)
_YEAR_AFTER = prefilter.compile(rf"\b{_AUTHORITY}\s+(?:of|from|for)\s+((?:19|20)\d\d)\b", re.I)
_HYPOTHETICAL = prefilter.compile(
    rf"""\b(?:{_AUTHORITY}|experts?|specialists|authorities|clinicians|doctors)[\u201d\u2019"']?\s+(?:would|will likely|would likely|might)\b""",
    re.I,
)
_UNNAMED_AGREE = prefilter.compile(
    r"\b(?:experts|specialists|scientists|doctors|physicians|psychiatrists|clinicians)\s+"
    r"(?:now\s+|increasingly\s+|widely\s+|all\s+)?(?:agree|recommend|say|believe|consider|regard|call)\b",
    re.I,
)
_CLOSED_END = compiled(r"[.!;]\s*$")
_OF_THE_NAME = compiled(r"\b(?:at|from|of)\s+the\s+[A-Z]")
_ACRONYM = compiled(r"[A-Z]{2,}[a-z]?(?:'s|’s)?")
_PROPER_POSSESSIVE = compiled(r"[A-Z][a-z]+(?:'s|’s)")
_NAMED = compiled(r"\b[A-Z]{2,}[a-z]?\b|\b[A-Z][a-z]+(?:'s|’s)")
# The text denies the authority ("no guideline recommends", "has not issued guidelines").
_DENIED = prefilter.compile(
    rf"\b(?:no|not|never|nor|without|hasn't|haven't)\b[^.;:]{{0,40}}?\b(?:{_AUTHORITY}|experts?|recommend\w*)\b",
    re.I,
)
# Words one of which every match of _YEAR_FIRST, _YEAR_AFTER, _HYPOTHETICAL and _UNNAMED_AGREE
# contains (lower-cased): without one of them in the text, none of those patterns can match.
_AUTHORITY_STEMS = (
    "guid", "consensus", "recommendation", "task force", "position statement", "expert", "specialist",
    "authorit", "clinician", "doctor", "scientist", "physician", "psychiatrist",
)


def _names_authority(text: str) -> bool:
    folded = prefilter.folded(text)  # (the claim's folded text, made once for all rules)
    return any(map(folded.__contains__, _AUTHORITY_STEMS))


_GUIDELINE_DESIGNS = frozenset({"guideline", "consensus", "position_statement", "task_force"})


def check(claim: Claim, ctx: RuleContext) -> Iterable[Finding]:
    if claim.citations or not (_names_authority(claim.text) or "hypothetical_authority" in claim.cue_labels()):
        return ()  # (every finding needs an authority word (or the hypothetical-authority cue))
    return _findings(claim, ctx)


def _findings(claim: Claim, ctx: RuleContext) -> Iterator[Finding]:
    text = claim.text  # (uncited, naming an authority: `check` asked)
    if claim.has_qualifier(QualifierKind.REBUTTAL) or _DENIED.search(text):
        return
    phantom = _phantom_year(text, ctx)
    if not phantom and (_CAUTION.search(text) or claim.has_qualifier(QualifierKind.LIMITATION)):
        return  # experts said to call for caution or more research: a statement of limits, not a claim
    if not phantom and _restates_real_guideline(text, ctx):
        return  # an unnamed but accurate paraphrase of a guideline the base holds
    hypothetical = "hypothetical_authority" in claim.cue_labels() or bool(_HYPOTHETICAL.search(text))
    if phantom:
        year, phrase = phantom
        message = f"appeals to '{phrase}', but no {year} guideline or consensus on this is known and none is cited"
        if hypothetical:
            message += "; the text describes what they 'would' say"
        yield RULE.finding(
            claim,
            message,
            severity=Severity.WARNING,
            evidence=[study_ref(s) for s in _real_guidelines(ctx)[:3]],
            suggestion=table_rewrite(claim, "authority"),
            advice="Name a real guideline and what it actually says, or present this as the author's own view.",
        )
    elif hypothetical:
        yield RULE.finding(
            claim,
            "attributes the statement to hypothetical guidelines or experts ('would ...') rather than to an identifiable source",
            severity=Severity.INFO,
            evidence=[study_ref(s) for s in _real_guidelines(ctx)[:3]],
            suggestion=table_rewrite(claim, "authority"),
            advice="Cite the guideline or expert body that says this, or state it as the author's own view.",
        )
    elif (
        (unnamed := _UNNAMED_AGREE.search(text)) and not _named_near(text, unnamed) and _CLOSED_END.search(text)
        and claim.certainty >= Certainty.ASSERTED  # "experts believe it might help": hedged, no citation duty
    ):
        yield RULE.finding(
            claim,
            "appeals to unnamed experts with no source",
            severity=Severity.INFO,
            suggestion=table_rewrite(claim, "authority"),
            advice="Name the experts or guideline and cite them.",
        )


# Cautions and calls for more research attributed to experts.
_CAUTION = prefilter.compile(
    r"\b(?:more|larger|longer|bigger|further|better)\s+(?:and\s+\w+\s+)?(?:studies|trials|research|data|evidence)\s+"
    r"(?:are|is)\s+(?:still\s+)?needed\b|\bneeds? (?:more|further) (?:study|research)\b|\bnot yet (?:proven|established)\b"
    r"|\bremains? (?:unproven|uncertain|unclear|experimental)\b|\bwith caution\b",
    re.I,
)
_LINE_OF_TREATMENT = prefilter.compile(r"\b(first|second|third|fourth)[\s-]+line\b", re.I)


def _restates_real_guideline(text: str, ctx: RuleContext) -> bool:
    """The statement gives the same line of treatment as a guideline in the base."""
    lines = {m.lower() for m in _LINE_OF_TREATMENT.findall(text)}
    if not lines:
        return False
    return any(
        lines & {m.lower() for m in _LINE_OF_TREATMENT.findall(s.conclusion)} for s in _real_guidelines(ctx)
    )


def appeals_to_unnamed_experts(text: str) -> bool:
    """"Experts agree ...", "leading psychiatrists consider ..." with no body named nearby."""
    match = _UNNAMED_AGREE.search(text)
    return match is not None and not _named_near(text, match)


def _named_near(text: str, match: re.Match[str]) -> bool:
    """A body named next to the unnamed-sounding authority ("CANMAT experts", "experts at the
    APA say"): a name in the three words before it or the four after its noun."""
    before = " ".join(text[: match.start()].split()[-3:])
    after = " ".join(text[match.start():].split()[:5])
    return bool(_NAMED.search(before) or _NAMED.search(after) or _OF_THE_NAME.search(after))


def _phantom_year(text: str, ctx: RuleContext) -> tuple[int, str] | None:
    """(year, phrase) for a year-identified authority with no named body and no known guideline."""
    if not prefilter.may_name_year(text):
        return None  # (both patterns need a year of 19xx or 20xx)
    for match in list(_YEAR_FIRST.finditer(text)) + list(_YEAR_AFTER.finditer(text)):
        year = int(next(g for g in match.groups() if g and g.strip().isdigit()))
        before = text[max(0, match.start() - 25):match.start()]
        window = before.split()[-2:] + match.group(0).split()
        if _has_named_body(window):
            continue
        if any(s.year == year for s in _real_guidelines(ctx)):
            continue
        return year, match.group(0).strip()
    return None


def _has_named_body(words: list[str]) -> bool:
    """An acronym (CANMAT, APA, NICE) or a possessive proper noun (Society's) names the body."""
    skip = {"The", "A", "An", "From", "In", "Under", "Per", "By"}
    for word in words:
        bare = word.strip(".,;:“”\"'()")
        if bare in skip or bare.isdigit():
            continue
        if _ACRONYM.fullmatch(bare) or _PROPER_POSSESSIVE.fullmatch(bare):
            return True
    return False


def _real_guidelines(ctx: RuleContext) -> list:  # type: ignore[type-arg]
    return [
        s for s in ctx.kb.kb.studies.values()
        if s.design in _GUIDELINE_DESIGNS or s.source_kind in _GUIDELINE_DESIGNS
    ]
