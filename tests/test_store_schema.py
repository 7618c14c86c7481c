"""The schema: migrations match the tables, SQLite runs with safe pragmas, newer schemas are refused."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from sijill.errors import WorkspaceError
from sijill.store import migrate
from sijill.store.schema import metadata
from sijill.workspace import Workspace, open_workspace


def test_migrations_produce_exactly_the_declared_schema(workspace: Workspace) -> None:
    with workspace.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_sqlite_pragmas_keep_commits_durable(workspace: Workspace) -> None:
    if not workspace.settings.is_sqlite:
        pytest.skip("SQLite only")
    with workspace.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 10000


def test_a_newer_schema_is_refused_with_a_clear_error(workspace: Workspace) -> None:
    with workspace.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(WorkspaceError, match="newer than this Sijill knows"):
        open_workspace(workspace.root)
    with pytest.raises(WorkspaceError, match="newer"):
        migrate.upgrade(workspace.engine)


def test_a_folder_that_is_no_workspace_is_a_clear_error(tmp_path: object) -> None:
    with pytest.raises(WorkspaceError, match="not a Sijill workspace"):
        open_workspace(str(tmp_path))
