"""The Starlette app behind `claimaudit serve`: the editor page and its small JSON API.

Routes: GET / (the page), GET /static/*, POST /api/audit, POST /api/report.html,
POST /api/extract (the text an upload is audited as), GET /api/rules, GET /api/health;
POST /api/report.docx (serve/docx_routes.py) and /api/review/* (serve/review_routes.py).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from claimaudit import __version__
from claimaudit.errors import ClaimAuditError
from claimaudit.serve.service import AuditorFactory, AuditService, default_auditor_factory
from claimaudit.serve.uploads import (
    Draft,
    RequestError,
    draft_from_text,
    draft_from_upload,
)

if TYPE_CHECKING:
    from claimaudit.result import AuditResult
    from claimaudit.review.store import ReviewStore
    from claimaudit.settings import Settings

log = logging.getLogger("claimaudit.serve")

DEFAULT_MAX_BYTES = 2_000_000
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)
JSON_FIELDS = ("text", "format", "filename")
FORM_FIELDS = ("file", "text", "format", "filename")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")

Renderer = Callable[["AuditResult"], str]


@dataclass(frozen=True, slots=True)
class Limits:
    """Request limits: body bytes, characters audited, bytes a .docx may unpack to."""

    max_bytes: int = DEFAULT_MAX_BYTES

    @property
    def max_chars(self) -> int:
        return self.max_bytes

    @property
    def max_unpacked(self) -> int:
        return max(20 * self.max_bytes, 5_000_000)


def create_app(
    settings: Settings | None = None,
    *,
    auditor_factory: AuditorFactory | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allowed_hosts: tuple[str, ...] | None = None,
    render_json: Renderer | None = None,
    render_html: Renderer | None = None,
    ready_timeout: float = 120.0,
    review_store: ReviewStore | None = None,
    reviewer: str = "",
    workers: int = 0,
    time_limit: float = 60.0,
) -> Starlette:
    """Build the app. One auditor is built per app, in a background thread at startup.

    `auditor_factory` replaces the real Auditor (tests); `render_json`/`render_html` replace
    the reporters; `allowed_hosts` restricts the Host header (DNS-rebinding guard).
    `workers` > 0 (real Auditor only) audits in that many worker processes, each request
    stopped after `time_limit` seconds (serve/pool.py); 0 audits in this process.
    """
    if settings is None:
        from claimaudit.settings import Settings

        settings = Settings()
    pool = None
    if workers > 0 and auditor_factory is None:
        from claimaudit.serve.pool import AuditPool
        from claimaudit.settings import Settings

        pool = AuditPool(Settings(jurisdictions=settings.jurisdictions, knowledge_dirs=settings.knowledge_dirs,
                                  bundled_knowledge=settings.bundled_knowledge, max_bytes=settings.max_bytes),
                         workers, time_limit)
    if auditor_factory is None:
        auditor_factory = default_auditor_factory(settings)
    service = AuditService(auditor_factory, settings, ready_timeout=ready_timeout, pool=pool)
    limits = Limits(max_bytes=max_bytes)
    page = resources.files("claimaudit.serve").joinpath("static", "index.html").read_text("utf-8")

    async def index(request: Request) -> Response:
        return HTMLResponse(page, headers={"Cache-Control": "no-store"})

    async def audit(request: Request) -> Response:
        draft = await read_draft(request, limits)
        result = await _audit(service, draft)
        body = (render_json or _real_render_json)(result)
        return Response(body, media_type="application/json", headers=_NO_STORE)

    async def report_html(request: Request) -> Response:
        draft = await read_draft(request, limits)
        result = await _audit(service, draft)
        if render_html is not None:
            html = render_html(result)
        else:
            html = await run_in_threadpool(_real_render_html, result, service.rule_records())
        name = _download_name(draft.path)
        return Response(
            html,
            media_type="text/html; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"', **_NO_STORE},
        )

    async def extract(request: Request) -> Response:
        draft = await read_draft(request, limits)
        return JSONResponse(
            {
                "text": draft.text,
                "format": draft.format,
                "media_type": draft.media_type,
                "path": draft.path,
            },
            headers=_NO_STORE,
        )

    async def rules(request: Request) -> Response:
        infos = await run_in_threadpool(service.rules)
        return JSONResponse({"rules": [asdict(info) for info in infos]})

    async def health(request: Request) -> Response:
        service.start()
        body: dict[str, Any] = {
            "status": "error" if service.error else "ok",
            "version": __version__,
            "kb_version": service.kb_version,
            "kb_hash": service.kb_hash,
            "ready": service.ready,
        }
        if service.error:
            body["error"] = service.error
        return JSONResponse(body, headers=_NO_STORE)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        service.start()
        yield
        service.close()

    routes = [
        Route("/", index, methods=["GET"]),
        Route("/api/audit", _api(audit), methods=["POST"]),
        Route("/api/report.html", _api(report_html), methods=["POST"]),
        Route("/api/extract", _api(extract), methods=["POST"]),
        Route("/api/rules", _api(rules), methods=["GET"]),
        Route("/api/health", health, methods=["GET"]),
        Mount("/static", StaticFiles(packages=[("claimaudit.serve", "static")]), name="static"),
    ]
    from claimaudit.serve.docx_routes import docx_routes
    from claimaudit.serve.review_routes import disabled_routes, review_routes

    routes[-1:-1] = docx_routes(service, limits)

    routes[-1:-1] = (disabled_routes() if review_store is None else
                     review_routes(review_store, service, reviewer=reviewer, max_bytes=max(max_bytes, 100_000)))
    middleware = [Middleware(SecurityHeadersMiddleware), Middleware(SameOriginPostMiddleware)]
    if allowed_hosts:
        middleware.append(Middleware(HostGuardMiddleware, allowed_hosts=allowed_hosts))
    app = Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={HTTPException: _http_error},
    )
    app.state.settings = settings
    app.state.service = service
    app.state.limits = limits
    return app


# --- request bodies -------------------------------------------------------------------------


async def read_draft(request: Request, limits: Limits) -> Draft:
    """The draft in a JSON or multipart request, with the size limit enforced while reading."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in ("application/json", "multipart/form-data"):
        shown = media_type or "none"
        raise RequestError(
            f"unsupported content type {shown}: send application/json "
            '{"text": ...} or multipart/form-data with a file',
            code="SV115",
            status=415,
        )
    body = await read_body(request, limits.max_bytes)
    if media_type == "application/json":
        return _draft_from_json(body, limits)
    return await _draft_from_multipart(request.headers, body, limits)


async def read_body(request: Request, max_bytes: int) -> bytes:
    """The request body, refused (413) as soon as it is known to exceed `max_bytes`."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(int(declared), max_bytes)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(size, max_bytes, at_least=True)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(size: int, max_bytes: int, *, at_least: bool = False) -> RequestError:
    amount = f"over {max_bytes:,}" if at_least else f"{size:,}"
    return RequestError(
        f"the request body is {amount} bytes; the limit is {max_bytes:,} bytes",
        code="SV113",
        status=413,
    )


def _draft_from_json(body: bytes, limits: Limits) -> Draft:
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RequestError(f"the request body is not valid JSON: {exc}", code="SV106") from None
    except RecursionError:
        raise RequestError("the request body is not valid JSON: nested too deeply", code="SV106") from None
    if not isinstance(payload, dict):
        raise RequestError('the JSON body must be an object like {"text": "..."}', code="SV106")
    unknown = sorted(set(payload) - set(JSON_FIELDS))
    if unknown:
        raise RequestError(
            f"unknown field(s) {', '.join(unknown)}; allowed: {', '.join(JSON_FIELDS)}",
            code="SV106",
        )
    for key in JSON_FIELDS:
        if payload.get(key) is not None and not isinstance(payload[key], str):
            raise RequestError(f"field {key!r} must be a string", code="SV106")
        if payload.get(key) is not None and not payload[key].isascii():
            _reject_surrogates(key, payload[key])
    if payload.get("text") is None:
        raise RequestError('missing field "text": the draft to audit', code="SV101")
    return draft_from_text(
        payload["text"],
        requested_format=payload.get("format"),
        filename=payload.get("filename"),
        max_chars=limits.max_chars,
    )


def _reject_surrogates(key: str, value: str) -> None:
    """JSON may escape a lone surrogate ("\\ud800"): not text, so refused like undecodable input."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        code_point = ord(value[exc.start])
        raise RequestError(
            f"field {key!r} is not valid Unicode: lone surrogate U+{code_point:04X} at offset {exc.start}",
            code="SV106",
        ) from None


async def _draft_from_multipart(headers: Headers, body: bytes, limits: Limits) -> Draft:
    async def replay() -> AsyncGenerator[bytes, None]:
        yield body

    parser = MultiPartParser(
        headers, replay(), max_files=1, max_fields=3, max_part_size=limits.max_bytes
    )
    parser.spool_max_size = limits.max_bytes + 1  # keep uploads in memory: never spill to disk
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise RequestError(f"malformed multipart body: {exc.message}", code="SV106") from None
    try:
        unknown = sorted(set(form.keys()) - set(FORM_FIELDS))
        if unknown:
            raise RequestError(
                f"unknown form field(s) {', '.join(unknown)}; allowed: {', '.join(FORM_FIELDS)}",
                code="SV106",
            )
        upload, text = form.get("file"), form.get("text")
        fmt, filename = _form_text(form.get("format")), _form_text(form.get("filename"))
        if isinstance(upload, UploadFile):
            if text is not None:
                raise RequestError('send either a "file" or a "text" field, not both', code="SV106")
            data = await upload.read()
            return draft_from_upload(
                data,
                filename or upload.filename,
                requested_format=fmt,
                max_chars=limits.max_chars,
                max_unpacked=limits.max_unpacked,
            )
        if isinstance(text, str):
            return draft_from_text(
                text, requested_format=fmt, filename=filename, max_chars=limits.max_chars
            )
        raise RequestError('the form has no "file" (an upload) and no "text" field', code="SV101")
    finally:
        await form.close()


def _form_text(value: str | UploadFile | None) -> str | None:
    if isinstance(value, UploadFile):
        raise RequestError(f"form field {value.filename!r} must be text, not a file", code="SV106")
    return value


# --- auditing and responses -----------------------------------------------------------------

_NO_STORE = {"Cache-Control": "no-store"}


async def _audit(service: AuditService, draft: Draft) -> AuditResult:
    result = await run_in_threadpool(service.audit, draft)
    for document in result.documents:
        if document.error:
            code = document.error_code or "IN100"
            message = document.error.removeprefix(f"{code} ")
            raise RequestError(message, code=code, status=400)
    return result


def _real_render_json(result: AuditResult) -> str:
    from claimaudit.reporters.json_report import render_json

    return render_json(result)


def _real_render_html(result: AuditResult, rules: tuple[Any, ...]) -> str:
    from claimaudit.reporters import ReportOptions, get_reporter

    return get_reporter("html")(result, ReportOptions(rules=rules))


def _download_name(path: str) -> str:
    stem = path.rsplit(".", 1)[0] if "." in path.lstrip(".") else path
    stem = _UNSAFE_NAME.sub("-", stem).strip("-.") or "draft"
    return f"{stem[:80]}.claimaudit.html"


def _error_response(code: str, message: str, status: int) -> JSONResponse:
    message = message.encode("utf-8", "replace").decode("utf-8")  # a lone surrogate becomes "?"
    return JSONResponse(
        {"error": {"code": code, "message": message}}, status_code=status, headers=_NO_STORE
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    """404, 405 and other routing errors in the API's JSON error shape."""
    assert isinstance(exc, HTTPException)
    messages = {404: f"no such page: {request.url.path}",
                405: f"method {request.method} not allowed on {request.url.path}"}
    response = _error_response(f"SV{exc.status_code}", messages.get(exc.status_code, exc.detail),
                               exc.status_code)
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value  # e.g. Allow on a 405
    return response


Endpoint = Callable[[Request], Awaitable[Response]]


def _api(endpoint: Endpoint) -> Endpoint:
    """Turn every failure of an API endpoint into a JSON error: {"error": {"code", "message"}}."""

    async def wrapped(request: Request) -> Response:
        try:
            return await endpoint(request)
        except RequestError as exc:
            return _error_response(exc.code, exc.message, exc.status)
        except ClaimAuditError as exc:
            status = 400 if exc.exit_code == 2 and exc.code.startswith("IN") else 500
            return _error_response(exc.code, exc.message, status)
        except Exception as exc:  # one bad draft must not take the server down
            log.exception("audit failed")
            return _error_response(
                "SV500", f"internal error while auditing: {type(exc).__name__}: {exc}", 500
            )

    return wrapped


# --- middleware -----------------------------------------------------------------------------


class SecurityHeadersMiddleware:
    """Adds CSP (default-src 'self', frame-ancestors 'none'), nosniff and friends to responses."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in SECURITY_HEADERS if name not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HostGuardMiddleware:
    """Accepts only requests whose Host names an allowed host (DNS-rebinding guard); JSON 400 else."""

    def __init__(self, app: ASGIApp, allowed_hosts: tuple[str, ...]) -> None:
        self.app = app
        self.allowed = frozenset(host.lower().strip("[]") for host in allowed_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            header = Headers(scope=scope).get("host", "")
            if host_name(header) not in self.allowed:
                shown = header or "none"
                response = _error_response("SV400", f"host {shown!r} not allowed: use one of "
                                           + ", ".join(sorted(self.allowed)), 400)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def host_name(header: str) -> str:
    """The host of a Host header without its port: "[::1]:8000" -> "::1", "LocalHost:80" -> "localhost"."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class SameOriginPostMiddleware:
    """Refuses cross-site POSTs: a browser's Origin header must name this server (CSRF guard)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            headers = Headers(scope=scope)
            origin = headers.get("origin")
            if origin is not None and urlsplit(origin).netloc != headers.get("host", ""):
                response = _error_response(
                    "SV403", f"cross-origin request from {origin} refused", 403
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
