"""The `sijill` command line: thin commands over the services (no business logic here)."""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Any

import typer
import typer.main
from rich.text import Text

from sijill import __version__
from sijill.cli import common
from sijill.errors import SijillError

app = typer.Typer(
    name="sijill",
    help="Sijill (سِجِلّ): documentation, witness protection, record linkage and casualty estimation.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def root(
    ctx: typer.Context,
    workspace: Path | None = typer.Option(
        None,
        "--workspace",
        "-w",
        help="Workspace folder (default: $SIJILL_WORKSPACE, else the current directory).",
    ),
    user: str | None = typer.Option(
        None, "--user", help="Act as this Sijill user (default: $SIJILL_USER, else the OS user)."
    ),
    passphrase_file: Path | None = typer.Option(
        None,
        "--passphrase-file",
        help="Read the workspace passphrase from this file (see SIJILL_PASSPHRASE).",
    ),
    key_file: Path | None = typer.Option(
        None, "--key-file", help="Unlock with this key file instead of the passphrase."
    ),
) -> None:
    """Sijill: every command acts on one workspace and is one transaction."""
    ctx.obj = common.Context(workspace, user, passphrase_file, key_file)


def _register() -> None:
    """Add every command module of this package (each defines `register(app)`), in name order.

    Discovery keeps feature teams from editing one shared list; a module that fails to import
    is a bug and fails loudly here.
    """
    import importlib
    import pkgutil

    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name in ("common",) or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "register", None)
        if callable(register):
            register(app)


_register()


@functools.cache
def _command() -> Any:  # Typer's vendored Click command (its type is not public)
    """The Click command tree, built once per process (Typer rebuilds it on every call)."""
    return typer.main.get_command(app)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; expected errors print a clear message (never a traceback) and exit non-zero."""
    try:
        result = _command().main(args=argv, prog_name="sijill", standalone_mode=False)
    except SijillError as exc:
        # User-supplied text (file names, values) is printed literally, never as Rich markup.
        common.err_console.print(
            Text.assemble(("Error: ", "bold red"), exc.message), highlight=False
        )
        if exc.hint:
            common.err_console.print(Text.assemble(("Hint: ", "yellow"), exc.hint), highlight=False)
        return exc.exit_code
    except typer.Abort:
        common.err_console.print("Aborted.")
        return 130
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except typer.TyperException as exc:  # usage errors: missing or bad options
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            common.err_console.print(Text(str(exc)))
        return int(getattr(exc, "exit_code", 2))
    return result if isinstance(result, int) else 0


def entry_point() -> None:
    """Console-script entry point."""
    sys.exit(main())


__all__ = ["__version__", "app", "main"]
