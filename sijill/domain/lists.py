"""Victim lists from documentation organisations and their records, kept verbatim with provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sijill.domain.dates import UncertainDate

#: The parsed fields of a list record that linkage compares (names in either script).
RECORD_FIELDS = (
    "given",
    "father",
    "grandfather",
    "family",
    "mother",
    "full_name",
    "sex",
    "birth_earliest",
    "birth_latest",
    "death_earliest",
    "death_latest",
    "governorate_pcode",
    "place_text",
)


@dataclass(frozen=True)
class VictimList:
    """One imported list file: who it came from and exactly which bytes were read."""

    id: int
    name: str
    file_name: str
    file_sha256: str
    imported_at: datetime
    row_count: int
    organisation: str = ""
    id_column: str | None = None
    encoding: str = ""
    mapping: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ListRecord:
    """A row of a list: the raw row as received plus parsed, normalised fields."""

    id: int
    list_id: int
    row_number: int
    record_id: str
    raw: dict[str, str]
    given: str = ""
    father: str = ""
    grandfather: str = ""
    family: str = ""
    mother: str = ""
    full_name: str = ""
    sex: str = "unknown"
    birth: UncertainDate = field(default_factory=UncertainDate.unknown)
    death: UncertainDate = field(default_factory=UncertainDate.unknown)
    governorate_pcode: str | None = None
    place_text: str = ""
