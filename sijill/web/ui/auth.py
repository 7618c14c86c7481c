"""Pages: sign in (password + TOTP), sign out, sign out everywhere, account and language."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sijill.services import web_auth
from sijill.web.deps import CtxDep, app_state
from sijill.web.render import render_page
from sijill.web.security import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    CsrfError,
    is_secure,
    new_token,
    set_cookie,
    tokens_match,
)

router = APIRouter(include_in_schema=False)


def _safe_next(target: str) -> str:
    """Only redirect within this site (no open redirect to another host)."""
    if target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/cases"


def _login_page(request: Request, error: str = "", status: int = 200, next_: str = "/") -> Response:
    token = new_token()
    response = render_page(
        request, "login.html", "en", status, login_csrf=token, error=error, next=_safe_next(next_)
    )
    state = app_state(request)
    set_cookie(
        response,
        LOGIN_CSRF_COOKIE,
        token,
        secure=is_secure(request, state.secure_cookies),
        max_age=3600,
    )
    return response


@router.get("/login", name="ui.auth:login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/cases") -> Response:
    """The sign-in form (user name, password, authenticator code)."""
    return _login_page(request, next_=next)


@router.post("/login", name="ui.auth:login_submit")
def login_submit(
    request: Request,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    code: Annotated[str, Form(max_length=16)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=500)] = "/cases",
) -> Response:
    """Check the credentials; on success start a brand-new session (never reuse a given id)."""
    if not tokens_match(request.cookies.get(LOGIN_CSRF_COOKIE), csrf_token):
        raise CsrfError("the sign-in form expired", hint="reload the sign-in page and try again")
    state = app_state(request)
    address = request.client.host if request.client else "unknown"
    wait = state.throttle.retry_after(address)
    if wait:
        message = f"too many failed sign-ins from this address: wait {wait} s before trying again"
        response = _login_page(request, message, 429, next)
        response.headers["Retry-After"] = str(wait)
        return response
    try:
        result = web_auth.login(
            state.workspace, state.key, username, password, code, policy=state.policy
        )
    except web_auth.LoginRefusedError as exc:
        if not exc.retry_after:
            state.throttle.record_failure(address)
        response = _login_page(request, exc.message, 403 if not exc.retry_after else 429, next)
        if exc.retry_after:
            response.headers["Retry-After"] = str(exc.retry_after)
        return response
    response = RedirectResponse(_safe_next(next), status_code=303)
    secure = is_secure(request, state.secure_cookies)
    set_cookie(
        response,
        SESSION_COOKIE,
        result.session_id,
        secure=secure,
        max_age=state.policy.session_hours * 3600,
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
    return response


@router.post("/logout", name="ui.auth:logout")
def logout(ctx: CtxDep) -> Response:
    """End this session."""
    web_auth.logout(ctx.state.workspace, ctx.identity)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/logout/everywhere", name="ui.auth:logout_everywhere")
def logout_everywhere(ctx: CtxDep) -> Response:
    """End every session of this user, on every device."""
    with ctx.session() as s:
        web_auth.logout_everywhere(s)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/", name="ui.home")
def home(ctx: CtxDep) -> Response:
    """The start page is the list of cases."""
    return RedirectResponse("/cases", status_code=303)


@router.get("/account", name="ui.auth:account", response_class=HTMLResponse)
def account(ctx: CtxDep) -> Response:
    """The user's account: language, sessions."""
    return ctx.render("account.html")


@router.post("/account/language", name="ui.auth:language")
def set_language(
    ctx: CtxDep,
    language: Annotated[str, Form(max_length=8)],
    next: Annotated[str, Form(max_length=500)] = "/cases",
) -> Response:
    """Switch the interface language (kept per user)."""
    with ctx.session() as s:
        web_auth.set_language(s, language)
    return RedirectResponse(_safe_next(next), status_code=303)
