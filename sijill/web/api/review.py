"""JSON API: the linkage review queue and decisions."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, ConfigDict

from sijill.services import linkage
from sijill.web.api.models import Reason
from sijill.web.deps import CtxDep

router = APIRouter(prefix="/api/review", tags=["linkage"])


class DecisionIn(BaseModel):
    """A reviewer's decision on a pair, with why."""

    model_config = ConfigDict(extra="forbid")
    decision: Literal["accept", "reject", "unsure"]
    reason: Reason


@router.get("", name="api.review:queue")
def review_queue(
    ctx: CtxDep, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> list[dict[str, Any]]:
    """Pairs waiting for a decision, most uncertain first."""
    with ctx.session() as s:
        return jsonable_encoder(linkage.review_queue(s, limit=limit))  # type: ignore[no-any-return]


@router.post("/{pair}", name="api.review:decide")
def decide(ctx: CtxDep, pair: str, body: DecisionIn) -> dict[str, Any]:
    """Record a decision (pair number, or two record ids as A:B); re-clusters at once."""
    with ctx.session() as s:
        return jsonable_encoder(linkage.decide(s, pair, body.decision, body.reason))  # type: ignore[no-any-return]
