"""Read a gold corpus: texts in the folder, one JSON annotation per text in its `gold/`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from claimaudit.errors import InputError


@dataclass(frozen=True, slots=True)
class GoldFinding:
    family: str
    severity: str
    start: int  # -1 for document-level (DISC)
    end: int
    text: str
    why: str
    omits: str | None = None
    claim_verdict: str = "finding"


@dataclass(frozen=True, slots=True)
class GoldClaim:
    start: int
    end: int
    text: str
    type: str
    verdict: str


@dataclass(frozen=True, slots=True)
class GoldDocument:
    name: str
    text_path: Path
    claims: tuple[GoldClaim, ...]
    findings: tuple[GoldFinding, ...]


def load_corpus(folder: str | Path) -> tuple[GoldDocument, ...]:
    """Every annotated document of a corpus folder, sorted by name."""
    root = Path(folder)
    gold_dir = root / "gold"
    if not gold_dir.is_dir():
        raise InputError(f"{root}: no gold/ folder with annotations", code="IN110")
    documents = [load_document(path, root) for path in sorted(gold_dir.glob("*.json"))]
    if not documents:
        raise InputError(f"{gold_dir}: no *.json annotation files", code="IN111")
    return tuple(documents)


def load_document(path: Path, root: Path) -> GoldDocument:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InputError(f"{path}: cannot read gold annotation ({error})", code="IN112") from None
    name = data.get("document") or path.stem
    text_path = root / name
    if not text_path.is_file():
        raise InputError(f"{path}: annotated document {name!r} not found in {root}", code="IN113")
    claims, findings = [], []
    for claim in data.get("claims", []):
        claims.append(GoldClaim(claim["start"], claim["end"], claim["text"], claim.get("type", ""), claim["verdict"]))
        for finding in claim.get("findings", []):
            findings.append(
                GoldFinding(
                    finding["family"], finding.get("severity", "warning"), claim["start"], claim["end"],
                    claim["text"], finding.get("why", ""), claim_verdict=claim["verdict"],
                )
            )
    for finding in data.get("document_findings", []):
        findings.append(
            GoldFinding(finding["family"], finding.get("severity", "warning"), -1, -1, "", finding.get("why", ""), finding.get("omits"))
        )
    return GoldDocument(name, text_path, tuple(claims), tuple(findings))
