"""The fuzz suite's shared pieces: example counts, an in-process CLI, the invariants.

Default run (CI): QUICK examples per property (`pytest`). Long run: `pytest -m fuzz`, LONG
examples per property (environment CLAIMAUDIT_FUZZ_EXAMPLES overrides it). Each property
counts the inputs it really ran; the totals are printed at the end of the session.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

QUICK = int(os.environ.get("CLAIMAUDIT_FUZZ_QUICK", "30"))
LONG = int(os.environ.get("CLAIMAUDIT_FUZZ_EXAMPLES", "15000"))
RUNS: Counter[str] = Counter()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if RUNS:
        terminalreporter.write_line(
            "fuzz inputs run: " + ", ".join(f"{k} {v:,}" for k, v in sorted(RUNS.items()))
            + f"; total {sum(RUNS.values()):,}"
        )


@pytest.fixture(scope="session")
def shared_auditor(auditor: Any) -> Any:
    return auditor


@pytest.fixture
def cli_auditor(auditor: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """`check` builds its Auditor per run; the fuzz suite reuses the session's (same settings)."""
    monkeypatch.setattr("claimaudit.audit.Auditor", lambda settings=None: auditor)
    yield auditor
