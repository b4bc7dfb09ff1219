"""CITE002 unresolved-marker: a numbered citation that points at nothing.

What it flags:
    A numbered citation marker ("[4]", "(2)") in a claim when the page has no reference
    list, or the list has no entry with that number.

Why it matters:
    A marker looks like evidence, but a reader cannot check a source that is not there;
    it lends a claim authority it has not earned.

Flagged example:
    Infusions relieve panic symptoms in most patients [3].   (page has no reference list)

Use instead:
    Add the reference list, or name the source in the text: "(Author et al., 2021, Journal)".

Not flagged:
    Markers that resolve to an entry of the page's reference list; author-year citations
    (CITE005 checks those); links.

Knowledge used:
    None beyond the page itself: its reference list and markers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from claimaudit.claims.model import Claim
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.rules.base import Rule, RuleContext

RULE = Rule(
    code="CITE002",
    name="unresolved-marker",
    family=Family.CITE,
    severity=Severity.WARNING,
    summary="Citation marker that resolves to nothing",
)


def check(claim: Claim, ctx: RuleContext) -> Iterable[Finding]:
    if not claim.citations:
        return ()  # (no citation marker)
    return _findings(claim, ctx)


def _findings(claim: Claim, ctx: RuleContext) -> Iterator[Finding]:
    unresolved = [m for m in claim.citations if m.kind == "numbered" and m.reference is None]
    if not unresolved:
        return
    labels = ", ".join(dict.fromkeys(m.text.strip() for m in unresolved))
    if not ctx.facts.references:
        message = f"citation {labels} cannot be checked: the page has no reference list"
    else:
        message = f"citation {labels} has no matching entry in the page's reference list"
    yield RULE.finding(
        claim,
        message,
        advice="Add the reference the marker points to (author, year, title, journal or link).",
    )
