"""The site report: one self-contained HTML page (inline CSS and SVG, no scripts)."""

from __future__ import annotations

from html import escape

from claimaudit.scan.report.aggregate import SEVERITIES, SiteSummary, StoredPage
from claimaudit.scan.report.svg import SEVERITY_COLORS, STATUS_COLORS, stacked_bars
from claimaudit.scan.store import RunInfo

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#222}
h1{font-size:1.5rem}h2{font-size:1.25rem;margin-top:2.5rem;border-bottom:1px solid #ddd}
h3{font-size:1.05rem;margin-top:1.5rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;width:100%}
th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
.meta{color:#555}.charts{display:flex;flex-wrap:wrap;gap:2rem}
.sev-error{color:#c0392b;font-weight:600}.sev-warning{color:#a0660a;font-weight:600}
.sev-info{color:#2e86c1}code{background:#f4f4f4;padding:0 .2rem}
.url{word-break:break-all}
"""


def render_site_report(run: RunInfo, sites: list[SiteSummary], page_files: dict[str, str]) -> str:
    """HTML for all sites of a run. `page_files` maps page key -> relative report path."""
    title = "claimaudit site report"
    sections = "\n".join(_site_section(site, page_files) for site in sites)
    toc = "".join(
        f'<li><a href="#{_anchor(site.site)}">{escape(site.site)}</a>: {site.pages} pages, '
        f"{site.findings} findings</li>"
        for site in sites
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{_CSS}</style></head><body>"
        f"<h1>{title}</h1>"
        f'<p class="meta">Run {run.id}, started {escape(run.started)}'
        f"{', finished ' + escape(run.finished) if run.finished else ' (not finished)'}"
        f" · claimaudit {escape(run.tool_version)} · knowledge base "
        f"{escape(run.kb_version or '?')} ({escape(run.kb_hash[:12] or '?')})</p>"
        f'<ul>{toc}</ul>{sections}<p class="meta">Also as CSV: '
        '<a href="site_summary.csv">site_summary.csv</a>, <a href="pages.csv">pages.csv</a>, '
        '<a href="findings.csv">findings.csv</a>.</p></body></html>\n'
    )


def _anchor(site: str) -> str:
    return "site-" + "".join(ch if ch.isalnum() else "-" for ch in site)


def _site_section(site: SiteSummary, page_files: dict[str, str]) -> str:
    severity = dict(site.by_severity)
    status_chart = stacked_bars(
        [("pages", [("ok", site.ok), ("error", site.errors), ("skipped", site.skipped)])],
        STATUS_COLORS,
        title="Pages by outcome",
    )
    family_chart = stacked_bars(
        [(family, list(counts)) for family, counts in site.by_family] or [("none", [])],
        SEVERITY_COLORS,
        title="Findings by family and severity",
    )
    return (
        f'<h2 id="{_anchor(site.site)}">{escape(site.site)}</h2>'
        f"<p>{site.pages} pages scanned: {site.ok} ok, {site.errors} errors, "
        f"{site.skipped} skipped. {site.findings} findings: "
        + ", ".join(
            f'<span class="sev-{sev}">{severity.get(sev, 0)} {sev}</span>' for sev in SEVERITIES
        )
        + f'.</p><div class="charts">{status_chart}{family_chart}</div>'
        + _worst_pages(site.worst_pages, page_files)
        + _top_claims(site, page_files)
        + _problems(site)
    )


def _page_link(page_key: str, page_files: dict[str, str]) -> str:
    target = page_files.get(page_key)
    label = f'<span class="url">{escape(page_key)}</span>'
    return f'<a href="{escape(target)}">{label}</a>' if target else label


def _worst_pages(pages: tuple[StoredPage, ...], page_files: dict[str, str]) -> str:
    if not pages:
        return "<h3>Worst pages</h3><p>No findings on this site.</p>"
    rows = "".join(
        f'<tr><td>{_page_link(page.key, page_files)}</td><td class="n">{page.score}</td>'
        + "".join(f'<td class="n">{page.count(sev)}</td>' for sev in SEVERITIES)
        + "</tr>"
        for page in pages
    )
    return (
        '<h3>Worst pages</h3><p class="meta">By weighted severity (error 3, warning 2, '
        "info 1 per finding).</p><table><tr><th>Page</th><th>Score</th><th>Errors</th>"
        f"<th>Warnings</th><th>Info</th></tr>{rows}</table>"
    )


def _top_claims(site: SiteSummary, page_files: dict[str, str]) -> str:
    if not site.top_claims:
        return ""
    rows = []
    for group in site.top_claims:
        examples = "<br>".join(_page_link(key, page_files) for key in group.pages[:3])
        more = f" and {len(group.pages) - 3} more" if len(group.pages) > 3 else ""
        rows.append(
            f"<tr><td>“{escape(group.claim)}”</td><td><code>{escape(group.code)}</code> "
            f'<span class="sev-{escape(group.severity)}">{escape(group.severity)}</span><br>'
            f'{escape(group.message)}</td><td class="n">{len(group.pages)}</td>'
            f'<td class="n">{group.occurrences}</td><td>{examples}{more}</td></tr>'
        )
    return (
        "<h3>Most frequent problem claims</h3><table><tr><th>Claim</th><th>Code and reason</th>"
        "<th>Pages</th><th>Times</th><th>Example pages</th></tr>" + "".join(rows) + "</table>"
    )


def _problems(site: SiteSummary) -> str:
    if not site.problems:
        return ""
    rows = "".join(
        f'<tr><td>{escape(reason)}</td><td class="n">{count}</td></tr>'
        for reason, count in site.problems
    )
    return f"<h3>Pages not audited</h3><table><tr><th>Outcome</th><th>Pages</th></tr>{rows}</table>"
