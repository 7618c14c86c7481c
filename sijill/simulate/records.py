"""What one list recorded about each captured person: spellings, typos, dates, ages, duplicates."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sijill.simulate.config import PRECISIONS, ListConfig
from sijill.simulate.names import NameTable, family_table, name_table
from sijill.simulate.transliterate import draw_style, spell_table

_NAME_SLOTS = ("given", "father", "grandfather", "family", "mother")
_LATIN_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


@dataclass
class RecordValues:
    """Structured values of one list's records, before the list's file conventions apply.

    Attributes:
        person: index of each record's person (row in the persons table).
        duplicate: the record is a second entry of a person already on the list.
        copied: the record was copied from another list.
        text: name slot → recorded spelling (given, father, grandfather, family, mother).
        sex, governorate, place: recorded codes ("M"/"F", p-code, facility or p-code).
        birth_year, age: as recorded (age at death).
        year, month, day: recorded date of death; precision 0 = day, 1 = month, 2 = year.
    """

    person: np.ndarray
    duplicate: np.ndarray
    copied: np.ndarray
    text: dict[str, np.ndarray]
    sex: np.ndarray
    governorate: np.ndarray
    place: np.ndarray
    birth_year: np.ndarray
    age: np.ndarray
    year: np.ndarray
    month: np.ndarray
    day: np.ndarray
    precision: np.ndarray

    def take(self, rows: np.ndarray) -> RecordValues:
        """The values of the given rows, in that order."""
        return RecordValues(
            person=self.person[rows],
            duplicate=self.duplicate[rows],
            copied=self.copied[rows],
            text={k: v[rows] for k, v in self.text.items()},
            **{
                f: getattr(self, f)[rows]
                for f in (
                    "sex",
                    "governorate",
                    "place",
                    "birth_year",
                    "age",
                    "year",
                    "month",
                    "day",
                    "precision",
                )
            },
        )


def _spellings(
    table: NameTable, lst: ListConfig, rng: np.random.Generator, used: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The list's usual and alternate spelling of each name (only of `used` ones, if given)."""
    allow_ya = lst.encoding != "cp1256"
    scholarly, arabic = table.scholarly, table.arabic
    if used is not None:
        scholarly = tuple(scholarly[i] for i in used)
        arabic = tuple(arabic[i] for i in used)
    spelled = []
    for _ in range(2):
        style = draw_style(lst.scheme, rng, allow_persian_ya=allow_ya)
        names = spell_table(scholarly, arabic, style, rng)
        if used is not None:
            full = np.empty(len(table), dtype=object)
            full[used] = names
            names = full
        spelled.append(names)
    return spelled[0], spelled[1]


def _pick(
    primary: np.ndarray, alternate: np.ndarray, idx: np.ndarray, alt: np.ndarray
) -> np.ndarray:
    picked: np.ndarray = np.where(alt, alternate[idx], primary[idx])
    return picked


def add_typos(texts: np.ndarray, rate: float | np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Apply one character edit (substitute, insert, delete, swap) to a share `rate` of texts."""
    mask = rng.random(len(texts)) < rate
    out = texts.copy()
    where = np.flatnonzero(mask)
    ops = rng.integers(0, 4, len(where))
    pos_u = rng.random(len(where))
    char_u = rng.random(len(where))
    for k, i in enumerate(where):
        s = str(out[i])
        if len(s) < 3:
            continue
        alphabet = _ARABIC_LETTERS if any("\u0600" <= c <= "\u06ff" for c in s) else _LATIN_LETTERS
        pos = 1 + int(pos_u[k] * (len(s) - 2))
        ch = alphabet[int(char_u[k] * len(alphabet))]
        if s[pos] == " " or s[pos - 1] == " ":
            continue
        op = ops[k]
        if op == 3 and pos < 2:
            op = 0  # keep the initial letter (and its capital) in place
        if op == 0:
            s = s[:pos] + ch + s[pos + 1 :]
        elif op == 1:
            s = s[:pos] + ch + s[pos:]
        elif op == 2:
            s = s[:pos] + s[pos + 1 :]
        else:
            s = s[: pos - 1] + s[pos] + s[pos - 1] + s[pos + 1 :]
        out[i] = s
    return out


def _recorded_dates(
    death: np.ndarray, error_rate: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month, day as recorded: some shifted by days or months, some with day and month swapped."""
    n = len(death)
    day_dates = death.astype("datetime64[D]")
    error = rng.random(n) < error_rate
    kind = rng.integers(0, 3, n)
    day_shift = rng.integers(1, 11, n) * rng.choice([-1, 1], n)
    month_shift = rng.integers(1, 4, n) * rng.choice([-1, 1], n)
    months = day_dates.astype("datetime64[M]")
    day = (day_dates - months.astype("datetime64[D]")).astype(int) + 1
    month = months.astype(int) % 12 + 1
    year = months.astype("datetime64[Y]").astype(int) + 1970
    swappable = (day <= 12) & (day != month)
    swap = error & (kind == 2) & swappable
    by_days = error & ((kind == 0) | ((kind == 2) & ~swappable))
    by_months = error & (kind == 1)
    shifted = np.where(by_days, day_dates + day_shift, day_dates)
    s_months = shifted.astype("datetime64[M]")
    new_month_start = np.where(by_months, s_months + month_shift, s_months)
    s_day = (shifted - s_months.astype("datetime64[D]")).astype(int) + 1
    month_len = (
        (new_month_start + 1).astype("datetime64[D]") - new_month_start.astype("datetime64[D]")
    ).astype(int)
    s_day = np.minimum(s_day, month_len)
    out_year = new_month_start.astype("datetime64[Y]").astype(int) + 1970
    out_month = new_month_start.astype(int) % 12 + 1
    out_day = s_day
    out_day = np.where(swap, month, out_day)
    out_month = np.where(swap, day, out_month)
    out_year = np.where(swap, year, out_year)
    return out_year, out_month, out_day


def record_values(
    persons: pd.DataFrame,
    on_list: np.ndarray,
    copied: np.ndarray,
    lst: ListConfig,
    rng: np.random.Generator,
    source: RecordValues | None,
    *,
    family_names: str = "curated",
) -> RecordValues:
    """Render what a list recorded about the people on it.

    Args:
        persons: the population (see `simulate_population`).
        on_list: boolean mask of persons on the list.
        copied: boolean mask of persons whose record is copied from `source`.
        lst: the list's settings.
        rng: the list's random generator.
        source: the values of the list copied from (None when the list copies nothing).
        family_names: the population's family-name pool (`PopulationConfig.family_names`).

    Returns:
        One record per person on the list, plus duplicates (second entries with variations),
        in person order with duplicates last.
    """
    base = np.flatnonzero(on_list)
    dups = base[rng.random(len(base)) < lst.duplicate_rate]
    person = np.concatenate([base, dups])
    duplicate = np.r_[np.zeros(len(base), bool), np.ones(len(dups), bool)]
    is_copy = copied[person] & ~duplicate
    n = len(person)
    p = persons.iloc[person]
    male_mask = (p["sex"] == "M").to_numpy()

    tables = {k: name_table(k) for k in ("given_male", "given_female")}
    spelled = {k: _spellings(t, lst, rng) for k, t in tables.items()}
    family = family_table(family_names)
    # The extended pool is too long to spell whole for every list: spell the names this list
    # needs. The curated table is spelled whole, as before, so curated runs stay identical.
    used = None
    if family_names != "curated":
        used = np.unique(np.r_[p["family_idx"].to_numpy(), p["mother_family_idx"].to_numpy()])
    spelled["family"] = _spellings(family, lst, rng, used)
    variation = np.where(duplicate, max(0.5, lst.spelling_variation), lst.spelling_variation)
    typo_rate = np.where(duplicate, min(1.0, 2 * lst.typo_rate + 0.1), lst.typo_rate)
    text: dict[str, np.ndarray] = {}
    for slot in _NAME_SLOTS:
        alt = rng.random(n) < variation
        if slot == "given":
            gi = p["given_idx"].to_numpy()
            m_spelling = _pick(*spelled["given_male"], np.where(male_mask, gi, 0), alt)
            f_spelling = _pick(*spelled["given_female"], np.where(male_mask, 0, gi), alt)
            values = np.where(male_mask, m_spelling, f_spelling)
        elif slot in ("father", "grandfather"):
            values = _pick(*spelled["given_male"], p[f"{slot}_idx"].to_numpy(), alt)
        elif slot == "family":
            values = _pick(*spelled["family"], p["family_idx"].to_numpy(), alt)
        else:
            mother = _pick(*spelled["given_female"], p["mother_idx"].to_numpy(), alt)
            mother_family = _pick(*spelled["family"], p["mother_family_idx"].to_numpy(), alt)
            values = np.char.add(np.char.add(mother.astype(str), " "), mother_family.astype(str))
            values = values.astype(object)
        text[slot] = add_typos(values.astype(object), typo_rate, rng)

    death = p["death_date"].to_numpy().astype("datetime64[D]")
    error_rate = np.where(duplicate, min(1.0, lst.date_error_rate + 0.2), lst.date_error_rate)
    year, month, day = _recorded_dates(death, error_rate, rng)
    shares = np.array([lst.date_precision.get(k, 0.0) for k in PRECISIONS])
    precision = np.searchsorted(np.cumsum(shares), rng.random(n) * shares.sum(), side="right")
    precision = np.minimum(precision, 2)
    birth_year = p["birth_year"].to_numpy()
    true_year = death.astype("datetime64[Y]").astype(int) + 1970
    age = true_year - birth_year - (rng.random(n) < 0.4)
    age = age + np.where(rng.random(n) < lst.age_error_rate, rng.choice([-1, 1], n), 0)

    values_out = RecordValues(
        person=person,
        duplicate=duplicate,
        copied=is_copy,
        text=text,
        sex=p["sex"].to_numpy(dtype=object, copy=True),
        governorate=p["governorate"].to_numpy(dtype=object, copy=True),
        place=p["place_of_death"].to_numpy(dtype=object, copy=True),
        birth_year=birth_year.copy(),
        age=age,
        year=year,
        month=month,
        day=day,
        precision=precision,
    )
    if source is not None and is_copy.any():
        _copy_from(values_out, source, is_copy)
    return values_out


def _copy_from(target: RecordValues, source: RecordValues, is_copy: np.ndarray) -> None:
    """Overwrite copied records with the source list's first record of the same person."""
    first = ~source.duplicate
    lookup = pd.Series(np.flatnonzero(first), index=source.person[first])
    rows = np.flatnonzero(is_copy)
    src = lookup.loc[target.person[rows]].to_numpy()
    for slot, arr in target.text.items():
        arr[rows] = source.text[slot][src]
    for name in (
        "sex",
        "governorate",
        "place",
        "birth_year",
        "age",
        "year",
        "month",
        "day",
        "precision",
    ):
        getattr(target, name)[rows] = getattr(source, name)[src]
