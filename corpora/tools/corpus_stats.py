"""Count texts, claims and findings per family and severity in annotated corpora.

Usage::

    python corpora/tools/corpus_stats.py corpora/seeds corpora/written   # Markdown table
    python corpora/tools/corpus_stats.py --json corpora/written
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

FAMILIES = ("REG", "EVI", "STAT", "CITE", "SAFE", "MECH", "DUR", "SCOPE", "DISC")
SEVERITIES = ("error", "warning", "info")
_TAG = re.compile(r"<[^>]+>")


def corpus_stats(folder: str | Path) -> dict[str, Any]:
    """Return counts for one corpus folder (texts, words, claims, findings by family/severity)."""
    root = Path(folder)
    stats: dict[str, Any] = {
        "corpus": root.name,
        "texts": 0,
        "words": 0,
        "claims": 0,
        "ok_claims": 0,
        "finding_claims": 0,
        "by_family": Counter(),
        "by_severity": Counter(),
        "by_family_severity": Counter(),
        "by_format": Counter(),
        "disc_omits": Counter(),
    }
    for gold_path in sorted((root / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text_path = root / gold["document"]
        raw = text_path.read_text(encoding="utf-8")
        visible = _TAG.sub(" ", raw) if text_path.suffix == ".html" else raw
        stats["texts"] += 1
        stats["words"] += len(visible.split())
        stats["by_format"][text_path.suffix.lstrip(".")] += 1
        for claim in gold["claims"]:
            stats["claims"] += 1
            stats["ok_claims" if claim["verdict"] == "ok" else "finding_claims"] += 1
            for finding in claim["findings"]:
                _count(stats, finding["family"], finding["severity"])
        for finding in gold["document_findings"]:
            _count(stats, finding["family"], finding["severity"])
            stats["disc_omits"][finding["omits"]] += 1
    return stats


def _count(stats: dict[str, Any], family: str, severity: str) -> None:
    stats["by_family"][family] += 1
    stats["by_severity"][severity] += 1
    stats["by_family_severity"][f"{family}/{severity}"] += 1


def markdown(all_stats: list[dict[str, Any]]) -> str:
    """Render the stats of several corpora as Markdown tables."""
    lines = [
        "| corpus | texts | words | claims | ok claims | claims with findings | findings |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for s in all_stats:
        total = sum(s["by_family"].values())
        lines.append(
            f"| {s['corpus']} | {s['texts']} | {s['words']} | {s['claims']} | {s['ok_claims']}"
            f" | {s['finding_claims']} | {total} |"
        )
    lines += ["", "| corpus | " + " | ".join(FAMILIES) + " |", "|---|" + "---:|" * len(FAMILIES)]
    for s in all_stats:
        cells = [str(s["by_family"][f]) for f in FAMILIES]
        lines.append(f"| {s['corpus']} | " + " | ".join(cells) + " |")
    lines += ["", "| corpus / family | error | warning | info |", "|---|---:|---:|---:|"]
    for s in all_stats:
        for family in FAMILIES:
            cells = [str(s["by_family_severity"][f"{family}/{sev}"]) for sev in SEVERITIES]
            lines.append(f"| {s['corpus']} {family} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    args = parser.parse_args(argv)
    all_stats = [corpus_stats(folder) for folder in args.folders]
    if args.json:
        print(json.dumps([{k: dict(v) if isinstance(v, Counter) else v for k, v in s.items()}
                          for s in all_stats], indent=1))
    else:
        print(markdown(all_stats), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
