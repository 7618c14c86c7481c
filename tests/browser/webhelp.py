"""Helpers for the web tests: cheap sign-in settings, users of every role, signing in a client."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

import pyotp
from fastapi.testclient import TestClient

from sijill.services import cases, web_auth
from sijill.services.session import open_session
from sijill.services.web_auth import AuthPolicy
from sijill.vault.keys import WorkspaceKey
from sijill.workspace import Workspace

#: Cheap Argon2id for tests only (production uses AuthPolicy()'s defaults).
FAST_POLICY = AuthPolicy(time_cost=1, memory_cost_kib=1024, parallelism=1)
PASSWORD = "a long enough test password"
CASE = "SAY"
#: Every role, plus an investigator who is not a member of the case.
USERS = {
    "admin": "admin",
    "inv": "investigator",
    "outsider": "investigator",
    "analyst": "analyst",
    "reviewer": "reviewer",
}


@dataclass
class WebUsers:
    """Users with web passwords and TOTP secrets (all members of CASE except `outsider`)."""

    secrets: dict[str, str]
    used_steps: dict[str, int] = field(default_factory=dict)

    def code(self, username: str) -> str:
        """A TOTP code of the user that has not been handed out before.

        Sign-in accepts each code once and the codes of the previous, current and next
        30-second steps, so a test that signs one user in several times gets successive steps
        (waiting for the next step in the rare case that all three were used).
        """
        totp = pyotp.TOTP(self.secrets[username])
        while True:
            current = int(time.time()) // totp.interval
            step = max(current, self.used_steps.get(username, current - 1) + 1)
            if step <= current + 1:
                self.used_steps[username] = step
                return totp.at(step * totp.interval)
            time.sleep((current + 1) * totp.interval - time.time() + 0.05)


def make_users(workspace: Workspace, key: WorkspaceKey, case: str = CASE) -> WebUsers:
    """Create the case (if missing) and one user per role, each with a password and TOTP."""
    found: dict[str, str] = {}
    with open_session(workspace, "admin", key=key) as s:
        existing = {c.code for c in cases.list_cases(s)}
        if case not in existing:
            cases.create_case(s, case, "Saydnaya 2011–2015")
        for username, role in USERS.items():
            if username != "admin":
                cases.add_user(s, username, role)
                if username != "outsider":
                    cases.add_member(s, case, username)
            web_auth.set_password(s, username, PASSWORD, FAST_POLICY)
            found[username] = web_auth.enrol_totp(s, username).secret
    return WebUsers(found)


def login_csrf(client: TestClient) -> str:
    """Open the sign-in page and return its form token."""
    page = client.get("/login")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, "the sign-in page has no CSRF field"
    return match.group(1)


def sign_in(client: TestClient, users: WebUsers, username: str) -> str:
    """Sign a test client in; returns the session's CSRF token (for POSTs)."""
    token = login_csrf(client)
    response = client.post(
        "/login",
        data={
            "username": username,
            "password": PASSWORD,
            "code": users.code(username),
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    me = client.get("/api/me")
    assert me.status_code == 200, me.text
    return str(me.json()["csrf_token"])
