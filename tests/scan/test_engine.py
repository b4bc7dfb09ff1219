"""The scan loop end to end against the fixture site, with a fake auditor injected."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimaudit.scan.backends import InlineBackend, ProcessBackend
from claimaudit.scan.engine import Scanner, ScanOptions, ScanSummary, start_run
from claimaudit.scan.fetch import FetchPolicy
from claimaudit.scan.store import ScanStore

from .fakes import CRASH_MARKER, DIE_MARKER, DyingFactory, FakeFactory
from .site_server import RunningSite


def scan(
    db: Path, options: ScanOptions, backend: object | None = None
) -> tuple[ScanStore, int, ScanSummary]:
    store = ScanStore(db)
    run_id = start_run(store, options)
    backend = backend or InlineBackend(FakeFactory())
    try:
        summary = Scanner(store, run_id, options, backend).run()  # type: ignore[arg-type]
    finally:
        backend.close()  # type: ignore[attr-defined]
    return store, run_id, summary


def rows(store: ScanStore, run_id: int, base: str = "") -> dict[str, dict[str, object]]:
    return {row["url"].replace(base, ""): dict(row) for row in store.pages(run_id)}


EXPECTED_CRAWL = {
    "/": ("ok", ""),
    "/about.html": ("ok", ""),
    "/blog/esketamine-explained.html": ("ok", ""),
    "/blog/ptsd-and-ketamine.html": ("ok", ""),
    "/faq.html": ("ok", ""),
    "/legacy/testimonials.html": ("ok", ""),
    "/old-pricing": ("ok", ""),
    "/privacy.html": ("ok", ""),
    "/resources/patient-guide.txt": ("ok", ""),
    "/treatments/anxiety.html": ("ok", ""),
    "/treatments/depression.html": ("ok", ""),
    "/big.html": ("skipped", "page is more than"),
    "/gallery/clinic.png": ("skipped", "unsupported content type image/png"),
    "/private/staff.html": ("skipped", "disallowed by robots.txt"),
    "/missing.html": ("error", "HTTP 404"),
    "/broken": ("error", "HTTP 500 (after 3 attempts)"),
    "/slow": ("error", "timed out after 0.5s (after 3 attempts)"),
}


def test_crawl_records_every_page_as_a_user_expects(
    tmp_path: Path, site: RunningSite, fast_policy: FetchPolicy
) -> None:
    options = ScanOptions(crawl=(site.url("/"),), max_pages=100, policy=fast_policy)
    store, run_id, summary = scan(tmp_path / "run.db", options)
    found = rows(store, run_id, site.base)
    assert {
        key: (row["status"], str(row["reason"])[: len(EXPECTED_CRAWL[key][1])])
        for key, row in found.items()
        if key in EXPECTED_CRAWL
    } == EXPECTED_CRAWL
    assert set(found) == set(EXPECTED_CRAWL)
    assert summary.complete and (summary.ok, summary.skipped, summary.errors) == (11, 3, 3)
    assert store.run(run_id).status == "finished"
    progress = store.progress(run_id)  # what the progress bar shows: skipped pages are no errors
    assert (progress.done, progress.errors, progress.skipped) == (17, 3, 3)
    # the redirect chain is kept, and its target is not fetched a second time
    redirect = found["/old-pricing"]
    assert redirect["final_url"] == site.url("/pricing.html")
    assert json.loads(str(redirect["redirects"])) == [
        site.url("/moved-pricing"),
        site.url("/pricing.html"),
    ]
    assert site.state.seen("/pricing.html") == 1
    # robots.txt and rel=nofollow are honoured; tracking parameters did not create duplicates
    assert site.state.seen("/private/staff.html") == 0
    assert site.state.seen("/login.html") == 0
    assert site.state.seen("/blog/esketamine-explained.html") == 1
    assert found["/legacy/testimonials.html"]["encoding"] == "windows-1252"
    assert found["/"]["http_status"] == 200 and found["/missing.html"]["http_status"] == 404


def test_crawl_stores_extracted_text_that_finding_offsets_index(
    tmp_path: Path, site: RunningSite, fast_policy: FetchPolicy
) -> None:
    options = ScanOptions(crawl=(site.url("/"),), policy=fast_policy)
    store, run_id, _ = scan(tmp_path / "run.db", options)
    found = rows(store, run_id, site.base)
    checked = 0
    for row in found.values():
        text = str(row["text"])
        for finding in json.loads(str(row["findings_json"])):
            assert text[finding["start"] : finding["end"]] == finding["text"]
            checked += 1
    assert checked >= 8
    home = found["/"]
    assert home["extractor"] == "trafilatura"
    assert "Accept all" not in str(home["text"])  # cookie banner dropped
    assert "All rights reserved" not in str(home["text"])  # footer dropped
    codes = {f["code"] for f in json.loads(str(home["findings_json"]))}
    assert codes == {"REG001", "STAT001", "SAFE001"}
    testimonials = json.loads(str(found["/legacy/testimonials.html"]["findings_json"]))
    assert [f["text"] for f in testimonials] == ["no side effects"]
    assert found["/resources/patient-guide.txt"]["extractor"] == "source"


def test_crawl_stops_queueing_at_max_pages(
    tmp_path: Path, site: RunningSite, fast_policy: FetchPolicy
) -> None:
    options = ScanOptions(crawl=(site.url("/"),), max_pages=5, policy=fast_policy)
    _, _, summary = scan(tmp_path / "run.db", options)
    assert summary.pages == 5 and summary.complete


def test_crawl_max_depth_zero_scans_only_the_start_page(
    tmp_path: Path, site: RunningSite, fast_policy: FetchPolicy
) -> None:
    options = ScanOptions(crawl=(site.url("/"),), max_depth=0, policy=fast_policy)
    store, run_id, _ = scan(tmp_path / "run.db", options)
    assert list(rows(store, run_id, site.base)) == ["/"]


def test_sitemap_index_with_gzip_child_lists_exactly_its_pages(
    tmp_path: Path, site: RunningSite, fast_policy: FetchPolicy
) -> None:
    options = ScanOptions(sitemaps=(site.url("/sitemap_index.xml"),), policy=fast_policy)
    store, run_id, _ = scan(tmp_path / "run.db", options)
    found = rows(store, run_id, site.base)
    assert set(found) == {
        "/",
        "/treatments/anxiety.html",
        "/treatments/depression.html",
        "/about.html",
        "/faq.html",
        "/pricing.html",
        "/private/staff.html",
        "/missing.html",
        "/blog/esketamine-explained.html",
        "/blog/ptsd-and-ketamine.html",
    }
    assert found["/private/staff.html"]["status"] == "skipped"
    assert site.state.seen("/sitemap-blog.xml.gz") == 1
    assert site.state.seen("/login.html") == 0  # sitemap pages are not crawled further


def test_sitemap_that_is_not_a_sitemap_is_recorded_as_error(
    tmp_path: Path, site: RunningSite, fast_policy: FetchPolicy
) -> None:
    options = ScanOptions(sitemaps=(site.url("/faq.html"),), policy=fast_policy)
    store, run_id, _ = scan(tmp_path / "run.db", options)
    (row,) = rows(store, run_id, site.base).values()
    assert (row["status"], row["kind"]) == ("error", "sitemap")
    assert "sitemap is not well-formed XML" in str(row["reason"]) or "not a sitemap" in str(
        row["reason"]
    )


def test_local_files_one_bad_document_never_sinks_the_batch(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("Ketamine has no side effects.\n", encoding="utf-8")
    (docs / "b.md").write_text(f"Ordinary page. {CRASH_MARKER}\n", encoding="utf-8")
    (docs / "c.txt").write_text("It is completely safe.\n", encoding="utf-8")
    (docs / "d.bin.md").write_bytes(b"\x00\x01\x02binary\x00")
    (docs / "skip.png").write_bytes(b"\x89PNG")
    options = ScanOptions(paths=(str(docs),), batch_size=10)
    store, run_id, _ = scan(tmp_path / "run.db", options)
    found = {Path(key).name: row for key, row in rows(store, run_id).items()}
    assert set(found) == {"a.md", "b.md", "c.txt", "d.bin.md"}
    assert found["a.md"]["status"] == "ok" and found["a.md"]["n_error"] == 1
    assert found["c.txt"]["status"] == "ok" and found["c.txt"]["n_warning"] == 1
    assert found["b.md"]["status"] == "error"
    assert "fake auditor crashed" in str(found["b.md"]["reason"])
    assert found["d.bin.md"]["status"] == "error" and str(found["d.bin.md"]["reason"]).startswith(
        "IN"
    )


def test_process_pool_gives_the_same_findings_as_inline(
    tmp_path: Path, site: RunningSite, fast_policy: FetchPolicy
) -> None:
    options = ScanOptions(
        sitemaps=(site.url("/sitemap_index.xml"),), policy=fast_policy, batch_size=2
    )
    inline_store, inline_run, _ = scan(tmp_path / "inline.db", options)
    pool_store, pool_run, _ = scan(tmp_path / "pool.db", options, ProcessBackend(FakeFactory(), 2))
    inline = rows(inline_store, inline_run, site.base)
    pooled = rows(pool_store, pool_run, site.base)
    assert set(inline) == set(pooled)
    for key in inline:
        assert pooled[key]["findings_json"] == inline[key]["findings_json"], key
        assert pooled[key]["text"] == inline[key]["text"], key


def test_worker_death_costs_only_the_page_that_caused_it(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for n in range(5):
        (docs / f"p{n}.md").write_text(f"Page {n} has no side effects.\n", encoding="utf-8")
    (docs / "p2.md").write_text(f"Page 2. {DIE_MARKER}\n", encoding="utf-8")
    options = ScanOptions(paths=(str(docs),), batch_size=5)
    store, run_id, summary = scan(tmp_path / "run.db", options, ProcessBackend(DyingFactory(), 2))
    found = {Path(key).name: row for key, row in rows(store, run_id).items()}
    assert summary.complete and len(found) == 5
    assert found["p2.md"]["status"] == "error"
    assert found["p2.md"]["reason"] == "audit worker died while auditing this page"
    assert all(found[f"p{n}.md"]["n_error"] == 1 for n in (0, 1, 3, 4))


def test_start_run_without_sources_is_a_usage_error(tmp_path: Path) -> None:
    from claimaudit.errors import UsageError

    with (
        ScanStore(tmp_path / "run.db") as store,
        pytest.raises(UsageError, match="nothing to scan"),
    ):
        start_run(store, ScanOptions())


def test_options_round_trip_through_stored_args() -> None:
    options = ScanOptions(
        urls=("http://a.example/",), max_pages=3, policy=FetchPolicy(rate=0.5, timeout=2.0)
    )
    assert ScanOptions.from_args(json.loads(json.dumps(options.to_args()))) == options


def test_crawl_follows_the_start_page_to_its_canonical_host(
    tmp_path: Path, site: RunningSite, fast_policy: FetchPolicy
) -> None:
    start = site.base.replace("127.0.0.1", "localhost") + "/to-ip-host"
    options = ScanOptions(crawl=(start,), max_pages=4, policy=fast_policy)
    store, run_id, _ = scan(tmp_path / "run.db", options)
    found = rows(store, run_id)
    assert found[start]["status"] == "ok"
    assert found[start]["final_url"] == site.url("/")
    others = [key for key in found if key != start]
    assert len(others) == 3 and all(key.startswith(site.base + "/") for key in others)
