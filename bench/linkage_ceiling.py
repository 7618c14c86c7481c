"""Linkage ceiling on simulated lists: what supervised models reach on our features and on more.

Answers "is pairwise F1 0.97 reachable on the `hard` preset with what the records hold?" (issue 4).
For each seed it runs Sijill's linkage (default settings) once, keeps *every* candidate pair
with Splink's comparison levels (gamma) and term-frequency weights, and then:

- ours: Sijill's own result from that run (threshold 0.2, person check), the baseline;
- oracle: the true labels on the candidate pairs, connected components (the blocking ceiling);
- ceiling A: supervised models on the same comparison vectors (logistic regression on one-hot
  levels = a supervised Fellegi-Sunter; gradient-boosted trees on the levels and tf weights);
- ceiling B: gradient-boosted trees on those plus what the records hold that our comparisons
  ignore or coarsen (list identity, raw date and birth distances, string similarities, name
  and name-combination frequencies, field counts, day/month agreement).

Models are fitted on one seed's pairs and evaluated on the other seed's run (no pair of the
evaluated run is seen in training), clustered the way Sijill clusters: connected components at
a threshold, then the person check (pairs inside candidate people scored by the same model).

Also: our own model with m probabilities counted on the true pairs (--labelled-m), settings
changes our unsupervised model can use today (--em-trials), and which added features matter
(the ablation; --jw-parts for one name part at a time).

Run: .venv/bin/python bench/linkage_ceiling.py [--people 20000] [--seeds 1 2] [--preset hard]
[--models ABC] [--folds 2] [--labelled-m] [--em-trials] [--no-supervised] [--no-ablation]
[--jw-parts]. Prints the figures of bench/RESULTS-linkage-ceiling.md.
"""

from __future__ import annotations

import argparse
import copy
import os
import platform
import sys
import time
from dataclasses import dataclass
from typing import Any

# One OpenMP thread: on a shared, oversubscribed machine spinning worker threads burn CPU.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import pandas as pd
from linkage_common import accuracy, simulated
from rapidfuzz.distance import JaroWinkler

from sijill.linkage import LinkageSettings, link_records
from sijill.linkage.backends import DuckDBBackend
from sijill.linkage.cluster import cluster_records
from sijill.linkage.model import make_linker, register_lists, train_model
from sijill.linkage.prepare import prepare_records
from sijill.linkage.split import check_people, score_within_people

GAMMAS = (
    "given",
    "grandfather",
    "lineage",
    "death_date",
    "birth_year",
    "governorate",
    "place",
    "sex",
)
TF = ("mw_tf_adj_given", "mw_tf_adj_lineage")
PARTS = ("given", "father", "grandfather", "family", "mother")
THRESHOLDS = (0.2, 0.3, 0.5, 0.7)
_START = time.perf_counter()


def _log(message: str) -> None:
    """Progress on stderr (the figures go to stdout)."""
    print(f"[{time.perf_counter() - _START:6.0f} s] {message}", file=sys.stderr, flush=True)


@dataclass
class SeedRun:
    """One seed's linkage run, kept open so pairs inside candidate people can be scored later."""

    seed: int
    records: pd.DataFrame
    person: pd.Series
    prepared: pd.DataFrame
    backend: DuckDBBackend
    db_api: Any
    linker: Any
    retained: Any
    tables: list[Any]
    model: dict[str, Any]
    candidates: pd.DataFrame
    ours: dict[str, float]
    seconds: float
    cpu: float
    context: pd.DataFrame  # per-record context features (frequencies, field counts)
    structure: pd.DataFrame | None = None  # per record and other list: best scores there


def _label(pairs: pd.DataFrame, person: pd.Series) -> np.ndarray:
    same: np.ndarray = (
        person.loc[pairs["unique_id_l"]].to_numpy() == person.loc[pairs["unique_id_r"]].to_numpy()
    )
    return same


def _keep_columns(frame: pd.DataFrame) -> pd.DataFrame:
    cols = ["unique_id_l", "unique_id_r", "match_probability", "match_weight"]
    cols += [f"gamma_{g}" for g in GAMMAS] + list(TF)
    out = frame[[c for c in cols if c in frame.columns]].copy()
    for c in TF:
        out[c] = out[c].astype("float64").fillna(0.0) if c in out else 0.0
    out = out.astype({"unique_id_l": "int64", "unique_id_r": "int64"})
    # The engine returns rows in no set order; the trees bin a row sample, so sort for repeatability.
    return out.sort_values(["unique_id_l", "unique_id_r"]).reset_index(drop=True)


def _record_context(prepared: pd.DataFrame) -> pd.DataFrame:
    """Per-record counts the pair features use: how common the record's names are, how full it is."""
    ctx = pd.DataFrame(index=prepared["unique_id"].to_numpy())
    p = prepared.set_index("unique_id")
    for part in ("given", "father", "family"):
        col = p[f"{part}_skel"]
        ctx[f"n_{part}"] = col.map(col.value_counts()).astype("float64").to_numpy()
    key = p["given_skel"].fillna("?") + "|" + p["family_skel"].fillna("?")
    ctx["n_given_family"] = key.map(key.value_counts()).to_numpy(dtype="float64")
    key_year = key + "|" + p["death_year"].astype(str)
    ctx["n_given_family_year"] = key_year.map(key_year.value_counts()).to_numpy(dtype="float64")
    fields = [f"{x}_skel" for x in PARTS] + ["sex", "birth_lo", "death_lo", "governorate"]
    ctx["filled"] = p[[*fields, "place_key"]].notna().sum(axis=1).to_numpy()
    return ctx


def link_seed(preset: str, people: int, seed: int) -> SeedRun:
    """Sijill's run on one seed (default settings), with every candidate pair's comparison levels."""
    records, person = simulated(preset, people, seed)
    settings = LinkageSettings()
    wall, cpu = time.perf_counter(), time.process_time()
    prepared = prepare_records(records)
    backend = DuckDBBackend(settings.memory_limit, settings.threads)
    db_api = backend.database_api()
    tables = register_lists(prepared, backend)
    linker, model = train_model(tables, settings, prepared)
    trained = {k: v for k, v in model.items() if not k.startswith("sijill_")}
    trained["retain_intermediate_calculation_columns"] = True
    trained["retain_matching_columns"] = True  # the gamma columns come only with these
    retained = make_linker(tables, trained)
    scored = retained.inference.predict()
    candidates = _keep_columns(backend.to_pandas(scored))
    scored.drop_table_from_database_and_remove_from_cache()
    # Sijill's own result, exactly as link_records makes it (floor, components, person check).
    pairs = candidates[candidates["match_probability"] >= settings.pair_floor]
    pairs = pairs[["unique_id_l", "unique_id_r", "match_probability", "match_weight"]]
    clustering = cluster_records(prepared["unique_id"], pairs, settings.threshold, db_api)
    inside = score_within_people(linker, prepared, clustering.clusters)
    both = pd.concat([pairs, inside], ignore_index=True).drop_duplicates(
        ["unique_id_l", "unique_id_r"]
    )
    clustering = check_people(clustering, both, settings.threshold)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return SeedRun(
        seed,
        records,
        person,
        prepared,
        backend,
        db_api,
        linker,
        retained,
        tables,
        trained,
        candidates,
        accuracy(clustering.clusters, person),
        wall,
        cpu,
        _record_context(prepared),
    )


# --- features -------------------------------------------------------------------------------


def features_a(pairs: pd.DataFrame) -> pd.DataFrame:
    """Ceiling A: our comparison levels (as categories) and term-frequency weights."""
    out = pd.DataFrame(index=pairs.index)
    for g in GAMMAS:
        out[f"gamma_{g}"] = pairs[f"gamma_{g}"].astype("int64") + 1  # null level -1 → 0
    for c in TF:
        out[c] = pairs[c].astype("float64")
    return out


def _jw(a: pd.Series, b: pd.Series) -> np.ndarray:
    out = np.full(len(a), np.nan)
    for i, (x, y) in enumerate(zip(a.to_numpy(), b.to_numpy(), strict=True)):
        if isinstance(x, str) and isinstance(y, str):
            out[i] = JaroWinkler.similarity(x, y)
    return out


def _day_and_month(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Day of month and month of days since 1970 (-1 where missing)."""
    known = ~np.isnan(days)
    stamps = np.where(known, days, 0).astype("int64").astype("datetime64[D]")
    months = stamps.astype("datetime64[M]")
    dom = (stamps - months.astype("datetime64[D]")).astype("int64") + 1
    month = months.astype("int64") % 12 + 1
    return np.where(known, dom, -1), np.where(known, month, -1)


def _num(s: pd.Series) -> np.ndarray:
    values: np.ndarray = s.astype("float64").to_numpy()
    return values


def features_b(pairs: pd.DataFrame, run: SeedRun) -> pd.DataFrame:
    """Ceiling B: ceiling A plus raw distances, list identity, frequencies and field counts."""
    out = features_a(pairs)
    p = run.prepared.set_index("unique_id")
    left, right = p.loc[pairs["unique_id_l"]], p.loc[pairs["unique_id_r"]]
    lists = sorted(run.prepared["source_dataset"].unique())
    code = {a: i for i, a in enumerate(lists)}
    li = left["source_dataset"].map(code).to_numpy()
    ri = right["source_dataset"].map(code).to_numpy()
    out["same_list"] = (li == ri).astype("int64")
    out["list_pair"] = np.minimum(li, ri) * len(lists) + np.maximum(li, ri)
    for part in PARTS:
        out[f"jw_{part}"] = _jw(left[f"{part}_rom"], right[f"{part}_rom"])
    lo_l, hi_l, lo_r, hi_r = (
        _num(left["death_lo"]),
        _num(left["death_hi"]),
        _num(right["death_lo"]),
        _num(right["death_hi"]),
    )
    out["death_gap"] = np.maximum(np.maximum(lo_l - hi_r, lo_r - hi_l), 0)
    out["death_mid_diff"] = np.abs(_num(left["death_mid"]) - _num(right["death_mid"]))
    wl, wr = _num(left["death_width"]), _num(right["death_width"])
    out["death_width_max"], out["death_width_min"] = np.fmax(wl, wr), np.fmin(wl, wr)
    dom_l, month_l = _day_and_month(_num(left["death_mid"]))
    dom_r, month_r = _day_and_month(_num(right["death_mid"]))
    both_exact = (wl <= 1) & (wr <= 1)
    out["same_dom"] = np.where(both_exact, (dom_l == dom_r).astype(float), np.nan)
    out["same_month"] = np.where(
        (wl <= 31) & (wr <= 31), (month_l == month_r).astype(float), np.nan
    )
    blo_l, bhi_l, blo_r, bhi_r = (
        _num(left["birth_lo"]),
        _num(left["birth_hi"]),
        _num(right["birth_lo"]),
        _num(right["birth_hi"]),
    )
    out["birth_gap"] = np.maximum(np.maximum(blo_l - bhi_r, blo_r - bhi_l), 0)
    out["birth_mid_diff"] = np.abs((blo_l + bhi_l) - (blo_r + bhi_r)) / 2
    out["birth_width_max"] = np.fmax(bhi_l - blo_l, bhi_r - blo_r)
    ctx_l = run.context.loc[pairs["unique_id_l"]].to_numpy()
    ctx_r = run.context.loc[pairs["unique_id_r"]].to_numpy()
    for j, name in enumerate(run.context.columns):
        a, b = ctx_l[:, j], ctx_r[:, j]
        if name == "filled":
            out["filled_min"], out["filled_max"] = np.minimum(a, b), np.maximum(a, b)
        else:
            out[f"log_{name}_max"] = np.log(np.maximum(a, b))
    same = [c for c in p.columns if c not in ("record_id", "source_dataset")]
    out["identical"] = np.all(
        left[same].astype(str).to_numpy() == right[same].astype(str).to_numpy(), axis=1
    ).astype("int64")
    return out.reset_index(drop=True)


CATEGORICAL_B = ["list_pair"]


def _best_per_list(run: SeedRun) -> pd.DataFrame:
    """Per record and other list: its best and second-best Sijill score there, and how many ≥ 0.2.

    Built from the candidate pairs and our unsupervised scores only (no labels), so a rule
    using it could run in Sijill itself.
    """
    c = run.candidates
    lists = run.prepared.set_index("unique_id")["source_dataset"]
    p = c["match_probability"].to_numpy()
    rows = pd.DataFrame(
        {
            "x": np.r_[c["unique_id_l"].to_numpy(), c["unique_id_r"].to_numpy()],
            "y": np.r_[c["unique_id_r"].to_numpy(), c["unique_id_l"].to_numpy()],
            "other": np.r_[
                lists.loc[c["unique_id_r"]].to_numpy(), lists.loc[c["unique_id_l"]].to_numpy()
            ],
            "p": np.r_[p, p],
        }
    ).sort_values(["x", "other", "p"], ascending=[True, True, False])
    rank = rows.groupby(["x", "other"]).cumcount()
    top = rows[rank == 0].set_index(["x", "other"])["p"].rename("top1")
    second = rows[rank == 1].set_index(["x", "other"])["p"].rename("top2")
    strong = rows[rows["p"] >= 0.2].groupby(["x", "other"]).size().rename("strong")
    return pd.concat([top, second, strong], axis=1)


def features_c(pairs: pd.DataFrame, run: SeedRun) -> pd.DataFrame:
    """Ceiling C: B plus list structure (how this pair ranks among each record's candidates)."""
    out = features_b(pairs, run)
    if run.structure is None:
        run.structure = _best_per_list(run)
    lists = run.prepared.set_index("unique_id")["source_dataset"]
    key = run.candidates["unique_id_l"] * 10**7 + run.candidates["unique_id_r"]
    own_p = pd.Series(run.candidates["match_probability"].to_numpy(), index=key.to_numpy())
    own = own_p.reindex((pairs["unique_id_l"] * 10**7 + pairs["unique_id_r"]).to_numpy()).to_numpy()
    out["own_p"] = own
    for side, other in (("l", "r"), ("r", "l")):
        index = pd.MultiIndex.from_arrays(
            [
                pairs[f"unique_id_{side}"].to_numpy(),
                lists.loc[pairs[f"unique_id_{other}"]].to_numpy(),
            ]
        )
        got = run.structure.reindex(index)
        top1, top2 = got["top1"].to_numpy(), got["top2"].to_numpy()
        is_top = own >= top1 - 1e-12
        out[f"best_other_{side}"] = np.where(is_top, top2, top1)
        out[f"is_top_{side}"] = is_top.astype(float)
        out[f"strong_{side}"] = got["strong"].fillna(0).to_numpy()
    return out


def mutual_best(run: SeedRun, keep_above: float) -> dict[str, float]:
    """Sijill's pairs, but a pair below `keep_above` must be the best of each record in the other list.

    An unsupervised rule (no labels): each list names a person about once, so a record's
    weaker candidates in another list are more likely namesakes than duplicates.
    """
    if run.structure is None:
        run.structure = _best_per_list(run)
    c = run.candidates
    pairs = c[c["match_probability"] >= 0.05][
        ["unique_id_l", "unique_id_r", "match_probability", "match_weight"]
    ]
    lists = run.prepared.set_index("unique_id")["source_dataset"]
    ok = np.ones(len(pairs), dtype=bool)
    for side, other in (("l", "r"), ("r", "l")):
        index = pd.MultiIndex.from_arrays(
            [
                pairs[f"unique_id_{side}"].to_numpy(),
                lists.loc[pairs[f"unique_id_{other}"]].to_numpy(),
            ]
        )
        top1 = run.structure.reindex(index)["top1"].to_numpy()
        ok &= pairs["match_probability"].to_numpy() >= top1 - 1e-12
    keep = ok | (pairs["match_probability"].to_numpy() >= keep_above)
    edges = pairs.assign(
        match_probability=np.where(keep, pairs["match_probability"], 0.0),
    )
    clustering = cluster_records(run.prepared["unique_id"], edges, 0.2, run.db_api)
    inside = score_within_people(run.linker, run.prepared, clustering.clusters)
    both = pd.concat([edges, inside], ignore_index=True).drop_duplicates(
        ["unique_id_l", "unique_id_r"]
    )
    return accuracy(check_people(clustering, both, 0.2).clusters, run.person)


# --- models ---------------------------------------------------------------------------------


def fit_logistic(x: pd.DataFrame, y: np.ndarray) -> Any:
    """Supervised Fellegi-Sunter: logistic regression on one-hot levels plus the tf weights."""
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    gammas = [c for c in x.columns if c.startswith("gamma_")]
    numeric = [c for c in x.columns if c not in gammas]
    prep = ColumnTransformer(
        [
            ("levels", OneHotEncoder(handle_unknown="ignore"), gammas),
            ("tf", StandardScaler(), numeric),
        ]
    )
    model = make_pipeline(prep, LogisticRegression(max_iter=3000, C=1.0))
    return model.fit(x, y)


def fit_trees(
    x: pd.DataFrame, y: np.ndarray, iterations: int = 250, leaves: int = 31, rate: float = 0.1
) -> Any:
    """Gradient-boosted trees (levels as categories; NaN = missing, handled natively)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    categorical = [c for c in x.columns if c.startswith("gamma_") or c in CATEGORICAL_B]
    model = HistGradientBoostingClassifier(
        max_iter=iterations,
        learning_rate=rate,
        max_leaf_nodes=leaves,
        min_samples_leaf=40,
        l2_regularization=1.0,
        categorical_features=categorical,
        early_stopping=False,
        random_state=0,
    )
    return model.fit(x, y)


# --- clustering with a supervised model -------------------------------------------------------


def _probabilities(model: Any, x: pd.DataFrame) -> np.ndarray:
    p: np.ndarray = np.clip(model.predict_proba(x)[:, 1], 1e-9, 1 - 1e-9)
    return p


def cluster_with(
    run: SeedRun, model: Any, featurise: Any, thresholds: tuple[float, ...]
) -> dict[float, dict[str, float]]:
    """Cluster a run's records on a supervised model's probabilities, Sijill's way, per threshold."""
    pairs = run.candidates[["unique_id_l", "unique_id_r"]].copy()
    pairs["match_probability"] = _probabilities(model, featurise(run.candidates, run))
    db_api = run.db_api
    results: dict[float, dict[str, float]] = {}
    for th in thresholds:
        clustering = cluster_records(run.prepared["unique_id"], pairs, th, db_api)
        biggest = int(clustering.clusters["person_key"].value_counts().max())
        _log(f"s{run.seed} @{th}: components done, largest {biggest} records")
        inside = _inside_pairs(run, clustering.clusters)
        _log(f"s{run.seed} @{th}: {len(inside)} pairs inside candidate people scored")
        if not inside.empty:
            inside = inside.assign(match_probability=_probabilities(model, featurise(inside, run)))
            scored = inside[["unique_id_l", "unique_id_r", "match_probability"]]
            all_pairs = pd.concat([pairs, scored], ignore_index=True)
        else:
            all_pairs = pairs
        all_pairs = all_pairs.drop_duplicates(["unique_id_l", "unique_id_r"])
        checked = check_people(clustering, all_pairs, th)
        results[th] = accuracy(checked.clusters, run.person)
    return results


def _inside_pairs(run: SeedRun, clusters: pd.DataFrame, min_size: int = 3) -> pd.DataFrame:
    """Every pair inside candidate people of 3+ records, with comparison levels (Splink scores)."""
    sizes = clusters.groupby("person_key")["unique_id"].transform("size")
    big = clusters.loc[sizes >= min_size]
    if big.empty:
        return pd.DataFrame()
    source = run.prepared.set_index("unique_id")["source_dataset"]
    table = pd.DataFrame(
        {
            "unique_id": big["unique_id"].astype("int64").to_numpy(),
            "source_dataset": source.loc[big["unique_id"]].to_numpy(),
            "cluster_id": big["person_key"].astype("int64").to_numpy(),
        }
    )
    linker = run.retained
    registered = linker.table_management.register_table(table, "__ceiling_people", overwrite=True)
    scored = linker.inference._score_missing_cluster_edges(registered)
    frame = _keep_columns(scored.as_pandas_dataframe())
    scored.drop_table_from_database_and_remove_from_cache()
    registered.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)
    return frame.reset_index(drop=True)


def oracle(run: SeedRun) -> dict[str, float]:
    """True labels on the candidate pairs, connected components: the blocking ceiling."""
    pairs = run.candidates[["unique_id_l", "unique_id_r"]].copy()
    pairs["match_probability"] = _label(pairs, run.person).astype(float)
    db_api = run.db_api
    clustering = cluster_records(run.prepared["unique_id"], pairs, 0.5, db_api)
    return accuracy(clustering.clusters, run.person)


# --- our model with m probabilities from the truth --------------------------------------------


def true_pair_levels(run: SeedRun) -> pd.DataFrame:
    """Comparison levels of every true pair (blocked or not), scored by our trained model."""
    sizes = run.person.map(run.person.value_counts())
    keep = sizes[sizes >= 2]
    truth = pd.DataFrame({"unique_id": keep.index.astype("int64"), "person_key": 0})
    truth["person_key"] = pd.factorize(run.person.loc[keep.index])[0]
    return _inside_pairs(run, truth, min_size=2)


def labelled_model(
    run: SeedRun, levels: pd.DataFrame, only: tuple[str, ...] | None, prior: bool
) -> dict[str, Any]:
    """Our trained model with the m probabilities of some comparisons (and the prior) from labels.

    m of a level = share of all true pairs (where the comparison is not null) at that level,
    floored at 1e-4; the u probabilities and term-frequency adjustments stay as trained.
    """
    model = copy.deepcopy(run.model)
    for comparison in model["comparisons"]:
        name = comparison["output_column_name"]
        if only is not None and name not in only:
            continue
        real = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        gamma = levels[f"gamma_{name}"]
        gamma = gamma[gamma >= 0]
        counts = gamma.value_counts()
        for idx, lv in enumerate(real):
            lv["m_probability"] = max(counts.get(len(real) - 1 - idx, 0) / len(gamma), 1e-4)
        total = sum(lv["m_probability"] for lv in real)
        for lv in real:
            lv["m_probability"] /= total
    if prior:
        n = len(run.prepared)
        model["probability_two_random_records_match"] = len(levels) / (n * (n - 1) / 2)
    return model


def m_table(run: SeedRun, levels: pd.DataFrame) -> None:
    """Trained against labelled m per level, where they differ by more than a factor 2."""
    labelled = labelled_model(run, levels, None, prior=True)
    print(f"\n### Trained m against m from labels (s{run.seed}; levels off by more than 2×)\n")
    print("| comparison | level | trained m | m from labels | u | weight trained → labelled |")
    print("|---|---|---|---|---|---|")
    for mine, true in zip(run.model["comparisons"], labelled["comparisons"], strict=True):
        for a, b in zip(mine["comparison_levels"], true["comparison_levels"], strict=True):
            if a.get("is_null_level"):
                continue
            m_a, m_b, u = a.get("m_probability"), b["m_probability"], a.get("u_probability")
            if m_a is None or u is None:  # a level never seen while training: Splink's default
                print(
                    f"| {mine['output_column_name']} | {a.get('label_for_charts', '')} | "
                    f"untrained | {m_b:.4f} | {u} | |"
                )
                continue
            if max(m_a, m_b) / min(m_a, m_b) > 2 and max(m_a, m_b) > 0.005:
                print(
                    f"| {mine['output_column_name']} | {a.get('label_for_charts', '')} | "
                    f"{m_a:.4f} | {m_b:.4f} | {u:.5f} | "
                    f"{np.log2(m_a / u):+.1f} → {np.log2(m_b / u):+.1f} |"
                )
    n = len(run.prepared)
    print(
        f"\nprior (probability two random records match): trained "
        f"{run.model['probability_two_random_records_match']:.3e}, from labels "
        f"{len(levels) / (n * (n - 1) / 2):.3e}"
    )


def run_model(run: SeedRun, model: dict[str, Any], threshold: float = 0.2) -> dict[str, float]:
    """Score, cluster and check people with a given model dict, the way link_records does."""
    settings = LinkageSettings(threshold=threshold)
    model = {**model, "retain_matching_columns": False}
    model["retain_intermediate_calculation_columns"] = False
    linker = make_linker(run.tables, model)
    scored = linker.inference.predict(threshold_match_probability=settings.pair_floor)
    pairs = scored.as_pandas_dataframe()[
        ["unique_id_l", "unique_id_r", "match_probability", "match_weight"]
    ].astype({"unique_id_l": "int64", "unique_id_r": "int64"})
    scored.drop_table_from_database_and_remove_from_cache()
    clustering = cluster_records(run.prepared["unique_id"], pairs, threshold, run.db_api)
    inside = score_within_people(linker, run.prepared, clustering.clusters)
    both = pd.concat([pairs, inside], ignore_index=True).drop_duplicates(
        ["unique_id_l", "unique_id_r"]
    )
    return accuracy(check_people(clustering, both, threshold).clusters, run.person)


def labelled_m_runs(run: SeedRun, one_at_a_time: bool) -> None:
    """Our model form with m from labels: all at once, then (optionally) one comparison at a time."""
    levels = true_pair_levels(run)
    m_table(run, levels)
    print(f"\n### Our model with m probabilities from labels (s{run.seed})\n")
    print(HEADER)
    print(_row(f"s{run.seed} Sijill as trained @0.2", run.ours))
    for th in (0.2, 0.5):
        figures = run_model(run, labelled_model(run, levels, None, prior=True), th)
        print(_row(f"s{run.seed} all m and prior from labels @{th}", figures), flush=True)
    figures = run_model(run, labelled_model(run, levels, (), prior=True))
    print(_row(f"s{run.seed} prior only from labels @0.2", figures), flush=True)
    for name in GAMMAS if one_at_a_time else ():
        figures = run_model(run, labelled_model(run, levels, (name,), prior=False))
        print(_row(f"s{run.seed} m of {name} only from labels @0.2", figures), flush=True)


_ANCHORS = LinkageSettings().anchor_rules
#: An anchor that leaves the given name free and needs no father's name (lists B and D have none).
_FAMILY_DAY_ANCHOR = ("family_rom", "death_day", "birth_year", "governorate")
_FAMILY_DAY_EM = (("given_skel", "family_skel"), ("family_skel", "death_day"))
EM_TRIALS: dict[str, dict[str, Any]] = {
    # A comparison keeps the m of the first session that trains it: the new anchor goes first.
    "anchor family + death day + birth year + governorate first": {
        "anchor_rules": (_FAMILY_DAY_ANCHOR, *_ANCHORS)
    },
    "+ EM session blocked on family + death day": {"training_rules": _FAMILY_DAY_EM},
    "+ EM session blocked on family + death day, threshold 0.1": {
        "training_rules": _FAMILY_DAY_EM,
        "threshold": 0.1,
        "review_low": 0.1,
    },
    "threshold 0.1 alone": {"threshold": 0.1, "review_low": 0.1},
}


def em_trials(runs: dict[int, SeedRun]) -> None:
    """Our unsupervised pipeline with changed settings (no code change), against the default."""
    print("\n## Settings changes our unsupervised model can use\n")
    print(HEADER)
    for seed, run in runs.items():
        print(_row(f"s{seed} default settings @0.2", run.ours))
        for label, change in EM_TRIALS.items():
            cpu = time.process_time()
            settings = LinkageSettings(**change)
            result = link_records(run.records, settings)
            note = f"{time.process_time() - cpu:.0f} s CPU"
            figures = accuracy(result.clusters, run.person)
            print(_row(f"s{seed} {label} @{settings.threshold}", figures, note), flush=True)


def fill_untrained(model: dict[str, Any], floor: float) -> tuple[dict[str, Any], int]:
    """The model with every level that has no trained m given `floor` (then renormalised).

    Emulates a fix in ``train_model``: today such levels score with Splink's default m.
    """
    model = copy.deepcopy(model)
    filled = 0
    for comparison in model["comparisons"]:
        real = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        for lv in real:
            if not isinstance(lv.get("m_probability"), float):
                lv["m_probability"] = floor
                filled += 1
        total = sum(lv["m_probability"] for lv in real)
        for lv in real:
            lv["m_probability"] /= total
    return model, filled


def untrained_trials(runs: dict[int, SeedRun]) -> None:
    """Levels without a trained m floored instead of left to Splink's defaults, with and without
    the extra EM session."""
    print("\n## Untrained levels floored (emulating a fix in train_model)\n")
    print(HEADER)
    floor = LinkageSettings().m_floor
    for seed, run in runs.items():
        print(_row(f"s{seed} default settings @0.2", run.ours))
        model, filled = fill_untrained(run.model, floor)
        note = f"{filled} levels floored"
        print(_row(f"s{seed} untrained levels at m_floor @0.2", run_model(run, model), note))
        settings = LinkageSettings(training_rules=_FAMILY_DAY_EM)
        _linker, trained = train_model(run.tables, settings, run.prepared)
        trained = {k: v for k, v in trained.items() if not k.startswith("sijill_")}
        model, filled = fill_untrained(trained, floor)
        note = f"{filled} levels floored"
        label = f"s{seed} + EM session on family + death day, untrained levels at m_floor"
        print(_row(f"{label} @0.2", run_model(run, model), note), flush=True)


# --- reporting --------------------------------------------------------------------------------

GROUPS = {
    "list identity (same list, list pair)": ("same_list", "list_pair"),
    "raw death-date distances, day/month agreement": (
        "death_gap",
        "death_mid_diff",
        "death_width_max",
        "death_width_min",
        "same_dom",
        "same_month",
    ),
    "raw birth-year distances": ("birth_gap", "birth_mid_diff", "birth_width_max"),
    "Jaro-Winkler per name part": tuple(f"jw_{p}" for p in PARTS),
    "name and name-combination frequencies": (
        "log_n_given_max",
        "log_n_father_max",
        "log_n_family_max",
        "log_n_given_family_max",
        "log_n_given_family_year_max",
    ),
    "fields filled per record": ("filled_min", "filled_max"),
    "identical records (copies)": ("identical",),
}


def _row(label: str, f: dict[str, float], note: str = "") -> str:
    return (
        f"| {label} | {f['pairwise_precision']:.4f} | {f['pairwise_recall']:.4f} | "
        f"{f['pairwise_f1']:.4f} | {f['bcubed_precision']:.4f} | {f['bcubed_recall']:.4f} | "
        f"{f['bcubed_f1']:.4f} | {note} |"
    )


HEADER = (
    "| run | pw P | pw R | pw F1 | B3 P | B3 R | B3 F1 | notes |\n|---|---|---|---|---|---|---|---|"
)


def pair_scores(p: np.ndarray, y: np.ndarray, n_true: int) -> str:
    """Pair-level figures on the candidate pairs: average precision and the best pair F1.

    Recall counts all true pairs (unblocked ones are missed by any pairwise model).
    """
    order = np.argsort(-p)
    tp = np.cumsum(y[order])
    precision = tp / np.arange(1, len(p) + 1)
    recall = tp / n_true
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    best = int(np.argmax(f1))
    ap = float(np.sum(precision[y[order]]) / n_true)
    return f"AP {ap:.4f}, best pair F1 {f1[best]:.4f} at p≥{p[order][best]:.2f}"


def what_records_hold(run: SeedRun) -> None:
    """Share of records per list with each prepared field filled."""
    fields = {
        "given": "given_skel",
        "father": "father_skel",
        "grandfather": "grandfather_skel",
        "family": "family_skel",
        "mother": "mother_skel",
        "sex": "sex",
        "birth (year or age)": "birth_lo",
        "birth year exact (≤3 y)": "birth_year",
        "death date": "death_lo",
        "death exact day": "death_day",
        "governorate": "governorate",
        "place": "place_key",
    }
    fill = run.prepared.groupby("source_dataset")[list(fields.values())].agg(
        lambda s: s.notna().mean()
    )
    print(f"\n### What the records hold (seed {run.seed}; share of records with the field)\n")
    print("| list | records | " + " | ".join(fields) + " |")
    print("|---|---|" + "---|" * len(fields))
    sizes = run.prepared.groupby("source_dataset").size()
    for name, row in fill.iterrows():
        cells = " | ".join(f"{v:.2f}" for v in row.to_numpy())
        print(f"| {name} | {sizes[name]} | {cells} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--seeds", type=int, nargs=2, default=[1, 2])
    parser.add_argument("--preset", default="hard")
    parser.add_argument("--no-ablation", action="store_true")
    parser.add_argument("--no-supervised", action="store_true")
    parser.add_argument("--models", default="ABC", help="supervised models to fit: A, B, C")
    parser.add_argument("--folds", type=int, choices=(1, 2), default=2)
    parser.add_argument("--em-trials", action="store_true", help="settings changes for EM")
    parser.add_argument("--jw-parts", action="store_true", help="ablation: one name part at a time")
    parser.add_argument("--fill-untrained", action="store_true", help="untrained levels floored")
    parser.add_argument("--labelled-m", action="store_true", help="our model with m from labels")
    args = parser.parse_args()
    print(f"# Linkage ceiling — {platform.machine()}, Python {platform.python_version()}")
    print(f"load average at start: {os.getloadavg()[0]:.1f}, {args.preset}, {args.people} people")
    runs: dict[int, SeedRun] = {}
    for seed in args.seeds:
        runs[seed] = link_seed(args.preset, args.people, seed)
    what_records_hold(runs[args.seeds[0]])
    print("\n## Sijill and the blocking ceiling\n")
    print(HEADER)
    for seed, run in runs.items():
        y = _label(run.candidates, run.person)
        sizes = run.person.value_counts().to_numpy()
        n_true = int((sizes * (sizes - 1) // 2).sum())
        print(
            _row(
                f"{args.preset} s{seed} Sijill @0.2",
                run.ours,
                f"{len(run.records)} records, {len(run.candidates)} candidate pairs, "
                f"{y.sum()} of {n_true} true pairs blocked ({y.sum() / n_true:.4f}); "
                f"{run.seconds:.0f} s wall, {run.cpu:.0f} s CPU",
            )
        )
        print(
            _row(
                f"{args.preset} s{seed} oracle on candidate pairs",
                oracle(run),
                pair_scores(run.candidates["match_probability"].to_numpy(), y, n_true)
                + " (Sijill's scores)",
            ),
            flush=True,
        )
    print("\n## An unsupervised list-structure rule on Sijill's own scores\n")
    print(HEADER)
    for seed, run in runs.items():
        for keep_above in (0.5, 0.9):
            print(
                _row(
                    f"{args.preset} s{seed} Sijill @0.2, pairs below {keep_above} kept only "
                    "if mutual best",
                    mutual_best(run, keep_above),
                ),
                flush=True,
            )
    if args.em_trials:
        em_trials(runs)
    if args.fill_untrained:
        untrained_trials(runs)
    if args.labelled_m:
        for seed, run in runs.items():
            labelled_m_runs(run, one_at_a_time=seed == args.seeds[0])
    if not args.no_supervised:
        supervised(runs, args.seeds, args.models, args.folds)
    if not args.no_ablation:
        ablation(runs[args.seeds[0]], runs[args.seeds[1]], args.jw_parts)
    for run in runs.values():
        run.backend.close()


def supervised(runs: dict[int, SeedRun], seeds: list[int], kinds: str, folds: int) -> None:
    """Ceilings A and B: models fitted on one seed's candidate pairs, evaluated on the other's."""
    fa = lambda pairs, run: features_a(pairs)  # noqa: E731
    every = (
        ("A: logistic on levels (supervised FS)", fa, fit_logistic),
        ("A: trees on levels", fa, fit_trees),
        ("B: trees on levels + more", features_b, fit_trees),
        ("C: trees on B + list structure", features_c, fit_trees),
    )
    models = [m for m in every if m[0][0] in kinds]
    print("\n## Supervised ceilings (fit on one seed, evaluated on the other)\n")
    print(HEADER)
    for train_seed, test_seed in ((seeds[0], seeds[1]), (seeds[1], seeds[0]))[:folds]:
        train, test = runs[train_seed], runs[test_seed]
        y_train = _label(train.candidates, train.person)
        y_test = _label(test.candidates, test.person)
        sizes = test.person.value_counts().to_numpy()
        n_true = int((sizes * (sizes - 1) // 2).sum())
        for name, featurise, fitter in models:
            cpu = time.process_time()
            _log(f"fitting {name} on s{train_seed}")
            model = fitter(featurise(train.candidates, train), y_train)
            p = _probabilities(model, featurise(test.candidates, test))
            figures = cluster_with(test, model, featurise, THRESHOLDS)
            cpu = time.process_time() - cpu
            for th, f in figures.items():
                note = pair_scores(p, y_test, n_true) + f"; {cpu:.0f} s CPU" if th == 0.2 else ""
                print(_row(f"{name}, fit s{train_seed} → s{test_seed} @{th}", f, note), flush=True)


def ablation(train: SeedRun, test: SeedRun, jw_parts: bool = False) -> None:
    """Pair-level figures of ceiling B without each feature group (trees refitted each time)."""
    x_train, x_test = features_b(train.candidates, train), features_b(test.candidates, test)
    y_train = _label(train.candidates, train.person)
    y_test = _label(test.candidates, test.person)
    sizes = test.person.value_counts().to_numpy()
    n_true = int((sizes * (sizes - 1) // 2).sum())
    print(f"\n## What each added feature group is worth (B trees, s{train.seed} → s{test.seed})\n")
    print("| features | pair-level figures on the candidate pairs |\n|---|---|")
    a_cols = list(features_a(train.candidates).columns)
    variants = {"A (levels + tf)": a_cols, "B (all)": list(x_train.columns)}
    for group, added in GROUPS.items():
        if jw_parts:
            break
        variants[f"B without {group}"] = [c for c in x_train.columns if c not in added]
        variants[f"A + {group}"] = a_cols + list(added)
    for part in PARTS if jw_parts else ():
        variants[f"A + Jaro-Winkler of {part} only"] = [*a_cols, f"jw_{part}"]
    for label, cols in variants.items():
        model = fit_trees(x_train[cols], y_train)
        p = _probabilities(model, x_test[cols])
        print(f"| {label} | {pair_scores(p, y_test, n_true)} |", flush=True)
    # Is the ceiling the model's capacity? Larger trees, more of them, a slower rate.
    for iterations, leaves, rate in ((600, 63, 0.05), (1000, 127, 0.03)) if jw_parts else ():
        model = fit_trees(x_train, y_train, iterations, leaves, rate)
        p = _probabilities(model, x_test)
        label = f"B (all), {iterations} trees of {leaves} leaves, rate {rate}"
        print(f"| {label} | {pair_scores(p, y_test, n_true)} |", flush=True)


if __name__ == "__main__":
    main()
