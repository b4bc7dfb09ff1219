"""Batch scanning: local files, URL lists, sitemaps and crawls into a resumable SQLite store.

`claimaudit scan` drives this package: `engine` runs the loop, `fetch`/`robots`/`links`/
`sitemap` get the pages, `worker` audits them in worker processes (`backends`: inline,
local process pool or Dask), `store` keeps everything, `report` writes site reports.
"""

from claimaudit.scan.engine import Scanner, ScanOptions, ScanSummary, start_run
from claimaudit.scan.fetch import FetchPolicy
from claimaudit.scan.store import ScanStore

__all__ = ["FetchPolicy", "ScanOptions", "ScanStore", "ScanSummary", "Scanner", "start_run"]
