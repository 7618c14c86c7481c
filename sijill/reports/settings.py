"""The settings that decide a report's content, stored in report.json to reproduce it."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ReportSettings:
    """Everything that decides a report's content; stored in report.json to reproduce it.

    Attributes:
        case: The case code.
        lang: ``en`` or ``ar``.
        scope: The consent scope the report is prepared for.
        consent_day: The day consent is judged on (ISO), so a later withdrawal shows on reproduce.
        methods: Estimation methods run on the linked lists.
        seed: Seed of every random step (estimators, testimony simulation).
        level: Interval coverage.
        linkage_run: The linkage run reported (the latest when the report was made).
        testimony_draws: Monte Carlo draws for testimony-derived ranges.
    """

    case: str
    lang: str = "en"
    scope: str = "public"
    consent_day: str = ""
    methods: tuple[str, ...] = ()
    seed: int = 0
    level: float = 0.95
    linkage_run: int | None = None
    testimony_draws: int = 100_000

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        data = dataclasses.asdict(self)
        data["methods"] = list(self.methods)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReportSettings:
        """Read settings back from report.json."""
        known = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["methods"] = tuple(values.get("methods", ()))
        return cls(**values)
