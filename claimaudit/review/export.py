"""Decisions as a baseline file: what `claimaudit check --baseline` (and so CI) honours.

Only current decisions count (a dismissal later reverted to "accepted" is not exported). A
fingerprint names its path relative to a directory; the store remembers the directory each
decision was made from, so the exported fingerprints are recomputed relative to the baseline
file's own directory, exactly as `check --baseline FILE` computes them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from claimaudit.gate.baseline import BASELINE_VERSION, base_fingerprint, relative_path
from claimaudit.review.model import Decision, Status

DEFAULT_EXPORT = (Status.DISMISSED,)


def relocate(decision: Decision, base_dir: Path) -> tuple[str, str]:
    """(fingerprint, path) of the decided finding, for a baseline living in `base_dir`."""
    path = str(decision.finding.get("path") or decision.document)
    if Path(decision.document).name == Path(path).name:
        path = decision.document  # the page's document name may carry the folder an upload's name lacks
    if path.startswith("<") or not decision.root:
        return decision.fingerprint, path
    absolute = Path(path) if Path(path).is_absolute() else Path(decision.root) / path
    relative = relative_path(str(absolute), base_dir)
    occurrence = decision.fingerprint.rpartition(":")[2] or "0"
    text = str(decision.finding.get("text", ""))
    return f"{base_fingerprint(relative, decision.code, text)}:{occurrence}", relative


def export_entries(decisions: Iterable[Decision], base_dir: Path,
                   statuses: Sequence[Status] = DEFAULT_EXPORT) -> list[dict[str, Any]]:
    """One baseline entry per current decision whose status is exported, sorted like `baseline`."""
    entries = []
    for decision in decisions:
        if decision.status not in statuses:
            continue
        fingerprint, path = relocate(decision, base_dir)
        finding = decision.finding
        entries.append({
            "fingerprint": fingerprint, "path": path, "code": decision.code,
            "line": int(finding.get("line", 0) or 0), "text": str(finding.get("text", "")),
            "message": str(finding.get("message", "")),
            "review": {"status": decision.status.value, "reason": decision.reason,
                       "reviewer": decision.reviewer, "decided_at": decision.decided_at},
        })
    entries.sort(key=lambda e: (e["path"], e["line"], e["code"], e["fingerprint"]))
    return entries


def dump_export(entries: list[dict[str, Any]], tool_version: str) -> str:
    """The baseline file's text (the `baseline` format; each entry also says who decided and why)."""
    data = {"tool": "claimaudit", "version": BASELINE_VERSION, "tool_version": tool_version,
            "source": "review decisions", "findings": entries}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
