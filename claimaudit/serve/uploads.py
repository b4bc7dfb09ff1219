"""Drafts from requests: pick the format, check what an upload really is, decode it, read .docx.

Everything here is pure and works in memory: bytes in, a `Draft` (or a `RequestError`) out.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PureWindowsPath

from claimaudit.errors import InputError
from claimaudit.ingest.read import decode

# format name -> media type handed to the auditor
MEDIA_TYPES: dict[str, str] = {
    "markdown": "text/markdown",
    "html": "text/html",
    "text": "text/plain",
}
FORMAT_ALIASES: dict[str, str] = {
    "markdown": "markdown",
    "md": "markdown",
    "html": "html",
    "htm": "html",
    "text": "text",
    "txt": "text",
    "plain": "text",
}
# upload extension -> format ("docx" is extracted to plain text)
EXTENSIONS: dict[str, str] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
    ".docx": "docx",
}
ALLOWED_UPLOADS = ", ".join(EXTENSIONS)
PASTED_PATH = "<text>"

# leading bytes of formats that are certainly not text
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a zip archive"),
    (b"PK\x05\x06", "a zip archive"),
    (b"%PDF-", "a PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word/Office (OLE) file"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "an executable"),
)
_DOCX_MAIN_PART = "word/document.xml"
_DOCX_MAX_ENTRIES = 2_000
_HTML_START = re.compile(
    r"\A\s*(?:<!doctype\s+html|<html\b|<head\b|<body\b|<(?:p|div|h[1-6]|article|section|main|ul|ol|table|span)\b)",
    re.IGNORECASE,
)
_MARKDOWN_LINE = re.compile(
    r"^(?:#{1,6}\s|\s*[-*+]\s|\s*\d+\.\s|>\s)|\[[^\]\n]+\]\([^)\n]+\)", re.MULTILINE
)
_FILENAME_CHARS = re.compile(r"[\x00-\x1f\x7f]")


class RequestError(InputError):
    """Bad request input, with the HTTP status the API answers with."""

    def __init__(self, message: str, *, code: str, status: int = 400) -> None:
        super().__init__(message, code=code)
        self.status = status


@dataclass(frozen=True, slots=True)
class Draft:
    """A draft ready for the auditor: its text, how to read it, the name it is reported under."""

    text: str
    format: str  # markdown | html | text
    path: str

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]


def clean_filename(filename: str | None) -> str | None:
    """The file name alone (no folders, no control characters), or None when blank."""
    if not filename:
        return None
    name = PureWindowsPath(filename.replace("/", "\\")).name  # drops both kinds of folders
    name = _FILENAME_CHARS.sub("", name).strip()[:255]
    return name or None


def extension_of(filename: str) -> str:
    """Lower-case extension with its dot ('' when there is none)."""
    dot = filename.rfind(".")
    return filename[dot:].lower() if dot > 0 else ""


def parse_format(value: str | None) -> str | None:
    """A requested format ('markdown', 'md', 'html', 'text', ...) -> canonical name, or None."""
    if value is None or not value.strip() or value.strip().lower() == "auto":
        return None
    canonical = FORMAT_ALIASES.get(value.strip().lower())
    if canonical is None:
        raise RequestError(
            f"unknown format {value!r} (expected one of: markdown, html, text)", code="SV106"
        )
    return canonical


def guess_format(text: str) -> str:
    """HTML when the text starts like markup, Markdown when it has Markdown structure, else text."""
    if _HTML_START.match(text):
        return "html"
    if _MARKDOWN_LINE.search(text):
        return "markdown"
    return "text"


def draft_from_text(
    text: str,
    *,
    requested_format: str | None = None,
    filename: str | None = None,
    max_chars: int,
) -> Draft:
    """A pasted draft. The format is the requested one, else the file name's, else a guess."""
    if "\x00" in text:
        raise RequestError("the text contains NUL characters: it looks binary", code="SV104")
    if not text.strip():
        raise RequestError("the text is empty: paste or upload a draft to audit", code="SV101")
    if len(text) > max_chars:
        raise RequestError(
            f"the text is {len(text):,} characters; the limit is {max_chars:,}",
            code="SV113",
            status=413,
        )
    name = clean_filename(filename)
    fmt = parse_format(requested_format)
    if fmt is None and name is not None:
        by_extension = EXTENSIONS.get(extension_of(name))
        fmt = "text" if by_extension == "docx" else by_extension
    return Draft(text=text, format=fmt or guess_format(text), path=name or PASTED_PATH)


def draft_from_upload(
    data: bytes,
    filename: str | None,
    *,
    requested_format: str | None = None,
    max_chars: int,
    max_unpacked: int,
) -> Draft:
    """An uploaded file: check its extension against its content, then decode or extract it."""
    name = clean_filename(filename)
    if name is None:
        raise RequestError(
            "the upload has no file name; name it with one of: " + ALLOWED_UPLOADS, code="SV102"
        )
    kind = EXTENSIONS.get(extension_of(name))
    if kind is None:
        shown = extension_of(name) or "(no extension)"
        raise RequestError(
            f"{name}: unsupported file type {shown}; upload one of: {ALLOWED_UPLOADS}", code="SV102"
        )
    if not data:
        raise RequestError(f"{name}: the file is empty", code="SV101")
    if kind == "docx":
        text = extract_docx(data, name=name, max_unpacked=max_unpacked)
        return draft_from_text(text, requested_format="text", filename=name, max_chars=max_chars)
    # decoded exactly as `claimaudit check` reads a file, so offsets agree with its JSON
    text, _encoding = decode(data, name, html_hint=kind == "html")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    fmt = parse_format(requested_format) or kind
    return draft_from_text(text, requested_format=fmt, filename=name, max_chars=max_chars)


def sniff_binary(data: bytes) -> str | None:
    """What a non-text upload really is ("a zip archive", ...), or None when it may be text."""
    for magic, label in _MAGIC:
        if data.startswith(magic):
            return label
    return None


def extract_docx(data: bytes, *, name: str, max_unpacked: int) -> str:
    """Paragraph text of a .docx, one paragraph (heading, list item, table cell) per line.

    The zip is checked first (it must hold word/document.xml, and its declared unpacked size
    is bounded) so that a crafted archive cannot exhaust memory.
    """
    _check_docx_archive(data, name=name, max_unpacked=max_unpacked)
    import docx  # python-docx: imported only when a .docx arrives

    try:
        document = docx.Document(io.BytesIO(data))
        lines = list(_docx_lines(document))
    except Exception as exc:  # noqa: BLE001 -- python-docx raises many kinds of errors for damaged parts
        raise RequestError(
            f"{name}: the Word document could not be read ({exc})", code="SV107"
        ) from None
    text = "\n".join(line for line in lines if line.strip())
    if not text.strip():
        raise RequestError(f"{name}: the Word document has no paragraph text", code="SV101")
    return text


def _check_docx_archive(data: bytes, *, name: str, max_unpacked: int) -> None:
    if not data.startswith(b"PK\x03\x04"):
        looks_like = sniff_binary(data) or "not a zip archive"
        raise RequestError(
            f"{name}: not a Word .docx file (the content is {looks_like})", code="SV103"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise RequestError(f"{name}: damaged .docx archive ({exc})", code="SV107") from None
    if _DOCX_MAIN_PART not in {entry.filename for entry in entries}:
        raise RequestError(
            f"{name}: a zip archive without {_DOCX_MAIN_PART}, so not a Word .docx file",
            code="SV103",
        )
    unpacked = sum(entry.file_size for entry in entries)
    if len(entries) > _DOCX_MAX_ENTRIES or unpacked > max_unpacked:
        raise RequestError(
            f"{name}: the .docx unpacks to {unpacked:,} bytes in {len(entries):,} parts; "
            f"the limit is {max_unpacked:,} bytes",
            code="SV108",
            status=413,
        )


def _docx_lines(container: object) -> list[str]:
    """Lines of a document, table cell or nested table, in reading order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    for block in container.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(block, Paragraph):
            lines.extend(block.text.split("\n"))
        elif isinstance(block, Table):
            seen: dict[int, object] = {}  # holds the elements so their ids stay unique
            for row in block.rows:
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell repeats across the grid
                        continue
                    seen[id(cell._tc)] = cell._tc
                    lines.extend(_docx_lines(cell))
    return lines
