"""Property-based fuzzing of every entry point: `check`, the Python API, `serve`, the KB loader.

Invariants: no traceback (only SystemExit leaves the CLI); exit 0 = no finding at or above
--fail-on and no error, 1 = such a finding and no error, 2 = a document could not be read
(its coded error is in the report); every finding's span lies inside the document and
matches its text (exactly where the span holds no markup or line break); `serve` answers
200 or a JSON error (never 500); the loader returns a knowledge base or raises
KnowledgeBaseError. Each property runs twice: quickly in the default run, long under
`pytest -m fuzz` (see conftest.py for the counts).
"""

from __future__ import annotations

import html
import json
import unicodedata
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import LONG, QUICK, RUNS
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from claimaudit.cli import main
from claimaudit.errors import InputError, KnowledgeBaseError
from claimaudit.ingest.read import read_source

with warnings.catch_warnings():
    from starlette.exceptions import StarletteDeprecationWarning

    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}
MARKUP = set("<>&*_`[]\\!#|~=+-:()\n\r\t")

# ---------------------------------------------------------------- strategies

WORDS = st.sampled_from([
    "Ketamine", "ketamine", "esketamine", "psilocybin", "is", "proven", "safe", "cures", "depression",
    "anxiety", "PTSD", "FDA-approved", "approved", "100%", "85%", "of patients", "within minutes",
    "no side effects", "not addictive", "studies show", "(Smith et al., 2018)", "[1]", "[12]",
    "rewires the brain", "permanently", "may", "might help", "randomized trial", "n=12", "in 2020",
    "https://pubmed.ncbi.nlm.nih.gov/28441895/", "doi:10.1000/x", "mg/kg", "0.5", "3 sessions",
    "\u200b", "\u200e", "\u200f", "\u202e", "\u2066", "\ufeff", "\u00a0", "\x00", "\u0301", "🙂",
    "<!-- claimaudit-disable-next-line SAFE001 -- quoted -->", "<!-- claimaudit-disabel-next-line SAFE -->",
    "<!-- claimaudit-disable-file -->", "<!-- claimaudit-enable -->", ".", ",", ";", "!", "?",
])
ODD_CHARS = st.characters(exclude_categories=())  # every code point, surrogates included
PHRASE = st.lists(st.one_of(WORDS, st.text(ODD_CHARS, max_size=6)), max_size=14).map(" ".join)
EXTENSIONS = st.sampled_from([".md", ".txt", ".html", ".htm", ".markdown", "", ".docx", ".MD", ".pdf"])


def _md_block(draw: Callable[..., Any]) -> str:
    kind = draw(st.sampled_from(["p", "h", "ul", "ol", "quote", "code", "table", "link", "html", "front", "hr", "ref"]))
    text = draw(PHRASE)
    return {
        "p": text, "h": "#" * draw(st.integers(1, 7)) + " " + text, "ul": f"- {text}\n  - {text}",
        "ol": f"1. {text}\n2) {text}", "quote": f"> {text}\n>> {text}", "code": f"```\n{text}\n```",
        "table": f"| a | {text} |\n|---|---|\n| {text} | b |", "link": f"[{text}](http://x.org/{text[:5]}) ![i]({text[:3]})",
        "html": f"<div><p>{text}</p>", "front": f"---\ntitle: {text}\nreviewed: 2020-01-01\n---",
        "hr": "***", "ref": f"## References\n1. {text}",
    }[kind]


@st.composite
def markdown_documents(draw: Callable[..., Any]) -> str:
    blocks = draw(st.lists(st.builds(lambda: None), min_size=1, max_size=8))
    separators = st.sampled_from(["\n\n", "\n", "\r\n", "\n\n\n", " "])
    return "".join(_md_block(draw) + draw(separators) for _ in blocks)


TAGS = ["p", "div", "span", "a", "b", "i", "em", "strong", "li", "ul", "ol", "h1", "h2", "h3", "table", "tr", "td",
        "script", "style", "noscript", "template", "svg", "math", "pre", "code", "blockquote", "br", "img", "meta",
        "title", "head", "body", "html", "article", "main", "nav", "footer", "sup", "iframe", "textarea"]


@st.composite
def html_documents(draw: Callable[..., Any], depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 5))):
        choice = draw(st.integers(0, 9))
        if choice <= 3:
            parts.append(draw(PHRASE))
        elif choice <= 6 and depth < 4:
            tag = draw(st.sampled_from(TAGS))
            attrs = draw(st.sampled_from(["", ' class="x"', ' href="https://pubmed.ncbi.nlm.nih.gov/1/"', " hidden",
                                          ' style="display:none"', ' lang="ar" dir="rtl"', " a=", ' x="<>"']))
            inner = draw(html_documents(depth + 1))
            close = draw(st.sampled_from([f"</{tag}>", "", f"</{tag}", "</x>"]))
            parts.append(f"<{tag}{attrs}>{inner}{close}")
        else:
            parts.append(draw(st.sampled_from([
                "<!-- c -->", "<!--", "<![CDATA[", "]]>", "<!DOCTYPE html>", "&amp;", "&#233;", "&#x1F642;", "&bogus;",
                "&#0;", "&#xD800;", "<?xml version='1.0'?>", "</", "<", ">", "<meta charset='utf-16'>",
            ])))
    return "".join(parts)


FILE_NAMES = st.text(st.characters(exclude_characters="/\x00", exclude_categories=("Cs",)), min_size=1, max_size=40)

# ---------------------------------------------------------------- invariants


def _run_cli(*args: str, stdin: bytes | None = None) -> Any:
    result = CliRunner().invoke(main, ["check", "--no-config", *args], input=stdin)
    exception = result.exception
    assert exception is None or isinstance(exception, SystemExit), repr(exception)
    assert "Traceback" not in result.output
    return result


def _check_report(result: Any, sources: dict[str, str | None]) -> None:
    """The JSON report is consistent with the exit code, and spans match their documents."""
    assert result.exit_code in (0, 1, 2), result.output
    report = json.loads(result.stdout)
    documents = report["documents"]
    errors = [d for d in documents if d["error"]]
    failing = any(SEVERITY_RANK[f["severity"]] >= SEVERITY_RANK["warning"] for d in documents for f in d["findings"])
    expected = 2 if errors else (1 if failing else 0)
    assert result.exit_code == expected, (result.exit_code, expected)
    for document in errors:
        code = document["error"]["code"]
        assert code[:2] in ("IN", "CF", "US") and document["error"]["message"].startswith(code)
        assert not document["findings"]
    for document in documents:
        if document["error"]:
            continue
        source = sources.get(document["path"])
        if source is None:
            continue
        for finding in document["findings"]:
            _check_span(finding, source)


def _check_span(finding: dict[str, Any], source: str) -> None:
    start, end = finding["start"], finding["end"]
    assert 0 <= start <= end <= len(source), (start, end, len(source))
    if finding["omits"] is not None:  # a page-level finding: no span text
        return
    piece = source[start:end]
    assert piece.strip(), finding
    # The text is the claim as normalized: invisible characters dropped, spacing collapsed,
    # Latin ligatures and fullwidth ASCII read as their letters.
    text, seen = _squash(finding["text"]), _squash(_as_read(piece))
    if text == seen:
        return
    assert set(piece) & MARKUP, (finding["text"], piece)  # without markup the text is the source
    # markup or line breaks inside: the same characters, once markup is set aside; a character
    # reference (&#x1F642;) counts as its character
    allowed = set(seen) | set(_as_read(html.unescape(seen))) | set(" &;'\"-\u2019\u201c\u201d.…")
    assert set(text) <= allowed, (finding["text"], piece)


def _squash(text: str) -> str:
    return " ".join(text.translate(_DROP).split())


def _as_read(text: str) -> str:
    """Ligatures (U+FB00-FB06) and fullwidth ASCII (U+FF01-FF5E) as their NFKC letters, as the
    readers hand the text on."""
    return "".join(
        unicodedata.normalize("NFKC", char) if "\ufb00" <= char <= "\ufb06" or "\uff01" <= char <= "\uff5e" else char
        for char in text
    )


_DROP = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"))  # ingest.builder._INVISIBLE


def _audit_file(name: str, data: bytes, *extra: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        try:
            path.write_bytes(data)
        except OSError:
            assume(False)  # the file system refuses the name (too long, ...)
        result = _run_cli(str(path), "--format", "json", *extra)
        try:
            sources: dict[str, str | None] = {str(path): read_source(path).text}
        except InputError:
            sources = {}
        _check_report(result, sources)


FUZZ = settings(deadline=None, suppress_health_check=list(HealthCheck), database=None)


def _quick_and_long(name: str, strategy: Any, body: Callable[..., None]) -> tuple[Any, Any]:
    def run(cli_auditor: Any, value: Any) -> None:
        RUNS[name] += 1
        body(value)

    quick = settings(FUZZ, max_examples=QUICK)(given(value=strategy)(run))
    long = pytest.mark.fuzz(settings(FUZZ, max_examples=LONG)(given(value=strategy)(run)))
    return quick, long


# ---------------------------------------------------------------- properties


def _bytes_property(value: tuple[bytes, str]) -> None:
    data, extension = value
    _audit_file("page" + extension, data)


def _unicode_stdin_property(text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")  # lone surrogates stay invalid UTF-8 bytes
    result = _run_cli("-", "--format", "json", stdin=data)
    assert result.exit_code in (0, 1, 2)
    report = json.loads(result.stdout)
    (document,) = report["documents"]
    if not document["error"]:
        from claimaudit.ingest.read import read_bytes_text

        _check_report(result, {"<stdin>": read_bytes_text(data).text})


def _unicode_api_property(text: str) -> None:
    from claimaudit import audit_text

    auditor = _API_AUDITOR[0]
    try:
        document = audit_text(text, auditor=auditor)
    except InputError as error:
        assert error.code in ("IN101", "IN102", "IN104", "IN108")
        return
    assert document.ok or (document.error_code or "").startswith("IN")
    for finding in document.findings:
        _check_span({"start": finding.start, "end": finding.end, "text": finding.text, "omits": finding.omits}, text)


def _structure_property(value: tuple[str, str]) -> None:
    text, extension = value
    _audit_file("page" + extension, text.encode("utf-8", "surrogatepass"))


def _file_name_property(value: tuple[str, str]) -> None:
    name, extension = value
    assume(name not in (".", ".."))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / (name + extension)
        try:
            path.write_text("Ketamine is proven safe.\n", encoding="utf-8")
        except (OSError, ValueError):
            assume(False)
        result = _run_cli(folder, str(path), "--format", "json")
        _check_report(result, {})
        for output_format in ("text", "sarif", "csv", "junit", "github", "markdown", "html"):
            _run_cli(str(path), "--format", output_format)


def _nested(leaves: Any, keys: Any, depth: int = 3) -> Any:
    """Leaves, and lists/mappings of them nested up to `depth` levels (explicit, no recursion)."""
    levels = [leaves]
    for _ in range(depth):
        below = st.one_of(*levels)
        levels.append(st.lists(below, max_size=4) | st.dictionaries(keys, below, max_size=4))
    return st.one_of(*levels)


JSON_VALUES = _nested(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(ODD_CHARS, max_size=20) | PHRASE,
    st.text(max_size=8),
)
JSON_BODIES = st.one_of(
    st.fixed_dictionaries(
        {"text": st.one_of(PHRASE, markdown_documents(), html_documents(), JSON_VALUES)},
        optional={"format": st.one_of(st.sampled_from(["markdown", "html", "text", "md", "docx", ""]), JSON_VALUES),
                  "filename": st.one_of(FILE_NAMES, JSON_VALUES), "extra": JSON_VALUES},
    ).map(json.dumps),
    JSON_VALUES.map(json.dumps),
    st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
)


def _serve_property(body: str) -> None:
    client = _CLIENT[0]
    path = ["/api/audit", "/api/extract", "/api/report.html"][RUNS["serve"] % 3]
    response = client.post(path, content=body.encode("utf-8", "surrogatepass"),
                           headers={"content-type": "application/json"})
    assert response.status_code in (200, 400, 413, 415), (response.status_code, response.text)
    if response.status_code != 200:
        error = response.json()["error"]
        assert set(error) == {"code", "message"} and error["code"][:2] in ("SV", "IN")
        return
    if path == "/api/audit":
        payload = json.loads(body)
        report = response.json()
        (document,) = report["documents"]
        extracted = client.post("/api/extract", content=body.encode("utf-8"),
                                headers={"content-type": "application/json"}).json()
        assert extracted["text"] == payload["text"]
        for finding in document["findings"]:
            _check_span(finding, extracted["text"])


YAML_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=15),
                         st.dates().map(str), st.sampled_from(["drugx", "cond", "s1", "approved", "rct", "2026-11-22"]))
YAML_DATA = _nested(
    YAML_SCALARS,
    st.sampled_from(["id", "name", "sources", "url", "checked", "substance", "indication", "aliases", "studies",
                     "grade", "parent", "status", "regulator", "x"]) | st.text(max_size=5),
)
YAML_TEXT = st.one_of(
    YAML_DATA.map(lambda data: __import__("yaml").safe_dump(data, allow_unicode=True)),
    st.lists(st.sampled_from(["- ", "&a ", "*a ", "id: ", "x", ": ", "[", "]", "{", "}", "\n", "  ", "!!python/object ",
                              "!!binary ", "'", '"', "? ", "|\n", ">-\n", "---\n", "...\n", "%YAML 1.1\n", "<<: *a\n",
                              "\t", "#", "\ufeff", "\x00", "2026-02-30"]), max_size=30).map("".join),
    st.text(ODD_CHARS, max_size=60),
)
KB_FOLDERS = st.sampled_from(["substances", "indications", "regulators", "approvals", "assessments", "studies",
                              "mechanisms", "adverse_effects", "contraindications", "onset_durability",
                              "source_kinds", "other"])


def _yaml_property(value: tuple[str, str, bool]) -> None:
    from claimaudit.knowledge_base.load import load_knowledge_base

    text, folder_name, as_pack = value
    with tempfile.TemporaryDirectory() as folder:
        pack = Path(folder)
        if as_pack:
            (pack / "pack.yaml").write_bytes(text.encode("utf-8", "surrogatepass"))
        else:
            (pack / "pack.yaml").write_text("id: fuzz\nname: Fuzz\nversion: '1'\n", encoding="utf-8")
            (pack / folder_name).mkdir()
            (pack / folder_name / "entry.yaml").write_bytes(text.encode("utf-8", "surrogatepass"))
        try:
            load_knowledge_base([pack], bundled=False, cache=False)
        except KnowledgeBaseError as error:
            message = error.format_message()
            assert message[:2] == "KB" and "Traceback" not in message


_API_AUDITOR: list[Any] = []
_CLIENT: list[Any] = []


@pytest.fixture(autouse=True)
def _api_auditor(shared_auditor: Any) -> None:
    _API_AUDITOR[:] = [shared_auditor]


@pytest.fixture(scope="module")
def _serve_client(auditor: Any) -> Any:
    from claimaudit.serve import create_app

    with TestClient(create_app(auditor_factory=lambda: auditor, max_bytes=20_000)) as client:
        _CLIENT[:] = [client]
        yield client


test_check_random_bytes, test_check_random_bytes_long = _quick_and_long(
    "bytes", st.tuples(st.binary(max_size=1500), EXTENSIONS), _bytes_property)
test_check_unicode_stdin, test_check_unicode_stdin_long = _quick_and_long(
    "unicode-stdin", st.one_of(PHRASE, st.text(ODD_CHARS, max_size=300)), _unicode_stdin_property)
test_api_unicode, test_api_unicode_long = _quick_and_long(
    "unicode-api", st.one_of(PHRASE, st.text(ODD_CHARS, max_size=300)), _unicode_api_property)
test_check_structure, test_check_structure_long = _quick_and_long(
    "structure", st.one_of(st.tuples(markdown_documents(), st.sampled_from([".md", ".txt", ""])),
                           st.tuples(html_documents(), st.sampled_from([".html", ".htm", ""]))), _structure_property)
test_check_file_names, test_check_file_names_long = _quick_and_long(
    "file-names", st.tuples(FILE_NAMES, EXTENSIONS), _file_name_property)
test_serve_json, test_serve_json_long = _quick_and_long("serve", JSON_BODIES, _serve_property)
test_kb_yaml, test_kb_yaml_long = _quick_and_long(
    "kb-yaml", st.tuples(YAML_TEXT, KB_FOLDERS, st.booleans()), _yaml_property)

for _test in (test_serve_json, test_serve_json_long):
    pytest.mark.usefixtures("_serve_client")(_test)


@pytest.mark.parametrize(
    "text",
    [
        "Ketamine has no side e\ufb00ects. <!-- a note --> It is \ufb01ne.",
        "Ketamine is ＦＤＡ-approved for anxiety and has no side effects.",
    ],
)
def test_spans_hold_when_ligatures_and_fullwidth_letters_are_read_as_letters(cli_auditor: Any, text: str) -> None:
    """A finding's text reads "ﬀ" as "ff" and "Ｆ" as "F" while its span stays on the source
    (a case the long unicode run found: the oracle now reads the source as the readers do)."""
    from claimaudit import audit_text

    assert audit_text(text, auditor=_API_AUDITOR[0]).findings
    _unicode_api_property(text)
