"""Interviews and testimonies (versioned: an edit adds a version) and consent per use."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sijill.domain.dates import UncertainDate


@dataclass(frozen=True)
class TestimonyVersion:
    """One version of a testimony's content; old versions stay readable forever."""

    version: int
    interview_date: UncertainDate
    language: str
    summary: str
    transcript: str = ""
    place: str = ""
    interviewer: str = ""
    attachments: tuple[str, ...] = field(default_factory=tuple)
    edited_by: str = ""
    edited_at: datetime | None = None
    reason: str = ""
    sensitive: bool = False  # the transcript is sealed at rest; only cleared readers see it


@dataclass(frozen=True)
class Testimony:
    """An interview with a source, with its current version."""

    id: int
    case_id: int
    source_id: int
    code: str
    current: TestimonyVersion
    withdrawn_at: datetime | None = None


@dataclass(frozen=True)
class Consent:
    """A source's informed consent to one use (scope), until withdrawn."""

    id: int
    source_id: int
    scope: str
    given_on: date
    withdrawn_on: date | None = None
    note: str = ""

    def active_on(self, day: date) -> bool:
        """Whether this consent covers `day`."""
        return self.given_on <= day and (self.withdrawn_on is None or day < self.withdrawn_on)
