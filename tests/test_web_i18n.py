"""The Arabic and English catalogues cover every message the templates use."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sijill.web.i18n import catalogue, translate

WEB = Path(__file__).resolve().parent.parent / "sijill" / "web"
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z_0-9.]+)["']""")
PREFIX_KEY = re.compile(r"""\bt\(\s*["']([a-z_]+\.)["']\s*~""")


def test_both_languages_have_the_same_keys() -> None:
    english = json.loads((WEB / "messages" / "en.json").read_text("utf-8"))
    arabic = json.loads((WEB / "messages" / "ar.json").read_text("utf-8"))
    assert set(english) == set(arabic)
    assert all(v.strip() for v in arabic.values())
    untranslated = [k for k in english if english[k] == arabic[k] and k != "app.name"]
    assert len(untranslated) < 5, untranslated


def test_every_literal_key_in_the_templates_exists() -> None:
    used: set[str] = set()
    prefixes: set[str] = set()
    for template in (WEB / "templates").rglob("*.html"):
        text = template.read_text("utf-8")
        used |= set(LITERAL_KEY.findall(text))
        prefixes |= set(PREFIX_KEY.findall(text))
    missing = sorted(k for k in used if k not in catalogue("en"))
    assert not missing, missing
    for prefix in prefixes:
        assert any(k.startswith(prefix) for k in catalogue("en")), prefix


def test_translate_falls_back_and_formats() -> None:
    assert translate("ar", "nav.cases") == "القضايا"
    assert translate("xx", "nav.cases") == "Cases"
    assert translate("ar", "audit.ok", n=3) == "السلسلة سليمة (تم فحص 3 إدخال)."
    assert translate("en", "no.such.key") == "no.such.key"
