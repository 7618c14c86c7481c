"""Commands: cases add/list/show/add-member."""

from __future__ import annotations

import typer

from sijill.cli.common import JSON_OPTION, console, print_json, print_table, session
from sijill.services import cases as service


def register(app: typer.Typer) -> None:
    """Add the `cases` commands."""
    group = typer.Typer(help="Cases (investigations).", no_args_is_help=True)
    app.add_typer(group, name="cases")

    @group.command("add")
    def add(
        ctx: typer.Context,
        code: str = typer.Option(..., "--code", help="Short code, e.g. SAY."),
        title: str = typer.Option(..., "--title", help='e.g. "Saydnaya 2011–2016".'),
        description: str = typer.Option("", "--description"),
        as_json: bool = JSON_OPTION,
    ) -> None:
        """Open a new case."""
        with session(ctx) as s:
            case = service.create_case(s, code, title, description)
        print_json(case) if as_json else console.print(f"Case {case.code} created.")

    @group.command("list")
    def list_(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
        """List the cases you can read."""
        with session(ctx) as s:
            found = service.list_cases(s)
        if as_json:
            print_json(found)
        else:
            print_table(
                "Cases",
                ["code", "title", "members"],
                [[c.code, c.title, len(c.member_ids)] for c in found],
            )

    @group.command("show")
    def show(ctx: typer.Context, code: str, as_json: bool = JSON_OPTION) -> None:
        """Show one case."""
        with session(ctx) as s:
            case = service.get_case(s, code)
        print_json(case) if as_json else console.print(case)

    @group.command("add-member")
    def add_member(ctx: typer.Context, code: str, username: str) -> None:
        """Make a user a member of a case (admins)."""
        with session(ctx) as s:
            service.add_member(s, code, username)
        console.print(f"{username} is now a member of {code}.")
