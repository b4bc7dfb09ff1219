"""The editor's web page: a Starlette app that audits pasted or uploaded drafts in place.

`create_app()` builds the app; `claimaudit serve` runs it with uvicorn. Nothing here imports
spaCy: the auditor is built lazily, once per process, in a background thread.
"""

from __future__ import annotations

from claimaudit.serve.app import create_app

__all__ = ["create_app"]
