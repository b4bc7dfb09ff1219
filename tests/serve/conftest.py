"""Fixtures for the web app tests: the app over a fake auditor, and .docx builders."""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    # Starlette 1.x prefers httpx2 for its TestClient but still supports httpx (a dependency).
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

from serve_fakes import FakeAuditor

from claimaudit.serve import create_app


@pytest.fixture
def fake_auditor() -> FakeAuditor:
    return FakeAuditor()


@pytest.fixture
def make_app(fake_auditor: FakeAuditor) -> Callable[..., Starlette]:
    """create_app over the fake auditor; keyword arguments pass through."""

    def build(**kwargs: Any) -> Starlette:
        kwargs.setdefault("auditor_factory", lambda: fake_auditor)
        return create_app(**kwargs)

    return build


@pytest.fixture
def client(make_app: Callable[..., Starlette]) -> Iterator[TestClient]:
    with TestClient(make_app(max_bytes=50_000)) as test_client:
        yield test_client


def build_docx(paragraphs: list[tuple[str, str]], table: list[list[str]] | None = None) -> bytes:
    """A .docx with ("heading"|"para", text) blocks and an optional table, as bytes."""
    import docx

    document = docx.Document()
    for kind, text in paragraphs:
        if kind == "heading":
            document.add_heading(text, level=1)
        else:
            document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, cells in zip(grid.rows, table, strict=True):
            for cell, text in zip(row.cells, cells, strict=True):
                cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
