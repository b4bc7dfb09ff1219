"""Reading documents: file checks, text decoding and media-type detection.

Error codes (all InputError, exit code 2; the message always starts with the path):

    IN101  binary file (NUL bytes, many control characters, or a known binary signature)
    IN102  empty file, or only whitespace
    IN103  file larger than max_bytes
    IN104  text that decodes as neither UTF-8, a declared charset, nor Windows-1252
    IN105  no such file
    IN106  not a regular file (a directory, device, ...)
    IN107  permission denied
    IN108  unsupported media type (read_text / normalize)
    IN109  any other operating-system error while reading

A `.docx` is read as its paragraph text (ingest.docx_runs), as `check` and `serve` read it.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from pathlib import Path

from claimaudit.errors import InputError
from claimaudit.ingest.source import SourceDocument

PLAIN, MARKDOWN, HTML = "text/plain", "text/markdown", "text/html"
MEDIA_TYPES = (PLAIN, MARKDOWN, HTML)
EXTENSIONS = {
    ".txt": PLAIN,
    ".text": PLAIN,
    ".md": MARKDOWN,
    ".markdown": MARKDOWN,
    ".html": HTML,
    ".htm": HTML,
}
DEFAULT_MAX_BYTES = 5_000_000

_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
_SIGNATURES = (
    (b"%PDF-", "PDF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"PK\x03\x04", "ZIP archive (also .docx, .xlsx, .epub)"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\x7fELF", "ELF executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Microsoft Office document (OLE2)"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"OggS", "Ogg media"),
    (b"\x00asm", "WebAssembly module"),
)
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\b\x1b")
_CONTROL_SHARE = 0.05  # more than this share of control bytes in the first 8 KiB: binary
_NON_ASCII_SHARE = 0.3  # Windows-1252 text with more non-ASCII letters than this is implausible
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-:.]+)", re.IGNORECASE)
_HTML_START = re.compile(
    r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|(?:html|head|body|article|main|section|div|p|"
    r"h[1-6]|header|nav|meta|title|table|ul|ol)[\s/>])",
    re.IGNORECASE | re.DOTALL,
)
_WEB_LATIN1 = {"latin-1", "iso8859-1", "ascii"}  # browsers read these labels as windows-1252


def read_source(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceDocument:
    """Read and decode a file; its media type comes from the extension, else its content.

    Line breaks are read like Python's text mode (\\r\\n and \\r become \\n), so offsets
    match `open(path, encoding=...).read()`. Raises InputError (IN101-IN109) naming the file.
    """
    name = display_name(path)
    if Path(path).suffix.lower() == ".docx":
        return SourceDocument(name, PLAIN, _docx_text(path, max_bytes), "docx")
    data = _read_bytes(Path(path), name, max_bytes)
    media_type = EXTENSIONS.get(Path(path).suffix.lower())
    text, encoding = decode(data, name, html_hint=media_type in (HTML, None))
    if not text.strip():
        raise InputError(f"{name}: file contains only whitespace", code="IN102")
    return SourceDocument(name, media_type or sniff_media_type(text), text, encoding)


def read_text(text: str, *, path: str = "<stdin>", media_type: str | None = None) -> SourceDocument:
    """Wrap text that is already decoded; sniff the media type when none is given.

    The text is kept exactly as given, so offsets index this very string.
    """
    if not text.isascii():
        _reject_surrogates(text, path)
    if "\0" in text:  # as `decode` refuses such bytes: binary data, not text
        raise InputError(f"{path}: binary data (contains NUL characters), not text", code="IN101")
    if media_type is None:
        media_type = sniff_media_type(text)
    elif media_type not in MEDIA_TYPES:
        raise InputError(
            f"{path}: unsupported media type {media_type!r} (expected one of: {', '.join(MEDIA_TYPES)})",
            code="IN108",
        )
    if not text.strip():
        what = "is empty" if not text else "contains only whitespace"
        raise InputError(f"{path}: text {what}", code="IN102")
    return SourceDocument(path, media_type, text, "utf-8")


def _docx_text(path: str | Path, max_bytes: int) -> str:
    """A Word file's paragraph text, as `check` and `serve` read it (offsets index this text)."""
    from claimaudit.ingest.docx_runs import read_docx_file  # python-docx only for .docx

    return read_docx_file(path, max_bytes=max_bytes).text


def read_bytes_text(data: bytes, *, path: str = "<stdin>", media_type: str | None = None) -> SourceDocument:
    """Decode bytes that did not come from a file (standard input) like a file's bytes."""
    text, _ = decode(data, path, html_hint=media_type in (HTML, None))
    return read_text(text, path=path, media_type=media_type)


def display_name(path: str | Path) -> str:
    """The path as printable text: bytes of a non-UTF-8 file name become U+FFFD."""
    name = str(path)
    if name.isascii():
        return name
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _reject_surrogates(text: str, path: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InputError(
            f"{path}: cannot decode text: lone surrogate U+{ord(text[error.start]):04X} at offset "
            f"{error.start} (not valid Unicode text)",
            code="IN104",
        ) from None


def sniff_media_type(text: str) -> str:
    """text/html when the text starts with a doctype or a common HTML element, else text/plain."""
    head = text[:4096].lstrip("\ufeff")
    return HTML if _HTML_START.match(head) else PLAIN


def decode(data: bytes, name: str, *, html_hint: bool = False) -> tuple[str, str]:
    """(text, encoding) of file bytes; raises InputError for binary or undecodable data.

    Line breaks come out as in Python's text mode (\r\n and \r become \n).
    """
    text, encoding = _decode(data, name, html_hint=html_hint)
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


def _decode(data: bytes, name: str, *, html_hint: bool) -> tuple[str, str]:
    if not data:
        raise InputError(f"{name}: file is empty (0 bytes)", code="IN102")
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            return _decode_bom(data[len(bom) :], codec, label, name)
    _reject_binary(data, name)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        utf8_error = error
    if html_hint:
        declared = _declared_charset(data)
        if declared is not None:
            try:
                return data.decode(declared), declared
            except UnicodeDecodeError:
                pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = ""
    if text and _plausible(text):
        return text, "cp1252"
    bad = data[utf8_error.start]
    raise InputError(
        f"{name}: cannot decode text: not UTF-8 (byte 0x{bad:02x} at offset {utf8_error.start}) "
        "and not plausible Windows-1252; save the file as UTF-8",
        code="IN104",
    )


def _read_bytes(path: Path, name: str, max_bytes: int) -> bytes:
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            os.scandir(path).close()  # PermissionError: a directory a walk could not list
            raise InputError(f"{name}: a directory, expected a text file", code="IN106")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{name}: not a regular file, expected a text file", code="IN106")
        if info.st_size > max_bytes:
            raise _too_large(name, info.st_size, max_bytes)
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file", code="IN105") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied", code="IN107") from None
    except IsADirectoryError:
        raise InputError(f"{name}: a directory, expected a text file", code="IN106") from None
    except OSError as error:
        raise InputError(
            f"{name}: cannot read file: {error.strerror or error}", code="IN109"
        ) from None
    if len(data) > max_bytes:
        raise _too_large(name, len(data), max_bytes, at_least=True)
    return data


def _too_large(name: str, size: int, limit: int, *, at_least: bool = False) -> InputError:
    more = "more than " if at_least else ""
    return InputError(
        f"{name}: file is {more}{size:,} bytes, over the limit of {limit:,} bytes "
        "(raise max_bytes to read it)",
        code="IN103",
    )


def _decode_bom(data: bytes, codec: str, label: str, name: str) -> tuple[str, str]:
    try:
        return data.decode(codec), label
    except UnicodeDecodeError as error:
        raise InputError(
            f"{name}: cannot decode text: starts with a {label.upper()} byte-order mark but "
            f"byte {error.start + 1} is invalid",
            code="IN104",
        ) from None


def _reject_binary(data: bytes, name: str) -> None:
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            raise InputError(f"{name}: binary file ({what}), not text", code="IN101")
    if b"\x00" in data:
        raise InputError(f"{name}: binary file (contains NUL bytes), not text", code="IN101")
    head = data[:8192]
    controls = sum(1 for byte in head if byte < 32 and byte not in _TEXT_CONTROLS)
    if controls > _CONTROL_SHARE * len(head):
        raise InputError(
            f"{name}: binary file ({controls} control bytes in the first {len(head)}), not text",
            code="IN101",
        )


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    if match is None:
        return None
    try:
        codec = codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    if codec in _WEB_LATIN1:
        return "cp1252"
    if codec.startswith(("utf-16", "utf-32")):
        return None  # without a byte-order mark this label is wrong (NUL bytes were rejected)
    return codec


def _plausible(text: str) -> bool:
    """Windows-1252 text is mostly ASCII with some accented letters and punctuation."""
    visible = [char for char in text if not char.isspace()]
    if not visible:
        return False
    non_ascii = sum(1 for char in visible if ord(char) > 127)
    return non_ascii <= _NON_ASCII_SHARE * len(visible)
