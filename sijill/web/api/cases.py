"""JSON API: cases, and who is signed in."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.encoders import jsonable_encoder

from sijill.services import cases
from sijill.web.api.models import CaseIn
from sijill.web.deps import CtxDep

router = APIRouter(prefix="/api", tags=["cases"])


@router.get("/me", name="api.me")
def me(ctx: CtxDep) -> dict[str, str]:
    """The signed-in user, and the CSRF token to send as X-CSRF-Token with every POST."""
    ident = ctx.identity
    return {
        "username": ident.username,
        "role": ident.role,
        "language": ident.language,
        "csrf_token": ident.csrf_token,
    }


@router.get("/cases", name="api.cases:list")
def list_cases(ctx: CtxDep) -> list[dict[str, Any]]:
    """Cases the user may read."""
    with ctx.session() as s:
        return jsonable_encoder(cases.list_cases(s))  # type: ignore[no-any-return]


@router.post("/cases", name="api.cases:create", status_code=201)
def create_case(ctx: CtxDep, body: CaseIn) -> dict[str, Any]:
    """Open a case (investigators and admins)."""
    with ctx.session() as s:
        return jsonable_encoder(cases.create_case(s, body.code, body.title, body.description))  # type: ignore[no-any-return]


@router.get("/cases/{case}", name="api.cases:show")
def show_case(ctx: CtxDep, case: str) -> dict[str, Any]:
    """One case."""
    with ctx.session() as s:
        return jsonable_encoder(cases.get_case(s, case))  # type: ignore[no-any-return]
