"""A schematic map of Syria drawn offline: governorates as proportional circles at their centroids.

The bundled gazetteer has centroids but no boundaries, so the map shows no outlines: each
governorate is a circle whose area is proportional to the figure's measure (people or events),
labelled with its name; detention facilities with sourced coordinates are triangles. Longitude is
scaled by cos(latitude) so distances look right at Syria's latitude. No tiles, no internet.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from sijill.reports.style import DARK, GREY, LIGHT, MID, pyplot, save


def map_data(values: dict[str, int], lang: str) -> dict[str, Any]:
    """The governorates (with the measure) and the facilities, as plain data for `plot_map`.

    Args:
        values: Measure per governorate p-code (missing governorates count 0).
        lang: ``en`` or ``ar`` for the labels.
    """
    from sijill.geo import gazetteer

    gaz = gazetteer()
    governorates = [
        {
            "pcode": g.pcode,
            "name": g.label(lang),
            "lat": g.lat,
            "lon": g.lon,
            "value": int(values.get(g.pcode, 0)),
        }
        for g in gaz.governorates
        if g.lat is not None and g.lon is not None
    ]
    facilities = [
        {"name": f.label(lang), "lat": f.lat, "lon": f.lon}
        for f in gaz.facilities
        if f.lat is not None and f.lon is not None
    ]
    unplaced = sum(v for k, v in values.items() if k not in {g["pcode"] for g in governorates})
    return {"governorates": governorates, "facilities": facilities, "unplaced": unplaced}


def plot_map(data: dict[str, Any], path: Path, lang: str, stamp: str = "") -> Path:
    """Draw the schematic map (see the module docstring) to a PNG.

    Args:
        data: What `map_data` returns.
        path: The PNG to write.
        lang: ``en`` or ``ar`` (labels are already in that language in `data`).
        stamp: The reproducibility stamp printed in the corner.
    """
    plt = pyplot()
    govs = data["governorates"]
    scale = math.cos(math.radians(35.0))
    fig, ax = plt.subplots(figsize=(6.4, 5.2))
    largest = max([g["value"] for g in govs] + [1])
    for g in govs:
        x, y = g["lon"] * scale, g["lat"]
        radius_pt = 4 + 26 * math.sqrt(g["value"] / largest) if g["value"] else 3
        ax.scatter(
            [x],
            [y],
            s=radius_pt**2,
            color=LIGHT if g["value"] else "white",
            edgecolor=MID,
            linewidth=1,
            zorder=2,
        )
        label = f"{g['name']} {g['value']:,}" if g["value"] else g["name"]
        ax.annotate(
            label,
            (x, y),
            xytext=(0, -radius_pt / 2 - 3),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=7,
            color=DARK,
            zorder=4,
        )
    for f in data["facilities"]:
        ax.scatter([f["lon"] * scale], [f["lat"]], marker="^", s=26, color="#a50f15", zorder=3)
    ax.set_aspect("equal")
    ax.margins(0.12)
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ("left", "bottom", "top", "right"):
        ax.spines[side].set_visible(False)
    ax.text(0.01, 0.99, "N ↑", transform=ax.transAxes, va="top", fontsize=8, color=GREY)
    fig.tight_layout()
    return save(fig, path, stamp)
