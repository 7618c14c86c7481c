"""Pages: victim lists, their records, and import with a column-mapping preview."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sijill.importers.mapping import FIELDS, ColumnMapping
from sijill.services import lists
from sijill.services.access import Permission
from sijill.web.deps import CtxDep
from sijill.web.uploads import discard_upload, find_upload, save_upload

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 100
ListName = Annotated[str, Form(max_length=100)]


@router.get("/lists", name="ui.lists:list", response_class=HTMLResponse)
def list_lists(ctx: CtxDep) -> Response:
    """Every imported list with its provenance."""
    with ctx.session() as s:
        found = lists.list_lists(s)
        can_import = s.can(Permission.WORK_LISTS)
    return ctx.render("lists/list.html", lists=found, can_import=can_import)


@router.get("/lists/import", name="ui.lists:import_form", response_class=HTMLResponse)
def import_form(ctx: CtxDep) -> Response:
    """Step 1: choose a file and a name."""
    with ctx.session() as s:
        s.require(Permission.WORK_LISTS)
    return ctx.render("lists/import.html")


@router.post("/lists/import/preview", name="ui.lists:preview", response_class=HTMLResponse)
async def preview_import(
    ctx: CtxDep,
    file: Annotated[UploadFile, File()],
    list_name: ListName,
    organisation: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Step 2: read the first rows, guess the mapping, and show both for checking."""
    with ctx.session() as s:
        s.require(Permission.WORK_LISTS)
    folder = ctx.state.uploads()
    token, path = await save_upload(file, folder)
    try:
        with ctx.session() as s:
            report = lists.import_list(s, path, list_name, preview=True, organisation=organisation)
    except Exception:
        discard_upload(folder, token)
        raise
    return ctx.render(
        "lists/preview.html",
        report=report,
        token=token,
        organisation=organisation,
        fields=FIELDS,
    )


@router.post("/lists/import", name="ui.lists:import")
async def run_import(
    ctx: CtxDep,
    request: Request,
    token: Annotated[str, Form(max_length=64)],
    list_name: ListName,
    organisation: Annotated[str, Form(max_length=200)] = "",
    replace: Annotated[bool, Form()] = False,
) -> Response:
    """Step 3: import the whole file with the mapping as checked (all rows or none)."""
    form = await request.form()
    chosen = {
        f: str(form.get(f"map_{f}"))
        for f in FIELDS
        if isinstance(form.get(f"map_{f}"), str) and form.get(f"map_{f}")
    }
    with ctx.session() as s:
        s.require(Permission.WORK_LISTS)  # before looking for the upload
    folder = ctx.state.uploads()
    path = find_upload(folder, token)
    with ctx.session() as s:
        report = lists.import_list(
            s,
            path,
            list_name,
            mapping=ColumnMapping(chosen),
            replace=replace,
            organisation=organisation,
        )
    discard_upload(folder, token)
    return RedirectResponse(f"/lists/{report.list_name}", status_code=303)


@router.get("/lists/{name}", name="ui.lists:show", response_class=HTMLResponse)
def show_list(ctx: CtxDep, name: str, page: int = 1) -> Response:
    """A list's provenance and its records, a page at a time."""
    page = max(1, min(page, 1_000_000))
    with ctx.session() as s:
        found = lists.get_list(s, name)
        records = lists.list_records(s, name, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return ctx.render(
        "lists/show.html",
        victim_list=found,
        records=records,
        page=page,
        more=len(records) == PAGE_SIZE,
    )
