"""Use cases for encrypted backups of a workspace and verified restores."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from sijill.errors import WorkspaceError
from sijill.services.access import Permission
from sijill.services.session import KeyProvider, open_session
from sijill.vault.backup import BackupManifest, backup_workspace, restore_workspace
from sijill.vault.keys import WorkspaceKey
from sijill.workspace import Workspace


def backup(
    workspace: Workspace, destination: Path, username: str | None, key_provider: KeyProvider
) -> BackupManifest:
    """Write an encrypted, integrity-checked backup of the whole workspace folder (admins).

    SQLite's write-ahead log is checkpointed first so the database file is complete. A
    PostgreSQL workspace's database lives on the server: back it up there (pg_dump); this
    command refuses rather than pretend.
    """
    ws = workspace
    if not ws.settings.is_sqlite:
        raise WorkspaceError(
            "this workspace's database is on a PostgreSQL server; `sijill backup` covers SQLite workspaces",
            hint="back the server up with pg_dump, and this folder (evidence, keys) with `sijill backup` after "
            "switching to SQLite, or with your server's tools",
        )
    with open_session(ws, username, key_provider) as s:
        s.require(Permission.MANAGE_KEYS)
        key = s.key
        s.audit("backup", destination.name)
    with ws.engine.connect() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    ws.close()
    return backup_workspace(ws.root, destination, key, workspace_id=ws.settings.workspace_id)


def restore(workspace: Workspace, source: Path, key: WorkspaceKey) -> BackupManifest:
    """Verify a backup of THIS workspace completely, then replace the folder with it."""
    workspace.close()
    return restore_workspace(source, workspace.root, key, workspace.settings.workspace_id)
