"""`claimaudit lsp`: the language server for editors (VS Code, Neovim, ...), over standard input/output."""

from __future__ import annotations

import click


@click.command("lsp")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False),
              help="Use this configuration file for every document (default: the nearest one per file).")
@click.option("--no-config", is_flag=True, help="Ignore configuration files.")
@click.option("--stdio", is_flag=True, help="Talk LSP over standard input/output (the default; editors pass it).")
def lsp(config_file: str | None, no_config: bool, stdio: bool) -> None:
    """Run the language server: diagnostics on open/change for Markdown, HTML and plain text,
    hover with the reason and evidence, code actions (suggested rewrite, suppression comment)."""
    from claimaudit.lsp.server import build_server

    build_server({"config": config_file, "no_config": no_config}).start_io()
