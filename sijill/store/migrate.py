"""Schema migrations with Alembic: upgrade, current revision, and the newer-than-code check."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from sijill.errors import WorkspaceError

MIGRATIONS = Path(__file__).parent / "migrations"


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def code_head() -> str:
    """The newest schema revision this code knows."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The database's schema revision, or None when it has none."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def check_schema(engine: Engine) -> None:
    """Refuse a database whose schema is older or newer than this code (with what to do)."""
    rev = current_revision(engine)
    head = code_head()
    if rev == head:
        return
    known = {s.revision for s in ScriptDirectory.from_config(_config()).walk_revisions()}
    if rev is None:
        raise WorkspaceError(
            "the database has no Sijill schema", hint="run `sijill init` or `sijill db upgrade`"
        )
    if rev not in known:
        raise WorkspaceError(
            f"the database is at schema revision {rev}, newer than this Sijill knows ({head})",
            hint="upgrade Sijill to the version that wrote this workspace; nothing was changed",
        )
    raise WorkspaceError(
        f"the database is at an older schema revision ({rev}; this Sijill needs {head})",
        hint="run `sijill db upgrade` (make a `sijill backup` first)",
    )


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply all migrations up to `revision` in one transaction."""
    rev = current_revision(engine)
    known = {s.revision for s in ScriptDirectory.from_config(_config()).walk_revisions()}
    if rev is not None and rev not in known:
        raise WorkspaceError(
            f"the database is at schema revision {rev}, newer than this Sijill knows",
            hint="upgrade Sijill; nothing was changed",
        )
    with engine.begin() as conn:
        command.upgrade(_config(conn), revision)
