"""What every command shares: the workspace and user options, sessions, JSON output, the key."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, is_dataclass
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from sijill.errors import LockedError
from sijill.services.session import Session, open_session
from sijill.vault.keys import WorkspaceKey
from sijill.vault.unlock import read_passphrase
from sijill.workspace import Workspace, open_workspace

console = Console()
err_console = Console(stderr=True, soft_wrap=True)


@dataclass
class Context:
    """Global options, set by the root callback."""

    workspace: Path | None = None
    user: str | None = None
    passphrase_file: Path | None = None
    key_file: Path | None = None


def ctx_obj(ctx: typer.Context) -> Context:
    """The global options of this invocation."""
    root = ctx.find_root()
    if not isinstance(root.obj, Context):
        root.obj = Context()
    return root.obj


def passphrase(opts: Context, *, confirm: bool = False, prompt: str = "Passphrase") -> str:
    """The passphrase from --passphrase-file, SIJILL_PASSPHRASE, or a hidden prompt."""
    value = read_passphrase(os.environ, opts.passphrase_file)
    if value is not None:
        return value
    if not os.isatty(0):
        raise LockedError(
            "this needs the workspace passphrase and there is no terminal to ask on",
            hint="give --passphrase-file FILE or set SIJILL_PASSPHRASE",
        )
    return str(typer.prompt(prompt, hide_input=True, confirmation_prompt=confirm))


def key_provider(workspace: Workspace, opts: Context) -> Any:
    """A function that unlocks the workspace key when a command first needs it."""

    def provide() -> WorkspaceKey:
        from sijill.services.keys import unlock_workspace
        from sijill.services.unlock_agent import agent_key
        from sijill.vault.keys import Keyring

        keyring = Keyring.load(workspace.keyring_path)
        held = agent_key(workspace.settings.workspace_id, keyring.key_id)
        if held is not None:
            return held
        if opts.key_file is not None:
            from sijill.services.keys import unlock_with_key_file_at

            return unlock_with_key_file_at(workspace, opts.key_file)
        return unlock_workspace(workspace, passphrase(opts))

    return provide


@contextmanager
def session(ctx: typer.Context) -> Iterator[Session]:
    """Open the workspace and one transaction as the acting user."""
    opts = ctx_obj(ctx)
    workspace = open_workspace(opts.workspace)
    try:
        with open_session(workspace, opts.user, key_provider(workspace, opts)) as s:
            yield s
    finally:
        workspace.close()


def to_jsonable(value: Any) -> Any:
    """Dataclasses, dates, enums, paths and tuples as plain JSON values."""
    if is_dataclass(value) and not isinstance(value, type):
        return {k: to_jsonable(v) for k, v in asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [to_jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    return value


def print_json(value: Any) -> None:
    """Print one JSON document on stdout (UTF-8, not ASCII-escaped)."""
    typer.echo(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2))


def print_table(title: str, columns: list[str], rows: list[list[Any]]) -> None:
    """A Rich table on stdout."""
    table = Table(title=title)
    for col in columns:
        table.add_column(col)
    for row in rows:
        table.add_row(*["" if v is None else str(v) for v in row])
    console.print(table)


JSON_OPTION = typer.Option(False, "--json", help="Print JSON instead of a table.")
CASE_OPTION = typer.Option(None, "--case", help="Case code (optional when there is only one case).")


def parse_day(text: str | None) -> date | None:
    """An exact day given as YYYY-MM-DD; anything else is a clear error."""
    if not text:
        return None
    from sijill.errors import InputError

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{text!r} is not a day", hint="use YYYY-MM-DD, e.g. 2017-01-31") from None
