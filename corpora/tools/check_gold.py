"""Validate the gold annotations of an annotated corpus folder.

A corpus folder holds source texts (``*.txt``, ``*.md``, ``*.html``) and a ``gold/``
subfolder with one ``<stem>.json`` per text, in the format described in
``corpora/seeds/gold/README.md``.

Usage::

    python corpora/tools/check_gold.py corpora/seeds corpora/written

Exit status 0 when every folder is clean, 1 when problems were found, 2 on bad usage.
The main logic is the importable :func:`check_corpus`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

TEXT_SUFFIXES = (".txt", ".md", ".html")
FAMILIES = frozenset({"REG", "EVI", "STAT", "CITE", "SAFE", "MECH", "DUR", "SCOPE", "DISC"})
SPAN_FAMILIES = FAMILIES - {"DISC"}
SEVERITIES = frozenset({"error", "warning", "info"})
VERDICTS = frozenset({"ok", "finding"})
CLAIM_TYPES = frozenset(
    {
        "regulatory",
        "efficacy",
        "statistic",
        "safety",
        "mechanism",
        "durability",
        "onset",
        "scope",
        "history",
        "citation",
    }
)
OMITS = frozenset(
    {
        "off_label_status",
        "side_effects",
        "contraindications",
        "evidence_limits",
        "review_date",
        "sources",
    }
)
CLAIM_KEYS = frozenset({"start", "end", "text", "type", "verdict", "findings"})
FINDING_KEYS = frozenset({"family", "severity", "why", "suggestion"})
DOC_FINDING_KEYS = frozenset({"family", "severity", "why", "omits"})


def check_corpus(folder: str | Path) -> list[str]:
    """Return every problem found in the corpus at ``folder`` (empty list = valid)."""
    root = Path(folder)
    gold_dir = root / "gold"
    if not root.is_dir():
        return [f"{root}: not a directory"]
    if not gold_dir.is_dir():
        return [f"{gold_dir}: missing gold folder"]
    texts = {p.stem: p for p in sorted(root.iterdir()) if p.suffix in TEXT_SUFFIXES}
    texts.pop("README", None)
    golds = {p.stem: p for p in sorted(gold_dir.glob("*.json"))}
    problems: list[str] = []
    for stem in sorted(set(texts) - set(golds)):
        problems.append(f"{texts[stem]}: no gold file {gold_dir / (stem + '.json')}")
    for stem, gold_path in golds.items():
        text_path = texts.get(stem)
        if text_path is None:
            problems.append(f"{gold_path}: no matching text file in {root}")
            continue
        problems.extend(check_gold_file(gold_path, text_path))
    return problems


def check_gold_file(gold_path: Path, text_path: Path) -> list[str]:
    """Check one gold JSON file against its source text."""
    try:
        source = text_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [f"{text_path}: cannot read as UTF-8 ({exc})"]
    try:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [f"{gold_path}: cannot parse JSON ({exc})"]
    if not isinstance(gold, dict):
        return [f"{gold_path}: top level must be an object"]
    problems: list[str] = []
    extra = set(gold) - {"document", "claims", "document_findings"}
    if extra:
        problems.append(f"{gold_path}: unknown top-level keys {sorted(extra)}")
    if gold.get("document") != text_path.name:
        problems.append(
            f"{gold_path}: document is {gold.get('document')!r}, expected {text_path.name!r}"
        )
    claims = gold.get("claims")
    if not isinstance(claims, list):
        problems.append(f"{gold_path}: 'claims' must be a list")
        claims = []
    previous_end = -1
    previous_start = -1
    for index, claim in enumerate(claims):
        where = f"{gold_path}: claims[{index}]"
        if not isinstance(claim, dict):
            problems.append(f"{where}: must be an object")
            continue
        problems.extend(_check_claim(claim, source, where))
        start, end = claim.get("start"), claim.get("end")
        if isinstance(start, int) and isinstance(end, int):
            if start < previous_start:
                problems.append(f"{where}: not sorted by start ({start} after {previous_start})")
            if start < previous_end:
                problems.append(
                    f"{where}: overlaps the previous claim (starts {start} < {previous_end})"
                )
            previous_start, previous_end = start, max(end, previous_end)
    doc_findings = gold.get("document_findings")
    if not isinstance(doc_findings, list):
        problems.append(f"{gold_path}: 'document_findings' must be a list")
        doc_findings = []
    seen_omits: set[str] = set()
    for index, finding in enumerate(doc_findings):
        where = f"{gold_path}: document_findings[{index}]"
        problems.extend(_check_doc_finding(finding, where))
        omits = finding.get("omits") if isinstance(finding, dict) else None
        if isinstance(omits, str):
            if omits in seen_omits:
                problems.append(f"{where}: omits {omits!r} recorded twice")
            seen_omits.add(omits)
    return problems


def _check_claim(claim: dict[str, Any], source: str, where: str) -> list[str]:
    problems: list[str] = []
    missing = CLAIM_KEYS - set(claim)
    if missing:
        problems.append(f"{where}: missing keys {sorted(missing)}")
    extra = set(claim) - CLAIM_KEYS
    if extra:
        problems.append(f"{where}: unknown keys {sorted(extra)}")
    start, end, text = claim.get("start"), claim.get("end"), claim.get("text")
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool):
        problems.append(f"{where}: start/end must be integers")
    elif not 0 <= start < end <= len(source):
        problems.append(f"{where}: span {start}..{end} outside 0..{len(source)} or empty")
    elif source[start:end] != text:
        problems.append(
            f"{where}: text does not match source[{start}:{end}] = {source[start:end][:60]!r}"
        )
    elif text != text.strip():
        problems.append(f"{where}: span has leading or trailing whitespace")
    if claim.get("type") not in CLAIM_TYPES:
        problems.append(f"{where}: invalid type {claim.get('type')!r}")
    verdict = claim.get("verdict")
    findings = claim.get("findings")
    if verdict not in VERDICTS:
        problems.append(f"{where}: invalid verdict {verdict!r}")
    if not isinstance(findings, list):
        problems.append(f"{where}: 'findings' must be a list")
        return problems
    if verdict == "ok" and findings:
        problems.append(f"{where}: verdict 'ok' but {len(findings)} finding(s)")
    if verdict == "finding" and not findings:
        problems.append(f"{where}: verdict 'finding' but no findings")
    for f_index, finding in enumerate(findings):
        problems.extend(_check_finding(finding, f"{where}.findings[{f_index}]"))
    return problems


def _check_finding(finding: Any, where: str) -> list[str]:
    if not isinstance(finding, dict):
        return [f"{where}: must be an object"]
    problems: list[str] = []
    missing = {"family", "severity", "why"} - set(finding)
    if missing:
        problems.append(f"{where}: missing keys {sorted(missing)}")
    extra = set(finding) - FINDING_KEYS
    if extra:
        problems.append(f"{where}: unknown keys {sorted(extra)}")
    family = finding.get("family")
    if family == "DISC":
        problems.append(f"{where}: DISC findings belong in document_findings")
    elif family not in SPAN_FAMILIES:
        problems.append(f"{where}: invalid family {family!r}")
    if finding.get("severity") not in SEVERITIES:
        problems.append(f"{where}: invalid severity {finding.get('severity')!r}")
    for key in ("why", "suggestion"):
        if key in finding and not (isinstance(finding[key], str) and finding[key].strip()):
            problems.append(f"{where}: {key!r} must be a non-empty string")
    return problems


def _check_doc_finding(finding: Any, where: str) -> list[str]:
    if not isinstance(finding, dict):
        return [f"{where}: must be an object"]
    problems: list[str] = []
    missing = DOC_FINDING_KEYS - set(finding)
    if missing:
        problems.append(f"{where}: missing keys {sorted(missing)}")
    extra = set(finding) - DOC_FINDING_KEYS
    if extra:
        problems.append(f"{where}: unknown keys {sorted(extra)}")
    if finding.get("family") != "DISC":
        problems.append(f"{where}: family must be 'DISC', got {finding.get('family')!r}")
    if finding.get("severity") not in SEVERITIES:
        problems.append(f"{where}: invalid severity {finding.get('severity')!r}")
    if finding.get("omits") not in OMITS:
        problems.append(f"{where}: invalid omits {finding.get('omits')!r}")
    if not (isinstance(finding.get("why"), str) and finding["why"].strip()):
        problems.append(f"{where}: 'why' must be a non-empty string")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Check each corpus folder named on the command line; print problems."""
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: check_gold.py CORPUS_FOLDER [CORPUS_FOLDER ...]", file=sys.stderr)
        return 2
    total = 0
    for folder in args:
        problems = check_corpus(folder)
        total += len(problems)
        for problem in problems:
            print(problem)
        status = "ok" if not problems else f"{len(problems)} problem(s)"
        print(f"{folder}: {status}", file=sys.stderr)
    return 1 if total else 0


if __name__ == "__main__":
    raise SystemExit(main())
