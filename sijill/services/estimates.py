"""Use cases for estimation: capture histories from files or the workspace's linkage, any method."""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sijill.errors import EstimationError, InputError
from sijill.estimation import ESTIMATORS, CaptureHistory, EstimationResult, StratifiedEstimator
from sijill.estimation.cross_check import REFERENCE_METHOD
from sijill.estimation.cross_check import cross_check as check_against
from sijill.estimation.testimony import (
    Period,
    TestimonyResult,
    WitnessReport,
    estimate_from_testimony,
)
from sijill.services.session import Session

#: The default method; chosen from the simulation study in bench/RESULTS-estimation-bayes.md.
DEFAULT_METHOD = "lcmcr"
FALLBACK_METHOD = "loglinear"


def default_method() -> str:
    """The default estimator, or the log-linear search where the latent-class one is absent."""
    return DEFAULT_METHOD if DEFAULT_METHOD in ESTIMATORS else FALLBACK_METHOD


def methods() -> list[str]:
    """Every method name `--method` accepts."""
    return sorted(ESTIMATORS)


def read_table(path: Path, strata: str | None = None) -> CaptureHistory | dict[str, CaptureHistory]:
    """A capture-history CSV (0/1 list columns + `count`), split by a stratum column if named."""
    if not path.is_file():
        raise InputError(
            f"no capture-history file {path}",
            hint="give a CSV with one 0/1 column per list and `count`",
        )
    if strata is None:
        return CaptureHistory.from_csv(path)
    import pandas as pd

    frame = pd.read_csv(path)
    if strata not in frame.columns:
        raise InputError(
            f"no stratum column {strata!r} in {path.name}",
            hint=f"columns: {', '.join(map(str, frame.columns))}",
        )
    return split_strata(frame, strata)


def split_strata(frame: Any, strata: str | None) -> CaptureHistory | dict[str, CaptureHistory]:
    """A capture-history frame (0/1 list columns, optional stratum column, `count`) as tables."""
    lists = [c for c in frame.columns if c not in ("count", strata)]
    if strata is None:
        return CaptureHistory.from_dataframe(frame, lists=lists)
    tables: dict[str, CaptureHistory] = {}
    pooled = []
    for label, group in frame.groupby(strata, sort=True):
        # Each stratum is estimated from the lists that recorded anyone in it; a stratum that
        # fewer than two lists cover cannot be estimated alone and joins a pooled stratum.
        covering = [name for name in lists if (group[name] * group["count"]).sum() > 0]
        if len(covering) >= 2:
            tables[str(label)] = CaptureHistory.from_dataframe(
                group, lists=covering, stratum=str(label)
            )
        else:
            pooled.append(group)
    if pooled:
        import pandas as pd

        rest = pd.concat(pooled)
        covering = [name for name in lists if (rest[name] * rest["count"]).sum() > 0]
        label = f"other ({len(pooled)} strata pooled)"
        if len(covering) >= 2:
            tables[label] = CaptureHistory.from_dataframe(rest, lists=covering, stratum=label)
        else:
            raise EstimationError(
                f"{len(pooled)} stratum(s) are covered by fewer than two lists even when pooled",
                hint="stratify by another variable, or estimate without strata",
            )
    return tables


def linkage_tables(
    s: Session, strata: str | None = None, run: int | None = None
) -> CaptureHistory | dict[str, CaptureHistory]:
    """The capture history of the workspace's (latest) linkage run, split by a stratum if named."""
    from sijill.services.linkage import capture_history

    return split_strata(capture_history(s, run, [strata] if strata else None), strata)


def make_estimator(
    method: str, seed: int | None = None, level: float = 0.95, **settings: Any
) -> Any:
    """Build an estimator by method name, passing only the settings it accepts."""
    if method not in ESTIMATORS:
        raise InputError(f"unknown method {method!r}", hint=f"use one of: {', '.join(methods())}")
    cls = ESTIMATORS[method]
    accepted = inspect.signature(cls.__init__).parameters
    kwargs = {
        k: v
        for k, v in {"level": level, "seed": seed, **settings}.items()
        if k in accepted and v is not None
    }
    return cls(**kwargs)


def estimate_table(
    table: CaptureHistory | dict[str, CaptureHistory],
    method: str | None = None,
    seed: int | None = 0,
    level: float = 0.95,
    **settings: Any,
) -> EstimationResult:
    """Estimate the total (stratified when given several tables) with the chosen method."""
    chosen = method or default_method()
    estimator = make_estimator(chosen, seed, level, **settings)
    if isinstance(table, dict):
        if not table:
            raise EstimationError("no strata to estimate")
        return StratifiedEstimator(estimator, seed=seed or 0).fit(table)
    result: EstimationResult = estimator.fit(table)
    if chosen == "lcmcr" and REFERENCE_METHOD in ESTIMATORS and table.n_lists >= 3:
        result = cross_check(result, table, level)
    return result


def cross_check(result: EstimationResult, table: CaptureHistory, level: float) -> EstimationResult:
    """Fit the log-linear model average beside `result` and warn when it falls outside its interval.

    The rule and the wording live in `sijill.estimation.cross_check`, chosen by the simulation
    study: warning only on disjoint intervals almost never fired when LCMCR was wrong.
    """
    return check_against(result, make_estimator(REFERENCE_METHOD, level=level).fit(table))


def estimate_testimony(
    periods: Sequence[tuple[str, str, str, str]],
    source: str = "testimony",
    draws: int = 100_000,
    seed: int = 0,
    level: float = 0.95,
) -> TestimonyResult:
    """Simulate a total from reported (start, end, events per week, people per event) periods."""
    if not periods:
        raise InputError(
            "give at least one period",
            hint="--start 2011-09 --end 2015-12 --per-week 1 --per-event 20-50",
        )
    report = WitnessReport(source, tuple(Period.of(*p) for p in periods))
    return estimate_from_testimony(report, draws=draws, seed=seed, level=level)
