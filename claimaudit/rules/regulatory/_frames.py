"""Approval frames: (substances, indications, regulators) that one approval cue asserts.

Shared by the REG rule modules; pure functions over a Claim and the knowledge lookup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from claimaudit.nlp.analysis_cache import compiled
from claimaudit.claims.model import Claim, Mention
from claimaudit.findings.model import EvidenceRef
from claimaudit.nlp import prefilter
from claimaudit.rules._helpers import (
    claim_cues,
    family_regex,
    indication_label,
    is_rebutted,
    mentions_of,
    negated_before,
    plain,
    regulator_label,
    regulators_in_scope_by_place,
    relative,
    source_ref,
    substance_label,
)
from claimaudit.rules._rewrite import join_and, replace_range
from claimaudit.rules.base import per_claim_in_context

if TYPE_CHECKING:
    from claimaudit.knowledge_base.lookup import ApprovalAnswer
    from claimaudit.knowledge_base.model import Approval
    from claimaudit.rules.base import RuleContext

_LIST = compiled(r",|\band\b|\bor\b", re.I)
_TURN = compiled(
    r",\s*(?:(?:and|but)\s+(?:its|it|this|that|the|their|any|use|all)\b|(?:so|which|whereas|meaning)\b"
    r"|(?:but\s+)?not\s+(?:for\s+)?)",  # "for depression, not anxiety": the rest is excluded
    re.I
)
_BY = compiled(r"^\s*by\b", re.I)
_BREAK = compiled(r"[;:.!?\u2014()]|\s-\s|\b(?:but|while|whereas|however|although)\b", re.I)


@dataclass(frozen=True, slots=True)
class ApprovalFrame:
    """One approval cue and what it is attached to."""

    cue: Mention
    substances: tuple[str, ...]
    indications: tuple[str, ...]  # indications the cue governs (after it, else before it)
    indications_after: bool
    regulators: tuple[str, ...]
    negated: bool
    exclusive: bool


def has_approval_cue(claim: Claim) -> bool:
    """The claim holds an approval cue: no approval frame without one (a test cheaper than
    the memo, for the many claims that have none)."""
    return "approval" in claim.cue_labels()  # (the claim's labels, worked out once for all rules)


def approval_frames(claim: Claim, ctx: "RuleContext") -> tuple[ApprovalFrame, ...]:
    """Every approval statement in the claim (negated ones marked, not dropped)."""
    return _approval_frames(claim, ctx) if has_approval_cue(claim) else ()


@per_claim_in_context
def _approval_frames(claim: Claim, ctx: "RuleContext") -> tuple[ApprovalFrame, ...]:
    approval = claim_cues(claim, "approval")
    if not approval:
        return ()
    off_label = claim_cues(claim, "off_label")
    words = family_regex("regulatory", "approval_words")
    frames: list[ApprovalFrame] = []
    last_end = -1
    whole_negated = claim.certainty == 0
    cues = [
        c for c in approval
        if words.search(c.text) and not any(_overlaps(c, o) for o in off_label)
    ]
    for cue in cues:
        if cue.start < last_end:
            continue
        last_end = cue.end
        text = plain(claim.text)
        start, end = relative(claim, cue.start), relative(claim, cue.end)
        negated = negated_before(text, start) or (
            whole_negated and not any(q.start >= cue.end for q in claim.qualifiers)
        )
        if _approved_by_someone_else(claim, text, end) or _other_products(text, start, end):
            continue
        if _approves_research(text, start, end):
            continue  # "an FDA-approved clinical trial", "a study sanctioned by the FDA": not the drug's approval
        indications, after = _governed_indications(claim, text, start, end)
        frames.append(
            ApprovalFrame(
                cue=cue,
                substances=_subjects(claim, ctx, text, start),
                indications=indications,
                indications_after=after,
                regulators=regulators_in_scope_by_place(claim, ctx),
                negated=negated,
                exclusive=_exclusive(text, start, end, indications, claim),
            )
        )
    return tuple(frames)


def asserted_frames(claim: Claim, ctx: "RuleContext") -> tuple[ApprovalFrame, ...]:
    """Approval frames the claim asserts (not negated, not rebutted, not a question)."""
    return _asserted_frames(claim, ctx) if has_approval_cue(claim) else ()


@per_claim_in_context
def _asserted_frames(claim: Claim, ctx: "RuleContext") -> tuple[ApprovalFrame, ...]:
    if is_rebutted(claim) or claim.text.rstrip().endswith("?"):
        return ()
    return tuple(f for f in approval_frames(claim, ctx) if not f.negated)


def best_answer(
    ctx: "RuleContext", substances: Iterable[str], indication: str, regulators: tuple[str, ...]
) -> "ApprovalAnswer | None":
    """The most favourable approval answer over the substances (any approved wins); None when
    the base knows nothing about any of them."""
    answers = [ctx.kb.approval_status(s, indication, regulators) for s in substances]
    if not answers:
        return None
    best = min(answers, key=_rank)
    return None if _rank(best) == 4 else best


def _rank(answer: "ApprovalAnswer") -> int:
    if answer.status == "approved":
        return 0
    if answer.narrower:
        return 1
    return {"approved_for_other": 2, "not_approved": 3}.get(answer.status, 4)


def approved_use_text(ctx: "RuleContext", substance: str, regulators: tuple[str, ...]) -> str:
    """'anaesthesia (FDA 1970; Health Canada)' style summary of what the substance IS approved for."""
    key = (ctx.kb, substance, tuple(regulators))  # (the text depends on the knowledge base alone)
    text = _USE_TEXTS.get(key)
    if text is None:
        if len(_USE_TEXTS) >= 4096:
            _USE_TEXTS.clear()
        text = _USE_TEXTS[key] = _approved_use_text(ctx, substance, regulators)
    return text


_USE_TEXTS: dict[tuple[object, str, tuple[str, ...]], str] = {}


def _approved_use_text(ctx: "RuleContext", substance: str, regulators: tuple[str, ...]) -> str:
    uses = ctx.kb.approved_uses(substance, regulators)
    if not uses:
        return "nothing"
    by_indication: dict[str, list[str]] = {}
    for approval in uses:
        label = regulator_label(ctx, approval.regulator)
        if approval.date:
            label += f" {approval.date[:4]}"
        by_indication.setdefault(approval.indication, []).append(label)
    return "; ".join(
        f"{indication_label(ctx, ind)} ({', '.join(regs)})" for ind, regs in by_indication.items()
    )


def approved_for_clause(
    ctx: "RuleContext", substance: str, regulators: tuple[str, ...], *, only: bool = False
) -> str:
    """'approved only for: anaesthesia (FDA 1970)', or 'not approved for any use (EMA)' when
    the base records no approval in scope."""
    uses = approved_use_text(ctx, substance, regulators)
    if uses == "nothing":
        regs = ", ".join(regulator_label(ctx, r) for r in regulators) or "any regulator"
        return f"not approved for any use ({regs})"
    return f"approved {'only ' if only else ''}for: {uses}"


_PREDICATE = compiled(r"\b(?:is|are|was|were|been|be|being)\s+$", re.IGNORECASE)
_JOINED = compiled(r"^[\s\-\u2010\u2011]*$")


def cue_range(claim: Claim, cue: Mention) -> tuple[int, int]:
    """The cue's normalized offsets, widened to a regulator name joined to it
    ("Health Canada-approved")."""
    start = cue.start
    for mention in mentions_of(claim, "regulator"):
        if mention.end <= start and _JOINED.match(claim.text[relative(claim, mention.end) : relative(claim, start)]):
            start = min(start, mention.start)
    return start, cue.end


def implied_approval_rewrite(
    ctx: "RuleContext", claim: Claim, cue: Mention, substance: str, regulators: tuple[str, ...], topic: str
) -> str:
    """The sentence with the approval stated for what it covers: a predicate ("ketamine is
    FDA-approved") names the approved use and the off-label one; an attribute ("FDA-approved
    ketamine") is dropped."""
    start, end = cue_range(claim, cue)
    before = claim.text[: relative(claim, start)]
    uses = ctx.kb.approved_uses(substance, regulators)
    if _PREDICATE.search(before) and uses:
        holders = ", ".join(dict.fromkeys(regulator_label(ctx, a.regulator) for a in uses))
        approved = join_and([indication_label(ctx, a.indication) for a in uses])
        words = f"approved ({holders}) for {approved} and used off-label for {indication_label(ctx, topic)}"
        return replace_range(claim, start, end, words)
    return replace_range(claim, start, end, "")


_FOR = prefilter.compile(r"\s(?:for|to treat)\s", re.IGNORECASE)


def off_label_rewrite(claim: Claim, cue: Mention) -> str | None:
    """The sentence with "off-label" put before the use it names ("prescribe ketamine
    off-label for panic disorder"); None when no "for" follows the cue."""
    found = _FOR.search(claim.text, max(0, relative(claim, cue.start) - 1))
    if found is None:
        return None
    at = claim.norm_start + found.start()
    return replace_range(claim, at, at, " off-label")


def approval_refs(approvals: Iterable["Approval"], ctx: "RuleContext") -> list[EvidenceRef]:
    refs = []
    for approval in approvals:
        label = (
            f"{approval.product or substance_label(ctx, approval.substance)}: "
            f"{indication_label(ctx, approval.indication)} "
            f"({regulator_label(ctx, approval.regulator)}, {approval.status.replace('_', ' ')})"
        )
        refs.append(source_ref(approval.id, label, approval.sources))
    return refs


def compliant_sentence(
    ctx: "RuleContext",
    substances: Iterable[str],
    regulators: tuple[str, ...],
    indication: str | tuple[str, ...] | None,
) -> str:
    """The claim rewritten from the approvals table, as one sentence: the use the text claims
    is off-label, and what the substance is approved for ("Ketamine is used off-label for
    generalized anxiety disorder; it is approved (FDA) for anaesthesia.")."""
    chosen = list(dict.fromkeys(substances))
    subject = substance_label(ctx, chosen[0]) if chosen else "It"
    subject = subject[:1].upper() + subject[1:]
    uses = [a for s in chosen[:1] for a in ctx.kb.approved_uses(s, regulators)]
    holders = list(dict.fromkeys(regulator_label(ctx, a.regulator) for a in uses))
    approved = join_and([indication_label(ctx, a.indication) for a in uses])
    asked = ", ".join(regulator_label(ctx, r) for r in regulators) or "any regulator"
    if indication is None:
        if not uses:
            return f"{subject} is not approved ({asked}) for any use."
        return f"{subject} is approved ({', '.join(holders)}) for {approved}."
    wanted = join_and([indication_label(ctx, i) for i in ((indication,) if isinstance(indication, str) else indication)])
    if not uses:
        return f"{subject} is not approved ({asked}) for {wanted}, so any such use is off-label."
    return f"{subject} is used off-label for {wanted}; it is approved ({', '.join(holders)}) for {approved}."


def approval_note(ctx: "RuleContext", substances: Iterable[str], regulators: tuple[str, ...]) -> str:
    """The approvals of the substances and their family members in scope, as the knowledge base
    summarises them (context for the reviewer, not a rewrite)."""
    parts: list[str] = []
    seen: set[str] = set()
    family: list[str] = []
    for substance in substances:
        for member in (*ctx.kb.substance_family(substance), *_children(ctx, substance)):
            if member not in family:
                family.append(member)
    for member in family:
        for approval in ctx.kb.approved_uses(member, regulators):
            if approval.id in seen:
                continue
            seen.add(approval.id)
            if approval.summary:
                parts.append(" ".join(approval.summary.split()).rstrip(".") + ".")
            else:
                name = approval.product or substance_label(ctx, member)
                conditions = f" ({'; '.join(approval.conditions)})" if approval.conditions else ""
                parts.append(
                    f"{name} is approved by {regulator_label(ctx, approval.regulator)} for "
                    f"{indication_label(ctx, approval.indication)}{conditions}."
                )
    return " ".join(parts)


def family_of(ctx: "RuleContext", substances: Iterable[str], claim: Claim) -> tuple[str, ...]:
    """The substances plus any other substance of the same family the claim names."""
    chosen = list(dict.fromkeys(substances))
    roots = {ctx.kb.substance_family(s)[-1] for s in chosen}
    for other in claim.substances:
        if other not in chosen and ctx.kb.substance_family(other)[-1] in roots:
            chosen.append(other)
    return tuple(chosen)


# ---------------------------------------------------------------- private helpers


def _children(ctx: "RuleContext", substance: str) -> tuple[str, ...]:
    return tuple(s.id for s in ctx.kb.kb.substances.values() if s.parent == substance)


def _approved_by_someone_else(claim: Claim, text: str, end: int) -> bool:
    """'approved by a licensed professional / by our clinic': an approval, but not a regulator's."""
    if not _BY.search(text[end:]):
        return False
    window_end = end + 50
    return not any(
        m.kind == "regulator" and end <= relative(claim, m.start) < window_end for m in claim.mentions
    )


def _overlaps(a: Mention, b: Mention) -> bool:
    return a.start < b.end and b.start < a.end


def _governed_indications(
    claim: Claim, text: str, start: int, end: int
) -> tuple[tuple[str, ...], bool]:
    """Indications after the cue in the same clause; failing that, before it in the clause."""
    mentions = mentions_of(claim, "indication")
    stop = min((relative(claim, c.start) for c in claim_cues(claim, "off_label") if relative(claim, c.start) >= end),
               default=len(text))
    turn = _TURN.search(text, end)
    stop = min(stop, turn.start()) if turn else stop
    after = []
    for mention in mentions:
        m_start = relative(claim, mention.start)
        if end <= m_start < stop and not _BREAK.search(text[end:m_start]):
            after.append(mention.entity_id)
    if after:
        return tuple(dict.fromkeys(after)), True
    before = []
    for mention in mentions:
        m_end = relative(claim, mention.end)
        between = text[m_end:start]
        if m_end <= start and not _BREAK.search(between) and not _LIST.search(between):
            before.append(mention.entity_id)
    return tuple(dict.fromkeys(before)), False


def _subjects(claim: Claim, ctx: "RuleContext", text: str, start: int) -> tuple[str, ...]:
    """The substance nearest the cue in its clause, with its family members in the claim."""
    best: tuple[int, str] | None = None
    for mention in mentions_of(claim, "substance"):
        m_start, m_end = relative(claim, mention.start), relative(claim, mention.end)
        between = text[m_end:start] if m_end <= start else text[start:m_start]
        if _BREAK.search(between):
            continue
        distance = start - m_end if m_end <= start else m_start - start
        if best is None or distance < best[0]:
            best = (distance, mention.entity_id)
    if best is None:
        return claim.subject_substances if not claim.substances else claim.substances[:1]
    mention = next(m for m in mentions_of(claim, "substance") if m.entity_id == best[1])
    if _FORM_OF.search(text[: max(0, relative(claim, mention.start))]) and _children(ctx, best[1]):
        return family_of(ctx, _children(ctx, best[1]), claim)  # "one version of ketamine"
    return family_of(ctx, (best[1],), claim)


# "approved one version of ketamine": a product derived from the substance, not the substance.
_FORM_OF = prefilter.compile(
    r"\b(?:a|one|the)\s+(?:particular\s+|specific\s+|certain\s+|special\s+|single\s+)?"
    r"(?:form|version|derivative|type|variant|enantiomer|isomer|formulation)\s+of\s+$",
    re.I,
)
# "has FDA-approved drugs already": the approval belongs to other products, unless the
# substance is said to be one of them ("one of the FDA-approved medications").
_OTHER_PRODUCTS = compiled(r"^\s*(?:medications|medicines|drugs|treatments|therapies|products|options)\b", re.I)
_ONE_OF = prefilter.compile(r"\b(?:one of|among)\s+(?:the\s+)?(?:\w+\s+)?$", re.I)


# a study or trial the approval is about: just after the cue, or the noun phrase it follows
_RESEARCH_AFTER = compiled(r"^\s*(?:clinical\s+|research\s+|human\s+|pilot\s+)?(?:trials?|stud(?:y|ies))\b", re.I)
# (the study is the subject: "a trial approved by", "a study of X, approved by", "the trial was
# approved"; not "Esketamine, studied in large trials, is FDA-approved", where the drug is)
_RESEARCH_BEFORE = prefilter.compile(
    r"\b(?:trials?|stud(?:y|ies)|research)(?:\s+(?:of|on|into|for|testing)\s+[^,.;:]{1,40}?)?"
    r"(?:,\s+|\s+(?:(?:is|was|were|are|has\s+been|have\s+been|being)\s+)?)$",
    re.I,
)


def _approves_research(text: str, start: int, end: int) -> bool:
    """The cue approves a study, not the drug ("an FDA-approved clinical trial of ketamine for
    PTSD", "a trial sanctioned by the government"): an ethics or regulator's go-ahead to test it."""
    return bool(_RESEARCH_AFTER.search(text[end:]) or _RESEARCH_BEFORE.search(text[:start]))


def _other_products(text: str, start: int, end: int) -> bool:
    return bool(_OTHER_PRODUCTS.search(text[end:]) and not _ONE_OF.search(text[:start]))


def _exclusive(
    text: str, start: int, end: int, indications: tuple[str, ...], claim: Claim
) -> bool:
    if not indications:
        return False
    first = min(
        (relative(claim, m.start) for m in claim.mentions
         if m.kind == "indication" and relative(claim, m.start) >= end),
        default=end,
    )
    window = text[max(0, start - 12) : first]
    match = family_regex("regulatory", "exclusive").search(window)
    return match is not None and not _PRODUCT_AFTER.search(window[match.end() :])


# "the sole FDA-approved medicine of its kind for TRD", "approved just one version of
# ketamine for TRD": the exclusivity is the product's (no other product holds that approval),
# not the indication's, so the statement leaves out no approval of the product.
_PRODUCT_AFTER = prefilter.compile(
    r"\b(?:medications?|medicines?|drugs?|products?|forms?|versions?|formulations?|treatments?|therap(?:y|ies)|"
    r"options?|sprays?)\b",
    re.I,
)
