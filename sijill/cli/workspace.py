"""Commands: init, info, db upgrade."""

from __future__ import annotations

from pathlib import Path

import typer

from sijill import __version__
from sijill.cli.common import JSON_OPTION, console, ctx_obj, passphrase, print_json
from sijill.services.workspace_info import workspace_info
from sijill.store import migrate
from sijill.workspace import init_workspace, open_workspace


def register(app: typer.Typer) -> None:
    """Add the workspace commands."""
    db = typer.Typer(help="Database schema.", no_args_is_help=True)
    app.add_typer(db, name="db")

    @app.command()
    def init(
        ctx: typer.Context,
        directory: Path = typer.Argument(Path("."), help="Folder for the new workspace."),
        database_url: str | None = typer.Option(
            None,
            "--database-url",
            help="PostgreSQL URL for a team server (default: SQLite in the folder).",
        ),
        admin: str | None = typer.Option(
            None, "--admin", help="Name of the first admin user (default: OS user)."
        ),
    ) -> None:
        """Create a workspace: database, evidence store, and a keyring locked by a passphrase."""
        opts = ctx_obj(ctx)
        secret = passphrase(opts, confirm=True, prompt="New workspace passphrase")
        workspace, _ = init_workspace(
            directory, passphrase=secret, database_url=database_url, admin=admin
        )
        console.print(f"Created workspace {workspace.root} (schema {migrate.code_head()}).")
        workspace.close()

    @app.command()
    def info(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
        """Show the workspace: where it is, its schema, and how much it holds."""
        workspace = open_workspace(ctx_obj(ctx).workspace, check_schema=False)
        try:
            data = workspace_info(workspace)
        finally:
            workspace.close()
        if as_json:
            print_json(data)
            return
        console.print(f"Sijill {__version__}")
        for key, value in data.items():
            console.print(f"  {key}: {value}")

    @db.command("upgrade")
    def db_upgrade(ctx: typer.Context) -> None:
        """Apply pending schema migrations (make a backup first)."""
        workspace = open_workspace(ctx_obj(ctx).workspace, check_schema=False)
        try:
            before = migrate.current_revision(workspace.engine)
            migrate.upgrade(workspace.engine)
            console.print(f"Schema: {before} → {migrate.current_revision(workspace.engine)}")
        finally:
            workspace.close()
