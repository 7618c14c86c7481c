"""Read simulated lists (``sijill.simulate``) into linkage records, for tests, benchmarks and demos.

The simulator knows each list's column map, so no import step is needed: this maps the columns
the way the importer would (full names split, dates to intervals, ages to birth years, places
resolved against the gazetteer) without touching a workspace.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from sijill.domain.dates import UncertainDate, parse_uncertain_date
from sijill.errors import InputError
from sijill.geo import gazetteer
from sijill.names import to_ascii_digits

if TYPE_CHECKING:
    from sijill.simulate import SimulationResult

__all__ = ["records_from_simulation"]

_SEX = {
    "m": "male",
    "male": "male",
    "ذكر": "male",
    "f": "female",
    "female": "female",
    "أنثى": "female",
}


def _interval(text: str) -> UncertainDate:
    try:
        return parse_uncertain_date(text)
    except InputError:
        return UncertainDate.unknown()


def _governorate(text: str) -> str | None:
    place = gazetteer().find(text) if text else None
    return place.governorate_pcode if place else None


def _list_records(name: str, table: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    def col(field: str) -> pd.Series:
        if field not in columns:
            return pd.Series("", index=table.index, dtype=object)
        return table[columns[field]].fillna("").astype(str).str.strip()

    out = pd.DataFrame({"list_name": name, "record_id": col("id")})
    for part in ("given", "father", "grandfather", "family", "mother", "full_name"):
        out[part] = col(part)
    out["sex"] = col("sex").str.lower().map(_SEX).fillna("unknown")
    deaths = col("date_of_death")
    parsed = {v: _interval(v) for v in pd.unique(deaths.to_numpy())}
    out["death_earliest"] = deaths.map(lambda v: parsed[v].earliest)
    out["death_latest"] = deaths.map(lambda v: parsed[v].latest)
    birth_year = pd.to_numeric(col("birth_year").map(to_ascii_digits), errors="coerce")
    age = pd.to_numeric(col("age").map(to_ascii_digits), errors="coerce")
    death_year = out["death_latest"].map(lambda d: d.year if d else None).astype("float64")
    lo = birth_year.fillna(death_year - age - 1)
    hi = birth_year.fillna(death_year - age)
    out["birth_earliest"] = lo.map(lambda y: date(int(y), 1, 1) if pd.notna(y) else None)
    out["birth_latest"] = hi.map(lambda y: date(int(y), 12, 31) if pd.notna(y) else None)
    governorates = col("governorate")
    gov = {v: _governorate(v) for v in pd.unique(governorates.to_numpy())}
    out["governorate_pcode"] = governorates.map(gov)
    out["place_text"] = col("place_of_death")
    return out


def records_from_simulation(result: SimulationResult) -> pd.DataFrame:
    """All records of a simulation's lists in the linkage record layout.

    Args:
        result: A :func:`sijill.simulate.simulate` result.

    Returns:
        One row per list record: ``list_name``, ``record_id``, the name parts (or
        ``full_name``), ``sex``, birth and death intervals, ``governorate_pcode`` and
        ``place_text``; ``unique_id`` numbers the records from 1.
    """
    frames = [
        _list_records(name, table, result.columns[name]) for name, table in result.lists.items()
    ]
    records = pd.concat(frames, ignore_index=True)
    records.insert(0, "unique_id", range(1, len(records) + 1))
    return records
