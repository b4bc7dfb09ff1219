"""`claimaudit rules` and `claimaudit explain CODE`: the rule catalogue (no spaCy import)."""

from __future__ import annotations

import json

import click


@click.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules(output_format: str) -> None:
    """List every rule: code, family, default severity, summary."""
    from claimaudit.rules.registry import all_rules

    catalogue = [m.rule for m in all_rules()]
    if output_format == "json":
        data = [
            {"code": r.code, "name": r.name, "family": r.family.value, "severity": r.severity.value,
             "scope": r.scope, "summary": r.summary}
            for r in catalogue
        ]
        click.echo(json.dumps(data, indent=2))
        return
    for rule in catalogue:
        click.echo(f"{rule.code:<9}{rule.family.value:<7}{rule.severity.value:<9}{rule.name}: {rule.summary}")


@click.command("explain")
@click.argument("code")
def explain(code: str) -> None:
    """Print one rule's documentation (CODE, e.g. SAFE001)."""
    from claimaudit.gate.suppression import SUPPRESSION_RULES
    from claimaudit.rules.registry import get_rule

    from claimaudit.claims.coverage import CODES, EXPLAINED

    if code.upper() in CODES:
        name, summary = CODES[code.upper()]
        click.echo(f"{code.upper()} {name} (a notice of something not judged, not a finding; "
                   "`check --fail-on-unjudged` fails on it)")
        click.echo()
        click.echo(f"{summary}.\n\n{EXPLAINED[code.upper()]}")
        return
    module = get_rule(code)
    meta = next((r for r in SUPPRESSION_RULES if r.code == code.upper()), None)
    if module is None and meta is None:
        raise click.UsageError(f"unknown rule code {code!r} (see `claimaudit rules`)")
    rule = module.rule if module is not None else meta
    assert rule is not None
    click.echo(f"{rule.code} {rule.name} ({rule.family.value}, default severity {rule.severity.value})")
    click.echo()
    click.echo(rule.doc or rule.summary)
