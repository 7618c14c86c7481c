"""Ready-made simulation settings (`easy`, `realistic`, `hard`, `large`) for any size and lists.

- ``easy``: one latent class (homogeneous capture), independent lists, every list in canonical
  Latin with all fields, exact dates, no typos, duplicates or missing values, UTF-8 CSV. A sanity
  check: estimators should recover N and linkage should be near perfect.
- ``realistic``: two latent classes (a less visible third of the victims), capture shifted by
  governorate, year and sex, one list copying 15% of another's records; lists mix Arabic script
  and English, levantine and French spellings, full-name columns, Arabic headers, month- and
  year-only dates, ages instead of birth years, 2% typos, 2–4% duplicates, 5% missing cells,
  UTF-8 with BOM, Windows-1256, semicolons and XLSX. Stresses Arabic-aware linkage and
  heterogeneity-robust estimation together.
- ``hard``: three latent classes including a nearly invisible one, strong copying (40%), strong
  covariate effects, 6% typos, 8% duplicates, 15% missing cells, frequent date errors and
  coarse dates, lists with given and family name only, heavy spelling variation. Stresses
  every method where published estimates go wrong.
- ``large``: ``realistic`` with the extended family-name pool (the curated names followed by
  60,000 generated ones, `PopulationConfig.family_names`), for runs of hundreds of thousands
  of people: there the curated names alone make most listed people share given and family
  name with someone else, and linkage at scale would measure the name pool. The three presets
  above keep the curated pool, so their published figures stay comparable.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sijill.errors import InputError
from sijill.simulate.config import (
    MAX_LISTS,
    LatentClass,
    ListConfig,
    PopulationConfig,
    SimulationConfig,
)

_ALL_FIELDS = [
    "given",
    "father",
    "family",
    "sex",
    "birth_year",
    "governorate",
    "date_of_death",
    "place_of_death",
]

# Recording templates cycled over the lists; each is ListConfig keyword arguments, except
# "copies_back": the list copies from the list that many places before it.
_REALISTIC_TEMPLATES: list[dict[str, Any]] = [
    {
        "scheme": "arabic_script",
        "header_language": "ar",
        "encoding": "utf-8-sig",
        "fields": [
            "given",
            "father",
            "family",
            "mother",
            "sex",
            "age",
            "governorate",
            "date_of_death",
            "place_of_death",
        ],
        "date_format": "dmy",
        "date_precision": {"day": 0.75, "month": 0.2, "year": 0.05},
        "sex_coding": "arabic",
        "arabic_digits": 0.1,
        "governorate_effects": {"SY12": 0.8, "SY02": -0.6},
    },
    {
        "scheme": "english_common",
        "header_language": "en",
        "fields": [
            "given",
            "father",
            "family",
            "sex",
            "birth_year",
            "governorate",
            "date_of_death",
        ],
        "date_precision": {"day": 0.85, "month": 0.15},
        "sex_coding": "male_female",
        "year_effects": {2011: -0.5, 2015: 0.4},
    },
    {
        "scheme": "arabic_script",
        "header_language": "ar",
        "encoding": "cp1256",
        "delimiter": ";",
        "fields": [
            "given",
            "father",
            "grandfather",
            "family",
            "sex",
            "governorate",
            "date_of_death",
        ],
        "full_name": True,
        "date_format": "dmy",
        "date_precision": {"day": 0.7, "month": 0.25, "year": 0.05},
        "copies_back": 2,
        "copy_fraction": 0.15,
        "sex_coding": "arabic",
    },
    {
        "scheme": "levantine_informal",
        "header_language": "en_title",
        "file_format": "xlsx",
        "fields": ["given", "family", "sex", "age", "governorate", "date_of_death"],
        "date_precision": {"day": 0.5, "month": 0.4, "year": 0.1},
        "sex_effects": {"F": 0.5},
    },
    {
        "scheme": "french",
        "header_language": "en",
        "delimiter": "\t",
        "fields": [
            "given",
            "father",
            "family",
            "sex",
            "birth_year",
            "date_of_death",
            "place_of_death",
        ],
        "date_format": "dmy",
        "date_precision": {"day": 0.8, "month": 0.2},
    },
    {
        "scheme": "academic",
        "header_language": "en_title",
        "fields": [
            "given",
            "father",
            "grandfather",
            "family",
            "mother",
            "birth_year",
            "governorate",
            "date_of_death",
        ],
    },
]
_REALISTIC_CAPTURE = [0.55, 0.45, 0.35, 0.3, 0.4, 0.25]


def _easy(people: int, lists: int, seed: int) -> SimulationConfig:
    configs = [ListConfig(name=_list_name(j), fields=list(_ALL_FIELDS)) for j in range(lists)]
    capture = [max(0.3, 0.6 - 0.05 * j) for j in range(lists)]
    return SimulationConfig(
        seed=seed,
        population=PopulationConfig(people=people, sibling_share=0.1),
        lists=configs,
        latent_classes=[LatentClass(1.0, capture)],
        preset="easy",
    )


def _noisy_lists(lists: int, noise: dict[str, Any], copy_fraction: float) -> list[ListConfig]:
    configs = []
    for j in range(lists):
        template = dict(_REALISTIC_TEMPLATES[j % len(_REALISTIC_TEMPLATES)])
        back = template.pop("copies_back", None)
        if back is not None and j >= back:
            template["copies_from"] = _list_name(j - back)
            template["copy_fraction"] = copy_fraction
        else:
            template.pop("copy_fraction", None)
        configs.append(ListConfig(name=_list_name(j), **{**template, **noise}))
    return configs


def _realistic(people: int, lists: int, seed: int) -> SimulationConfig:
    noise = {
        "typo_rate": 0.02,
        "duplicate_rate": 0.03,
        "missing_rate": 0.05,
        "date_error_rate": 0.03,
        "age_error_rate": 0.1,
        "spelling_variation": 0.08,
        "governorate_variation": 0.25,
    }
    capture = [_REALISTIC_CAPTURE[j % len(_REALISTIC_CAPTURE)] for j in range(lists)]
    return SimulationConfig(
        seed=seed,
        population=PopulationConfig(people=people),
        lists=_noisy_lists(lists, noise, 0.15),
        latent_classes=[
            LatentClass(0.65, capture),
            LatentClass(0.35, [round(p * 0.35, 4) for p in capture]),
        ],
        preset="realistic",
    )


def _hard(people: int, lists: int, seed: int) -> SimulationConfig:
    noise = {
        "typo_rate": 0.06,
        "duplicate_rate": 0.08,
        "missing_rate": 0.15,
        "date_error_rate": 0.1,
        "age_error_rate": 0.25,
        "spelling_variation": 0.25,
        "governorate_variation": 0.6,
        "date_precision": {"day": 0.5, "month": 0.3, "year": 0.2},
    }
    configs = _noisy_lists(lists, noise, 0.4)
    for j, lst in enumerate(configs):
        if j % 2 == 1:
            lst.fields = [f for f in lst.fields if f not in ("father", "grandfather", "mother")]
        lst.governorate_effects = {k: 2 * v for k, v in lst.governorate_effects.items()}
        lst.year_effects = {k: 2 * v for k, v in lst.year_effects.items()}
    capture = [0.45 - 0.05 * (j % 4) for j in range(lists)]
    return SimulationConfig(
        seed=seed,
        population=PopulationConfig(people=people, sibling_share=0.35, governorate_skew=1.3),
        lists=configs,
        latent_classes=[
            LatentClass(0.5, capture),
            LatentClass(0.3, [round(p * 0.3, 4) for p in capture]),
            LatentClass(0.2, [0.03] * lists),
        ],
        preset="hard",
    )


def _large(people: int, lists: int, seed: int) -> SimulationConfig:
    config = _realistic(people, lists, seed)
    config.population.family_names = "extended"
    config.preset = "large"
    return config


PRESETS: dict[str, Callable[[int, int, int], SimulationConfig]] = {
    "easy": _easy,
    "realistic": _realistic,
    "hard": _hard,
    "large": _large,
}


def _list_name(j: int) -> str:
    return chr(ord("A") + j)


def preset_config(
    name: str, *, people: int = 10_000, lists: int = 4, seed: int = 0
) -> SimulationConfig:
    """The configuration of a named preset for `people` victims and `lists` lists.

    Args:
        name: "easy", "realistic", "hard" or "large" (see the module docstring for what each
            stresses).
        people: the true N.
        lists: number of lists (1 to 12); lists are named A, B, C, ...
        seed: the random seed.
    """
    if name not in PRESETS:
        raise InputError(f"unknown preset {name!r}", hint=f"choose one of {', '.join(PRESETS)}")
    if not 1 <= lists <= MAX_LISTS:
        raise InputError(f"--lists must be between 1 and {MAX_LISTS}, got {lists}")
    if people < 1:
        raise InputError(f"--people must be positive, got {people}")
    return PRESETS[name](people, lists, seed)


def resolve_config(
    *,
    preset: str | None = None,
    config_file: Path | None = None,
    people: int | None = None,
    lists: int | None = None,
    seed: int | None = None,
) -> SimulationConfig:
    """The configuration a `sijill simulate` invocation asks for.

    Either a preset (default "realistic", 10,000 people, 4 lists, seed 0) or a JSON file
    (`SimulationConfig.to_json`, or the config.json of an earlier run); with a file, `people` and `seed` override the file's
    values and `lists` is refused (a file already defines its lists).
    """
    if config_file is not None:
        if preset is not None:
            raise InputError("give either --preset or --config, not both")
        if lists is not None:
            raise InputError(
                "--lists only applies to presets", hint="edit the lists in the --config file"
            )
        try:
            text = Path(config_file).read_text("utf-8")
        except OSError as exc:
            raise InputError(f"cannot read configuration {config_file}: {exc.strerror}") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{config_file} is not valid JSON: {exc}") from None
        if isinstance(data, dict) and "format_version" in data and "config" in data:
            data = data["config"]  # a config.json written by a previous run
        config = SimulationConfig.from_dict(data)
        if people is not None:
            config.population.people = people
        if seed is not None:
            config.seed = seed
        config.validate()
        return config
    return preset_config(
        preset or "realistic",
        people=10_000 if people is None else people,
        lists=4 if lists is None else lists,
        seed=0 if seed is None else seed,
    )
