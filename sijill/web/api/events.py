"""JSON API: events with uncertain dates and places."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.encoders import jsonable_encoder

from sijill.services import cases, events
from sijill.web.api.models import EventIn
from sijill.web.deps import CtxDep

router = APIRouter(prefix="/api/cases/{case}/events", tags=["events"])


@router.get("", name="api.events:list")
def list_events(ctx: CtxDep, case: str) -> list[dict[str, Any]]:
    """A case's events by date."""
    with ctx.session() as s:
        found = cases.get_case(s, case)
        return jsonable_encoder(events.list_events(s, found.id))  # type: ignore[no-any-return]


@router.post("", name="api.events:create", status_code=201)
def create_event(ctx: CtxDep, case: str, body: EventIn) -> dict[str, Any]:
    """Record an event (place names in Arabic or English resolve to p-codes)."""
    with ctx.session() as s:
        found = cases.get_case(s, case)
        return jsonable_encoder(events.add_event(s, found.id, **body.model_dump()))  # type: ignore[no-any-return]
