"""read_source / read_text: decoding, media types, and one clear error per bad input."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from claimaudit.errors import InputError
from claimaudit.ingest import normalize, read_source, read_text, sniff_media_type
from claimaudit.ingest.source import SourceDocument

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "inputs"


def _error(path: Path | str, **kwargs: int) -> InputError:
    with pytest.raises(InputError) as caught:
        read_source(path, **kwargs)
    return caught.value


# errors -----------------------------------------------------------------------------------
def test_read_source_missing_file_is_in105(tmp_path: Path) -> None:
    path = tmp_path / "missing.md"
    error = _error(path)
    assert error.code == "IN105"
    assert error.format_message() == f"IN105 {path}: no such file"
    assert error.exit_code == 2


def test_read_source_directory_is_in106(tmp_path: Path) -> None:
    error = _error(tmp_path)
    assert error.code == "IN106"
    assert error.message == f"{tmp_path}: a directory, expected a text file"


def test_read_source_png_fixture_is_binary_in101() -> None:
    path = FIXTURES / "tiny.png"
    error = _error(path)
    assert error.code == "IN101"
    assert error.message == f"{path}: binary file (PNG image), not text"


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF document"),
        (b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "ZIP archive (also .docx, .xlsx, .epub)"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
        (b"\x1f\x8b\x08\x00", "gzip archive"),
        (b"plain start\x00then a NUL byte", "contains NUL bytes"),
        (b"\x01\x02\x03\x04\x05\x06 mostly control bytes \x07\x0e\x0f\x10\x11", "control bytes"),
    ],
)
def test_read_source_binary_content_is_in101(tmp_path: Path, data: bytes, what: str) -> None:
    path = tmp_path / "page.md"
    path.write_bytes(data)
    error = _error(path)
    assert error.code == "IN101"
    assert error.message.startswith(f"{path}: binary file (")
    assert what in error.message


def test_read_source_empty_fixture_is_in102() -> None:
    path = FIXTURES / "empty.txt"
    error = _error(path)
    assert (error.code, error.message) == ("IN102", f"{path}: file is empty (0 bytes)")


def test_read_source_whitespace_fixture_is_in102() -> None:
    path = FIXTURES / "whitespace_only.md"
    error = _error(path)
    assert (error.code, error.message) == ("IN102", f"{path}: file contains only whitespace")


def test_read_source_oversize_is_in103_with_size_and_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 12_345)
    error = _error(path, max_bytes=10_000)
    assert error.code == "IN103"
    assert error.message == (
        f"{path}: file is 12,345 bytes, over the limit of 10,000 bytes (raise max_bytes to read it)"
    )
    assert read_source(path, max_bytes=12_345).text == "a" * 12_345


@pytest.mark.parametrize(
    "data",
    [
        b"caf\x81 \x8d \x8f \x90 \x9d undefined in Windows-1252",
        "\u041a\u0435\u0442\u0430\u043c\u0438\u043d \u043f\u043e\u043c\u043e\u0433\u0430\u0435\u0442".encode(
            "cp1251"
        ),
    ],
    ids=["undefined-cp1252-bytes", "cyrillic-cp1251-mojibake"],
)
def test_read_source_undecodable_is_in104(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(data)
    error = _error(path)
    assert error.code == "IN104"
    assert error.message.startswith(f"{path}: cannot decode text: not UTF-8 (byte 0x")
    assert error.message.endswith("save the file as UTF-8")


def test_read_source_permission_denied_is_in107(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "locked.md"
    path.write_text("text", encoding="utf-8")

    def deny(self: Path, *args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", deny)
    error = _error(path)
    assert (error.code, error.message) == ("IN107", f"{path}: permission denied")


def test_read_source_other_os_error_is_in109(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "flaky.md"
    path.write_text("text", encoding="utf-8")

    def fail(self: Path, *args: object, **kwargs: object) -> object:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(Path, "open", fail)
    error = _error(path)
    assert (error.code, error.message) == ("IN109", f"{path}: cannot read file: Input/output error")


def test_read_text_rejects_unknown_media_type_and_blank_text() -> None:
    with pytest.raises(InputError) as caught:
        read_text("x", path="snippet", media_type="application/pdf")
    assert caught.value.code == "IN108"
    assert caught.value.message.startswith("snippet: unsupported media type 'application/pdf'")
    with pytest.raises(InputError) as caught:
        read_text(" \n ", path="snippet")
    assert (caught.value.code, caught.value.message) == (
        "IN102",
        "snippet: text contains only whitespace",
    )


def test_normalize_rejects_unknown_media_type() -> None:
    with pytest.raises(InputError) as caught:
        normalize(SourceDocument("a.rtf", "text/rtf", "text"))
    assert caught.value.code == "IN108"
    assert caught.value.message.startswith("a.rtf: unsupported media type 'text/rtf'")


# decoding ---------------------------------------------------------------------------------
def test_read_source_windows_1252_fixture() -> None:
    source = read_source(FIXTURES / "windows1252.txt")
    assert source.encoding == "cp1252"
    assert source.media_type == "text/plain"
    assert source.text == (
        "Patients\u2019 \u201cfirst session\u201d costs \u20ac400 \u2014 caf\u00e9 consultations "
        "included.\nSecond line of the r\u00e9sum\u00e9.\n"
    )


def test_read_source_utf16_bom_fixture() -> None:
    source = read_source(FIXTURES / "utf16_bom.txt")
    assert source.encoding == "utf-16"
    assert source.text == (
        "Esketamine \u2014 approved for treatment-resistant depression.\n\n"
        "Second paragraph: \u00e9tude \u2264 5%.\n"
    )


@pytest.mark.parametrize(
    ("bom", "codec", "encoding"),
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    ],
)
def test_read_source_strips_byte_order_marks(
    tmp_path: Path, bom: bytes, codec: str, encoding: str
) -> None:
    path = tmp_path / "page.md"
    path.write_bytes(bom + "# Dosing \u2264 0.5 mg/kg\n".encode(codec))
    source = read_source(path)
    assert (source.text, source.encoding) == ("# Dosing \u2264 0.5 mg/kg\n", encoding)


def test_read_source_honours_html_meta_charset(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    body = '<html><head><meta charset="shift_jis"></head><body><p>\u30b1\u30bf\u30df\u30f3</p></body></html>'
    path.write_bytes(body.encode("shift_jis"))
    source = read_source(path)
    assert source.encoding == "shift_jis"
    assert "\u30b1\u30bf\u30df\u30f3" in source.text


def test_read_source_reads_latin1_label_as_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    path.write_bytes(
        b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"><p>\x93quoted\x94</p>'
    )
    source = read_source(path)
    assert source.encoding == "cp1252"
    assert "\u201cquoted\u201d" in source.text


def test_read_source_line_breaks_match_python_text_mode(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(b"one\r\ntwo\rthree\n")
    source = read_source(path)
    assert source.text == "one\ntwo\nthree\n"
    assert source.text == path.open(encoding="utf-8").read()


# media types ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("a.txt", "text/plain"),
        ("a.text", "text/plain"),
        ("a.md", "text/markdown"),
        ("a.MARKDOWN", "text/markdown"),
        ("a.html", "text/html"),
        ("a.HTM", "text/html"),
    ],
)
def test_read_source_media_type_from_extension(tmp_path: Path, name: str, media_type: str) -> None:
    path = tmp_path / name
    path.write_text("<!doctype html><p>Same content</p>", encoding="utf-8")
    assert read_source(path).media_type == media_type


@pytest.mark.parametrize(
    ("content", "media_type"),
    [
        ("<!DOCTYPE html>\n<html><body>x</body></html>", "text/html"),
        ("\n  <html lang='en'><p>x</p>", "text/html"),
        ("<!-- saved from url=(0014)about:internet -->\n<!doctype html><p>x", "text/html"),
        ("<article><h1>Saved fragment</h1>", "text/html"),
        ("<p class='lead'>Paragraph fragment</p>", "text/html"),
        ("Plain words about <html> tags.", "text/plain"),
        ("<pre>not a page start</pre>", "text/plain"),
        ("<https://autolink.example>", "text/plain"),
        ("# A heading\n\nText.", "text/plain"),
    ],
)
def test_unknown_extension_is_sniffed(tmp_path: Path, content: str, media_type: str) -> None:
    path = tmp_path / "page.php"
    path.write_text(content, encoding="utf-8")
    assert read_source(path).media_type == media_type
    assert sniff_media_type(content) == media_type


def test_read_text_keeps_text_exactly_and_sniffs() -> None:
    source = read_text("a\r\nb", path="<snippet>")
    assert (source.path, source.media_type, source.text) == ("<snippet>", "text/plain", "a\r\nb")
    assert read_text("<!doctype html><p>x</p>").media_type == "text/html"
    assert read_text("# T", media_type="text/markdown").media_type == "text/markdown"


def test_text_with_nul_characters_is_refused_as_the_same_bytes_are() -> None:
    """`read_text` (the API, `serve`) refuses NUL characters with IN101 as `decode` refuses the
    bytes (`check -`), instead of auditing a text whose words the NULs cut apart."""
    from claimaudit.ingest.read import decode, read_text

    text = "Ketamine\0 cures\0 depression in 100% of cases."
    with pytest.raises(InputError) as from_text:
        read_text(text, path="api.txt")
    with pytest.raises(InputError) as from_bytes:
        decode(text.encode(), "api.txt")
    assert from_text.value.code == from_bytes.value.code == "IN101"
    assert str(from_text.value).startswith("api.txt: binary data")
