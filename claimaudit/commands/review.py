"""`claimaudit review`: the decision trail (log), decisions from the command line, and export to a baseline."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from claimaudit.errors import ClaimAuditError, UsageError

DB_HELP = "Review store (SQLite) [default: $CLAIMAUDIT_REVIEW_DB or .claimaudit-review.db]."


def store_path(value: str | None) -> Path:
    from claimaudit.review.store import DEFAULT_STORE

    return Path(value or os.environ.get("CLAIMAUDIT_REVIEW_DB") or DEFAULT_STORE)


def _fail(error: ClaimAuditError) -> None:
    click.echo(error.format_message(), err=True)
    sys.exit(error.exit_code)


@click.group("review")
def review() -> None:
    """Review decisions: accepted, dismissed (with a reason) or escalated findings, with an audit trail."""


@review.command("log")
@click.option("--db", "db", metavar="FILE", help=DB_HELP)
@click.option("--document", help="Only decisions about this document.")
@click.option("--fingerprint", help="Only decisions about this finding.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def log_command(db: str | None, document: str | None, fingerprint: str | None, output_format: str) -> None:
    """Print the decision trail, oldest first: who decided what, when, against which knowledge base."""
    from claimaudit.review.model import decision_to_dict
    from claimaudit.review.store import ReviewStore

    path = store_path(db)
    if not path.exists():
        _fail(UsageError(f"{path}: no review store (decide a finding in `claimaudit serve` first)", code="RV107"))
    try:
        with ReviewStore(path) as store:
            trail = store.log(document=document, fingerprint=fingerprint)
    except ClaimAuditError as error:
        _fail(error)
    if output_format == "json":
        click.echo(json.dumps([decision_to_dict(d, with_finding=True) for d in trail], indent=2, ensure_ascii=False))
        return
    for decision in trail:
        finding = decision.finding
        where = f"{decision.document}:{finding.get('line', '?')}"
        reason = f" -- {decision.reason}" if decision.reason else ""
        click.echo(f"{decision.decided_at} #{decision.id} {decision.status.value} {decision.code} {where} "
                   f"by {decision.reviewer} (kb {decision.kb_version} {decision.kb_hash}){reason}")
        click.echo(f"    {decision.fingerprint} \"{' '.join(str(finding.get('text', '')).split())}\"")
    if not trail:
        click.echo("No decisions recorded.")


@review.command("decide")
@click.argument("report", type=click.Path(exists=True, dir_okay=False))
@click.argument("fingerprints", nargs=-1, required=True)
@click.option("--status", required=True, type=click.Choice(["accepted", "dismissed", "escalated"]))
@click.option("--reason", default="", help="Why (required for dismissed).")
@click.option("--reviewer", default=None, help="Who decides [default: $USER].")
@click.option("--db", "db", metavar="FILE", help=DB_HELP)
def decide_command(report: str, fingerprints: tuple[str, ...], status: str, reason: str,
                   reviewer: str | None, db: str | None) -> None:
    """Record a decision on findings of a `check --format json` REPORT (or a scan database), by fingerprint."""
    from claimaudit.review.model import Decision, ReviewError, Status
    from claimaudit.review.store import ReviewStore

    try:
        data = _read_report(Path(report))
        found = {f.get("fingerprint"): (doc.get("path", ""), f) for doc in data.get("documents", [])
                 for f in doc.get("findings", [])}
        kb = data.get("knowledge_base") or {}
        with ReviewStore(store_path(db)) as store:
            for fingerprint in fingerprints:
                if fingerprint not in found:
                    raise ReviewError(f"{report}: no finding with fingerprint {fingerprint}", code="RV108")
                document, finding = found[fingerprint]
                decision = store.decide(Decision(
                    fingerprint=fingerprint, document=document, status=Status.parse(status), reason=reason,
                    reviewer=reviewer or os.environ.get("USER", ""), decided_at="",
                    kb_version=str(kb.get("version", "")), kb_hash=str(kb.get("hash", "")),
                    finding=finding, root=str(Path.cwd())))
                click.echo(f"#{decision.id} {decision.status.value} {decision.code} {document}:{finding.get('line')}")
    except ClaimAuditError as error:
        _fail(error)


def _read_report(path: Path) -> dict[str, Any]:
    """A `check --format json` report, or a scan database seen as one (its latest run)."""
    from claimaudit.review.model import ReviewError

    with path.open("rb") as handle:
        if handle.read(16) == b"SQLite format 3\x00":
            return _scan_as_report(path)
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ReviewError(f"{path}: cannot read the JSON report: {error}", code="RV108") from None
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise ReviewError(f"{path}: not a `claimaudit check --format json` report", code="RV108")
    return data


@review.command("export")
@click.option("--db", "db", metavar="FILE", help=DB_HELP)
@click.option("-o", "--output", default=".claimaudit-baseline.json", show_default=True,
              type=click.Path(dir_okay=False), help="Baseline file to write (fingerprints relative to its directory).")
@click.option("--status", "statuses", multiple=True, type=click.Choice(["accepted", "dismissed", "escalated"]),
              help="Which current decisions to export (repeatable) [default: dismissed].")
@click.option("--document", help="Only decisions about this document.")
def export_command(db: str | None, output: str, statuses: tuple[str, ...], document: str | None) -> None:
    """Write current decisions as a baseline file, so `check --baseline FILE` (and CI) honours them."""
    from claimaudit import __version__
    from claimaudit.review.export import DEFAULT_EXPORT, dump_export, export_entries
    from claimaudit.review.model import Status
    from claimaudit.review.store import ReviewStore

    path = store_path(db)
    if not path.exists():
        _fail(UsageError(f"{path}: no review store (decide a finding in `claimaudit serve` first)", code="RV107"))
    try:
        with ReviewStore(path) as store:
            current = store.current(document=document).values()
        chosen = tuple(Status(s) for s in statuses) or DEFAULT_EXPORT
        entries = export_entries(current, Path(output).absolute().parent, chosen)
        Path(output).write_text(dump_export(entries, __version__), encoding="utf-8")
    except OSError as error:
        _fail(UsageError(f"{output}: cannot write: {error.strerror or error}", code="US103"))
    except ClaimAuditError as error:
        _fail(error)
    kinds = "/".join(s.value for s in chosen)
    click.echo(f"Wrote {len(entries)} {kinds} decisions to {output}.")


def _scan_as_report(path: Path) -> dict[str, Any]:
    from claimaudit.scan.report.aggregate import StoredPage
    from claimaudit.scan.report.page import page_fingerprints
    from claimaudit.scan.store import ScanStore

    with ScanStore(path) as store:
        run = store.run(None)
        pages = [StoredPage.from_row(row) for row in store.pages(run.id)]
    documents = [{"path": page.key,
                  "findings": [{**f, "path": page.key, "fingerprint": fp}
                               for f, fp in zip(page.findings, page_fingerprints(page))]}
                 for page in pages if page.status == "ok"]
    return {"knowledge_base": {"version": run.kb_version, "hash": run.kb_hash}, "documents": documents}
