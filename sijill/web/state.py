"""What the running web app holds: the workspace, its unlocked key, and the sign-in policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sijill.services.web_auth import AuthPolicy
from sijill.vault.keys import WorkspaceKey
from sijill.web.throttle import AddressThrottle
from sijill.workspace import Workspace

#: The largest upload accepted (evidence files, victim lists, capture-history tables).
MAX_UPLOAD_BYTES = 200 * 1024 * 1024


@dataclass
class AppState:
    """Shared by every request; the key stays in memory for the life of the server.

    Attributes:
        workspace: The opened workspace.
        key: The unlocked workspace key.
        policy: Sign-in settings.
        secure_cookies: Force the Secure flag and HSTS (None: only when the request is HTTPS).
        upload_dir: Where uploads wait between a preview and an import (inside the workspace).
        throttle: Failed sign-ins per client address (see `sijill.web.throttle`).
    """

    workspace: Workspace
    key: WorkspaceKey
    policy: AuthPolicy = field(default_factory=AuthPolicy)
    secure_cookies: bool | None = None
    upload_dir: Path | None = None
    throttle: AddressThrottle = field(default_factory=AddressThrottle)

    def uploads(self) -> Path:
        """The upload folder (created owner-only on first use)."""
        folder = self.upload_dir or self.workspace.settings.working_dir / "web-uploads"
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o700)
        return folder
