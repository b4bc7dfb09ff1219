"""`claimaudit serve`: the editor's web page on a local port."""

from __future__ import annotations

import ipaddress
import os
import sys
import threading
import webbrowser
from pathlib import Path

import click

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind. Keep the loopback default unless others must reach the page.",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0 picks a free one).",
)
@click.option(
    "--knowledge",
    "knowledge_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, dir_okay=True),
    help="Extra knowledge directory layered over the bundled base (repeatable).",
)
@click.option(
    "--max-bytes",
    default=2_000_000,
    show_default=True,
    type=click.IntRange(1_000, 100_000_000),
    help="Largest request body (pasted text or upload) accepted, in bytes.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False),
    help="Use this configuration file (rule selection, severities); default: the nearest "
    ".claimaudit.toml or pyproject.toml [tool.claimaudit] from the current directory.",
)
@click.option("--no-config", is_flag=True, help="Ignore configuration files: defaults only.")
@click.option(
    "--review-db",
    default=None,
    type=click.Path(dir_okay=False),
    help="Review store for drafts and decisions [default: $CLAIMAUDIT_REVIEW_DB or "
    ".claimaudit-review.db in the current directory].",
)
@click.option("--no-review", is_flag=True, help="No review store: nothing is saved, no decisions.")
@click.option("--reviewer", default=None, help="Default reviewer name for decisions [default: $USER].")
@click.option(
    "--workers",
    default=None,
    type=click.IntRange(min=0),
    metavar="N",
    help="Audit in N worker processes so one long draft cannot hold up the others "
    "[default: one per core; 0: in the server process, one audit at a time].",
)
@click.option(
    "--time-limit",
    default=60.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds an audit may take before its worker is stopped (the request fails with SV504).",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the page in a web browser.")
@click.option(
    "--log-level",
    default="info",
    show_default=True,
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
)
def serve(
    host: str,
    port: int,
    knowledge_dirs: tuple[str, ...],
    max_bytes: int,
    config_file: str | None,
    no_config: bool,
    review_db: str | None,
    no_review: bool,
    reviewer: str | None,
    open_browser: bool,
    log_level: str,
    workers: int | None,
    time_limit: float,
) -> None:
    """Serve a page where editors paste or upload a draft and see every claim judged in place.

    \b
    Example:
      claimaudit serve --port 8000 --open
    Then open http://127.0.0.1:8000/ . The same checks are available as JSON:
      curl -s -H 'Content-Type: application/json' \\
           -d '{"text": "Ketamine is FDA-approved for anxiety."}' \\
           http://127.0.0.1:8000/api/audit
    """
    import uvicorn

    from claimaudit.config import load_settings
    from claimaudit.errors import ClaimAuditError
    from claimaudit.serve import create_app

    cli = {"config": config_file, "no_config": no_config, "knowledge_dirs": knowledge_dirs}
    try:
        settings = load_settings(Path.cwd(), cli)
    except ClaimAuditError as error:
        click.echo(error.format_message(), err=True)
        sys.exit(error.exit_code)
    loopback = _is_loopback(host)
    if not loopback:
        click.echo(
            f"warning: serving on {host}: anyone who can reach this address can use the page",
            err=True,
        )
    store = None
    if not no_review:
        from claimaudit.commands.review import store_path
        from claimaudit.review.store import ReviewStore

        try:
            store = ReviewStore(store_path(review_db))
        except ClaimAuditError as error:
            click.echo(error.format_message(), err=True)
            sys.exit(error.exit_code)
    app = create_app(
        settings,
        max_bytes=max_bytes,
        allowed_hosts=_allowed_hosts(host) if loopback else None,
        review_store=store,
        reviewer=reviewer if reviewer is not None else os.environ.get("USER", ""),
        workers=(os.cpu_count() or 1) if workers is None else workers,
        time_limit=time_limit,
    )
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, server_header=False)
    server = uvicorn.Server(config)
    if open_browser:
        threading.Thread(target=_open_when_started, args=(server, host), daemon=True).start()
    server.run()


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _allowed_hosts(host: str) -> tuple[str, ...] | None:
    """Host headers accepted on a loopback bind (guards against DNS rebinding).

    Starlette's host check cannot parse bracketed IPv6 hosts, so IPv6 binds go unchecked.
    """
    if ":" in host:
        return None
    return tuple(dict.fromkeys((host, "127.0.0.1", "localhost")))


def _open_when_started(server: object, host: str) -> None:
    import time

    for _ in range(200):  # up to 20 s
        if getattr(server, "started", False):
            break
        time.sleep(0.1)
    servers = getattr(server, "servers", [])
    port = servers[0].sockets[0].getsockname()[1] if servers and servers[0].sockets else 8000
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    webbrowser.open(f"http://{shown}:{port}/")
