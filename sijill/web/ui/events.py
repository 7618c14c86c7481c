"""Pages: a case's events with uncertain dates, counts and places (governorate picker)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sijill.services import cases, events
from sijill.services.access import Permission
from sijill.web.deps import CtxDep

router = APIRouter(include_in_schema=False)

Short = Annotated[str, Form(max_length=300)]


@router.get("/cases/{case}/events", name="ui.events:list", response_class=HTMLResponse)
def list_events(ctx: CtxDep, case: str) -> Response:
    """A case's events by date, with the form to add one."""
    with ctx.session() as s:
        found = cases.get_case(s, case)
        items = events.list_events(s, found.id)
        can_write = s.can(Permission.WRITE_CASE, found.id)
    return ctx.render("events/list.html", case=found, events=items, can_write=can_write)


@router.post("/cases/{case}/events", name="ui.events:create")
def create_event(
    ctx: CtxDep,
    case: str,
    violation_type: Annotated[str, Form(max_length=64)],
    title: Short,
    date: Annotated[str, Form(max_length=100)] = "",
    governorate: Annotated[str, Form(max_length=16)] = "",
    place: Short = "",
    count: Annotated[str, Form(max_length=100)] = "",
    description: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    """Record an event; a typed place wins over the governorate picked from the list."""
    with ctx.session() as s:
        found = cases.get_case(s, case)
        events.add_event(
            s,
            found.id,
            violation_type=violation_type,
            title=title,
            date=date,
            place=place.strip() or governorate,
            count=count,
            description=description,
        )
    return RedirectResponse(f"/cases/{found.code}/events", status_code=303)
