"""Studies named by description rather than by author: "a 2021 meta-analysis", "a 2018
randomized trial in social anxiety". The year, the design word and the claim's substance and
conditions pick one knowledge-base study; an ambiguous description names none."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from claimaudit.claims.model import Mention
from claimaudit.nlp.analysis_cache import compiled
from claimaudit.nlp.prefilter import may_name_year

if TYPE_CHECKING:
    from claimaudit.knowledge_base.lookup import KnowledgeLookup
    from claimaudit.knowledge_base.model import Study

# design words -> the knowledge-base designs they can describe
DESIGN_WORDS: tuple[tuple[str, frozenset[str]], ...] = (
    (r"meta-?analys[ie]s", frozenset({"meta_analysis"})),
    (r"systematic review", frozenset({"systematic_review", "meta_analysis"})),
    (r"(?:narrative )?review", frozenset({"systematic_review", "meta_analysis", "narrative_review"})),
    (r"(?:randomi[sz]ed|controlled|clinical|placebo-controlled|double-blind|crossover)(?: controlled| clinical)? trial",
     frozenset({"rct", "crossover_rct", "controlled_trial"})),
    (r"trial", frozenset({"rct", "crossover_rct", "controlled_trial", "open_label", "single_arm"})),
    (r"(?:retrospective |real-world )?(?:study|analysis)", frozenset()),  # any design
)
_DESCRIPTION = compiled(
    r"\b(?:a|an|the|one|in a|in the)\s+((?:19|20)\d\d)\s+("
    + "|".join(f"(?:{pattern})" for pattern, _ in DESIGN_WORDS)
    + r")\b",
    re.I,
)
_DESIGNS = tuple((compiled(pattern, re.I), designs) for pattern, designs in DESIGN_WORDS)


def described_studies(
    text: str,
    offset: int,
    substances: Sequence[str],
    indications: Sequence[str],
    lookup: "KnowledgeLookup",
) -> tuple[Mention, ...]:
    """A study mention for each description in `text` that fits exactly one study."""
    if not may_name_year(text):
        return ()  # every description names a year 19xx or 20xx
    mentions = []
    for match in _DESCRIPTION.finditer(text):
        year, design_text = int(match.group(1)), match.group(2)  # (the patterns ignore case)
        designs = next((d for pattern, d in _DESIGNS if pattern.fullmatch(design_text)), None)
        if designs is None:  # pragma: no cover - every design `_DESCRIPTION` matches is one of _DESIGNS
            continue
        candidates = [
            s for s in lookup.kb.studies.values()
            if s.year == year and (not designs or s.design in designs) and _fits(s, substances, indications, lookup)
        ]
        if len(candidates) == 1:
            mentions.append(
                Mention("study", candidates[0].id, match.group(0), offset + match.start(), offset + match.end())
            )
    return tuple(mentions)


def _fits(study: "Study", substances: Sequence[str], indications: Sequence[str], lookup: "KnowledgeLookup") -> bool:
    family = {member for s in substances for member in lookup.substance_family(s)}
    if family and study.substances and not family & set(study.substances):
        return False
    if not indications:
        return True
    wanted = {ancestor for i in indications for ancestor in lookup.indication_ancestors(i)}
    covered = {ancestor for i in study.indications for ancestor in lookup.indication_ancestors(i)}
    return bool(wanted & covered) or any(i in wanted for i in study.indications) or bool(set(indications) & covered)
