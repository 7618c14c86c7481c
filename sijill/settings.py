"""One settings object per workspace: where things live and which database to use."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from sijill.errors import WorkspaceError

WORKSPACE_FILE = "sijill.json"
WORKSPACE_ENV = "SIJILL_WORKSPACE"
DATABASE_ENV = "SIJILL_DATABASE_URL"


@dataclass(frozen=True)
class Settings:
    """Paths and database URL of one workspace (a folder holding `sijill.json`)."""

    root: Path
    workspace_id: str
    database_url: str

    @property
    def database_path(self) -> Path:
        """The embedded SQLite file (used when no PostgreSQL URL is configured)."""
        return self.root / "sijill.db"

    @property
    def evidence_dir(self) -> Path:
        """Originals of evidence files, content-addressed and read-only."""
        return self.root / "evidence" / "originals"

    @property
    def working_dir(self) -> Path:
        """Working copies of evidence (never the originals)."""
        return self.root / "evidence" / "working"

    @property
    def keys_dir(self) -> Path:
        """The keyring (wrapped workspace key) and audit-signing key."""
        return self.root / "keys"

    @property
    def reports_dir(self) -> Path:
        """Generated reports."""
        return self.root / "reports"

    @property
    def logs_dir(self) -> Path:
        """Operational logs (never protected plaintext)."""
        return self.root / "logs"

    @property
    def is_sqlite(self) -> bool:
        """Whether the store is the embedded SQLite file."""
        return self.database_url.startswith("sqlite")


def default_database_url(root: Path) -> str:
    """The embedded default: a SQLite file inside the workspace."""
    return f"sqlite:///{(root / 'sijill.db').resolve()}"


def find_workspace_root(explicit: str | Path | None = None) -> Path:
    """The workspace named by --workspace, else SIJILL_WORKSPACE, else the current directory."""
    chosen = explicit or os.environ.get(WORKSPACE_ENV) or Path.cwd()
    return Path(chosen).expanduser().resolve()


def load_settings(root: Path) -> Settings:
    """Read a workspace's settings; a folder that is not a workspace is a clear error."""
    marker = root / WORKSPACE_FILE
    if not marker.is_file():
        raise WorkspaceError(
            f"{root} is not a Sijill workspace (no {WORKSPACE_FILE})",
            hint=f"run `sijill init {root}`, or point --workspace / {WORKSPACE_ENV} at a workspace",
        )
    try:
        data = json.loads(marker.read_text("utf-8"))
        workspace_id = str(data["workspace_id"])
    except (ValueError, KeyError) as exc:
        raise WorkspaceError(f"{marker} is damaged ({exc})") from None
    url = os.environ.get(DATABASE_ENV) or data.get("database_url") or default_database_url(root)
    return Settings(root=root, workspace_id=workspace_id, database_url=url)
