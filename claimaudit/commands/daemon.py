"""`claimaudit daemon start|stop|status|run`: the resident mode for editors, hooks and scripts.

A running daemon keeps warm auditors; `claimaudit check` hands its work to it (unless
`--no-daemon` or $CLAIMAUDIT_NO_DAEMON) and prints exactly what it would print itself.
"""

from __future__ import annotations

import json
import sys
import time

import click

IDLE_TIMEOUT = 3600.0


@click.group("daemon")
def daemon() -> None:
    """Keep warm auditors in a background process so `check` starts in milliseconds."""


@daemon.command("start")
@click.option("--idle-timeout", type=click.FloatRange(min=0), default=IDLE_TIMEOUT, show_default=True,
              metavar="SECONDS", help="Stop after this long without a request (0: never).")
def start(idle_timeout: float) -> None:
    """Start the daemon in the background (nothing happens if one is running)."""
    from claimaudit.resident import client

    if not client.supported():
        click.echo("claimaudit daemon needs Unix sockets and fork (not available here)", err=True)
        sys.exit(2)
    status = client.request("status")
    if status is None:
        started = time.monotonic()
        status = client.start_daemon(idle_timeout=idle_timeout)
        if status is None:
            click.echo(f"claimaudit daemon did not start; see {client.log_path()}", err=True)
            sys.exit(1)
        click.echo(f"claimaudit daemon started: pid {status['pid']}, ready in "
                   f"{time.monotonic() - started:.1f} s, socket {status['socket']}")
        return
    click.echo(f"claimaudit daemon already running: pid {status['pid']}, socket {status['socket']}")


@daemon.command("stop")
def stop() -> None:
    """Stop the daemon (exit status 1 if none was running)."""
    from claimaudit.resident import client

    reply = client.request("stop")
    if reply is None:
        click.echo("claimaudit daemon is not running")
        sys.exit(1)
    click.echo(f"claimaudit daemon stopped (pid {reply.get('pid')})")


@daemon.command("status")
@click.option("--format", "output_format", type=click.Choice(("text", "json")), default="text", show_default=True)
def status(output_format: str) -> None:
    """Whether the daemon runs, and what it holds (exit status 1 if it does not run)."""
    from claimaudit.resident import client

    reply = client.request("status")
    if output_format == "json":
        click.echo(json.dumps(reply or {"ok": False, "running": False}, indent=2))
    elif reply is None:
        click.echo("claimaudit daemon is not running")
    else:
        click.echo(f"claimaudit daemon running: pid {reply['pid']}, up {reply['uptime_s']:.0f} s, "
                   f"{reply['requests']} checks served, {reply['warm_auditors']} warm auditor(s), "
                   f"knowledge base {', '.join(reply['kb_hashes'])}, socket {reply['socket']}")
    if reply is None:
        sys.exit(1)


@daemon.command("run")
@click.option("--idle-timeout", type=click.FloatRange(min=0), default=IDLE_TIMEOUT, show_default=True,
              metavar="SECONDS", help="Stop after this long without a request (0: never).")
def run(idle_timeout: float) -> None:
    """Run the daemon in the foreground (for service managers; `start` uses it)."""
    from claimaudit.resident import server

    sys.exit(server.run(idle_timeout))
