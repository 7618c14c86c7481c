"""Commands: events add/list/show, people add/list/show, involve."""

from __future__ import annotations

import typer

from sijill.cli.common import CASE_OPTION, JSON_OPTION, console, print_json, print_table, session
from sijill.domain.people import PersonName
from sijill.services import cases as case_service
from sijill.services import events as service


def _name(given: str, father: str, grandfather: str, family: str, mother: str) -> PersonName:
    return PersonName(given, father, grandfather, family, mother)


def register(app: typer.Typer) -> None:
    """Add the `events` and `people` commands."""
    events = typer.Typer(
        help="Events: violations with uncertain dates, places and counts.", no_args_is_help=True
    )
    people = typer.Typer(help="People: victims, perpetrators and others.", no_args_is_help=True)
    app.add_typer(events, name="events")
    app.add_typer(people, name="people")
    from sijill.cli.linkage import register_people_export  # `people export` (linkage)

    register_people_export(people)

    @events.command("add")
    def add_event(
        ctx: typer.Context,
        violation_type: str = typer.Option(
            ..., "--type", help="e.g. extrajudicial_execution, death_in_custody, torture."
        ),
        title: str = typer.Option(..., "--title"),
        case: str | None = CASE_OPTION,
        date: str = typer.Option(
            "", "--date", help="2013-05-14, 2013-05, 2013, 2012/2013, before 2014-03, 14/05/2013 …"
        ),
        place: str = typer.Option(
            "", "--place", help="Facility, governorate or district (Arabic or English)."
        ),
        count: str = typer.Option("", "--count", help="30, 20-50, about 30, at least 12."),
        perpetrator: list[str] = typer.Option(
            [], "--perpetrator", help="Unit or person (repeatable)."
        ),
        parent: str | None = typer.Option(
            None, "--parent", help="Earlier event in the chain (code)."
        ),
        description: str = typer.Option("", "--description"),
        as_json: bool = JSON_OPTION,
    ) -> None:
        """Record an event."""
        with session(ctx) as s:
            found = case_service.resolve_case(s, case)
            e = service.add_event(
                s,
                found.id,
                violation_type=violation_type,
                title=title,
                date=date,
                place=place,
                count=count,
                perpetrators=tuple(perpetrator),
                parent=parent,
                description=description,
            )
        print_json(e) if as_json else console.print(
            f"Event {e.code} recorded ({e.date.earliest} – {e.date.latest})."
        )

    @events.command("list")
    def list_events(
        ctx: typer.Context, case: str | None = CASE_OPTION, as_json: bool = JSON_OPTION
    ) -> None:
        """List a case's events by date."""
        with session(ctx) as s:
            found = service.list_events(s, case_service.resolve_case(s, case).id)
        if as_json:
            print_json(found)
        else:
            print_table(
                "Events",
                ["code", "type", "date", "place", "count", "title"],
                [
                    [e.code, e.violation_type, e.date, e.place_text, e.count or "", e.title]
                    for e in found
                ],
            )

    @events.command("show")
    def show_event(ctx: typer.Context, code: str, as_json: bool = JSON_OPTION) -> None:
        """Show one event and who was involved."""
        with session(ctx) as s:
            e = service.get_event(s, code)
            involved = service.list_involvements(s, code)
        print_json({"event": e, "involvements": involved}) if as_json else console.print(
            e, involved
        )

    @people.command("add")
    def add_person(
        ctx: typer.Context,
        case: str | None = CASE_OPTION,
        kind: str = typer.Option("victim", "--kind", help="victim, perpetrator, other."),
        given_ar: str = typer.Option("", "--given-ar"),
        father_ar: str = typer.Option("", "--father-ar"),
        grandfather_ar: str = typer.Option("", "--grandfather-ar"),
        family_ar: str = typer.Option("", "--family-ar"),
        mother_ar: str = typer.Option("", "--mother-ar"),
        given: str = typer.Option("", "--given"),
        father: str = typer.Option("", "--father"),
        grandfather: str = typer.Option("", "--grandfather"),
        family: str = typer.Option("", "--family"),
        mother: str = typer.Option("", "--mother"),
        sex: str = typer.Option("unknown", "--sex"),
        birth: str = typer.Option("", "--birth", help="Birth date or year (any precision)."),
        origin: str = typer.Option("", "--origin", help="Governorate or district of origin."),
        as_json: bool = JSON_OPTION,
    ) -> None:
        """Record a person with names in Arabic and/or Latin script."""
        with session(ctx) as s:
            found = case_service.resolve_case(s, case)
            p = service.add_person(
                s,
                found.id,
                kind=kind,
                name_ar=_name(given_ar, father_ar, grandfather_ar, family_ar, mother_ar),
                name_latin=_name(given, father, grandfather, family, mother),
                sex=sex,
                birth=birth,
                origin=origin,
            )
        print_json(p) if as_json else console.print(f"Person #{p.id} recorded: {p.display_name()}")

    @people.command("list")
    def list_people(
        ctx: typer.Context, case: str | None = CASE_OPTION, as_json: bool = JSON_OPTION
    ) -> None:
        """List a case's people."""
        with session(ctx) as s:
            found = service.list_people(s, case_service.resolve_case(s, case).id)
        if as_json:
            print_json(found)
        else:
            print_table(
                "People",
                ["id", "kind", "name", "الاسم", "sex", "birth"],
                [
                    [p.id, p.kind, p.name_latin.full(), p.name_ar.full(), p.sex, p.birth]
                    for p in found
                ],
            )

    @people.command("show")
    def show_person(ctx: typer.Context, person_id: int, as_json: bool = JSON_OPTION) -> None:
        """Show one person."""
        with session(ctx) as s:
            p = service.get_person(s, person_id)
        print_json(p) if as_json else console.print(p)

    @app.command("involve")
    def involve(
        ctx: typer.Context,
        person_id: int,
        event: str,
        role: str = typer.Option(
            "victim", "--role", help="victim, perpetrator, witness, intervening."
        ),
        details: str = typer.Option("", "--details"),
    ) -> None:
        """Link a person to an event with a role."""
        with session(ctx) as s:
            service.involve(s, person_id, event, role, details)
        console.print(f"Person #{person_id} → {event} as {role}.")
