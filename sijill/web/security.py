"""Security headers, cookie settings and the CSRF check every state-changing request passes."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable

from fastapi import Request, Response

from sijill.errors import PermissionDeniedError

SESSION_COOKIE = "sijill_session"
LOGIN_CSRF_COOKIE = "sijill_login_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class CsrfError(PermissionDeniedError):
    """A state-changing request without this session's CSRF token."""


def is_secure(request: Request, forced: bool | None) -> bool:
    """Whether cookies get the Secure flag and responses HSTS (forced, or the request is HTTPS)."""
    return forced if forced is not None else request.url.scheme == "https"


def add_security_headers(
    secure: Callable[[Request], bool],
) -> Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]]:
    """An HTTP middleware that sets the security headers on every response."""

    async def middleware(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        headers = response.headers
        # The API docs page loads its own scripts; everything else gets the strict policy.
        headers.setdefault("Content-Security-Policy", CSP)
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Referrer-Policy"] = "no-referrer"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if "cache-control" not in headers:
            headers["Cache-Control"] = "no-store"
        if secure(request):
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response

    return middleware


def set_cookie(response: Response, name: str, value: str, *, secure: bool, max_age: int) -> None:
    """A cookie only the server reads: HttpOnly, SameSite=Strict, Secure under TLS."""
    response.set_cookie(
        name, value, max_age=max_age, httponly=True, samesite="strict", secure=secure, path="/"
    )


def new_token() -> str:
    """A random token for CSRF or session ids."""
    return secrets.token_urlsafe(32)


def tokens_match(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison of two tokens (missing ones never match)."""
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))


async def submitted_csrf(request: Request) -> str | None:
    """The CSRF token of a request: the X-CSRF-Token header, else the form field."""
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None
