"""JSON API: evidence items and custody logs (uploads go through the page, multipart)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.encoders import jsonable_encoder

from sijill.services import cases, evidence
from sijill.web.api.models import CustodyIn
from sijill.web.deps import CtxDep
from sijill.web.lookups import evidence_in_case

router = APIRouter(prefix="/api/cases/{case}/evidence", tags=["evidence"])


@router.get("", name="api.evidence:list")
def list_evidence(ctx: CtxDep, case: str) -> list[dict[str, Any]]:
    """A case's evidence items with their SHA-256."""
    with ctx.session() as s:
        found = cases.get_case(s, case)
        return jsonable_encoder(evidence.list_evidence(s, found.id))  # type: ignore[no-any-return]


@router.get("/{code}/custody", name="api.evidence:custody")
def custody_log(ctx: CtxDep, case: str, code: str) -> list[dict[str, Any]]:
    """An item's chain of custody."""
    with ctx.session() as s:
        _, item = evidence_in_case(s, case, code)
        return jsonable_encoder(evidence.custody_log(s, item.id))  # type: ignore[no-any-return]


@router.post("/{code}/custody", name="api.evidence:log", status_code=201)
def log_custody(ctx: CtxDep, case: str, code: str, body: CustodyIn) -> list[dict[str, Any]]:
    """Record a custody step; returns the whole log."""
    with ctx.session() as s:
        _, item = evidence_in_case(s, case, code)
        evidence.log_custody(s, item.id, body.action, body.reason)
        return jsonable_encoder(evidence.custody_log(s, item.id))  # type: ignore[no-any-return]
