"""Jinja2 rendering: autoescaped templates in the package, with the user's language and direction."""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from sijill.domain import vocabulary
from sijill.geo import gazetteer
from sijill.web.i18n import DIRECTION, LANGUAGES, translate

_VOCABULARIES: dict[str, vocabulary.Vocabulary] = {
    "violation": vocabulary.VIOLATION_TYPES,
    "source_kind": vocabulary.SOURCE_KINDS,
    "scope": vocabulary.CONSENT_SCOPES,
}


@cache
def environment() -> Environment:
    """The template environment (every template is HTML-escaped by default)."""
    env = Environment(
        loader=PackageLoader("sijill.web", "templates"),
        autoescape=select_autoescape(["html"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["vocabularies"] = _VOCABULARIES
    env.globals["governorates"] = gazetteer().governorates
    return env


def place_label(pcode: str | None, language: str) -> str:
    """A place's name in `language` (empty for none or an unknown code)."""
    if not pcode:
        return ""
    place = gazetteer().find(pcode)
    return place.label(language) if place is not None else pcode


def term_label(kind: str, code: str, language: str) -> str:
    """A vocabulary term's label in `language` (the code itself when unknown)."""
    vocab = _VOCABULARIES.get(kind)
    if vocab is None or code not in vocab:
        return code
    return vocab.get(code).label(language)


def render_page(
    request: Request, template: str, language: str, status_code: int = 200, **data: Any
) -> HTMLResponse:
    """Render `template` in `language` with the helpers every page uses."""
    lang = language if language in LANGUAGES else "en"

    def t(key: str, **values: object) -> str:
        return translate(lang, key, **values)

    def url(name: str, **params: Any) -> str:
        return str(request.app.url_path_for(name, **{k: str(v) for k, v in params.items()}))

    identity = data.pop("identity", None)
    context = {
        "request": request,
        "lang": lang,
        "dir": DIRECTION[lang],
        "t": t,
        "url": url,
        "identity": identity,
        "csrf": identity.csrf_token if identity is not None else data.pop("login_csrf", ""),
        "place": lambda pcode: place_label(pcode, lang),
        "term": lambda kind, code: term_label(kind, code, lang),
        **data,
    }
    html = environment().get_template(template).render(context)
    return HTMLResponse(html, status_code=status_code)
