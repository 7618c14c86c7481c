"""Plots for estimates, readable in print (matplotlib, no display needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

LABELS = {
    "en": {
        "observed": "documented (on a list)",
        "estimate": "estimate",
        "interval": "interval",
        "people": "people",
    },
    "ar": {
        "observed": "موثّق (في قائمة)",
        "estimate": "التقدير",
        "interval": "المجال",
        "people": "أشخاص",
    },
}


def plot_estimate(
    result: Any, path: Path, lang: str = "en", title: str | None = None, *, stamp: str = ""
) -> Path:
    """Documented count, estimate and interval on one axis; posterior density when the result has one.

    Args:
        result: An `EstimationResult` (or any object with its attributes).
        path: The PNG or SVG to write.
        lang: ``en`` or ``ar`` for the labels (Arabic is shaped by matplotlib's libraqm layout).
        title: The plot title (default: the method).
        stamp: A reproducibility stamp printed small in the corner (reports).
    """
    from sijill.reports.style import GREY, pyplot

    plt = pyplot()
    labels = LABELS.get(lang, LABELS["en"])
    fig, ax = plt.subplots(figsize=(7, 2.8), dpi=150)
    grid = result.diagnostics.get("posterior_grid") if hasattr(result, "diagnostics") else None
    density = (
        result.diagnostics.get("posterior_density") if hasattr(result, "diagnostics") else None
    )
    if grid is not None and density is not None and len(grid) == len(density):
        ax.fill_between(grid, density, color="#9ecae1", alpha=0.6, step="mid")
    ax.set_yticks([])
    ax.axvspan(
        result.lower,
        result.upper,
        color="#3182bd",
        alpha=0.15,
        # LRMs keep "95%" in that order inside right-to-left Arabic text.
        label=f"{labels['interval']} \u200e{result.level:.0%}\u200e",
    )
    ax.axvline(
        result.estimate,
        color="#08519c",
        linewidth=2,
        label=f"{labels['estimate']} {result.estimate:,.0f}",
    )
    ax.axvline(
        result.n_observed,
        color="#636363",
        linestyle="--",
        label=f"{labels['observed']} {result.n_observed:,}",
    )
    ax.set_xlabel(labels["people"])
    ax.set_title(title or result.method, pad=24)
    # Between the title and the axis, so the legend never hides the lines it explains.
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3, fontsize=8, frameon=False)
    ax.spines[["top", "right", "left"]].set_visible(False)
    fig.tight_layout()
    if stamp:
        fig.subplots_adjust(bottom=max(fig.subplotpars.bottom, 0.22))
        fig.text(0.995, 0.005, stamp, ha="right", va="bottom", fontsize=5.5, color=GREY)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, metadata={"Software": None} if path.suffix == ".png" else None)
    plt.close(fig)
    return path
