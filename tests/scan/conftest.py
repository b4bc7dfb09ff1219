"""Fixtures for scan tests: the local fixture web site and fast, polite-enough policies."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from claimaudit.scan.fetch import FetchPolicy

from .site_server import RunningSite, SiteState, serve_site


@pytest.fixture
def site() -> Iterator[RunningSite]:
    """The fixture site on 127.0.0.1 (random free port); /slow sleeps 2 s."""
    with serve_site(SiteState(slow_seconds=2.0)) as running:
        yield running


@pytest.fixture
def fast_policy() -> FetchPolicy:
    """Short timeouts and backoffs so failure paths finish quickly."""
    return FetchPolicy(
        timeout=0.5, retries=2, backoff=0.01, max_backoff=0.05, max_bytes=200_000, rate=200.0
    )
