"""Hostile text in both scripts is data: escaped on every page, bidi-isolated, never SQL."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sijill.services import cases
from sijill.services.session import open_session
from sijill.web import create_app
from sijill.workspace import init_workspace
from tests.browser.seed import Seeded, seed_case
from tests.browser.webhelp import FAST_POLICY, make_users, sign_in
from tests.conftest import TEST_KDF, TEST_PASSPHRASE

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
RLO = "\u202e"
ARABIC = f"محمد {RLO}<script>alert(2)</script>\u202c العلي"
SQL = "'; DROP TABLE sources; --"
HOSTILE_NAME = f"{IMG} {ARABIC}"
HOSTILE_TEXT = f"{SCRIPT} شهادة {ARABIC} {SQL} 1' OR '1'='1"
HOSTILE_LIST = Path(__file__).resolve().parent / "data" / "lists" / "hostile.csv"
LIVE_MARKUP = re.compile(r"<script>alert|<img src=x|<b>Omar</b>|\"><img", re.I)

PAGES = [
    "/cases",
    "/cases/XSS",
    "/cases/XSS/sources",
    "/cases/XSS/sources/{source}",
    "/cases/XSS/testimonies",
    "/cases/XSS/testimonies/{testimony}",
    "/cases/XSS/events",
    "/cases/XSS/evidence",
    "/cases/XSS/evidence/{evidence}",
    "/cases/XSS/corroboration",
    "/lists",
    "/lists/{victim_list}",
    "/lists/hostile",
    "/audit",
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str, Seeded]]:
    root = tmp_path_factory.mktemp("web-xss")
    ws, key = init_workspace(root / "ws", passphrase=TEST_PASSPHRASE, admin="admin", kdf=TEST_KDF)
    with open_session(ws, "admin", key=key) as s:
        cases.create_case(s, "XSS", f"{SCRIPT} {ARABIC}", description=HOSTILE_TEXT)
    people = make_users(ws, key, case="XSS")
    seeded = seed_case(
        ws,
        key,
        root / "files",
        "XSS",
        name=HOSTILE_NAME,
        text=HOSTILE_TEXT,
        list_name=f"{IMG}{SQL}",
    )
    from sijill.services import lists

    with open_session(ws, "admin", key=key) as s:
        lists.import_list(s, HOSTILE_LIST, "hostile", organisation=SCRIPT)
    client = TestClient(create_app(ws, key, policy=FAST_POLICY))
    csrf = sign_in(client, people, "admin")
    yield client, csrf, seeded
    ws.close()


def _fill(path: str, seeded: Seeded) -> str:
    from urllib.parse import quote

    return path.format(
        source=seeded.source,
        testimony=seeded.testimony,
        evidence=seeded.evidence,
        victim_list=quote(seeded.victim_list, safe=""),
    )


def _check_page(text: str) -> None:
    assert not LIVE_MARKUP.search(text), LIVE_MARKUP.search(text)
    # Every right-to-left override sits inside a bidi-isolated element.
    for line in text.splitlines():
        if RLO in line:
            assert "<bdi>" in line or 'dir="auto"' in line, line[:300]


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("page", PAGES)
def test_hostile_text_is_escaped_on_every_page(
    hostile: tuple[TestClient, str, Seeded], page: str, lang: str
) -> None:
    client, csrf, seeded = hostile
    client.post("/account/language", data={"language": lang, "csrf_token": csrf})
    response = client.get(_fill(page, seeded))
    assert response.status_code == 200, response.text[:300]
    _check_page(response.text)


def test_hostile_text_is_shown_as_text(hostile: tuple[TestClient, str, Seeded]) -> None:
    client, csrf, seeded = hostile
    client.post("/account/language", data={"language": "en", "csrf_token": csrf})
    page = client.get(f"/cases/XSS/testimonies/{seeded.testimony}").text
    assert html.escape(SCRIPT) in page or "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "DROP TABLE sources" in page


def test_identity_panel_escapes_a_hostile_name(hostile: tuple[TestClient, str, Seeded]) -> None:
    client, csrf, seeded = hostile
    response = client.post(
        f"/cases/XSS/sources/{seeded.source}/identity", data={"csrf_token": csrf}
    )
    assert response.status_code == 200
    _check_page(response.text)
    assert "&#34;&gt;&lt;img src=x" in response.text or "&quot;&gt;&lt;img" in response.text


def test_hostile_upload_name_and_form_values_are_data(
    hostile: tuple[TestClient, str, Seeded],
) -> None:
    client, csrf, _ = hostile
    response = client.post(
        "/cases/XSS/evidence",
        data={"csrf_token": csrf, "description": IMG},
        files={"file": (f"{IMG}.txt", b"bytes of a hostile upload", "text/plain")},
        follow_redirects=True,
    )
    assert response.status_code == 200
    _check_page(response.text)
    created = client.post(
        "/api/cases/XSS/sources",
        json={"kind": "survivor", "description": SQL},
        headers={"X-CSRF-Token": csrf},
    )
    assert created.status_code == 201
    listed = client.get("/api/cases/XSS/sources").json()
    assert SQL in [s["description"] for s in listed]


def test_sql_injection_strings_do_not_reach_sql(hostile: tuple[TestClient, str, Seeded]) -> None:
    client, _, _ = hostile
    assert client.get("/cases/' OR '1'='1").status_code == 404
    assert client.get("/api/lists/x' OR 1=1 --/records").status_code == 404
    assert client.get("/api/cases/XSS/sources").status_code == 200  # the table is still there


def test_the_service_stored_exactly_what_was_typed(
    hostile: tuple[TestClient, str, Seeded],
) -> None:
    client, _, seeded = hostile
    body = client.get(f"/api/cases/XSS/testimonies/{seeded.testimony}").json()
    assert body["testimony"]["current"]["summary"] == HOSTILE_TEXT
