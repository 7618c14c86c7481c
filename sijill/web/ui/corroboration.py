"""Page: a case's findings × sources, contested findings and contradictions."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from sijill.services import cases, corroboration
from sijill.web.deps import CtxDep

router = APIRouter(include_in_schema=False)


@router.get(
    "/cases/{case}/corroboration", name="ui.corroboration:show", response_class=HTMLResponse
)
def show_corroboration(ctx: CtxDep, case: str, min_independent: int = 2) -> Response:
    """The corroboration report of a case (sources by code and grade only)."""
    with ctx.session() as s:
        found = cases.get_case(s, case)
        report = corroboration.corroborate(s, found.id, max(1, min(min_independent, 10)))
    return ctx.render("corroboration/show.html", case=found, report=report)
