"""Baseline: accept today's findings, report only new ones.

A finding's fingerprint is sha256(path relative to the baseline's directory, code, claim text
lowercased with whitespace collapsed) plus an occurrence index among identical ones in the
same file, so it survives edits elsewhere in the file (moved lines, new paragraphs).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from claimaudit.errors import ClaimAuditError
from claimaudit.findings.model import Finding, finding_sort_key

BASELINE_VERSION = 1
_SPACE = re.compile(r"\s+")


class BaselineError(ClaimAuditError):
    """The baseline file cannot be read or is not a claimaudit baseline."""

    code = "BL100"


def normalize_text(text: str) -> str:
    """Lowercase, whitespace collapsed: the part of a claim that identifies it."""
    return _SPACE.sub(" ", text).strip().lower()


def relative_path(path: str, base_dir: Path) -> str:
    """`path` relative to `base_dir`, in POSIX form; non-file paths ("<stdin>") unchanged."""
    if path.startswith("<"):
        return path
    absolute = Path(path).absolute()
    try:
        return Path(os.path.relpath(absolute, base_dir.absolute())).as_posix()
    except ValueError:  # another drive on Windows
        return absolute.as_posix()


def base_fingerprint(path: str, code: str, text: str) -> str:
    payload = "\0".join((path, code, normalize_text(text)))
    # surrogateescape: a non-UTF-8 file name hashes as its original bytes
    return hashlib.sha256(payload.encode("utf-8", "surrogateescape")).hexdigest()


def fingerprints(findings: Sequence[Finding], path: str) -> list[str]:
    """One fingerprint per finding, in the given order: "<sha256>:<occurrence>"."""
    seen: Counter[str] = Counter()
    ordered = sorted(range(len(findings)), key=lambda i: finding_sort_key(findings[i]))
    result = [""] * len(findings)
    for index in ordered:
        finding = findings[index]
        digest = base_fingerprint(path, finding.code, finding.text)
        result[index] = f"{digest}:{seen[digest]}"
        seen[digest] += 1
    return result


@dataclass(frozen=True, slots=True)
class BaselineEntry:
    fingerprint: str
    path: str
    code: str
    line: int
    text: str
    message: str


@dataclass(frozen=True, slots=True)
class Baseline:
    """Accepted findings, keyed by fingerprint; paths are relative to `base_dir`."""

    base_dir: Path
    entries: tuple[BaselineEntry, ...]

    @property
    def fingerprints(self) -> frozenset[str]:
        return frozenset(entry.fingerprint for entry in self.entries)


def stamp_fingerprints(findings: Sequence[Finding], path: str, base_dir: Path) -> tuple[Finding, ...]:
    """The findings with `fingerprint` set, for `path` taken relative to `base_dir`."""
    relative = relative_path(path, base_dir)
    return tuple(replace(f, fingerprint=fp) for f, fp in zip(findings, fingerprints(findings, relative)))


def build_baseline(documents: Iterable[tuple[str, Sequence[Finding]]], base_dir: Path) -> Baseline:
    """A baseline from (path, findings) pairs whose fingerprints were stamped for `base_dir`."""
    entries = []
    for path, findings in documents:
        relative = relative_path(path, base_dir)
        for finding in findings:
            entries.append(BaselineEntry(finding.fingerprint, relative, finding.code, finding.span.line,
                                         finding.text, finding.message))
    entries.sort(key=lambda e: (e.path, e.line, e.code, e.fingerprint))
    return Baseline(base_dir, tuple(entries))


def dump_baseline(baseline: Baseline, tool_version: str) -> str:
    """The baseline file's JSON text (deterministic: no timestamps)."""
    data = {
        "tool": "claimaudit",
        "version": BASELINE_VERSION,
        "tool_version": tool_version,
        "findings": [
            {"fingerprint": e.fingerprint, "path": e.path, "code": e.code, "line": e.line,
             "text": e.text, "message": e.message}
            for e in baseline.entries
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def load_baseline(path: Path) -> Baseline:
    """Read a baseline file (BL101 unreadable, BL102 not a claimaudit baseline)."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except OSError as error:
        raise BaselineError(f"{path}: cannot read baseline: {error.strerror or error}", code="BL101") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BaselineError(f"{path}: baseline is not valid JSON: {error}", code="BL102") from None
    return Baseline(path.absolute().parent, tuple(_entries(data, path)))


def _entries(data: Any, path: Path) -> Iterable[BaselineEntry]:
    if not isinstance(data, Mapping) or data.get("tool") != "claimaudit" or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: not a claimaudit baseline (expected "
                            "{\"tool\": \"claimaudit\", \"findings\": [...]})", code="BL102")
    if data.get("version") != BASELINE_VERSION:
        raise BaselineError(f"{path}: unsupported baseline version {data.get('version')!r} "
                            f"(expected {BASELINE_VERSION})", code="BL102")
    for index, item in enumerate(data["findings"]):
        if not isinstance(item, Mapping) or not isinstance(item.get("fingerprint"), str):
            raise BaselineError(f"{path}: /findings/{index}: expected an object with a 'fingerprint'",
                                code="BL102")
        yield BaselineEntry(item["fingerprint"], str(item.get("path", "")), str(item.get("code", "")),
                            int(item.get("line", 0)), str(item.get("text", "")), str(item.get("message", "")))


def filter_baselined(findings: Sequence[Finding], baseline: Baseline) -> tuple[tuple[Finding, ...], int]:
    """Findings (with stamped fingerprints) not in the baseline, and how many were dropped."""
    accepted = baseline.fingerprints
    kept = tuple(f for f in findings if f.fingerprint not in accepted)
    return kept, len(findings) - len(kept)
