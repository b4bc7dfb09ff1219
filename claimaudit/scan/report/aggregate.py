"""Per-site figures from stored pages: counts, worst pages, most frequent problem claims."""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from claimaudit.scan.urls import site_of, slugify

SEVERITIES = ("error", "warning", "info")
SEVERITY_WEIGHT = {"error": 3, "warning": 2, "info": 1}
FAMILIES = ("REG", "EVI", "STAT", "CITE", "SAFE", "MECH", "DUR", "SCOPE", "DISC")


@dataclass(frozen=True, slots=True)
class StoredPage:
    """A page row of the store, with its findings decoded."""

    key: str
    kind: str
    final_url: str
    status: str
    reason: str
    http_status: int | None
    fetched_at: str
    bytes: int | None
    content_type: str
    encoding: str
    extractor: str
    media_type: str
    text: str
    findings: tuple[dict[str, Any], ...]
    kb_version: str

    @property
    def site(self) -> str:
        return site_of(self.key)

    @property
    def slug(self) -> str:
        return slugify(self.key)

    def count(self, severity: str) -> int:
        return sum(1 for finding in self.findings if finding.get("severity") == severity)

    @property
    def score(self) -> int:
        """Weighted severity: error 3, warning 2, info 1 per finding."""
        return sum(SEVERITY_WEIGHT.get(str(f.get("severity")), 0) for f in self.findings)

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> StoredPage:
        return cls(
            key=row["url"],
            kind=row["kind"],
            final_url=row["final_url"],
            status=row["status"],
            reason=row["reason"],
            http_status=row["http_status"],
            fetched_at=row["fetched_at"],
            bytes=row["bytes"],
            content_type=row["content_type"],
            encoding=row["encoding"],
            extractor=row["extractor"],
            media_type=row["media_type"],
            text=row["text"],
            findings=tuple(json.loads(row["findings_json"] or "[]")),
            kb_version=row["kb_version"],
        )


@dataclass(frozen=True, slots=True)
class ClaimGroup:
    """One problem claim, normalised, and where it recurs."""

    claim: str  # normalised claim text
    code: str
    severity: str
    message: str  # an example message
    occurrences: int
    pages: tuple[str, ...]  # distinct page keys, in order of first appearance


@dataclass(frozen=True, slots=True)
class SiteSummary:
    site: str
    pages: int
    ok: int
    errors: int
    skipped: int
    by_severity: tuple[tuple[str, int], ...]
    by_family: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]  # family -> severity counts
    worst_pages: tuple[StoredPage, ...]
    top_claims: tuple[ClaimGroup, ...]
    problems: tuple[tuple[str, int], ...]  # error/skip reason -> pages

    @property
    def findings(self) -> int:
        return sum(count for _, count in self.by_severity)


_SPACE = re.compile(r"\s+")
_EDGE_PUNCTUATION = " \t\n.,;:!?\"'()[]{}«»“”‘’*_-–—"


def normalize_claim(text: str) -> str:
    """Claim text compared across pages: case, quotes, spacing and edge punctuation folded."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return _SPACE.sub(" ", text).strip(_EDGE_PUNCTUATION).lower()


def family_of(finding: dict[str, Any]) -> str:
    family = str(finding.get("family") or "")
    if family:
        return family
    return re.sub(r"\d+$", "", str(finding.get("code", ""))) or "?"


def summarize_sites(
    pages: Iterable[StoredPage], *, worst: int = 10, top_claims: int = 15
) -> list[SiteSummary]:
    """One summary per site, sites in name order."""
    by_site: dict[str, list[StoredPage]] = defaultdict(list)
    for page in pages:
        by_site[page.site].append(page)
    return [
        summarize_site(site, by_site[site], worst=worst, top_claims=top_claims)
        for site in sorted(by_site)
    ]


def summarize_site(
    site: str, pages: list[StoredPage], *, worst: int = 10, top_claims: int = 15
) -> SiteSummary:
    severity: Counter[str] = Counter()
    family: dict[str, Counter[str]] = defaultdict(Counter)
    problems: Counter[str] = Counter()
    for page in pages:
        if page.status != "ok":
            problems[f"{page.status}: {_reason_kind(page.reason)}"] += 1
        for finding in page.findings:
            sev = str(finding.get("severity", ""))
            severity[sev] += 1
            family[family_of(finding)][sev] += 1
    ranked = sorted((page for page in pages if page.findings), key=lambda p: (-p.score, p.key))[
        :worst
    ]
    families = sorted(family, key=lambda f: (FAMILIES.index(f) if f in FAMILIES else 99, f))
    return SiteSummary(
        site=site,
        pages=len(pages),
        ok=sum(page.status == "ok" for page in pages),
        errors=sum(page.status == "error" for page in pages),
        skipped=sum(page.status == "skipped" for page in pages),
        by_severity=tuple((sev, severity[sev]) for sev in SEVERITIES),
        by_family=tuple(
            (name, tuple((sev, family[name][sev]) for sev in SEVERITIES)) for name in families
        ),
        worst_pages=tuple(ranked),
        top_claims=frequent_claims(pages, limit=top_claims),
        problems=tuple(sorted(problems.items(), key=lambda item: (-item[1], item[0]))),
    )


def frequent_claims(pages: Iterable[StoredPage], *, limit: int = 15) -> tuple[ClaimGroup, ...]:
    """Problem claims that recur across pages, most widespread first."""
    occurrences: Counter[tuple[str, str]] = Counter()
    where: dict[tuple[str, str], dict[str, None]] = defaultdict(dict)
    example: dict[tuple[str, str], dict[str, Any]] = {}
    for page in pages:
        for finding in page.findings:
            claim = normalize_claim(str(finding.get("text", "")))
            if not claim:
                continue
            key = (claim, str(finding.get("code", "")))
            occurrences[key] += 1
            where[key].setdefault(page.key)
            example.setdefault(key, finding)
    ranked = sorted(occurrences, key=lambda k: (-len(where[k]), -occurrences[k], k))
    return tuple(
        ClaimGroup(
            claim=claim,
            code=code,
            severity=str(example[(claim, code)].get("severity", "")),
            message=str(example[(claim, code)].get("message", "")),
            occurrences=occurrences[(claim, code)],
            pages=tuple(where[(claim, code)]),
        )
        for claim, code in ranked[:limit]
    )


def _reason_kind(reason: str) -> str:
    """Group reasons: "HTTP 404", "timed out", "disallowed by robots.txt" ..."""
    reason = reason.split(" (after", 1)[0]
    if reason.startswith("page is "):
        return "over the size limit"
    if reason.startswith("redirected to "):
        return "redirected off-site or to a disallowed page"
    return reason[:80]
