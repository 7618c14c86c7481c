"""Pages: evidence upload (hashed, kept as a read-only original) and each item's custody log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sijill.services import cases, evidence
from sijill.services.access import Permission
from sijill.web.deps import CtxDep
from sijill.web.lookups import evidence_in_case
from sijill.web.uploads import discard_upload, save_upload

router = APIRouter(include_in_schema=False)


@router.get("/cases/{case}/evidence", name="ui.evidence:list", response_class=HTMLResponse)
def list_evidence(ctx: CtxDep, case: str) -> Response:
    """A case's evidence items with their hashes, and the upload form."""
    with ctx.session() as s:
        found = cases.get_case(s, case)
        items = evidence.list_evidence(s, found.id)
        can_write = s.can(Permission.WRITE_CASE, found.id)
    return ctx.render("evidence/list.html", case=found, items=items, can_write=can_write)


@router.post("/cases/{case}/evidence", name="ui.evidence:upload")
async def upload_evidence(
    ctx: CtxDep,
    case: str,
    file: Annotated[UploadFile, File()],
    description: Annotated[str, Form(max_length=5000)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "collected",
    sensitive: Annotated[bool, Form()] = False,
) -> Response:
    """Hash the upload, keep it as an original and open its custody log."""
    with ctx.session() as s:
        found = cases.get_case(s, case)
        s.require(Permission.WRITE_CASE, found.id)  # before writing anything to disk
    folder = ctx.state.uploads()
    token, path = await save_upload(file, folder)
    try:
        with ctx.session() as s:
            item = evidence.add_evidence(
                s,
                found.id,
                path,
                description=description,
                sensitive=sensitive,
                reason=reason or "collected",
            )
    finally:
        discard_upload(folder, token)
    return RedirectResponse(f"/cases/{found.code}/evidence/{item.code}", status_code=303)


@router.get("/cases/{case}/evidence/{code}", name="ui.evidence:show", response_class=HTMLResponse)
def show_evidence(ctx: CtxDep, case: str, code: str) -> Response:
    """One item: its hash and its chain of custody."""
    with ctx.session() as s:
        found_case, item = evidence_in_case(s, case, code)
        log = evidence.custody_log(s, item.id)
        can_write = s.can(Permission.WRITE_CASE, found_case.id)
    return ctx.render(
        "evidence/show.html", case=found_case, item=item, log=log, can_write=can_write
    )


@router.post("/cases/{case}/evidence/{code}/custody", name="ui.evidence:custody")
def log_custody(
    ctx: CtxDep,
    case: str,
    code: str,
    action: Annotated[str, Form(max_length=100)],
    reason: Annotated[str, Form(max_length=2000)],
) -> Response:
    """Record a custody step (copied, sent, examined …) with why."""
    with ctx.session() as s:
        found_case, item = evidence_in_case(s, case, code)
        evidence.log_custody(s, item.id, action, reason)
    return RedirectResponse(f"/cases/{found_case.code}/evidence/{item.code}", status_code=303)
