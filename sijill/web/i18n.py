"""The interface in Arabic and English: message catalogues (JSON files) and look-ups."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

LANGUAGES = ("en", "ar")
DIRECTION = {"en": "ltr", "ar": "rtl"}


@cache
def catalogue(language: str) -> dict[str, str]:
    """The messages of one language (English for an unknown language)."""
    lang = language if language in LANGUAGES else "en"
    text = resources.files("sijill.web").joinpath(f"messages/{lang}.json").read_text("utf-8")
    messages: dict[str, str] = json.loads(text)
    return messages


def translate(language: str, key: str, **values: object) -> str:
    """One message in `language`, falling back to English, then to the key itself."""
    text = catalogue(language).get(key) or catalogue("en").get(key) or key
    return text.format(**values) if values else text
