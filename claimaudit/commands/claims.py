"""`claimaudit claims PATHS...`: the claims inventory a reviewer works from."""

from __future__ import annotations

import json
import sys

import click

from claimaudit.errors import ClaimAuditError


@click.command("claims")
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--knowledge", "knowledge_dirs", multiple=True, type=click.Path(exists=True, file_okay=False), help="Extra knowledge directory (repeatable).")
def claims(paths: tuple[str, ...], output_format: str, knowledge_dirs: tuple[str, ...]) -> None:
    """List every extracted claim: span, type, substances, indications, certainty, numbers, citations."""
    from claimaudit.audit import Auditor
    from claimaudit.ingest import iter_paths, read_text
    from claimaudit.reporters.json_report import claim_to_dict
    from claimaudit.settings import Settings

    try:
        settings = Settings(knowledge_dirs=knowledge_dirs)
        auditor = Auditor(settings)
        files = [p for p in paths if p != "-"]
        sources = list(iter_paths(files, include=settings.include, exclude=settings.exclude)) if files else []
        results = list(auditor.audit_paths(sources))
        if "-" in paths:
            results.extend(auditor.audit_sources([read_text(sys.stdin.read(), path="<stdin>", media_type=None)]))
    except ClaimAuditError as error:
        from claimaudit.cli import exit_with_error

        exit_with_error(error)
    failed = False
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
