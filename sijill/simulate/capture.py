"""Who each list captures: latent classes, covariate effects on the log-odds, and list copying."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from sijill.simulate.config import SimulationConfig


@dataclass(frozen=True)
class Captures:
    """The true capture of every person by every list.

    Attributes:
        latent_class: each person's latent class (index into config.latent_classes).
        probability: N × K capture probabilities before copying.
        own: N × K, captured by the list's own work.
        copied: N × K, record copied from the list named in `copies_from`.
        captured: N × K, on the list at all (own or copied).
    """

    latent_class: np.ndarray
    probability: np.ndarray
    own: np.ndarray
    copied: np.ndarray
    captured: np.ndarray


def capture_probabilities(
    persons: pd.DataFrame, latent_class: np.ndarray, config: SimulationConfig
) -> np.ndarray:
    """Each person's probability of being captured by each list (N × K), before copying.

    The class probability is shifted on the log-odds scale by the list's governorate, year of
    death and sex effects; with no effects it is the class probability itself.
    """
    base = np.array([lc.capture for lc in config.latent_classes], dtype=float)[latent_class]
    out: np.ndarray = base.copy()
    year = pd.DatetimeIndex(persons["death_date"]).year.to_numpy()
    for j, lst in enumerate(config.lists):
        shift = np.zeros(len(persons))
        if lst.governorate_effects:
            shift += persons["governorate"].map(lst.governorate_effects).fillna(0.0).to_numpy(float)
        if lst.year_effects:
            shift += pd.Series(year).map(lst.year_effects).fillna(0.0).to_numpy(float)
        if lst.sex_effects:
            shift += persons["sex"].map(lst.sex_effects).fillna(0.0).to_numpy(float)
        if np.any(shift != 0):
            p = np.clip(base[:, j], 1e-12, 1 - 1e-12)
            out[:, j] = np.where(shift != 0, expit(logit(p) + shift), base[:, j])
    return out


def draw_captures(
    persons: pd.DataFrame, config: SimulationConfig, rng: np.random.Generator
) -> Captures:
    """Draw latent classes, own captures and copies for every person and list."""
    n, k = len(persons), len(config.lists)
    shares = np.array([lc.share for lc in config.latent_classes])
    latent_class = np.searchsorted(np.cumsum(shares / shares.sum()), rng.random(n), side="right")
    latent_class = np.minimum(latent_class, len(shares) - 1)
    probability = capture_probabilities(persons, latent_class, config)
    own = rng.random((n, k)) < probability
    copied = np.zeros((n, k), dtype=bool)
    captured = own.copy()
    names = config.list_names
    copy_draw = rng.random((n, k))
    for j, lst in enumerate(config.lists):
        if lst.copies_from is not None and lst.copy_fraction > 0:
            source = names.index(lst.copies_from)
            copied[:, j] = captured[:, source] & (copy_draw[:, j] < lst.copy_fraction)
            captured[:, j] = own[:, j] | copied[:, j]
    return Captures(latent_class, probability, own, copied, captured)


def capture_history(captured: np.ndarray, list_names: list[str]) -> pd.DataFrame:
    """Aggregate person × list captures into the capture-history table.

    One 0/1 column per list and `count`, every non-empty pattern in binary order with list 1 the
    most significant bit (zeros kept) for up to 8 lists; above 8 lists only observed patterns,
    as in the shared reference tables.
    """
    k = len(list_names)
    weights = 1 << np.arange(k - 1, -1, -1)
    code = captured.astype(np.int64) @ weights
    counts = np.bincount(code, minlength=1 << k)
    patterns = np.arange(1, 1 << k)
    if k > 8:
        patterns = patterns[counts[1:] > 0]
    bits = (patterns[:, None] >> np.arange(k - 1, -1, -1)) & 1
    table = pd.DataFrame(bits, columns=list_names)
    table["count"] = counts[patterns]
    return table
