"""Run a simulation in memory: population, captures, every list's records, truth and capture table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sijill.simulate.capture import Captures, capture_history, draw_captures
from sijill.simulate.config import SimulationConfig
from sijill.simulate.formatting import ListTable, format_list
from sijill.simulate.names import family_table, name_table
from sijill.simulate.population import simulate_population
from sijill.simulate.records import RecordValues, record_values

# Independent random streams, so changing one list's settings leaves the others' draws alone.
_STREAM_POPULATION, _STREAM_CAPTURE, _STREAM_RECORDS, _STREAM_FORMAT = 0, 1, 100, 200


@dataclass(frozen=True)
class SimulationResult:
    """A simulated population, its documentation lists and the truth about them.

    Attributes:
        config: the configuration simulated.
        persons: the true population, one row per person: person_id, family_id, sex,
            canonical names (Latin and `_ar` Arabic), birth_year, date_of_death, governorate,
            place_of_death, latent_class, and one 0/1 column per list (captured or not).
        lists: list name → the list's table exactly as written to its file.
        columns: list name → Sijill field → column name in the file ("id" for the id column).
        truth: one row per list record: list, record_id, person_id, duplicate, copied.
        capture_history: the true capture-history table over unique persons.
        captures: the person × list capture matrices and capture probabilities.
    """

    config: SimulationConfig
    persons: pd.DataFrame
    lists: dict[str, pd.DataFrame]
    columns: dict[str, dict[str, str]]
    truth: pd.DataFrame
    capture_history: pd.DataFrame
    captures: Captures

    @property
    def true_n(self) -> int:
        """The true number of victims."""
        return len(self.persons)

    @property
    def observed_n(self) -> int:
        """The number of distinct victims on at least one list."""
        return int(self.captures.captured.any(axis=1).sum())


def _rng(seed: int, stream: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(stream,)))


def _persons_frame(
    persons: pd.DataFrame, captures: Captures, names: list[str], family_names: str
) -> pd.DataFrame:
    male, female, family = (
        name_table("given_male"),
        name_table("given_female"),
        family_table(family_names),
    )
    is_male = (persons["sex"] == "M").to_numpy()
    gi = persons["given_idx"].to_numpy()
    out = persons[["person_id", "family_id", "sex"]].copy()
    for script, attr in (("", "latin"), ("_ar", "arabic")):
        m, f, fam = (np.array(getattr(t, attr), dtype=object) for t in (male, female, family))
        out["given_name" + script] = np.where(
            is_male, m[np.where(is_male, gi, 0)], f[np.where(is_male, 0, gi)]
        )
        out["father_name" + script] = m[persons["father_idx"].to_numpy()]
        out["grandfather_name" + script] = m[persons["grandfather_idx"].to_numpy()]
        out["family_name" + script] = fam[persons["family_idx"].to_numpy()]
        mother = pd.Series(f[persons["mother_idx"].to_numpy()], dtype=object)
        out["mother_name" + script] = (
            mother + " " + fam[persons["mother_family_idx"].to_numpy()]
        ).to_numpy()
    out["birth_year"] = persons["birth_year"].to_numpy()
    out["date_of_death"] = (
        pd.Series(persons["death_date"].to_numpy().astype("datetime64[D]")).astype(str).to_numpy()
    )
    out["governorate"] = persons["governorate"].to_numpy()
    out["place_of_death"] = persons["place_of_death"].to_numpy()
    out["latent_class"] = captures.latent_class
    for j, name in enumerate(names):
        out[name] = captures.captured[:, j].astype(int)
    return out.reset_index(drop=True)


def simulate(
    config: SimulationConfig, progress: Callable[[str], None] | None = None
) -> SimulationResult:
    """Simulate a victim population and the lists documenting it, with the truth kept.

    Args:
        config: the settings (see `SimulationConfig` and the presets in `sijill.simulate`).
        progress: called with a short message before each step (for progress bars).

    Returns:
        The in-memory result; `write_simulation` writes it to files.
    """
    report = progress or (lambda _msg: None)
    seed = config.seed
    report("population")
    persons = simulate_population(config.population, _rng(seed, _STREAM_POPULATION))
    report("captures")
    captures = draw_captures(persons, config, _rng(seed, _STREAM_CAPTURE))
    names = config.list_names
    recorded: dict[str, RecordValues] = {}
    tables: dict[str, ListTable] = {}
    for j, lst in enumerate(config.lists):
        report(f"list {lst.name}")
        source = recorded.get(lst.copies_from) if lst.copies_from else None
        recorded[lst.name] = record_values(
            persons,
            captures.captured[:, j],
            captures.copied[:, j],
            lst,
            _rng(seed, _STREAM_RECORDS + j),
            source,
            family_names=config.population.family_names,
        )
        tables[lst.name] = format_list(recorded[lst.name], lst, _rng(seed, _STREAM_FORMAT + j))
    report("truth")
    person_ids = persons["person_id"].to_numpy()
    truth = pd.concat(
        [
            pd.DataFrame(
                {
                    "list": name,
                    "record_id": t.record_ids,
                    "person_id": person_ids[t.values.person],
                    "duplicate": t.values.duplicate,
                    "copied": t.values.copied,
                }
            )
            for name, t in tables.items()
        ],
        ignore_index=True,
    )
    return SimulationResult(
        config=config,
        persons=_persons_frame(persons, captures, names, config.population.family_names),
        lists={name: t.table for name, t in tables.items()},
        columns={name: t.columns for name, t in tables.items()},
        truth=truth,
        capture_history=capture_history(captures.captured, names),
        captures=captures,
    )
