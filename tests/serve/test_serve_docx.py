"""POST /api/report.docx: the writer's Word file back with comments on the flagged words."""

from __future__ import annotations

from serve_fakes import TestClient, build_docx, fake_findings

from claimaudit.ingest.docx_runs import load_docx, read_docx
from claimaudit.reporters.docx_comments import comment_anchors

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_an_uploaded_docx_comes_back_with_comments_on_each_finding(client: TestClient) -> None:
    data = build_docx([("heading", "Ketamine clinic"), ("para", "It is proven safe and FDA-approved.")],
                      table=[["Relief within minutes", "Some say it rewires the brain."]])
    response = client.post("/api/report.docx", files={"file": ("My Draft.docx", data, DOCX)})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == DOCX
    assert 'filename="My-Draft.reviewed.docx"' in response.headers["content-disposition"]
    source = read_docx(load_docx(data, "d")).text
    expected = sorted((f.code, source[f.span.start:f.span.end]) for f in fake_findings(source) if not f.omits)
    anchors = comment_anchors(response.content)
    assert sorted((a.text.split(" ", 1)[0], a.anchor) for a in anchors) == expected
    assert len(expected) >= 4
    assert read_docx(load_docx(response.content, "r")).text == source


def test_a_pasted_draft_comes_back_as_a_new_word_document(client: TestClient) -> None:
    response = client.post("/api/report.docx", json={"text": "Title\nIt is proven safe.", "filename": "a.md"})
    assert response.status_code == 200
    assert [a.anchor for a in comment_anchors(response.content) if a.text.startswith("SAFE001")] == ["proven safe"]


def test_bad_uploads_are_refused_with_codes(client: TestClient) -> None:
    refused = client.post("/api/report.docx", files={"file": ("a.txt", b"hello", "text/plain")})
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "SV102"
    fake = client.post("/api/report.docx", files={"file": ("a.docx", b"PK\x03\x04junk", DOCX)})
    assert fake.status_code == 400 and fake.json()["error"]["code"] in ("SV107", "SV103")
