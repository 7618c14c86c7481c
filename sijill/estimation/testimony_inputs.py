"""Witness-reported quantities and dates with their uncertainty, parsed from plain words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from sijill.domain.dates import parse_uncertain_date
from sijill.errors import InputError

DISTRIBUTIONS = ("uniform", "triangular", "log-uniform", "fixed")

_WORDS = {
    "once": 1.0,
    "twice": 2.0,
    "thrice": 3.0,
    "one": 1.0,
    "two": 2.0,
    "three": 3.0,
    "four": 4.0,
    "five": 5.0,
    "several": None,
}
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_NUMBER = r"(\d+(?:\.\d+)?|once|twice|thrice|one|two|three|four|five)"
_APPROXIMATE_SPREAD = 0.25


def _value(token: str) -> float:
    word = _WORDS.get(token)
    return float(word) if word is not None else float(token)


@dataclass(frozen=True)
class UncertainQuantity:
    """A number a witness gave as a range or an approximation (people per event, events a week).

    The range is read as uncertainty about the typical value over the whole period, which is how
    investigators turn testimony into a range; per-event variation around that typical value
    averages out over many events and is not added.

    Attributes:
        low: smallest plausible value.
        high: largest plausible value.
        distribution: ``uniform`` (default: every value in the range equally plausible),
            ``triangular`` (peaks at ``mode``), ``log-uniform`` (for ranges spanning orders of
            magnitude) or ``fixed`` (low == high).
        mode: peak of a triangular distribution (default the middle).
        text: the witness's words, kept for the report.
    """

    low: float
    high: float
    distribution: str = "uniform"
    mode: float | None = None
    text: str = ""

    def __post_init__(self) -> None:
        if self.distribution not in DISTRIBUTIONS:
            raise InputError(
                f"unknown distribution {self.distribution!r}; choose from {DISTRIBUTIONS}"
            )
        if self.low < 0 or self.high < self.low:
            raise InputError(
                f"a range must satisfy 0 ≤ low ≤ high, got {self.low}–{self.high}"
                + (f" (from {self.text!r})" if self.text else "")
            )
        if self.distribution == "log-uniform" and self.low <= 0:
            raise InputError("a log-uniform range needs a positive lower end")
        if self.low == self.high and self.distribution != "fixed":
            object.__setattr__(self, "distribution", "fixed")

    @classmethod
    def parse(cls, text: str | float | UncertainQuantity) -> UncertainQuantity:
        """Read '20–50', '20 to 50', 'between 20 and 50', 'about 30', 'once or twice', '1'.

        'about N' becomes a triangular range N ± 25%. Arabic-Indic digits are accepted.

        Raises:
            InputError: words that are not a number or a range.
        """
        if isinstance(text, UncertainQuantity):
            return text
        if isinstance(text, int | float):
            return cls(float(text), float(text), "fixed", text=str(text))
        raw = str(text)
        cleaned = raw.translate(_ARABIC_DIGITS).lower().replace(",", "").strip()
        cleaned = re.sub(r"\b(a|per|each|every)\s+(week|month|day|event|session)\b", "", cleaned)
        cleaned = re.sub(r"\b(people|persons|detainees|times?|sessions?)\b", "", cleaned).strip()
        approx = re.fullmatch(rf"(?:about|around|approximately|roughly|~)\s*{_NUMBER}", cleaned)
        if approx:
            centre = _value(approx.group(1))
            spread = centre * _APPROXIMATE_SPREAD
            return cls(centre - spread, centre + spread, "triangular", centre, raw)
        ranged = re.fullmatch(
            rf"(?:between\s+)?{_NUMBER}\s*(?:-|–|—|to|or|and)\s*{_NUMBER}", cleaned
        )
        if ranged:
            low, high = sorted((_value(ranged.group(1)), _value(ranged.group(2))))
            return cls(low, high, "uniform", text=raw)
        single = re.fullmatch(_NUMBER, cleaned)
        if single:
            value = _value(single.group(1))
            return cls(value, value, "fixed", text=raw)
        raise InputError(
            f"cannot read {raw!r} as a number or range",
            hint="write e.g. '20-50', 'about 30', 'once or twice', or give low/high numbers",
        )

    @property
    def middle(self) -> float:
        """The median of the distribution."""
        if self.distribution == "log-uniform":
            return float(np.sqrt(self.low * self.high))
        if self.distribution == "triangular" and self.mode is not None:
            return float(self.mode)
        return (self.low + self.high) / 2.0

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Draw ``size`` values."""
        if self.distribution == "fixed":
            return np.full(size, self.low)
        if self.distribution == "uniform":
            return rng.uniform(self.low, self.high, size)
        if self.distribution == "log-uniform":
            return np.exp(rng.uniform(np.log(self.low), np.log(self.high), size))
        mode = self.middle if self.mode is None else self.mode
        return rng.triangular(self.low, mode, self.high, size)

    def describe(self) -> str:
        """How the quantity reads in a report ('20–50', 'about 30', '1')."""
        if self.text:
            return self.text
        if self.distribution == "fixed":
            return f"{self.low:g}"
        return f"{self.low:g}–{self.high:g}"


@dataclass(frozen=True)
class UncertainDate:
    """A date known only to lie between two days ('September 2011', '2012', '2013-05-04').

    Attributes:
        earliest: first possible day.
        latest: last possible day (inclusive).
        text: the witness's words.
    """

    earliest: date
    latest: date
    text: str = ""

    def __post_init__(self) -> None:
        if self.latest < self.earliest:
            raise InputError(f"date range ends before it starts: {self.earliest}–{self.latest}")

    @classmethod
    def parse(cls, text: str | date | UncertainDate) -> UncertainDate:
        """Read 'YYYY-MM-DD', 'YYYY-MM', 'YYYY', 'September 2011', 'Sept 2011', 'early 2012'.

        Raises:
            InputError: a date that cannot be read.
        """
        if isinstance(text, UncertainDate):
            return text
        if isinstance(text, date):
            return cls(text, text, text.isoformat())
        raw = str(text)
        cleaned = raw.translate(_ARABIC_DIGITS).strip().lower()
        part = None
        for word in ("early", "mid", "late"):
            if cleaned.startswith(word + " "):
                part, cleaned = word, cleaned[len(word) + 1 :].strip()
        try:
            earliest, latest = _date_span(cleaned)
        except ValueError as exc:
            raise InputError(
                f"cannot read the date {raw!r}",
                hint="write e.g. '2011-09', 'September 2011', '2012' or '2013-05-04'",
            ) from exc
        if part is not None:
            third = (latest - earliest) / 3
            if part == "early":
                latest = earliest + third
            elif part == "mid":
                earliest, latest = earliest + third, earliest + 2 * third
            else:
                earliest = latest - third
        return cls(earliest, latest, raw)

    def sample_days(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Draw days (as ordinals, fractional) uniformly over the possible span."""
        return rng.uniform(self.earliest.toordinal(), self.latest.toordinal() + 1.0, size)

    @property
    def middle(self) -> float:
        """The middle of the span as a (fractional) ordinal day."""
        return (self.earliest.toordinal() + self.latest.toordinal() + 1.0) / 2.0


def _date_span(text: str) -> tuple[date, date]:
    """The span of a date given at any precision (the domain's parser), both ends required."""
    try:
        parsed = parse_uncertain_date(text)
    except InputError as exc:
        raise ValueError(text) from exc
    if parsed.earliest is None or parsed.latest is None:
        raise ValueError(text)
    return parsed.earliest, parsed.latest


def weeks_between(start: UncertainDate, end: UncertainDate) -> tuple[float, float]:
    """Shortest and longest possible duration in weeks (end day inclusive)."""
    shortest = (end.earliest - start.latest + timedelta(days=1)).days / 7.0
    longest = (end.latest - start.earliest + timedelta(days=1)).days / 7.0
    return max(shortest, 0.0), max(longest, 0.0)
