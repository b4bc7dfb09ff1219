"""`claimaudit check PATHS...`: audit files, filter the findings, render a report, set the exit code.

Flow per document: audit -> inline suppressions -> fingerprints -> selection (select/ignore,
severity overrides, min-severity, per-path overrides) -> baseline -> changed lines (--diff).
Exit status: 2 when any input could not be read (everything else is still reported) or on a
usage/config/knowledge-base error; otherwise 1 when a finding at or above --fail-on remains;
otherwise 0.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from claimaudit.errors import ClaimAuditError, ConfigError, UsageError
from claimaudit.heap import frozen_heap

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
INTERRUPTED = 130


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
    fail_on: str = "warning"  # the --fail-on level (of the first input) that reports use

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


@dataclass(slots=True)
class _Run:
    """A prepared `check`: its inputs (read lazily), rules, baseline and changed lines."""

    request: CheckRequest
    inputs: list[_Input]
    rules: tuple[Rule, ...]
    known: list[tuple[str, str]]
    root: Path
    baseline: Baseline | None
    changes: Mapping[Path, FileChanges] | None
    keep_sources: bool = True  # False: drop claims and source text once filtered
    auditors: dict[tuple[Any, ...], Auditor] = field(default_factory=dict)
    decisions: Mapping[str, Any] | None = None  # --review-db: current decision by fingerprint


@dataclass(slots=True)
class CheckTally:
    """What `check` has seen so far: counts for the meta, and whether anything fails."""

    totals: dict[str, int] = field(default_factory=lambda: {"suppressed": 0, "baselined": 0, "outside_diff": 0})
    failing: bool = False
    audited: int = 0  # documents that reached an auditor (the report names its knowledge base)


def _stdin_bytes() -> bytes | str:
    buffer = getattr(sys.stdin, "buffer", None)
    return buffer.read() if buffer is not None else sys.stdin.read()


def run_check(request: CheckRequest, read_stdin: Callable[[], str | bytes] = _stdin_bytes,
              jobs: int = 1) -> CheckOutcome:
    """Audit `request.paths` and apply suppressions, selection, baseline and --diff."""
    run = prepare_check(request, read_stdin)
    tally = CheckTally()
    documents = tuple(iter_checked(run, tally, jobs))
    return CheckOutcome(check_result(run, documents, tally), run.rules, tally.failing, _fail_on(run))


def prepare_check(request: CheckRequest, read_stdin: Callable[[], str | bytes] = _stdin_bytes,
                  *, keep_sources: bool = True) -> _Run:
    """Validate the configuration and selectors, list the inputs, load the baseline and --diff."""
    from claimaudit.config import SettingsResolver

    resolver = SettingsResolver(request.cli)
    rules = known_rules()
    known = [(rule.code, rule.family.value) for rule in rules]
    _validate_cli_selectors(request.cli, known)
    baseline = None
    if request.baseline:
        from claimaudit.gate.baseline import load_baseline

        baseline = load_baseline(request.baseline)
    inputs = _collect_inputs(request, resolver, read_stdin)
    for config in resolver.configs:
        _validate_config_selectors(resolver.settings_for(config.path), known, str(config.path))
    changes: Mapping[Path, FileChanges] | None = None
    if request.diff is not None:
        from claimaudit.gate.diff import changes_for

        on_disk = [Path(i.path) for i in inputs if not i.stdin and i.error is None and Path(i.path).is_file()]
        changes = changes_for(on_disk, request.diff)
    root = request.fingerprint_root or (request.baseline.absolute().parent if request.baseline else Path.cwd())
    decisions = _current_decisions(request.review_db) if request.review_db is not None else None
    return _Run(request, inputs, rules, known, root, baseline, changes, keep_sources, decisions=decisions)


_F = TypeVar("_F")


def iter_checked(run: _Run, tally: CheckTally, jobs: int = 1) -> Iterator[DocumentResult]:
    """Each input's filtered result, in input order, as soon as it is ready.

    With `jobs` > 1 the documents are audited by that many worker processes (forked, so they
    share the auditors built here), big inputs first, then the rest in input order with a tail of
    single small inputs sent largest first (`parallel_tasks`), so the workers finish together;
    the order and the results are those of `jobs` = 1.
    """
    return iter_finished(run, tally, _unchanged, jobs)


def iter_finished(run: _Run, tally: CheckTally, finish: Callable[[DocumentResult], _F],
                  jobs: int = 1) -> Iterator[_F]:
    """`iter_checked` with `finish` applied to each result where it was audited (in the worker
    with `jobs` > 1: a report's piece of the document travels back instead of the document)."""
    for item in run.inputs:
        if item.error is None:
            _auditor_for(run, item.settings)
    jobs = min(jobs, -(-len(run.inputs) // _CHUNK))
    if jobs > 1 and "fork" in _start_methods():
        yield from _iter_parallel(run, tally, finish, jobs)
        return
    with frozen_heap():  # the auditors built above are not walked again by every full collection
        for start in range(0, len(run.inputs), _CHUNK):
            for finished, counts, failing, audited in _check_chunk(range(start, min(start + _CHUNK, len(run.inputs))),
                                                                   run, finish):
                yield _counted(tally, finished, counts, failing, audited)


def _unchanged(document: DocumentResult) -> DocumentResult:
    return document


def _iter_parallel(run: _Run, tally: CheckTally, finish: Callable[[DocumentResult], _F],
                   jobs: int) -> Iterator[_F]:
    """`iter_finished` in `jobs` forked workers: tasks go out as `parallel_tasks` orders them,
    results come back as they finish and are yielded in input order."""
    from claimaudit.commands.forkpool import fork_map

    tasks = parallel_tasks([_input_size(item) for item in run.inputs], jobs)
    done: dict[int, tuple[_F, dict[str, int], bool, bool]] = {}
    following = 0
    for task, results in fork_map(lambda indexes: _check_chunk(indexes, run, finish), tasks, jobs):
        done.update(zip(task, results))
        while following in done:
            finished, counts, failing, audited = done.pop(following)
            following += 1
            yield _counted(tally, finished, counts, failing, audited)


def parallel_tasks(sizes: Sequence[int], jobs: int) -> list[tuple[int, ...]]:
    """The input indexes grouped into worker tasks. Neighbouring inputs (often pages of one
    site, sharing words the worker's caches then know) go together in input order, at most
    `_CHUNK` of them and about 1/(`_TASKS_PER_JOB` x `jobs`) of all the bytes; an input bigger
    than that is a task of its own, sent first (largest first). The tail (the last 1/`_TAIL`
    of the bytes, at most `_TAIL_INPUTS` inputs) is cut in tasks of 1/(`_TAIL` x `jobs`) of
    the bytes left, sent largest first: the last tasks are single small inputs, so the workers
    finish together, and only the tail's results wait for their turn."""
    total = sum(sizes)
    share = max(total // (jobs * _TASKS_PER_JOB), 1)
    tail_from = len(sizes) - _TAIL_INPUTS
    remaining = total
    big: list[int] = []
    body: list[tuple[int, ...]] = []
    tail: list[tuple[int, ...]] = []
    current: list[int] = []
    filled = budget = 0
    in_tail = False
    for index, size in enumerate(sizes):
        if not current:
            in_tail = remaining * _TAIL <= total and index >= tail_from
            budget = max(remaining // (jobs * _TAIL), 1) if in_tail else share
        remaining -= size
        if size >= budget:
            (tail.append((index,)) if in_tail else big.append(index))
            continue
        current.append(index)
        filled += size
        if filled >= budget or len(current) >= _CHUNK:
            (tail if in_tail else body).append(tuple(current))
            current, filled = [], 0
    if current:
        (tail if in_tail else body).append(tuple(current))
    big.sort(key=lambda index: -sizes[index])  # stable: input order on ties
    tail.sort(key=lambda task: -sum(sizes[i] for i in task))
    return [(index,) for index in big] + body + tail


def _input_size(item: _Input) -> int:
    """An input's size in characters or bytes: what its audit costs, roughly."""
    if item.error is not None:
        return 0
    if item.source is not None:
        return len(item.source.text)
    try:
        return os.stat(item.path).st_size
    except OSError:
        return 0


def check_result(run: _Run, documents: tuple[DocumentResult, ...], tally: CheckTally,
                 evidence_used: Iterable[str] | None = None) -> AuditResult:
    """The run's AuditResult (audit trail and meta) around `documents`; `evidence_used` (the
    evidence ids the findings of a streamed report cite) dates the knowledge base instead."""
    from claimaudit import __version__
    from claimaudit.result import AuditResult

    auditor = next(iter(run.auditors.values()), None) if tally.audited else None
    if auditor is not None:
        result = auditor.result(documents)
        kb = getattr(auditor, "kb", None)  # as Auditor.result dates it from the documents' findings
        if evidence_used is not None and kb is not None:
            result = replace(result, kb_checked=kb.oldest_checked(sorted(set(evidence_used))))
    else:
        result = AuditResult(documents, kb_version="", kb_hash="", tool_version=__version__)
    meta = dict(result.meta) | {key: str(value) for key, value in tally.totals.items()}
    if run.request.diff is not None:
        meta["diff_ref"] = run.request.diff
    return replace(result, meta=meta)


_CHUNK = 8  # documents per task (audited together through nlp.pipe)
_TASKS_PER_JOB = 16  # a worker's share of the bytes is cut into about this many tasks
_TAIL = 8  # tasks shrink once 1/_TAIL of the bytes is left
_TAIL_INPUTS = 256  # and the tail is at most this many inputs (their results may wait)


def _start_methods() -> list[str]:
    import multiprocessing

    return multiprocessing.get_all_start_methods()


def _counted(tally: CheckTally, finished: _F, counts: Mapping[str, int], failing: bool, audited: bool) -> _F:
    for key, value in counts.items():
        tally.totals[key] += value
    tally.failing = tally.failing or failing
    tally.audited += audited
    return finished


def _check_chunk(indexes: Sequence[int], run: _Run,
                 finish: Callable[[DocumentResult], _F]) -> list[tuple[_F, dict[str, int], bool, bool]]:
    """Read, audit and filter the inputs at `indexes`; attach review decisions; `finish` each."""
    from claimaudit.errors import InputError
    from claimaudit.ingest import read_source
    from claimaudit.ingest.read import display_name

    items = [run.inputs[i] for i in indexes]
    audited: dict[int, DocumentResult] = {}
    pending: dict[tuple[Any, ...], list[tuple[int, SourceDocument]]] = {}
    for position, item in enumerate(items):
        source = item.source
        if item.error is None and source is None:
            try:
                if item.path.lower().endswith(".docx"):
                    source = _read_docx_source(item.path, item.settings.max_bytes)
                else:
                    source = read_source(item.path, max_bytes=item.settings.max_bytes)
            except InputError as error:
                audited[position] = _error_document(display_name(item.path), error)
                continue
        if item.error is not None:
            audited[position] = item.error
        else:
            assert source is not None
            pending.setdefault(_auditor_key(item.settings), []).append((position, source))
    for key, group in pending.items():
        auditor = run.auditors[key]
        for (position, _), document in zip(group, auditor.audit_sources(source for _, source in group)):
            audited[position] = document
    results = []
    for position, item in enumerate(items):
        document, failing = audited[position], False
        counts: dict[str, int] = {}
        if document.ok:
            document, counts = _filter(document, item, run.known, run.root, run.baseline,
                                       _file_changes(item, run.changes))
            failing = any(f.severity.rank >= item.settings.fail_on.rank for f in document.findings)
        if not run.keep_sources:
            document = replace(document, source_text="", claims=(), directives=())  # facts: page kind in JSON
        if run.decisions is not None:
            document = _with_decisions(document, run.decisions)
        results.append((finish(document), counts, failing, any(position == p for g in pending.values() for p, _ in g)))
    return results


def attach_decisions(documents: Sequence[DocumentResult], store_path: Path) -> list[DocumentResult]:
    """Each document with the current review decisions on its findings (RV107: no such store)."""
    current = _current_decisions(store_path)
    return [_with_decisions(d, current) for d in documents]


def _current_decisions(store_path: Path) -> Mapping[str, Any]:
    from claimaudit.review.model import ReviewError
    from claimaudit.review.store import ReviewStore

    if not store_path.exists():
        raise ReviewError(f"{store_path}: no review store", code="RV107")
    with ReviewStore(store_path) as store:
        current: Mapping[str, Any] = store.current()
    return current


def _with_decisions(document: DocumentResult, current: Mapping[str, Any]) -> DocumentResult:
    return replace(document, decisions=tuple(current[f.fingerprint] for f in document.findings
                                             if f.fingerprint in current))


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


def _collect_inputs(request: CheckRequest, resolver: Any, read_stdin: Callable[[], str | bytes]) -> list[_Input]:
    from claimaudit.errors import InputError
    from claimaudit.ingest import iter_paths, read_text
    from claimaudit.ingest.read import read_bytes_text
    from claimaudit.ingest.walk import is_directory
    from claimaudit.ingest.read import EXTENSIONS

    inputs: list[_Input] = []
    seen: set[str] = set()

    def add_file(path: str) -> None:
        key = os.path.normcase(os.path.abspath(path))
        if key in seen:
            return
        seen.add(key)
        inputs.append(_Input(path, resolver.settings_for(Path(path))))  # read when audited

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
                data = read_stdin()
                if isinstance(data, bytes):  # decoded like a file: BOM, UTF-8, else Windows-1252
                    item.source = read_bytes_text(data, path=name, media_type=media_type)
                else:
                    item.source = read_text(data, path=name, media_type=media_type)
            except InputError as error:
                item.error = _error_document(name, error)
            inputs.append(item)
        elif is_directory(raw):
            folder = resolver.settings_for(Path(raw))
            for path in iter_paths([raw], include=folder.include, exclude=folder.exclude):
                add_file(str(path))
        elif request.cli.get("force_exclude") and _excluded(raw, resolver):
            continue  # a hook passes every staged file explicitly; the configured exclude still applies
        else:
            add_file(raw)
    return inputs


def _read_docx_source(path: str, max_bytes: int) -> SourceDocument:
    """A Word document as the plain text of its paragraphs (offsets map back to its runs)."""
    from claimaudit.ingest.docx_runs import read_docx_file
    from claimaudit.ingest.read import display_name
    from claimaudit.ingest.source import SourceDocument

    extracted = read_docx_file(path, max_bytes=max_bytes)
    return SourceDocument(path=display_name(path), media_type="text/plain", text=extracted.text, encoding="docx")


def _excluded(path: str, resolver: Any) -> bool:
    """Whether an explicitly named file matches an `exclude` glob of its configuration.

    The glob is matched against the path relative to the configuration file's directory
    (else the working directory) and against the file name, as a directory walk matches it.
    """
    from fnmatch import fnmatch

    settings = resolver.settings_for(Path(path))
    config = resolver.config_for(Path(path))
    base = config.path.parent if config is not None else Path.cwd()
    absolute = Path(path).absolute()
    relative = absolute.relative_to(base).as_posix() if absolute.is_relative_to(base) else absolute.as_posix()
    candidates = [relative, absolute.name, *(p.as_posix() for p in Path(relative).parents if str(p) != ".")]
    return any(fnmatch(c, pattern) or fnmatch(c, pattern.rstrip("/")) for c in candidates
               for pattern in settings.exclude)


def _error_document(path: str, error: ClaimAuditError) -> DocumentResult:
    from claimaudit.result import DocumentResult

    return DocumentResult(path=path, media_type="", source_text="", error=error.format_message(),
                          error_code=error.code)


def _auditor_key(settings: Settings) -> tuple[Any, ...]:
    return (settings.knowledge_dirs, settings.bundled_knowledge, settings.jurisdictions, settings.max_bytes,
            settings.model, settings.page_kind)


def _file_changes(item: _Input, changes: Mapping[Path, FileChanges] | None) -> FileChanges | None:
    """What --diff says changed in the input's file (None without --diff; stdin is new)."""
    if changes is None:
        return None
    from claimaudit.gate.diff import NEW_FILE

    return NEW_FILE if item.stdin else changes.get(Path(item.path).absolute(), NEW_FILE)


def _auditor_for(run: _Run, settings: Settings) -> Auditor:
    """One Auditor per distinct knowledge/jurisdiction setting, built on first use (in the
    daemon: its warm one, when that is exactly what a fresh build would give; the daemon has
    imported `resident.warm`, a plain `check` does not need it)."""
    warm = sys.modules.get("claimaudit.resident.warm")
    key = _auditor_key(settings)
    if key not in run.auditors:
        auditor = warm.take(key, settings) if warm is not None and warm.ENABLED else None
        if auditor is None:
            auditor = build_auditor(settings)
            if warm is not None:
                warm.missed(settings)
        run.auditors[key] = auditor
    return run.auditors[key]


def build_auditor(settings: Settings) -> Auditor:
    """The auditor `check` uses for files with these settings. Selection happens afterwards,
    per file, so it runs every rule."""
    from claimaudit.audit import Auditor
    from claimaudit.settings import Settings

    return Auditor(Settings(
        jurisdictions=settings.jurisdictions, knowledge_dirs=settings.knowledge_dirs,
        bundled_knowledge=settings.bundled_knowledge, max_bytes=settings.max_bytes,
        model=settings.model, page_kind=settings.page_kind))


def _filter(
    document: DocumentResult,
    item: _Input,
    known: Sequence[tuple[str, str]],
    root: Path,
    baseline: Baseline | None,
    changes: FileChanges | None,
) -> tuple[DocumentResult, dict[str, int]]:
    from claimaudit.gate.accept import accept_findings

    accepted, suppressed = accept_findings(document, item.settings, known, root)
    findings = accepted.findings
    baselined = 0
    if baseline is not None:
        from claimaudit.gate.baseline import filter_baselined

        kept, baselined = filter_baselined(findings, baseline)
        findings = tuple(kept)
    outside = 0
    if changes is not None:
        from claimaudit.gate.diff import keep_changed

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
@click.option("-v", "--show-suggestions", "verbose", is_flag=True, help="Text: show suggestions and evidence.")
@click.option("-q", "--quiet", is_flag=True, help="Text: findings only, no summary line.")
@click.option("--model/--no-model", default=None,
              help="Use the learned sentence model (claim proposals, certainty) [default: config key `model`].")
@click.option("--review-db", "review_db", type=click.Path(dir_okay=False),
              help="Attach review decisions from this store to the findings (JSON: 'decision'; nothing is removed).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, metavar="N",
              help="Audit in N processes (0: one per core) [default: 0]; the report is the same for any N.")
@click.option("--force-exclude", is_flag=True,
              help="Apply the configured exclude globs to files named explicitly too (for hooks).")
@click.option("--daemon/--no-daemon", "use_daemon", default=None,
              help="Run in the resident daemon, starting it if needed / never [default: when one is running]; "
                   "see `claimaudit daemon`. The report is the same either way.")
def check(paths: tuple[str, ...], output_format: str, output: str | None, exit_zero: bool,
          fail_on_unjudged: bool, baseline_file: str | None, diff_ref: str | None, review_db: str | None,
          verbose: bool, quiet: bool, jobs: int, use_daemon: bool | None = None, **kwargs: Any) -> None:
    """Audit files, directories or '-' (standard input) and report overstated health claims.

    Exit status: 0 clean, 1 findings at or above --fail-on (or, with --fail-on-unjudged,
    anything not judged), 2 unreadable input or usage error, 130 interrupted (Ctrl-C).
    """
    try:
        request = CheckRequest(
            paths=paths or (".",),
            cli={**cli_settings(kwargs), "force_exclude": bool(kwargs.get("force_exclude"))},
            stdin_filename=kwargs.get("stdin_filename"),
            baseline=Path(baseline_file) if baseline_file else None,
            diff=diff_ref,
            review_db=Path(review_db) if review_db else None,
        )
        if output_format == "docx" and not output:
            raise UsageError("--format docx writes a Word file: give -o reviewed.docx", code="US105")
        code = stream_check(request, output_format, output, jobs=jobs or os.cpu_count() or 1,
                            color=_use_color(output, output_format), verbose=verbose, quiet=quiet,
                            fail_on_unjudged=fail_on_unjudged)
    except ClaimAuditError as error:
        click.echo(error.format_message(), err=True)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(INTERRUPTED)  # 128 + SIGINT: CI tells "stopped" from "findings" (1)
    sys.exit(0 if exit_zero and code == 1 else code)


def _fail_on(run: _Run) -> str:
    """The --fail-on level reports apply (the first input's; per-file levels decide the exit code)."""
    return run.inputs[0].settings.fail_on.value if run.inputs else "warning"


def stream_check(request: CheckRequest, output_format: str, output: str | None, *, jobs: int = 1,
                 color: bool = False, verbose: bool = False, quiet: bool = False,
                 fail_on_unjudged: bool = False) -> int:
    """Audit, filter and report; text, JSON and SARIF are written as each document finishes
    (`STREAMED`), other formats once all are in. Returns the exit code."""
    from functools import partial

    from claimaudit.reporters import ReportOptions
    from claimaudit.reporters.stream import STREAMED, RenderedDocument, render_piece, stream_rendered

    run = prepare_check(request, keep_sources=output_format in ("html", "docx"))
    tally = CheckTally()
    errors = unjudged = 0

    def counted(pieces: Iterable[RenderedDocument]) -> Iterator[RenderedDocument]:
        nonlocal errors, unjudged
        for piece in pieces:
            errors += piece.tally.error
            unjudged += piece.tally.unjudged
            yield piece

    if output_format in STREAMED:
        options = ReportOptions(color=color, verbose=verbose, quiet=quiet, rules=run.rules, root=str(Path.cwd()))
        render = partial(render_piece, format_name=output_format, options=options)  # in the workers
        with _report_writer(output) as write:
            stream_rendered(counted(iter_finished(run, tally, render, jobs)), output_format, options, write,
                            lambda used: check_result(run, (), tally, used))
    else:
        collected = tuple(iter_checked(run, tally, jobs))
        errors = sum(bool(d.error) for d in collected)
        unjudged = sum(len(d.unjudged) for d in collected)
        outcome = CheckOutcome(check_result(run, collected, tally), run.rules, tally.failing, _fail_on(run))
        if output_format == "docx":
            write_docx_report(outcome, str(output))
        else:
            write_report(render_outcome(outcome, output_format, color=color, verbose=verbose, quiet=quiet), output)
    if errors:
        return 2
    return 1 if tally.failing or (fail_on_unjudged and unjudged) else 0


@contextlib.contextmanager
def _report_writer(output: str | None) -> Iterator[Callable[[str], object]]:
    """A write function to standard output or to the report file (US103 when it cannot be written)."""
    if output is None:
        yield lambda text: click.echo(text, nl=False)
        return
    try:
        with open(output, "w", encoding="utf-8") as handle:
            yield handle.write
    except OSError as error:
        raise UsageError(f"{output}: cannot write report: {error.strerror or error}", code="US103") from None


def render_outcome(outcome: CheckOutcome, output_format: str, *, color: bool = False,
                   verbose: bool = False, quiet: bool = False) -> str:
    from claimaudit.reporters import ReportOptions, render

    from claimaudit.findings.model import Severity

    options = ReportOptions(color=color, verbose=verbose, quiet=quiet, rules=outcome.rules, root=str(Path.cwd()),
                            fail_on=Severity.parse(outcome.fail_on))
    return render(outcome.result, output_format, options)


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
