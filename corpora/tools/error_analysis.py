#!/usr/bin/env python3
"""List every false positive and miss on a page set, each with its cause category.

Scores exactly as the page-set scorer does (it is imported from the page set's folder, so
the matching is the same), then looks at what the auditor understood of each sentence (the
claims inventory) to say why a finding was missed or raised:

MISS causes
  not-detected      no claim covers the annotated sentence
  no-subject        a claim covers it, but names no substance (the subject was not resolved)
  knowledge-gap     EVI/CITE/DUR/SCOPE/STAT miss whose claim names no indication the base grades
  certainty         the claim was read as hedged, speculative or rejected (level <= 2)
  wrong-family      the auditor flagged the sentence, but under another family
  rule-silent       claim, subject and grade are there; no rule fired
FP causes
  page-kind         a DISC finding on a page annotated as careful (informational)
  wrong-family      the sentence has a gold finding of another family
  fine-sentence     the sentence is one the annotators marked fine
  unannotated       neither: a finding on a sentence the gold does not mention

Usage (the texts are rebuilt into a git-ignored cache; see ../shared/realpages/README.md):
  python corpora/tools/error_analysis.py ../shared/realpages --cache corpora/realpages/cache \
      --cli .venv/bin/claimaudit [--details] [--save run.json] [--compare before.json]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

MISS_CAUSES = ("not-detected", "no-subject", "knowledge-gap", "certainty", "wrong-family", "rule-silent")
FP_CAUSES = ("page-kind", "wrong-family", "fine-sentence", "unannotated")
GRADED_FAMILIES = {"EVI", "CITE", "DUR", "SCOPE", "STAT"}


@dataclass(frozen=True)
class Error:
    kind: str  # "MISS" or "FP"
    cause: str
    family: str
    page: str
    start: int | None
    code: str | None
    text: str


def load_scorer(page_set: Path) -> ModuleType:
    """The page set's own scorer, so matching here is the matching that is reported."""
    spec = importlib.util.spec_from_file_location("page_set_score", page_set / "score.py")
    if spec is None or spec.loader is None:
        sys.exit(f"no score.py in {page_set}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def claims_by_page(cli: str, paths: list[str]) -> dict[str, list[dict[str, Any]]]:
    proc = subprocess.run([cli, "claims", "--format", "json", *paths], capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        sys.exit(f"claimaudit claims failed ({proc.returncode}): {proc.stderr[-400:]}")
    return {Path(doc["path"]).name: doc.get("claims") or [] for doc in json.loads(proc.stdout)}


def overlapping(items: list[dict[str, Any]], start: int, end: int) -> list[dict[str, Any]]:
    return [c for c in items if c.get("start") is not None and c["start"] < end and start < c["end"]]


def miss_cause(gold: dict[str, Any], claims: list[dict[str, Any]], preds: list[dict[str, Any]]) -> str:
    if gold["start"] is None:  # page-level (DISC): nothing sentence-level to inspect
        return "rule-silent"
    if any(p["family"] != gold["family"] for p in overlapping(preds, gold["start"], gold["end"])):
        return "wrong-family"
    covering = overlapping(claims, gold["start"], gold["end"])
    if not covering:
        return "not-detected"
    if not any(c.get("substances") for c in covering):
        return "no-subject"
    if gold["family"] in GRADED_FAMILIES and not any(_graded(c) for c in covering):
        return "knowledge-gap"
    if max(c.get("certainty_level", 3) for c in covering) <= 2:
        return "certainty"
    return "rule-silent"


def _graded(claim: dict[str, Any]) -> bool:
    return any(not str(g.get("grade", "")).startswith("unknown") for g in claim.get("evidence_grades", []))


def fp_cause(pred: dict[str, Any], doc: dict[str, Any], scorer: ModuleType) -> str:
    if pred["family"] == "DISC" and doc["kind"] == "careful":
        return "page-kind"
    if pred["start"] is None:
        return "unannotated"
    if any(scorer.overlaps(pred["start"], pred["end"], g["start"], g["end"]) for g in doc["gold"] if g["start"] is not None):
        return "wrong-family"
    if any(scorer.overlaps(pred["start"], pred["end"], c0, c1) for c0, c1 in doc["clean"]):
        return "fine-sentence"
    return "unannotated"


def analyse(page_set: Path, cache: Path, cli: str, excerpt: bool) -> list[Error]:
    scorer = load_scorer(page_set)
    docs = scorer.load_holdout(str(page_set), str(cache))
    paths = [d["path"] for d in docs.values()]
    preds = scorer.run_auditor(cli, paths)
    claims = claims_by_page(cli, paths)
    if excerpt:  # the scorer's --excerpt conventions
        def keep(f: dict[str, Any]) -> bool:
            if f["family"] == "DISC" and f.get("omits") not in (None, "off_label_status"):
                return False
            return not (f.get("code") == "CITE002" and "no reference list" in f.get("message", ""))

        preds = {k: [f for f in v if keep(f)] for k, v in preds.items()}
        for d in docs.values():
            d["gold"] = [g for g in d["gold"] if keep(g)]
    errors: list[Error] = []
    for name, doc in sorted(docs.items()):
        ps, gs = preds.get(name, []), doc["gold"]
        pairs = scorer.match(ps, gs)
        matched_p, matched_g = {i for i, _ in pairs}, {j for _, j in pairs}
        for i, p in enumerate(ps):
            if i not in matched_p:
                errors.append(Error("FP", fp_cause(p, doc, scorer), p["family"], name, p["start"], p.get("code"),
                                    _excerpt(doc["text"], p["start"], p["end"]) or p.get("message", "")[:100]))
        for j, g in enumerate(gs):
            if j not in matched_g:
                errors.append(Error("MISS", miss_cause(g, claims.get(name, []), ps), g["family"], name, g["start"],
                                    None, _excerpt(doc["text"], g["start"], g["end"])))
    return errors


def _excerpt(text: str, start: int | None, end: int | None) -> str:
    if start is None or end is None:
        return ""
    return " ".join(text[start:end].split())[:110]


def cause_table(errors: list[Error], before: list[Error] | None = None) -> str:
    now = Counter((e.kind, e.cause) for e in errors)
    then = Counter((e.kind, e.cause) for e in before or [])
    families = sorted({e.family for e in errors} | {e.family for e in before or []})
    lines = [f"{'kind':5} {'cause':14} {'total':>7}  " + " ".join(f"{f:>5}" for f in families)]
    for kind, causes in (("MISS", MISS_CAUSES), ("FP", FP_CAUSES)):
        for cause in causes:
            per_family = Counter(e.family for e in errors if (e.kind, e.cause) == (kind, cause))
            total = f"{now[(kind, cause)]}" + (f" ({then[(kind, cause)]})" if before is not None else "")
            lines.append(f"{kind:5} {cause:14} {total:>7}  " + " ".join(f"{per_family[f]:>5}" for f in families))
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("page_set", type=Path, help="folder with manifest.jsonl, gold.jsonl, clean.jsonl, score.py")
    ap.add_argument("--cache", type=Path, required=True, help="folder of <id>.txt texts")
    ap.add_argument("--cli", default="claimaudit")
    ap.add_argument("--no-excerpt", action="store_true", help="score DISC fully (texts are whole pages)")
    ap.add_argument("--details", action="store_true", help="list every error under its cause")
    ap.add_argument("--save", type=Path, help="write the errors as JSON (for a later --compare)")
    ap.add_argument("--compare", type=Path, help="an earlier --save file: show its counts in brackets")
    a = ap.parse_args()
    errors = analyse(a.page_set, a.cache, a.cli, excerpt=not a.no_excerpt)
    before = [Error(**e) for e in json.loads(a.compare.read_text())] if a.compare else None
    print(cause_table(errors, before))
    if a.details:
        for e in sorted(errors, key=lambda e: (e.kind, e.cause, e.family, e.page)):
            print(f"{e.kind:4} {e.cause:14} {e.family:5} {e.page} {e.code or '':8} {e.text}")
    if a.save:
        a.save.write_text(json.dumps([asdict(e) for e in errors], indent=1))


if __name__ == "__main__":
    main()
