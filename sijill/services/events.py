"""Use cases for events, people and involvements."""

from __future__ import annotations

from sijill.domain.dates import UncertainDate, parse_uncertain_date
from sijill.domain.events import Event, Involvement
from sijill.domain.people import Person, PersonName
from sijill.domain.ranges import parse_count_range
from sijill.domain.vocabulary import INVOLVEMENT_ROLES, PERSON_KINDS, SEXES, VIOLATION_TYPES
from sijill.geo import gazetteer
from sijill.services.access import Permission
from sijill.services.session import Session
from sijill.store import events as store


def add_event(
    s: Session,
    case_id: int,
    *,
    violation_type: str,
    title: str,
    date: str = "",
    place: str = "",
    count: str = "",
    perpetrators: tuple[str, ...] = (),
    parent: str | None = None,
    description: str = "",
) -> Event:
    """Record an event; place names resolve against the gazetteer (Arabic or English)."""
    s.require(Permission.WRITE_CASE, case_id)
    vtype = VIOLATION_TYPES.get(violation_type).code
    when = parse_uncertain_date(date)
    gov = place_pcode = None
    if place.strip():
        found = gazetteer().resolve(place)
        place_pcode = found.pcode
        gov = found.pcode if found.level == "governorate" else found.governorate_pcode
    parent_id = store.get_event(s.conn, parent).id if parent else None
    event = store.add_event(
        s.conn,
        Event(
            0,
            case_id,
            "",
            vtype,
            title,
            when,
            gov,
            place_pcode,
            place,
            parse_count_range(count),
            tuple(perpetrators),
            parent_id,
            description,
        ),
    )
    s.audit("event.create", f"event:{event.code}", type=vtype)
    return event


def list_events(s: Session, case_id: int) -> list[Event]:
    """A case's events by date."""
    s.require(Permission.READ_CASE, case_id)
    return store.list_events(s.conn, case_id)


def get_event(s: Session, event: str | int) -> Event:
    """One event."""
    found = store.get_event(s.conn, event)
    s.require(Permission.READ_CASE, found.case_id, f"event:{found.code}")
    return found


def add_person(
    s: Session,
    case_id: int,
    *,
    kind: str = "victim",
    name_ar: PersonName | None = None,
    name_latin: PersonName | None = None,
    sex: str = "unknown",
    birth: str = "",
    origin: str = "",
    notes: str = "",
) -> Person:
    """Record a victim, perpetrator or other person."""
    s.require(Permission.WRITE_CASE, case_id)
    origin_pcode = gazetteer().resolve(origin).pcode if origin.strip() else None
    person = store.add_person(
        s.conn,
        Person(
            0,
            case_id,
            PERSON_KINDS.get(kind).code,
            name_ar or PersonName(),
            name_latin or PersonName(),
            SEXES.get(sex).code,
            parse_uncertain_date(birth) if birth else UncertainDate.unknown(),
            origin_pcode,
            (),
            notes,
        ),
    )
    s.audit("person.create", f"person:{person.id}", kind=person.kind)
    return person


def list_people(s: Session, case_id: int) -> list[Person]:
    """A case's people."""
    s.require(Permission.READ_CASE, case_id)
    return store.list_people(s.conn, case_id)


def get_person(s: Session, person_id: int) -> Person:
    """One person."""
    person = store.get_person(s.conn, person_id)
    if person.case_id is not None:
        s.require(Permission.READ_CASE, person.case_id, f"person:{person.id}")
    return person


def involve(
    s: Session, person_id: int, event: str | int, role: str, details: str = ""
) -> Involvement:
    """Link a person to an event as victim, perpetrator or witness."""
    found = store.get_event(s.conn, event)
    s.require(Permission.WRITE_CASE, found.case_id, f"event:{found.code}")
    store.get_person(s.conn, person_id)
    inv = store.add_involvement(
        s.conn, person_id, found.id, INVOLVEMENT_ROLES.get(role).code, details
    )
    s.audit("involvement.create", f"event:{found.code}", person=person_id, role=inv.role)
    return inv


def list_involvements(s: Session, event: str | int) -> list[Involvement]:
    """Who took part in an event, and how."""
    found = get_event(s, event)
    return store.list_involvements(s.conn, event_id=found.id)
