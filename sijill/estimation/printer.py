"""Text and HTML rendering of estimation results (kept apart from the numbers)."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sijill.estimation.base import EstimationResult
    from sijill.estimation.testimony import TestimonyResult


def format_number(value: Any) -> str:
    """A figure as people read it: thousands separators, few decimals, '—' for missing."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return "—" if value != value else ("∞" if value > 0 else "-∞")
        if abs(value) >= 100:
            return f"{value:,.0f}"
        return f"{value:.4g}"
    return str(value)


def _flat(mapping: Mapping[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for key, value in mapping.items():
        label = f"{prefix}{key}"
        if isinstance(value, Mapping):
            rows.extend(_flat(value, f"{label}."))
        elif isinstance(value, tuple | list) and value and isinstance(value[0], Mapping):
            for position, item in enumerate(value, start=1):
                cells = ", ".join(f"{k}={format_number(v)}" for k, v in item.items())
                rows.append((f"{label}[{position}]", cells))
        elif isinstance(value, tuple | list):
            shown = ", ".join(format_number(v) for v in value[:8])
            rows.append((label, shown + (", …" if len(value) > 8 else "")))
        else:
            rows.append((label, format_number(value)))
    return rows


def render_text(result: EstimationResult) -> str:
    """Plain-text summary: headline figure, interval, then diagnostics, settings and warnings."""
    pct = f"{result.level * 100:g}%"
    lines = [
        f"Method: {result.method}",
        f"Observed: {result.n_observed:,}",
        f"Estimate: {format_number(result.estimate)} "
        f"({pct} interval {format_number(result.lower)} – {format_number(result.upper)})",
    ]
    for title, mapping in (("Diagnostics", result.diagnostics), ("Settings", result.settings)):
        rows = _flat(mapping)
        if rows:
            lines.append(f"{title}:")
            lines.extend(f"  {key}: {value}" for key, value in rows)
    if result.warnings:
        lines.append("Warnings:")
        lines.extend(f"  ! {w}" for w in result.warnings)
    lines.append(f"Input SHA-256: {result.input_hash}")
    return "\n".join(lines)


def render_html(result: EstimationResult) -> str:
    """An HTML fragment (no page chrome) with the same content as ``render_text``."""
    pct = f"{result.level * 100:g}%"
    parts = [
        '<section class="estimation-result">',
        f"<h3>{escape(result.method)}</h3>",
        "<table>",
        f"<tr><th>Observed</th><td>{result.n_observed:,}</td></tr>",
        f"<tr><th>Estimate</th><td>{escape(format_number(result.estimate))}</td></tr>",
        f"<tr><th>{pct} interval</th><td>{escape(format_number(result.lower))} – "
        f"{escape(format_number(result.upper))}</td></tr>",
    ]
    for title, mapping in (("Diagnostics", result.diagnostics), ("Settings", result.settings)):
        rows = _flat(mapping)
        if rows:
            parts.append(f'<tr><th colspan="2">{title}</th></tr>')
            parts.extend(
                f"<tr><th>{escape(key)}</th><td>{escape(value)}</td></tr>" for key, value in rows
            )
    parts.append("</table>")
    if result.warnings:
        parts.append('<ul class="warnings">')
        parts.extend(f"<li>{escape(w)}</li>" for w in result.warnings)
        parts.append("</ul>")
    parts.append(f"<p><small>Input SHA-256: <code>{escape(result.input_hash)}</code></small></p>")
    parts.append("</section>")
    return "\n".join(parts)


def render_testimony_html(result: TestimonyResult) -> str:
    """An HTML fragment for a testimony-derived range: figures, drivers, sources and notes."""
    pct = f"{result.level * 100:g}%"
    low, high = result.arithmetic_range
    parts = [
        '<section class="estimation-result testimony">',
        "<h3>Testimony-derived range</h3>",
        "<table>",
        f"<tr><th>Estimate (median)</th><td>{escape(format_number(result.estimate))}</td></tr>",
        f"<tr><th>{pct} interval</th><td>{escape(format_number(result.lower))} – "
        f"{escape(format_number(result.upper))}</td></tr>",
        f"<tr><th>Arithmetic range</th><td>{escape(format_number(low))} – "
        f"{escape(format_number(high))}</td></tr>",
        '<tr><th colspan="2">What drives the range (share of variance)</th></tr>',
    ]
    parts.extend(
        f"<tr><th>{escape(str(d['input']))}</th><td>{d['share_of_variance']:.0%}</td></tr>"
        for d in result.drivers
    )
    if len(result.per_source) > 1:
        parts.append('<tr><th colspan="2">By source</th></tr>')
        parts.extend(
            f"<tr><th>{escape(source)}</th><td>{escape(format_number(v['estimate']))} "
            f"({escape(format_number(v['lower']))} – {escape(format_number(v['upper']))})</td></tr>"
            for source, v in result.per_source.items()
        )
    parts.append("</table>")
    if result.notes:
        parts.append('<ul class="notes">')
        parts.extend(f"<li>{escape(note)}</li>" for note in result.notes)
        parts.append("</ul>")
    parts.append("</section>")
    return "\n".join(parts)
