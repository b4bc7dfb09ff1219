"""Reporters: each `reporters/<format>.py` is a pure `render(result, options) -> str`.

`REPORTERS` maps a format name to "module:function"; modules are imported only when used.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from claimaudit.findings.model import Severity
from claimaudit.result import AuditResult
from claimaudit.rules.base import Rule


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """What a reporter may be told besides the result. Reporters decide nothing else."""

    color: bool = False  # text: ANSI colours
    verbose: bool = False  # text: suggestion and evidence lines under each finding
    quiet: bool = False  # text: findings only, no summary line
    rules: tuple[Rule, ...] = ()  # rule records for SARIF metadata and HTML/markdown titles
    root: str = ""  # paths are shown relative to this directory when below it
    fail_on: Severity = Severity.WARNING


DEFAULT_OPTIONS = ReportOptions()

Renderer = Callable[[AuditResult, ReportOptions], str]

REPORTERS: dict[str, str] = {
    "text": "claimaudit.reporters.text:render",
    "json": "claimaudit.reporters:_render_json",
    "sarif": "claimaudit.reporters.sarif:render",
    "github": "claimaudit.reporters.github:render",
    "markdown": "claimaudit.reporters.markdown:render",
    "csv": "claimaudit.reporters.csv_report:render",
    "junit": "claimaudit.reporters.junit:render",
    "html": "claimaudit.reporters.html_report:render",
}


def get_reporter(name: str) -> Renderer:
    """The render function of a format (KeyError for an unknown name)."""
    module_name, attribute = REPORTERS[name].split(":")
    renderer: Renderer = getattr(importlib.import_module(module_name), attribute)
    return renderer


def render(result: AuditResult, format_name: str, options: ReportOptions | None = None) -> str:
    return get_reporter(format_name)(result, options or ReportOptions())


def _render_json(result: AuditResult, options: ReportOptions) -> str:
    from claimaudit.reporters.json_report import render_json

    return render_json(result)
