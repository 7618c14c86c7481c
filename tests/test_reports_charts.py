"""The report's figures draw from plain data in both languages, byte-identical for the same data."""

from __future__ import annotations

from pathlib import Path

import pytest

from sijill.reports.charts import plot_overlaps, plot_testimony_ranges, plot_timeline
from sijill.reports.document import _plot_estimate
from sijill.reports.maps import map_data, plot_map

EVENTS = [
    {"code": "E-001", "title": "الاحتجاز", "earliest": "2011-09-01", "latest": "2015-12-31"},
    {"code": "E-002", "title": "Trial", "earliest": "2013-05-14", "latest": "2013-05-14"},
    {"code": "E-003", "title": "Graves", "earliest": "2012-01-01", "latest": None},
]
OVERLAPS = {
    "lists": ["A", "B", "C"],
    "patterns": [
        {"lists": ["A"], "count": 40},
        {"lists": ["A", "B"], "count": 12},
        {"lists": ["B", "C"], "count": 7},
        {"lists": ["A", "B", "C"], "count": 3},
    ],
}
RANGES = [
    {
        "label": "E-002 · W-001",
        "arithmetic": [4523, 22614],
        "lower": 5802,
        "upper": 19844,
        "estimate": 11406,
    }
]
ESTIMATE = {
    "method": "loglinear",
    "estimate": 2039.0,
    "lower": 1900.0,
    "upper": 2226.0,
    "level": 0.95,
    "n_observed": 1542,
    "diagnostics": {},
}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_figure_draws_and_redraws_identically(lang: str, tmp_path: Path) -> None:
    figures = {
        "timeline": lambda p: plot_timeline(EVENTS, p, lang, "data 1 · settings 2"),
        "overlaps": lambda p: plot_overlaps(OVERLAPS, p, lang, "stamp"),
        "testimony": lambda p: plot_testimony_ranges(RANGES, p, lang, "stamp"),
        "map": lambda p: plot_map(map_data({"SY01": 200, "SY03": 330}, lang), p, lang, "s"),
        "estimate": lambda p: _plot_estimate(ESTIMATE, p, lang, "stamp"),
    }
    for name, draw in figures.items():
        first, second = tmp_path / f"{name}-1.png", tmp_path / f"{name}-2.png"
        draw(first)
        draw(second)
        assert first.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
        assert first.read_bytes() == second.read_bytes(), name


def test_map_data_has_every_governorate_and_counts_what_has_no_place() -> None:
    data = map_data({"SY01": 5, "unknown": 3}, "ar")
    assert len(data["governorates"]) == 14
    damascus = next(g for g in data["governorates"] if g["pcode"] == "SY01")
    assert (damascus["name"], damascus["value"]) == ("دمشق", 5)
    assert data["unplaced"] == 3
    assert any(f["lat"] and f["lon"] for f in data["facilities"])
