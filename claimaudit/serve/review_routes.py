"""Review routes of `claimaudit serve`: drafts kept per document, decisions with an audit trail.

GET  /api/review/drafts                  saved drafts (newest first) and the default reviewer
GET  /api/review/draft?document=NAME     one saved draft ("found": false when there is none)
POST /api/review/draft                   {"document", "text", "format"}: save (replaces)
GET  /api/review/decisions?document=NAME current decision per fingerprint
POST /api/review/decisions               {"document", "fingerprint", "status", "reason", "reviewer", "finding"}
GET  /api/review/log?document=NAME       the trail, oldest first

Without a review store only GET /api/review/drafts exists, answering {"enabled": false}; the page
then hides its review controls.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from claimaudit.errors import ClaimAuditError
from claimaudit.serve.uploads import RequestError

if TYPE_CHECKING:
    from claimaudit.review.store import ReviewStore
    from claimaudit.serve.service import AuditService

_NO_STORE = {"Cache-Control": "no-store"}
MAX_REVIEW_BODY = 5_000_000
Endpoint = Callable[[Request], Awaitable[Response]]


def review_routes(store: ReviewStore, service: AuditService, *, reviewer: str = "",
                  root: Path | None = None, max_bytes: int = MAX_REVIEW_BODY) -> list[Route]:
    """The review API over `store`; decisions record the service's knowledge-base version and hash."""
    from claimaudit.review.model import Decision, Status, decision_to_dict

    base = str((root or Path.cwd()).absolute())

    async def drafts(request: Request) -> Response:
        saved = await run_in_threadpool(store.drafts)
        return _json({"enabled": True, "reviewer": reviewer, "drafts": [
            {"document": d.document, "format": d.format, "updated_at": d.updated_at, "chars": len(d.text)}
            for d in saved]})

    async def draft(request: Request) -> Response:
        document = _document_param(request)
        saved = await run_in_threadpool(store.draft, document)
        if saved is None:
            return _json({"document": document, "found": False})
        return _json({"document": saved.document, "found": True, "text": saved.text, "format": saved.format,
                      "updated_at": saved.updated_at})

    async def save_draft(request: Request) -> Response:
        payload = await _payload(request, max_bytes, required=("document", "text"), optional=("format",))
        saved = await run_in_threadpool(store.save_draft, payload["document"], payload["text"],
                                        payload.get("format") or "")
        return _json({"document": saved.document, "updated_at": saved.updated_at})

    async def decisions(request: Request) -> Response:
        document = _document_param(request)
        current = await run_in_threadpool(lambda: store.current(document=document))
        return _json({"document": document,
                      "decisions": {fp: decision_to_dict(d) for fp, d in current.items()}})

    async def decide(request: Request) -> Response:
        payload = await _payload(request, max_bytes, required=("document", "fingerprint", "status", "finding"),
                                 optional=("reason", "reviewer"))
        finding = payload["finding"]
        if not isinstance(finding, Mapping) or finding.get("fingerprint") != payload["fingerprint"]:
            raise RequestError("'finding' must be the decided finding's JSON, with the same fingerprint",
                               code="SV106")
        decision = Decision(
            fingerprint=payload["fingerprint"], document=payload["document"],
            status=Status.parse(payload["status"]), reason=payload.get("reason") or "",
            reviewer=payload.get("reviewer") or reviewer, decided_at="",
            kb_version=service.kb_version or "", kb_hash=service.kb_hash or "",
            finding=dict(finding), root=base)
        recorded = await run_in_threadpool(store.decide, decision)
        return _json({"fingerprint": recorded.fingerprint, "decision": decision_to_dict(recorded), "id": recorded.id})

    async def log(request: Request) -> Response:
        document = request.query_params.get("document")
        trail = await run_in_threadpool(lambda: store.log(document=document))
        return _json({"decisions": [decision_to_dict(d, with_finding=True) for d in trail]})

    return [
        Route("/api/review/drafts", _guard(drafts), methods=["GET"]),
        Route("/api/review/draft", _guard(draft), methods=["GET"]),
        Route("/api/review/draft", _guard(save_draft), methods=["POST"]),
        Route("/api/review/decisions", _guard(decisions), methods=["GET"]),
        Route("/api/review/decisions", _guard(decide), methods=["POST"]),
        Route("/api/review/log", _guard(log), methods=["GET"]),
    ]


def disabled_routes() -> list[Route]:
    """What the app serves without a review store: the page asks, learns it is off, hides review."""

    async def drafts(request: Request) -> Response:
        return _json({"enabled": False, "drafts": []})

    return [Route("/api/review/drafts", drafts, methods=["GET"])]


def _json(body: dict[str, Any], status: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers=_NO_STORE)


def _document_param(request: Request) -> str:
    document = request.query_params.get("document", "").strip()
    if not document:
        raise RequestError("missing query parameter 'document'", code="SV101")
    return document


async def _payload(request: Request, max_bytes: int, *, required: tuple[str, ...],
                   optional: tuple[str, ...]) -> dict[str, Any]:
    from claimaudit.serve.app import read_body

    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        raise RequestError("send application/json", code="SV115", status=415)
    body = await read_body(request, max_bytes)
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RequestError(f"the request body is not valid JSON: {exc}", code="SV106") from None
    if not isinstance(payload, dict):
        raise RequestError("the JSON body must be an object", code="SV106")
    unknown = sorted(set(payload) - set(required) - set(optional))
    if unknown:
        raise RequestError(f"unknown field(s) {', '.join(unknown)}; allowed: "
                           f"{', '.join(required + optional)}", code="SV106")
    for key in required:
        if payload.get(key) is None:
            raise RequestError(f"missing field {key!r}", code="SV101")
    for key in (*required, *optional):
        if key != "finding" and payload.get(key) is not None and not isinstance(payload[key], str):
            raise RequestError(f"field {key!r} must be a string", code="SV106")
    return payload


def _guard(endpoint: Endpoint) -> Endpoint:
    """Failures become {"error": {"code", "message"}}: 400 for a refused decision, else the error's status."""

    async def wrapped(request: Request) -> Response:
        try:
            return await endpoint(request)
        except RequestError as exc:
            return _json({"error": {"code": exc.code, "message": exc.message}}, exc.status)
        except ClaimAuditError as exc:
            return _json({"error": {"code": exc.code, "message": exc.message}}, 400)

    return wrapped
