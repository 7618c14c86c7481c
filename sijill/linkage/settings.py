"""Declarative linkage settings: what is compared, how pairs are blocked and trained, thresholds.

Every run stores its settings as JSON beside the SHA-256 hashes of its input lists, so a
published count of unique people can be reproduced and audited later.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from sijill.errors import InputError, NotFoundError

__all__ = ["SETTINGS_VERSION", "LinkageSettings", "NameComparison"]

SETTINGS_VERSION = 1

#: Name parts a list record may carry, in the order of the Syrian name chain.
NAME_PARTS = ("given", "father", "grandfather", "family", "mother")

#: Columns of the prepared table that blocking rules may use.
BLOCKING_COLUMNS = frozenset(
    {f"{p}_{form}" for p in NAME_PARTS for form in ("rom", "skel")}
    | {
        "given_sdx",
        "family_sdx",
        "birth_day",
        "full_skel",
        "death_day",
        "death_year",
        "birth_year",
        "governorate",
        "sex",
    }
)


@dataclass(frozen=True)
class NameComparison:
    """How one name part is compared.

    Attributes:
        part: One of given, father, grandfather, family, mother.
        jaro_winkler: Thresholds on the romanised form, strictest first (each a level).
        term_frequency: Whether agreeing on a common value (Muhammad) weighs less than on a
            rare one; applied to the exact romanised and skeleton levels.
        disagreement_m: If set, the probability that two records of one person disagree
            completely on this part is fixed at this value instead of trained. Unsupervised
            training takes brothers for one person (they share father, mother and family),
            which would make a different given name look like a common typo.
        prefix_letters: If above 0, a level for names whose romanised forms share their
            first this many letters (Fred / Frederick, Will / Wilford): short forms and
            nicknames. Off by default: Arabic given names sharing a start (Abd al-Rahman /
            Abd al-Karim) are different names.
    """

    part: str
    jaro_winkler: tuple[float, ...] = (0.92, 0.8)
    term_frequency: bool = False
    disagreement_m: float | None = None
    prefix_letters: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.prefix_letters <= 10:
            raise InputError(f"name part {self.part!r}: prefix_letters must lie in 0..10")
        if self.disagreement_m is not None and not 0 < self.disagreement_m < 1:
            raise InputError(f"name part {self.part!r}: disagreement_m must lie in (0, 1)")
        if self.part not in NAME_PARTS:
            raise InputError(
                f"unknown name part {self.part!r} in linkage settings",
                hint=f"use one of {', '.join(NAME_PARTS)}",
            )
        if any(not 0 < t < 1 for t in self.jaro_winkler) or list(self.jaro_winkler) != sorted(
            self.jaro_winkler, reverse=True
        ):
            raise InputError(
                f"name part {self.part!r}: Jaro-Winkler thresholds must lie in (0, 1), "
                "strictest first",
                hint="e.g. [0.92, 0.8]",
            )


def _default_names() -> tuple[NameComparison, ...]:
    return (
        NameComparison("given", (0.92, 0.8), term_frequency=True, disagreement_m=0.002),
        NameComparison("grandfather", (0.9,)),
    )


def _default_blocking() -> tuple[tuple[str, ...], ...]:
    # Each rule's recall and pair count were measured on simulated lists (bench/); rules whose
    # blocks grow with the square of common values (family skeleton + death year alone) are
    # narrowed by a third column. Given + father and family + father are narrowed by the
    # governorate, given + birth year by the death year: at 230,000 records a quarter fewer
    # candidate pairs, no true pair lost on `realistic` (bench/RESULTS-linkage-scale.md).
    return (
        ("given_skel", "family_skel"),
        ("given_skel", "father_skel", "governorate"),
        ("family_skel", "father_skel", "governorate"),
        ("family_skel", "death_year", "governorate"),
        ("family_skel", "death_day"),
        ("given_skel", "death_day"),
        ("given_skel", "birth_year", "governorate", "death_year"),
        ("given_sdx", "family_sdx", "governorate"),
        ("given_sdx", "family_sdx", "death_year"),
    )


def _default_training() -> tuple[tuple[str, ...], ...]:
    # The second session trains the given name's levels on pairs the first cannot reach
    # (lists without a father's name, where given + family blocks hold few matches): on
    # `hard` pairwise F1 +0.014-0.020, precision up; `realistic` unchanged
    # (bench/RESULTS-linkage.md, third session).
    return (("given_skel", "family_skel"), ("family_skel", "death_day"))


def _default_anchors() -> tuple[tuple[str, ...], ...]:
    return (
        ("given_rom", "birth_year", "death_day", "governorate"),
        ("family_rom", "father_rom", "death_day", "birth_year"),
    )


@dataclass(frozen=True)
class LinkageSettings:
    """Everything that decides a linkage run's outcome (serialised with the run).

    Attributes:
        names: Comparisons of single name parts.
        lineage: Compare family, father and mother jointly (one comparison, so brothers'
            shared names are not counted three times). Without it, list family, father and
            mother in ``names`` to compare them one by one.
        death_close_days: Death-date intervals this many days apart still count as close.
        death_far_days: A looser level for dates shifted by up to this many days.
        birth_tolerance_years: Birth-year intervals (from ages) this many years apart still agree.
        compare_governorate: Compare governorate pcodes.
        compare_place: Compare the place of death (skeleton of the place text).
        compare_sex: Compare sex (a disagreement is strong evidence of two people).
        extra_columns: Further record columns compared exactly and by Jaro-Winkler (an ID
            number, an address); blocking rules may use them as ``x_<name>``.
        blocking_rules: Each rule is columns that must all be equal for a pair to be compared;
            a pair is compared when any rule holds. Several rules keep recall high when one
            field is missing or misspelt.
        training_rules: Blocking rules for expectation maximisation of the m probabilities
            (each trains the comparisons it does not block on). No labels are used.
        anchor_rules: Columns on which agreement makes a pair a near-certain match; the m
            probabilities of comparisons an EM rule could not train (nor the anchor fixes)
            are estimated from these pairs as if they were labels. EM on blocks that leave
            the family name free settles on "same family" or "same death period" classes,
            so the lineage comparison is learnt this way.
        anchor_limit: At most this many anchor pairs per rule (the first in record order).
        u_max_pairs: Random pairs sampled to estimate the u probabilities.
        seed: Seed for sampling; the same seed, data and settings give the same result.
        prior_match_probability: Probability that two random records match; ``None``
            estimates it from the data deterministically.
        m_floor: No trained m probability goes below this, so a single disagreeing field
            (a typo, another list's coding) weighs against a match but cannot veto it.
        threshold: Pairs at or above this match probability merge into one person. With
            the person check below splitting candidate people whose records disagree, 0.2
            gave the best pairwise and B-cubed F1 of 0.1/0.2/0.5 on both simulated presets and
            three seeds (bench/RESULTS-linkage.md). A pair scored between 0.2 and 0.5 is on its
            own only about one person in two (the calibration table there): raise the
            threshold where a false merge costs more than a missed link.
        check_people: After connected components, score every pair inside each candidate
            person of three or more records and split it by average linkage where its records
            do not, on average, match (:mod:`sijill.linkage.split`): a sparse record that
            matches two different namesakes no longer chains them into one person.
        review_low: Lower end of the review band (pairs to show a person).
        review_high: Upper end of the review band.
        pair_floor: Pairs below this probability are not stored (except pairs inside a
            candidate person, kept so the person check gives the same people on re-clustering).
        backend: ``duckdb`` (default, embedded) or ``spark`` (the ``spark`` extra).
        memory_limit: The engine's memory limit (DuckDB syntax, e.g. ``4GB``).
        threads: Worker threads for the engine.
        max_candidate_pairs: A run whose blocking rules would propose more pairs than this is
            refused before scoring (about 40 million take a CPU-minute to block and score; 835
            million, on a 1-million-record list with a small name pool, did not finish in 35).
        version: Settings format version.
    """

    names: tuple[NameComparison, ...] = field(default_factory=_default_names)
    lineage: bool = True
    death_close_days: int = 30
    death_far_days: int = 365
    birth_tolerance_years: int = 2
    compare_governorate: bool = True
    compare_place: bool = True
    compare_sex: bool = True
    extra_columns: tuple[str, ...] = ()
    blocking_rules: tuple[tuple[str, ...], ...] = field(default_factory=_default_blocking)
    training_rules: tuple[tuple[str, ...], ...] = field(default_factory=_default_training)
    anchor_rules: tuple[tuple[str, ...], ...] = field(default_factory=_default_anchors)
    anchor_limit: int = 50_000
    u_max_pairs: float = 2e6
    seed: int = 1
    prior_match_probability: float | None = None
    m_floor: float = 0.002
    threshold: float = 0.2
    check_people: bool = True
    review_low: float = 0.1
    review_high: float = 0.6
    pair_floor: float = 0.05
    backend: str = "duckdb"
    memory_limit: str = "4GB"
    threads: int = 2
    max_candidate_pairs: int = 250_000_000
    version: int = SETTINGS_VERSION

    def __post_init__(self) -> None:
        for rules, what in (
            (self.blocking_rules, "blocking"),
            (self.training_rules, "training"),
            (self.anchor_rules, "anchor"),
        ):
            if not rules and what != "anchor":
                raise InputError(f"linkage settings need at least one {what} rule")
            allowed = BLOCKING_COLUMNS | {f"x_{c}" for c in self.extra_columns}
            for rule in rules:
                unknown = [c for c in rule if c not in allowed]
                if not rule or unknown:
                    raise InputError(
                        f"{what} rule {list(rule)} uses unknown column(s) {unknown}",
                        hint=f"use columns from: {', '.join(sorted(BLOCKING_COLUMNS))}",
                    )
        if not 0 <= self.pair_floor <= self.review_low <= self.review_high <= 1:
            raise InputError(
                "linkage settings need 0 <= pair_floor <= review_low <= review_high <= 1",
                hint="e.g. pair_floor 0.05, review band 0.1 to 0.6",
            )
        if not self.pair_floor <= self.threshold < 1:
            raise InputError("the clustering threshold must lie in [pair_floor, 1)")
        if self.backend not in ("duckdb", "spark"):
            raise InputError(
                f"unknown linkage backend {self.backend!r}", hint="use duckdb or spark"
            )
        if self.version != SETTINGS_VERSION:
            raise InputError(
                f"linkage settings version {self.version} is not supported",
                hint=f"this Sijill reads version {SETTINGS_VERSION}",
            )
        if self.prior_match_probability is not None and not 0 < self.prior_match_probability < 1:
            raise InputError("prior_match_probability must lie in (0, 1) or be null")
        if not 0 < self.m_floor < 0.1:
            raise InputError("m_floor must lie in (0, 0.1)", hint="the default is 0.002")
        if self.max_candidate_pairs < 1:
            raise InputError("max_candidate_pairs must be at least 1")
        if self.threads < 1 or self.u_max_pairs < 1000:
            raise InputError("linkage settings need threads >= 1 and u_max_pairs >= 1000")

    def name_comparison(self, part: str) -> NameComparison | None:
        """The comparison configured for a name part, if any."""
        return next((n for n in self.names if n.part == part), None)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (lists instead of tuples)."""
        data = asdict(self)
        data["names"] = [{**n, "jaro_winkler": list(n["jaro_winkler"])} for n in data["names"]]
        data["blocking_rules"] = [list(r) for r in self.blocking_rules]
        data["training_rules"] = [list(r) for r in self.training_rules]
        data["anchor_rules"] = [list(r) for r in self.anchor_rules]
        data["extra_columns"] = list(self.extra_columns)
        return data

    def to_json(self) -> str:
        """Canonical JSON (sorted keys), as stored with each run."""
        return json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LinkageSettings:
        """Read settings; keys left out keep their defaults, unknown keys are refused.

        Raises:
            InputError: An unknown key or an invalid value.
        """
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise InputError(
                f"unknown linkage setting(s): {', '.join(unknown)}",
                hint=f"known settings: {', '.join(sorted(known))}",
            )
        values = dict(data)
        try:
            if "names" in values:
                values["names"] = tuple(
                    NameComparison(
                        n["part"],
                        tuple(float(t) for t in n.get("jaro_winkler", (0.92, 0.8))),
                        bool(n.get("term_frequency", False)),
                        n.get("disagreement_m"),
                        int(n.get("prefix_letters", 0)),
                    )
                    for n in values["names"]
                )
            if "extra_columns" in values:
                values["extra_columns"] = tuple(str(c) for c in values["extra_columns"])
            for key in ("blocking_rules", "training_rules", "anchor_rules"):
                if key in values:
                    values[key] = tuple(tuple(str(c) for c in rule) for rule in values[key])
            return cls(**values)
        except (TypeError, KeyError, ValueError) as exc:
            raise InputError(
                f"linkage settings are malformed: {exc}",
                hint="start from `sijill link --json` output's settings and edit it",
            ) from None

    @classmethod
    def from_json(cls, text: str) -> LinkageSettings:
        """Parse JSON settings text (see :meth:`from_dict`)."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"linkage settings are not valid JSON: {exc}") from None
        if not isinstance(data, dict):
            raise InputError("linkage settings must be a JSON object")
        return cls.from_dict(data)

    @classmethod
    def from_file(cls, path: Path | str) -> LinkageSettings:
        """Read settings from a JSON file.

        Raises:
            NotFoundError: The file does not exist.
            InputError: The file is not valid settings.
        """
        p = Path(path)
        if not p.is_file():
            raise NotFoundError(f"no settings file {p}", hint="give the path of a JSON file")
        return cls.from_json(p.read_text("utf-8"))
