"""`claimaudit config [PATH]`: the effective configuration for a file or directory, and where it came from."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from claimaudit.errors import ClaimAuditError
from claimaudit.ingest.walk import is_directory


@click.command("config")
@click.argument("path", required=False, default=".", type=click.Path())
@click.option("--format", "output_format", type=click.Choice(["toml", "json"]), default="toml", show_default=True)
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Use this configuration file (no discovery).")
@click.option("--no-config", is_flag=True, help="Ignore configuration files: show the defaults.")
def config(path: str, output_format: str, config_file: str | None, no_config: bool) -> None:
    """Show the configuration that applies to PATH (default: the current directory).

    Precedence: defaults < nearest .claimaudit.toml or pyproject.toml [tool.claimaudit] < command line.
    """
    from claimaudit.config import (
        SettingsResolver,
        display_path,
        effective_config,
        overrides_for,
        render_toml,
    )

    try:
        resolver = SettingsResolver({"config": config_file, "no_config": no_config})
        settings = resolver.settings_for(Path(path))
    except ClaimAuditError as error:
        click.echo(error.format_message(), err=True)
        sys.exit(error.exit_code)
    source = display_path(settings.config_path) if settings.config_path else None
    applied = overrides_for(settings, path) if not is_directory(path) else ()
    indices = [index for index, o in enumerate(settings.overrides) if o in applied]
    effective = effective_config(settings)
    if output_format == "json":
        data = {"path": path, "config_file": source, "applied_overrides": indices, "settings": effective}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    origin = source or "defaults (no configuration file found)" if not no_config else "defaults (--no-config)"
    lines = [f"# claimaudit configuration for {path}", f"# from: {origin}"]
    for index in indices:
        lines.append(f"# applies to this file: overrides[{index}] (pattern {settings.overrides[index].pattern!r})")
    click.echo("\n".join(lines) + "\n" + render_toml(effective), nl=False)
