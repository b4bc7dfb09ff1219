"""Word documents read with run-level offsets, so findings can be anchored back on the exact words.

`read_docx` gives the document's text (one line per non-blank paragraph, heading, list item or
table cell, in reading order) and, for every run, where its text lies in that text. The audit
runs on the text as plain text; `split_at` makes a run boundary at any offset so a Word comment
can start and end exactly where a finding does.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimaudit.errors import InputError

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_MAIN_PART = "word/document.xml"
_MAX_UNPACKED = 200_000_000
_SPLITTABLE = {"rPr", "t", "tab", "br", "cr"}  # run children that survive re-setting run.text


@dataclass(frozen=True, slots=True)
class RunPiece:
    """A run and the range its text occupies in the extracted text."""

    run: Any  # docx.text.run.Run
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class DocxText:
    """A Word document, its extracted text and the run pieces that make it up."""

    document: Any  # docx.document.Document
    text: str
    pieces: tuple[RunPiece, ...]


def load_docx(data: bytes, name: str, *, max_unpacked: int = _MAX_UNPACKED) -> Any:
    """The python-docx Document of `data` (IN101 not a .docx, IN103 too large unpacked, IN109 damaged)."""
    if not data.startswith(b"PK\x03\x04"):
        raise InputError(f"{name}: not a Word .docx file (no zip signature)", code="IN101")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile as error:
        raise InputError(f"{name}: damaged .docx archive ({error})", code="IN109") from None
    if _MAIN_PART not in {entry.filename for entry in entries}:
        raise InputError(f"{name}: a zip archive without {_MAIN_PART}, so not a Word .docx file", code="IN101")
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > max_unpacked:
        raise InputError(f"{name}: the .docx unpacks to {unpacked:,} bytes, over the limit of "
                         f"{max_unpacked:,}", code="IN103")
    import docx

    try:
        return docx.Document(io.BytesIO(data))
    except Exception as error:  # noqa: BLE001 -- python-docx raises many kinds of errors for damaged parts
        raise InputError(f"{name}: the Word document could not be read ({error})", code="IN109") from None


def read_docx(document: Any) -> DocxText:
    """The document's text and run pieces (paragraphs joined by one newline, blank ones skipped)."""
    parts: list[str] = []
    pieces: list[RunPiece] = []
    offset = 0
    for paragraph in _paragraphs(document):
        runs = list(_runs(paragraph))
        texts = [run.text for run in runs]
        if not "".join(texts).strip():
            continue
        if parts:
            parts.append("\n")
            offset += 1
        for run, text in zip(runs, texts):
            pieces.append(RunPiece(run, offset, offset + len(text)))
            parts.append(text)
            offset += len(text)
    return DocxText(document, "".join(parts), tuple(pieces))


def read_docx_file(path: str | Path, *, max_bytes: int = 5_000_000) -> DocxText:
    """Read a .docx file (IN103 over `max_bytes`, IN105 missing, IN102 no text)."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file", code="IN105") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read file: {error.strerror or error}", code="IN109") from None
    if len(data) > max_bytes:
        raise InputError(f"{path}: file is {len(data):,} bytes, over the limit of {max_bytes:,} bytes", code="IN103")
    extracted = read_docx(load_docx(data, str(path)))
    if not extracted.text.strip():
        raise InputError(f"{path}: the Word document has no paragraph text", code="IN102")
    return extracted


def split_at(extracted: DocxText, offset: int) -> DocxText:
    """The document with a run boundary at `offset` (when the run there holds only text)."""
    for piece in extracted.pieces:
        if piece.start < offset < piece.end:
            if not _splittable(piece.run):
                return extracted
            _split_run(piece.run, offset - piece.start)
            return read_docx(extracted.document)
    return extracted


def runs_between(extracted: DocxText, start: int, end: int) -> list[Any]:
    """The runs whose text overlaps [start, end), in document order."""
    return [p.run for p in extracted.pieces if p.end > p.start and p.start < end and p.end > start]


def _split_run(run: Any, at: int) -> None:
    from docx.text.run import Run

    text = run.text
    copy = deepcopy(run._r)
    run._r.addnext(copy)
    run.text = text[:at]
    Run(copy, run._parent).text = text[at:]


def _splittable(run: Any) -> bool:
    return all(child.tag.rpartition("}")[2] in _SPLITTABLE for child in run._r)


def _paragraphs(container: Any) -> Iterator[Any]:
    """Paragraphs of a document or table cell in reading order, descending into tables."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for block in container.iter_inner_content():
        if isinstance(block, Paragraph):
            yield block
        elif isinstance(block, Table):
            seen: dict[int, Any] = {}
            for row in block.rows:
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell repeats across the grid
                        continue
                    seen[id(cell._tc)] = cell._tc
                    yield from _paragraphs(cell)


def _runs(paragraph: Any) -> Iterator[Any]:
    """The paragraph's runs, including those inside hyperlinks, in order."""
    from docx.text.hyperlink import Hyperlink

    for item in paragraph.iter_inner_content():
        if isinstance(item, Hyperlink):
            yield from item.runs
        else:
            yield item
