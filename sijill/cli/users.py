"""Commands: users add/list/role."""

from __future__ import annotations

import typer

from sijill.cli.common import JSON_OPTION, console, print_json, print_table, session
from sijill.services import cases as service


def register(app: typer.Typer) -> None:
    """Add the `users` commands."""
    group = typer.Typer(help="Users and roles (admins).", no_args_is_help=True)
    app.add_typer(group, name="users")

    @group.command("add")
    def add(
        ctx: typer.Context,
        username: str,
        role: str = typer.Option(..., "--role", help="admin, investigator, analyst or reviewer."),
        display_name: str = typer.Option("", "--name"),
        case: list[str] = typer.Option(
            [], "--case", help="Make the user a member of this case (repeatable)."
        ),
    ) -> None:
        """Add a user with a role."""
        with session(ctx) as s:
            user = service.add_user(s, username, role, display_name)
            for code in case:
                service.add_member(s, code, username)
        console.print(f"User {user.username} ({user.role}) added.")

    @group.command("list")
    def list_(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
        """List users and roles."""
        with session(ctx) as s:
            found = service.list_users(s)
        if as_json:
            print_json(found)
        else:
            print_table(
                "Users",
                ["user", "role", "name"],
                [[u.username, u.role, u.display_name] for u in found],
            )

    @group.command("role")
    def role(ctx: typer.Context, username: str, new_role: str) -> None:
        """Change a user's role."""
        with session(ctx) as s:
            user = service.set_role(s, username, new_role)
        console.print(f"{user.username} is now {user.role}.")
