"""The report's charts from plain data: event timeline, list overlaps (UpSet-style), testimony ranges.

Each function takes the JSON-ready data the report stores (so a figure can be recomputed and
compared), the report's language and the path to write. In Arabic the category labels sit on
the right, as a right-to-left reader starts there; time and numbers still grow to the right,
as in Arabic statistical publications.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sijill.reports.messages import message
from sijill.reports.style import DARK, GREY, LIGHT, MID, pyplot, save


def _year_fraction(day: str) -> float:
    d = date.fromisoformat(day)
    return d.year + (d.timetuple().tm_yday - 1) / 366


def _labels_right(ax: Any, lang: str) -> None:
    if lang == "ar":
        ax.yaxis.tick_right()
        ax.yaxis.set_label_position("right")
        ax.spines[["left"]].set_visible(False)
        ax.spines[["right"]].set_visible(True)


def plot_timeline(events: list[dict[str, Any]], path: Path, lang: str, stamp: str = "") -> Path:
    """Events as horizontal bars from their earliest to their latest possible date.

    Args:
        events: Dicts with ``code``, ``title``, ``earliest`` and ``latest`` (ISO days or None
            for an open end, drawn hatched to the plot's edge) and ``exact`` (True when the
            date is known to the day; drawn as a dot).
        path: The PNG to write.
        lang: ``en`` or ``ar`` (axis label and label side).
        stamp: The reproducibility stamp printed in the corner.
    """
    plt = pyplot()
    dated = [e for e in events if e.get("earliest") or e.get("latest")]
    known = [_year_fraction(e[k]) for e in dated for k in ("earliest", "latest") if e.get(k)]
    left, right = (min(known) - 0.5, max(known) + 0.5) if known else (0.0, 1.0)
    fig, ax = plt.subplots(figsize=(7, 0.45 * max(len(dated), 2) + 0.9))
    for row, event in enumerate(reversed(dated)):
        start = _year_fraction(event["earliest"]) if event.get("earliest") else left
        end = _year_fraction(event["latest"]) if event.get("latest") else right
        if event.get("exact") or end - start < 0.02:
            ax.plot([start], [row], marker="o", color=DARK)
            continue
        open_end = not event.get("earliest") or not event.get("latest")
        ax.barh(
            row,
            end - start,
            left=start,
            height=0.5,
            color=LIGHT,
            edgecolor=MID,
            hatch="///" if open_end else None,
            linestyle="--" if open_end else "-",
        )
    ax.set_xlim(left, right)
    ax.set_yticks(range(len(dated)))
    ax.set_yticklabels([f"{e['code']}  {e['title']}" for e in reversed(dated)])
    ax.set_xlabel(message("year", lang))
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    _labels_right(ax, lang)
    fig.tight_layout()
    return save(fig, path, stamp)


def plot_overlaps(data: dict[str, Any], path: Path, lang: str, stamp: str = "") -> Path:
    """An UpSet-style plot: bars of people per exact combination of lists, a dot matrix below.

    Args:
        data: ``lists`` (names, in order) and ``patterns`` (dicts with ``lists`` — the names
            holding those people — and ``count``), as `services.reports` computes them.
        path: The PNG to write.
        lang: ``en`` or ``ar``.
        stamp: The reproducibility stamp printed in the corner.
    """
    plt = pyplot()
    lists: list[str] = list(data["lists"])
    patterns = sorted(data["patterns"], key=lambda p: (-int(p["count"]), p["lists"]))[:20]
    fig, (top, bottom) = plt.subplots(
        2,
        1,
        figsize=(7, 2.6 + 0.28 * len(lists)),
        sharex=True,
        gridspec_kw={"height_ratios": [3, max(1, 0.35 * len(lists))]},
    )
    xs = range(len(patterns))
    counts = [int(p["count"]) for p in patterns]
    top.bar(xs, counts, color=MID, width=0.6)
    for x, n in zip(xs, counts, strict=True):
        top.text(x, n, f"{n:,}", ha="center", va="bottom", fontsize=7)
    top.set_ylabel(message("people", lang))
    for x, pattern in enumerate(patterns):
        members = [lists.index(name) for name in pattern["lists"]]
        bottom.scatter([x] * len(lists), range(len(lists)), color="#dddddd", s=28)
        bottom.scatter([x] * len(members), members, color=DARK, s=28)
        if len(members) > 1:
            bottom.plot([x, x], [min(members), max(members)], color=DARK, linewidth=1.5)
    bottom.set_yticks(range(len(lists)))
    bottom.set_yticklabels(lists)
    bottom.set_ylim(-0.6, len(lists) - 0.4)
    bottom.invert_yaxis()
    bottom.set_xticks([])
    bottom.spines[["bottom", "left"]].set_visible(False)
    bottom.tick_params(axis="y", length=0)
    _labels_right(top, lang)
    _labels_right(bottom, lang)
    fig.tight_layout()
    return save(fig, path, stamp)


def plot_testimony_ranges(
    rows: list[dict[str, Any]], path: Path, lang: str, stamp: str = ""
) -> Path:
    """Per source and event: the arithmetic range (thin) and the simulated interval (thick).

    Args:
        rows: Dicts with ``label``, ``arithmetic`` ([low, high]), ``lower``, ``upper`` and
            ``estimate``.
        path: The PNG to write.
        lang: ``en`` or ``ar``.
        stamp: The reproducibility stamp printed in the corner.
    """
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7, 0.55 * max(len(rows), 2) + 0.9))
    for y, row in enumerate(reversed(rows)):
        low, high = row["arithmetic"]
        ax.plot([low, high], [y, y], color=GREY, linewidth=1)
        ax.plot([row["lower"], row["upper"]], [y, y], color=MID, linewidth=7, solid_capstyle="butt")
        ax.plot([row["estimate"]], [y], marker="|", color=DARK, markersize=14, markeredgewidth=2)
        ax.text(high, y + 0.22, f"{row['estimate']:,.0f}", fontsize=7, ha="right", color=DARK)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([r["label"] for r in reversed(rows)])
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlabel(message("people", lang))
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    _labels_right(ax, lang)
    fig.tight_layout()
    return save(fig, path, stamp)
