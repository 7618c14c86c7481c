"""Pages: testimony intake, reading with every version, and editing (a new version each time)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sijill.errors import NotFoundError
from sijill.services import cases, sources, testimonies
from sijill.services.access import Permission
from sijill.services.testimonies import LANGUAGES
from sijill.web.deps import CtxDep
from sijill.web.lookups import testimony_in_case

router = APIRouter(include_in_schema=False)

Text = Annotated[str, Form(max_length=200_000)]
Short = Annotated[str, Form(max_length=300)]


@router.get("/cases/{case}/testimonies", name="ui.testimonies:list", response_class=HTMLResponse)
def list_testimonies(ctx: CtxDep, case: str) -> Response:
    """A case's testimonies (people cleared to read testimony texts)."""
    with ctx.session() as s:
        found = cases.get_case(s, case)
        items = testimonies.list_testimonies(s, found.id)
        codes = {v.source.id: v.source.code for v in sources.list_sources(s, found.id)}
    return ctx.render("testimonies/list.html", case=found, testimonies=items, source_codes=codes)


@router.get("/cases/{case}/testimonies/new", name="ui.testimonies:new", response_class=HTMLResponse)
def new_testimony(ctx: CtxDep, case: str) -> Response:
    """The intake form."""
    with ctx.session() as s:
        found = cases.get_case(s, case)
        testimonies.list_testimonies(s, found.id)  # the same right as reading them
        views = sources.list_sources(s, found.id)
    return ctx.render(
        "testimonies/new.html", case=found, sources=[v.source for v in views], languages=LANGUAGES
    )


@router.post("/cases/{case}/testimonies", name="ui.testimonies:create")
def create_testimony(
    ctx: CtxDep,
    case: str,
    source: Annotated[str, Form(max_length=64)],
    interview_date: Annotated[str, Form(max_length=100)] = "",
    language: Annotated[str, Form(max_length=8)] = "ar",
    summary: Text = "",
    transcript: Text = "",
    place: Short = "",
    interviewer: Short = "",
    sensitive: Annotated[bool, Form()] = False,
) -> Response:
    """Record an interview with a source (a sensitive transcript is sealed at rest)."""
    with ctx.session() as s:
        found = cases.get_case(s, case)
        src = sources.get_source(s, source)
        if src.case_id != found.id:
            raise NotFoundError(f"no source {source!r} in case {found.code}")
        item = testimonies.add_testimony(
            s,
            src.id,
            interview_date=interview_date,
            language=language,
            summary=summary,
            transcript=transcript,
            place=place,
            interviewer=interviewer,
            sensitive=sensitive,
        )
    return RedirectResponse(f"/cases/{found.code}/testimonies/{item.code}", status_code=303)


@router.get(
    "/cases/{case}/testimonies/{code}", name="ui.testimonies:show", response_class=HTMLResponse
)
def show_testimony(ctx: CtxDep, case: str, code: str) -> Response:
    """A testimony's current text, its earlier versions, and the edit form."""
    with ctx.session() as s:
        found_case, found = testimony_in_case(s, case, code)
        versions = testimonies.testimony_versions(s, found.id)
        source = sources.get_source(s, found.source_id)
        can_write = s.can(Permission.WRITE_CASE, found_case.id)
    return ctx.render(
        "testimonies/show.html",
        case=found_case,
        testimony=found,
        versions=list(reversed(versions)),
        source=source,
        can_write=can_write,
        languages=LANGUAGES,
    )


@router.post("/cases/{case}/testimonies/{code}", name="ui.testimonies:edit")
def edit_testimony(
    ctx: CtxDep,
    case: str,
    code: str,
    reason: Annotated[str, Form(max_length=2000)],
    summary: Text = "",
    transcript: Text = "",
    interview_date: Annotated[str, Form(max_length=100)] = "",
    language: Annotated[str, Form(max_length=8)] = "",
    place: Short = "",
    interviewer: Short = "",
    sensitive: Annotated[str, Form(max_length=1)] = "",
) -> Response:
    """Save an edit as a new version; the earlier ones stay readable."""
    with ctx.session() as s:
        found_case, found = testimony_in_case(s, case, code)
        testimonies.edit_testimony(
            s,
            found.id,
            reason=reason,
            summary=summary,
            transcript=transcript,
            interview_date=interview_date,
            language=language or None,
            place=place,
            interviewer=interviewer,
            sensitive=True if sensitive else None,
        )
    return RedirectResponse(f"/cases/{found_case.code}/testimonies/{code}", status_code=303)
