"""Command: demo — build a synthetic Saydnaya-like workspace and print what it holds."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from sijill.cli.common import console, ctx_obj
from sijill.demo import DEMO_PASSPHRASE, build_demo
from sijill.vault.unlock import PASSPHRASE_ENV, read_passphrase


def register(app: typer.Typer) -> None:
    """Add the `demo` command."""

    @app.command()
    def demo(
        ctx: typer.Context,
        directory: Path = typer.Argument(
            Path("demo-workspace"), help="Folder to create (must be new or empty)."
        ),
    ) -> None:
        """Build a demo workspace with a fully synthetic case (no real person in it)."""
        supplied = read_passphrase(os.environ, ctx_obj(ctx).passphrase_file)
        passphrase = supplied or DEMO_PASSPHRASE
        builder = build_demo(directory, passphrase, admin="admin")
        console.print(f"Demo workspace: {builder.workspace.root}")
        for line in builder.lines:
            console.print(line, highlight=False)
        if supplied is None:
            console.print(
                f"\nIt is protected by the demo passphrase (set {PASSPHRASE_ENV} to choose one):"
            )
            console.print(
                f"  export {PASSPHRASE_ENV}='{DEMO_PASSPHRASE}'", highlight=False, markup=False
            )
        console.print(
            f"  export SIJILL_WORKSPACE={builder.workspace.root} SIJILL_USER=admin", highlight=False
        )
        console.print(
            "  sijill sources list --with-identity   # as admin; try --user sami (analyst)"
        )
