"""The Splink model built from LinkageSettings: comparisons, blocking, unsupervised training, scoring.

Names are compared on their cross-script forms (article-free romanised key and consonant
skeleton), so محمد and Mohamed agree exactly; given and family names carry term-frequency
adjustments, so agreeing on Muhammad counts for less than agreeing on a rare name. Dates are
intervals: two month-only dates that overlap agree, but less strongly than two equal days.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pandas as pd

from sijill.linkage.settings import LinkageSettings, NameComparison

if TYPE_CHECKING:
    from splink import Linker
    from splink.internals.comparison_creator import ComparisonCreator

    from sijill.linkage.backends import LinkageBackend

__all__ = ["build_splink_settings", "score_pairs", "train_model"]

_GAP_DAYS = "greatest(death_lo_l - death_hi_r, death_lo_r - death_hi_l, 0)"
_WIDEST_DAYS = "greatest(death_width_l, death_width_r)"
#: Exact days a whole number of months apart (to within the months' lengths): a month
#: written wrong keeps the day of the month, and random pairs rarely fall on it.
_WHOLE_MONTHS = " OR ".join(
    f"abs(death_mid_l - death_mid_r) BETWEEN {lo} AND {hi}"
    for lo, hi in ((28, 31), (59, 62), (89, 92))
).join("()")
_GAP_YEARS = "greatest(birth_lo_l - birth_hi_r, birth_lo_r - birth_hi_l, 0)"
_WIDEST_YEARS = "greatest(birth_hi_l - birth_lo_l, birth_hi_r - birth_lo_r)"


def _name_comparison(nc: NameComparison) -> ComparisonCreator:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    rom, skel = f"{nc.part}_rom", f"{nc.part}_skel"
    levels: list[Any] = [
        cll.NullLevel(skel),
        cll.ExactMatchLevel(rom, term_frequency_adjustments=nc.term_frequency),
        cll.ExactMatchLevel(skel, term_frequency_adjustments=nc.term_frequency),
    ]
    strict, loose = nc.jaro_winkler[:1], nc.jaro_winkler[1:]
    levels += [cll.JaroWinklerLevel(rom, t) for t in strict]
    # One slip in the consonant skeleton (Mhmd/Mhd, Hamza/Hmza typed in either script) is a
    # typo far more often than another name; Jaro-Winkler on short names misses many. The
    # first letter must agree: Muhammad and Ahmad (mhmd/hmd) are one edit apart, and brothers.
    first_agrees = f"substr({skel}_l, 1, 1) = substr({skel}_r, 1, 1)"
    levels.append(
        cll.CustomLevel(
            f"CASE WHEN {first_agrees} THEN ({_one_edit(skel)}) ELSE false END",
            "skeleton one edit apart",
        )
    )
    levels += [cll.JaroWinklerLevel(rom, t) for t in loose]
    if nc.prefix_letters:
        n = nc.prefix_letters
        levels.append(
            cll.CustomLevel(
                f"substr({rom}_l, 1, {n}) = substr({rom}_r, 1, {n})",
                f"first {n} letters agree",
            )
        )
    other = cll.ElseLevel()
    if nc.disagreement_m is not None:
        other.configure(m_probability=nc.disagreement_m, fix_m_probability=True)
    levels.append(other)
    return cl.CustomComparison(levels, output_column_name=nc.part)


def _one_edit(column: str) -> str:
    """SQL: the two values are at most one edit apart (Damerau-Levenshtein <= 1).

    The same truth as ``damerau_levenshtein(a, b) <= 1`` (missing values included), at a
    fraction of the cost: Levenshtein settles one insertion, deletion or substitution and is
    several times cheaper, and the remaining case, one swap of neighbouring letters, keeps the
    length. The engine evaluates a CASE branch only for the rows that reach it, while both
    sides of AND / OR are computed for every row.
    """
    a, b = f"{column}_l", f"{column}_r"
    return (
        f"CASE WHEN levenshtein({a}, {b}) <= 1 THEN true "
        f"WHEN length({a}) <> length({b}) THEN false "
        f"ELSE damerau_levenshtein({a}, {b}) <= 1 END"
    )


def _agree(part: str) -> str:
    return f"({part}_skel_l = {part}_skel_r)"


def _differ(part: str) -> str:
    return (
        f"({part}_skel_l IS NOT NULL AND {part}_skel_r IS NOT NULL "
        f"AND {part}_skel_l <> {part}_skel_r)"
    )


def _family_close(backend: str) -> str:
    """SQL: family names that differ by a typo (close romanised forms or skeletons one edit
    apart), written as CASE branches so the edit distance runs only where Jaro-Winkler fails.
    """
    from splink.internals.dialects import SplinkDialect

    jaro_winkler = SplinkDialect.from_string(backend).jaro_winkler_function_name
    return (
        f"CASE WHEN {jaro_winkler}(family_rom_l, family_rom_r) >= 0.88 THEN true "
        f"ELSE ({_one_edit('family_skel')}) END"
    )


def _lineage_comparison(settings: LinkageSettings) -> ComparisonCreator:
    """Family, father and mother compared together.

    Brothers share all three, so counting them as three independent agreements would make
    every pair of brothers look like one man (their given names alone would have to outweigh
    three strong agreements). One comparison with a level per combination estimates how often
    random pairs share a whole lineage, which is what the evidence is worth.
    """
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    fam, fa, mo = _agree("family"), _agree("father"), _agree("mother")
    close = _family_close(settings.backend)
    fa_x, mo_x = _differ("father"), _differ("mother")
    tf: dict[str, Any] = {"tf_adjustment_column": "family_skel", "tf_adjustment_weight": 1.0}
    levels: list[Any] = [
        cll.CustomLevel(
            "family_skel_l IS NULL OR family_skel_r IS NULL", "family name missing"
        ).configure(is_null_level=True),
        cll.CustomLevel(f"{fam} AND {fa} AND {mo}", "family, father and mother agree"),
        cll.CustomLevel(f"{fam} AND {fa} AND {mo_x}", "family and father agree, mother differs"),
        cll.CustomLevel(f"{fam} AND {fa}", "family and father agree").configure(**tf),
        cll.CustomLevel(f"{fam} AND {fa_x}", "family agrees, father differs"),
        cll.CustomLevel(f"{fam} AND {mo}", "family and mother agree"),
        cll.CustomLevel(f"{fam} AND {mo_x}", "family agrees, mother differs"),
        cll.CustomLevel(fam, "family agrees").configure(**tf),
        cll.CustomLevel(
            f"CASE WHEN {fa} THEN ({close}) ELSE false END", "family similar, father agrees"
        ),
        cll.CustomLevel(close, "family similar"),
        cll.CustomLevel(f"{fa} AND {mo}", "father and mother agree, family differs"),
        cll.ElseLevel(),
    ]
    return cl.CustomComparison(levels, output_column_name="lineage")


def _death_comparison(settings: LinkageSettings) -> ComparisonCreator:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    close, far = settings.death_close_days, settings.death_far_days
    levels: list[Any] = [
        cll.CustomLevel("death_lo_l IS NULL OR death_lo_r IS NULL", "death date missing").configure(
            is_null_level=True
        ),
        cll.CustomLevel(f"{_WIDEST_DAYS} <= 1 AND abs(death_mid_l - death_mid_r) <= 1", "same day"),
        cll.CustomLevel(f"{_GAP_DAYS} = 0 AND {_WIDEST_DAYS} <= 31", "overlapping, within a month"),
        cll.CustomLevel(f"{_GAP_DAYS} <= {close} AND {_WIDEST_DAYS} <= 31", f"within {close} days"),
        cll.CustomLevel(
            f"{_WIDEST_DAYS} <= 1 AND {_WHOLE_MONTHS}", "exact days 1 to 3 whole months apart"
        ),
        cll.CustomLevel(f"{_GAP_DAYS} = 0", "overlapping coarse intervals"),
        cll.CustomLevel(f"{_GAP_DAYS} <= {far}", f"within {far} days"),
        cll.ElseLevel(),
    ]
    return cl.CustomComparison(levels, output_column_name="death_date")


def _birth_comparison(settings: LinkageSettings) -> ComparisonCreator:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    tol = settings.birth_tolerance_years
    levels: list[Any] = [
        cll.CustomLevel("birth_lo_l IS NULL OR birth_lo_r IS NULL", "birth year missing").configure(
            is_null_level=True
        ),
        cll.CustomLevel("birth_day_l = birth_day_r", "same birth date"),
        cll.CustomLevel(f"{_GAP_YEARS} = 0 AND {_WIDEST_YEARS} <= 1", "same birth year"),
        cll.CustomLevel(f"{_GAP_YEARS} <= {tol}", f"birth years within {tol}"),
        cll.CustomLevel(f"{_GAP_YEARS} <= {2 * tol + 3}", f"birth years within {2 * tol + 3}"),
        cll.ElseLevel(),
    ]
    return cl.CustomComparison(levels, output_column_name="birth_year")


def _simple(column: str, output: str, jaro_winkler: float | None = None) -> ComparisonCreator:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    levels: list[Any] = [cll.NullLevel(column), cll.ExactMatchLevel(column)]
    if jaro_winkler is not None:
        levels.append(cll.JaroWinklerLevel(column, jaro_winkler))
    levels.append(cll.ElseLevel())
    return cl.CustomComparison(levels, output_column_name=output)


def build_splink_settings(settings: LinkageSettings, n_lists: int) -> Any:
    """Splink settings (a ``SettingsCreator``) for these linkage settings.

    Args:
        settings: The declarative settings.
        n_lists: Number of input lists; one list is deduplicated, several are linked and
            deduplicated in one run (``link_and_dedupe``).
    """
    from splink import SettingsCreator, block_on

    comparisons: list[Any] = [_name_comparison(nc) for nc in settings.names]
    if settings.lineage:
        comparisons.append(_lineage_comparison(settings))
    comparisons += [_death_comparison(settings), _birth_comparison(settings)]
    if settings.compare_governorate:
        comparisons.append(_simple("governorate", "governorate"))
    if settings.compare_place:
        comparisons.append(_simple("place_key", "place"))
    if settings.compare_sex:
        comparisons.append(_simple("sex", "sex"))
    comparisons += [_simple(f"x_{c}", c, 0.9) for c in settings.extra_columns]
    return SettingsCreator(
        link_type="link_and_dedupe" if n_lists > 1 else "dedupe_only",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[
            block_on(*rule) for rule in settings.blocking_rules
        ],
        probability_two_random_records_match=settings.prior_match_probability or 1e-4,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
        unique_id_column_name="unique_id",
        source_dataset_column_name="source_dataset",
        max_iterations=10,
    )


#: Suffix of a text column's integer twin (see :func:`register_lists`).
CODE_SUFFIX = "__code"


def _text_columns(prepared: pd.DataFrame, rules: tuple[tuple[str, ...], ...]) -> list[str]:
    used = dict.fromkeys(c for rule in rules for c in rule if c in prepared.columns)
    return [c for c in used if not pd.api.types.is_numeric_dtype(prepared[c].dtype)]


def _codes(values: pd.Series) -> pd.Series:
    """Equal integers exactly for equal values; missing stays missing."""
    codes, _ = pd.factorize(values, use_na_sentinel=True)
    return pd.Series(codes, index=values.index, dtype="Int32").where(codes >= 0, pd.NA)


def register_lists(
    prepared: pd.DataFrame,
    backend: LinkageBackend,
    blocking_rules: tuple[tuple[str, ...], ...] = (),
) -> list[Any]:
    """Load all lists into the engine as one table, deduplicated as a whole.

    Record ids are unique across lists, so deduplicating the union compares exactly the pairs
    Splink's ``link_and_dedupe`` compares (within each list and across lists), but joins on
    integer ids instead of "list-__-id" strings built for every candidate pair, and reads one
    table instead of a union of several: a third of the scoring time at 230,000 records.

    Each text column that `blocking_rules` compare also gets an integer twin
    (``<column>__code``, equal exactly when the texts are equal, missing when the text is),
    which :func:`train_model` gives the prediction linker's blocking rules: the blocking joins
    and Splink's "not already found by an earlier rule" tests then compare integers instead of
    strings (a third less CPU in blocking at 230,000 records), for the same pairs.
    """
    coded = _text_columns(prepared, blocking_rules)
    frame = prepared.assign(**{f"{c}{CODE_SUFFIX}": _codes(prepared[c]) for c in coded})
    return [backend.register_records(frame, "__sijill_records")]


def make_linker(tables: list[Any], model: Any, validate: bool = True) -> Linker:
    """A Splink linker over registered list tables with settings or a trained model dict.

    Args:
        tables: The registered input tables.
        model: Settings or a model dict.
        validate: Let Splink check the settings' columns against the tables (about a second
            at 230,000 records); training checks them once, not for every session.
    """
    from splink import Linker

    return Linker(tables, model, log_level=logging.WARNING, validate_settings=validate)


def _coded_blocking(model: dict[str, Any], tables: list[Any], settings: LinkageSettings) -> Any:
    """The model with its prediction blocking rules on the integer twins the tables carry."""
    from splink import block_on

    names = {c.unquote().name for c in tables[0].columns}
    rules = [
        block_on(*(f"{c}{CODE_SUFFIX}" if f"{c}{CODE_SUFFIX}" in names else c for c in rule))
        for rule in settings.blocking_rules
    ]
    coded = copy.deepcopy(model)
    coded["blocking_rules_to_generate_predictions"] = [
        rule.get_blocking_rule(model["sql_dialect"]).as_dict() for rule in rules
    ]
    return coded


def _floor_m(model: dict[str, Any], floor: float) -> dict[str, Any]:
    """Keep every trained m probability at or above `floor`, renormalised per comparison.

    Expectation maximisation on blocked pairs drives the m of a level never seen among the
    matches of that sample (a sex or place disagreement) towards zero, which would let one
    typo veto a match and can underflow Splink's next training session. The floor is a
    documented regularisation stored with the run's settings.
    """
    for comparison in model["comparisons"]:
        levels = [
            lv
            for lv in comparison["comparison_levels"]
            if not lv.get("is_null_level") and isinstance(lv.get("m_probability"), float)
        ]
        if not levels:
            continue
        for lv in levels:
            lv["m_probability"] = max(lv["m_probability"], floor)
        total = sum(lv["m_probability"] for lv in levels)
        for lv in levels:
            lv["m_probability"] /= total
    return model


#: Which comparison each blocking or anchor column says something about (a session that fixes
#: a column cannot estimate the m probabilities of that column's comparison).
_COLUMN_COMPARISONS = {
    "given": ("given",),
    "father": ("lineage", "father"),
    "mother": ("lineage", "mother"),
    "family": ("lineage", "family"),
    "grandfather": ("grandfather",),
    "full": ("given", "lineage", "father", "family"),
    "birth": ("birth_year",),
    "death": ("death_date",),
    "governorate": ("governorate",),
    "sex": ("sex",),
    "x": (),
}


def _biased(columns: tuple[str, ...]) -> set[str]:
    return {c for col in columns for c in _COLUMN_COMPARISONS.get(col.split("_")[0], ())}


def anchor_pairs(prepared: pd.DataFrame, columns: tuple[str, ...], limit: int) -> pd.DataFrame:
    """Pairs of records agreeing on every anchor column (near-certain matches), as Splink labels.

    The first `limit` pairs in record order are kept, so the result is deterministic.
    """
    keep = prepared[["unique_id", "source_dataset", *columns]].dropna(subset=list(columns))
    pairs = keep.merge(keep, on=list(columns), suffixes=("_l", "_r"))
    pairs = pairs[pairs["unique_id_l"] < pairs["unique_id_r"]]
    pairs = pairs.sort_values(["unique_id_l", "unique_id_r"]).head(limit)
    return pairs[
        ["source_dataset_l", "unique_id_l", "source_dataset_r", "unique_id_r"]
    ].reset_index(drop=True)


class _DropWarningsOn(logging.Filter):
    """Drops Splink's "level not observed" warnings about the given comparisons."""

    def __init__(self, comparisons: set[str]) -> None:
        super().__init__()
        self.comparisons = comparisons

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        return not any(f"on comparison {c} not observed" in text for c in self.comparisons)


@contextmanager
def _quiet_about(comparisons: set[str]) -> Iterator[None]:
    """Silence warnings about comparisons an EM session blocks on.

    A session blocked on the death day sees only pairs dying the same day, so Splink warns
    that every other death-date level was "not observed"; the session's estimates for that
    comparison are discarded anyway (:func:`_biased`), and the warning would reach the run's
    notes as if the stored model lacked them.
    """
    em_logger = logging.getLogger("splink.internals.expectation_maximisation")
    drop = _DropWarningsOn(comparisons)
    em_logger.addFilter(drop)
    try:
        yield
    finally:
        em_logger.removeFilter(drop)


def _m_values(comparison: dict[str, Any]) -> list[Any]:
    return [lv.get("m_probability") for lv in comparison["comparison_levels"]]


def train_model(
    tables: list[Any], settings: LinkageSettings, prepared: pd.DataFrame
) -> tuple[Linker, dict[str, Any]]:
    """Train without labels: prior from strict rules, u by random sampling, m by EM.

    Each EM session starts from the same u-trained model and trains the comparisons its
    blocking rule leaves free. A comparison keeps the m probabilities of the *first* session
    that trained it, so list the most reliable rule first: a later session blocked on other
    fields can settle on another latent class (same family, same death period) and must not
    overwrite good estimates. The m probabilities are then floored (:func:`_floor_m`).

    Returns:
        The trained linker (blocking on the integer twins of :func:`register_lists` where the
        tables carry them) and its model as a JSON-ready dict (stored with the run); the
        model notes training rules that failed and comparisons no session trained.
    """
    from splink import block_on

    linker = make_linker(tables, build_splink_settings(settings, len(tables)))
    training = linker.training
    if settings.prior_match_probability is None:
        training.estimate_probability_two_random_records_match(
            [
                block_on("given_rom", "father_rom", "family_rom"),
                block_on("given_rom", "family_rom", "death_year", "birth_year"),
                block_on("given_rom", "family_rom", "birth_day"),
            ],
            recall=0.7,
        )
        model = linker.misc.save_model_to_json()
        if not 0 < model["probability_two_random_records_match"] < 1:
            # No pair agreed on the strict rules (lists without fathers or dates): assume
            # each record has about one match among all others.
            n = len(prepared)
            model["probability_two_random_records_match"] = min(0.5, 2 / max(n - 1, 1))
            linker = make_linker(tables, model, validate=False)
            training = linker.training
    training.estimate_u_using_random_sampling(
        max_pairs=settings.u_max_pairs, seed=settings.seed, min_count_per_level=None, num_chunks=1
    )
    base = linker.misc.save_model_to_json()
    final = copy.deepcopy(base)
    taken: set[str] = set()
    skipped: list[list[str]] = []
    sessions = [("em", rule) for rule in settings.training_rules]
    sessions += [("anchor", rule) for rule in settings.anchor_rules]
    for number, (kind, rule) in enumerate(sessions):
        session = make_linker(tables, copy.deepcopy(base), validate=False)
        try:
            if kind == "em":
                with _quiet_about(_biased(rule)):
                    session.training.estimate_parameters_using_expectation_maximisation(
                        block_on(*rule), estimate_without_term_frequencies=True
                    )
            else:
                labels = anchor_pairs(prepared, rule, settings.anchor_limit)
                if labels.empty:
                    skipped.append(list(rule))
                    continue
                name = f"__sijill_anchor_{number}"
                session.table_management.register_table(labels, name, overwrite=True)
                session.training.estimate_m_from_pairwise_labels(name)
        except ValueError:
            # Splink refuses an m that underflows float64: the session collapsed onto one
            # class. Its estimates are dropped; the run's model records the skip.
            skipped.append(list(rule))
            continue
        trained = session.misc.save_model_to_json()
        biased = _biased(rule)
        for i, comparison in enumerate(trained["comparisons"]):
            name = comparison["output_column_name"]
            if name in taken or name in biased:
                continue
            if _m_values(comparison) != _m_values(base["comparisons"][i]):
                final["comparisons"][i] = comparison
                taken.add(name)
    floored = make_linker(tables, _floor_m(final, settings.m_floor), validate=False)
    model = floored.misc.save_model_to_json()
    linker = make_linker(tables, _coded_blocking(model, tables, settings), validate=False)
    model["sijill_skipped_training_rules"] = skipped
    model["sijill_untrained_comparisons"] = sorted(
        c["output_column_name"]
        for c in model["comparisons"]
        if c["output_column_name"] not in taken
    )
    model["sijill_untrained_levels"] = _untrained_levels(floored)
    return linker, model


def _untrained_levels(linker: Linker) -> list[dict[str, Any]]:
    """Comparison levels whose m probability no training session estimated, with the m they use.

    Such a level (a given-name typo level when no EM block held a matching pair that differed
    that way) scores with Splink's default m: 0.95 for a comparison's top level, 0.05 spread
    over the others. It is not floored (:func:`_floor_m`): that measured worse on `hard`
    (bench/RESULTS-linkage-ceiling.md). The list is stored with the run so a reader of its
    estimate can see which part of the model is a default rather than learnt from the lists.

    Returns:
        One dict per level, in model order: ``comparison`` (output column), ``level`` (its
        label) and ``default_m`` (the m it scores with).
    """
    found: list[dict[str, Any]] = []
    # Splink keeps the default m only on its live settings object; the saved model omits it.
    for comparison in linker._settings_obj.comparisons:
        for level in comparison.comparison_levels:
            if level.is_null_level or level._m_is_trained:
                continue
            found.append(
                {
                    "comparison": comparison.output_column_name,
                    "level": level.label_for_charts,
                    "default_m": round(float(level.m_probability or 0.0), 6),
                }
            )
    return found


def score_pairs(linker: Linker, settings: LinkageSettings) -> Any:
    """Score every blocked pair; keep pairs at or above the settings' floor.

    Returns:
        The Splink frame of pairs (``unique_id_l``, ``unique_id_r``, ``match_probability``,
        ``match_weight``), still in the engine.
    """
    return linker.inference.predict(threshold_match_probability=settings.pair_floor)
