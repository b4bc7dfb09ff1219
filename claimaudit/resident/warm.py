"""Warm auditors kept by the daemon, and the checks that make reusing one safe.

`check` builds one Auditor per distinct knowledge setting (`commands/check.py:_auditor_key`).
Inside the daemon it first asks `take(key, settings)`: a warm auditor is returned only when it
was built from the same settings, the knowledge directories resolve to the same absolute
paths, and the knowledge files still hash to what it was built from (so an edited knowledge
base is never judged with the old one). Anything else is built afresh and recorded in
`MISSED`, so the daemon can build it once for the next run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from claimaudit.audit import Auditor
    from claimaudit.settings import Settings

ENABLED = False  # True only in a daemon and the children it forks for requests
MISSED: list[dict[str, Any]] = []  # settings of auditors a request had to build itself


@dataclass(frozen=True, slots=True)
class WarmAuditor:
    auditor: Auditor
    directories: tuple[str, ...]  # the knowledge directories, absolute
    kb_hash: str


_WARM: dict[tuple[Any, ...], WarmAuditor] = {}


def absolute_dirs(settings: Settings) -> tuple[str, ...]:
    return tuple(os.path.abspath(d) for d in settings.knowledge_dirs)


def auditor_settings(settings: Settings) -> dict[str, Any]:
    """The fields an auditor is built from (as `check` builds it), JSON-friendly; knowledge
    directories as given, with the working directory they are relative to."""
    return {"jurisdictions": list(settings.jurisdictions), "knowledge_dirs": list(settings.knowledge_dirs),
            "bundled_knowledge": settings.bundled_knowledge, "max_bytes": settings.max_bytes,
            "model": settings.model, "page_kind": settings.page_kind, "cwd": os.getcwd()}


def current_hash(settings: Settings) -> str | None:
    from claimaudit.knowledge_base.load import knowledge_hash

    try:
        return knowledge_hash(settings.knowledge_dirs, bundled=settings.bundled_knowledge)
    except Exception:  # noqa: BLE001 - a knowledge problem: let the fresh build report it
        return None


def take(key: tuple[Any, ...], settings: Settings) -> Auditor | None:
    """The warm auditor for `key`, if it is exactly what a fresh build would give now."""
    entry = _WARM.get(key)
    if entry is None or entry.directories != absolute_dirs(settings):
        return None
    if current_hash(settings) != entry.kb_hash:
        return None
    return entry.auditor


def keep(key: tuple[Any, ...], auditor: Auditor, settings: Settings) -> None:
    _WARM[key] = WarmAuditor(auditor, absolute_dirs(settings), auditor.kb.content_hash)


def missed(settings: Settings) -> None:
    if ENABLED:
        MISSED.append(auditor_settings(settings))


def warm_count() -> int:
    return len(_WARM)


def kb_hashes() -> list[str]:
    return sorted({entry.kb_hash for entry in _WARM.values()})


def warmup_text() -> str:
    """The rules' flagged examples and rewrites, as one Markdown page (our own sentences)."""
    from claimaudit.rules.registry import all_rules

    wanted = ("Flagged example", "Use instead")
    parts = ["# Warm-up", ""]
    for module in all_rules():
        lines = module.rule.doc.splitlines()
        for index, line in enumerate(lines):
            if line.strip() in wanted:
                body = []
                for following in lines[index + 1:]:
                    if following and not following.startswith(" "):
                        break
                    body.append(following.strip())
                parts.append(" ".join(b for b in body if b))
                parts.append("")
    return "\n".join(parts)


def warm_up(auditor: Auditor) -> None:
    """Audit `warmup_text()` once, so the patterns a first audit compiles are compiled now
    (in a daemon before it forks, in a serve worker before it takes requests); then move what
    exists into the collector's permanent generation (`gc.freeze`). The auditor lives as long
    as the process, and a full collection over spaCy's vocabulary, the knowledge base and the
    compiled patterns costs about 60 ms, which would otherwise land on some request."""
    import gc

    from claimaudit.ingest import read_text

    list(auditor.audit_sources([read_text(warmup_text(), path="warm-up.md", media_type="text/markdown")]))
    gc.collect()  # nothing unreachable is frozen
    gc.freeze()


# What a `check` request imports after the auditor is built (the command line, configuration,
# gates, readers and reporters): imported once in the daemon instead of in every child.
CHECK_MODULES = (
    "claimaudit.cli", "claimaudit.config", "claimaudit.commands.forkpool", "claimaudit.gate.accept",
    "claimaudit.gate.baseline", "claimaudit.gate.diff", "claimaudit.gate.suppression", "claimaudit.ingest.html",
    "claimaudit.ingest.markdown", "claimaudit.reporters.json_report", "claimaudit.reporters.stream",
    "claimaudit.reporters.text",
)


def preload() -> None:
    """Import `CHECK_MODULES` and compile every lazily compiled pattern a live object holds
    (`prefilter.Prefiltered`), so the daemon's children and their workers start with them."""
    import gc
    import importlib
    import re

    from claimaudit.nlp.prefilter import Prefiltered

    for name in CHECK_MODULES:
        importlib.import_module(name)
    for value in gc.get_objects():
        if isinstance(value, Prefiltered):
            try:
                value.regex  # noqa: B018 - compiled on first access
                value.needles  # noqa: B018
            except re.error:
                pass  # raised again where the pattern is used, as without the daemon
