"""Turn list records into the comparison table: cross-script name forms, date intervals, places.

Names repeat a great deal in victim lists (about one man in eight is a Muhammad), so every
derived form is computed once per distinct value and mapped back: a million records prepare in
seconds.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from sijill.domain.lists import RECORD_FIELDS
from sijill.errors import InputError
from sijill.geo import gazetteer
from sijill.names import match_forms, name_key, parse_name, soundex_key

__all__ = ["PREPARED_COLUMNS", "RECORD_COLUMNS", "prepare_records"]

#: Columns a record frame may carry (missing ones are treated as empty).
RECORD_COLUMNS = RECORD_FIELDS

_PARTS = ("given", "father", "grandfather", "family", "mother")
_EPOCH = np.datetime64("1970-01-01", "D")
#: A birth interval wider than this (years) says too little to block on.
_BIRTH_BLOCK_WIDTH = 3
#: A death interval wider than this (days) gives no usable death year.
_DEATH_YEAR_WIDTH = 366

#: The columns of the prepared table, in order.
PREPARED_COLUMNS = (
    "unique_id",
    "source_dataset",
    "record_id",
    *(f"{p}_{form}" for p in _PARTS for form in ("rom", "skel")),
    "given_sdx",
    "family_sdx",
    "full_skel",
    "sex",
    "birth_lo",
    "birth_hi",
    "birth_year",
    "birth_day",
    "death_lo",
    "death_hi",
    "death_mid",
    "death_width",
    "death_day",
    "death_year",
    "governorate",
    "place_key",
)


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    """The column as stripped text, missing values as ``""``.

    Text columns (only strings and missing values) are stripped once per distinct value;
    others (numbers, where ``1`` and ``1.0`` would share a value) are converted value by value.
    """
    if column not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    values = frame[column]
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        stripped = np.array([*(str(v).strip() for v in uniques), ""], dtype=object)
        return pd.Series(stripped[codes], index=frame.index, dtype=object)
    return values.astype(object).where(values.notna(), "").astype(str).str.strip()


def _map_unique(values: pd.Series, func: Callable[[str], str]) -> pd.Series:
    """Apply `func` once per distinct value; empty results become missing (NULL in SQL)."""
    uniques = pd.unique(values.to_numpy())
    table = {v: (func(v) if v else "") for v in uniques}
    mapped = values.map(table)
    return mapped.where(mapped != "", None).astype(object)


def _romanised_key(name: str) -> str:
    return name_key(name)


def _skeleton(name: str) -> str:
    return match_forms(name).skeleton


def _place_key(text: str) -> str:
    """A gazetteer pcode when the place is known (both scripts agree), else its skeleton."""
    place = gazetteer().find(text)
    return place.pcode if place else _skeleton(text)


def _joined(skeletons: pd.DataFrame) -> pd.Series:
    """The name chain's skeleton from its parts' skeletons (missing parts left out).

    Skeletonising each distinct chain would cost a name parse per person (there are nearly as
    many chains as records); joining the parts' skeletons gives the same key except where a
    compound (عبد ...) was split across two parts, about 1 record in 2,000 on simulated lists.
    """
    joined = pd.Series("", index=skeletons.index, dtype=object)
    for column in skeletons.columns:
        part = skeletons[column]
        has = part.notna().to_numpy()
        glue = np.where(has & (joined != "").to_numpy(), " ", "")
        joined = joined + glue + part.fillna("")
    return joined.where(joined != "", None).astype(object)


def _split_full_names(frame: pd.DataFrame, parts: dict[str, pd.Series]) -> None:
    """Fill empty given/father/grandfather/family from the full name where lists give only that."""
    full = _text(frame, "full_name")
    needs = (full != "") & (parts["given"] == "") & (parts["family"] == "")
    if not needs.any():
        return
    uniques = pd.unique(full[needs].to_numpy())
    parsed = {v: parse_name(v) for v in uniques}
    for part in ("given", "father", "grandfather", "family"):
        filled = full[needs].map(lambda v, p=part: getattr(parsed[v], p) or "")
        parts[part] = parts[part].where(~needs, filled)


def _days(frame: pd.DataFrame, column: str) -> pd.Series:
    """Days since 1970-01-01 as nullable integers (dates, ISO date strings or missing).

    NumPy day resolution covers any year (historical records predate pandas' nanosecond
    range); values it cannot read fall back to pandas' parser, and failures become missing.
    """
    if column not in frame.columns:
        return pd.Series(pd.NA, index=frame.index, dtype="Int64")
    raw = frame[column].astype(object)
    # Lists repeat a few thousand dates over many records: convert each distinct value once.
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    cleaned = np.array(list(uniques), dtype=object)
    try:
        distinct = np.array(cleaned, dtype="datetime64[D]")
    except (ValueError, TypeError):
        distinct = pd.to_datetime(pd.Series(cleaned), errors="coerce").to_numpy(
            dtype="datetime64[D]"
        )
    distinct = np.append(distinct, np.datetime64("NaT", "D"))
    stamps = distinct[np.where(codes < 0, len(distinct) - 1, codes)]
    known = ~np.isnat(stamps)
    days = np.where(known, (stamps - _EPOCH).astype("int64"), 0)
    return pd.Series(days, index=frame.index, dtype="Int64").where(known, pd.NA)


def _year_of_day(days: pd.Series) -> pd.Series:
    values = days.to_numpy(dtype="float64", na_value=np.nan)
    out = pd.Series(pd.NA, index=days.index, dtype="Int64")
    known = ~np.isnan(values)
    if known.any():
        stamps = (values[known].astype("int64") + _EPOCH.astype("int64")).astype("datetime64[D]")
        out[known] = stamps.astype("datetime64[Y]").astype("int64") + 1970
    return out


def prepare_records(records: pd.DataFrame, extra_columns: tuple[str, ...] = ()) -> pd.DataFrame:
    """Derive the comparison columns Splink links on from list records.

    Args:
        records: One row per list record with ``list_name``, ``record_id`` and any of
            :data:`RECORD_COLUMNS` (names in either script; dates as ``date``, ISO strings or
            missing). An integer ``unique_id`` (the stored record id) is kept when present,
            otherwise records are numbered from 1.
        extra_columns: Further identifiers to compare as they are (an ID-card number, an
            address), kept as ``x_<name>`` in lower case.

    Returns:
        A frame with :data:`PREPARED_COLUMNS`: per name part the article-free romanised key
        (``*_rom``) and the cross-script consonant skeleton (``*_skel``), Soundex-like codes
        of given and family names, the full-name skeleton, birth-year and death-day intervals
        (``*_lo``/``*_hi``, death midpoint and width in days), a death year and birth year
        when the interval is narrow enough to block on, the birth day when exact, the
        governorate pcode and a place key (gazetteer pcode, else skeleton).
        Missing values are nulls, so they neither agree nor disagree.

    Raises:
        InputError: A required column is missing or record ids repeat within a list.
    """
    missing = [c for c in ("list_name", "record_id") if c not in records.columns]
    if missing:
        raise InputError(
            f"records lack column(s) {missing}",
            hint="give each record its list name and the id it has in that list",
        )
    frame = records.reset_index(drop=True)
    if frame.duplicated(["list_name", "record_id"]).any():
        dup = frame[frame.duplicated(["list_name", "record_id"])].iloc[0]
        raise InputError(
            f"record id {dup['record_id']!r} appears twice in list {dup['list_name']!r}",
            hint="each record needs an id unique within its list",
        )
    out = pd.DataFrame(index=frame.index)
    if "unique_id" in frame.columns:
        out["unique_id"] = frame["unique_id"].astype("int64")
    else:
        out["unique_id"] = np.arange(1, len(frame) + 1, dtype="int64")
    out["source_dataset"] = frame["list_name"].astype(str)
    out["record_id"] = frame["record_id"].astype(str)

    parts = {p: _text(frame, p) for p in _PARTS}
    _split_full_names(frame, parts)
    for part in _PARTS:
        out[f"{part}_rom"] = _map_unique(parts[part], _romanised_key)
        out[f"{part}_skel"] = _map_unique(parts[part], _skeleton)
    out["given_sdx"] = _map_unique(parts["given"], soundex_key)
    out["family_sdx"] = _map_unique(parts["family"], soundex_key)
    out["full_skel"] = _joined(out[["given_skel", "father_skel", "family_skel"]])

    sex = _text(frame, "sex").str.lower()
    out["sex"] = sex.where(sex.isin(["male", "female", "m", "f"]), None).map(
        lambda v: None if v is None else v[0], na_action="ignore"
    )

    birth_lo = _year_of_day(_days(frame, "birth_earliest"))
    birth_hi = _year_of_day(_days(frame, "birth_latest"))
    birth_lo = birth_lo.fillna(birth_hi)
    birth_hi = birth_hi.fillna(birth_lo)
    out["birth_lo"], out["birth_hi"] = birth_lo, birth_hi
    narrow = (birth_hi - birth_lo) <= _BIRTH_BLOCK_WIDTH
    out["birth_year"] = ((birth_lo + birth_hi) // 2).where(narrow.fillna(False), pd.NA)
    birth_first, birth_last = _days(frame, "birth_earliest"), _days(frame, "birth_latest")
    out["birth_day"] = birth_first.where((birth_first == birth_last).fillna(False), pd.NA)

    death_lo, death_hi = _days(frame, "death_earliest"), _days(frame, "death_latest")
    both = death_lo.notna() & death_hi.notna()
    # A one-sided date ("before 2014") is too loose to compare as an interval.
    out["death_lo"] = death_lo.where(both, pd.NA)
    out["death_hi"] = death_hi.where(both, pd.NA)
    out["death_width"] = (out["death_hi"] - out["death_lo"]).astype("Int64")
    out["death_mid"] = ((out["death_lo"] + out["death_hi"]) // 2).astype("Int64")
    year = _year_of_day(out["death_mid"])
    out["death_day"] = out["death_mid"].where((out["death_width"] <= 1).fillna(False), pd.NA)
    out["death_year"] = year.where((out["death_width"] <= _DEATH_YEAR_WIDTH).fillna(False), pd.NA)

    gov = _text(frame, "governorate_pcode")
    out["governorate"] = gov.where(gov != "", None).astype(object)
    out["place_key"] = _map_unique(_text(frame, "place_text"), _place_key)
    extras = []
    for column in extra_columns:
        values = _text(frame, column).str.lower()
        out[f"x_{column}"] = values.where(values != "", None).astype(object)
        extras.append(f"x_{column}")
    return out[[*PREPARED_COLUMNS, *extras]]
