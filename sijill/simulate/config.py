"""Settings of a simulation: the population, the latent classes and each list's recording habits."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import Any

from sijill.errors import InputError
from sijill.simulate.names import FAMILY_NAME_POOLS
from sijill.simulate.transliterate import SCHEMES

FIELDS = (
    "given",
    "father",
    "grandfather",
    "family",
    "mother",
    "sex",
    "birth_year",
    "age",
    "governorate",
    "date_of_death",
    "place_of_death",
)
HEADER_LANGUAGES = ("en", "en_title", "ar")
FILE_FORMATS = ("csv", "xlsx")
ENCODINGS = ("utf-8", "utf-8-sig", "cp1256")
DELIMITERS = (",", ";", "\t")
DATE_FORMATS = ("iso", "dmy")
SEX_CODINGS = ("MF", "male_female", "arabic")
PRECISIONS = ("day", "month", "year")
MAX_LISTS = 12

# Deaths in custody concentrate where arrests and the big facilities were (relative to population).
DEFAULT_GOVERNORATE_WEIGHTS = {"SY01": 2.0, "SY03": 2.2, "SY12": 1.8, "SY04": 1.6, "SY05": 1.3}


@dataclass
class LatentClass:
    """A group of people equally visible to the lists (heterogeneity of capture).

    Attributes:
        share: fraction of the population in this class.
        capture: capture probability of each list for this class, in list order.
    """

    share: float
    capture: list[float]


@dataclass
class PopulationConfig:
    """Who died, when and where.

    Attributes:
        people: true number of victims N.
        male_share: fraction of men (about 0.9 for deaths in custody).
        start, end: period of deaths (ISO dates).
        peak: date of highest intensity; deaths rise over `rise_months` before and fall over
            `fall_months` after it (a skewed bell on the monthly scale).
        governorate_skew: exponent on population shares (1 = proportional, >1 concentrates).
        governorate_weights: multipliers per governorate p-code on top of population.
        facility_share: fraction who died in a known detention facility (else in their home
            governorate).
        sibling_share: fraction of victims who have a sibling among the victims.
        named_after_grandfather: fraction of men given their paternal grandfather's name.
        family_names: "curated" (default: the bundled table of 432 common family names) or
            "extended" (those names followed by 60,000 generated ones, so that the number of
            distinct family names grows with the population; for runs at scale: at 173,000
            people the curated names alone give 83% of listed people a namesake with the same
            given and family name, the extended pool 34%). Written to the JSON configuration
            only when "extended", so earlier configurations and their files stay byte for
            byte the same.
    """

    people: int = 10_000
    male_share: float = 0.9
    start: str = "2011-03-01"
    end: str = "2015-12-31"
    peak: str = "2013-01-01"
    rise_months: float = 9.0
    fall_months: float = 16.0
    governorate_skew: float = 1.0
    governorate_weights: dict[str, float] = field(
        default_factory=lambda: dict(DEFAULT_GOVERNORATE_WEIGHTS)
    )
    facility_share: float = 0.85
    sibling_share: float = 0.25
    named_after_grandfather: float = 0.15
    family_names: str = "curated"


@dataclass
class ListConfig:
    """One documentation list: how it captures people and how it records them.

    Capture: a person's probability comes from their latent class, shifted on the log-odds
    scale by `governorate_effects` (p-code → effect), `year_effects` (year of death → effect)
    and `sex_effects` ("M"/"F" → effect). With `copies_from`, the list also copies
    `copy_fraction` of that (earlier) list's records verbatim, spelling included.

    Recording: `scheme` (see `sijill.simulate.transliterate`), `fields` present, `full_name`
    (given, father's, grandfather's and family name in one column), `header_language`,
    `date_precision` (share of records at day / month / year precision), `date_error_rate`
    (shifted days or months, day and month swapped), `age_error_rate` (age off by one),
    `missing_rate` (per optional cell), `typo_rate` (per name cell), `duplicate_rate` (people
    entered twice, with variations), `spelling_variation` (records spelled with other habits),
    `sex_coding`, `governorate_variation` (other spellings of the governorate),
    `arabic_digits` (share of records with Arabic-Indic digits), `file_format`, `encoding`,
    `delimiter`, `date_format` and `id_column` (default by header language).
    """

    name: str
    scheme: str = "academic"
    fields: list[str] = field(
        default_factory=lambda: [
            "given",
            "father",
            "family",
            "sex",
            "birth_year",
            "governorate",
            "date_of_death",
            "place_of_death",
        ]
    )
    full_name: bool = False
    header_language: str = "en"
    id_column: str | None = None
    file_format: str = "csv"
    encoding: str = "utf-8"
    delimiter: str = ","
    date_format: str = "iso"
    date_precision: dict[str, float] = field(default_factory=lambda: {"day": 1.0})
    date_error_rate: float = 0.0
    age_error_rate: float = 0.0
    missing_rate: float = 0.0
    typo_rate: float = 0.0
    duplicate_rate: float = 0.0
    spelling_variation: float = 0.0
    sex_coding: str = "MF"
    governorate_variation: float = 0.0
    arabic_digits: float = 0.0
    governorate_effects: dict[str, float] = field(default_factory=dict)
    year_effects: dict[int, float] = field(default_factory=dict)
    sex_effects: dict[str, float] = field(default_factory=dict)
    copies_from: str | None = None
    copy_fraction: float = 0.0


@dataclass
class SimulationConfig:
    """Everything needed to reproduce a simulation byte for byte.

    Attributes:
        seed: the random seed; the same configuration and seed give identical files.
        population: the victim population.
        lists: the documentation lists, in order (list 1 is the most significant bit of the
            capture-history patterns).
        latent_classes: capture heterogeneity; one class means homogeneous capture.
        preset: name of the preset this configuration came from, if any.
    """

    seed: int
    population: PopulationConfig
    lists: list[ListConfig]
    latent_classes: list[LatentClass]
    preset: str | None = None

    def __post_init__(self) -> None:
        self.validate()

    @property
    def list_names(self) -> list[str]:
        """The lists' names in order."""
        return [c.name for c in self.lists]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (year keys become strings)."""
        data = asdict(self)
        if data["population"]["family_names"] == "curated":
            del data["population"]["family_names"]
        for lst in data["lists"]:
            lst["year_effects"] = {str(k): v for k, v in lst["year_effects"].items()}
        return data

    def to_json(self) -> str:
        """The configuration as indented JSON."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SimulationConfig:
        """Build and validate a configuration from a dictionary (as written by `to_dict`)."""
        if not isinstance(data, dict):
            raise InputError("simulation configuration must be a JSON object")
        _check_keys(data, cls, "configuration")
        for key in ("seed", "population", "lists", "latent_classes"):
            if key not in data:
                raise InputError(f"configuration: missing key {key!r}")
        population = _build(PopulationConfig, data["population"], "population")
        if not isinstance(data["lists"], list) or not isinstance(data["latent_classes"], list):
            raise InputError("configuration: 'lists' and 'latent_classes' must be JSON arrays")
        lists = []
        for i, raw in enumerate(data["lists"]):
            item = dict(raw) if isinstance(raw, dict) else raw
            if isinstance(item, dict) and "year_effects" in item:
                try:
                    item["year_effects"] = {int(k): v for k, v in item["year_effects"].items()}
                except (ValueError, AttributeError):
                    raise InputError(f"lists[{i}].year_effects: keys must be years") from None
            lists.append(_build(ListConfig, item, f"lists[{i}]"))
        classes = [
            _build(LatentClass, raw, f"latent_classes[{i}]")
            for i, raw in enumerate(data["latent_classes"])
        ]
        return cls(
            seed=data["seed"],
            population=population,
            lists=lists,
            latent_classes=classes,
            preset=data.get("preset"),
        )

    @classmethod
    def from_json(cls, text: str) -> SimulationConfig:
        """Parse and validate a JSON configuration."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"simulation configuration is not valid JSON: {exc}") from None
        return cls.from_dict(data)

    def validate(self) -> None:
        """Raise InputError naming the first setting that cannot be simulated."""
        if not isinstance(self.seed, int) or self.seed < 0:
            raise InputError(f"seed must be a non-negative integer, got {self.seed!r}")
        _validate_population(self.population)
        k = len(self.lists)
        if not 1 <= k <= MAX_LISTS:
            raise InputError(f"need 1 to {MAX_LISTS} lists, got {k}")
        names = self.list_names
        if len(set(names)) != k:
            raise InputError(f"list names must be unique, got {names}")
        for i, lst in enumerate(self.lists):
            _validate_list(lst, f"lists[{i}] ({lst.name})", names[:i])
        if not self.latent_classes:
            raise InputError("latent_classes: give at least one class")
        for i, lc in enumerate(self.latent_classes):
            where = f"latent_classes[{i}]"
            _probability(lc.share, f"{where}.share")
            if len(lc.capture) != k:
                raise InputError(
                    f"{where}.capture has {len(lc.capture)} probabilities for {k} lists",
                    hint="give one capture probability per list, in list order",
                )
            for j, p in enumerate(lc.capture):
                _probability(p, f"{where}.capture[{j}]")
        total = sum(lc.share for lc in self.latent_classes)
        if abs(total - 1.0) > 1e-6:
            raise InputError(f"latent_classes: shares must sum to 1, they sum to {total:g}")


def _check_keys(data: dict[str, Any], cls: type, where: str) -> None:
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise InputError(
            f"{where}: unknown setting(s) {', '.join(unknown)}",
            hint=f"known settings: {', '.join(sorted(known))}",
        )


def _build(cls: type, data: Any, where: str) -> Any:
    if not isinstance(data, dict):
        raise InputError(f"{where}: expected a JSON object")
    _check_keys(data, cls, where)
    try:
        return cls(**data)
    except TypeError as exc:
        raise InputError(f"{where}: {exc}") from None


def _probability(value: Any, where: str) -> None:
    if not isinstance(value, int | float) or not 0.0 <= float(value) <= 1.0:
        raise InputError(f"{where} must be a probability between 0 and 1, got {value!r}")


def _one_of(value: Any, allowed: tuple[str, ...], where: str) -> None:
    if value not in allowed:
        raise InputError(f"{where} must be one of {', '.join(map(repr, allowed))}, got {value!r}")


def _iso_date(value: Any, where: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"{where} must be an ISO date such as 2011-03-01, got {value!r}") from None


def _validate_population(pop: PopulationConfig) -> None:
    if not isinstance(pop.people, int) or pop.people < 1:
        raise InputError(f"population.people must be a positive integer, got {pop.people!r}")
    for name in ("male_share", "facility_share", "sibling_share", "named_after_grandfather"):
        _probability(getattr(pop, name), f"population.{name}")
    _one_of(pop.family_names, FAMILY_NAME_POOLS, "population.family_names")
    if pop.sibling_share > 0.9:
        raise InputError("population.sibling_share must be at most 0.9")
    start = _iso_date(pop.start, "population.start")
    end = _iso_date(pop.end, "population.end")
    _iso_date(pop.peak, "population.peak")
    if end <= start:
        raise InputError(
            f"population.end ({pop.end}) must come after population.start ({pop.start})"
        )
    if pop.rise_months <= 0 or pop.fall_months <= 0:
        raise InputError("population.rise_months and fall_months must be positive")
    if pop.governorate_skew < 0:
        raise InputError("population.governorate_skew must be non-negative")
    for code, weight in pop.governorate_weights.items():
        if not (isinstance(code, str) and code.startswith("SY") and len(code) == 4):
            raise InputError(
                f"population.governorate_weights: {code!r} is not a governorate p-code"
            )
        if weight < 0:
            raise InputError(f"population.governorate_weights[{code}] must be non-negative")


def _validate_list(lst: ListConfig, where: str, earlier: list[str]) -> None:
    if not isinstance(lst.name, str) or not lst.name.strip() or "/" in lst.name:
        raise InputError(f"{where}: name must be a non-empty string without '/'")
    _one_of(lst.scheme, SCHEMES, f"{where}.scheme")
    _one_of(lst.header_language, HEADER_LANGUAGES, f"{where}.header_language")
    _one_of(lst.file_format, FILE_FORMATS, f"{where}.file_format")
    _one_of(lst.encoding, ENCODINGS, f"{where}.encoding")
    _one_of(lst.delimiter, DELIMITERS, f"{where}.delimiter")
    _one_of(lst.date_format, DATE_FORMATS, f"{where}.date_format")
    _one_of(lst.sex_coding, SEX_CODINGS, f"{where}.sex_coding")
    for name in lst.fields:
        _one_of(name, FIELDS, f"{where}.fields")
    if len(set(lst.fields)) != len(lst.fields):
        raise InputError(f"{where}.fields lists a field twice")
    if "given" not in lst.fields or "family" not in lst.fields:
        raise InputError(f"{where}.fields must include 'given' and 'family'")
    if lst.encoding == "cp1256" and (lst.scheme != "arabic_script" or lst.file_format != "csv"):
        raise InputError(
            f"{where}: Windows-1256 is for Arabic-script CSV lists only",
            hint="use scheme 'arabic_script' and file_format 'csv', or encoding 'utf-8'",
        )
    if lst.encoding == "cp1256" and lst.arabic_digits > 0:
        raise InputError(f"{where}: Arabic-Indic digits cannot be encoded in Windows-1256")
    if not lst.date_precision or any(k not in PRECISIONS for k in lst.date_precision):
        raise InputError(f"{where}.date_precision: give shares for 'day', 'month' and/or 'year'")
    for k, v in lst.date_precision.items():
        _probability(v, f"{where}.date_precision[{k}]")
    if abs(sum(lst.date_precision.values()) - 1.0) > 1e-6:
        raise InputError(f"{where}.date_precision: shares must sum to 1")
    for name in (
        "date_error_rate",
        "age_error_rate",
        "missing_rate",
        "typo_rate",
        "duplicate_rate",
        "spelling_variation",
        "governorate_variation",
        "arabic_digits",
        "copy_fraction",
    ):
        _probability(getattr(lst, name), f"{where}.{name}")
    if lst.copies_from is not None and lst.copies_from not in earlier:
        raise InputError(
            f"{where}.copies_from: {lst.copies_from!r} is not an earlier list",
            hint="a list can only copy from a list that comes before it",
        )
    if lst.copy_fraction > 0 and lst.copies_from is None:
        raise InputError(f"{where}: copy_fraction is set but copies_from is not")
    for key in lst.sex_effects:
        _one_of(key, ("M", "F"), f"{where}.sex_effects")
