"""Write a report folder: figures (PNG), report.html, report.pdf (WeasyPrint) and report.json."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sijill.reports.manifest import ReportManifest, software_versions
from sijill.reports.messages import catalogue
from sijill.reports.stamps import Stamp, sha256_of

FIGURE_DIR = "figures"


@dataclass(frozen=True)
class WrittenReport:
    """The files of a written report and its manifest."""

    html: Path
    pdf: Path
    path: Path
    manifest: ReportManifest


def _direction(text: str) -> str:
    """``rtl`` or ``ltr`` from the first strong character (what `dir="auto"` would choose)."""
    import unicodedata

    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def _isolate(value: Any) -> Any:
    """Text isolated in its own direction, so Latin values read right inside Arabic pages."""
    from markupsafe import Markup, escape

    text = "" if value is None else str(value)
    return Markup(f'<span dir="{_direction(text)}" class="iso">{escape(text)}</span>')


def _number(value: Any) -> str:
    if value is None:
        return "—"
    return f"{float(value):,.0f}"


def _plot_estimate(data: dict[str, Any], path: Path, lang: str, stamp: str) -> Path:
    from sijill.reports.plots import plot_estimate

    result = SimpleNamespace(**{**data, "diagnostics": data.get("diagnostics") or {}})
    return plot_estimate(result, path, lang=lang, title=str(data["method"]), stamp=stamp)


def _figure_plan(sections: dict[str, Any]) -> dict[str, tuple[Callable[..., Path], Any]]:
    """Which item gets a figure, drawn by which function from which data."""
    from sijill.reports.charts import plot_overlaps, plot_testimony_ranges, plot_timeline
    from sijill.reports.maps import plot_map

    plan: dict[str, tuple[Callable[..., Path], Any]] = {}
    if sections["timeline"]["events"]:
        plan["timeline"] = (plot_timeline, sections["timeline"]["events"])
    plan["map"] = (plot_map, sections["map"])
    if sections.get("linkage"):
        plan["linkage"] = (plot_overlaps, sections["linkage"])
    for key, value in sections.items():
        if key.startswith("estimate:") and "error" not in value:
            plan[key] = (_plot_estimate, value)
    if sections.get("testimony"):
        plan["testimony"] = (plot_testimony_ranges, sections["testimony"])
    return plan


def _sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_report(
    directory: Path,
    sections: dict[str, Any],
    settings: dict[str, Any],
    *,
    case_title: str,
    created_at: str,
) -> WrittenReport:
    """Draw the figures, render HTML and PDF, and write report.json with every stamp.

    Args:
        directory: The report folder (created).
        sections: Each section's data (see `services.reports.collect_sections`).
        settings: The report settings as a dict (``lang`` and ``scope`` among them).
        case_title: The case's title for the heading.
        created_at: When the report was made (UTC, ISO).
    """
    import jinja2

    from sijill.domain.vocabulary import CONSENT_SCOPES

    lang = str(settings["lang"])
    directory.mkdir(parents=True, exist_ok=True)
    stamps = {key: Stamp.of(value, {**settings, "item": key}) for key, value in sections.items()}
    items: dict[str, dict[str, Any]] = {}
    figures: dict[str, str] = {}
    for key, (draw, data) in _figure_plan(sections).items():
        name = f"{FIGURE_DIR}/{key.replace(':', '-')}.png"
        draw(data, directory / name, lang, stamps[key].short())
        figures[key] = name
    for key, stamp in stamps.items():
        # The data itself goes in too, so anyone can re-hash it and redraw the figure from it.
        items[key] = {"figure": figures.get(key), **stamp.to_dict(), "data": sections[key]}
    settings_hash = sha256_of(settings)
    data_hash = sha256_of({k: v["data_hash"] for k, v in items.items()})
    software = software_versions()
    template_dir = resources.files("sijill.reports").joinpath("templates")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters["num"] = _number
    env.filters["bidi"] = _isolate
    template = env.from_string(template_dir.joinpath("report.html").read_text("utf-8"))
    estimates = [(k, v) for k, v in sections.items() if k.startswith("estimate:")]
    html_text = template.render(
        lang=lang,
        t=catalogue(lang),
        css=template_dir.joinpath("report.css").read_text("utf-8"),
        settings=settings,
        settings_hash=settings_hash,
        data_hash=data_hash,
        scope_label=CONSENT_SCOPES.get(str(settings["scope"])).label(lang),
        case_title=case_title,
        created_at=created_at,
        sections=sections,
        estimates=estimates,
        figures=_Lookup(figures),
        stamps=_Lookup({k: v.short() for k, v in stamps.items()}),
        items=items,
        software=software,
    )
    html_path = directory / "report.html"
    html_path.write_text(html_text, "utf-8")
    pdf_path = directory / "report.pdf"
    _write_pdf(html_path, pdf_path)
    files = {
        str(p.relative_to(directory)): _sha256_file(p)
        for p in sorted(directory.rglob("*"))
        if p.is_file() and p.name != "report.json"
    }
    manifest = ReportManifest(
        version=str(software["sijill"]),
        created_at=created_at,
        settings=settings,
        settings_hash=settings_hash,
        data_hash=data_hash,
        items=items,
        software=software,
        files=files,
    )
    return WrittenReport(html_path, pdf_path, manifest.write(directory), manifest)


class _Lookup(dict[str, str]):
    """A dict whose missing keys read as empty in the template (a figure not drawn)."""

    def __missing__(self, key: str) -> str:
        return ""


def _write_pdf(html_path: Path, pdf_path: Path) -> None:
    import logging

    import weasyprint

    # WeasyPrint logs every unsupported CSS property; the report's CSS is known to print.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    weasyprint.HTML(filename=str(html_path), base_url=str(html_path.parent)).write_pdf(
        str(pdf_path)
    )
