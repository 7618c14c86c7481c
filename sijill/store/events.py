"""Events, people and their involvements."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from sijill.domain.events import Event, Involvement
from sijill.domain.people import NAME_PARTS, Person, PersonName
from sijill.domain.ranges import CountRange
from sijill.errors import NotFoundError
from sijill.store.codes import allocate_code
from sijill.store.rows import date_columns, insert_id, read_date
from sijill.store.schema import events, involvements, people


def _event(row: Any) -> Event:
    count = CountRange(row.count_min, row.count_max) if row.count_min is not None else None
    return Event(
        row.id,
        row.case_id,
        row.code,
        row.violation_type,
        row.title,
        read_date(row, "date"),
        row.governorate_pcode,
        row.place_pcode,
        row.place_text,
        count,
        tuple(row.perpetrators or ()),
        row.parent_event_id,
        row.description,
    )


def add_event(conn: Connection, event: Event) -> Event:
    """Insert an event (its id and code are assigned here when empty)."""
    code = event.code or allocate_code(conn, "E", events.c.code)
    eid = insert_id(
        conn,
        insert(events).values(
            case_id=event.case_id,
            code=code,
            violation_type=event.violation_type,
            title=event.title,
            description=event.description,
            **date_columns("date", event.date),
            governorate_pcode=event.governorate_pcode,
            place_pcode=event.place_pcode,
            place_text=event.place_text,
            count_min=event.count.minimum if event.count else None,
            count_max=event.count.maximum if event.count else None,
            perpetrators=list(event.perpetrators),
            parent_event_id=event.parent_event_id,
            created_at=datetime.now(UTC),
        ),
    )
    return get_event(conn, int(eid))


def get_event(conn: Connection, event: int | str) -> Event:
    """An event by id or code."""
    cond = events.c.id == event if isinstance(event, int) else events.c.code == event
    row = conn.execute(select(events).where(cond)).first()
    if row is None:
        raise NotFoundError(f"no event {event!r}", hint="`sijill events list` shows them")
    return _event(row)


def list_events(conn: Connection, case_id: int | None = None) -> list[Event]:
    """Events ordered by earliest date."""
    query = select(events).order_by(events.c.date_earliest, events.c.id)
    if case_id is not None:
        query = query.where(events.c.case_id == case_id)
    return [_event(r) for r in conn.execute(query)]


def _name(row: Any, script: str) -> PersonName:
    return PersonName(**{part: getattr(row, f"{part}_{script}") for part in NAME_PARTS})


def _person(row: Any) -> Person:
    return Person(
        row.id,
        row.case_id,
        row.kind,
        _name(row, "ar"),
        _name(row, "latin"),
        row.sex,
        read_date(row, "birth"),
        row.origin_pcode,
        tuple(row.aliases or ()),
        row.notes,
    )


def add_person(conn: Connection, person: Person) -> Person:
    """Insert a person."""
    names = {
        f"{part}_{script}": getattr(name, part)
        for script, name in (("ar", person.name_ar), ("latin", person.name_latin))
        for part in NAME_PARTS
    }
    pid = insert_id(
        conn,
        insert(people).values(
            case_id=person.case_id,
            kind=person.kind,
            **names,
            aliases=list(person.aliases),
            sex=person.sex,
            **date_columns("birth", person.birth),
            origin_pcode=person.origin_pcode,
            notes=person.notes,
            created_at=datetime.now(UTC),
        ),
    )
    return get_person(conn, int(pid))


def get_person(conn: Connection, person_id: int) -> Person:
    """A person by id."""
    row = conn.execute(select(people).where(people.c.id == person_id)).first()
    if row is None:
        raise NotFoundError(f"no person #{person_id}", hint="`sijill people list` shows them")
    return _person(row)


def list_people(conn: Connection, case_id: int | None = None) -> list[Person]:
    """People by id."""
    query = select(people).order_by(people.c.id)
    if case_id is not None:
        query = query.where(people.c.case_id == case_id)
    return [_person(r) for r in conn.execute(query)]


def add_involvement(
    conn: Connection, person_id: int, event_id: int, role: str, details: str = ""
) -> Involvement:
    """Link a person to an event with a role."""
    iid = insert_id(
        conn,
        insert(involvements).values(
            person_id=person_id, event_id=event_id, role=role, details=details
        ),
    )
    return Involvement(int(iid), person_id, event_id, role, details)


def list_involvements(
    conn: Connection, event_id: int | None = None, person_id: int | None = None
) -> list[Involvement]:
    """Involvements of an event or a person."""
    query = select(involvements).order_by(involvements.c.id)
    if event_id is not None:
        query = query.where(involvements.c.event_id == event_id)
    if person_id is not None:
        query = query.where(involvements.c.person_id == person_id)
    return [
        Involvement(r.id, r.person_id, r.event_id, r.role, r.details) for r in conn.execute(query)
    ]
