"""What a workspace holds, for `sijill info` and the web app's status page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from sijill.store import migrate, schema
from sijill.workspace import Workspace

_COUNTED = (
    "cases",
    "sources",
    "testimonies",
    "events",
    "people",
    "claims",
    "evidence_items",
    "victim_lists",
    "list_records",
    "users",
    "audit_log",
)


def workspace_info(workspace: Workspace) -> dict[str, Any]:
    """Location, database, schema revision and row counts (no protected content)."""
    url = workspace.engine.url.render_as_string(hide_password=True)
    info: dict[str, Any] = {
        "workspace": str(workspace.root),
        "workspace_id": workspace.settings.workspace_id,
        "database": url,
        "schema": migrate.current_revision(workspace.engine),
        "schema_expected": migrate.code_head(),
    }
    with workspace.engine.connect() as conn:
        for name in _COUNTED:
            table = schema.metadata.tables[name]
            info[name] = int(conn.execute(select(func.count()).select_from(table)).scalar_one())
    return info
