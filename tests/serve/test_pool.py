"""serve's worker pool: the same findings as auditing in process; an audit over the time
limit fails with SV504 and its worker is replaced, so the pool keeps serving."""

from __future__ import annotations

import time

import pytest

from claimaudit.audit import Auditor
from claimaudit.ingest import read_text
from claimaudit.serve.pool import AuditPool
from claimaudit.serve.uploads import RequestError
from claimaudit.settings import Settings

DRAFT = ("Ketamine is a proven cure for depression with no side effects. Spravato is FDA approved "
         "for anxiety. In one trial, 70% of patients improved within 24 hours.\n")


def test_pool_audits_like_this_process_and_survives_an_overrun() -> None:
    source = read_text(DRAFT, path="draft.txt", media_type="text/plain")
    expected = Auditor(Settings()).audit_source(source)
    pool = AuditPool(Settings(), size=1, time_limit=60.0)
    pool.start()
    try:
        assert pool.audit(source) == expected and expected.findings
        pool.time_limit = 0.01
        huge = read_text(DRAFT * 3000, path="huge.txt", media_type="text/plain")
        with pytest.raises(RequestError) as raised:
            pool.audit(huge)
        assert (raised.value.code, raised.value.status) == ("SV504", 504)
        pool.time_limit = 60.0
        started = time.monotonic()
        assert pool.audit(source) == expected  # waits for the replacement worker
        assert time.monotonic() - started < 60
    finally:
        pool.close()
