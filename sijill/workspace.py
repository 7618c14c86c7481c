"""Creating and opening workspaces: a folder with settings, a database, evidence and keys."""

from __future__ import annotations

import getpass
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

from sqlalchemy import Engine, insert, inspect

from sijill.errors import WorkspaceError
from sijill.settings import (
    WORKSPACE_FILE,
    Settings,
    default_database_url,
    find_workspace_root,
    load_settings,
)
from sijill.store import migrate, schema
from sijill.vault.keys import KdfParams, Keyring, WorkspaceKey, create_keyring
from sijill.vault.signing import AuditSigner
from sijill.vault.unlock import unlock_with_backoff


@dataclass
class Workspace:
    """An opened workspace: its settings and a (lazily created) database engine."""

    settings: Settings
    _engine: Engine | None = field(default=None, repr=False)

    @cached_property
    def engine(self) -> Engine:
        """The database engine (created on first use)."""
        from sijill.store.engine import make_engine

        return make_engine(self.settings.database_url)

    @property
    def root(self) -> Path:
        """The workspace folder."""
        return self.settings.root

    @property
    def keyring_path(self) -> Path:
        """The keyring: the workspace key wrapped by the passphrase (never in clear)."""
        return self.settings.keys_dir / "keyring.json"

    def unlock(
        self, passphrase: str, *, sleep: Callable[[float], None] = time.sleep
    ) -> WorkspaceKey:
        """The workspace key, with growing delays after wrong passphrases."""
        if not self.keyring_path.is_file():
            raise WorkspaceError(f"the workspace keyring {self.keyring_path} is missing")
        return self.unlock_keyring(Keyring.load(self.keyring_path), passphrase, sleep=sleep)

    def unlock_keyring(
        self, keyring: Keyring, passphrase: str, *, sleep: Callable[[float], None] = time.sleep
    ) -> WorkspaceKey:
        """Unlock a given keyring of this workspace (the current or a pending one)."""
        failures = self.settings.keys_dir / "unlock-failures.json"
        return unlock_with_backoff(keyring, passphrase, failures, sleep=sleep)

    def close(self) -> None:
        """Release database connections."""
        if "engine" in self.__dict__:
            self.engine.dispose()


def init_workspace(
    path: str | Path,
    *,
    passphrase: str,
    database_url: str | None = None,
    admin: str | None = None,
    kdf: KdfParams | None = None,
) -> tuple[Workspace, WorkspaceKey]:
    """Create a workspace: folders, schema, keyring (locked by `passphrase`) and a first admin.

    The admin defaults to the operating-system user. Returns the workspace and its unlocked key.
    """
    root = Path(path).expanduser().resolve()
    if (root / WORKSPACE_FILE).exists():
        raise WorkspaceError(
            f"{root} is already a Sijill workspace", hint="use it, or choose another folder"
        )
    if root.exists() and any(root.iterdir()):
        raise WorkspaceError(
            f"{root} exists and is not empty", hint="give a new or empty folder to `sijill init`"
        )
    settings = Settings(root, uuid.uuid4().hex, database_url or default_database_url(root))
    for folder in (
        root,
        settings.evidence_dir,
        settings.working_dir,
        settings.keys_dir,
        settings.reports_dir,
        settings.logs_dir,
    ):
        folder.mkdir(parents=True, exist_ok=True)
    settings.keys_dir.chmod(0o700)
    workspace = Workspace(settings)
    if not settings.is_sqlite and inspect(workspace.engine).get_table_names():
        raise WorkspaceError(
            "the PostgreSQL database given already holds tables",
            hint="give an empty database to `sijill init --database-url`",
        )
    migrate.upgrade(workspace.engine)
    now = datetime.now(UTC)
    with workspace.engine.begin() as conn:
        conn.execute(
            insert(schema.workspace_meta),
            [
                {"key": "workspace_id", "value": settings.workspace_id},
                {"key": "created_at", "value": now.isoformat()},
            ],
        )
        conn.execute(
            insert(schema.users).values(
                username=admin or _os_user(),
                display_name="",
                role="admin",
                created_at=now,
                disabled=False,
                failed_logins=0,
                language="en",
            )
        )
    keyring, key = create_keyring(passphrase, workspace_id=settings.workspace_id, params=kdf)
    keyring.save(workspace.keyring_path)
    AuditSigner.generate().save(settings.keys_dir / "audit-signing.json", key)
    marker = {"workspace_id": settings.workspace_id, "created_at": now.isoformat()}
    if database_url and not settings.is_sqlite:
        marker["database_url"] = database_url
    (root / WORKSPACE_FILE).write_text(json.dumps(marker, indent=2) + "\n", "utf-8")
    return workspace, key


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "admin"


def open_workspace(path: str | Path | None = None, *, check_schema: bool = True) -> Workspace:
    """Open the workspace named by `path`, SIJILL_WORKSPACE or the current directory."""
    settings = load_settings(find_workspace_root(path))
    workspace = Workspace(settings)
    if check_schema:
        migrate.check_schema(workspace.engine)
    return workspace
