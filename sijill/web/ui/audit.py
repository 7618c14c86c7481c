"""Page: the audit log (admins and reviewers)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from sijill.services import audit
from sijill.web.deps import CtxDep

router = APIRouter(include_in_schema=False)


@router.get("/audit", name="ui.audit:list", response_class=HTMLResponse)
def list_audit(ctx: CtxDep, limit: int = 500) -> Response:
    """The latest audit entries, newest first, with the chain's check."""
    with ctx.session() as s:
        entries = audit.list_entries(s, limit=max(1, min(limit, 5000)))
        check = audit.verify_audit(s)
    return ctx.render("audit/list.html", entries=list(reversed(entries)), check=check)
