"""POST /api/report.docx: the draft back as a Word document with a comment on each finding.

A multipart upload of a .docx (field `file`) is audited as its paragraph text read with run-level
offsets, and the writer's own document comes back with comments anchored on the flagged words.
A JSON draft ({"text", "format", "filename"}) comes back as a new document of its text.
"""

from __future__ import annotations

import re
from collections.abc import AsyncGenerator
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from claimaudit.serve.uploads import Draft, RequestError

if TYPE_CHECKING:
    from claimaudit.serve.app import Limits
    from claimaudit.serve.service import AuditService

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def docx_routes(service: AuditService, limits: Limits) -> list[Route]:
    from claimaudit.serve.app import _api

    async def report_docx(request: Request) -> Response:
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type == "multipart/form-data":
            name, data = await _upload(request, limits)
            draft, extracted = await run_in_threadpool(_docx_draft, name, data, limits)
        else:
            from claimaudit.serve.app import read_draft

            draft, extracted = await read_draft(request, limits), None
        body = await _annotate(service, draft, extracted)
        filename = _download_name(draft.path)
        return Response(body, media_type=DOCX_MEDIA_TYPE, headers={
            "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})

    return [Route("/api/report.docx", _api(report_docx), methods=["POST"])]


async def _upload(request: Request, limits: Limits) -> tuple[str, bytes]:
    from claimaudit.serve.app import read_body

    body = await read_body(request, limits.max_bytes)

    async def replay() -> AsyncGenerator[bytes, None]:
        yield body

    parser = MultiPartParser(request.headers, replay(), max_files=1, max_fields=1, max_part_size=limits.max_bytes)
    parser.spool_max_size = limits.max_bytes + 1  # in memory, never on disk
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise RequestError(f"malformed multipart body: {exc.message}", code="SV106") from None
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not (upload.filename or "").lower().endswith(".docx"):
            raise RequestError('send the Word document as a "file" field ending in .docx, '
                               'or the draft as JSON {"text": ...}', code="SV102")
        return upload.filename or "draft.docx", await upload.read()
    finally:
        await form.close()


def _docx_draft(name: str, data: bytes, limits: Limits) -> tuple[Draft, Any]:
    from claimaudit.errors import InputError
    from claimaudit.ingest.docx_runs import load_docx, read_docx
    from claimaudit.serve.uploads import _check_docx_archive

    _check_docx_archive(data, name=name, max_unpacked=limits.max_unpacked)
    try:
        extracted = read_docx(load_docx(data, name, max_unpacked=limits.max_unpacked))
    except InputError as error:
        raise RequestError(error.message, code="SV107") from None
    if not extracted.text.strip():
        raise RequestError(f"{name}: the Word document has no paragraph text", code="SV101")
    return Draft(text=extracted.text, format="text", path=name), extracted


async def _annotate(service: AuditService, draft: Draft, extracted: Any) -> bytes:
    from claimaudit.reporters.docx_comments import annotated_bytes, text_document
    from claimaudit.serve.app import _audit

    result = await _audit(service, draft)
    document = result.documents[0]
    names = {info.code: info.name for info in await run_in_threadpool(service.rules)}
    target = extracted if extracted is not None else text_document(document.source_text)
    return await run_in_threadpool(annotated_bytes, target, document.findings, names)


def _download_name(path: str) -> str:
    stem = path.rsplit(".", 1)[0] if "." in path.lstrip(".") else path
    stem = _UNSAFE_NAME.sub("-", stem).strip("-.") or "draft"
    return f"{stem[:80]}.reviewed.docx"
