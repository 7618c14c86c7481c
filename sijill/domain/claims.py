"""Claims: what a source says, in a testimony passage, about an event, person or place."""

from __future__ import annotations

from dataclasses import dataclass

from sijill.domain.dates import UncertainDate
from sijill.domain.ranges import CountRange


@dataclass(frozen=True)
class ClaimValue:
    """A typed claim value: text (place, actor, method), a count range or an uncertain date."""

    text: str = ""
    count: CountRange | None = None
    date: UncertainDate | None = None
    place_pcode: str | None = None

    def __str__(self) -> str:
        if self.count is not None:
            return str(self.count)
        if self.date is not None:
            return str(self.date)
        return self.text


@dataclass(frozen=True)
class Claim:
    """A statement a source makes about a subject's attribute, with the basis of its knowledge."""

    id: int
    case_id: int
    testimony_id: int
    source_id: int
    subject: str  # e.g. "event:E-003", "place:white building", "person:12"
    attribute: str  # CLAIM_ATTRIBUTES code
    value: ClaimValue
    basis: str  # KNOWLEDGE_BASES code
    heard_from_source_id: int | None = None
    passage: str = ""  # a pointer into the testimony: quote or "§3" / "00:12:40"
    credibility: int | None = None  # 1–6
    testimony_version: int = 1
