"""Events (violations with uncertain dates, places and counts) and involvements of people in them."""

from __future__ import annotations

from dataclasses import dataclass

from sijill.domain.dates import UncertainDate
from sijill.domain.ranges import CountRange


@dataclass(frozen=True)
class Event:
    """A violation: type, place, uncertain date, number of victims as a range, perpetrators."""

    id: int
    case_id: int
    code: str
    violation_type: str
    title: str
    date: UncertainDate
    governorate_pcode: str | None = None
    place_pcode: str | None = None
    place_text: str = ""
    count: CountRange | None = None
    perpetrators: tuple[str, ...] = ()
    parent_event_id: int | None = None  # chain of events: arrest → detention → death
    description: str = ""


@dataclass(frozen=True)
class Involvement:
    """A person's part in an event: victim, perpetrator or witness."""

    id: int
    person_id: int
    event_id: int
    role: str
    details: str = ""
