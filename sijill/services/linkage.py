"""Use cases of record linkage: link the lists, review pairs, read people, export, evaluate."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from sijill.domain.lists import RECORD_FIELDS
from sijill.errors import InputError, NotFoundError
from sijill.linkage.review import LinkageRun, PairDecision, ReviewPair, parse_pair
from sijill.linkage.settings import LinkageSettings
from sijill.services.access import Permission
from sijill.services.session import Session
from sijill.store import linkage as store

if TYPE_CHECKING:
    from sijill.estimation.table import CaptureHistory

__all__ = [
    "LinkSummary",
    "Person",
    "capture_history",
    "capture_history_table",
    "decide",
    "evaluate",
    "export_people",
    "link_lists",
    "people",
    "person_id",
    "quality_report",
    "review_queue",
]

STRATA = ("governorate", "year", "sex")
_DISPLAY = ("list_name", "record_id", *RECORD_FIELDS)


@dataclass(frozen=True)
class LinkSummary:
    """The outcome of `link_lists`: the run's id and its figures."""

    run_id: int
    records: int
    people: int
    pairs_scored: int
    pairs_in_review: int
    conflicts: int
    seconds: float
    input_hashes: dict[str, Any]
    settings: dict[str, Any]


@dataclass(frozen=True)
class Person:
    """One unique person found by a run, with the list records that name them."""

    person_id: str
    records: list[dict[str, Any]]

    @property
    def lists(self) -> list[str]:
        """The lists that hold this person (sorted, each once)."""
        return sorted({r["list"] for r in self.records})


def person_id(person_key: int) -> str:
    """The public id of a person: ``P`` and the smallest record id in them (stable while it stays)."""
    return f"P{int(person_key):07d}"


def link_lists(s: Session, settings: LinkageSettings | None = None) -> LinkSummary:
    """Deduplicate and link every imported list in one run, honouring review decisions.

    The run is stored with its settings and the SHA-256 of each input file, its scored pairs
    (those above the settings' floor) and every record's person.

    Raises:
        InputError: No list has been imported, or the settings are invalid.
        PermissionDeniedError: The user may not work on lists.
    """
    from sijill.linkage.run import link_records

    s.require(Permission.WORK_LISTS, target="linkage")
    settings = settings or LinkageSettings()
    records = store.load_records(s.conn)
    if len(records) < 2:
        raise InputError(
            "there are fewer than two list records to link",
            hint="import lists first with `sijill import-list FILE --list NAME`",
        )
    inputs = store.list_inputs(s.conn)
    run_id = store.create_run(s.conn, s.actor.username, settings.to_dict(), inputs)
    result = link_records(records, settings, store.current_decisions(s.conn))
    store.save_pairs(s.conn, run_id, result.pairs)
    store.save_clusters(s.conn, run_id, result.clusters)
    summary = result.summary()
    store.finish_run(s.conn, run_id, "done", {**summary, "model": result.model})
    s.audit(
        "linkage.run",
        f"linkage-run:{run_id}",
        lists=sorted(inputs),
        records=summary["records"],
        people=summary["people"],
        conflicts=len(summary["conflicts"]),
    )
    return LinkSummary(
        run_id=run_id,
        records=summary["records"],
        people=summary["people"],
        pairs_scored=summary["pairs_scored"],
        pairs_in_review=summary["pairs_in_review"],
        conflicts=len(summary["conflicts"]),
        seconds=summary["timings"]["total"],
        input_hashes=inputs,
        settings=settings.to_dict(),
    )


def get_run(s: Session, run: int | None = None) -> LinkageRun:
    """A stored run (the latest finished one by default)."""
    s.require(Permission.READ_LISTS, target="linkage")
    return store.get_run(s.conn, run)


def _display(row: pd.Series) -> dict[str, Any]:
    out: dict[str, Any] = {"id": int(row["unique_id"])}
    for col in _DISPLAY:
        value = row.get(col)
        out["list" if col == "list_name" else col] = (
            "" if value is None or (not isinstance(value, str) and pd.isna(value)) else value
        )
    return out


def review_queue(s: Session, run: int | None = None, limit: int = 50) -> list[ReviewPair]:
    """Pairs in the review band not yet accepted or rejected, nearest the threshold first.

    Pairs marked unsure stay in the queue (shown with that mark) until someone decides.
    """
    s.require(Permission.READ_LISTS, target="linkage")
    linkage_run = store.get_run(s.conn, run)
    pairs = store.load_pairs(s.conn, linkage_run.id)
    pairs = pairs[pairs["in_review"].astype(bool)]
    decided = store.current_decision_map(s.conn)
    keys = list(
        zip(pairs["unique_id_l"].astype(int), pairs["unique_id_r"].astype(int), strict=True)
    )
    state = [decided.get(k) for k in keys]
    pairs = pairs.assign(decision=state)
    pairs = pairs[~pairs["decision"].isin(["accept", "reject"])]
    threshold = LinkageSettings.from_dict(linkage_run.settings).threshold
    pairs = pairs.assign(distance=(pairs["match_probability"] - threshold).abs())
    pairs = pairs.sort_values(["distance", "pair_id"]).head(max(limit, 0))
    ids = set(pairs["unique_id_l"].astype(int)) | set(pairs["unique_id_r"].astype(int))
    records = store.load_records(s.conn, ids).set_index("unique_id", drop=False)
    return [
        ReviewPair(
            pair_id=int(p.pair_id),
            run_id=linkage_run.id,
            match_probability=float(p.match_probability),
            match_weight=float(p.match_weight),
            record_a=_display(records.loc[int(p.unique_id_l)]),
            record_b=_display(records.loc[int(p.unique_id_r)]),
            current_decision=p.decision,
        )
        for p in pairs.itertuples(index=False)
    ]


def _resolve_pair(s: Session, pair: str | int) -> tuple[int, int]:
    pair_id, records = parse_pair(str(pair))
    if pair_id is not None:
        _run, a, b, _p, _w = store.get_pair(s.conn, pair_id)
        return a, b
    assert records is not None
    missing = set(records) - store.records_exist(s.conn, records)
    if missing:
        raise NotFoundError(f"no list record(s) {sorted(missing)}")
    return records


def decide(
    s: Session, pair: str | int, decision: PairDecision | str, reason: str
) -> dict[str, Any]:
    """Record a reviewer's decision on a pair and re-cluster the latest run at once.

    A new decision supersedes the pair's previous one (kept in its history), so merges and
    splits are reversible. Accepted pairs always merge; rejected pairs never merge, not even
    through a chain of other records (see :mod:`sijill.linkage.cluster`).

    Args:
        s: The session.
        pair: A pair number from the review queue, or two record ids as ``A:B``.
        decision: accept, reject or unsure.
        reason: Why (required: reviewers answer for their decisions).

    Returns:
        The decision, the pair, and whether the two records are now one person.
    """
    from sijill.linkage.run import recluster

    s.require(Permission.WORK_LISTS, target="linkage")
    try:
        choice = PairDecision(str(decision))
    except ValueError:
        raise InputError(
            f"unknown decision {decision!r}", hint="use accept, reject or unsure"
        ) from None
    if not reason.strip():
        raise InputError("a decision needs a reason", hint='give --reason "why"')
    a, b = _resolve_pair(s, pair)
    saved = store.add_decision(s.conn, a, b, choice, reason.strip(), s.actor.username)
    outcome: dict[str, Any] = {
        "decision_id": saved.id,
        "records": [a, b],
        "decision": choice.value,
        "history": len(store.decision_history(s.conn, a, b)),
    }
    s.audit("linkage.decide", f"pair:{a}:{b}", decision=choice.value, decision_id=saved.id)
    try:
        linkage_run = store.get_run(s.conn)
    except NotFoundError:
        return {**outcome, "same_person": None, "run_id": None}
    clusters = store.load_clusters(s.conn, linkage_run.id)
    before = dict(zip(clusters["unique_id"], clusters["person_key"], strict=True))
    settings = LinkageSettings.from_dict(linkage_run.settings)
    clustering = recluster(
        clusters["unique_id"],
        store.load_pairs(s.conn, linkage_run.id),
        settings,
        store.current_decisions(s.conn),
    )
    store.save_clusters(s.conn, linkage_run.id, clustering.clusters)
    after = dict(
        zip(clustering.clusters["unique_id"], clustering.clusters["person_key"], strict=True)
    )
    was_same = before.get(a) is not None and before.get(a) == before.get(b)
    now_same = after.get(a) is not None and after.get(a) == after.get(b)
    if was_same != now_same:
        s.audit(
            "linkage.merge" if now_same else "linkage.split",
            f"pair:{a}:{b}",
            run=linkage_run.id,
            people_before=len(set(before.values())),
            people_after=len(set(after.values())),
        )
    return {**outcome, "same_person": now_same, "run_id": linkage_run.id}


def people(s: Session, run: int | None = None) -> list[Person]:
    """The unique people of a run (latest by default), each with their list records."""
    s.require(Permission.READ_LISTS, target="linkage")
    linkage_run = store.get_run(s.conn, run)
    clusters = store.load_clusters(s.conn, linkage_run.id)
    out: list[Person] = []
    for key, group in clusters.groupby("person_key", sort=True):
        out.append(
            Person(
                person_id(int(key)),
                [
                    {"list": r.list_name, "record_id": r.record_id, "id": int(r.unique_id)}
                    for r in group.itertuples(index=False)
                ],
            )
        )
    return out


def export_people(s: Session, path: Path | str, run: int | None = None) -> int:
    """Write one CSV row per list record: ``list``, ``record_id``, ``person_id`` (UTF-8).

    Returns:
        The number of rows written.
    """
    s.require(Permission.WORK_LISTS, target="linkage")
    linkage_run = store.get_run(s.conn, run)
    clusters = store.load_clusters(s.conn, linkage_run.id)
    out = Path(path)
    if out.is_dir():
        raise InputError(f"{out} is a directory", hint="give a file name such as people.csv")
    out.parent.mkdir(parents=True, exist_ok=True)
    ordered = clusters.sort_values(["list_name", "record_id"])
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["list", "record_id", "person_id"])
        for r in ordered.itertuples(index=False):
            writer.writerow([r.list_name, r.record_id, person_id(int(r.person_key))])
    s.audit("linkage.export", f"linkage-run:{linkage_run.id}", rows=len(ordered))
    return len(ordered)


def _person_strata(records: pd.DataFrame, strata: list[str]) -> pd.DataFrame:
    """Per person the most common governorate, the death year and the most common sex."""
    out = pd.DataFrame(index=pd.Index(sorted(records["person_key"].unique()), name="person_key"))
    if "governorate" in strata:
        gov = records["governorate_pcode"].fillna("").astype(str)
        out["governorate"] = (
            records.assign(g=gov.where(gov != "", None))
            .groupby("person_key")["g"]
            .agg(lambda v: v.mode().iloc[0] if v.notna().any() else "unknown")
        )
    if "year" in strata:
        latest = pd.to_datetime(records["death_latest"], errors="coerce")
        earliest = pd.to_datetime(records["death_earliest"], errors="coerce")
        year = earliest.dt.year.where(earliest.dt.year == latest.dt.year)
        out["year"] = (
            records.assign(y=year)
            .groupby("person_key")["y"]
            .agg(lambda v: str(int(v.median())) if v.notna().any() else "unknown")
        )
    if "sex" in strata:
        sex = records["sex"].where(records["sex"].isin(["male", "female"]), None)
        out["sex"] = (
            records.assign(x=sex)
            .groupby("person_key")["x"]
            .agg(lambda v: v.mode().iloc[0] if v.notna().any() else "unknown")
        )
    return out


def capture_history(
    s: Session, run: int | None = None, strata: list[str] | None = None
) -> pd.DataFrame:
    """The capture-history table of a run: which lists hold each person.

    Args:
        s: The session.
        run: The run (latest by default).
        strata: Any of ``governorate`` (the person's most common pcode), ``year`` (death
            year) and ``sex``; unknown values form their own stratum ``unknown``.

    Returns:
        One row per observed pattern (and stratum): one 0/1 column per list (sorted by name),
        the strata columns, and ``count``, as :meth:`CaptureHistory.from_dataframe` reads.
    """
    s.require(Permission.READ_LISTS, target="linkage")
    chosen = list(strata or [])
    unknown = [x for x in chosen if x not in STRATA]
    if unknown:
        raise InputError(f"unknown stratum {unknown}", hint=f"use {', '.join(STRATA)}")
    linkage_run = store.get_run(s.conn, run)
    clusters = store.load_clusters(s.conn, linkage_run.id)
    lists = sorted(store.list_inputs(s.conn))
    presence = (
        pd.crosstab(clusters["person_key"], clusters["list_name"]).reindex(columns=lists).fillna(0)
        > 0
    ).astype(int)
    if chosen:
        records = store.load_records(s.conn, clusters["unique_id"].astype(int)).merge(
            clusters[["unique_id", "person_key"]], on="unique_id"
        )
        presence = presence.join(_person_strata(records, chosen))
    table = presence.groupby([*lists, *chosen]).size().rename("count").reset_index()
    order = [True] * len(chosen) + [False] * len(lists)
    return table.sort_values([*chosen, *lists], ascending=order).reset_index(drop=True)


def capture_history_table(s: Session, run: int | None = None) -> CaptureHistory:
    """The unstratified capture history as the estimators' :class:`CaptureHistory`."""
    from sijill.estimation.table import CaptureHistory

    frame = capture_history(s, run)
    lists = [c for c in frame.columns if c != "count"]
    return CaptureHistory.from_dataframe(frame, lists=lists)


def quality_report(s: Session, run: int | None = None) -> dict[str, Any]:
    """How trustworthy a run's people are: weights, cluster sizes, pairs near the threshold."""
    from sijill.linkage.quality import linkage_quality

    s.require(Permission.READ_LISTS, target="linkage")
    linkage_run = store.get_run(s.conn, run)
    settings = LinkageSettings.from_dict(linkage_run.settings)
    report = linkage_quality(
        store.load_pairs(s.conn, linkage_run.id),
        store.load_clusters(s.conn, linkage_run.id),
        settings,
        model=linkage_run.metrics.get("model"),
    )
    metrics = linkage_run.metrics
    return {
        "run_id": linkage_run.id,
        "created_at": linkage_run.created_at.isoformat(),
        "created_by": linkage_run.created_by,
        "input_hashes": linkage_run.input_hashes,
        "conflicts": metrics.get("conflicts", []),
        "skipped_training_rules": metrics.get("model", {}).get("sijill_skipped_training_rules", []),
        "training_notes": metrics.get("notes", []),
        "decisions": store.count_decisions(s.conn),
        **report,
    }


def evaluate(s: Session, truth_file: Path | str, run: int | None = None) -> dict[str, Any]:
    """Pairwise and B-cubed precision, recall and F1 of a run against a truth CSV.

    Args:
        s: The session.
        truth_file: CSV with ``list``, ``record_id``, ``person_id``.
        run: The run (latest by default).
    """
    from sijill.linkage.evaluate import evaluate_clusters, read_truth

    s.require(Permission.READ_LISTS, target="linkage")
    truth = read_truth(truth_file)
    linkage_run = store.get_run(s.conn, run)
    clusters = store.load_clusters(s.conn, linkage_run.id)
    predicted = pd.Series(
        clusters["person_key"].to_numpy(),
        index=pd.MultiIndex.from_arrays(
            [clusters["list_name"].astype(str), clusters["record_id"].astype(str)]
        ),
    )
    accuracy = evaluate_clusters(predicted, truth)
    return {"run_id": linkage_run.id, **accuracy.to_dict()}
