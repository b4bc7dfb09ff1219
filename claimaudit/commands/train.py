"""`claimaudit train`: rebuild the learned sentence model from the project's annotated corpora."""

from __future__ import annotations

from pathlib import Path

import click

from claimaudit.errors import ClaimAuditError


@click.command("train")
@click.option("--corpora", "corpora_dir", type=click.Path(exists=True, file_okay=False), default="corpora",
              show_default=True, help="Folder holding seeds/, written/, holdout/ (gold) and training/*.jsonl.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Where to write the model [default: the packaged claimaudit/models/sentence_model.json].")
@click.option("--check", "check_only", is_flag=True,
              help="Do not write: exit 1 when the rebuilt model differs from the file at --output.")
def train(corpora_dir: str, output: str | None, check_only: bool) -> None:
    """Train the sentence model (claim kind + certainty) deterministically: same data, same bytes.

    Reads corpora/seeds, corpora/written and corpora/holdout (sentences overlapping a gold claim
    are examples of its kind, the rest are `none`) and corpora/training/*.jsonl. corpora/blind
    and the real pages are evaluation sets and are never read.
    """
    from claimaudit.learn.train import MODEL_PATH, build_model, serialize, write_model

    target = Path(output) if output else MODEL_PATH
    try:
        model = build_model(Path(corpora_dir))
    except ClaimAuditError as error:
        from claimaudit.cli import exit_with_error

        exit_with_error(error)
    counts = ", ".join(f"{head}: {sum(rows.values())} sentences" for head, rows in model.counts.items())
    if check_only:
        same = target.is_file() and target.read_text(encoding="utf-8") == serialize(model)
        click.echo(f"{target}: {'up to date' if same else 'differs from a fresh build'} ({counts})")
        raise SystemExit(0 if same else 1)
    size = write_model(model, target)
    click.echo(f"wrote {target} ({size / 1024:.0f} KiB; {counts})")
