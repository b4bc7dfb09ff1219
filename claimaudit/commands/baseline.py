"""`claimaudit baseline PATHS -o FILE`: accept today's findings so `check --baseline FILE` reports only new ones."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from claimaudit.commands.check import CheckRequest, cli_settings, run_check, settings_options
from claimaudit.errors import ClaimAuditError, UsageError

DEFAULT_BASELINE = ".claimaudit-baseline.json"


@click.command("baseline")
@click.argument("paths", nargs=-1)
@click.option("-o", "--output", default=DEFAULT_BASELINE, show_default=True, type=click.Path(dir_okay=False),
              help="Baseline file to write.")
@settings_options
def baseline(paths: tuple[str, ...], output: str, **kwargs: Any) -> None:
    """Write the findings `check` would report now into a baseline file.

    Fingerprints use the path relative to the baseline file's directory, the rule code and the
    claim text (lowercased, whitespace collapsed), so they survive edits elsewhere in a file.
    Exit status: 0 written, 2 when an input could not be read (the file is still written) or on error.
    """
    from claimaudit import __version__
    from claimaudit.gate.baseline import build_baseline, dump_baseline

    target = Path(output).absolute()
    try:
        request = CheckRequest(paths=paths or (".",), cli=cli_settings(kwargs),
                               stdin_filename=kwargs.get("stdin_filename"), fingerprint_root=target.parent)
        outcome = run_check(request)
        accepted = build_baseline(((d.path, d.findings) for d in outcome.result.documents if d.ok), target.parent)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(dump_baseline(accepted, __version__), encoding="utf-8")
        except OSError as error:
            raise UsageError(f"{output}: cannot write baseline: {error.strerror or error}", code="US103") from None
    except ClaimAuditError as error:
        click.echo(error.format_message(), err=True)
        sys.exit(error.exit_code)
    documents = len(outcome.result.documents)
    for document in outcome.result.errors:
        click.echo(f"{document.path}: error {document.error}", err=True)
    count = len(accepted.entries)
    click.echo(f"Wrote {count} finding{'s' if count != 1 else ''} from {documents} "
               f"document{'s' if documents != 1 else ''} to {output}.")
    sys.exit(2 if outcome.result.errors else 0)
