"""The review routes of `serve`: drafts per document, decisions with the KB version, the trail."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from serve_fakes import TestClient
from starlette.applications import Starlette

from claimaudit.review.store import ReviewStore

DRAFT = "Ketamine is proven safe.\nIt works within minutes.\n"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ReviewStore]:
    with ReviewStore(tmp_path / "review.db") as opened:
        yield opened


@pytest.fixture
def review_client(make_app: Callable[..., Starlette], store: ReviewStore) -> Iterator[TestClient]:
    with TestClient(make_app(review_store=store, reviewer="default-reviewer")) as client:
        yield client


def _audit(client: TestClient, document: str) -> list[dict[str, Any]]:
    report = client.post("/api/audit", json={"text": DRAFT, "filename": document}).json()
    return [f for d in report["documents"] for f in d["findings"]]


def test_drafts_survive_as_saved_per_document(review_client: TestClient, store: ReviewStore) -> None:
    assert review_client.get("/api/review/drafts").json() == {"enabled": True, "reviewer": "default-reviewer",
                                                              "drafts": []}
    saved = review_client.post("/api/review/draft", json={"document": "a.md", "text": DRAFT, "format": "markdown"})
    assert saved.status_code == 200
    review_client.post("/api/review/draft", json={"document": "b.md", "text": "other"})
    review_client.post("/api/review/draft", json={"document": "a.md", "text": DRAFT + "more", "format": "text"})
    back = review_client.get("/api/review/draft", params={"document": "a.md"}).json()
    assert (back["text"], back["format"]) == (DRAFT + "more", "text")
    assert sorted(d["document"] for d in review_client.get("/api/review/drafts").json()["drafts"]) == ["a.md", "b.md"]
    missing = review_client.get("/api/review/draft", params={"document": "nope"})
    assert missing.status_code == 200 and missing.json() == {"document": "nope", "found": False}
    assert store.draft("b.md").text == "other"  # type: ignore[union-attr]


def test_decide_from_the_page_records_reviewer_time_kb_and_finding(review_client: TestClient,
                                                                  store: ReviewStore) -> None:
    findings = _audit(review_client, "page.md")
    finding = next(f for f in findings if f["code"] == "SAFE001")
    body = {"document": "page.md", "fingerprint": finding["fingerprint"], "status": "dismissed",
            "reviewer": "maria", "finding": finding}
    refused = review_client.post("/api/review/decisions", json=body)
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "RV102"
    recorded = review_client.post("/api/review/decisions", json={**body, "reason": "label wording"})
    assert recorded.status_code == 200, recorded.text
    decision = recorded.json()["decision"]
    assert (decision["status"], decision["reviewer"], decision["reason"]) == ("dismissed", "maria", "label wording")
    assert (decision["kb_version"], decision["kb_hash"]) == ("fake-kb-1", "f00dfeed" * 2)  # the fake auditor's KB
    # the reviewer defaults to the server's
    other = next(f for f in findings if f["code"] == "DUR001")
    review_client.post("/api/review/decisions", json={"document": "page.md", "fingerprint": other["fingerprint"],
                                                      "status": "escalated", "finding": other})
    current = review_client.get("/api/review/decisions", params={"document": "page.md"}).json()["decisions"]
    assert current[finding["fingerprint"]]["status"] == "dismissed"
    assert current[other["fingerprint"]]["reviewer"] == "default-reviewer"
    assert review_client.get("/api/review/decisions", params={"document": "else.md"}).json()["decisions"] == {}
    trail = review_client.get("/api/review/log").json()["decisions"]
    assert [d["finding"]["code"] for d in trail] == ["SAFE001", "DUR001"]
    [stored] = store.log(fingerprint=finding["fingerprint"])
    assert stored.finding["message"] == finding["message"] and stored.root


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"document": "p", "fingerprint": "x:0", "status": "maybe", "finding": {"fingerprint": "x:0"}}, "RV101"),
        ({"document": "p", "fingerprint": "x:0", "status": "accepted", "finding": {"fingerprint": "y:0"}}, "SV106"),
        ({"document": "p", "fingerprint": "x:0", "status": "accepted"}, "SV101"),
        ({"document": "p", "fingerprint": "x:0", "status": "accepted", "finding": {}, "extra": 1}, "SV106"),
    ],
)
def test_bad_decisions_get_coded_errors(review_client: TestClient, body: dict[str, Any], code: str) -> None:
    response = review_client.post("/api/review/decisions", json=body)
    assert response.status_code == 400 and response.json()["error"]["code"] == code


def test_without_a_store_review_is_off(client: TestClient) -> None:
    assert client.get("/api/review/drafts").json() == {"enabled": False, "drafts": []}
    assert client.get("/api/review/decisions", params={"document": "a"}).status_code == 404
    assert client.post("/api/review/draft", json={"document": "a", "text": "x"}).status_code in (404, 405)


def test_cross_site_decisions_are_refused(review_client: TestClient) -> None:
    response = review_client.post("/api/review/draft", json={"document": "a", "text": "x"},
                                  headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
