"""Comparison levels added for accuracy: typo tolerance, dates whole months apart, name prefixes."""

from __future__ import annotations

import random
from typing import Any

import duckdb
import pytest

from sijill.errors import InputError
from sijill.linkage import LinkageSettings
from sijill.linkage.model import build_splink_settings
from sijill.linkage.settings import NameComparison


def _levels(settings: LinkageSettings, comparison: str) -> list[dict[str, Any]]:
    built = build_splink_settings(settings, 2).get_settings("duckdb").as_dict()
    (found,) = [c for c in built["comparisons"] if c["output_column_name"] == comparison]
    return [lv for lv in found["comparison_levels"] if not lv.get("is_null_level")]


def _first_level(levels: list[dict[str, Any]], row: dict[str, Any]) -> str:
    """The label of the first level whose SQL holds for one pair (as Splink evaluates them)."""
    for level in levels:
        if level["sql_condition"] == "ELSE":
            return str(level["label_for_charts"])
        columns = ", ".join(
            f"{v!r} AS {k}" if v is not None else f"NULL AS {k}" for k, v in row.items()
        )
        query = f"SELECT ({level['sql_condition']}) FROM (SELECT {columns})"
        if duckdb.sql(query).fetchall() == [(True,)]:
            return str(level["label_for_charts"])
    raise AssertionError("no level matched")


def test_a_one_letter_slip_in_the_skeleton_has_its_own_level() -> None:
    levels = _levels(LinkageSettings(), "given")
    pair = {
        "given_rom_l": "muhamad",
        "given_rom_r": "mahd",
        "given_skel_l": "mhmd",
        "given_skel_r": "mhd",
    }
    assert _first_level(levels, pair) == "skeleton one edit apart"
    other = {**pair, "given_rom_r": "khalid", "given_skel_r": "xld"}
    assert _first_level(levels, other) == "All other comparisons"
    # Muhammad and Ahmad are one edit apart (mhmd / hmd) but different names, often brothers.
    brothers = {**pair, "given_rom_r": "ahmad", "given_skel_r": "hmd"}
    assert _first_level(levels, brothers) != "skeleton one edit apart"


def test_a_family_name_typo_still_counts_as_similar() -> None:
    levels = _levels(LinkageSettings(), "lineage")
    row = {
        "family_rom_l": "jar",
        "family_rom_r": "jazar",
        "family_skel_l": "gr",
        "family_skel_r": "gdr",
        "father_skel_l": "mhmd",
        "father_skel_r": "mhmd",
        "mother_skel_l": None,
        "mother_skel_r": None,
    }
    assert _first_level(levels, row) == "family similar, father agrees"


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        (15000, 15030, "within 30 days"),
        (15000, 15061, "exact days 1 to 3 whole months apart"),
        (15000, 15045, "within 365 days"),
    ],
)
def test_death_days_a_whole_number_of_months_apart(left: int, right: int, expected: str) -> None:
    levels = _levels(LinkageSettings(), "death_date")
    row = {
        "death_lo_l": left,
        "death_hi_l": left,
        "death_mid_l": left,
        "death_width_l": 0,
        "death_lo_r": right,
        "death_hi_r": right,
        "death_mid_r": right,
        "death_width_r": 0,
    }
    assert _first_level(levels, row) == expected


def test_name_prefix_level_is_optional_and_round_trips() -> None:
    names = (NameComparison("given", prefix_letters=3),)
    settings = LinkageSettings(names=names)
    labels = [lv["label_for_charts"] for lv in _levels(settings, "given")]
    assert "first 3 letters agree" in labels
    assert "first 3 letters agree" not in [
        lv["label_for_charts"] for lv in _levels(LinkageSettings(), "given")
    ]
    assert LinkageSettings.from_json(settings.to_json()) == settings
    with pytest.raises(InputError, match="prefix_letters"):
        NameComparison("given", prefix_letters=-1)


def _mutations(rng: random.Random, word: str) -> str:
    letters = "mhdsrkbnlfgzyaeiou" + "محمدسرك"
    i = rng.randrange(len(word) + 1)
    kind = rng.choice(["swap", "swap", "sub", "ins", "del", "two", "same", "shuffle"])
    if kind == "swap" and len(word) >= 2:
        i = min(i, len(word) - 2)
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "sub":
        return word[:i] + rng.choice(letters) + word[i + 1 :]
    if kind == "ins":
        return word[:i] + rng.choice(letters) + word[i:]
    if kind == "del":
        return word[:i] + word[i + 1 :]
    if kind == "two":
        return _mutations(rng, _mutations(rng, word))
    if kind == "shuffle":
        return "".join(rng.sample(word, len(word)))
    return word


def test_the_cheap_edit_levels_hold_exactly_where_the_plain_definitions_hold() -> None:
    # The levels are written as CASE branches for speed; their truth must be the textbook
    # one: Damerau-Levenshtein <= 1 (with the first letter for single parts), and for the
    # lineage's "family similar" Jaro-Winkler >= 0.88 or one edit.
    rng = random.Random(5)
    words = ["mhmd", "hmd", "xld", "abdalrhmn", "km", "s", "محمد", "عبدالله", "ab", "ba", ""]
    rows = []
    for _ in range(3000):
        a = rng.choice(words) if rng.random() < 0.3 else "".join(rng.sample("mhdsrkbnl", 4))
        b = _mutations(rng, a)
        rows.append((a or None, b or None, rng.choice([a, b, None])))
    con = duckdb.connect()
    con.execute("CREATE TABLE t (a TEXT, b TEXT, father TEXT)")
    con.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
    given = {lv["label_for_charts"]: lv for lv in _levels(LinkageSettings(), "given")}
    lineage = {lv["label_for_charts"]: lv for lv in _levels(LinkageSettings(), "lineage")}

    def holds(sql: str) -> str:
        return f"coalesce(({sql}), false)"

    columns = (
        "a AS given_skel_l, b AS given_skel_r, a AS family_skel_l, b AS family_skel_r, "
        "a AS family_rom_l, b AS family_rom_r, father AS father_skel_l, a AS father_skel_r"
    )
    edit = "damerau_levenshtein(a, b) <= 1"
    close = f"(jaro_winkler_similarity(a, b) >= 0.88 OR {edit})"
    checks = [
        (
            given["skeleton one edit apart"]["sql_condition"],
            f"{edit} AND substr(a, 1, 1) = substr(b, 1, 1)",
        ),
        (lineage["family similar"]["sql_condition"], close),
        (
            lineage["family similar, father agrees"]["sql_condition"],
            f"{close} AND father = a",
        ),
    ]
    for fast, plain in checks:
        differ = con.execute(
            f"SELECT count(*) FROM (SELECT *, {columns} FROM t) "
            f"WHERE {holds(fast)} <> {holds(plain)}"
        ).fetchone()
        assert differ == (0,), fast
    # The sample holds both outcomes, swaps of neighbouring letters among them.
    assert con.execute(f"SELECT count(DISTINCT {holds(edit)}) FROM t").fetchone() == (2,)
    swaps = con.execute(f"SELECT count(*) FROM t WHERE {edit} AND levenshtein(a, b) = 2")
    assert swaps.fetchone()[0] > 50  # type: ignore[index]
