"""People (victims, perpetrators, others) with Arabic name chains in both scripts."""

from __future__ import annotations

from dataclasses import dataclass, field

from sijill.domain.dates import UncertainDate

NAME_PARTS = ("given", "father", "grandfather", "family", "mother")


@dataclass(frozen=True)
class PersonName:
    """A Syrian name chain: given, father's, grandfather's and family name, and the mother's name."""

    given: str = ""
    father: str = ""
    grandfather: str = ""
    family: str = ""
    mother: str = ""

    def full(self) -> str:
        """The chain as usually written (given, father, grandfather, family)."""
        return " ".join(p for p in (self.given, self.father, self.grandfather, self.family) if p)


@dataclass(frozen=True)
class Person:
    """A victim, perpetrator or other person (not a source: sources are protected separately)."""

    id: int
    case_id: int | None
    kind: str
    name_ar: PersonName
    name_latin: PersonName
    sex: str = "unknown"
    birth: UncertainDate = field(default_factory=UncertainDate.unknown)
    origin_pcode: str | None = None
    aliases: tuple[str, ...] = ()
    notes: str = ""

    def display_name(self) -> str:
        """A name for display: Latin if known, else Arabic."""
        return self.name_latin.full() or self.name_ar.full() or f"person {self.id}"
