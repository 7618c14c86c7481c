"""JSON API: a case's sources (pseudonymous) and consents."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.encoders import jsonable_encoder

from sijill.domain.sources import SourceIdentity
from sijill.services import cases, sources, testimonies
from sijill.web.api.models import SourceIn
from sijill.web.deps import CtxDep
from sijill.web.lookups import source_in_case

router = APIRouter(prefix="/api/cases/{case}/sources", tags=["sources"])


@router.get("", name="api.sources:list")
def list_sources(ctx: CtxDep, case: str) -> list[dict[str, Any]]:
    """A case's sources by code; identities are never part of this list."""
    with ctx.session() as s:
        found = cases.get_case(s, case)
        return jsonable_encoder([v.source for v in sources.list_sources(s, found.id)])  # type: ignore[no-any-return]


@router.post("", name="api.sources:create", status_code=201)
def create_source(ctx: CtxDep, case: str, body: SourceIn) -> dict[str, Any]:
    """Register a source; an identity given is sealed by the vault."""
    identity = SourceIdentity(**body.identity.model_dump()) if body.identity else None
    with ctx.session() as s:
        found = cases.get_case(s, case)
        created = sources.add_source(
            s,
            found.id,
            body.kind,
            identity if identity is not None and identity.as_dict() else None,
            body.description,
            body.reliability or None,
        )
        return jsonable_encoder(created)  # type: ignore[no-any-return]


@router.get("/{code}", name="api.sources:show")
def show_source(ctx: CtxDep, case: str, code: str) -> dict[str, Any]:
    """One source with its consents (no identity: that takes a separate, audited request)."""
    with ctx.session() as s:
        _, source = source_in_case(s, case, code)
        consents = testimonies.list_consents(s, source.id)
        return jsonable_encoder({"source": source, "consents": consents})  # type: ignore[no-any-return]


@router.post("/{code}/identity", name="api.sources:identity")
def read_identity(ctx: CtxDep, case: str, code: str) -> dict[str, Any]:
    """The source's identity (cleared users only; audited). POST, so no cache or prefetch."""
    with ctx.session() as s:
        _, source = source_in_case(s, case, code)
        identity = sources.read_identity(s, source.id)
        return {"source": source.code, "identity": identity.as_dict() if identity else None}
