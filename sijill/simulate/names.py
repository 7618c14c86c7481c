"""The project's own tables of common Syrian given and family names, with Zipf-like frequencies."""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from sijill.errors import InputError
from sijill.simulate.family_tail import TAIL_SIZE, generated_family_names

#: Family-name pools a simulation can draw from: the curated table alone, or the curated table
#: followed by a generated long tail (`sijill.simulate.family_tail`) for large populations.
FAMILY_NAME_POOLS = ("curated", "extended")

# Shape of the frequency tail after the pinned head shares: weight ∝ (rank + offset) ** -exponent.
# Offsets keep the head from being a single dominant name (Zipf-Mandelbrot); the pinned shares
# come from published counts (Muhammad ≈ 1 in 8, Ahmad ≈ 1 in 13 male given names).
_TAIL_SHAPE = {
    "given_male": (2.0, 1.0),
    "given_female": (3.0, 1.0),
    "family": (20.0, 1.0),
}


@dataclass(frozen=True)
class NameTable:
    """One table of names: Arabic script, scholarly Latin, canonical Latin and frequency.

    Attributes:
        kind: "given_male", "given_female" or "family".
        arabic: Arabic-script spellings (unvocalised, with hamza and ta marbuta written).
        scholarly: vocalised Latin with diacritics (ʿAbd al-Raḥmān); the source every Latin
            spelling scheme is derived from.
        latin: canonical plain Latin (Abd al-Rahman), the academic scheme's output.
        probability: frequency of each name (sums to 1).
    """

    kind: str
    arabic: tuple[str, ...]
    scholarly: tuple[str, ...]
    latin: tuple[str, ...]
    probability: np.ndarray

    def __len__(self) -> int:
        return len(self.arabic)


def canonical_latin(scholarly: str) -> str:
    """The canonical plain-Latin form of a scholarly spelling (diacritics and initial ʿ/ʾ dropped).

    Inside a word ʿ and ʾ become an apostrophe (Sa'id), so the canonical form keeps the
    consonant that distinguishes otherwise equal names.
    """
    words = []
    for word in scholarly.split(" "):
        parts = []
        for part in word.split("-"):
            body = part.lstrip("ʿʾ")
            body = body.replace("ʿ", "'").replace("ʾ", "'").rstrip("'")
            parts.append(body)
        words.append("-".join(parts))
    text = " ".join(words)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _frequencies(shares: list[float | None], offset: float, exponent: float) -> np.ndarray:
    pinned = np.array([s if s is not None else 0.0 for s in shares])
    free = np.array([s is None for s in shares])
    ranks = np.arange(1, len(shares) + 1, dtype=float)
    tail = np.where(free, (ranks + offset) ** -exponent, 0.0)
    probability = pinned + tail / tail.sum() * (1.0 - pinned.sum())
    normalised: np.ndarray = probability / probability.sum()
    return normalised


def _rows(kind: str) -> list[dict[str, str]]:
    text = resources.files("sijill.simulate").joinpath(f"data/{kind}.csv").read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _pinned_shares(rows: list[dict[str, str]]) -> list[float | None]:
    return [float(r["share"]) if r["share"] else None for r in rows]


@cache
def name_table(kind: str) -> NameTable:
    """The bundled name table of this kind ("given_male", "given_female" or "family")."""
    rows = _rows(kind)
    shares = _pinned_shares(rows)
    offset, exponent = _TAIL_SHAPE[kind]
    scholarly = tuple(r["scholarly"] for r in rows)
    return NameTable(
        kind=kind,
        arabic=tuple(r["arabic"] for r in rows),
        scholarly=scholarly,
        latin=tuple(canonical_latin(s) for s in scholarly),
        probability=_frequencies(shares, offset, exponent),
    )


@cache
def family_table(pool: str = "curated") -> NameTable:
    """The family names a population draws from.

    Args:
        pool: "curated" (the bundled table of 432 names, what the `easy`, `realistic` and
            `hard` presets use) or "extended": the curated names first, then `TAIL_SIZE`
            generated names, with the curated table's Zipf-like tail (`_TAIL_SHAPE`) continued
            over them, so the number of distinct family names keeps growing with the number of
            people drawn. The curated names keep their order and together about 40% of the
            draws (instead of all of them).
    """
    curated = name_table("family")
    if pool == "curated":
        return curated
    if pool != "extended":
        raise InputError(
            f"unknown family-name pool {pool!r}",
            hint=f"choose one of {', '.join(FAMILY_NAME_POOLS)}",
        )
    head = tuple(zip(curated.arabic, curated.scholarly, strict=True))
    tail = generated_family_names(head, TAIL_SIZE)
    shares = _pinned_shares(_rows("family")) + [None] * len(tail)
    offset, exponent = _TAIL_SHAPE["family"]
    return NameTable(
        kind="family",
        arabic=curated.arabic + tuple(n.arabic for n in tail),
        scholarly=curated.scholarly + tuple(n.scholarly for n in tail),
        latin=curated.latin + tuple(canonical_latin(n.scholarly) for n in tail),
        probability=_frequencies(shares, offset, exponent),
    )


@cache
def spelling_exceptions() -> dict[str, dict[str, tuple[str, ...]]]:
    """Conventional spellings rules cannot derive: scholarly name → scheme → variants (commonest first)."""
    text = resources.files("sijill.simulate").joinpath("data/spelling_exceptions.csv")
    rows = list(csv.DictReader(io.StringIO(text.read_text("utf-8"))))
    table: dict[str, dict[str, tuple[str, ...]]] = {}
    for row in rows:
        key = row.pop("scholarly")
        table[key] = {scheme: tuple(v.split("|")) for scheme, v in row.items()}
    return table
