"""Hierarchical log-linear models over K lists: enumeration, names and a fast batch fitter."""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass

import numpy as np

from sijill.errors import EstimationError
from sijill.estimation.glm import DEFAULT_MAX_ITERATIONS, DEFAULT_TOLERANCE, aic_offset
from sijill.estimation.table import CaptureHistory, all_patterns

#: Searching more models than this is refused (6 lists with all orders would be ~7.8 million).
MAX_MODELS = 250_000

Term = tuple[int, ...]

#: R's glm calls a Poisson mean below 10 × machine epsilon "numerically 0" and warns.
NUMERICALLY_ZERO = 10 * float(np.finfo(np.float64).eps)


def interaction_terms(n_lists: int, max_order: int) -> list[Term]:
    """All interaction terms (0-based list indices) of order 2..max_order, by order then lexically."""
    return [
        term
        for order in range(2, max_order + 1)
        for term in itertools.combinations(range(n_lists), order)
    ]


@functools.lru_cache(maxsize=16)
def enumerate_models(n_lists: int, max_order: int | None = None) -> tuple[tuple[Term, ...], ...]:
    """Every hierarchical model: sets of interaction terms closed under taking sub-terms.

    Main effects are always in. With ``max_order = K − 1`` (the default, Rcapture's) this gives
    8 models for 3 lists, 113 for 4 and 6,893 for 5.

    Raises:
        EstimationError: more than ``MAX_MODELS`` models would be produced.
    """
    order = n_lists - 1 if max_order is None else max_order
    if not 1 <= order <= n_lists - 1:
        raise EstimationError(
            f"max_order must be between 1 and {n_lists - 1} for {n_lists} lists, got {order}"
        )
    terms = interaction_terms(n_lists, order)
    index = {term: i for i, term in enumerate(terms)}
    facets = [
        [index[sub] for sub in itertools.combinations(term, len(term) - 1) if len(sub) >= 2]
        for term in terms
    ]
    models: list[tuple[Term, ...]] = []
    chosen = [False] * len(terms)

    def walk(position: int) -> None:
        if len(models) > MAX_MODELS:
            raise EstimationError(
                f"more than {MAX_MODELS:,} hierarchical models for {n_lists} lists "
                f"up to order {order}",
                hint="lower max_order (e.g. 2: pairwise dependence only)",
            )
        if position == len(terms):
            models.append(tuple(t for t, used in zip(terms, chosen, strict=True) if used))
            return
        walk(position + 1)
        if all(chosen[f] for f in facets[position]):
            chosen[position] = True
            walk(position + 1)
            chosen[position] = False

    walk(0)
    return tuple(models)


def model_name(terms: tuple[Term, ...], n_lists: int) -> str:
    """Rcapture's notation: maximal terms, largest first, then lone main effects ("[123,14,5]")."""
    maximal = [t for t in terms if not any(set(t) < set(other) for other in terms)]
    covered = {j for t in maximal for j in t}
    parts = sorted(maximal, key=lambda t: (-len(t), t)) + [
        (j,) for j in range(n_lists) if j not in covered
    ]
    if n_lists > 9:
        return "[" + ",".join(":".join(str(j + 1) for j in t) for t in parts) + "]"
    return "[" + ",".join("".join(str(j + 1) for j in t) for t in parts) + "]"


def parse_model_name(name: str, n_lists: int) -> tuple[Term, ...]:
    """The interaction terms of a model written as ``model_name`` writes it.

    Raises:
        EstimationError: a malformed name or a list number out of range.
    """
    body = name.strip().removeprefix("[").removesuffix("]")
    terms: set[Term] = set()
    for part in filter(None, (p.strip() for p in body.split(","))):
        digits = part.split(":") if ":" in part else list(part)
        try:
            generator = tuple(sorted(int(d) - 1 for d in digits))
        except ValueError as exc:
            raise EstimationError(f"cannot read model {name!r}: {part!r}") from exc
        if any(not 0 <= j < n_lists for j in generator):
            raise EstimationError(f"model {name!r} names a list outside 1..{n_lists}")
        for order in range(2, len(generator) + 1):
            terms.update(itertools.combinations(generator, order))
    return tuple(sorted(terms, key=lambda t: (len(t), t)))


def term_columns(n_lists: int) -> tuple[np.ndarray, dict[Term, int]]:
    """Product columns of every term for the 2^K − 1 observed patterns (plus intercept at 0).

    Returns:
        (matrix, column index of each term); column 0 is the intercept and main effects are the
        terms of length 1. The unobserved pattern has 1 in the intercept and 0 elsewhere.
    """
    patterns = all_patterns(n_lists).astype(np.float64)
    columns = [np.ones(patterns.shape[0])]
    index: dict[Term, int] = {}
    for order in range(1, n_lists + 1):
        for term in itertools.combinations(range(n_lists), order):
            index[term] = len(columns)
            columns.append(patterns[:, list(term)].prod(axis=1))
    return np.column_stack(columns), index


def design_for(terms: tuple[Term, ...], n_lists: int) -> tuple[np.ndarray, np.ndarray]:
    """Observed-cell design rows and unobserved row for a hierarchical model."""
    matrix, index = term_columns(n_lists)
    chosen = [0] + [index[(j,)] for j in range(n_lists)] + [index[t] for t in terms]
    zero_row = np.zeros(len(chosen))
    zero_row[0] = 1.0
    return matrix[:, chosen], zero_row


@functools.lru_cache(maxsize=16)
def _search_columns(
    n_lists: int, max_order: int | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    models = enumerate_models(n_lists, max_order)
    matrix, index = term_columns(n_lists)
    base = [0] + [index[(j,)] for j in range(n_lists)]
    column_lists = [np.array(base + [index[t] for t in terms], dtype=np.int64) for terms in models]
    offsets = np.zeros(len(models) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([c.shape[0] for c in column_lists])
    return matrix, np.concatenate(column_lists), offsets


#: Why a model is left out of selection (bit flags of ``ModelTable.flags``; 0 = clean fit).
NOT_CONVERGED = 1
ZERO_MEAN = 2
SINGULAR = 4
UNUSABLE_STDERR = 8
LARGE_BIAS = 16
#: Flags of fits that failed outright; ``LARGE_BIAS`` alone marks a fit that worked but whose
#: estimate of N is unreliable.
FAILED = NOT_CONVERGED | ZERO_MEAN | SINGULAR | UNUSABLE_STDERR
#: Rcapture's threshold: the asymptotic bias of N is "large" above this fraction of N.
LARGE_BIAS_FRACTION = 0.1

FLAG_REASONS: dict[int, str] = {
    NOT_CONVERGED: "the fit did not converge",
    ZERO_MEAN: "a fitted cell mean is numerically 0 (estimate on the boundary)",
    SINGULAR: "the information matrix is singular",
    UNUSABLE_STDERR: "the standard error of N is not finite or absurdly large",
    LARGE_BIAS: "the asymptotic bias of N exceeds 10% of N",
}


@dataclass(frozen=True, eq=False)
class ModelTable:
    """Every hierarchical model's fit, as arrays in enumeration order (one entry per model).

    Which models compete follows Rcapture 1.4-4, ``closedpMS.t``: a model whose ``infoFit``
    code is not 0 is not a candidate. That code is set by any warning from R's glm (no
    convergence in 25 iterations; a fitted mean below 10 × machine epsilon), by a design not of
    full rank, and by an asymptotic bias of N larger than 10% of N. The last is the rule that
    changes selections most: sparse tables give models that converge cleanly yet whose
    unobserved-cell estimate exp(β0) carries an O(1/n) bias (Cox & Snell 1968) of a sizeable
    fraction of N; here they are flagged ``LARGE_BIAS`` and, by default, left out of selection
    and averaging as in R. ``include_large_bias=True`` lets them compete (a fit that worked,
    unlike the ``FAILED`` ones, which never compete).

    Attributes:
        n_lists: K.
        terms: interaction terms of each model (``name(i)`` writes model i in R's notation).
        abundance: Poisson estimate n + exp(β0).
        stderr: its delta-method standard error √(μ0 + μ0² Var β0).
        deviance, df, aic, bic: fit figures (R's glm conventions).
        bias: first-order asymptotic bias of the estimate of N (of exp(β0)).
        flags: bit flags (``NOT_CONVERGED``, ``ZERO_MEAN``, ``SINGULAR``, ``UNUSABLE_STDERR``,
            ``LARGE_BIAS``); 0 is a clean fit, R's ``infoFit`` 0. ``reasons(i)`` spells them out.
    """

    n_lists: int
    terms: tuple[tuple[Term, ...], ...]
    abundance: np.ndarray
    stderr: np.ndarray
    deviance: np.ndarray
    df: np.ndarray
    aic: np.ndarray
    bic: np.ndarray
    bias: np.ndarray
    flags: np.ndarray

    @property
    def ok(self) -> np.ndarray:
        """Models with a clean fit (no flag): the candidates of R's selection."""
        return np.asarray(self.flags == 0)

    def usable(self, include_large_bias: bool = False) -> np.ndarray:
        """Models that compete in selection and averaging.

        Args:
            include_large_bias: also let fits flagged only for a large bias compete.
        """
        blocking = FAILED if include_large_bias else FAILED | LARGE_BIAS
        return np.asarray((self.flags & blocking) == 0)

    def reasons(self, index: int) -> tuple[str, ...]:
        """Why model ``index`` is flagged, in words (empty for a clean fit)."""
        flags = int(self.flags[index])
        return tuple(text for flag, text in FLAG_REASONS.items() if flags & flag)

    def name(self, index: int) -> str:
        """Model ``index`` in Rcapture's notation, e.g. ``[123,14,5]``."""
        return model_name(self.terms[index], self.n_lists)

    def find(self, name: str) -> int:
        """Index of the model written ``name`` (any order of its generators).

        Raises:
            EstimationError: no such model in this search.
        """
        wanted = parse_model_name(name, self.n_lists)
        for position, terms in enumerate(self.terms):
            if terms == wanted:
                return position
        raise EstimationError(f"model {name!r} is not among the models searched")

    def scores(self, criterion: str = "aic", include_large_bias: bool = False) -> np.ndarray:
        """AIC or BIC of every model, with ``inf`` for the models that do not compete."""
        scores = self.aic if criterion == "aic" else self.bic
        return np.where(self.usable(include_large_bias), scores, np.inf)

    def best(self, criterion: str = "aic", include_large_bias: bool = False) -> int:
        """Index of the competing model with the smallest AIC or BIC (R's pick by default).

        Raises:
            EstimationError: no model could be fitted (or all have a large bias).
        """
        scores = self.scores(criterion, include_large_bias)
        if not np.isfinite(scores).any():
            if not include_large_bias and self.usable(include_large_bias=True).any():
                raise EstimationError(
                    "every hierarchical log-linear model that could be fitted has an "
                    "asymptotic bias of N over 10% of N",
                    hint="the lists overlap too little for log-linear models; to see the "
                    "estimates anyway, let biased models compete (include_large_bias)",
                )
            raise EstimationError(
                "no hierarchical log-linear model could be fitted to this table",
                hint="the lists may barely overlap; try fewer lists or another method",
            )
        return int(np.argmin(scores))

    def weights(self, criterion: str = "aic", include_large_bias: bool = False) -> np.ndarray:
        """Akaike (or Schwarz) weights exp(−Δ/2), normalised over the competing models."""
        scores = self.scores(criterion, include_large_bias)
        raw = np.exp(-0.5 * (scores - scores[self.best(criterion, include_large_bias)]))
        return np.asarray(raw / raw.sum())


def fit_all_models(
    table: CaptureHistory,
    max_order: int | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    max_iterations: int = DEFAULT_MAX_ITERATIONS,
) -> ModelTable:
    """Fit every hierarchical log-linear model of the table (compiled IRLS, one pass).

    Each fit follows R's glm (start μ = y + 0.1, relative deviance tolerance, 25 iterations,
    means floored at machine epsilon) and is flagged as Rcapture 1.4-4's ``closedpMS.t`` would
    (see ``ModelTable``).

    Args:
        table: the capture histories (K ≤ 10 lists; searches beyond 6 are rarely sensible).
        max_order: highest interaction order; default K − 1.
        tolerance: IRLS convergence tolerance (R's glm default).
        max_iterations: IRLS iteration cap (R's glm default).
    """
    n_lists = table.n_lists
    if n_lists > 10:
        raise EstimationError(f"hierarchical search over {n_lists} lists is too large")
    models = enumerate_models(n_lists, max_order)
    matrix, flat, offsets = _search_columns(n_lists, max_order)
    counts = table.full_counts().astype(np.float64)
    from sijill.estimation.hierarchical_kernels import fit_batch  # numba loads on first use

    figures = fit_batch(matrix, flat, offsets, counts, tolerance, max_iterations)
    intercept, variance, deviance, converged, smallest, bias = figures.T
    n = float(counts.sum())
    n_parameters = np.diff(offsets).astype(np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        # A diverging fit (no overlap to anchor the unobserved cell) overflows here; such
        # models are flagged below rather than reported.
        mu0 = np.exp(intercept)
        stderr: np.ndarray = np.sqrt(np.maximum(mu0 + mu0**2 * variance, 0.0))
        abundance = n + mu0
        large_bias = ~(np.abs(bias) <= LARGE_BIAS_FRACTION * abundance)
    aic = deviance + 2.0 * n_parameters + aic_offset(counts)
    bic = aic - 2.0 * n_parameters + n_parameters * math.log(n)
    finite_stderr = (
        np.isfinite(mu0)
        & np.isfinite(stderr)
        & (variance >= 0)
        & (stderr < 1e3 * (n + np.where(np.isfinite(mu0), mu0, 0.0)))
    )
    singular = ~np.isfinite(variance)
    flags = (
        np.where(converged > 0, 0, NOT_CONVERGED)
        | np.where(smallest > NUMERICALLY_ZERO, 0, ZERO_MEAN)
        | np.where(singular, SINGULAR, 0)
        | np.where(finite_stderr | singular, 0, UNUSABLE_STDERR)
        | np.where(large_bias & ~singular, LARGE_BIAS, 0)
    ).astype(np.int64)
    return ModelTable(
        n_lists=n_lists,
        terms=models,
        abundance=abundance,
        stderr=stderr,
        deviance=deviance,
        df=counts.shape[0] - n_parameters.astype(np.int64),
        aic=aic,
        bic=bic,
        bias=bias,
        flags=flags,
    )
