"""Render an evaluation: the score table, then misses and false positives with their text."""

from __future__ import annotations

from typing import Any

from claimaudit.evaluation.score import FAMILIES, Score, Tally


def table(score: Score, title: str) -> str:
    lines = [title, f"{'family':<8}{'gold':>6}{'pred':>6}{'tp':>5}{'prec':>8}{'rec':>8}{'f1':>8}"]
    for family in FAMILIES:
        lines.append(_row(family, score.by_family[family]))
    lines.append(_row("overall", score.overall))
    return "\n".join(lines)


def _row(name: str, t: Tally) -> str:
    return f"{name:<8}{t.tp + t.fn:>6}{t.tp + t.fp:>6}{t.tp:>5}{t.precision:>8.3f}{t.recall:>8.3f}{t.f1:>8.3f}"


def details(score: Score, limit: int = 200) -> str:
    lines = [f"\nMisses ({len(score.misses)}):"]
    for document, gold in score.misses[:limit]:
        where = f"{gold.start}-{gold.end}" if gold.start >= 0 else f"document omits={gold.omits}"
        lines.append(f"  {document} {gold.family} {gold.severity} [{where}] {_clip(gold.text)}")
    lines.append(f"\nFalse positives ({len(score.false_positives)}):")
    for p in score.false_positives[:limit]:
        where = f"{p.start}-{p.end}" if not p.omits else f"omits={p.omits}"
        lines.append(f"  {p.document} {p.code} {p.severity} [{where}] {_clip(p.text)} -- {_clip(p.message, 100)}")
    return "\n".join(lines)


def to_dict(score: Score) -> dict[str, Any]:
    def tally(t: Tally) -> dict[str, Any]:
        return {"tp": t.tp, "fp": t.fp, "fn": t.fn, "precision": round(t.precision, 4), "recall": round(t.recall, 4), "f1": round(t.f1, 4)}

    return {
        "overall": tally(score.overall),
        "by_family": {f: tally(score.by_family[f]) for f in FAMILIES},
        "false_positives_on_ok_claims": len(score.fp_on_ok_claims),
        "severity_agreement": round(score.severity_agree / score.matched, 4) if score.matched else None,
    }


def _clip(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
