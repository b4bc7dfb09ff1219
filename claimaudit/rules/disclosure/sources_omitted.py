"""DISC006 sources-missing: promotional health page without a usable list of sources.

What it flags
    A promotional page that appeals to research or authority ("studies show", "proven", "in
    clinical trials", "according to the WHO") or uses citation
    markers, but gives no references or source links, including pages whose numbered
    markers ([2], [4]) point at a reference list that is not there.

Why it matters
    Claims about efficacy and safety must be checkable; without sources readers cannot tell
    evidence from marketing.

Flagged example
    "Studies have shown remarkable results [3]" on a page with no reference list.

Use instead
    Add a reference list with the studies behind each claim (PubMed or DOI links).

Not flagged
    Pages with a reference list or source links, and non-promotional pages.

Knowledge used
    None (a page-level fact).
"""

from __future__ import annotations

from collections.abc import Iterator

from claimaudit.claims.model import DocumentFacts
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.rules._rewrite import plural
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.disclosure._page import is_promotional, omission, table

RULE = Rule(
    code="DISC006",
    name="sources-missing",
    family=Family.DISC,
    severity=Severity.WARNING,
    summary="Promotional health page without a usable list of sources",
    scope="document",
)


def check_document(facts: DocumentFacts, ctx: RuleContext) -> Iterator[Finding]:
    if facts.has_sources or not is_promotional(facts, ctx):
        return
    if not facts.citation_count and not _appeals_to_research(ctx):
        return
    if facts.citation_count:
        message = (
            f"promotes a treatment and uses {plural(facts.citation_count, 'citation marker')}, but there is "
            f"no reference list {'it points' if facts.citation_count == 1 else 'they point'} to"
        )
    else:
        message = "promotes a treatment but gives no references or source links"
    yield from omission(
        RULE,
        ctx,
        "sources",
        message,
        "Add a reference list with the studies behind each claim (PubMed or DOI links).",
    )


def _appeals_to_research(ctx: RuleContext) -> bool:
    """Some claim presents itself as research-backed, proven or endorsed by an authority
    ("studies show", "proven", "in clinical trials", "according to the WHO")."""
    if any(c.cue_labels() & {"research_backed", "proven", "authority"} for c in ctx.claims):
        return True
    appeals = table("research_appeal_regex")
    return any(appeals.any_search(c.text) for c in ctx.claims)
