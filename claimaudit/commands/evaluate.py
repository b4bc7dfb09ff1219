"""`claimaudit eval GOLD_DIR`: score the auditor against gold annotations."""

from __future__ import annotations

import json
from dataclasses import replace

import click

from claimaudit.errors import ClaimAuditError


@click.command("eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--details/--no-details", default=True, help="List misses and false positives.")
@click.option("--knowledge", "knowledge_dirs", multiple=True, type=click.Path(exists=True, file_okay=False), help="Extra knowledge directory (repeatable).")
@click.option("--model/--no-model", default=None, help="Use the learned sentence model [default: the Settings default].")
def evaluate(
    gold_dir: str, output_format: str, details: bool, knowledge_dirs: tuple[str, ...], model: bool | None
) -> None:
    """Score the auditor on GOLD_DIR (texts in the folder, annotations in GOLD_DIR/gold/)."""
    from claimaudit.audit import Auditor
    from claimaudit.evaluation import report
    from claimaudit.evaluation.run import evaluate_corpus
    from claimaudit.settings import Settings

    try:
        settings = Settings(knowledge_dirs=knowledge_dirs)
        if model is not None:
            settings = replace(settings, model=model)
        evaluation = evaluate_corpus(gold_dir, Auditor(settings))
    except ClaimAuditError as error:
        from claimaudit.cli import exit_with_error

        exit_with_error(error)
    if output_format == "json":
        data = {
            "corpus": gold_dir,
            "documents": len(evaluation.documents),
            "all": report.to_dict(evaluation.score),
            "error_and_warning": report.to_dict(evaluation.serious),
            "error_findings_on_ok_claims": evaluation.ok_claim_errors,
        }
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(report.table(evaluation.score, f"All findings ({len(evaluation.documents)} documents in {gold_dir}):"))
    click.echo()
    click.echo(report.table(evaluation.serious, "Error and warning findings only:"))
    click.echo(f"\nFalse positives on claims marked ok: {len(evaluation.score.fp_on_ok_claims)}")
    click.echo(f"Error-severity findings on claims marked ok: {evaluation.ok_claim_errors}")
    if evaluation.score.matched:
        agreement = evaluation.score.severity_agree / evaluation.score.matched
        click.echo(f"Severity agreement on matched findings: {agreement:.3f}")
    if details:
        click.echo(report.details(evaluation.score))
