"""Testimony-derived ranges: totals simulated from what witnesses reported, with their drivers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

import numpy as np

from sijill.errors import InputError
from sijill.estimation.base import json_safe
from sijill.estimation.printer import format_number
from sijill.estimation.testimony_inputs import UncertainDate, UncertainQuantity, weeks_between

COMBINE = ("pool", "average")

QuantityLike = str | float | UncertainQuantity
DateLike = str | date | UncertainDate


@dataclass(frozen=True)
class Period:
    """A span during which events happened at one reported rate and size.

    Attributes:
        start: when the events began (uncertain).
        end: when they stopped (uncertain, inclusive).
        events_per_week: how often ('once or twice a week' → 1–2).
        people_per_event: how many each time ('20–50').
        label: name of the sub-period in the report.
    """

    start: UncertainDate
    end: UncertainDate
    events_per_week: UncertainQuantity
    people_per_event: UncertainQuantity
    label: str = ""

    @classmethod
    def of(
        cls,
        start: DateLike,
        end: DateLike,
        events_per_week: QuantityLike,
        people_per_event: QuantityLike,
        label: str = "",
    ) -> Period:
        """Build a period from plain words or numbers (see ``UncertainQuantity.parse``)."""
        period = cls(
            UncertainDate.parse(start),
            UncertainDate.parse(end),
            UncertainQuantity.parse(events_per_week),
            UncertainQuantity.parse(people_per_event),
            label,
        )
        if period.end.latest < period.start.earliest:
            raise InputError(f"period {label or ''} ends before it starts".replace("  ", " "))
        return period

    def name(self) -> str:
        """The label, or 'start – end'."""
        return self.label or f"{self.start.text or self.start.earliest} – {self.end.text}"


@dataclass(frozen=True)
class WitnessReport:
    """What one source reported: one or several periods with their rates and group sizes.

    Attributes:
        source: the source's code (never a name: codes protect witnesses).
        periods: the sub-periods reported.
        weight: relative weight when pooling with other reports (default 1).
    """

    source: str
    periods: tuple[Period, ...]
    weight: float = 1.0

    def __post_init__(self) -> None:
        if not self.periods:
            raise InputError(f"report {self.source!r} has no period")
        if self.weight <= 0:
            raise InputError(f"report {self.source!r}: weight must be positive")
        object.__setattr__(self, "periods", tuple(self.periods))


@dataclass(frozen=True)
class TestimonyResult:
    """A simulated total with its interval, the plain arithmetic range and what drives it.

    Attributes:
        estimate: median of the simulated totals.
        lower / upper: equal-tailed interval of the simulated totals at ``level``.
        level: coverage of the interval.
        mean: mean of the simulated totals.
        arithmetic_range: (all lowest values multiplied, all highest multiplied), the range an
            investigator computes by hand; the simulated interval sits inside it.
        drivers: per input, its share of the variance of the total (the variance that goes away
            when that input is fixed at its middle) and the interval with it fixed, largest first.
        per_source: each report's own median and interval.
        notes: plain-language statements for the report (what widens the range, disagreements).
        settings: draws, seed, level, how reports were combined.
    """

    __test__ = False  # not a pytest test class despite its name

    estimate: float
    lower: float
    upper: float
    level: float
    mean: float
    arithmetic_range: tuple[float, float]
    drivers: tuple[Mapping[str, Any], ...]
    per_source: Mapping[str, Mapping[str, float]]
    notes: tuple[str, ...]
    settings: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "drivers", tuple(MappingProxyType(dict(d)) for d in self.drivers))
        object.__setattr__(
            self,
            "per_source",
            MappingProxyType({k: MappingProxyType(dict(v)) for k, v in self.per_source.items()}),
        )
        object.__setattr__(self, "settings", MappingProxyType(dict(self.settings)))
        object.__setattr__(self, "notes", tuple(self.notes))

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict with method, estimate, lower, upper, level and the rest."""
        return {
            "method": "testimony",
            "estimate": self.estimate,
            "lower": self.lower,
            "upper": self.upper,
            "level": self.level,
            "mean": self.mean,
            "arithmetic_range": list(self.arithmetic_range),
            "drivers": json_safe([dict(d) for d in self.drivers]),
            "per_source": json_safe({k: dict(v) for k, v in self.per_source.items()}),
            "notes": list(self.notes),
            "settings": json_safe(dict(self.settings)),
        }

    def summary_html(self) -> str:
        """An HTML fragment with the same content as ``summary``."""
        from sijill.estimation.printer import render_testimony_html

        return render_testimony_html(self)

    def summary(self) -> str:
        """Plain-text summary for a report or the terminal."""
        pct = f"{self.level * 100:g}%"
        low, high = self.arithmetic_range
        lines = [
            "Method: testimony-derived range (Monte Carlo)",
            f"Estimate: {format_number(self.estimate)} ({pct} interval "
            f"{format_number(self.lower)} – {format_number(self.upper)})",
            f"Arithmetic range (lowest × lowest … highest × highest): "
            f"{format_number(low)} – {format_number(high)}",
            "What drives the range:",
        ]
        lines.extend(
            f"  {d['input']}: {d['share_of_variance']:.0%} of the variance" for d in self.drivers
        )
        if len(self.per_source) > 1:
            lines.append("By source:")
            lines.extend(
                f"  {source}: {format_number(v['estimate'])} "
                f"({format_number(v['lower'])} – {format_number(v['upper'])})"
                for source, v in self.per_source.items()
            )
        lines.extend(f"Note: {note}" for note in self.notes)
        return "\n".join(lines)


@dataclass
class _Draws:
    """One report's draws: each input's name, values and middle, and the resulting total."""

    factors: list[list[tuple[str, np.ndarray, float]]]  # per period: size, rate, weeks
    total: np.ndarray

    def total_with(self, fixed: str) -> np.ndarray:
        """The totals recomputed with input ``fixed`` held at its middle (same other draws)."""
        total = np.zeros_like(self.total)
        for period in self.factors:
            product = np.ones_like(self.total)
            for name, values, middle in period:
                product = product * (middle if name == fixed else values)
            total += product
        return total

    @property
    def names(self) -> list[str]:
        """Input names, in period order."""
        return [name for period in self.factors for name, _values, _middle in period]


def _input_names(report: WitnessReport, period: Period, several: bool) -> tuple[str, str, str]:
    prefix = f"{report.source}: " if several else ""
    where = f" ({period.name()})" if len(report.periods) > 1 else ""
    return (
        f"{prefix}people per event{where} [{period.people_per_event.describe()}]",
        f"{prefix}events per week{where} [{period.events_per_week.describe()}]",
        f"{prefix}duration{where} [{period.name()}]",
    )


def _simulate(report: WitnessReport, rng: np.random.Generator, draws: int, several: bool) -> _Draws:
    factors: list[list[tuple[str, np.ndarray, float]]] = []
    total = np.zeros(draws)
    for period in report.periods:
        size_name, rate_name, time_name = _input_names(report, period, several)
        size = period.people_per_event.sample(rng, draws)
        rate = period.events_per_week.sample(rng, draws)
        start = period.start.sample_days(rng, draws)
        end = period.end.sample_days(rng, draws)
        weeks = np.maximum(end - start, 0.0) / 7.0
        middle_weeks = max(period.end.middle - period.start.middle, 0.0) / 7.0
        factors.append(
            [
                (size_name, size, period.people_per_event.middle),
                (rate_name, rate, period.events_per_week.middle),
                (time_name, weeks, middle_weeks),
            ]
        )
        total += size * rate * weeks
    return _Draws(factors, total)


def _interval(values: np.ndarray, level: float) -> tuple[float, float, float]:
    tail = (1.0 - level) / 2.0
    low, mid, high = np.quantile(values, [tail, 0.5, 1.0 - tail])
    return float(mid), float(low), float(high)


def _arithmetic(report: WitnessReport) -> tuple[float, float]:
    low = high = 0.0
    for period in report.periods:
        shortest, longest = weeks_between(period.start, period.end)
        low += period.people_per_event.low * period.events_per_week.low * shortest
        high += period.people_per_event.high * period.events_per_week.high * longest
    return low, high


def estimate_from_testimony(
    reports: WitnessReport | Sequence[WitnessReport],
    draws: int = 100_000,
    seed: int = 0,
    level: float = 0.95,
    combine: str = "pool",
) -> TestimonyResult:
    """Simulate the total number of victims implied by witness reports.

    Each draw picks every uncertain input (people per event, events per week, start and end
    dates) from its range and multiplies them out per period; the interval is the spread of the
    totals. Several reports are combined in one of two ways, and ``per_source`` always keeps
    each report's own figure:

    - ``pool`` (default): a mixture. Each draw comes from one report, chosen with probability
      proportional to its weight: any source may be the accurate one, so disagreement between
      sources widens the range instead of being averaged away.
    - ``average``: each draw is the weighted mean of the reports' draws, for independent
      sources describing the same events whose errors can offset; the range is narrower and
      rests on that independence (two people repeating one account are one source).

    Drivers are found by re-running the simulation with one input fixed at its middle: the
    share of variance it removes is that input's share (a first-order sensitivity index).

    Args:
        reports: one report or several.
        draws: Monte Carlo draws (per report).
        seed: random seed, recorded in the settings.
        level: interval coverage.
        combine: ``pool`` or ``average`` (see above).

    Raises:
        InputError: no reports, a bad level or combine option.
    """
    reports = [reports] if isinstance(reports, WitnessReport) else list(reports)
    if not reports:
        raise InputError("no witness reports to estimate from")
    if combine not in COMBINE:
        raise InputError(f"unknown combine option {combine!r}; choose one of {COMBINE}")
    if not 0 < level < 1:
        raise InputError(f"level must be between 0 and 1, got {level}")
    sources = [r.source for r in reports]
    if len(set(sources)) != len(sources):
        raise InputError(f"each report needs its own source code, got {sources}")
    several = len(reports) > 1
    rng = np.random.default_rng(seed)
    simulated = [_simulate(r, rng, draws, several) for r in reports]
    weights = np.array([r.weight for r in reports], dtype=np.float64)
    choice = rng.choice(len(reports), size=draws, p=weights / weights.sum())
    combined = _Combiner(combine, choice, weights / weights.sum())
    pooled = combined([sim.total for sim in simulated])
    estimate, lower, upper = _interval(pooled, level)
    per_source = {}
    for report, sim in zip(reports, simulated, strict=True):
        mid, low, high = _interval(sim.total, level)
        per_source[report.source] = {"estimate": mid, "lower": low, "upper": high}
    drivers = _drivers(simulated, combined, pooled, level)
    arithmetic = [_arithmetic(r) for r in reports]
    arithmetic_range = (min(a[0] for a in arithmetic), max(a[1] for a in arithmetic))
    notes = _notes(reports, drivers, per_source, (lower, upper))
    return TestimonyResult(
        estimate=estimate,
        lower=lower,
        upper=upper,
        level=level,
        mean=float(pooled.mean()),
        arithmetic_range=arithmetic_range,
        drivers=tuple(drivers),
        per_source=per_source,
        notes=tuple(notes),
        settings={"draws": draws, "seed": seed, "level": level, "combine": combine},
    )


@dataclass(frozen=True)
class _Combiner:
    """Turns each report's totals into the combined totals (mixture or weighted mean)."""

    mode: str
    choice: np.ndarray
    weights: np.ndarray

    def __call__(self, totals: list[np.ndarray]) -> np.ndarray:
        stacked = np.stack(totals)
        if self.mode == "average":
            return np.asarray(self.weights @ stacked)
        return np.asarray(stacked[self.choice, np.arange(stacked.shape[1])])


def _drivers(
    simulated: list[_Draws], combined: _Combiner, pooled: np.ndarray, level: float
) -> list[dict[str, Any]]:
    variance = float(pooled.var())
    rows: list[dict[str, Any]] = []
    for index, sim in enumerate(simulated):
        for name in sim.names:
            totals = [other.total for other in simulated]
            totals[index] = sim.total_with(name)
            fixed = combined(totals)
            share = 1.0 - float(fixed.var()) / variance if variance > 0 else 0.0
            _mid, low, high = _interval(fixed, level)
            rows.append(
                {
                    "input": name,
                    "share_of_variance": min(max(share, 0.0), 1.0),
                    "interval_if_fixed": [low, high],
                }
            )
    rows.sort(key=lambda row: -row["share_of_variance"])
    return rows


def _notes(
    reports: list[WitnessReport],
    drivers: list[dict[str, Any]],
    per_source: Mapping[str, Mapping[str, float]],
    interval: tuple[float, float],
) -> list[str]:
    notes: list[str] = []
    for report in reports:
        for period in report.periods:
            shortest, longest = weeks_between(period.start, period.end)
            span = (
                f"{shortest:.0f} weeks"
                if round(shortest) == round(longest)
                else f"{shortest:.0f}–{longest:.0f} weeks"
            )
            # Published figures often round the duration (Sept 2011 – Dec 2015 is ~226 weeks,
            # not five years); stating it lets a reader reconcile the totals.
            notes.append(
                f"{period.name()} spans {span}"
                + (f" ({report.source})" if len(reports) > 1 else "")
                + "; every total scales with it"
            )
    width = interval[1] - interval[0]
    for row in drivers:
        low, high = row["interval_if_fixed"]
        widening = width / max(high - low, 1e-9) - 1.0 if width > 0 else 0.0
        if row["share_of_variance"] >= 0.05 and widening >= 0.05:
            notes.append(
                f"{row['input']} widens the range: fixed at its middle the interval would be "
                f"{format_number(low)} – {format_number(high)}; as reported it is "
                f"{format_number(interval[0])} – {format_number(interval[1])} "
                f"({widening:.0%} wider)"
            )
    if len(per_source) > 1:
        ranges = list(per_source.items())
        for i, (a, ra) in enumerate(ranges):
            for b, rb in ranges[i + 1 :]:
                if ra["upper"] < rb["lower"] or rb["upper"] < ra["lower"]:
                    notes.append(f"sources {a} and {b} do not overlap: their accounts disagree")
    return notes
