"""Benchmark the cross-script name bridge: pair agreement against raw Jaro-Winkler, and speed.

Run: .venv/bin/python bench/names_bridge.py [--names 300000]
Prints the figures recorded in bench/RESULTS-names.md.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import platform
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from importlib import import_module
from pathlib import Path

from sijill.names.caches import clear_caches
from sijill.names.keys import match_forms, name_key, name_similarity
from sijill.names.parse import parse_name
from sijill.names.script import Script, detect_script
from sijill.names.similarity import jaro_winkler

# The package re-exports functions named like their modules (skeleton, romanise): import modules.
names_keys = import_module("sijill.names.keys")
romanise = import_module("sijill.names.romanise")
skeleton = import_module("sijill.names.skeleton")
VARIANTS = Path(__file__).resolve().parents[1] / "tests" / "data" / "names" / "variants.csv"
THRESHOLD = 0.9


def _clear_caches() -> None:
    clear_caches()


def _rates(pairs: list[tuple[str, str, float]]) -> dict[str, float]:
    """Agreement rates over (arabic, latin, weight) pairs; weights sum to the pair weight."""
    total = sum(w for _, _, w in pairs)
    out: dict[str, float] = defaultdict(float)
    for arabic, latin, weight in pairs:
        raw = jaro_winkler(arabic, latin)
        sim = name_similarity(arabic, latin)
        out["raw JW mean"] += weight * raw
        out[f"raw JW >= {THRESHOLD}"] += weight * (raw >= THRESHOLD)
        out["skeleton equal"] += weight * (skeleton.skeleton(arabic) == skeleton.skeleton(latin))
        out["soundex equal"] += weight * (
            names_keys.soundex_key(arabic) == names_keys.soundex_key(latin)
        )
        out["name_key equal"] += weight * (name_key(arabic) == name_key(latin))
        out["romanised equal"] += weight * (romanise.romanise(arabic) == romanise.romanise(latin))
        out["similarity mean"] += weight * sim
        out[f"similarity >= {THRESHOLD}"] += weight * (sim >= THRESHOLD)
    return {k: v / total for k, v in out.items()}


def _print_rates(title: str, pairs: list[tuple[str, str, float]]) -> None:
    print(f"\n{title} ({len(pairs)} pairs)")
    for metric, value in _rates(pairs).items():
        print(f"  {metric:<22} {value:.3f}")
    _print_alternative(pairs)


def _alternative() -> Callable[[str], str] | None:
    """arabic-name-romanizer's top spelling, when that package (and onnxruntime) is importable."""
    try:
        from arabic_name_romanizer import transliterate
    except ImportError:
        return None
    cache: dict[str, str] = {}

    def top(arabic: str) -> str:
        if arabic not in cache:
            cache[arabic] = str(transliterate(arabic))
        return cache[arabic]

    return top


_ALTERNATIVE = _alternative()


def _print_alternative(pairs: list[tuple[str, str, float]]) -> None:
    """The same pairs with arabic-name-romanizer's spelling standing in for the Arabic name."""
    if _ALTERNATIVE is None:
        return
    total = sum(w for _, _, w in pairs)
    start = time.perf_counter()
    spelled = [(_ALTERNATIVE(a), latin, w) for a, latin, w in pairs]
    elapsed = time.perf_counter() - start
    distinct = len({a for a, _, _ in pairs})
    rates = {
        "ANR raw JW mean": sum(w * jaro_winkler(t, latin) for t, latin, w in spelled),
        "ANR + our skeleton eq": sum(
            w * (skeleton.skeleton(t) == skeleton.skeleton(latin)) for t, latin, w in spelled
        ),
        "ANR + our name_key eq": sum(
            w * (name_key(t) == name_key(latin)) for t, latin, w in spelled
        ),
        f"ANR + our sim >= {THRESHOLD}": sum(
            w * (name_similarity(t, latin) >= THRESHOLD) for t, latin, w in spelled
        ),
    }
    for metric, value in rates.items():
        print(f"  {metric:<22} {value / total:.3f}")
    print(f"  (arabic-name-romanizer: {distinct / max(elapsed, 1e-9):,.0f} distinct names/s)")


def variant_families() -> dict[str, dict[str, list[str]]]:
    families: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    with VARIANTS.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            families[row["family_id"]][row["script"]].append(row["spelling"])
    return families


def bench_variant_table() -> None:
    families = variant_families()
    true_pairs = [
        (a, latin, 1.0)
        for fam in families.values()
        for a, latin in itertools.product(fam["arabic"], fam["latin"])
    ]
    _print_rates("Variant families, same name across scripts", true_pairs)
    false_pairs = [
        (a, latin, 1.0)
        for (fa, fam_a), (fb, fam_b) in itertools.permutations(families.items(), 2)
        for a in fam_a["arabic"][:1]
        for latin in fam_b["latin"][:1]
        if fa != fb
    ]
    _print_rates("Variant families, DIFFERENT names across scripts (lower is better)", false_pairs)


def _simulator_pairs(styles_per_scheme: int) -> list[tuple[str, str, float]] | None:
    try:
        import numpy as np

        from sijill.simulate.names import name_table
        from sijill.simulate.transliterate import SCHEMES, draw_style, spell
    except ImportError:
        return None
    pairs: list[tuple[str, str, float]] = []
    rng = np.random.default_rng(20261125)
    for kind in ("given_male", "given_female", "family"):
        table = name_table(kind)
        for scheme in SCHEMES:
            if scheme == "arabic_script":
                continue
            for _ in range(styles_per_scheme):
                latin_style = draw_style(scheme, rng)
                arabic_style = draw_style("arabic_script", rng)
                for i in range(len(table)):
                    arabic = spell(table.scholarly[i], table.arabic[i], arabic_style, rng)
                    latin = spell(table.scholarly[i], table.arabic[i], latin_style, rng)
                    pairs.append((arabic, latin, float(table.probability[i])))
    return pairs


def bench_simulator(styles_per_scheme: int) -> None:
    pairs = _simulator_pairs(styles_per_scheme)
    if pairs is None:
        print("\nsijill.simulate not available: simulator pairs skipped")
        return
    unweighted = [(a, b, 1.0) for a, b, _ in pairs]
    _print_rates("Simulator name tables x 4 Latin schemes, per distinct name", unweighted)
    _print_rates("Simulator name tables x 4 Latin schemes, weighted by name frequency", pairs)
    misses: dict[tuple[str, str], int] = defaultdict(int)
    for arabic, latin, _ in pairs:
        if skeleton.skeleton(arabic) != skeleton.skeleton(latin):
            misses[(arabic, latin)] += 1
    worst = sorted(misses.items(), key=lambda kv: -kv[1])[:15]
    print("  skeleton misses (sample):", ", ".join(f"{a}/{b}" for (a, b), _ in worst))


def _list_parts(result: object) -> dict[str, dict[str, dict[int, str]]]:
    """list → part (given/family) → person_id → the name as that list wrote it."""
    out: dict[str, dict[str, dict[int, str]]] = {}
    truth = result.truth  # type: ignore[attr-defined]
    for list_name, frame in result.lists.items():  # type: ignore[attr-defined]
        columns = result.columns[list_name]  # type: ignore[attr-defined]
        if "given" not in columns or "family" not in columns:
            continue
        people = truth[truth["list"] == list_name].set_index("record_id")["person_id"]
        ids = frame[columns["id"]].map(people)
        parts: dict[str, dict[int, str]] = {"given": {}, "family": {}}
        for part in parts:
            for person, value in zip(ids, frame[columns[part]], strict=True):
                if isinstance(value, str) and value.strip():
                    parts[part].setdefault(int(person), value)
        out[list_name] = parts
    return out


def _print_blocking(
    preset: str,
    parts: dict[str, dict[str, dict[int, str]]],
    arabic_lists: list[str],
    latin_lists: list[str],
) -> None:
    """Share of same-person cross-script record pairs that a blocking key puts together."""
    keys: dict[str, Callable[[str, str], object]] = {
        "raw given + family (baseline)": lambda g, f: (g, f),
        "skeleton(given) + skeleton(family)": lambda g, f: (
            names_keys.skeleton_key(g),
            names_keys.skeleton_key(f),
        ),
        "soundex(given) + soundex(family)": lambda g, f: (
            names_keys.soundex_key(g),
            names_keys.soundex_key(f),
        ),
        "name_key(given) + name_key(family)": lambda g, f: (name_key(g), name_key(f)),
        "skeleton(family) only": lambda g, f: names_keys.skeleton_key(f),
    }
    pairs = [
        (
            parts[a]["given"][pid],
            parts[a]["family"][pid],
            parts[b]["given"][pid],
            parts[b]["family"][pid],
        )
        for a in arabic_lists
        for b in latin_lists
        for pid in (
            parts[a]["given"].keys()
            & parts[a]["family"].keys()
            & parts[b]["given"].keys()
            & parts[b]["family"].keys()
        )
    ]
    if not pairs:
        return
    print(
        f"\nBlocking recall, simulated '{preset}', Arabic x Latin lists ({len(pairs)} true pairs)"
    )
    records = {
        name: [
            (parts[name]["given"][pid], parts[name]["family"][pid])
            for pid in parts[name]["given"].keys() & parts[name]["family"].keys()
        ]
        for name in arabic_lists + latin_lists
    }
    for label, key in keys.items():
        recall = sum(key(g1, f1) == key(g2, f2) for g1, f1, g2, f2 in pairs) / len(pairs)
        candidates = total = 0
        for a in arabic_lists:
            counts: dict[object, int] = defaultdict(int)
            for g, f in records[a]:
                counts[key(g, f)] += 1
            for b in latin_lists:
                total += len(records[a]) * len(records[b])
                candidates += sum(counts.get(key(g, f), 0) for g, f in records[b])
        print(
            f"  {label:<36} {recall:.3f}   candidate pairs {candidates:>9,} "
            f"({candidates / total:.3%} of {total:,})"
        )
    union = [keys["skeleton(given) + skeleton(family)"], keys["soundex(given) + soundex(family)"]]
    recall = sum(
        any(key(g1, f1) == key(g2, f2) for key in union) for g1, f1, g2, f2 in pairs
    ) / len(pairs)
    print(f"  {'skeleton OR soundex rule (2 passes)':<36} {recall:.3f}")


def bench_simulated_lists(people: int, seed: int) -> None:
    """Held-out check: lists drawn by sijill.simulate (its own tables and spelling schemes)."""
    try:
        from sijill.simulate import preset_config, simulate
    except ImportError:
        print("\nsijill.simulate not available: simulated lists skipped")
        return
    for preset in ("realistic", "hard"):
        result = simulate(preset_config(preset, people=people, lists=4, seed=seed))
        parts = _list_parts(result)
        scripts = {
            name: detect_script(next(iter(p["given"].values())))
            for name, p in parts.items()
            if p["given"]
        }
        arabic_lists = [n for n, s in scripts.items() if s is Script.ARABIC]
        latin_lists = [n for n, s in scripts.items() if s is Script.LATIN]
        _print_blocking(preset, parts, arabic_lists, latin_lists)
        _full_name_pairs(result, parts)
        for part in ("given", "family"):
            pairs = [
                (parts[a][part][pid], parts[b][part][pid], 1.0)
                for a in arabic_lists
                for b in latin_lists
                for pid in parts[a][part].keys() & parts[b][part].keys()
            ]
            if pairs:
                _print_rates(
                    f"Simulated '{preset}' lists {arabic_lists} x {latin_lists}, {part} names, "
                    "same person",
                    pairs,
                )


def _full_name_pairs(result: object, parts: dict[str, dict[str, dict[int, str]]]) -> None:
    """A list giving one full-name column against Latin lists giving given + family names."""
    truth = result.truth  # type: ignore[attr-defined]
    rng = random.Random(5)
    for list_name, frame in result.lists.items():  # type: ignore[attr-defined]
        columns = result.columns[list_name]  # type: ignore[attr-defined]
        if "full_name" not in columns:
            continue
        people = truth[truth["list"] == list_name].set_index("record_id")["person_id"]
        full = {
            int(pid): value
            for pid, value in zip(
                frame[columns["id"]].map(people), frame[columns["full_name"]], strict=True
            )
            if isinstance(value, str) and value.strip()
        }
        for other, p in parts.items():
            short = {
                pid: f"{p['given'][pid]} {p['family'][pid]}"
                for pid in p["given"].keys() & p["family"].keys() & full.keys()
            }
            if not short or detect_script(next(iter(short.values()))) is detect_script(
                next(iter(full.values()))
            ):
                continue
            same = [(full[pid], short[pid]) for pid in short]
            ids = list(short)
            different = [(full[pid], short[rng.choice(ids)]) for pid in ids]
            different = [(a, b) for a, b in different if a != b]
            print(f"\nFull names of list {list_name} x given + family of list {other}")
            for label, fn in (
                ("raw jaro_winkler", jaro_winkler),
                ("name_similarity", name_similarity),
                ("parts_similarity", names_keys.parts_similarity),
            ):
                hit = sum(fn(a, b) >= THRESHOLD for a, b in same) / len(same)
                false = sum(fn(a, b) >= THRESHOLD for a, b in different) / len(different)
                print(
                    f"  {label:<18} >= {THRESHOLD}: same person {hit:.3f} ({len(same)} pairs), "
                    f"different people {false:.3f} ({len(different)} pairs)"
                )


def _full_names(count: int, seed: int) -> list[str]:
    """Distinct-ish three- and four-part names built from the variant spellings."""
    rng = random.Random(seed)
    families = variant_families()
    arabic = [s for f in families.values() for s in f["arabic"]]
    latin = [s for f in families.values() for s in f["latin"]]
    names = []
    for i in range(count):
        pool = arabic if i % 2 else latin
        names.append(" ".join(rng.choice(pool) for _ in range(rng.choice((2, 3, 4)))))
    return names


def _time(label: str, fn: Callable[[str], object], names: Iterable[str], n: int) -> None:
    # CPU time, not wall time: the bench machine is shared, and one core is what we measure.
    start = time.process_time()
    for name in names:
        fn(name)
    elapsed = time.process_time() - start
    print(f"  {label:<44} {n / elapsed:>10,.0f} names/CPU-s  ({elapsed:.2f} CPU-s)")


def bench_columns(count: int, seed: int) -> None:
    """A list-shaped workload: name-part columns where values repeat, computed per distinct."""
    try:
        from sijill.simulate import preset_config, simulate
    except ImportError:
        return
    result = simulate(preset_config("realistic", people=20_000, lists=4, seed=seed))
    values: list[str] = []
    for parts in _list_parts(result).values():
        for column in parts.values():
            values += column.values()
    rng = random.Random(seed)
    column = [rng.choice(values) for _ in range(count)]
    _clear_caches()
    start = time.process_time()
    names_keys.match_forms_columns(column)
    elapsed = time.process_time() - start
    print(
        f"\nColumn workload: {count:,} given/family values ({len(set(column)):,} distinct), "
        f"match_forms_columns, cold caches: {count / elapsed:,.0f} values/CPU-s "
        f"({elapsed:.2f} CPU-s)"
    )


def bench_speed(count: int) -> None:
    names = _full_names(count, seed=7)
    distinct = len(set(names))
    print(f"\nThroughput, one core, {count:,} full names ({distinct:,} distinct)")
    _clear_caches()
    _time("match_forms, cold caches", match_forms, names, count)
    _time("match_forms, warm (names repeat)", match_forms, names, count)
    match_forms.cache_clear()
    _time("match_forms, full-name cache cleared", match_forms, names, count)
    _clear_caches()
    _time("skeleton_key only, cold caches", names_keys.skeleton_key, names, count)
    _clear_caches()
    _time("parse_name, cold caches", parse_name, names, count)
    pairs = list(zip(names[::2], names[1::2], strict=False))
    for name in names:
        match_forms(name)
    start = time.process_time()
    for a, b in pairs:
        name_similarity(a, b)
    elapsed = time.process_time() - start
    print(f"  {'name_similarity (forms cached)':<44} {len(pairs) / elapsed:>10,.0f} pairs/CPU-s")
    start = time.process_time()
    for a, b in pairs:
        jaro_winkler(a, b)
    elapsed = time.process_time() - start
    print(f"  {'baseline: raw jaro_winkler':<44} {len(pairs) / elapsed:>10,.0f} pairs/CPU-s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--names", type=int, default=300_000, help="names for the speed run")
    parser.add_argument("--styles", type=int, default=5, help="spelling styles per scheme")
    parser.add_argument("--people", type=int, default=20_000, help="people in simulated lists")
    args = parser.parse_args()
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.system()}")
    bench_variant_table()
    bench_simulator(args.styles)
    bench_simulated_lists(args.people, seed=11)
    bench_speed(args.names)
    bench_columns(1_000_000, seed=3)


if __name__ == "__main__":
    main()
