"""The EVI comparison: the certainty a claim asserts against the grade for each substance x indication.

Shared by EVI001 and CITE001 (which needs to know whether a research-backed claim is overstated).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from claimaudit.nlp.analysis_cache import compiled
from claimaudit.claims.model import Certainty, ClaimKind, Mention, QualifierKind
from claimaudit.findings.model import EvidenceRef, Severity
from claimaudit.nlp import prefilter
from claimaudit.rules._helpers import GatedAlternatives, LowerSearch, negated_before
from claimaudit.rules._pattern_table import WordStartGate
from claimaudit.rules.base import per_claim, per_text
from claimaudit.rules.scope._studies import (
    claim_indications,
    focus_only,
    focus_substances,
    indication_name,
    substance_name,
)

if TYPE_CHECKING:
    from claimaudit.claims.model import Claim
    from claimaudit.knowledge_base.lookup import KnowledgeLookup
    from claimaudit.knowledge_base.model import EvidenceAssessment, Outcome, Study

# Cue labels that assert evidence strength by themselves.
STRONG_CUES = frozenset({"proven", "breakthrough", "research_backed"})
_STRENGTH_KINDS = (QualifierKind.BOOSTER, QualifierKind.ABSOLUTE, QualifierKind.ATTRIBUTION)


@dataclass(frozen=True, slots=True)
class Judgement:
    """One substance x indication pair of a claim, judged against its grade."""

    substance: str
    indication: str
    assessment: "EvidenceAssessment"
    level: int
    supported: int
    comparison: str = ""  # the comparative wording, for comparison claims
    comparison_basis: str = ""  # what the base holds on that comparison
    comparison_study: "Study | None" = None

    @property
    def gap(self) -> int:
        return self.level - self.supported


def is_efficacy_claim(claim: "Claim", kb: "KnowledgeLookup") -> bool:
    """An efficacy claim, or a comparison of the treatment with others ("better than ECT").
    (Not memoized: the kind test is cheaper than a memo, and `superiority` keeps its answers.)"""
    return ClaimKind.EFFICACY in claim.kinds or superiority(claim.text, kb) is not None


@per_claim
def asserted_level(claim: "Claim") -> int:
    """The claim's certainty, at most "hedged" when hedging words qualify it ("can help",
    "may", "its potential"); a strong claim reported through a hypothetical authority
    ("the guidelines would acknowledge the strong evidence...") still asserts its strength."""
    level = int(claim.certainty)
    if level == Certainty.REJECTED and not_rejected(claim):
        level = int(Certainty.BOOSTED if claim.has_qualifier(QualifierKind.BOOSTER) else Certainty.ASSERTED)
    if Certainty.ASSERTED <= level < Certainty.ABSOLUTE and absolute_outcome(claim.text):
        return int(Certainty.ABSOLUTE)
    if Certainty.HEDGED <= level <= Certainty.BOOSTED and attributed_as_shown(claim):
        return int(Certainty.BOOSTED)  # judgement.md: attribution raises the level to at least 4
    # (hedging and evidence-strength words matter only from "asserted" up: looked for then)
    if level >= Certainty.ASSERTED:
        strength = evidence_strength_level(claim.text)
        if strength and level < strength and not _hedged(claim):
            return strength
    if level == Certainty.SPECULATIVE and "hypothetical_authority" in claim.cue_labels():
        if claim.has_qualifier(QualifierKind.BOOSTER) or claim.cue_labels() & {"proven", "breakthrough"}:
            return int(Certainty.BOOSTED)
    if level > Certainty.HEDGED and _hedged(claim):
        return int(Certainty.HEDGED)
    return level


def _hedged(claim: "Claim") -> bool:
    return claim.has_qualifier(QualifierKind.HEDGE) or hedging_words(claim)


@per_claim
def attributed_as_shown(claim: "Claim") -> bool:
    """Research reported as shown ("studies show", "research has revealed", "has been found"):
    the attribution asserts the finding, so "can" or a frequency word in it ("can ease",
    "often within hours") does not hedge it; doubt words ("may", "suggest", "early") do."""
    frames = [q.text for q in claim.qualifiers if q.kind is QualifierKind.ATTRIBUTION]
    if not any(_SHOWN.search(f) and not _DENIED.search(f) for f in frames):
        return False
    if _DOUBT_WORDS.search(claim.text) or claim.has_qualifier(QualifierKind.HYPOTHETICAL):
        return False
    # "can" under a report of findings asserts a treatment effect ("can ease GAD"); before a bare
    # drug effect ("can produce anxiety-reducing effects") it stays a capability, hedged
    return not _CAN.search(claim.text) or bool(_TREATING.search(claim.text))


def not_rejected(claim: "Claim") -> bool:
    """Every negation in the claim describes the patients ("for those who have not responded
    to other medications") or the speed ("does not take long"), not the claim itself."""
    negations = [q for q in claim.qualifiers if q.kind is QualifierKind.NEGATION]
    if not negations or claim.has_qualifier(QualifierKind.REBUTTAL) or claim.has_qualifier(QualifierKind.HYPOTHETICAL):
        return False
    if claim.has_qualifier(QualifierKind.HEDGE) or _DOUBT_WORDS.search(claim.text) or _CONDITIONAL.search(claim.text):
        return False
    return all(_patient_or_speed_negation(claim.text, _local_start(claim, q.start, q.text)) for q in negations)


def _local_start(claim: "Claim", start: int, word: str) -> int:
    local = start - claim.norm_start
    if claim.text[local : local + len(word)].lower() == word.lower():
        return local
    return claim.text.lower().find(word.lower())


def _patient_or_speed_negation(text: str, at: int) -> bool:
    if at < 0:
        return False
    after = _FIRST_WORD.sub("", text[at:], count=1)
    if _SPEED_AFTER.match(after):
        return True
    before = text[max(0, at - 70) : at]
    return bool(_RESPONSE_AFTER.match(after) and _PATIENT_BEFORE.search(before))


_SHOWN = prefilter.compile(
    r"\b(?:show(?:s|n|ed)?|demonstrat(?:es|ed)|prov(?:es|ed|en)|found|finds?|reveal(?:s|ed)|"
    r"confirm(?:s|ed)|establish(?:es|ed))\b",
    re.I,
)
_TREATING = prefilter.compile(
    r"(?<![-\w])(?:effective(?:ly)?|treat(?:s|ed|ing)?|reliev\w*|reduc(?:e|es|ed|ing)|improv(?:e|es|ed|ing)|"
    r"eas(?:e|es|ed|ing)|alleviat\w*|lift(?:s|ed|ing)?|calm(?:s|ed|ing)?)\b",
    re.I,
)
_DENIED = compiled(r"\b(?:not|no|never|nor|yet to)\b", re.I)
# (fixed patterns from the pattern cache: a fresh process skips re's compiler)
_CAN = compiled(r"\bcan\b", re.I)
_FIRST_WORD = compiled(r"^\S+")
_LACK_BEFORE = compiled(r"\b(?:no|not|little|lack of)\s+$")
_NO_BEFORE = compiled(r"\bno\s*$")
_LETTERS = compiled(r"[a-z]{2,}")
# Doubt that an attribution does not override ("studies show it may help" stays hedged).
_DOUBT_WORDS = prefilter.compile(
    r"\b(?:may|might|could|possibly|perhaps|suggests?|suggested|suggesting|appears?|seems?|potential(?:ly)?|"
    r"preliminary|early|emerging|promis(?:e|es|ing)|believed?|theori[sz]\w*|hypothesi[sz]\w*|unclear|uncertain)\b",
    re.I,
)
# A negated response of the patients described ("have not responded", "did not improve").
_RESPONSE_AFTER = compiled(
    r"\s*(?:(?:yet|fully|always|previously|adequately|positively|well)\s+)?"
    r"(?:respond\w*|improv\w*|benefit\w*|tolerat\w*|found\s+relief|gotten\s+better|got\s+better)\b",
    re.I,
)
_PATIENT_BEFORE = prefilter.compile(
    r"\b(?:who|whom|whose|patients?|people|persons?|individuals?|clients?|those|adults|veterans|sufferers)\b"
    r"(?:\s+\w+){0,3}?\s+(?:have|has|had|do|does|did)\s*$",
    re.I,
)
_CONDITIONAL = compiled(r"\b(?:would|should|if)\b", re.I)
_SPEED_AFTER = compiled(r"\s*(?:take|takes|took)\s+(?:very\s+|too\s+|that\s+)?long\b", re.I)


@per_claim
def hedging_words(claim: "Claim") -> bool:
    """General hedging words in the claim. "Can" states a capability rather than a doubt when
    an intensifier raises its own predicate ("can be highly effective", "can dramatically reduce")."""
    return any(
        not (m.group(0).lower() == "can" and _INTENSIFIED.match(claim.text, m.end()))
        for m in HEDGE_WORDS.finditer(claim.text)
    )


_INTENSIFIED = compiled(
    r"\s+(?:be\s+)?(?:highly|extremely|incredibly|remarkably|dramatically|profoundly|significantly|truly|"
    r"very|greatly|hugely|tremendously|exceptionally)\b",
    re.I,
)


@per_text
def evidence_strength_level(text: str) -> int:
    """The level a statement about the evidence itself asserts: 5 for "the evidence is
    overwhelming / conclusive / beyond doubt", 4 for "strong / clear / robust evidence";
    0 when the text says nothing of the kind or negates it ("no strong evidence")."""
    for match in EVIDENCE_STRENGTH.finditer(text):
        if negated_before(text, match.start()) or _LACK_BEFORE.search(text[: match.start()]):
            continue
        word = next((g for g in match.groups() if g), "").lower()
        return int(Certainty.ABSOLUTE) if word in _TOTAL_STRENGTH else int(Certainty.BOOSTED)
    return 0


@per_claim
def asserts_efficacy(claim: "Claim", kb: "KnowledgeLookup") -> bool:
    """Is this a general statement that the treatment works (not a heading, a question, a
    study report, a mechanism or safety statement, or a number for STAT to check)?"""
    text = claim.text.strip()
    sentence = (claim.sentence_text or text).strip()
    # (each test below only rules the claim out: the cheapest and most selective come first)
    if sentence.endswith("?") or INTERROGATIVE.match(text):
        return False
    if not (
        focus_substances_named(claim, kb) or TREATMENT_SUBJECT.search(text) or offers_treatment(claim)
        or proof_fragment(claim) or CLINIC_SUCCESS.search(text)
    ):
        return False
    if ClaimKind.MECHANISM in claim.kinds and (not EFFICACY_WORDS.search(text) or MECHANISM_ROUTE.search(text)):
        return False
    if ClaimKind.SAFETY in claim.kinds and not (EFFICACY_WORDS.search(text) or superiority(text, kb)):
        return False
    if (claim.studies or STUDY_REPORT.search(text)) and (claim.studies or not absolute_outcome(text)):
        # a study's report is judged against the study (STAT, SCOPE), unless the study is none of
        # the base's and the report is a total outcome ("a study found it eliminated symptoms in
        # every patient")
        return False
    heading = not _CLOSED.search(sentence) and len(sentence.split()) <= 12
    if heading and not strong_heading(text, kb):
        return False
    if (
        claim.certainty <= Certainty.ASSERTED and "hypothetical_authority" not in claim.cue_labels()
        and not attributed_as_shown(claim)
    ):
        return bool(  # (any one will do: the cheapest are tried first)
            OFFERED_TREATMENT.search(text) or CLINIC_SUCCESS.search(text) or PRESENT_EFFICACY.search(text)
            or absolute_outcome(text) or evidence_strength_level(text) or superiority(text, kb)
        )
    return True


_CLOSED = compiled(r"[.!;:)\]\"”]$")


def strong_heading(text: str, kb: "KnowledgeLookup") -> bool:
    """A heading that makes a claim by itself: a total outcome ("Ends Depression"), a
    superiority claim, a treatment "that works", or proof/breakthrough wording."""
    return bool(absolute_outcome(text) or superiority(text, kb) or STRONG_HEADING.search(text))


def offers_treatment(claim: "Claim") -> bool:
    """A verbless promotional line about the page's treatment ("Fast, effective relief for
    PTSD"), or a strong claim with no named subject on a page about one treatment."""
    if claim.substances or not claim.topic_substance or not claim.indications:
        return False
    if OFFERED_TREATMENT.search(claim.text):
        return True
    return claim.certainty >= Certainty.BOOSTED and bool(DEMONSTRATIVE_SUBJECT.match(claim.text))


@per_claim
def proof_fragment(claim: "Claim") -> bool:
    """A verbless proof label on a page about one treatment ("Clinically proven.",
    "Scientifically backed!"): it claims proof for the page's treatment and conditions."""
    if not claim.topic_substance or claim.substances or not claim.cue_labels() & _PROOF_CUES:
        return False
    words = _WORDS.findall(claim.text)
    return len(words) <= 4 and bool(PROOF_LABEL.search(claim.text))


_PROOF_CUES = frozenset({"proven", "breakthrough", "research_backed"})
_WORDS = compiled(r"[\w'-]+")


def scoped_to_page(claim: "Claim", page_indications: "tuple[str, ...]") -> "Claim":
    """A proof label with no condition of its own ("Clinically proven.") speaks for every
    condition the page offers the treatment for: the claim with those indications added."""
    # (no cue: no proof label, the cheapest test; `proof_fragment` needs a proof cue, tested
    # next on the claim's labels, before its indications and the memo)
    if not claim.cues or not page_indications or _PROOF_CUES.isdisjoint(claim.cue_labels()):
        return claim
    if claim.indications or not proof_fragment(claim):
        return claim
    added = tuple(
        Mention("indication", i, "", claim.norm_start, claim.norm_start) for i in dict.fromkeys(page_indications)
    )
    return replace(claim, mentions=claim.mentions + added)


@per_text
def absolute_outcome(text: str) -> bool:
    """A total outcome not negated: "ends depression", "eliminates symptoms", "stopped
    completely", "in 100% of patients", "works for almost everyone"."""
    lowered = prefilter.folded(text)
    if "100" not in lowered and not _absolute_gate().may_match(lowered):
        return False  # (most texts: one search, where "ends" or "cure" inside words let the literals through)
    for match in ABSOLUTE_OUTCOME.finditer(text):
        if not negated_before(text, match.start()):
            return True
    return False


def superiority(text: str, kb: "KnowledgeLookup") -> re.Match[str] | None:
    """A comparison with other treatments ("better than ECT", "as effective as infusions",
    "the most effective treatment available"), not negated ("no better than"), nor with a
    trial's control arm: an inert one ("outperformed placebo") or a substance the base gives
    to control arms ("outperformed midazolam"): a trial result, not a choice between treatments."""
    for match in _comparisons(text):
        if not kb.names_trial_control(_compared_with(match)) and _own_gain(match, kb):
            return match
    return None


def _own_gain(match: re.Match[str], kb: "KnowledgeLookup") -> bool:
    """A gain over "X's effects" is the treatment's own, unless the sentence before it speaks of
    an interaction ("drinking alcohol amplifies the sedative's effects", "mixed with ...") or
    gives the gain to a substance of the base that is none of its focus ones."""
    if match.group("owner") is None:
        return True  # "doubles its effectiveness", "twice as effective"
    before = match.string[: match.start()]
    if _INTERACTION.search(before):
        return False
    return not any(
        (found := kb.resolve_name("substance", word)) is not None
        and (record := kb.substance(found)) is not None and not record.focus
        for word in _WORD.findall(before)
    )


# the wording of an interaction before a gain over a treatment's effect (a safety statement)
_INTERACTION = compiled(
    r"\b(?:alcohol|drinking|grapefruit|interact\w*|mix(?:es|ed|ing)?|combin(?:es|ed|ing)|together\s+with|on\s+top\s+of)\b",
    re.I,
)
_WORD = compiled(r"[\w-]+")


@per_text
def _comparisons(text: str) -> tuple[re.Match[str], ...]:
    """SUPERIORITY's matches, in order, less the negated ones and those against an inert
    control (`_INERT_COMPARATOR`)."""
    gate = _superiority_gate()
    if gate is not None and not gate.may_match(prefilter.folded(text)):
        return ()  # (most texts: one search, where "effective" or "well" let the literals through)
    found = []
    for match in SUPERIORITY.finditer(text):
        if negated_before(text, match.start()) or _NO_BEFORE.search(text[: match.start()]):
            continue
        if _INERT_COMPARATOR.search(_compared_with(match)):
            continue
        found.append(match)
    return tuple(found)


def _compared_with(match: re.Match[str]) -> str:
    """What a SUPERIORITY match compares the treatment with ("" for a gain over itself)."""
    return "" if match.group("selfcmp") else next((g for g in match.groups() if g), "")


def focus_substances_named(claim: "Claim", kb: "KnowledgeLookup") -> tuple[str, ...]:
    return focus_only(claim.substances, kb)


# Total outcomes: a cure, an end, all patients (level 5 whatever the grammar).
_ABSOLUTE_PIECES = (
    r"\b(?:cures?|cured|eliminat(?:es|ed)|eradicat(?:es|ed)|erases?|wip(?:es|ed) out|banish(?:es|ed))\b",
    # "ends depression", not "the treatment ends after six sessions" (when or how the visit ends)
    r"\bends\b(?!\s+(?:after|before|when|once|with|at|in|on|up|soon|by|early|late|later|following|afterwards|next|within|around|about|there|here|\d"
    r"|(?:the|your|each|a|an)\s+(?:session|infusion|treatment|visit|day|course|appointment|week|series)))",
    r"\bstop(?:s|ped)?\s+(?:\w+\s+)?completely\b",
    r"\bcompletely\s+(?:stop(?:s|ped)?|disappear(?:s|ed)?|gone|resolved?)\b",
    r"(?<![\d.])100\s?%",
    r"\b(?:almost|nearly|virtually)\s+(?:everyone|everybody|every patient|all (?:patients|people|clients))\b",
    # works for anything: "across the board", "you name it", "whatever the condition"
    r"\bacross the board\b",
    r"\byou name it\b",
    r"\bno matter (?:what|the (?:condition|diagnosis|problem))\b",
    r"\bwhatever (?:the|your) (?:condition|diagnosis|problem)\b",
)
ABSOLUTE_OUTCOME = GatedAlternatives(_ABSOLUTE_PIECES, re.I)
# "more likely to respond", "twice as likely to reach remission", "3 times more likely to recover"
_LIKELY_TO_BENEFIT = (
    r"\blikely\s+to\s+(?:respond|recover|improve|remit|(?:reach|achieve|enter|go\s+into)\s+remission|feel\s+better"
    r"|get\s+better|get\s+well|see\s+(?:results|improvement|relief)|find\s+relief)\b"
)
_LIKELIER = rf"\b(?:more|(?:twice|(?:\d+|two|three|four|five|ten)\s+times)\s+(?:as|more))\s+{_LIKELY_TO_BENEFIT}"
# what a likelihood is compared with is another treatment's patients, not an earlier time or
# the same people ("more likely to respond than before", "than they had in years")
_NOT_A_TIME_OR_PERSON = (
    r"(?!(?:before|ever|usual|expected|average|previously|last|earlier|then|now|i|we|you|they|he|she|it)\b"
    r"|in\s+the\s+past\b|at\s+first\b)"
)
# Comparisons with other treatments; group "than"/"as"/"to" ends the comparative words.
SUPERIORITY = GatedAlternatives(
    (
        rf"\b(?:better|more effective|more powerful|stronger|superior)\s+(?:than|to)\s+{_NOT_A_TIME_OR_PERSON}(?P<other>[^,.;:()]{{2,40}})",
        r"\boutperform(?:s|ed)?\s+(?P<other2>[^,.;:()]{2,40})",
        r"\bbeats?\s+(?P<other3>[^,.;:()]{2,40})",
        # "as well as" compares only after a verb of effect ("works as well as ECT"); elsewhere it
        # coordinates ("for anaesthesia, as well as for pain")
        r"(?:\b(?:as|just as|equally)\s+(?:good|effective|powerful)|\b(?:works?|worked|performs?|performed|does|did|helps?|helped)"
        r"\s+(?:just\s+|equally\s+|about\s+)?as\s+well)\s+as\s+(?P<other4>[^,.;:()]{2,40})",
        r"\b(?:the\s+)?(?:most effective|best|fastest[\s-]acting|fastest|most powerful|most advanced)\b"
        r"[\w\s\-]{0,40}?\b(?:treatment|therapy|option|medicine|medication)s?\b[\w\s]{0,25}?\b(?:available|today|ever|there is)\b",
        r"\bevery other (?:option|treatment|therapy)\b",
        # a better chance of benefit than with other treatments: "twice as likely to recover as
        # those on SSRIs", "more likely to respond than with antidepressants"
        rf"{_LIKELIER}[^,.;:()]{{0,40}}?\b(?:than|as)\s+{_NOT_A_TIME_OR_PERSON}(?P<other5>[^,.;:()]{{2,40}})",
        # a gain over the treatment itself: "doubles its effectiveness", "twice as effective"
        r"(?P<selfcmp>\b(?:doubles|doubled|triples|tripled|multiplies|boosts|amplifies)\s+(?:its|the|their|(?:the\s+)?(?P<owner>[\w-]+)['\u2019]s)\s+"
        r"(?:effect|effects|effectiveness|efficacy|benefits?|results?|success(?: rate)?)\b"
        r"|\b(?:twice|two times|three times|several times)\s+(?:as\s+(?:effective|powerful)|more effective)\b)",
    ),
    re.I,
)
# SUPERIORITY's pieces without their groups, each cut after the first characters of the
# comparator and without a leading "the" (a match of a piece holds a match of its line here,
# at its start or after its "the"): the
# `WordStartGate` that says, in one search, whether SUPERIORITY can match at all.
_SUPERIORITY_STARTS = (
    r"\b(?:better|more effective|more powerful|stronger|superior)\s+(?:than|to)\s+[^,.;:()]{2}",
    r"\boutperform(?:s|ed)?\s+[^,.;:()]{2}",
    r"\bbeats?\s+[^,.;:()]{2}",
    r"\b(?:as|just as|equally)\s+(?:good|effective|powerful)\s+as\s+[^,.;:()]{2}",
    r"\b(?:works?|worked|performs?|performed|does|did|helps?|helped)\s+(?:just\s+|equally\s+|about\s+)?as\s+well"
    r"\s+as\s+[^,.;:()]{2}",
    r"\b(?:most effective|best|fastest[\s-]acting|fastest|most powerful|most advanced)\b"
    r"[\w\s\-]{0,40}?\b(?:treatment|therapy|option|medicine|medication)s?\b[\w\s]{0,25}?\b(?:available|today|ever|there is)\b",
    r"\bevery other (?:option|treatment|therapy)\b",
    _LIKELY_TO_BENEFIT,  # (inside every match of _LIKELIER: its "more", "twice" or digits come before)
    r"\b(?:doubles|doubled|triples|tripled|multiplies|boosts|amplifies)\s+(?:its|the|their|(?:the\s+)?[\w-]+['\u2019]s)\s+"
    r"(?:effect|effects|effectiveness|efficacy|benefits?|results?|success(?: rate)?)\b",
    r"\b(?:twice|two times|three times|several times)\s+(?:as\s+(?:effective|powerful)|more effective)\b",
)


@cache
def _absolute_gate() -> WordStartGate:
    """The pieces of ABSOLUTE_OUTCOME that start a word ("100%" is looked for apart)."""
    gate = WordStartGate.build(compiled(p, re.I) for p in _ABSOLUTE_PIECES if p.startswith("\\b"))
    assert gate is not None
    return gate


@cache
def _superiority_gate() -> WordStartGate | None:
    return WordStartGate.build(compiled(p, re.I) for p in _SUPERIORITY_STARTS)


@cache
def _exceed_gate() -> WordStartGate | None:
    """`_absolute_gate` and `_superiority_gate` in one: when it rules a folded text out, both do
    (None when the superiority gate cannot be built)."""
    if _superiority_gate() is None:
        return None
    starts = [p for p in _ABSOLUTE_PIECES if p.startswith("\\b")] + list(_SUPERIORITY_STARTS)
    return WordStartGate.build(compiled(p, re.I) for p in starts)


# Statements about the evidence itself ("the evidence ... is overwhelming", "strong evidence").
_TOTAL_STRENGTH = frozenset({"overwhelming", "conclusive", "indisputable", "undeniable", "irrefutable", "settled", "beyond doubt"})
EVIDENCE_STRENGTH = prefilter.compile(
    r"\b(?:evidence|science|research|data|case)\b[^.;:]{0,50}?\b(?:is|are)\s+(?:now\s+|simply\s+|very\s+)?"
    r"(overwhelming|conclusive|indisputable|undeniable|irrefutable|settled|beyond doubt|clear|compelling|strong|robust|solid)\b"
    r"|\b(overwhelming|conclusive|indisputable|undeniable|irrefutable|compelling|strong|robust|solid)\s+"
    r"(?:scientific\s+|clinical\s+)?(?:evidence|proof|data)\b",
    re.I,
)
# A first-person clinic success claim ("we've had success with PTSD").
CLINIC_SUCCESS = prefilter.compile(
    r"\bwe(?:'ve|\u2019ve| have)\s+(?:had|seen)\s+(?:great\s+|real\s+|huge\s+|remarkable\s+)?"
    r"(?:success|results)\s+(?:with|in|treating)\b",
    re.I,
)
PROOF_LABEL = compiled(
    r"^\W*(?:clinically|scientifically|medically|research)[\s-]+(?:proven|backed|tested|validated)\W*$", re.I
)
DEMONSTRATIVE_SUBJECT = compiled(r"^\W*(?:this|that)\s+(?:is|was|has been|will be)\b", re.I)
INTERROGATIVE = compiled(r"^\W*(?:how|what|why|when|where|who|which|can|does|do|is|are|should|will)\b", re.I)
STRONG_HEADING = prefilter.compile(
    r"\b(?:treatment|therapy|relief|care)\s+that\s+(?:works|heals|lasts)\b|\b(?:proven|breakthrough)\b", re.I
)
# A promotional noun phrase about the page's treatment ("Fast, effective treatment for ...").
OFFERED_TREATMENT = compiled(
    r"^\W*(?:[\w\-]+,?\s+){0,3}?(?:effective|proven|powerful|lasting|breakthrough|fast)\b[\w\s,\-]{0,20}?"
    r"\b(?:treatment|therapy|relief|solution|care)\b"
    r"|^\W*(?:clinically\s+|scientifically\s+)?(?:proven|effective)\s+(?:for|to|against|in)\b",
    re.I,
)
# A statement labelled as a myth or falsehood in order to reject it ("Myth: ...").
MYTH_LABEL = compiled(r"^\W*(?:myth|false|fiction|misconception)\s*[:\-\u2013\u2014]", re.I)
# General hedging words that lower a claim to "hedged" (judgement.md, level 2).
HEDGE_WORDS = prefilter.compile(
    r"\b(?:may|might|could|can|possibly|potential(?:ly)?|suggests?|suggested|appears?|promising|"
    r"preliminary|early|emerging|explor(?:e|es|ed|ing)|in some|some patients|some people)\b",
    re.I,
)
# Past-tense reports of a particular study's result ("reduced", "found", "outperformed").
STUDY_REPORT = prefilter.compile(
    r"\b(?:a|one|this|the) (?:\d{4} )?(?:study|trial|review|meta-analysis)\b"
    # a dated study of someone ("the university's 2022 study"), or one named by its title
    r"|\b(?:19|20)\d{2} (?:randomi[sz]ed |controlled |clinical |pilot )*(?:study|trial|review|meta-analysis)\b"
    r"|\b(?:study|trial) (?:entitled|titled|called|named)\b",
    re.I,
)
# How it works, not whether: "works by", "works primarily by", "works on glutamate", "works as an
# NMDA antagonist", "by blocking ...".
MECHANISM_ROUTE = prefilter.compile(
    r"\bworks?\s+(?:\w+ly\s+)?(?:by|on|as an?|through|via)\b|\bby (?:blocking|inducing|increasing|promoting|boosting)\b"
    r"|\bability to (?:block|bind|inhibit|antagoni[sz]e)\b",
    re.I,
)
TREATMENT_SUBJECT = compiled(
    r"^(?:it|this (?:treatment|therapy|medicine|medication)|our (?:patients|clients)|(?:most|many) of our (?:patients|clients))\b",
    re.I,
)
EFFICACY_WORDS = prefilter.compile(
    r"\b(?:effective(?:ly)?|efficacy|efficacious|works?(?! by)|treat(?:s|ing)? |relie(?:f|ve|ves|ved)|"
    r"alleviat\w*|cures?|breakthrough|step forward|groundbreaking|help(?:s|ed)?)\b",
    re.I,
)
# Present-tense claims that the treatment works ("offers relief", "shows efficacy",
# "is effective", "represents a step forward", "benefits are maximised").
PRESENT_EFFICACY = LowerSearch(
    r"\b(?:shows|offers|provides|delivers|works|treats|relieves|eases|reduces|improves|alleviates|"
    r"heals|cures|represents|transforms|restores|resolves|eliminates|maximi[sz]e[sd]?|optimi[sz]e[sd]|"
    r"achieve|achieves)\b|"
    r"\b(?:is|are)\s+(?:an?\s+)?(?:\w+\s+)?(?:effective|efficacious|treatment|therapy|solution|cure|"
    r"breakthrough|option)\b|\bmost effective\b"
    # an evaluative description a few words on ("is a fast, effective therapy")
    r"|\b(?:is|are|makes?\s+(?:it|this|them))\s+(?:an?\s+)?(?:[\w-]+,?\s+(?:and\s+|or\s+)?){0,3}?"
    r"(?:effective|efficacious|excellent|ideal|powerful|successful|great)\s+(?:[\w-]+\s+)?"
    r"(?:treatment|therapy|solution|option|alternative)\b"
    # success reported as a past use ("clinics effectively manage CRPS with it") and help to get
    # over a condition ("it helps patients beat their anxiety")
    r"|\b(?:successfully|effectively)\s+(?:treat(?:s|ed|ing)?|manag(?:e|es|ed|ing)|reliev\w*)\b"
    r"|\bhelps?\s+(?:\w+\s+){0,2}?(?:overcome|beat|conquer|recover\s+from|break\s+free)\b",
    re.I,
)


def judgements(claim: "Claim", kb: "KnowledgeLookup") -> list[Judgement]:
    """Every substance x indication pair of an efficacy claim that the base grades."""
    return list(_judgements(claim, kb))


@per_claim
def _judgements(claim: "Claim", kb: "KnowledgeLookup") -> tuple[Judgement, ...]:
    if not is_efficacy_claim(claim, kb):
        return ()
    level = asserted_level(claim)
    if level <= Certainty.REJECTED:
        return ()
    compared = superiority(claim.text, kb)
    if compared is not None:
        level = max(level, int(Certainty.ASSERTED))
    found: list[Judgement] = []
    for substance in focus_substances(claim, kb):
        for indication in claim_indications(claim):
            if kb.indication(indication) is None:
                continue
            assessment = kb.assessment_for(substance, indication)
            if assessment is None:
                continue
            supported = assessment.grade.supported_level
            if compared is None:
                found.append(Judgement(substance, indication, assessment, level, supported))
                continue
            cap, study, basis = comparative_support(kb, substance, indication, compared)
            found.append(
                Judgement(substance, indication, assessment, level, min(supported, cap),
                          compared.group(0).strip(), basis, study)
            )
    return tuple(found)


def lowest_supported(claim: "Claim", kb: "KnowledgeLookup") -> int | None:
    """The lowest level the base's grades support over the substance x indication pairs
    `_judgements` would judge; None when the base grades none (dictionary look-ups only)."""
    return _lowest_supported(kb, claim.subject_substances, claim_indications(claim))


@lru_cache(maxsize=4096)  # (a question about the base alone: a page's claims ask the same few)
def _lowest_supported(kb: "KnowledgeLookup", subjects: tuple[str, ...], named: tuple[str, ...]) -> int | None:
    indications = [i for i in named if kb.indication(i) is not None]
    if not indications:
        return None
    focus = focus_only(subjects, kb)
    levels = [
        a.grade.supported_level for s in focus for i in indications
        if (a := kb.assessment_for(s, i)) is not None
    ]
    return min(levels) if levels else None


def may_exceed_boosted(claim: "Claim", kb: "KnowledgeLookup") -> bool:
    """Can `_judgements` judge the claim above "boosted" (level 4), or against a comparison's
    lower cap? Only an absolute claim, a total outcome, evidence called conclusive, or a
    comparison with other treatments can (see `asserted_level`)."""
    text = claim.text
    if claim.certainty < Certainty.ABSOLUTE:
        lowered = prefilter.folded(text)
        gate = _exceed_gate()
        if gate is not None and "100" not in lowered and not gate.may_match(lowered) and _TOTAL_WORDS.search(lowered) is None:
            return False  # (most claims: one search says no total outcome, comparison or conclusive evidence)
    return (
        claim.certainty >= Certainty.ABSOLUTE or absolute_outcome(text)
        or (_TOTAL_WORDS.search(prefilter.folded(text)) is not None and evidence_strength_level(text) >= Certainty.ABSOLUTE)
        or superiority(text, kb) is not None
    )


# A word of _TOTAL_STRENGTH: the level of evidence called conclusive needs one in the text (its
# folded form: EVIDENCE_STRENGTH is case-insensitive).
_TOTAL_WORDS = compiled("|".join(sorted(_TOTAL_STRENGTH)))


# Comparators that are controls, not treatments a reader would choose instead (and the substances
# the base gives to control arms: `KnowledgeLookup.names_trial_control`).
_INERT_COMPARATOR = prefilter.compile(r"\b(?:none|placebo|saline|sham|waiting list|usual care)\b", re.I)
_GENERIC_WORDS = frozenset(
    "treatment treatments therapy therapies option options medication medications medicine medicines other "
    "the any every all traditional standard conventional current for most patients people in with and of "
    "just today available ever there is are".split()
)
# Outcomes where a lower value is the better result.
_LOWER_IS_BETTER = frozenset({"relapse", "dropout", "discontinuation", "adverse_events"})


def comparative_support(
    kb: "KnowledgeLookup", substance: str, indication: str, compared: re.Match[str]
) -> tuple[int, "Study | None", str]:
    """The highest level a comparison with other treatments can be asserted at: a head-to-head
    study in the base that favoured the treatment allows the grade's level; one that favoured
    the comparator (or, for "better than", found no difference) contradicts it (0); no
    head-to-head study leaves it insufficient (1)."""
    if compared.group("selfcmp"):
        return int(Certainty.SPECULATIVE), None, "no controlled study in the base measured that gain"
    other = next((g for g in compared.groups() if g), "")
    equal = bool(compared.group("other4"))
    words = _stems(other) - _GENERIC_WORDS
    for study in kb.studies_for(substance):
        if not study.comparator or not any(indication_related(kb, i, indication) for i in study.indications):
            continue
        inert = bool(_INERT_COMPARATOR.search(study.comparator)) or kb.names_trial_control(study.comparator)
        if words:
            if inert and not words & _stems(study.comparator):
                continue  # a placebo-controlled trial is no head-to-head with a named treatment
            if not words & _stems(" ".join((study.comparator, " ".join(study.topics), study.title))):
                continue
        elif inert:
            continue  # "the best treatment available" is judged against active comparators only
        outcome = _head_to_head(study)
        if outcome is None:
            continue
        favours, significant = _direction(outcome)
        result = (
            f"{study.short_label} ({study.design.replace('_', '-')}, n={study.n}) found "
            f"{outcome.measure} {outcome.value:g}{outcome.unit} vs {outcome.comparator_value:g}{outcome.unit} "
            f"with {study.comparator}"
        )
        if significant and not favours:
            return int(Certainty.REJECTED), study, f"the head-to-head trial contradicts it: {result}"
        if not equal and not (favours and significant):
            return int(Certainty.REJECTED), study, f"the head-to-head trial found no advantage: {result}"
        return int(Certainty.BOOSTED), study, result
    target = f"'{other.strip()}'" if words else "other treatments"
    return int(Certainty.SPECULATIVE), None, f"no head-to-head study in the base compares it with {target}"


def indication_related(kb: "KnowledgeLookup", one: str, other: str) -> bool:
    return one in kb.indication_ancestors(other) or other in kb.indication_ancestors(one)


def _stems(text: str) -> set[str]:
    return {w[:-1] if len(w) > 3 and w.endswith("s") else w for w in _LETTERS.findall(text.lower())}


def _head_to_head(study: "Study") -> "Outcome | None":
    return next((o for o in study.outcomes if o.comparator_value is not None and o.unit != "days"), None)


def _direction(outcome: "Outcome") -> tuple[bool, bool]:
    """(favours the treatment, statistically significant) for a head-to-head outcome."""
    assert outcome.comparator_value is not None
    better = outcome.value > outcome.comparator_value
    if outcome.measure in _LOWER_IS_BETTER:
        better = not better
    significant = outcome.p_value is None or outcome.p_value < 0.05
    return better, significant


def weakest(found: list[Judgement]) -> Judgement | None:
    """The pair with the largest overstatement (ties: first named)."""
    over = [j for j in found if j.gap > 0]
    return max(over, key=lambda j: j.gap) if over else None


def severity_for(judgement: Judgement) -> Severity:
    """1 step: info for a plain assertion, warning for a boosted one; 2+ steps: warning;
    3+ steps or an absolute claim two steps over: error."""
    if judgement.gap >= 3 or (judgement.level >= Certainty.ABSOLUTE and judgement.gap >= 2):
        return Severity.ERROR
    if judgement.gap >= 2 or judgement.level >= Certainty.BOOSTED:
        return Severity.WARNING
    return Severity.INFO


def strength_wording(claim: "Claim") -> str:
    """The words that carry the claim's certainty, for the message."""
    words = [q.text for q in claim.qualifiers if q.kind in _STRENGTH_KINDS]
    words += [c.text for c in claim.cues if c.entity_id in STRONG_CUES]
    unique = list(dict.fromkeys(w.strip() for w in words if w.strip()))
    return ", ".join(f"'{w}'" for w in unique[:3])


def level_phrase(claim: "Claim", level: int) -> str:
    name = Certainty(level).label
    wording = strength_wording(claim)
    if wording:
        return f"asserts {wording} ({name}, level {level})"
    return f"states it as fact ({name}, level {level})"


def grade_phrase(kb: "KnowledgeLookup", judgement: Judgement) -> str:
    """"evidence for ketamine in PTSD is mixed (supports level 2)"."""
    return (
        f"evidence for {substance_name(kb, judgement.substance)} in "
        f"{indication_name(kb, judgement.indication)} is {judgement.assessment.grade.value} "
        f"(supports level {judgement.supported})"
    )


def study_summary(kb: "KnowledgeLookup", assessment: "EvidenceAssessment", limit: int = 3) -> str:
    """"Glue 2017 n=12 open-label, Taylor 2018 n=18" from the assessment's studies."""
    parts = []
    for study_id in assessment.studies[:limit]:
        study = kb.study(study_id)
        if study is None:
            continue
        detail = " ".join(
            x for x in (f"n={study.n}" if study.n else "", study.design.replace("_", "-")) if x
        )
        parts.append(f"{study.short_label} {detail}".strip())
    return ", ".join(parts)


def assessment_evidence(kb: "KnowledgeLookup", assessment: "EvidenceAssessment") -> list[EvidenceRef]:
    refs = [
        EvidenceRef(
            id=assessment.id,
            label=f"{assessment.substance} x {assessment.indication}: {assessment.grade.value}",
            url=assessment.sources[0].link if assessment.sources else "",
            note=assessment.summary,
        )
    ]
    for study_id in assessment.studies[:4]:
        study = kb.study(study_id)
        if study is not None:
            refs.append(EvidenceRef(id=study.id, label=study.short_label, url=study.link))
    return refs


def supported_rewrite(kb: "KnowledgeLookup", judgement: Judgement) -> str:
    """The claim restated at the supported level, naming the studies."""
    assessment = judgement.assessment
    if assessment.supported_wording:
        return assessment.supported_wording
    substance = substance_name(kb, judgement.substance)
    indication = indication_name(kb, judgement.indication)
    studies = study_summary(kb, assessment)
    source = f" ({studies})" if studies else ""
    if judgement.supported >= Certainty.BOOSTED:
        return f"Controlled trials show {substance} is effective for {indication}{source}."
    if judgement.supported >= Certainty.ASSERTED:
        return f"Trials suggest {substance} can help {indication}{source}."
    if judgement.supported >= Certainty.HEDGED:
        return f"Small early studies suggest {substance} may help some people with {indication}{source}."
    return f"Whether {substance} helps {indication} has not been shown in people{source}."
