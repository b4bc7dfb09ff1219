"""`claimaudit claims PATHS...`: the claims inventory a reviewer works from."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from claimaudit.errors import ClaimAuditError


@click.command("claims")
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "output_format", type=click.Choice(["text", "json", "csv", "xlsx"]), default="text",
              show_default=True, help="csv/xlsx: the claims matrix, one row per claim.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file (required for xlsx).")
@click.option("--review-db", type=click.Path(exists=True, dir_okay=False),
              help="Matrix: fill the Decision column from this review store.")
@click.option("--knowledge", "knowledge_dirs", multiple=True, type=click.Path(exists=True, file_okay=False), help="Extra knowledge directory (repeatable).")
@click.option("--model/--no-model", default=False, show_default=True,
              help="Add the learned sentence model's proposals and certainty (cue 'model' marks a proposal).")
def claims(paths: tuple[str, ...], output_format: str, output: str | None, review_db: str | None,
           knowledge_dirs: tuple[str, ...], model: bool) -> None:
    """List every extracted claim: span, type, substances, indications, certainty, numbers, citations.

    --format csv|xlsx writes the claims matrix: text, location, kind, certainty, substance x
    indication, evidence grade, cited source, resolved study, findings and review decision.
    """
    if output_format == "xlsx" and not output:
        click.echo("US104 --format xlsx needs -o FILE.xlsx", err=True)
        sys.exit(2)
    from claimaudit.audit import Auditor
    from claimaudit.heap import frozen_heap
    from claimaudit.ingest import iter_paths
    from claimaudit.reporters.json_report import claim_to_dict
    from claimaudit.settings import Settings

    try:
        settings = Settings(knowledge_dirs=knowledge_dirs, model=model)
        auditor = Auditor(settings)
        files = [p for p in paths if p != "-"]
        sources = list(iter_paths(files, include=settings.include, exclude=settings.exclude)) if files else []
        with frozen_heap():  # as `check` audits a batch
            results = list(auditor.audit_paths(sources))
        if "-" in paths:
            results.extend(auditor.audit_sources_or_errors([_read_stdin()]))
    except ClaimAuditError as error:
        from claimaudit.cli import exit_with_error

        exit_with_error(error)
    failed = False
    if output_format in ("csv", "xlsx"):
        sys.exit(_matrix(results, auditor, output_format, output, review_db))
    if output_format == "json":
        data = [
            {
                "path": r.path,
                "error": r.error,
                "claims": [
                    {**claim_to_dict(c), "evidence_grades": evidence_grades(c, auditor.lookup)} for c in r.claims
                ],
            }
            for r in results
        ]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        failed = any(r.error for r in results)
    else:
        for result in results:
            if result.error:
                click.echo(f"{result.path}: {result.error}", err=True)
                failed = True
                continue
            for claim in result.claims:
                click.echo(_claim_line(result.path, claim, evidence_grades(claim, auditor.lookup)))
    sys.exit(2 if failed else 0)


def _matrix(results, auditor, output_format: str, output: str | None, review_db: str | None) -> int:  # type: ignore[no-untyped-def]
    """Write the claims matrix; 2 when a document could not be read (the others are still written)."""
    from pathlib import Path

    from claimaudit.claims.matrix import matrix_rows, render_csv, write_xlsx
    from claimaudit.commands.check import known_rules
    from claimaudit.gate.accept import accept_findings

    decisions = {}
    if review_db:
        from claimaudit.review.store import ReviewStore

        with ReviewStore(review_db) as store:
            decisions = store.current()
    known = [(rule.code, rule.family.value) for rule in known_rules()]
    rows, failed = [], False
    for result in results:
        if result.error:
            click.echo(f"{result.path}: {result.error}", err=True)
            failed = True
            continue
        accepted, _ = accept_findings(result, auditor.settings, known, Path.cwd())
        rows += matrix_rows(result.path, result.claims, accepted.findings,
                            lambda c: evidence_grades(c, auditor.lookup), lambda sid: _study_label(auditor.lookup, sid),
                            decisions)
    try:
        if output_format == "xlsx":
            write_xlsx(rows, Path(str(output)))
        elif output:
            Path(output).write_text(render_csv(rows), encoding="utf-8")
        else:
            click.echo(render_csv(rows), nl=False)
    except OSError as error:
        click.echo(f"US103 {output}: cannot write: {error.strerror or error}", err=True)
        return 2
    if output:
        click.echo(f"Wrote {len(rows)} claims to {output}.", err=True)
    return 2 if failed else 0


def _study_label(lookup, study_id: str) -> str:  # type: ignore[no-untyped-def]
    study = lookup.study(study_id) if study_id else None
    if study is None:
        return ""
    link = f"PMID {study.pmid}" if study.pmid else (f"doi:{study.doi}" if study.doi else (study.url or ""))
    return f"{study.citation} [{study.id}{', ' + link if link else ''}]"


def evidence_grades(claim, lookup) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    """The evidence grade behind each substance x indication of the claim, or why there is none.

    An indication the knowledge base has no assessment for is not judged on evidence strength
    (EVI): the inventory says so instead of guessing.
    """
    substances = [s for s in claim.subject_substances if (r := lookup.substance(s)) is not None and r.focus]
    grades = []
    for substance in substances:
        for indication in claim.indications:
            assessment = lookup.assessment_for(substance, indication)
            grades.append(
                {
                    "substance": substance,
                    "indication": indication,
                    "grade": assessment.grade.value if assessment else "unknown (not judged on evidence strength)",
                }
            )
        if not claim.indications and any(k.value == "efficacy" for k in claim.kinds):
            grades.append(
                {"substance": substance, "indication": "", "grade": "unknown (no known indication named; not judged on evidence strength)"}
            )
    return grades


def _claim_line(path: str, claim, grades: list[dict[str, str]]) -> str:  # type: ignore[no-untyped-def]
    parts = [f"{path}:{claim.span.line}:{claim.span.column}: [{','.join(k.value for k in claim.kinds)}]"]
    parts.append(f"certainty={claim.certainty.label}")
    if claim.qualifiers:
        parts.append("modifiers=" + ",".join(f"{q.kind.value}:{q.text!r}" for q in claim.qualifiers))
    if claim.substances:
        parts.append("substances=" + ",".join(claim.substances))
    if claim.indications:
        parts.append("indications=" + ",".join(claim.indications))
    if claim.quantities:
        parts.append("quantities=" + ",".join(f"{q.kind}:{q.text}" for q in claim.quantities))
    if claim.citations:
        parts.append(
            "citations=" + ",".join(f"{c.text}->{c.study_id or ('ref' if c.reference else 'unresolved')}" for c in claim.citations)
        )
    if grades:
        parts.append("evidence=" + ",".join(f"{g['substance']}/{g['indication'] or '?'}:{g['grade'].split(' ')[0]}" for g in grades))
    text = " ".join(claim.text.split())
    return " ".join(parts) + f"\n    {text}"


def _read_stdin() -> Any:
    """Standard input as a SourceDocument, or an error result (decoded like a file)."""
    from claimaudit.audit import error_result
    from claimaudit.errors import InputError
    from claimaudit.ingest.read import read_bytes_text

    try:
        return read_bytes_text(sys.stdin.buffer.read(), path="<stdin>")
    except InputError as error:
        return error_result("<stdin>", "", "", error)
