"""The whole flow: ingest -> nlp -> claims -> rules -> findings."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from itertools import chain, repeat
from pathlib import Path

from spacy.tokens import Doc

from claimaudit import __version__
from claimaudit.claims.coverage import coverage_notices
from claimaudit.claims.extract import extract_claims
from claimaudit.claims.model import Claim, DocumentFacts
from claimaudit.claims.page_kind import forced_page_kind
from claimaudit.errors import AuditError, ClaimAuditError, ConfigError, InputError
from claimaudit.findings.model import Finding, Severity, finding_sort_key
from claimaudit.rules.triggers import resolve_triggers
from claimaudit.ingest import normalize, read_source, read_text
from claimaudit.ingest.source import NormalizedDocument, SourceDocument
from claimaudit.knowledge_base.load import load_knowledge_base
from claimaudit.knowledge_base.lookup import KnowledgeLookup
from claimaudit.nlp.pipeline import build_pipeline
from claimaudit.result import AuditResult, DocumentResult
from claimaudit.rules.base import RuleContext, RuleModule
from claimaudit.rules.registry import matches, select_rules
from claimaudit.settings import Settings

BATCH_SIZE = 16


class Auditor:
    """Holds the compiled knowledge base, pipeline and rules; audits many documents."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        _check_selectors(self.settings)
        self.kb = load_knowledge_base(self.settings.knowledge_dirs, bundled=self.settings.bundled_knowledge)
        _check_jurisdictions(self.settings.jurisdictions, {r.jurisdiction.upper() for r in self.kb.regulators.values()})
        self.lookup = KnowledgeLookup(self.kb)
        self.nlp = build_pipeline(self.lookup)
        self.rules: tuple[RuleModule, ...] = select_rules(self.settings.select, self.settings.ignore)

    @property
    def kb_version(self) -> str:
        return self.kb.version

    @property
    def kb_hash(self) -> str:
        return self.kb.content_hash

    def audit_source(self, source: SourceDocument) -> DocumentResult:
        return next(self.audit_sources([source]))

    def audit_sources(self, sources: Iterable[SourceDocument]) -> Iterator[DocumentResult]:
        """Audit documents in batches through `nlp.pipe`; a failing document never sinks the rest."""
        batch: list[NormalizedDocument] = []
        for source in sources:
            try:
                batch.append(normalize(source))
            except InputError as error:
                yield error_result(source.path, source.media_type, source.text, error)
                continue
            if len(batch) >= BATCH_SIZE:
                yield from self._audit_batch(batch)
                batch = []
        if batch:
            yield from self._audit_batch(batch)

    def _audit_batch(self, batch: Sequence[NormalizedDocument]) -> Iterator[DocumentResult]:
        """The batch's results, in order. When auditing a document fails unexpectedly, the
        documents not yet returned are audited one by one, each failure an AU100 error result."""
        done = 0
        try:
            for result in self._audit_together(batch):
                yield result
                done += 1
        except Exception:  # a defect: never lose the rest of the batch to one document
            for document in batch[done:]:
                yield self._audit_alone(document)

    def _audit_alone(self, document: NormalizedDocument) -> DocumentResult:
        source = document.source
        try:
            return next(self._audit_together([document]))
        except Exception as error:
            import logging

            # the traceback goes to the log (stderr by default), for the report AU100 asks for
            logging.getLogger("claimaudit.audit").error("AU100 while auditing %s", source.path, exc_info=True)
            return error_result(source.path, source.media_type, source.text, internal_error(source.path, error))

    def _audit_together(self, batch: Sequence[NormalizedDocument]) -> Iterator[DocumentResult]:
        chunked = [split_chunks(document.text, self.nlp.max_length) for document in batch]
        pieces = self.nlp.pipe(chunk for chunks in chunked for chunk in chunks)
        for document, chunks in zip(batch, chunked):
            parts = [next(pieces) for _ in chunks]
            doc = parts[0] if len(parts) == 1 else Doc.from_docs(parts, ensure_whitespace=False, exclude=["user_data"])  # type: ignore[call-arg]
            claims, facts = extract_claims(doc, document, self.lookup)
            if self.settings.model:
                from claimaudit.claims.model_proposals import apply_model

                claims = apply_model(doc, document, self.lookup, claims, facts)
            facts = self._with_page_kind(facts)
            unjudged = coverage_notices(document, claims, self.lookup)
            if any(u.kind == "language" for u in unjudged):
                findings: tuple[Finding, ...] = ()  # not English: nothing here can be judged
            else:
                findings = self.judge(document, claims, facts)
            yield DocumentResult(
                path=document.source.path,
                media_type=document.source.media_type,
                source_text=document.source.text,
                claims=claims,
                findings=findings,
                facts=facts,
                directives=document.directives,
                unjudged=unjudged,
            )

    def _with_page_kind(self, facts: DocumentFacts) -> DocumentFacts:
        """The facts with the configured page kind (`page-kind`), unless it is "auto"."""
        if self.settings.page_kind == "auto" or facts.page_kind.forced:
            return facts
        return replace(facts, page_kind=forced_page_kind(self.settings.page_kind, facts.page_kind))

    def judge(
        self, document: NormalizedDocument, claims: tuple[Claim, ...], facts: DocumentFacts
    ) -> tuple[Finding, ...]:
        """Run every selected rule over the claims and the page facts."""
        facts = self._with_page_kind(facts)
        context = RuleContext(self.lookup, document, claims, facts, self.settings)
        findings: list[Finding] = []
        extend = findings.extend  # tens of thousands of (rule, claim) calls per corpus
        each_context = repeat(context)
        for module in self.rules:
            check_claim = module.check_claim
            if check_claim is not None:  # (one C loop over the claims: each result taken in turn)
                extend(chain.from_iterable(map(check_claim, claims, each_context)))
            if module.check_document is not None:
                extend(module.check_document(facts, context))
        findings = resolve_triggers(findings, claims, document)
        settings = self.settings
        if settings.severity:
            findings = [_apply_severity(f, settings) for f in findings]
        floor = settings.min_severity.rank
        return tuple(sorted((f for f in findings if f.severity.rank >= floor), key=finding_sort_key))

    def audit_paths(self, paths: Iterable[str | Path]) -> Iterator[DocumentResult]:
        """Read and audit files; unreadable ones come back as error results."""
        yield from self.audit_sources_or_errors(_read_all(paths, self.settings.max_bytes))

    def audit_sources_or_errors(
        self, items: Iterable[SourceDocument | DocumentResult]
    ) -> Iterator[DocumentResult]:
        pending: list[SourceDocument] = []
        for item in items:
            if isinstance(item, DocumentResult):
                yield from self.audit_sources(pending)
                pending = []
                yield item
            else:
                pending.append(item)
        yield from self.audit_sources(pending)

    def result(self, documents: Iterable[DocumentResult]) -> AuditResult:
        documents = tuple(documents)
        used = {e.id for d in documents for f in d.findings for e in f.evidence}
        return AuditResult(
            documents=documents,
            kb_version=self.kb.version,
            kb_hash=self.kb.content_hash,
            tool_version=__version__,
            rules=tuple(m.rule.code for m in self.rules),
            kb_checked=self.kb.oldest_checked(sorted(used)),
        )


def known_pairs() -> list[tuple[str, str]]:
    """(code, family) of every rule, the suppression (META) rules and each family by name."""
    from claimaudit.findings.model import Family
    from claimaudit.gate.suppression import SUPPRESSION_RULES
    from claimaudit.rules.registry import all_rules

    rules = [module.rule for module in all_rules()] + list(SUPPRESSION_RULES)
    return [(r.code, r.family.value) for r in rules] + [(f.value, f.value) for f in Family]


def _check_selectors(settings: Settings) -> None:
    """A selector that matches no rule is a mistake (CF105), as on the command line."""
    from claimaudit.gate.selection import unknown_selectors

    pairs = known_pairs()
    for name, values in (("select", settings.select), ("ignore", settings.ignore),
                         ("severity", [key for key, _ in settings.severity])):
        unknown = unknown_selectors(values, pairs)
        if unknown:
            raise ConfigError(f"Settings.{name}: unknown rule selector '{unknown[0]}' (no rule matches it)",
                              code="CF105")


def _check_jurisdictions(wanted: Sequence[str], known: set[str]) -> None:
    """Every jurisdiction asked for must be one a regulator in the knowledge base belongs to."""
    unknown = [code for code in wanted if code.upper() not in known]
    if unknown and known:
        raise ConfigError(f"unknown jurisdiction '{unknown[0]}' (the knowledge base knows: "
                          f"{', '.join(sorted(known))})", code="CF106")


def _suppress(document: DocumentResult, known: Sequence[tuple[str, str]]) -> DocumentResult:
    """Apply the document's inline suppression comments (as `check` does)."""
    from claimaudit.gate.suppression import apply_suppressions

    if not document.ok:
        return document
    outcome = apply_suppressions(document.findings, document.directives, document.source_text, known)
    kept = tuple(sorted(outcome.findings, key=finding_sort_key))
    return replace(document, findings=kept, suppressed=document.suppressed + len(outcome.suppressed))


def split_chunks(text: str, limit: int) -> list[str]:
    """`text` cut into pieces of at most `limit` characters that join back to it exactly.

    Cuts fall after a blank line (a paragraph boundary) when there is one in the second half
    of the window, else after a line break, else after a space; a text without any is cut hard.
    """
    chunks: list[str] = []
    start = 0
    while len(text) - start > limit:
        window_end = start + limit
        floor = start + limit // 2
        cut = -1
        for separator in ("\n\n", "\n", " "):
            found = text.rfind(separator, floor, window_end)
            if found != -1:
                cut = found + len(separator)
                break
        if cut <= start or cut > window_end:
            cut = window_end
        chunks.append(text[start:cut])
        start = cut
    chunks.append(text[start:])
    return chunks


def _apply_severity(finding: Finding, settings: Settings) -> Finding:
    for selector, severity in settings.severity:
        if matches(selector, finding.code, finding.family.value):
            return replace(finding, severity=severity)
    return finding


def _read_all(paths: Iterable[str | Path], max_bytes: int) -> Iterator[SourceDocument | DocumentResult]:
    for path in paths:
        try:
            yield read_source(path, max_bytes=max_bytes)
        except InputError as error:
            yield error_result(str(path), "", "", error)


def internal_error(path: str, error: Exception) -> AuditError:
    """The AU100 error for a document whose audit raised `error`."""
    detail = f"{type(error).__name__}: {error}".rstrip(": ")
    return AuditError(
        f"{path}: internal error while auditing ({detail[:300]}); other documents are not affected. "
        "Please report this with the document and the traceback logged with it."
    )


def error_result(path: str, media_type: str, text: str, error: ClaimAuditError) -> DocumentResult:
    return DocumentResult(
        path=path, media_type=media_type, source_text=text, error=error.format_message(), error_code=error.code
    )


def audit_text(
    text: str,
    *,
    path: str = "<text>",
    media_type: str | None = "text/plain",
    settings: Settings | None = None,
    auditor: Auditor | None = None,
) -> DocumentResult:
    """Audit one text. Builds an Auditor unless one is given (reuse it for many texts).

    Inline suppression comments apply, as in `check`; raises InputError for unusable text. A
    defect met while auditing comes back as a result with `ok` false and error code AU100.
    """
    auditor = auditor or Auditor(settings)
    document = auditor.audit_source(read_text(text, path=path, media_type=media_type))
    return _suppress(document, known_pairs())


def audit_paths(paths: Iterable[str | Path], settings: Settings | None = None) -> AuditResult:
    """Audit files (inline suppressions applied); unreadable ones come back as error results."""
    auditor = Auditor(settings)
    known = known_pairs()
    return auditor.result(_suppress(document, known) for document in auditor.audit_paths(paths))


__all__ = ["Auditor", "audit_text", "audit_paths", "Severity"]
