"""Streamed reports: text, JSON and SARIF written one document at a time, byte for byte what
`render` writes for the whole result, with memory flat in the number of documents.

Each document is first rendered on its own (`render_piece`: its part of the report and the
counts the summary needs), which `check -j N` does in the worker that audited it, so the
parent only writes the pieces in order.
Text: each document's lines are written as soon as it is audited; the summary line comes last.
JSON: the summary precedes the documents, so each document's JSON is spooled to a temporary
file as it comes and copied after the header at the end (one valid JSON document whose shape
is that of `json_report.render_json`). SARIF: the same, the results spooled and copied into the
log (`sarif.streamed_log`), whose rules, notifications and dates are known at the end.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from claimaudit.findings.model import pickled_by_fields
from claimaudit.reporters import ReportOptions, indented_json
from claimaudit.reporters._common import DocumentTally, RunCounts, summary_of
from claimaudit.result import AuditResult, DocumentResult

STREAMED = ("text", "json", "sarif")

Write = Callable[[str], object]


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class RenderedDocument:
    """One document's part of a streamed report and its counts."""

    text: str  # text: its lines ("" when none); JSON: its object, indented as in the documents list;
    # SARIF: its results, indented as in the log ("" when none)
    tally: DocumentTally
    extra: tuple[Any, ...] = ()  # SARIF: the notification of an unreadable input (or None), undescribed codes


def render_piece(document: DocumentResult, format_name: str, options: ReportOptions) -> RenderedDocument:
    """`document`'s part of a report in `format_name` (one of STREAMED)."""
    if format_name == "text":
        from claimaudit.reporters.text import document_lines

        lines = document_lines(document, options)
        text = "\n".join(lines) + "\n" if lines else ""
    elif format_name == "json":
        from claimaudit.reporters.json_report import document_to_dict

        text = "    " + indented_json.dumps(document_to_dict(document), depth=2)
    elif format_name == "sarif":
        from claimaudit.reporters.sarif import notification, results_text

        text, unknown = results_text(document, options)
        note = notification(document, options) if document.error else None
        return RenderedDocument(text, DocumentTally.of(document), (note, unknown))
    else:
        raise ValueError(f"format {format_name!r} is not streamed")
    return RenderedDocument(text, DocumentTally.of(document))


def stream_report(
    documents: Iterable[DocumentResult],
    format_name: str,
    options: ReportOptions,
    write: Write,
    trail: Callable[[set[str]], AuditResult],
) -> None:
    """Write the report of `documents` in `format_name` (one of STREAMED). `trail` is called
    after the last document with the evidence ids the findings cite, and gives the run's audit
    trail and meta (its documents unused)."""
    if format_name not in STREAMED:
        raise ValueError(f"format {format_name!r} is not streamed")
    stream_rendered((render_piece(d, format_name, options) for d in documents), format_name, options, write, trail)


def stream_rendered(
    pieces: Iterable[RenderedDocument],
    format_name: str,
    options: ReportOptions,
    write: Write,
    trail: Callable[[set[str]], AuditResult],
) -> None:
    """`stream_report` from the documents' pieces (`render_piece` with the same format and options)."""
    if format_name == "text":
        _stream_text(pieces, options, write, trail)
    elif format_name == "json":
        _stream_json(pieces, write, trail)
    elif format_name == "sarif":
        _stream_sarif(pieces, options, write, trail)
    else:
        raise ValueError(f"format {format_name!r} is not streamed")


def _stream_text(pieces: Iterable[RenderedDocument], options: ReportOptions, write: Write,
                 trail: Callable[[set[str]], AuditResult]) -> None:
    from claimaudit.reporters._common import kb_line

    counts = RunCounts()
    wrote = False
    for piece in pieces:
        counts.add_tally(piece.tally)
        if piece.text:
            write(piece.text)
            wrote = True
    if not options.quiet:
        result = trail(counts.evidence)
        kb = kb_line(result)
        write(("\n" if wrote else "") + summary_of(counts, result.meta) + "\n" + (kb + "\n" if kb else ""))


def _stream_json(pieces: Iterable[RenderedDocument], write: Write, trail: Callable[[set[str]], AuditResult]) -> None:
    from claimaudit.reporters.json_report import report_head

    counts = RunCounts()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        for piece in pieces:
            counts.add_tally(piece.tally)
            if counts.documents > 1:
                spool.write(",\n")
            spool.write(piece.text)
        result = trail(counts.evidence)
        head = report_head(result, {
            "documents": counts.documents,
            "errors": counts.unreadable,
            "findings": counts.findings,
            "by_severity": {s.value: n for s, n in sorted(counts.severities.items(), key=lambda i: i[0].value)},
            "by_family": {f.value: n for f, n in sorted(counts.families.items(), key=lambda i: i[0].value)},
            "not_judged": counts.unjudged,
        }) | {"documents": []}
        opening = indented_json.dumps(head)
        assert opening.endswith('"documents": []\n}')
        if not counts.documents:
            write(opening + "\n")
            return
        write(opening[: -len("]\n}")] + "\n")
        spool.seek(0)
        shutil.copyfileobj(spool, _Writer(write))
        write("\n  ]\n}\n")


class _Writer:
    """A file-like `write` for shutil.copyfileobj."""

    def __init__(self, write: Write) -> None:
        self.write = write


def _stream_sarif(pieces: Iterable[RenderedDocument], options: ReportOptions, write: Write,
                  trail: Callable[[set[str]], AuditResult]) -> None:
    from claimaudit.reporters.sarif import streamed_log

    counts = RunCounts()
    unknown: set[str] = set()
    notifications: list[dict[str, Any]] = []
    wrote = False
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        for piece in pieces:
            counts.add_tally(piece.tally)
            note, codes = piece.extra
            if note is not None:
                notifications.append(note)
            unknown.update(codes)
            if piece.text:
                if wrote:
                    spool.write(",\n")
                spool.write(piece.text)
                wrote = True
        before, after, marks = streamed_log(trail(counts.evidence), options, unknown, notifications, wrote)
        write(before)
        if not wrote:
            return
        spool.seek(0)
        if marks:  # codes no rule describes (their index is known now)
            text = spool.read()
            for mark, index in marks.items():
                text = text.replace(mark, index)
            write(text)
        else:
            shutil.copyfileobj(spool, _Writer(write))
        write(after)
