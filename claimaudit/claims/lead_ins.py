"""List lead-ins: a sentence ending in a colon and the list items that complete it.

"Studies report that infusions bring several gains in anxiety, including:" followed by
bullet items is one claim spread over several blocks. Each item that names no substance
inherits the lead-in's substances, and, when it carries no modifier of its own, the lead-in's
certainty and modifiers ("Studies report" governs every item). A lead-in that names no
condition ("an effective choice for adults living with:") takes the conditions
its items name, so it is judged for each of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from claimaudit.claims.model import Certainty, Claim, Mention

if TYPE_CHECKING:
    from claimaudit.ingest.source import NormalizedDocument

# An item keeps its own certainty when it has modifiers; otherwise these lead-in levels pass on.
_INHERITED_LEVELS = frozenset({Certainty.BOOSTED, Certainty.HEDGED, Certainty.SPECULATIVE, Certainty.ABSOLUTE})


def list_groups(document: "NormalizedDocument") -> list[tuple[int, int, int]]:
    """(lead-in block end, first item start, last item end) for every non-item block ending in
    ':' that is directly followed by list items."""
    blocks = sorted(document.blocks, key=lambda b: b.start)
    groups = []
    for index, block in enumerate(blocks):
        if block.kind == "list_item" or not document.text[block.start : block.end].rstrip().endswith(":"):
            continue
        items = []
        for following in blocks[index + 1 :]:
            if following.kind != "list_item":
                break
            items.append(following)
        if items:
            groups.append((block.end, items[0].start, items[-1].end))
    return groups


def apply_lead_ins(
    claims: Sequence[Claim], groups: Iterable[tuple[int, int, int]], indications: Sequence[Mention]
) -> list[Claim]:
    """The claims with list items completed by their lead-in, and lead-ins by their items.
    `indications`: every indication mention of the document."""
    result = list(claims)
    for lead_end, items_start, items_end in groups:
        lead_index = next(
            (i for i in range(len(result) - 1, -1, -1) if result[i].norm_end <= lead_end and lead_end - result[i].norm_end <= 2),
            None,
        )
        if lead_index is None:
            continue
        lead = result[lead_index]
        if not lead.indications:
            listed = [m for m in indications if items_start <= m.start < items_end]
            if listed:
                result[lead_index] = lead = replace(lead, mentions=lead.mentions + tuple(listed))
        for index, claim in enumerate(result):
            if not items_start <= claim.norm_start < items_end:
                continue
            result[index] = _completed(claim, lead)
    return result


def _completed(item: Claim, lead: Claim) -> Claim:
    mentions = item.mentions
    if not item.substances and lead.substances:
        mentions += tuple(
            Mention("substance", s, "", item.norm_start, item.norm_start) for s in lead.substances
        )
    if item.qualifiers or item.certainty != Certainty.ASSERTED or lead.certainty not in _INHERITED_LEVELS:
        return replace(item, mentions=mentions)
    return replace(item, mentions=mentions, certainty=lead.certainty, qualifiers=lead.qualifiers)
