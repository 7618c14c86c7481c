"""JSON API: victim lists, their records, the audit log and corroboration reports."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.encoders import jsonable_encoder

from sijill.services import audit, cases, corroboration, lists
from sijill.web.deps import CtxDep

router = APIRouter(prefix="/api", tags=["lists"])


@router.get("/lists", name="api.lists:list")
def list_lists(ctx: CtxDep) -> list[dict[str, Any]]:
    """Every imported list with its provenance."""
    with ctx.session() as s:
        return jsonable_encoder(lists.list_lists(s))  # type: ignore[no-any-return]


@router.get("/lists/{name}/records", name="api.lists:records")
def list_records(
    ctx: CtxDep,
    name: str,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> list[dict[str, Any]]:
    """A list's records in file order."""
    with ctx.session() as s:
        return jsonable_encoder(lists.list_records(s, name, limit=limit, offset=offset))  # type: ignore[no-any-return]


@router.get("/audit", name="api.audit:list", tags=["audit"])
def list_audit(
    ctx: CtxDep, limit: Annotated[int, Query(ge=1, le=5000)] = 500
) -> list[dict[str, Any]]:
    """The latest audit entries (admins and reviewers)."""
    with ctx.session() as s:
        return jsonable_encoder(audit.list_entries(s, limit=limit))  # type: ignore[no-any-return]


@router.get("/cases/{case}/corroboration", name="api.corroboration:show", tags=["cases"])
def show_corroboration(
    ctx: CtxDep, case: str, min_independent: Annotated[int, Query(ge=1, le=10)] = 2
) -> dict[str, Any]:
    """A case's corroboration report (sources by code and grade only)."""
    with ctx.session() as s:
        found = cases.get_case(s, case)
        return jsonable_encoder(corroboration.corroborate(s, found.id, min_independent))  # type: ignore[no-any-return]
