"""Per-request context: the signed-in user, CSRF checks, a service session, page rendering."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse

from sijill.errors import SijillError
from sijill.services import web_auth
from sijill.services.session import Session, open_session
from sijill.web.render import render_page
from sijill.web.security import SAFE_METHODS, SESSION_COOKIE, CsrfError, submitted_csrf
from sijill.web.state import AppState


class LoginRequiredError(SijillError):
    """The request has no valid session: pages redirect to sign-in, the API answers 401."""


def app_state(request: Request) -> AppState:
    """The app's shared state."""
    state: AppState = request.app.state.sijill
    return state


@dataclass
class Ctx:
    """What a route handler gets: the request, who is signed in, and how to act as them."""

    request: Request
    state: AppState
    identity: web_auth.WebIdentity

    @property
    def language(self) -> str:
        """The user's interface language."""
        return self.identity.language

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One service transaction as the signed-in user (the services check every right)."""
        with open_session(self.state.workspace, self.identity.username, key=self.state.key) as s:
            yield s

    def render(self, template: str, status_code: int = 200, **data: Any) -> HTMLResponse:
        """A full page in the user's language."""
        return render_page(
            self.request, template, self.language, status_code, identity=self.identity, **data
        )


async def current(request: Request) -> Ctx:
    """The signed-in user's context; refuses anonymous requests and, for writes, a bad CSRF token.

    Every route except sign-in, health and static files depends on this (a test checks it).
    """
    state = app_state(request)
    session_id = request.cookies.get(SESSION_COOKIE, "")
    identity = web_auth.identify(state.workspace, session_id, policy=state.policy)
    if identity is None:
        raise LoginRequiredError("please sign in")
    if request.method not in SAFE_METHODS and not web_auth.csrf_matches(
        identity, await submitted_csrf(request)
    ):
        raise CsrfError(
            "this form has expired or did not come from Sijill (CSRF token missing or wrong)",
            hint="reload the page and submit it again",
        )
    request.state.identity = identity
    return Ctx(request, state, identity)


CtxDep = Annotated[Ctx, Depends(current)]
