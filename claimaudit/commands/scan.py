"""`claimaudit scan`: audit whole sites or folders into a resumable results database."""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path
from typing import Any

import click

from claimaudit.errors import ClaimAuditError, UsageError

DEFAULT_DB = "claimaudit-scan.db"
DEFAULT_CRAWL_PAGES = 100


class _ScanGroup(click.Group):
    """`scan ARGS` runs a scan; `scan report DB` regenerates reports."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or args[0] not in self.commands:
            args = ["run", *args]
        return super().parse_args(ctx, args)


class _DefaultCommand(click.Command):
    """The command `scan` runs when no subcommand is named: its usage line says `scan`."""

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        path = ctx.parent.command_path if ctx.parent is not None else ctx.command_path
        formatter.write_usage(path, " ".join(self.collect_usage_pieces(ctx)))


@click.group(cls=_ScanGroup)
def scan() -> None:
    """Scan many pages: folders, URL lists, sitemaps or a crawl."""


@scan.command("run", cls=_DefaultCommand)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=True))
@click.option(
    "--urls",
    "urls_file",
    type=click.Path(exists=True, dir_okay=False),
    help="File with one URL per line (# starts a comment).",
)
@click.option(
    "--sitemap",
    "sitemaps",
    multiple=True,
    metavar="URL",
    help="sitemap.xml or sitemap index (.gz allowed). Repeatable.",
)
@click.option(
    "--crawl",
    "crawl",
    multiple=True,
    metavar="URL",
    help="Start URL: follow links on the same host. Repeatable.",
)
@click.option(
    "--max-pages",
    type=click.IntRange(min=1),
    default=None,
    help=f"Stop queueing pages after N (default {DEFAULT_CRAWL_PAGES} when crawling).",
)
@click.option(
    "--max-depth",
    type=click.IntRange(min=0),
    default=None,
    help="Follow links at most N clicks from the start page.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False),
    default=DEFAULT_DB,
    show_default=True,
    help="SQLite results database (created or appended to).",
)
@click.option("--resume", is_flag=True, help="Continue the last unfinished run in --out.")
@click.option("--run-id", type=int, default=None, help="With --resume: the run to continue.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Audit processes (default: all cores).",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Run audits in local processes or on a Dask cluster.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="Dask scheduler (tcp://host:8786); without it a LocalCluster is started.",
)
@click.option(
    "--rate",
    type=click.FloatRange(min=0.01),
    default=2.0,
    show_default=True,
    help="Requests per second per host.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Seconds before a request attempt times out.",
)
@click.option(
    "--retries",
    type=click.IntRange(min=0, max=10),
    default=3,
    show_default=True,
    help="Retries on 429/5xx/timeouts/connection errors (exponential backoff).",
)
@click.option(
    "--backoff",
    type=click.FloatRange(min=0.0),
    default=0.5,
    show_default=True,
    help="First retry delay in seconds; doubles each retry (capped at 8 s).",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=5_000_000,
    show_default=True,
    help="Largest page or file read.",
)
@click.option("--user-agent", default=None, help="User-Agent header (and robots.txt agent).")
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=8,
    show_default=True,
    help="Pages per audit task.",
)
@click.option(
    "--report-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Write the site report (HTML + CSV + one page per URL) here.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar on stderr (default: only on a terminal).",
)
@click.option("--select", multiple=True, help="Only these rules (code, prefix or family).")
@click.option("--ignore", multiple=True, help="Skip these rules (code, prefix or family).")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info", "never"]),
    default=None,
    help="Exit 1 when a stored finding is at or above this severity "
    "(default: the configured fail-on, else warning).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="claimaudit.toml / pyproject.toml with [tool.claimaudit].",
)
@click.option("--no-config", is_flag=True, help="Ignore configuration files.")
@click.option(
    "--audit-factory",
    hidden=True,
    default=None,
    help="module:callable(settings) -> auditor factory (testing and plugins).",
)
def run_command(**options: Any) -> None:
    """Scan PATHS, a URL list, sitemaps or a crawl into a results database.

    Regenerate reports later with: claimaudit scan report RUN.db --out DIR
    """
    try:
        code = _run(options)
    except ClaimAuditError as error:
        click.echo(error.format_message(), err=True)
        sys.exit(error.exit_code)
    sys.exit(code)


@scan.command("report")
@click.argument("database", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    required=True,
    help="Directory for index.html, CSV files and pages/.",
)
@click.option("--run", "run_id", type=int, default=None, help="Run id (default: the latest).")
@click.option("--review-db", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Show the review decisions of this store in the page reports and findings.csv.")
def report_command(database: str, out_dir: str, run_id: int | None, review_db: str | None) -> None:
    """Write the site report for a stored scan run."""
    from claimaudit.scan.report import write_reports
    from claimaudit.scan.store import ScanStore

    try:
        with ScanStore(database) as store:
            files = write_reports(store, run_id, out_dir, review_db)
    except ClaimAuditError as error:
        click.echo(error.format_message(), err=True)
        sys.exit(error.exit_code)
    click.echo(f"Report: {files.index} ({files.page_reports} page reports)")


def _run(options: dict[str, Any]) -> int:
    from claimaudit.scan.backends import default_jobs, make_backend
    from claimaudit.scan.engine import Scanner, ScanOptions, start_run
    from claimaudit.scan.fetch import DEFAULT_USER_AGENT, FetchPolicy
    from claimaudit.scan.progress import progress_enabled
    from claimaudit.scan.report import write_reports
    from claimaudit.scan.store import ScanStore

    if options["scheduler"] and options["engine"] != "dask":
        raise UsageError("--scheduler needs --engine dask")
    with ScanStore(options["out"]) as store:
        if options["resume"]:
            run_id, scan_options, audit_args = _resume_target(store, options)
        else:
            if options["run_id"] is not None:
                raise UsageError("--run-id needs --resume")
            scan_options = ScanOptions(
                paths=tuple(options["paths"]),
                urls=read_url_list(options["urls_file"]) if options["urls_file"] else (),
                sitemaps=_checked_urls(options["sitemaps"], "--sitemap"),
                crawl=_checked_urls(options["crawl"], "--crawl"),
                max_pages=options["max_pages"]
                or (DEFAULT_CRAWL_PAGES if options["crawl"] else None),
                max_depth=options["max_depth"],
                policy=FetchPolicy(
                    timeout=options["timeout"],
                    retries=options["retries"],
                    backoff=options["backoff"],
                    max_bytes=options["max_bytes"],
                    rate=options["rate"],
                    user_agent=options["user_agent"] or DEFAULT_USER_AGENT,
                ),
                batch_size=options["batch_size"],
            )
            audit_args = _audit_args(options)
            settings = build_settings(audit_args)
            scan_options = _with_file_filters(scan_options, settings)
            run_id = start_run(store, scan_options, extra_args={"audit": audit_args})
        settings = build_settings(audit_args)
        factory = _factory(audit_args, settings)
        jobs = options["jobs"] or default_jobs()
        backend = make_backend(options["engine"], factory, jobs, options["scheduler"])
        try:
            scanner = Scanner(
                store,
                run_id,
                scan_options,
                backend,
                progress=progress_enabled(options["progress"]),
            )
            summary = scanner.run()
        finally:
            backend.close()
        click.echo(
            f"Scanned {summary.pages} pages in {summary.elapsed:.1f}s "
            f"({summary.pages_per_second:.1f} pages/s): {summary.ok} ok, "
            f"{summary.errors} errors, {summary.skipped} skipped"
        )
        counts = summary.findings
        click.echo(
            f"Findings: {counts['error']} error, {counts['warning']} warning, {counts['info']} info"
        )
        click.echo(f"Results: {store.path} (run {run_id})")
        if options["report_dir"]:
            files = write_reports(store, run_id, options["report_dir"])
            click.echo(f"Report: {files.index}")
    fail_on = audit_args.get("fail_on") or settings.fail_on.value
    return _exit_code(counts, str(fail_on))


def _exit_code(counts: dict[str, int], fail_on: str) -> int:
    """1 when a finding at or above `fail_on` was stored ("never": always 0)."""
    if fail_on == "never":
        return 0
    order = ["info", "warning", "error"]
    failing = order[order.index(fail_on) :]
    return 1 if any(counts.get(level, 0) for level in failing) else 0


def _resume_target(store: Any, options: dict[str, Any]) -> tuple[int, Any, dict[str, Any]]:
    from claimaudit.scan.engine import ScanOptions

    given = [
        name
        for name, value in (
            ("PATHS", options["paths"]),
            ("--urls", options["urls_file"]),
            ("--sitemap", options["sitemaps"]),
            ("--crawl", options["crawl"]),
        )
        if value
    ]
    if given:
        raise UsageError(
            f"--resume continues a stored run with its own sources; drop {', '.join(given)}"
        )
    run = store.run(options["run_id"])
    if run.status == "finished":
        click.echo(f"Run {run.id} in {store.path} already finished; nothing to resume.", err=True)
    args = dict(run.args)
    audit_args = dict(args.pop("audit", {}))
    return run.id, ScanOptions.from_args(args), audit_args


def _audit_args(options: dict[str, Any]) -> dict[str, Any]:
    """The audit-related arguments, stored with the run so `--resume` audits alike."""
    paths = options["paths"]
    start = Path(paths[0]) if paths else Path.cwd()
    return {
        "start": str(start.resolve()),
        "cli": {
            "config": str(Path(options["config_path"]).resolve())
            if options["config_path"]
            else None,
            "no_config": bool(options["no_config"]) or None,
            "select": list(options["select"]) or None,
            "ignore": list(options["ignore"]) or None,
            "fail_on": None if options["fail_on"] in (None, "never") else options["fail_on"],
        },
        "fail_on": options["fail_on"],
        "audit_factory": options["audit_factory"],
    }


def build_settings(audit_args: dict[str, Any]) -> Any:
    """Settings as `check` builds them: defaults < nearest config file < command line."""
    from claimaudit.config import load_settings

    cli = {key: value for key, value in audit_args.get("cli", {}).items() if value is not None}
    return load_settings(Path(audit_args.get("start") or "."), cli)


def _factory(audit_args: dict[str, Any], settings: Any) -> Any:
    from claimaudit.scan.worker import DefaultAuditorFactory

    target = audit_args.get("audit_factory")
    if not target:
        return DefaultAuditorFactory(settings)
    module_name, _, attribute = str(target).partition(":")
    try:
        maker = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as error:
        raise UsageError(f"--audit-factory {target}: {error}") from None
    return maker(settings)


def _with_file_filters(scan_options: Any, settings: Any) -> Any:
    from dataclasses import replace

    return replace(scan_options, include=tuple(settings.include), exclude=tuple(settings.exclude))


def _checked_urls(values: tuple[str, ...], option: str) -> tuple[str, ...]:
    from claimaudit.scan.urls import normalize_url

    checked = []
    for value in values:
        url = normalize_url(value)
        if url is None:
            raise UsageError(f"{option} {value!r}: not an http(s) URL")
        checked.append(url)
    return tuple(checked)


def read_url_list(path: str) -> tuple[str, ...]:
    """URLs of a --urls file: one per line, blank lines and # comments ignored."""
    from claimaudit.scan.urls import normalize_url

    urls: dict[str, None] = {}
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"--urls {path}: cannot read ({error})") from None
    for number, line in enumerate(text.splitlines(), start=1):
        entry = re.split(r"(?:^|\s)#", line, maxsplit=1)[0].strip()
        if not entry:
            continue
        url = normalize_url(entry)
        if url is None:
            raise UsageError(f"{path}:{number}: not an http(s) URL: {entry!r}")
        urls.setdefault(url)
    if not urls:
        raise UsageError(f"--urls {path}: no URLs in the file")
    return tuple(urls)
