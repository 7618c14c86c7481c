"""Matplotlib set-up shared by the report's figures: headless backend, fonts with Arabic glyphs.

Arabic in plots: matplotlib ≥ 3.11 lays text out with libraqm (shaping and bidi), so Arabic
labels are drawn joined and right-to-left without extra packages, as long as the font has Arabic
glyphs. Noto Sans Arabic comes first when installed (fonts-noto-core); DejaVu Sans, which also
has Arabic letters, covers Latin text and is the fallback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

FONT_FAMILIES = ("Noto Sans Arabic", "DejaVu Sans")
#: Colours that stay distinct in greyscale print.
DARK = "#08306b"
MID = "#2171b5"
LIGHT = "#9ecae1"
GREY = "#636363"


def pyplot() -> Any:
    """matplotlib.pyplot on the Agg backend with the report's fonts (imported lazily: it is slow)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    families = [f for f in FONT_FAMILIES if f in installed] or ["DejaVu Sans"]
    plt.rcParams.update(
        {
            "font.family": families,
            "font.size": 9,
            "axes.titlesize": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "svg.hashsalt": "sijill",
        }
    )
    return plt


def save(fig: Any, path: Path, stamp: str | None = None) -> Path:
    """Write a figure as PNG without a timestamp in its metadata, the stamp in small print."""
    plt = pyplot()
    if stamp:
        fig.text(0.995, 0.005, stamp, ha="right", va="bottom", fontsize=5.5, color=GREY)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=170, metadata={"Software": None})
    plt.close(fig)
    return path
