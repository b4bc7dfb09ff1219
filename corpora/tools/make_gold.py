"""Build gold JSON files from annotation sources, computing character offsets.

An annotation source is a YAML file ``<corpus>/annotations/<stem>.yaml``::

    document: 105_ocd_clinic.txt
    claims:
      - text: "Ketamine is FDA-approved for OCD."   # exact snippet of the source text
        type: regulatory
        occurrence: 2          # optional: which occurrence (1-based) when not unique
        findings:              # omitted or empty -> verdict "ok"
          - family: REG
            severity: error
            why: "..."
            suggestion: "..."  # optional
    document_findings:         # DISC only; family is implied
      - omits: side_effects
        severity: warning
        why: "..."

Each snippet must occur exactly once in the source text (or name its ``occurrence``).
Offsets are Python ``str`` indices into ``open(path, encoding="utf-8").read()``.

Usage::

    python corpora/tools/make_gold.py corpora/written           # (re)write gold/*.json
    python corpora/tools/make_gold.py corpora/written --check   # fail if gold is stale
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml

CLAIM_SOURCE_KEYS = frozenset({"text", "type", "verdict", "findings", "occurrence"})
FINDING_SOURCE_KEYS = ("family", "severity", "why", "suggestion")
DOC_SOURCE_KEYS = frozenset({"family", "omits", "severity", "why"})


class AnnotationError(ValueError):
    """An annotation source cannot be turned into gold (names file and claim)."""


def locate(source: str, snippet: str, occurrence: int | None, where: str) -> tuple[int, int]:
    """Return (start, end) of ``snippet`` in ``source``; unique unless ``occurrence`` given."""
    if not snippet or snippet != snippet.strip():
        raise AnnotationError(f"{where}: snippet is empty or has surrounding whitespace")
    hits: list[int] = []
    position = source.find(snippet)
    while position != -1:
        hits.append(position)
        position = source.find(snippet, position + 1)
    if not hits:
        raise AnnotationError(f"{where}: snippet not found: {snippet[:70]!r}")
    if occurrence is None:
        if len(hits) > 1:
            raise AnnotationError(
                f"{where}: snippet occurs {len(hits)} times; add 'occurrence': {snippet[:50]!r}"
            )
        index = 0
    else:
        if not 1 <= occurrence <= len(hits):
            raise AnnotationError(f"{where}: occurrence {occurrence} of {len(hits)} hits")
        index = occurrence - 1
    return hits[index], hits[index] + len(snippet)


def build_gold(annotation: dict[str, Any], source: str, where: str) -> dict[str, Any]:
    """Turn one parsed annotation source into a gold dict (claims sorted by start)."""
    claims: list[dict[str, Any]] = []
    for index, item in enumerate(annotation.get("claims") or []):
        here = f"{where}: claims[{index}]"
        unknown = set(item) - CLAIM_SOURCE_KEYS
        if unknown:
            raise AnnotationError(f"{here}: unknown keys {sorted(unknown)}")
        start, end = locate(source, item["text"], item.get("occurrence"), here)
        findings = [_finding(f, f"{here}.findings") for f in item.get("findings") or []]
        verdict = "finding" if findings else "ok"
        if item.get("verdict") not in (None, verdict):
            raise AnnotationError(f"{here}: verdict {item['verdict']!r} contradicts findings")
        claims.append(
            {
                "start": start,
                "end": end,
                "text": source[start:end],
                "type": item["type"],
                "verdict": verdict,
                "findings": findings,
            }
        )
    claims.sort(key=lambda claim: claim["start"])
    for before, after in zip(claims, claims[1:]):
        if after["start"] < before["end"]:
            raise AnnotationError(
                f"{where}: claims overlap: {before['text'][:40]!r} / {after['text'][:40]!r}"
            )
    document_findings = []
    for index, item in enumerate(annotation.get("document_findings") or []):
        unknown = set(item) - DOC_SOURCE_KEYS
        if unknown:
            raise AnnotationError(
                f"{where}: document_findings[{index}]: unknown keys {sorted(unknown)}"
            )
        document_findings.append(
            {
                "family": item.get("family", "DISC"),
                "severity": item["severity"],
                "why": item["why"],
                "omits": item["omits"],
            }
        )
    return {
        "document": annotation["document"],
        "claims": claims,
        "document_findings": document_findings,
    }


def _finding(item: dict[str, Any], where: str) -> dict[str, Any]:
    unknown = set(item) - set(FINDING_SOURCE_KEYS)
    if unknown:
        raise AnnotationError(f"{where}: unknown keys {sorted(unknown)}")
    return {key: item[key] for key in FINDING_SOURCE_KEYS if key in item}


def render(gold: dict[str, Any]) -> str:
    """Serialise gold the way the seed gold files are written."""
    return json.dumps(gold, ensure_ascii=False, indent=1) + "\n"


def build_corpus(folder: Path, check: bool = False) -> list[str]:
    """Write (or with ``check`` compare) gold for every annotation source; return problems."""
    problems: list[str] = []
    sources = sorted((folder / "annotations").glob("*.yaml"))
    if not sources:
        return [f"{folder / 'annotations'}: no *.yaml annotation sources"]
    (folder / "gold").mkdir(exist_ok=True)
    for path in sources:
        try:
            annotation = yaml.safe_load(path.read_text(encoding="utf-8"))
            text_path = folder / annotation["document"]
            if text_path.stem != path.stem:
                raise AnnotationError(f"{path}: document {annotation['document']!r} != file stem")
            source = text_path.read_text(encoding="utf-8")
            rendered = render(build_gold(annotation, source, str(path)))
        except (AnnotationError, KeyError, OSError, yaml.YAMLError, TypeError) as exc:
            problems.append(f"{path}: {exc}")
            continue
        out = folder / "gold" / f"{path.stem}.json"
        if check:
            if not out.exists() or out.read_text(encoding="utf-8") != rendered:
                problems.append(f"{out}: stale; rerun make_gold.py")
        else:
            out.write_text(rendered, encoding="utf-8")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="corpus folder holding annotations/ and texts")
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    problems = build_corpus(args.folder, check=args.check)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
