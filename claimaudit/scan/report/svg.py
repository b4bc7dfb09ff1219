"""Small inline SVG charts (no scripts, no external assets). Every label is escaped."""

from __future__ import annotations

from html import escape

SEVERITY_COLORS = {"error": "#c0392b", "warning": "#d68910", "info": "#2e86c1"}
STATUS_COLORS = {"ok": "#1e8449", "error": "#c0392b", "skipped": "#7f8c8d"}


def stacked_bars(
    rows: list[tuple[str, list[tuple[str, int]]]],
    colors: dict[str, str],
    *,
    title: str,
    width: int = 560,
    bar_height: int = 18,
) -> str:
    """Horizontal stacked bars: one row per label, one segment per (series, value)."""
    label_width = 150
    gap = 8
    top = 28
    legend_height = 22
    height = top + len(rows) * (bar_height + gap) + legend_height + 4
    largest = max((sum(value for _, value in series) for _, series in rows), default=0) or 1
    scale = (width - label_width - 50) / largest
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" aria-label="{escape(title)}">'
        ),
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" font-size="13" font-weight="bold">{escape(title)}</text>',
    ]
    for index, (label, series) in enumerate(rows):
        y = top + index * (bar_height + gap)
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height - 5}" font-size="12" '
            f'text-anchor="end">{escape(label)}</text>'
        )
        x = float(label_width)
        total = 0
        for name, value in series:
            if value <= 0:
                continue
            w = value * scale
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_height}" '
                f'fill="{colors.get(name, "#999")}"><title>{escape(label)}: {value} '
                f"{escape(name)}</title></rect>"
            )
            x += w
            total += value
        parts.append(
            f'<text x="{x + 4:.1f}" y="{y + bar_height - 5}" font-size="12">{total}</text>'
        )
    legend_y = top + len(rows) * (bar_height + gap) + 12
    x = label_width
    for name, color in colors.items():
        parts.append(f'<rect x="{x}" y="{legend_y - 10}" width="10" height="10" fill="{color}"/>')
        parts.append(f'<text x="{x + 14}" y="{legend_y}" font-size="11">{escape(name)}</text>')
        x += 80
    parts.append("</svg>")
    return "".join(parts)
