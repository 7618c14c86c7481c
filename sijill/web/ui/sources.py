"""Pages: a case's sources by pseudonym, consent, and the identity panel for cleared users."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sijill.domain.sources import SourceIdentity
from sijill.domain.vocabulary import CONSENT_SCOPES
from sijill.services import cases, sources, testimonies
from sijill.services.access import Permission
from sijill.web.deps import CtxDep
from sijill.web.lookups import source_in_case

SCOPES = CONSENT_SCOPES.terms

router = APIRouter(include_in_schema=False)

Text = Annotated[str, Form(max_length=5000)]
Short = Annotated[str, Form(max_length=300)]


@router.get("/cases/{case}/sources", name="ui.sources:list", response_class=HTMLResponse)
def list_sources(ctx: CtxDep, case: str) -> Response:
    """A case's sources, by code (identities never appear in this list)."""
    with ctx.session() as s:
        found = cases.get_case(s, case)
        views = sources.list_sources(s, found.id)
        can_write = s.can(Permission.WRITE_CASE, found.id)
        cleared = s.can(Permission.READ_IDENTITY, found.id)
    return ctx.render(
        "sources/list.html", case=found, sources=views, can_write=can_write, cleared=cleared
    )


@router.post("/cases/{case}/sources", name="ui.sources:create")
def create_source(
    ctx: CtxDep,
    case: str,
    kind: Annotated[str, Form(max_length=64)],
    description: Text = "",
    reliability: Annotated[str, Form(max_length=1)] = "",
    name_ar: Short = "",
    name_latin: Short = "",
    phone: Short = "",
    email: Short = "",
    notes: Text = "",
) -> Response:
    """Register a source; its identity (if given) is sealed by the vault."""
    with ctx.session() as s:
        found = cases.get_case(s, case)
        identity = SourceIdentity(
            name_ar=name_ar, name_latin=name_latin, phone=phone, email=email, notes=notes
        )
        source = sources.add_source(
            s,
            found.id,
            kind,
            identity if identity.as_dict() else None,
            description,
            reliability or None,
        )
    return RedirectResponse(f"/cases/{found.code}/sources/{source.code}", status_code=303)


def _source_page(ctx: CtxDep, case: str, code: str, reveal: bool) -> Response:
    with ctx.session() as s:
        found_case, source = source_in_case(s, case, code)
        consents = testimonies.list_consents(s, code)
        given = []
        if s.can(Permission.READ_TESTIMONY, found_case.id):
            given = [
                t
                for t in testimonies.list_testimonies(s, found_case.id)
                if t.source_id == source.id
            ]
        cleared = s.can(Permission.READ_IDENTITY, found_case.id)
        can_write = s.can(Permission.WRITE_CASE, found_case.id)
        # The service checks clearance and audits the read (a refusal too).
        shown = sources.read_identity(s, source.id) if reveal else None
    return ctx.render(
        "sources/show.html",
        case=found_case,
        source=source,
        consents=consents,
        testimonies=given,
        cleared=cleared,
        can_write=can_write,
        source_identity=shown,
        revealed=reveal,
        scopes=SCOPES,
    )


@router.get("/cases/{case}/sources/{code}", name="ui.sources:show", response_class=HTMLResponse)
def show_source(ctx: CtxDep, case: str, code: str) -> Response:
    """One source: pseudonym, grade, consents, testimonies; the identity only on request."""
    return _source_page(ctx, case, code, reveal=False)


@router.post(
    "/cases/{case}/sources/{code}/identity",
    name="ui.sources:identity",
    response_class=HTMLResponse,
)
def reveal_identity(ctx: CtxDep, case: str, code: str) -> Response:
    """Show the identity panel (cleared users; a deliberate, audited step)."""
    return _source_page(ctx, case, code, reveal=True)


@router.post("/cases/{case}/sources/{code}/consents", name="ui.sources:consent")
def give_consent(
    ctx: CtxDep,
    case: str,
    code: str,
    scope: Annotated[str, Form(max_length=32)],
    note: Text = "",
    action: Annotated[str, Form(max_length=16)] = "give",
) -> Response:
    """Record (or withdraw) a source's consent to one use."""
    with ctx.session() as s:
        found_case, source = source_in_case(s, case, code)
        if action == "withdraw":
            testimonies.withdraw_consent(s, source.id, scope)
        else:
            testimonies.give_consent(s, source.id, scope, note=note)
    return RedirectResponse(f"/cases/{found_case.code}/sources/{source.code}", status_code=303)
