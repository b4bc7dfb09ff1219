"""`claimaudit check PATHS...`: audit files, filter the findings, render a report, set the exit code.

Flow per document: audit -> inline suppressions -> fingerprints -> selection (select/ignore,
severity overrides, min-severity, per-path overrides) -> baseline -> changed lines (--diff).
Exit status: 2 when any input could not be read (everything else is still reported) or on a
usage/config/knowledge-base error; otherwise 1 when a finding at or above --fail-on remains;
otherwise 0.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from claimaudit.errors import ClaimAuditError, ConfigError, UsageError

if TYPE_CHECKING:
    from claimaudit.audit import Auditor
    from claimaudit.gate.baseline import Baseline
    from claimaudit.gate.diff import FileChanges
    from claimaudit.ingest.source import SourceDocument
    from claimaudit.result import AuditResult, DocumentResult
    from claimaudit.rules.base import Rule
    from claimaudit.settings import Settings

FORMATS = ("text", "json", "sarif", "github", "markdown", "csv", "junit", "html", "docx")
LEVELS = ("error", "warning", "info")


@dataclass(frozen=True, slots=True)
class CheckRequest:
    """Everything `check` (and `baseline`) was asked to do, already parsed."""

    paths: tuple[str, ...]
    cli: Mapping[str, Any] = field(default_factory=dict)  # see config.apply_cli
    stdin_filename: str | None = None
    baseline: Path | None = None
    diff: str | None = None
    fingerprint_root: Path | None = None  # paths in fingerprints are relative to this (default cwd)
    review_db: Path | None = None  # attach review decisions from this store (findings are kept)


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    result: AuditResult
    rules: tuple[Rule, ...]
    failing: bool  # a finding at or above its file's fail-on level remains

    @property
    def unjudged(self) -> int:
        """How many things were not judged (COV notices) across the documents."""
        return sum(len(d.unjudged) for d in self.result.documents)

    @property
    def exit_code(self) -> int:
        if self.result.errors:
            return 2
        return 1 if self.failing else 0


@dataclass(slots=True)
class _Input:
    path: str
    settings: Settings
    source: SourceDocument | None = None
    error: DocumentResult | None = None
    stdin: bool = False


def run_check(request: CheckRequest, read_stdin: Callable[[], str] = lambda: sys.stdin.read()) -> CheckOutcome:
    """Audit `request.paths` and apply suppressions, selection, baseline and --diff."""
    from claimaudit import __version__
    from claimaudit.config import SettingsResolver
    from claimaudit.gate.baseline import load_baseline
    from claimaudit.gate.diff import NEW_FILE, changes_for
    from claimaudit.result import AuditResult

    resolver = SettingsResolver(request.cli)
    rules = known_rules()
    known = [(rule.code, rule.family.value) for rule in rules]
    _validate_cli_selectors(request.cli, known)
    baseline = load_baseline(request.baseline) if request.baseline else None
    inputs = _collect_inputs(request, resolver, read_stdin)
    for config in resolver.configs:
        _validate_config_selectors(resolver.settings_for(config.path), known, str(config.path))
    changes: Mapping[Path, FileChanges] = {}
    if request.diff is not None:
        on_disk = [Path(i.path) for i in inputs if not i.stdin and i.source is not None]
        changes = changes_for(on_disk, request.diff)
    audited, auditor = _audit(inputs)
    root = request.fingerprint_root or (request.baseline.absolute().parent if request.baseline else Path.cwd())
    documents, failing = [], False
    totals = {"suppressed": 0, "baselined": 0, "outside_diff": 0}
    for item in inputs:
        document = audited[item.path]
        if document.ok:
            file_changes = NEW_FILE if item.stdin else changes.get(Path(item.path).absolute(), NEW_FILE)
            document, counts = _filter(document, item, known, root, baseline,
                                       file_changes if request.diff is not None else None)
            for key, value in counts.items():
                totals[key] += value
            failing = failing or any(f.severity.rank >= item.settings.fail_on.rank for f in document.findings)
        documents.append(document)
    if request.review_db is not None:
        documents = attach_decisions(documents, request.review_db)
    if auditor is not None:
        result = auditor.result(documents)
    else:
        result = AuditResult(tuple(documents), kb_version="", kb_hash="", tool_version=__version__)
    meta = dict(result.meta) | {key: str(value) for key, value in totals.items()}
    if request.diff is not None:
        meta["diff_ref"] = request.diff
    return CheckOutcome(replace(result, meta=meta), rules, failing)


def attach_decisions(documents: Sequence[DocumentResult], store_path: Path) -> list[DocumentResult]:
    """Each document with the current review decisions on its findings (RV107: no such store)."""
    from claimaudit.review.model import ReviewError
    from claimaudit.review.store import ReviewStore

    if not store_path.exists():
        raise ReviewError(f"{store_path}: no review store", code="RV107")
    with ReviewStore(store_path) as store:
        current = store.current()
    return [replace(d, decisions=tuple(current[f.fingerprint] for f in d.findings if f.fingerprint in current))
            for d in documents]


def known_rules() -> tuple[Rule, ...]:
    """Every rule record: the registry's plus the suppression (META) rules."""
    from claimaudit.gate.suppression import SUPPRESSION_RULES
    from claimaudit.rules.registry import all_rules

    return tuple(module.rule for module in all_rules()) + SUPPRESSION_RULES


def _all_family_pairs(known: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    from claimaudit.findings.model import Family

    # A family selector is valid even while the family has no rules yet.
    return [*known, *((family.value, family.value) for family in Family)]


def _validate_cli_selectors(cli: Mapping[str, Any], known: Sequence[tuple[str, str]]) -> None:
    from claimaudit.gate.selection import unknown_selectors

    pairs = _all_family_pairs(known)
    for option, values in (("--select", cli.get("select") or ()), ("--ignore", cli.get("ignore") or ()),
                           ("--severity", [key for key, _ in (cli.get("severity") or ())])):
        unknown = unknown_selectors(values, pairs)
        if unknown:
            raise ConfigError(f"{option}: unknown rule selector '{unknown[0]}' (no rule matches it)", code="CF105")


def _validate_config_selectors(settings: Settings, known: Sequence[tuple[str, str]], where: str) -> None:
    from claimaudit.config import display_path
    from claimaudit.gate.selection import unknown_selectors

    pairs = _all_family_pairs(known)
    groups = [("select", settings.select), ("ignore", settings.ignore),
              ("severity", [key for key, _ in settings.severity])]
    for index, override in enumerate(settings.overrides):
        groups += [(f"overrides[{index}].select", override.select), (f"overrides[{index}].ignore", override.ignore),
                   (f"overrides[{index}].severity", [key for key, _ in override.severity])]
    for key, values in groups:
        unknown = unknown_selectors(values, pairs)
        if unknown:
            raise ConfigError(f"{display_path(where)}: {key}: unknown rule selector '{unknown[0]}' "
                              "(no rule matches it)", code="CF105")


def _collect_inputs(request: CheckRequest, resolver: Any, read_stdin: Callable[[], str]) -> list[_Input]:
    from claimaudit.errors import InputError
    from claimaudit.ingest import iter_paths, read_source, read_text
    from claimaudit.ingest.read import EXTENSIONS

    inputs: list[_Input] = []
    seen: set[str] = set()

    def add_file(path: str) -> None:
        key = os.path.normcase(os.path.abspath(path))
        if key in seen:
            return
        seen.add(key)
        settings = resolver.settings_for(Path(path))
        item = _Input(path, settings)
        try:
            if path.lower().endswith(".docx"):
                item.source = _read_docx_source(path, settings.max_bytes)
            else:
                item.source = read_source(path, max_bytes=settings.max_bytes)
        except InputError as error:
            item.error = _error_document(path, error)
        inputs.append(item)

    for raw in request.paths:
        if raw == "-":
            name = request.stdin_filename or "<stdin>"
            if name in seen:
                continue
            seen.add(name)
            settings = resolver.settings_for(Path(request.stdin_filename) if request.stdin_filename else Path.cwd())
            item = _Input(name, settings, stdin=True)
            try:
                media_type = EXTENSIONS.get(Path(name).suffix.lower()) if request.stdin_filename else None
                item.source = read_text(read_stdin(), path=name, media_type=media_type)
            except InputError as error:
                item.error = _error_document(name, error)
            inputs.append(item)
        elif Path(raw).is_dir():
            folder = resolver.settings_for(Path(raw))
            for path in iter_paths([raw], include=folder.include, exclude=folder.exclude):
                add_file(str(path))
        else:
            add_file(raw)
    return inputs


def _read_docx_source(path: str, max_bytes: int) -> SourceDocument:
    """A Word document as the plain text of its paragraphs (offsets map back to its runs)."""
    from claimaudit.ingest.docx_runs import read_docx_file
    from claimaudit.ingest.source import SourceDocument

    extracted = read_docx_file(path, max_bytes=max_bytes)
    return SourceDocument(path=path, media_type="text/plain", text=extracted.text, encoding="docx")


def _error_document(path: str, error: ClaimAuditError) -> DocumentResult:
    from claimaudit.result import DocumentResult

    return DocumentResult(path=path, media_type="", source_text="", error=error.format_message(),
                          error_code=error.code)


def _auditor_key(settings: Settings) -> tuple[Any, ...]:
    return (settings.knowledge_dirs, settings.bundled_knowledge, settings.jurisdictions, settings.max_bytes,
            settings.model, settings.page_kind)


def _audit(inputs: Sequence[_Input]) -> tuple[dict[str, DocumentResult], Auditor | None]:
    """Audit every readable input, one Auditor per distinct knowledge/jurisdiction setting."""
    from claimaudit.audit import Auditor
    from claimaudit.settings import Settings

    results: dict[str, DocumentResult] = {i.path: i.error for i in inputs if i.error is not None}
    groups: dict[tuple[Any, ...], list[_Input]] = {}
    for item in inputs:
        if item.source is not None:
            groups.setdefault(_auditor_key(item.settings), []).append(item)
    first: Auditor | None = None
    for items in groups.values():
        base = items[0].settings
        # Selection happens afterwards, per file: the auditor runs every rule.
        auditor = Auditor(Settings(jurisdictions=base.jurisdictions, knowledge_dirs=base.knowledge_dirs,
                                   bundled_knowledge=base.bundled_knowledge, max_bytes=base.max_bytes,
                                   model=base.model, page_kind=base.page_kind))
        first = first or auditor
        for document in auditor.audit_sources(i.source for i in items if i.source is not None):
            results[document.path] = document
    return results, first


def _filter(
    document: DocumentResult,
    item: _Input,
    known: Sequence[tuple[str, str]],
    root: Path,
    baseline: Baseline | None,
    changes: FileChanges | None,
) -> tuple[DocumentResult, dict[str, int]]:
    from claimaudit.gate.accept import accept_findings
    from claimaudit.gate.baseline import filter_baselined
    from claimaudit.gate.diff import keep_changed

    accepted, suppressed = accept_findings(document, item.settings, known, root)
    findings = accepted.findings
    baselined = 0
    if baseline is not None:
        kept, baselined = filter_baselined(findings, baseline)
        findings = tuple(kept)
    outside = 0
    if changes is not None:
        kept_changed = tuple(keep_changed(findings, changes))
        outside, findings = len(findings) - len(kept_changed), kept_changed
    counts = {"suppressed": suppressed, "baselined": baselined, "outside_diff": outside}
    filtered = replace(accepted, findings=findings, suppressed=accepted.suppressed + baselined)
    return filtered, counts


# ---------------------------------------------------------------- command line


def split_values(values: Iterable[str]) -> tuple[str, ...]:
    """Repeatable, comma-separated option values, flattened."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def parse_severity_options(values: Iterable[str]) -> tuple[tuple[str, str], ...]:
    pairs = []
    for value in split_values(values):
        selector, sep, level = value.partition("=")
        if not sep or level.strip().lower() not in LEVELS or not selector.strip():
            raise UsageError(f"--severity expects SELECTOR=LEVEL (level: error, warning or info), got '{value}'",
                             code="US102")
        pairs.append((selector.strip().upper(), level.strip().lower()))
    return tuple(pairs)


def settings_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """The options `check` and `baseline` share: configuration and selection."""
    options = [
        click.option("--select", multiple=True, metavar="SELECTORS",
                     help="Only these rules: codes, prefixes or families (SAFE, SAFE0, SAFE001); comma-separated, repeatable."),
        click.option("--ignore", multiple=True, metavar="SELECTORS", help="Skip these rules (adds to the configured ignore)."),
        click.option("--severity", "severity", multiple=True, metavar="SELECTOR=LEVEL",
                     help="Override a rule's severity, e.g. --severity EVI=error (repeatable)."),
        click.option("--min-severity", type=click.Choice(LEVELS), help="Do not report findings below this level."),
        click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Use this configuration file (no discovery)."),
        click.option("--no-config", is_flag=True, help="Ignore configuration files: defaults and command line only."),
        click.option("--knowledge", "knowledge_dirs", multiple=True, type=click.Path(exists=True, file_okay=False),
                     help="Extra knowledge directory (repeatable)."),
        click.option("--jurisdiction", "jurisdictions", multiple=True, metavar="CODE",
                     help="Whose approvals count when the text names no regulator (US, CA, EU, UK, AU; repeatable)."),
        click.option("--page-kind", type=click.Choice(("auto", "promotional", "informational")),
                     help="Treat every page as this kind instead of deciding per page [default: auto]."),
        click.option("--stdin-filename", metavar="PATH", help="The path to report (and configure) for '-' (standard input)."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def cli_settings(kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """The settings dict for config.apply_cli from the shared options."""
    select = split_values(kwargs.get("select") or ())
    jurisdictions = split_values(kwargs.get("jurisdictions") or ())
    cli: dict[str, Any] = {
        "select": select or None,
        "ignore": split_values(kwargs.get("ignore") or ()),
        "severity": parse_severity_options(kwargs.get("severity") or ()),
        "min_severity": kwargs.get("min_severity"),
        "jurisdictions": jurisdictions or None,
        "knowledge_dirs": tuple(kwargs.get("knowledge_dirs") or ()),
        "config": kwargs.get("config_file"),
        "no_config": bool(kwargs.get("no_config")),
        "model": kwargs.get("model"),
        "page_kind": kwargs.get("page_kind"),
    }
    if "fail_on" in kwargs:
        cli["fail_on"] = kwargs.get("fail_on")
    return cli


@click.command("check")
@click.argument("paths", nargs=-1)
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Report format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write the report to this file.")
@settings_options
@click.option("--fail-on", type=click.Choice(LEVELS), help="Exit 1 when a finding at or above this level remains [default: warning].")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings remain (2 still means an error).")
@click.option("--fail-on-unjudged", is_flag=True,
              help="Exit 1 when anything was not judged (COV001-COV003: a condition, substance or language the knowledge base does not cover).")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False),
              help="Report only findings not in this baseline (see `claimaudit baseline`).")
@click.option("--diff", "diff_ref", metavar="REF", help="Report only findings on lines changed since git REF.")
@click.option("--review-db", "review_db", type=click.Path(dir_okay=False),
              help="Attach review decisions from this store to the findings (JSON: 'decision'; nothing is removed).")
@click.option("-v", "--show-suggestions", "verbose", is_flag=True, help="Text: show suggestions and evidence.")
@click.option("-q", "--quiet", is_flag=True, help="Text: findings only, no summary line.")
@click.option("--model/--no-model", default=None,
              help="Use the learned sentence model (claim proposals, certainty) [default: config key `model`].")
def check(paths: tuple[str, ...], output_format: str, output: str | None, exit_zero: bool,
          fail_on_unjudged: bool, baseline_file: str | None, diff_ref: str | None, review_db: str | None,
          verbose: bool, quiet: bool,
          **kwargs: Any) -> None:
    """Audit files, directories or '-' (standard input) and report overstated health claims.

    Exit status: 0 clean, 1 findings at or above --fail-on (or, with --fail-on-unjudged,
    anything not judged), 2 unreadable input or usage error.
    """
    try:
        request = CheckRequest(
            paths=paths or (".",),
            cli=cli_settings(kwargs),
            stdin_filename=kwargs.get("stdin_filename"),
            baseline=Path(baseline_file) if baseline_file else None,
            diff=diff_ref,
            review_db=Path(review_db) if review_db else None,
        )
        if output_format == "docx" and not output:
            raise UsageError("--format docx writes a Word file: give -o reviewed.docx", code="US105")
        outcome = run_check(request)
        if output_format == "docx":
            write_docx_report(outcome, str(output))
        else:
            text = render_outcome(outcome, output_format, color=_use_color(output, output_format),
                                  verbose=verbose, quiet=quiet)
            write_report(text, output)
    except ClaimAuditError as error:
        click.echo(error.format_message(), err=True)
        sys.exit(error.exit_code)
    code = outcome.exit_code
    if code == 0 and fail_on_unjudged and outcome.unjudged:
        code = 1
    sys.exit(0 if exit_zero and code == 1 else code)


def render_outcome(outcome: CheckOutcome, output_format: str, *, color: bool = False,
                   verbose: bool = False, quiet: bool = False) -> str:
    from claimaudit.reporters import ReportOptions, render

    options = ReportOptions(color=color, verbose=verbose, quiet=quiet, rules=outcome.rules, root=str(Path.cwd()))
    return render(outcome.result, output_format, options)


def write_docx_report(outcome: CheckOutcome, output: str) -> None:
    """The one audited document back as Word, a comment on each finding (US105 unless exactly one)."""
    from claimaudit.reporters.docx_comments import render_docx

    readable = [d for d in outcome.result.documents if d.ok]
    if len(outcome.result.documents) != 1 or len(readable) != 1:
        for document in outcome.result.errors:
            click.echo(f"{document.path}: {document.error}", err=True)  # exit status 2
        if outcome.result.errors:
            return
        raise UsageError(f"--format docx annotates one document; got {len(outcome.result.documents)}", code="US105")
    names = {rule.code: rule.name for rule in outcome.rules}
    data = render_docx(readable[0], names)
    try:
        Path(output).write_bytes(data)
    except OSError as error:
        raise UsageError(f"{output}: cannot write report: {error.strerror or error}", code="US103") from None
    count = len(readable[0].findings)
    click.echo(f"Wrote {output}: {count} comment{'s' if count != 1 else ''} on {readable[0].path}.", err=True)


def write_report(text: str, output: str | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"{output}: cannot write report: {error.strerror or error}", code="US103") from None


def _use_color(output: str | None, output_format: str) -> bool:
    if output is not None or output_format != "text" or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()
