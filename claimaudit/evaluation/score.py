"""Match predictions to gold findings one-to-one and compute precision, recall and F1."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from claimaudit.evaluation.gold import GoldClaim, GoldDocument, GoldFinding
from claimaudit.findings.model import Finding

FAMILIES = ("REG", "EVI", "STAT", "CITE", "SAFE", "MECH", "DUR", "SCOPE", "DISC")


@dataclass(frozen=True, slots=True)
class Prediction:
    document: str
    family: str
    severity: str
    start: int
    end: int
    text: str
    message: str
    code: str
    omits: str | None = None


@dataclass(slots=True)
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class Score:
    by_family: dict[str, Tally] = field(default_factory=lambda: {f: Tally() for f in FAMILIES})
    misses: list[tuple[str, GoldFinding]] = field(default_factory=list)
    false_positives: list[Prediction] = field(default_factory=list)
    fp_on_ok_claims: list[Prediction] = field(default_factory=list)
    severity_agree: int = 0
    matched: int = 0

    @property
    def overall(self) -> Tally:
        total = Tally()
        for tally in self.by_family.values():
            total.tp += tally.tp
            total.fp += tally.fp
            total.fn += tally.fn
        return total


def predictions_of(document: str, findings: Iterable[Finding]) -> list[Prediction]:
    return [
        Prediction(document, f.family.value, f.severity.value, f.start, f.end, f.text, f.message, f.code, f.omits)
        for f in findings
        if f.family.value in FAMILIES
    ]


def score_documents(pairs: Iterable[tuple[GoldDocument, Sequence[Prediction]]], *, serious_only: bool = False) -> Score:
    """Score every (gold, predictions) pair; `serious_only` drops info from both sides."""
    score = Score()
    for gold, predictions in pairs:
        golds = [g for g in gold.findings if not (serious_only and g.severity == "info")]
        preds = [p for p in predictions if not (serious_only and p.severity == "info")]
        _score_one(gold, golds, preds, score)
    return score


def _score_one(gold: GoldDocument, golds: list[GoldFinding], preds: list[Prediction], score: Score) -> None:
    pairs = _candidate_pairs(golds, preds)
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    for _size, gi, pi in sorted(pairs, key=lambda t: (-t[0], t[1], t[2])):
        if gi in used_gold or pi in used_pred:
            continue
        used_gold.add(gi)
        used_pred.add(pi)
        score.by_family[golds[gi].family].tp += 1
        score.matched += 1
        if golds[gi].severity == preds[pi].severity:
            score.severity_agree += 1
    for gi, finding in enumerate(golds):
        if gi not in used_gold:
            score.by_family[finding.family].fn += 1
            score.misses.append((gold.name, finding))
    ok_claims = [c for c in gold.claims if c.verdict == "ok"]
    for pi, prediction in enumerate(preds):
        if pi not in used_pred:
            score.by_family[prediction.family].fp += 1
            score.false_positives.append(prediction)
            if any(_overlap(prediction.start, prediction.end, c.start, c.end) > 0 for c in ok_claims):
                score.fp_on_ok_claims.append(prediction)


def _candidate_pairs(golds: list[GoldFinding], preds: list[Prediction]) -> list[tuple[int, int, int]]:
    pairs = []
    for gi, g in enumerate(golds):
        for pi, p in enumerate(preds):
            if g.family != p.family:
                continue
            if g.family == "DISC" and g.start < 0:
                if p.omits is None or p.omits == g.omits:
                    pairs.append((1, gi, pi))
                continue
            overlap = _overlap(g.start, g.end, p.start, p.end)
            if overlap > 0:
                pairs.append((overlap, gi, pi))
    return pairs


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def ok_claim_errors(gold: GoldDocument, predictions: Sequence[Prediction]) -> list[tuple[GoldClaim, Prediction]]:
    """Error-severity predictions on claims the gold marks ok."""
    return [
        (claim, p)
        for claim in gold.claims
        if claim.verdict == "ok"
        for p in predictions
        if p.severity == "error" and _overlap(p.start, p.end, claim.start, claim.end) > 0
    ]
