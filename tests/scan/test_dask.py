"""The Dask backend gives exactly the local run's findings (real auditor, LocalCluster)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from claimaudit.scan.backends import DaskBackend, ProcessBackend
from claimaudit.scan.engine import Scanner, ScanOptions, start_run
from claimaudit.scan.fetch import FetchPolicy
from claimaudit.scan.store import ScanStore
from claimaudit.scan.worker import DefaultAuditorFactory
from claimaudit.settings import Settings

from .site_server import RunningSite

pytest.importorskip("dask.distributed")


def _scan(db: Path, options: ScanOptions, backend: object) -> dict[str, tuple[str, str, str]]:
    with ScanStore(db) as store:
        run_id = start_run(store, options)
        try:
            Scanner(store, run_id, options, backend).run()  # type: ignore[arg-type]
        finally:
            backend.close()  # type: ignore[attr-defined]
        return {
            row["url"]: (row["status"], row["text"], row["findings_json"])
            for row in store.pages(run_id)
        }


@pytest.mark.slow
def test_dask_local_cluster_matches_local_process_pool(
    tmp_path: Path, site: RunningSite, fast_policy: FetchPolicy
) -> None:
    factory = DefaultAuditorFactory(Settings())
    options = ScanOptions(
        sitemaps=(site.url("/sitemap_index.xml"),),
        urls=(site.url("/legacy/testimonials.html"),),
        policy=fast_policy,
        batch_size=3,
    )
    local = _scan(tmp_path / "local.db", options, ProcessBackend(factory, 2))
    with warnings.catch_warnings():
        # distributed may warn about its own internals (ports, deprecated config) at start-up
        warnings.simplefilter("ignore")
        backend = DaskBackend(factory, jobs=2, scheduler=None)
    assert backend.slots == 2
    distributed = _scan(tmp_path / "dask.db", options, backend)
    assert set(distributed) == set(local)
    assert sum(status == "ok" for status, _, _ in local.values()) == 9
    findings_total = 0
    for url, (status, text, findings) in local.items():
        assert distributed[url] == (status, text, findings), url
        findings_total += findings.count('"code"')
    assert findings_total > 10  # the real auditor found the overstated claims
