"""Page: the linkage review queue — two records side by side, differences marked, a/r/u keys."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sijill.domain.lists import RECORD_FIELDS
from sijill.errors import NotFoundError
from sijill.services import linkage
from sijill.services.access import Permission
from sijill.web.deps import CtxDep

router = APIRouter(include_in_schema=False)

#: The fields shown side by side, in this order.
FIELDS = ("list", "record_id", "full_name", *(f for f in RECORD_FIELDS if f != "full_name"))


def side_by_side(a: dict[str, Any], b: dict[str, Any]) -> list[tuple[str, str, str, bool]]:
    """(field, value A, value B, differs) for every field either record fills."""
    rows = []
    for name in FIELDS:
        left, right = str(a.get(name, "") or ""), str(b.get(name, "") or "")
        if left or right:
            rows.append((name, left, right, left.strip().casefold() != right.strip().casefold()))
    return rows


@router.get("/review", name="ui.review:queue", response_class=HTMLResponse)
def review_queue(ctx: CtxDep, limit: int = 50) -> Response:
    """The pairs waiting for a decision, most uncertain first; the first one opened."""
    with ctx.session() as s:
        try:
            pairs = linkage.review_queue(s, limit=max(1, min(limit, 500)))
        except NotFoundError:
            pairs = None  # no linkage run yet
        can_decide = s.can(Permission.WORK_LISTS)
    first = pairs[0] if pairs else None
    rows = side_by_side(first.record_a, first.record_b) if first else []
    return ctx.render(
        "review/queue.html", pairs=pairs, first=first, rows=rows, can_decide=can_decide
    )


@router.post("/review/{pair}", name="ui.review:decide")
def decide(
    ctx: CtxDep,
    pair: str,
    decision: Annotated[str, Form(max_length=16)],
    reason: Annotated[str, Form(max_length=2000)],
) -> Response:
    """Accept, reject or mark unsure, with a reason; the run is re-clustered at once."""
    with ctx.session() as s:
        linkage.decide(s, pair, decision, reason)
    return RedirectResponse("/review", status_code=303)
