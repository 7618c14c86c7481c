"""JSON API: testimonies and their versions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.encoders import jsonable_encoder

from sijill.errors import NotFoundError
from sijill.services import cases, sources, testimonies
from sijill.web.api.models import TestimonyEdit, TestimonyIn
from sijill.web.deps import CtxDep
from sijill.web.lookups import testimony_in_case

router = APIRouter(prefix="/api/cases/{case}/testimonies", tags=["testimonies"])


@router.get("", name="api.testimonies:list")
def list_testimonies(ctx: CtxDep, case: str) -> list[dict[str, Any]]:
    """A case's testimonies with their current version."""
    with ctx.session() as s:
        found = cases.get_case(s, case)
        return jsonable_encoder(testimonies.list_testimonies(s, found.id))  # type: ignore[no-any-return]


@router.post("", name="api.testimonies:create", status_code=201)
def create_testimony(ctx: CtxDep, case: str, body: TestimonyIn) -> dict[str, Any]:
    """Record an interview with a source of this case."""
    with ctx.session() as s:
        found = cases.get_case(s, case)
        src = sources.get_source(s, body.source)
        if src.case_id != found.id:
            raise NotFoundError(f"no source {body.source!r} in case {found.code}")
        created = testimonies.add_testimony(s, src.id, **body.model_dump(exclude={"source"}))
        return jsonable_encoder(created)  # type: ignore[no-any-return]


@router.get("/{code}", name="api.testimonies:show")
def show_testimony(ctx: CtxDep, case: str, code: str) -> dict[str, Any]:
    """A testimony with every version, oldest first."""
    with ctx.session() as s:
        _, found = testimony_in_case(s, case, code)
        versions = testimonies.testimony_versions(s, found.id)
        return jsonable_encoder({"testimony": found, "versions": versions})  # type: ignore[no-any-return]


@router.post("/{code}/versions", name="api.testimonies:edit", status_code=201)
def edit_testimony(ctx: CtxDep, case: str, code: str, body: TestimonyEdit) -> dict[str, Any]:
    """Edit a testimony: adds a version; earlier ones stay."""
    with ctx.session() as s:
        _, found = testimony_in_case(s, case, code)
        edited = testimonies.edit_testimony(s, found.id, **body.model_dump())
        return jsonable_encoder(edited)  # type: ignore[no-any-return]
