"""Pages: the cases the user may read, a case's overview, and opening a case."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sijill.services import cases as service
from sijill.services import events, evidence, sources, testimonies
from sijill.services.access import Permission
from sijill.web.deps import CtxDep

router = APIRouter(include_in_schema=False)


@router.get("/cases", name="ui.cases:list", response_class=HTMLResponse)
def list_cases(ctx: CtxDep) -> Response:
    """Every case the user may read."""
    with ctx.session() as s:
        found = service.list_cases(s)
        can_create = s.can(Permission.WRITE_CASE)
    return ctx.render("cases/list.html", cases=found, can_create=can_create)


@router.post("/cases", name="ui.cases:create")
def create_case(
    ctx: CtxDep,
    code: Annotated[str, Form(max_length=64)],
    title: Annotated[str, Form(max_length=300)],
    description: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    """Open a new case (investigators and admins)."""
    with ctx.session() as s:
        case = service.create_case(s, code, title, description)
    return RedirectResponse(f"/cases/{case.code}", status_code=303)


@router.get("/cases/{case}", name="ui.cases:show", response_class=HTMLResponse)
def show_case(ctx: CtxDep, case: str) -> Response:
    """A case's overview: counts of what it holds, and links to each part."""
    with ctx.session() as s:
        found = service.get_case(s, case)
        counts = {
            "sources": len(sources.list_sources(s, found.id)),
            "events": len(events.list_events(s, found.id)),
            "evidence": len(evidence.list_evidence(s, found.id)),
        }
        if s.can(Permission.READ_TESTIMONY, found.id):
            counts["testimonies"] = len(testimonies.list_testimonies(s, found.id))
    return ctx.render("cases/show.html", case=found, counts=counts)
