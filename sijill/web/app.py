"""The app factory: one FastAPI app holding the unlocked key, with pages, API and static files."""

from __future__ import annotations

import importlib
import pkgutil
from importlib import resources
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.staticfiles import StaticFiles

from sijill import __version__
from sijill.services.web_auth import AuthPolicy
from sijill.vault.keys import WorkspaceKey
from sijill.web import errors
from sijill.web.security import add_security_headers, is_secure
from sijill.web.state import AppState
from sijill.workspace import Workspace

#: Routes reachable without signing in (a test enforces that every other route refuses).
PUBLIC_PATHS = frozenset({"/login", "/health", "/static"})


def _routers(package: str) -> list[APIRouter]:
    """The `router` of every module of a sub-package (ui or api), in name order."""
    found = []
    module = importlib.import_module(package)
    for info in sorted(pkgutil.iter_modules(module.__path__), key=lambda m: m.name):
        child = importlib.import_module(f"{package}.{info.name}")
        router = getattr(child, "router", None)
        if isinstance(router, APIRouter):
            found.append(router)
    return found


def create_app(
    workspace: Workspace,
    key: WorkspaceKey,
    *,
    policy: AuthPolicy | None = None,
    secure_cookies: bool | None = None,
    upload_dir: Path | None = None,
) -> FastAPI:
    """Build the web app for an opened workspace and its unlocked key.

    The key is held in memory for the life of the process; every request acts through the
    services as its signed-in user, so the same rights and audit apply as on the command line.

    Args:
        workspace: The opened workspace.
        key: The unlocked workspace key (`sijill serve` asks for the passphrase once).
        policy: Sign-in settings (hash cost, session lifetimes, failed-login schedule).
        secure_cookies: Force Secure cookies and HSTS on (True) or off (False); by default they
            follow the request's scheme (HTTPS behind a TLS proxy run with --proxy-headers).
        upload_dir: Where list uploads wait for their import (default: in the workspace).
    """
    app = FastAPI(
        title="Sijill",
        version=__version__,
        description=(
            "JSON API of a Sijill workspace. Authentication: sign in at /login (password and "
            "TOTP code) to get the session cookie; send the session's CSRF token (GET "
            "/api/me) in the X-CSRF-Token header with every POST."
        ),
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    state = AppState(workspace, key, policy or AuthPolicy(), secure_cookies, upload_dir)
    app.state.sijill = state
    app.middleware("http")(add_security_headers(lambda r: is_secure(r, state.secure_cookies)))
    errors.install(app)
    static = resources.files("sijill.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    @app.get("/health", name="health", include_in_schema=False)
    def health(request: Request) -> dict[str, str]:
        """Liveness for a process supervisor (says nothing about the workspace)."""
        return {"status": "ok"}

    for router in _routers("sijill.web.ui") + _routers("sijill.web.api"):
        app.include_router(router)
    return app
