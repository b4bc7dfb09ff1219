"""The JSON API of `claimaudit serve`, over a fake auditor (the web layer, not the judging)."""

from __future__ import annotations

import asyncio
import io
import json
import threading
import zipfile
from collections.abc import Callable
from importlib import resources

import pytest
from serve_fakes import FakeAuditor, TestClient, build_docx
from starlette.applications import Starlette
from starlette.requests import Request

from claimaudit.reporters.json_report import render_json
from claimaudit.serve.app import CONTENT_SECURITY_POLICY, Limits, read_body
from claimaudit.serve.uploads import RequestError

DRAFT = (
    "Ketamine therapy\n"
    "Ketamine is FDA-approved for anxiety and proven safe.\n"
    "It has been shown to work rapidly and effectively for anxiety.\n"
)


def expected_json(text: str, path: str, media_type: str) -> str:
    """The fake auditor's report after `check`'s post-processing, as `--format json` prints it."""
    from pathlib import Path

    from claimaudit.ingest.source import SourceDocument
    from claimaudit.gate.accept import accept_findings
    from claimaudit.serve.service import _known_codes
    from claimaudit.settings import Settings

    probe = FakeAuditor()
    source = SourceDocument(path, media_type, text)
    document, _ = accept_findings(probe.audit_source(source), Settings(), _known_codes(probe), Path.cwd())
    return render_json(probe.result([document]))


def error_of(response: object) -> dict[str, str]:
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message"}
    return body["error"]  # type: ignore[no-any-return]


# --- /api/audit with JSON -----------------------------------------------------------------


def test_audit_json_returns_the_cli_json_for_one_document(
    client: TestClient, fake_auditor: FakeAuditor
) -> None:
    response = client.post("/api/audit", json={"text": DRAFT, "format": "text"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.text == expected_json(DRAFT, "<text>", "text/plain")
    report = response.json()
    assert list(report) == ["schema_version", "tool", "knowledge_base", "summary", "documents"]
    assert len(report["documents"]) == 1
    assert all(f["fingerprint"] for f in report["documents"][0]["findings"])


def test_audit_applies_inline_suppressions_like_check(client: TestClient) -> None:
    text = (
        "<!-- claimaudit-disable-next-line SAFE001 -- reviewed by the medical editor -->\n"
        "Ketamine is proven safe.\n"
        "Esketamine is proven safe.\n"
    )
    document = client.post("/api/audit", json={"text": text, "format": "markdown"}).json()[
        "documents"
    ][0]
    safe = [f for f in document["findings"] if f["code"] == "SAFE001"]
    assert [f["line"] for f in safe] == [3]
    assert document["suppressed"] == 1


def test_audit_applies_the_configured_selection(
    make_app: Callable[..., Starlette], fake_auditor: FakeAuditor
) -> None:
    from claimaudit.findings.model import Severity
    from claimaudit.settings import Settings

    settings = Settings(ignore=("DUR",), severity=(("EVI001", Severity.ERROR),))
    with TestClient(make_app(settings=settings)) as client:
        findings = client.post("/api/audit", json={"text": DRAFT}).json()["documents"][0][
            "findings"
        ]
    codes = {f["code"]: f["severity"] for f in findings}
    assert "DUR001" not in codes
    assert codes["EVI001"] == "error"
    assert fake_auditor.audits == 1


def test_audit_offsets_index_the_sent_text(client: TestClient) -> None:
    report = client.post("/api/audit", json={"text": DRAFT}).json()
    findings = report["documents"][0]["findings"]
    spans = [f for f in findings if not f["omits"]]
    assert {f["code"] for f in spans} >= {"REG001", "SAFE001", "EVI001", "DUR001"}
    for finding in spans:
        assert DRAFT[finding["start"] : finding["end"]] == finding["text"]


@pytest.mark.parametrize(
    ("payload", "media_type", "path"),
    [
        ({"text": "# Title\n\nIt is proven safe."}, "text/markdown", "<text>"),
        ({"text": "<p>It is proven safe.</p>"}, "text/html", "<text>"),
        ({"text": "It is proven safe."}, "text/plain", "<text>"),
        ({"text": "It is proven safe.", "format": "md"}, "text/markdown", "<text>"),
        ({"text": "It is proven safe.", "filename": "page.html"}, "text/html", "page.html"),
        (
            {"text": "It is proven safe.", "filename": "../../etc/draft.md"},
            "text/markdown",
            "draft.md",
        ),
        ({"text": "It is proven safe.", "filename": "notes.docx"}, "text/plain", "notes.docx"),
    ],
)
def test_audit_format_comes_from_request_filename_or_content(
    client: TestClient,
    fake_auditor: FakeAuditor,
    payload: dict[str, str],
    media_type: str,
    path: str,
) -> None:
    document = client.post("/api/audit", json=payload).json()["documents"][0]
    assert (document["media_type"], document["path"]) == (media_type, path)
    assert (fake_auditor.sources[-1].media_type, fake_auditor.sources[-1].path) == (
        media_type,
        path,
    )


@pytest.mark.parametrize(
    ("body", "code", "fragment"),
    [
        ({"text": "   \n "}, "SV101", "empty"),
        ({"format": "text"}, "SV101", 'missing field "text"'),
        ({"text": 42}, "SV106", "'text' must be a string"),
        ({"text": "x", "colour": "red"}, "SV106", "unknown field(s) colour"),
        ({"text": "x", "format": "pdf"}, "SV106", "unknown format 'pdf'"),
        ({"text": "a\x00b"}, "SV104", "NUL"),
        (["text"], "SV106", "must be an object"),
    ],
)
def test_audit_bad_json_input_is_a_400_naming_the_problem(
    client: TestClient, body: object, code: str, fragment: str
) -> None:
    response = client.post("/api/audit", json=body)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == code
    assert fragment in error["message"]


def test_audit_invalid_json_is_a_400(client: TestClient) -> None:
    response = client.post(
        "/api/audit", content=b'{"text": ', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "SV106"
    assert "not valid JSON" in error_of(response)["message"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
def test_audit_wrong_content_type_is_415(client: TestClient, content_type: str) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post("/api/audit", content=b"text=proven+safe", headers=headers)
    assert response.status_code == 415
    assert error_of(response)["code"] == "SV115"


def test_audit_document_error_from_the_auditor_is_a_400(client: TestClient) -> None:
    response = client.post("/api/audit", json={"text": "FAKE_INPUT_ERROR here"})
    assert response.status_code == 400
    assert error_of(response) == {"code": "IN104", "message": "the fake reader refused this text"}


def test_audit_crash_is_a_json_500_and_the_server_keeps_serving(client: TestClient) -> None:
    crashed = client.post("/api/audit", json={"text": "FAKE_CRASH"})
    assert crashed.status_code == 500
    assert error_of(crashed)["code"] == "SV500"
    assert "fake auditor crashed" in error_of(crashed)["message"]
    assert client.post("/api/audit", json={"text": "proven safe"}).status_code == 200


# --- size limits ----------------------------------------------------------------------------


def test_audit_oversize_json_is_413(client: TestClient, fake_auditor: FakeAuditor) -> None:
    response = client.post("/api/audit", json={"text": "proven safe. " * 5_000})
    assert response.status_code == 413
    assert error_of(response)["code"] == "SV113"
    assert "50,000" in error_of(response)["message"]
    assert fake_auditor.audits == 0


def test_audit_oversize_upload_is_413(client: TestClient) -> None:
    files = {"file": ("big.txt", b"proven safe. " * 5_000, "text/plain")}
    response = client.post("/api/audit", files=files)
    assert response.status_code == 413


def test_audit_oversize_chunked_body_without_length_is_413(client: TestClient) -> None:
    def chunks() -> object:
        for _ in range(20):
            yield b"x" * 10_000

    response = client.post(
        "/api/audit", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413


def test_read_body_stops_reading_once_over_the_limit() -> None:
    """The limit is enforced while streaming: the rest of an endless body is never read."""
    received = 0

    async def receive() -> dict[str, object]:
        nonlocal received
        received += 1
        return {"type": "http.request", "body": b"y" * 1_000, "more_body": True}

    scope = {"type": "http", "method": "POST", "headers": [(b"content-type", b"application/json")]}
    request = Request(scope, receive)
    with pytest.raises(RequestError) as caught:
        asyncio.run(read_body(request, 10_500))
    assert caught.value.status == 413
    assert received == 11


def test_declared_length_over_the_limit_is_refused_before_reading() -> None:
    async def receive() -> dict[str, object]:
        raise AssertionError("the body must not be read")

    scope = {
        "type": "http",
        "method": "POST",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"9999999")],
    }
    with pytest.raises(RequestError) as caught:
        asyncio.run(read_body(Request(scope, receive), 2_000_000))
    assert caught.value.status == 413
    assert "9,999,999" in caught.value.message


def test_limits_scale_with_max_bytes() -> None:
    assert Limits(3_000_000).max_chars == 3_000_000
    assert Limits(3_000_000).max_unpacked == 60_000_000
    assert Limits(50_000).max_unpacked == 5_000_000


# --- uploads ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "media_type"),
    [
        ("draft.md", b"# Ketamine\n\nKetamine is proven safe.\n", "text/markdown"),
        ("page.html", b"<html><body><p>Ketamine is proven safe.</p></body></html>", "text/html"),
        ("page.htm", b"<p>Ketamine is proven safe.</p>", "text/html"),
        ("notes.txt", "Ketamine \u2014 proven safe.\n".encode(), "text/plain"),
        ("bom.txt", b"\xef\xbb\xbfKetamine is proven safe.", "text/plain"),
        ("utf16.txt", "Ketamine is proven safe.".encode("utf-16"), "text/plain"),
    ],
)
def test_upload_text_files_are_audited_as_their_format(
    client: TestClient, fake_auditor: FakeAuditor, name: str, data: bytes, media_type: str
) -> None:
    response = client.post("/api/audit", files={"file": (name, data, "application/octet-stream")})
    assert response.status_code == 200, response.text
    document = response.json()["documents"][0]
    assert (document["path"], document["media_type"]) == (name, media_type)
    text = fake_auditor.sources[-1].text
    assert "\ufeff" not in text
    [safe] = [f for f in document["findings"] if f["code"] == "SAFE001"]
    assert text[safe["start"] : safe["end"]] == "proven safe"


def test_upload_text_is_decoded_like_the_cli_reads_files(
    client: TestClient, fake_auditor: FakeAuditor
) -> None:
    data = "Caf\u00e9 notes\r\nKetamine is proven safe.\r\n".encode("cp1252")
    response = client.post("/api/audit", files={"file": ("notes.txt", data)})
    assert response.status_code == 200, response.text
    text = fake_auditor.sources[-1].text
    assert text == "Caf\u00e9 notes\nKetamine is proven safe.\n"
    [safe] = [f for f in response.json()["documents"][0]["findings"] if f["code"] == "SAFE001"]
    assert (safe["line"], safe["column"]) == (2, 13)


def test_upload_docx_is_audited_as_its_paragraph_text(
    client: TestClient, fake_auditor: FakeAuditor
) -> None:
    data = build_docx(
        [
            ("heading", "Ketamine for anxiety"),
            ("para", "Ketamine is FDA-approved and proven safe."),
            ("para", ""),
            ("para", "Relief comes within minutes."),
        ],
        table=[["Claim", "Status"], ["rewires the brain", "unproven"]],
    )
    response = client.post(
        "/api/audit", files={"file": ("draft.docx", data, "application/octet-stream")}
    )
    assert response.status_code == 200, response.text
    document = response.json()["documents"][0]
    assert (document["path"], document["media_type"]) == ("draft.docx", "text/plain")
    text = fake_auditor.sources[-1].text
    assert text.split("\n") == [
        "Ketamine for anxiety",
        "Ketamine is FDA-approved and proven safe.",
        "Relief comes within minutes.",
        "Claim",
        "Status",
        "rewires the brain",
        "unproven",
    ]
    codes = {f["code"] for f in document["findings"]}
    assert {"REG001", "SAFE001", "DUR001", "MECH001"} <= codes
    for finding in document["findings"]:
        assert text[finding["start"] : finding["end"]] == finding["text"]


def test_extract_returns_the_text_an_upload_is_audited_as(
    client: TestClient, fake_auditor: FakeAuditor
) -> None:
    data = build_docx([("heading", "Title"), ("para", "Ketamine is proven safe.")])
    extracted = client.post("/api/extract", files={"file": ("d.docx", data)}).json()
    assert extracted == {
        "text": "Title\nKetamine is proven safe.",
        "format": "text",
        "media_type": "text/plain",
        "path": "d.docx",
    }
    assert fake_auditor.audits == 0
    client.post("/api/audit", files={"file": ("d.docx", data)})
    assert fake_auditor.sources[-1].text == extracted["text"]


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "status", "code", "fragment"),
    [
        ("report.pdf", b"%PDF-1.7 ...", 400, "SV102", "unsupported file type .pdf"),
        ("noextension", b"proven safe", 400, "SV102", "(no extension)"),
        ("draft.txt", _zip({"a.txt": b"hello"}), 400, "IN101", "binary file (ZIP archive"),
        ("draft.md", b"\x89PNG\r\n\x1a\n....", 400, "IN101", "binary file (PNG image)"),
        ("draft.docx", b"Ketamine is proven safe.", 400, "SV103", "not a Word .docx file"),
        ("draft.docx", _zip({"content.xml": b"<x/>"}), 400, "SV103", "without word/document.xml"),
        ("draft.docx", b"PK\x03\x04 broken zip", 400, "SV107", "damaged .docx"),
        (
            "draft.docx",
            _zip({"word/document.xml": b"not xml", "[Content_Types].xml": b"<x/>"}),
            400,
            "SV107",
            "could not be read",
        ),
        ("draft.txt", b"proven\x00safe\x00", 400, "IN101", "contains NUL bytes"),
        ("draft.txt", b"\x81\x8d\x8f proven", 400, "IN104", "not UTF-8 (byte 0x81 at offset 0)"),
        ("draft.txt", b"", 400, "SV101", "empty"),
        ("draft.txt", b"  \n\t ", 400, "SV101", "empty"),
    ],
)
def test_upload_bad_files_are_refused_with_a_reason(
    client: TestClient, name: str, data: bytes, status: int, code: str, fragment: str
) -> None:
    response = client.post("/api/audit", files={"file": (name, data, "application/octet-stream")})
    assert response.status_code == status
    error = error_of(response)
    assert error["code"] == code
    assert fragment in error["message"]


def test_upload_docx_that_unpacks_too_far_is_refused(make_app: Callable[..., Starlette]) -> None:
    bomb = _zip({"word/document.xml": b"0" * 6_000_000, "[Content_Types].xml": b"<x/>"})
    assert len(bomb) < 50_000
    with TestClient(make_app(max_bytes=50_000)) as client:
        response = client.post("/api/audit", files={"file": ("bomb.docx", bomb)})
    assert response.status_code == 413
    assert error_of(response)["code"] == "SV108"


@pytest.mark.parametrize(
    ("files", "data", "fragment"),
    [
        ({"file": ("a.txt", b"proven safe")}, {"text": "proven safe"}, "not both"),
        (None, {"format": "text"}, 'no "file"'),
        (None, {"text": "x", "extra": "y"}, "unknown form field(s) extra"),
    ],
)
def test_multipart_field_mistakes_are_400(
    client: TestClient,
    files: dict[str, tuple[str, bytes]] | None,
    data: dict[str, str],
    fragment: str,
) -> None:
    response = (
        client.post("/api/audit", files=files, data=data) if files else _post_form(client, data)
    )
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert fragment in error_of(response)["message"]


def _post_form(client: TestClient, fields: dict[str, str]) -> object:
    boundary = "testboundary"
    parts = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    )
    body = (parts + f"--{boundary}--\r\n").encode()
    return client.post(
        "/api/audit",
        content=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )


def test_multipart_text_field_is_audited(client: TestClient, fake_auditor: FakeAuditor) -> None:
    response = _post_form(
        client, {"text": "<p>It is proven safe.</p>", "format": "html", "filename": "x.html"}
    )
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert fake_auditor.sources[-1].media_type == "text/html"


def test_malformed_multipart_is_400(client: TestClient) -> None:
    response = client.post(
        "/api/audit", content=b"garbage", headers={"Content-Type": "multipart/form-data"}
    )
    assert response.status_code == 400
    assert "multipart" in error_of(response)["message"]


# --- other routes -------------------------------------------------------------------------------


def test_rules_lists_every_rule_of_the_auditor(
    client: TestClient, fake_auditor: FakeAuditor
) -> None:
    rules = client.get("/api/rules").json()["rules"]
    assert [r["code"] for r in rules] == [m.rule.code for m in fake_auditor.rules]
    assert rules[0] == {
        "code": "SAFE001",
        "name": "fake-safe001",
        "family": "SAFE",
        "severity": "error",
        "summary": "fake rule SAFE001",
    }


def test_health_reports_version_and_knowledge_base(client: TestClient) -> None:
    from claimaudit import __version__

    health = client.get("/api/health").json()
    assert health == {
        "status": "ok",
        "version": __version__,
        "kb_version": "fake-kb-1",
        "kb_hash": "f00dfeedf00dfeed",
        "ready": True,
    }


def test_health_answers_while_the_auditor_is_still_loading(fake_auditor: FakeAuditor) -> None:
    from claimaudit.serve import create_app

    release = threading.Event()

    def slow_factory() -> FakeAuditor:
        release.wait(10)
        return fake_auditor

    app = create_app(auditor_factory=slow_factory, ready_timeout=0.2)
    with TestClient(app) as client:
        loading = client.get("/api/health").json()
        assert (loading["status"], loading["ready"], loading["kb_version"]) == ("ok", False, None)
        busy = client.post("/api/audit", json={"text": "proven safe"})
        assert busy.status_code == 503
        assert error_of(busy)["code"] == "SV503"
        release.set()
        app.state.service.auditor(timeout=5)
        assert client.get("/api/health").json()["ready"] is True
        assert client.post("/api/audit", json={"text": "proven safe"}).status_code == 200


def test_health_reports_an_auditor_that_cannot_start() -> None:
    from claimaudit.errors import KnowledgeBaseError
    from claimaudit.serve import create_app

    def broken() -> FakeAuditor:
        raise KnowledgeBaseError("knowledge/x.yaml /id: expected string", code="KB102")

    app = create_app(auditor_factory=broken)
    with TestClient(app) as client:
        with pytest.raises(RequestError):
            app.state.service.auditor(timeout=5)
        health = client.get("/api/health").json()
        assert (health["status"], health["ready"]) == ("error", False)
        assert health["error"] == "KB102 knowledge/x.yaml /id: expected string"
        response = client.post("/api/audit", json={"text": "proven safe"})
        assert response.status_code == 503
        assert "KB102" in error_of(response)["message"]


def test_one_auditor_serves_every_request(make_app: Callable[..., Starlette]) -> None:
    built: list[FakeAuditor] = []

    def factory() -> FakeAuditor:
        built.append(FakeAuditor())
        return built[-1]

    with TestClient(make_app(auditor_factory=factory)) as client:
        for _ in range(5):
            assert client.post("/api/audit", json={"text": "proven safe"}).status_code == 200
        client.get("/api/rules")
    assert len(built) == 1
    assert built[0].audits == 5


def test_report_html_is_an_attachment_with_the_findings(client: TestClient) -> None:
    response = client.post("/api/report.html", json={"text": DRAFT, "filename": "My Draft (v2).md"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert (
        response.headers["content-disposition"]
        == 'attachment; filename="My-Draft-v2.claimaudit.html"'
    )
    for code in ("REG001", "SAFE001", "EVI001"):
        assert code in response.text


def test_report_html_refuses_bad_input_like_audit(client: TestClient) -> None:
    response = client.post("/api/report.html", json={"text": ""})
    assert response.status_code == 400
    assert error_of(response)["code"] == "SV101"


# --- safety -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/static/app.js", "/static/app.css", "/api/health"])
def test_security_headers_on_every_response(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "default-src 'self'" in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


def test_error_responses_carry_security_headers_too(client: TestClient) -> None:
    response = client.post("/api/audit", json={"text": ""})
    assert response.headers["x-content-type-options"] == "nosniff"


def test_script_in_the_draft_comes_back_as_json_data_only(client: TestClient) -> None:
    marker = '<script>alert("pwned")</script>'
    text = f"{marker} Ketamine is proven safe. <img src=x onerror=alert(1)>"
    response = client.post("/api/audit", json={"text": text, "format": "text"})
    assert response.headers["content-type"].startswith("application/json")
    report = response.json()
    [safe] = [f for f in report["documents"][0]["findings"] if f["code"] == "SAFE001"]
    assert text[safe["start"] : safe["end"]] == safe["text"] == "proven safe"
    assert json.loads(response.text)["documents"][0]["path"] == "<text>"
    assert marker not in client.get("/").text
    assert "pwned" not in client.get("/").text


def test_page_and_script_never_build_html_from_strings() -> None:
    static = resources.files("claimaudit.serve").joinpath("static")
    script = static.joinpath("app.js").read_text("utf-8")
    page = static.joinpath("index.html").read_text("utf-8")
    for sink in (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
    ):
        assert sink not in script
    assert "<script>" not in page  # no inline script: the CSP would block it anyway
    assert "style=" not in page
    assert "http://" not in page and "https://" not in page  # no CDN


def test_cross_origin_posts_are_refused(client: TestClient) -> None:
    response = client.post(
        "/api/audit", json={"text": "proven safe"}, headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 403
    same = client.post(
        "/api/audit", json={"text": "proven safe"}, headers={"Origin": "http://testserver"}
    )
    assert same.status_code == 200


def test_allowed_hosts_guard_against_dns_rebinding(make_app: Callable[..., Starlette]) -> None:
    app = make_app(allowed_hosts=("127.0.0.1", "localhost"))
    with TestClient(app, base_url="http://attacker.example") as client:
        assert client.get("/api/health").status_code == 400
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        assert client.get("/api/health").status_code == 200


def test_uploads_stay_in_memory(
    make_app: Callable[..., Starlette], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Starlette spools uploads over 1 MB to a temporary file; this app keeps them in memory."""
    import tempfile

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("an upload touched the disk")

    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    monkeypatch.setattr(tempfile, "NamedTemporaryFile", refuse)
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    data = b"Ketamine is proven safe.\n" * 60_000  # 1.5 MB
    with TestClient(make_app(max_bytes=2_000_000)) as client:
        response = client.post("/api/audit", files={"file": ("big.txt", data)})
    assert response.status_code == 200
