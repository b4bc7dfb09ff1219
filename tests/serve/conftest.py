"""Fixtures for the web app tests: the app over a fake auditor."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from serve_fakes import FakeAuditor, TestClient
from starlette.applications import Starlette

from claimaudit.serve import create_app


@pytest.fixture(autouse=True)
def _review_store_in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """`claimaudit serve` opens a review store; keep it out of the working directory."""
    monkeypatch.setenv("CLAIMAUDIT_REVIEW_DB", str(tmp_path_factory.mktemp("review") / "review.db"))


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
