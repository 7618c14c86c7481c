"""How expected errors reach the browser: a page (or JSON under /api) with the right status."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response

from sijill.errors import (
    IntegrityError,
    LockedError,
    NotFoundError,
    PermissionDeniedError,
    SijillError,
)
from sijill.web.deps import LoginRequiredError
from sijill.web.render import render_page


def status_for(exc: SijillError) -> int:
    """The HTTP status of an expected error."""
    if isinstance(exc, LoginRequiredError):
        return 401
    if isinstance(exc, PermissionDeniedError):
        return 403
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, IntegrityError):
        return 409
    if isinstance(exc, LockedError):
        return 503
    return 400


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _page(request: Request, status: int, message: str, hint: str | None) -> Response:
    identity = getattr(request.state, "identity", None)
    language = identity.language if identity is not None else "en"
    return render_page(
        request,
        "error.html",
        language,
        status,
        identity=identity,
        status=status,
        message=message,
        hint=hint or "",
    )


async def sijill_error(request: Request, exc: Exception) -> Response:
    """Render a SijillError: its message and hint, never a traceback."""
    assert isinstance(exc, SijillError)
    status = status_for(exc)
    if _is_api(request):
        headers = {"WWW-Authenticate": "Cookie"} if status == 401 else None
        return JSONResponse(
            {"error": exc.message, "hint": exc.hint}, status_code=status, headers=headers
        )
    if isinstance(exc, LoginRequiredError):
        target = request.url.path if request.method == "GET" else "/"
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
    return _page(request, status, exc.message, exc.hint)


async def validation_error(request: Request, exc: Exception) -> Response:
    """A form or query that does not fit the route: 422 JSON for the API, a page otherwise."""
    assert isinstance(exc, RequestValidationError)
    if _is_api(request):
        detail = [{k: e.get(k) for k in ("type", "loc", "msg")} for e in exc.errors()]
        return JSONResponse({"error": "invalid request", "detail": detail}, status_code=422)
    fields = ", ".join(str(e.get("loc", ["?"])[-1]) for e in exc.errors())
    return _page(request, 422, f"the form is missing or has invalid fields: {fields}", None)


def install(app: FastAPI) -> None:
    """Register the handlers on `app`."""
    app.add_exception_handler(SijillError, sijill_error)
    app.add_exception_handler(RequestValidationError, validation_error)
