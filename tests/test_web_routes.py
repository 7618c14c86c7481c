"""Every route of the web app refuses anonymous requests, wrong roles and missing CSRF tokens.

The routes are enumerated from the app itself: a route added without an entry in RULES (or in
the public allowlist) fails `test_route_has_a_rule`, so no new route can escape these checks
(the pattern of fief's generated route tests).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Mount, Route

from sijill.vault.keys import WorkspaceKey
from sijill.web import create_app
from sijill.workspace import Workspace, init_workspace
from tests.browser.seed import Seeded, seed_case
from tests.browser.webhelp import FAST_POLICY, USERS, make_users, sign_in
from tests.conftest import TEST_KDF, TEST_PASSPHRASE

#: Reachable without signing in, and why.
PUBLIC = {
    "GET /login": "the sign-in form",
    "POST /login": "signing in (its own CSRF token: a cookie bound to the form)",
    "GET /health": "liveness for a supervisor; says nothing about the workspace",
    "MOUNT /static": "CSS and JS shipped in the package",
    "GET /api/openapi.json": "the API's schema (documentation, no data)",
}

FILE = {"file": ("note.txt", b"synthetic upload", "text/plain")}
CSV = {"file": ("l.csv", "id,name\n1,عمر\n".encode(), "text/csv")}


@dataclass(frozen=True)
class Rule:
    """How to call a route, who must be refused, and who may use it.

    Attributes:
        path: The concrete path ({source} etc. are filled from the seeded case).
        wrong: A signed-in user who must get 403; None when every signed-in user may use it.
        ok: A user for whom a GET must succeed (checks the 403 is about rights, not a bug).
        data, files, json: The request body.
    """

    path: str
    wrong: str | None
    ok: str | None = "admin"
    data: dict[str, str] = field(default_factory=dict)
    files: dict[str, Any] | None = None
    json: dict[str, Any] | None = None


RULES: dict[str, Rule] = {
    # Pages
    "GET /": Rule("/", None),
    "GET /account": Rule("/account", None),
    "POST /account/language": Rule("/account/language", None, data={"language": "en"}),
    "POST /logout": Rule("/logout", None),
    "POST /logout/everywhere": Rule("/logout/everywhere", None),
    "GET /cases": Rule("/cases", None, ok="analyst"),
    "POST /cases": Rule("/cases", "analyst", data={"code": "X1", "title": "t"}),
    "GET /cases/{case}": Rule("/cases/SAY", "outsider", ok="reviewer"),
    "GET /cases/{case}/sources": Rule("/cases/SAY/sources", "outsider", ok="analyst"),
    "POST /cases/{case}/sources": Rule("/cases/SAY/sources", "analyst", data={"kind": "survivor"}),
    "GET /cases/{case}/sources/{code}": Rule("/cases/SAY/sources/{source}", "outsider", ok="inv"),
    "POST /cases/{case}/sources/{code}/identity": Rule(
        "/cases/SAY/sources/{source}/identity", "analyst"
    ),
    "POST /cases/{case}/sources/{code}/consents": Rule(
        "/cases/SAY/sources/{source}/consents", "reviewer", data={"scope": "public"}
    ),
    "GET /cases/{case}/testimonies": Rule("/cases/SAY/testimonies", "analyst", ok="reviewer"),
    "GET /cases/{case}/testimonies/new": Rule("/cases/SAY/testimonies/new", "analyst"),
    "POST /cases/{case}/testimonies": Rule(
        "/cases/SAY/testimonies", "reviewer", data={"source": "{source}", "summary": "s"}
    ),
    "GET /cases/{case}/testimonies/{code}": Rule(
        "/cases/SAY/testimonies/{testimony}", "analyst", ok="reviewer"
    ),
    "POST /cases/{case}/testimonies/{code}": Rule(
        "/cases/SAY/testimonies/{testimony}", "reviewer", data={"reason": "r", "summary": "s"}
    ),
    "GET /cases/{case}/events": Rule("/cases/SAY/events", "outsider", ok="analyst"),
    "POST /cases/{case}/events": Rule(
        "/cases/SAY/events", "analyst", data={"violation_type": "torture", "title": "t"}
    ),
    "GET /cases/{case}/evidence": Rule("/cases/SAY/evidence", "outsider", ok="reviewer"),
    "POST /cases/{case}/evidence": Rule("/cases/SAY/evidence", "analyst", files=FILE),
    "GET /cases/{case}/evidence/{code}": Rule("/cases/SAY/evidence/{evidence}", "outsider"),
    "POST /cases/{case}/evidence/{code}/custody": Rule(
        "/cases/SAY/evidence/{evidence}/custody", "reviewer", data={"action": "a", "reason": "r"}
    ),
    "GET /cases/{case}/corroboration": Rule("/cases/SAY/corroboration", "outsider", ok="analyst"),
    "GET /lists": Rule("/lists", None, ok="reviewer"),
    "GET /lists/import": Rule("/lists/import", "reviewer", ok="analyst"),
    "POST /lists/import/preview": Rule(
        "/lists/import/preview", "reviewer", data={"list_name": "X"}, files=CSV
    ),
    "POST /lists/import": Rule(
        "/lists/import", "reviewer", data={"token": "A" * 32, "list_name": "X"}
    ),
    "GET /lists/{name}": Rule("/lists/{victim_list}", None, ok="reviewer"),
    "GET /audit": Rule("/audit", "inv", ok="reviewer"),
    "GET /review": Rule("/review", None, ok="reviewer"),
    "POST /review/{pair}": Rule(
        "/review/1", "reviewer", data={"decision": "accept", "reason": "same mother"}
    ),
    "GET /estimates": Rule("/estimates", "reviewer", ok="analyst"),
    "POST /estimates": Rule("/estimates", "reviewer", data={"method": "chapman"}),
    # JSON API
    "GET /api/me": Rule("/api/me", None),
    "GET /api/cases": Rule("/api/cases", None),
    "POST /api/cases": Rule("/api/cases", "reviewer", json={"code": "X2", "title": "t"}),
    "GET /api/cases/{case}": Rule("/api/cases/SAY", "outsider"),
    "GET /api/cases/{case}/sources": Rule("/api/cases/SAY/sources", "outsider", ok="analyst"),
    "POST /api/cases/{case}/sources": Rule(
        "/api/cases/SAY/sources", "analyst", json={"kind": "survivor"}
    ),
    "GET /api/cases/{case}/sources/{code}": Rule("/api/cases/SAY/sources/{source}", "outsider"),
    "POST /api/cases/{case}/sources/{code}/identity": Rule(
        "/api/cases/SAY/sources/{source}/identity", "reviewer"
    ),
    "GET /api/cases/{case}/testimonies": Rule("/api/cases/SAY/testimonies", "analyst"),
    "POST /api/cases/{case}/testimonies": Rule(
        "/api/cases/SAY/testimonies", "reviewer", json={"source": "{source}", "summary": "s"}
    ),
    "GET /api/cases/{case}/testimonies/{code}": Rule(
        "/api/cases/SAY/testimonies/{testimony}", "analyst"
    ),
    "POST /api/cases/{case}/testimonies/{code}/versions": Rule(
        "/api/cases/SAY/testimonies/{testimony}/versions", "analyst", json={"reason": "r"}
    ),
    "GET /api/cases/{case}/events": Rule("/api/cases/SAY/events", "outsider"),
    "POST /api/cases/{case}/events": Rule(
        "/api/cases/SAY/events", "reviewer", json={"violation_type": "torture", "title": "t"}
    ),
    "GET /api/cases/{case}/evidence": Rule("/api/cases/SAY/evidence", "outsider"),
    "GET /api/cases/{case}/evidence/{code}/custody": Rule(
        "/api/cases/SAY/evidence/{evidence}/custody", "outsider"
    ),
    "POST /api/cases/{case}/evidence/{code}/custody": Rule(
        "/api/cases/SAY/evidence/{evidence}/custody",
        "analyst",
        json={"action": "a", "reason": "r"},
    ),
    "GET /api/cases/{case}/corroboration": Rule("/api/cases/SAY/corroboration", "outsider"),
    "GET /api/lists": Rule("/api/lists", None),
    "GET /api/lists/{name}/records": Rule("/api/lists/{victim_list}/records", None),
    "GET /api/audit": Rule("/api/audit", "analyst", ok="reviewer"),
    "GET /api/review": Rule("/api/review", None, ok=None),
    "POST /api/review/{pair}": Rule(
        "/api/review/1", "reviewer", json={"decision": "reject", "reason": "r"}
    ),
}


def _app_routes() -> list[str]:
    """'METHOD path' for every route the app serves (HEAD is GET's twin)."""
    placeholder = cast(Any, None)
    app = create_app(placeholder, placeholder)
    found: list[str] = []
    for route in app.routes:
        if isinstance(route, Mount):
            found.append(f"MOUNT {route.path}")
        elif isinstance(route, APIRoute | Route):
            found += [f"{m} {route.path}" for m in sorted(route.methods or ()) if m != "HEAD"]
        elif hasattr(route, "effective_route_contexts"):
            # FastAPI >= 0.16x keeps included routers as lazy branches: walk them.
            for context in route.effective_route_contexts():
                methods = getattr(context.original_route, "methods", None) or ()
                found += [f"{m} {context.path}" for m in sorted(methods) if m != "HEAD"]
        else:
            found.append(f"UNKNOWN {route!r}")  # fails test_route_has_a_rule: look at it
    return found


ROUTES = _app_routes()
PROTECTED = [r for r in ROUTES if r not in PUBLIC]
WRITES = [r for r in PROTECTED if r.startswith(("POST", "PUT", "PATCH", "DELETE"))]


@dataclass
class Site:
    """A seeded workspace served in-process, with one signed-in client per user."""

    workspace: Workspace
    key: WorkspaceKey
    seeded: Seeded
    clients: dict[str, tuple[TestClient, str]]

    def anonymous(self) -> TestClient:
        return TestClient(create_app(self.workspace, self.key, policy=FAST_POLICY))

    def fill(self, text: str) -> str:
        s = self.seeded
        return text.format(
            source=s.source,
            testimony=s.testimony,
            evidence=s.evidence,
            victim_list=s.victim_list,
        )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("web-routes")
    ws, key = init_workspace(root / "ws", passphrase=TEST_PASSPHRASE, admin="admin", kdf=TEST_KDF)
    people = make_users(ws, key)
    seeded = seed_case(ws, key, root / "files")
    clients = {}
    for username in USERS:
        client = TestClient(create_app(ws, key, policy=FAST_POLICY))
        clients[username] = (client, sign_in(client, people, username))
    yield Site(ws, key, seeded, clients)
    ws.close()


def _call(client: TestClient, route: str, rule: Rule, site: Site, csrf: str | None) -> Any:
    method = route.split()[0]
    path = site.fill(rule.path)
    headers = {"X-CSRF-Token": csrf} if csrf else {}
    if method == "GET":
        return client.get(path, follow_redirects=False)
    data = {k: site.fill(v) for k, v in rule.data.items()}
    body = None if rule.json is None else {k: site.fill(str(v)) for k, v in rule.json.items()}
    return client.request(
        method,
        path,
        data=data or None,
        files=rule.files,
        json=body,
        headers=headers,
        follow_redirects=False,
    )


@pytest.mark.parametrize("route", ROUTES)
def test_route_has_a_rule(route: str) -> None:
    assert route in RULES or route in PUBLIC, (
        f"{route} has no access rule: add it to RULES (who must be refused) or, if it is truly "
        "public, to PUBLIC with a reason"
    )


def test_every_rule_is_a_real_route() -> None:
    assert sorted(set(RULES) | set(PUBLIC)) == sorted(set(ROUTES))


@pytest.mark.parametrize("route", PROTECTED)
def test_anonymous_is_refused(site: Site, route: str) -> None:
    response = _call(site.anonymous(), route, RULES[route], site, csrf=None)
    if route.split()[1].startswith("/api/"):
        assert response.status_code == 401
    else:
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login")


@pytest.mark.parametrize("route", [r for r in PROTECTED if RULES[r].wrong])
def test_wrong_role_is_refused(site: Site, route: str) -> None:
    rule = RULES[route]
    assert rule.wrong is not None
    client, csrf = site.clients[rule.wrong]
    response = _call(client, route, rule, site, csrf)
    assert response.status_code == 403, response.text[:500]


@pytest.mark.parametrize("route", [r for r in PROTECTED if r.startswith("GET") and RULES[r].ok])
def test_allowed_role_gets_the_page(site: Site, route: str) -> None:
    rule = RULES[route]
    assert rule.ok is not None
    client, csrf = site.clients[rule.ok]
    response = _call(client, route, rule, site, csrf)
    assert response.status_code in (200, 303), response.text[:500]


@pytest.mark.parametrize("route", WRITES)
def test_writes_without_csrf_token_are_refused(site: Site, route: str) -> None:
    client, _ = site.clients["admin"]
    response = _call(client, route, RULES[route], site, csrf=None)
    assert response.status_code == 403, response.text[:500]
    assert client.get("/api/me").status_code == 200  # still signed in: nothing happened


def test_refusals_are_audited(site: Site) -> None:
    client, _ = site.clients["reviewer"]
    entries = client.get("/api/audit?limit=5000").json()
    refused = [e for e in entries if e["action"] == "refused"]
    assert {e["actor"] for e in refused} >= {"outsider", "analyst"}


def test_static_files_and_health_are_public(site: Site) -> None:
    anonymous = site.anonymous()
    assert anonymous.get("/health").json() == {"status": "ok"}
    css = anonymous.get("/static/app.css")
    assert css.status_code == 200 and "margin-inline" in css.text
    assert anonymous.get("/static/../web/app.py").status_code == 404


def test_the_package_ships_every_static_asset() -> None:
    static = Path(__file__).resolve().parent.parent / "sijill" / "web" / "static"
    assert {p.name for p in static.iterdir()} >= {"app.css", "app.js"}
