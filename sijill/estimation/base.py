"""The estimator contract: hyper-parameters in __init__, fit(table) returns a frozen result."""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, ClassVar

import numpy as np

from sijill.errors import EstimationError
from sijill.estimation.table import CaptureHistory


def json_safe(value: Any) -> Any:
    """Turn numpy scalars/arrays, tuples and mappings into plain JSON-serialisable values.

    Non-finite floats become ``None`` (JSON has no NaN or infinity).
    """
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [json_safe(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _frozen(value: Any) -> Any:
    if isinstance(value, Mapping):
        return MappingProxyType({str(k): _frozen(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, np.ndarray):
        return tuple(_frozen(v) for v in value.tolist())
    if isinstance(value, np.generic):
        return value.item()
    return value


@dataclass(frozen=True)
class EstimationResult:
    """An estimate of the total population with its interval, as every estimator returns it.

    Nothing in a result can change after it is made (mappings are read-only views, sequences are
    tuples), so a published figure can be traced to the exact input and settings that made it.

    Attributes:
        method: registry name of the estimator (e.g. ``"chapman"``, ``"loglinear"``).
        estimate: point estimate of the total population N (observed + unobserved).
        lower: lower bound of the interval for N.
        upper: upper bound of the interval for N.
        level: coverage of the interval (0.95 by default).
        n_observed: people observed on at least one list.
        diagnostics: method-specific figures (standard error, deviance, AIC, chosen model, ...).
        settings: the hyper-parameters used, enough to reproduce the estimate.
        input_hash: ``CaptureHistory.input_hash()`` of the table estimated from.
        warnings: plain-language caveats the reader of the figure must see.
    """

    method: str
    estimate: float
    lower: float
    upper: float
    level: float
    n_observed: int
    diagnostics: Mapping[str, Any] = field(default_factory=dict)
    settings: Mapping[str, Any] = field(default_factory=dict)
    input_hash: str = ""
    warnings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "estimate", float(self.estimate))
        object.__setattr__(self, "lower", float(self.lower))
        object.__setattr__(self, "upper", float(self.upper))
        object.__setattr__(self, "level", float(self.level))
        object.__setattr__(self, "n_observed", int(self.n_observed))
        object.__setattr__(self, "diagnostics", _frozen(self.diagnostics))
        object.__setattr__(self, "settings", _frozen(self.settings))
        object.__setattr__(self, "warnings", tuple(str(w) for w in self.warnings))

    @property
    def n_unobserved(self) -> float:
        """Estimated number of people no list recorded."""
        return self.estimate - self.n_observed

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict with method, estimate, lower, upper, level, n_observed and the rest."""
        return {
            "method": self.method,
            "estimate": json_safe(self.estimate),
            "lower": json_safe(self.lower),
            "upper": json_safe(self.upper),
            "level": self.level,
            "n_observed": self.n_observed,
            "diagnostics": json_safe(self.diagnostics),
            "settings": json_safe(self.settings),
            "input_hash": self.input_hash,
            "warnings": list(self.warnings),
        }

    def summary(self) -> str:
        """A plain-text summary for the terminal or a log."""
        from sijill.estimation.printer import render_text

        return render_text(self)

    def summary_html(self) -> str:
        """An HTML fragment (a table) for reports and the web interface."""
        from sijill.estimation.printer import render_html

        return render_html(self)


class Estimator(ABC):
    """Base of every population estimator.

    Subclasses take all hyper-parameters in ``__init__`` (recorded by ``settings()``) and
    implement ``_fit``; ``fit`` checks the table first, so every estimator rejects the same bad
    input the same way.

    Class attributes:
        name: registry name, used as ``EstimationResult.method`` and by ``--method``.
        min_lists / max_lists: how many lists the method can use.
    """

    name: ClassVar[str] = ""
    min_lists: ClassVar[int] = 2
    max_lists: ClassVar[int | None] = None

    def __init__(self, level: float = 0.95) -> None:
        if not 0.0 < level < 1.0:
            raise EstimationError(f"interval level must be between 0 and 1, got {level}")
        self.level = level

    @classmethod
    def fast_settings(cls) -> dict[str, Any]:
        """Keyword arguments that make ``fit`` quick enough for the shared conformance tests."""
        return {}

    def settings(self) -> dict[str, Any]:
        """The hyper-parameters of this estimator as a JSON-safe dict."""
        return {
            key: json_safe(value) for key, value in vars(self).items() if not key.startswith("_")
        }

    def fit(self, table: CaptureHistory) -> EstimationResult:
        """Estimate the population size from a capture-history table.

        Raises:
            EstimationError: the table has too few or too many lists, or nobody observed.
        """
        if not isinstance(table, CaptureHistory):
            raise EstimationError(
                f"{self.name} needs a CaptureHistory, got {type(table).__name__}",
                hint="build one with CaptureHistory.from_csv or from_dataframe",
            )
        if table.n_lists < self.min_lists:
            raise EstimationError(
                f"{self.name} needs at least {self.min_lists} lists, the table has {table.n_lists}"
            )
        if self.max_lists is not None and table.n_lists > self.max_lists:
            raise EstimationError(
                f"{self.name} works with at most {self.max_lists} lists, "
                f"the table has {table.n_lists}",
                hint="collapse the table to fewer lists (CaptureHistory.collapse) or pick "
                "another method",
            )
        if table.n_observed == 0:
            raise EstimationError(f"{self.name}: the table observed nobody")
        return self._fit(table)

    @abstractmethod
    def _fit(self, table: CaptureHistory) -> EstimationResult:
        """Do the estimation on a table already checked by ``fit``."""

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.settings().items())
        return f"{type(self).__name__}({args})"
