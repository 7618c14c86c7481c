"""Sources of information, the identity that must be protected, and relations between sources."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

IDENTITY_FIELDS = (
    "name_ar",
    "name_latin",
    "phone",
    "email",
    "address",
    "interview_location",
    "other_contact",
    "notes",
)


@dataclass(frozen=True)
class SourceIdentity:
    """Everything that identifies a source. Only the vault ever stores or returns it."""

    name_ar: str = ""
    name_latin: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    interview_location: str = ""
    other_contact: str = ""
    notes: str = ""

    def as_dict(self) -> dict[str, str]:
        """The non-empty identity fields."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}

    @classmethod
    def from_dict(cls, values: dict[str, str]) -> SourceIdentity:
        """Build from a mapping, ignoring empty values; unknown keys are an error."""
        unknown = set(values) - set(IDENTITY_FIELDS)
        if unknown:
            from sijill.errors import InputError

            raise InputError(
                f"unknown identity field(s): {', '.join(sorted(unknown))}",
                hint=f"identity fields are: {', '.join(IDENTITY_FIELDS)}",
            )
        return cls(**{k: v for k, v in values.items() if v})


@dataclass(frozen=True)
class Source:
    """Who or what information comes from, known to most users only by its code (e.g. W-017)."""

    id: int
    case_id: int
    code: str
    kind: str
    description: str = ""
    reliability: str | None = None  # A–F
    created_at: datetime | None = None


@dataclass(frozen=True)
class SourceRelation:
    """A relation between two sources that bears on their independence."""

    id: int
    from_source_id: int
    to_source_id: int
    kind: str
    note: str = ""
