"""Web sign-in: passwords, TOTP, fresh session ids, CSRF, lock-out, log out (everywhere), headers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select

from sijill.services import web_auth
from sijill.services.session import open_session
from sijill.store.schema import users, web_sessions
from sijill.vault.keys import WorkspaceKey
from sijill.web import create_app
from sijill.web.security import SESSION_COOKIE
from sijill.workspace import Workspace
from tests.browser.webhelp import FAST_POLICY, PASSWORD, WebUsers, login_csrf, make_users, sign_in
from tests.conftest import BACKENDS


@pytest.fixture
def backend() -> str:
    """SQLite here; the tests that touch the session store also run on PostgreSQL (below)."""
    return "sqlite"


both_backends = pytest.mark.parametrize("backend", BACKENDS)


@pytest.fixture
def web(
    workspace_and_key: tuple[Workspace, WorkspaceKey],
) -> Iterator[tuple[TestClient, WebUsers, Workspace, WorkspaceKey]]:
    ws, key = workspace_and_key
    people = make_users(ws, key)
    with TestClient(create_app(ws, key, policy=FAST_POLICY)) as client:
        yield client, people, ws, key


def _login_response(client: TestClient, username: str, password: str, code: str) -> Response:
    token = login_csrf(client)
    response: Response = client.post(
        "/login",
        data={"username": username, "password": password, "code": code, "csrf_token": token},
        follow_redirects=False,
    )
    return response


def _post_login(client: TestClient, username: str, password: str, code: str) -> int:
    return _login_response(client, username, password, code).status_code


def test_sign_in_needs_password_and_totp_code(web: tuple) -> None:
    client, people, _, _ = web
    assert _post_login(client, "inv", PASSWORD, "000000") == 403
    assert _post_login(client, "inv", "wrong password!!", people.code("inv")) == 403
    assert _post_login(client, "nobody", PASSWORD, "123456") == 403
    assert client.get("/cases", follow_redirects=False).status_code == 303
    assert _post_login(client, "inv", PASSWORD, people.code("inv")) == 303
    assert client.get("/cases").status_code == 200


@both_backends
def test_session_id_is_fresh_at_login_and_stored_only_as_a_hash(web: tuple) -> None:
    client, people, ws, _ = web
    planted = "attacker-chosen-session-id-0123456789abcdef"
    client.cookies.set(SESSION_COOKIE, planted, domain="testserver.local", path="/")
    sign_in(client, people, "inv")
    issued = client.cookies.get(SESSION_COOKIE)
    assert issued and issued != planted
    with ws.engine.connect() as conn:
        stored = [r.id_hash for r in conn.execute(select(web_sessions.c.id_hash))]
    assert issued not in stored
    assert web_auth.hash_session_id(issued) in stored
    # Signing in again gives yet another id: an id known before login is never reused.
    sign_in(client, people, "inv")
    assert client.cookies.get(SESSION_COOKIE) not in (issued, planted)


def test_cookies_are_httponly_samesite_strict_and_secure_behind_tls(web: tuple) -> None:
    client, people, ws, key = web
    token = login_csrf(client)
    response = client.post(
        "/login",
        data={
            "username": "inv",
            "password": PASSWORD,
            "code": people.code("inv"),
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" not in cookie
    secure = TestClient(create_app(ws, key, policy=FAST_POLICY), base_url="https://testserver")
    token = login_csrf(secure)
    response = secure.post(
        "/login",
        data={
            "username": "inv",
            "password": PASSWORD,
            "code": people.code("inv"),
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert "Secure" in response.headers["set-cookie"]
    assert response.headers["strict-transport-security"].startswith("max-age=")


def test_security_headers_forbid_inline_script_and_framing(web: tuple) -> None:
    client, people, _, _ = web
    sign_in(client, people, "inv")
    for path in ("/login", "/cases", "/api/cases"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert "strict-transport-security" not in headers  # plain HTTP on loopback


def test_csrf_token_is_required_on_every_write(web: tuple) -> None:
    client, people, _, _ = web
    csrf = sign_in(client, people, "inv")
    form = {"code": "NEW", "title": "A case"}
    assert client.post("/cases", data=form).status_code == 403
    assert client.post("/cases", data={**form, "csrf_token": "forged"}).status_code == 403
    assert client.post("/api/cases", json=form).status_code == 403
    assert client.post("/api/cases", json=form, headers={"X-CSRF-Token": "x"}).status_code == 403
    assert client.get("/api/cases/NEW").status_code == 404  # nothing was created
    ok = client.post("/api/cases", json=form, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 201
    # The sign-in form has its own token (a cookie bound to the form).
    response = client.post(
        "/login",
        data={"username": "inv", "password": PASSWORD, "code": people.code("inv")},
        follow_redirects=False,
    )
    assert response.status_code == 403


@both_backends
def test_failed_sign_ins_grow_delays_then_lock_out(
    workspace_and_key: tuple[Workspace, WorkspaceKey],
) -> None:
    ws, key = workspace_and_key
    people = make_users(ws, key)
    start = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    at = start
    delays = []
    for _ in range(FAST_POLICY.lockout_after):
        with pytest.raises(web_auth.LoginRefusedError) as refused:
            web_auth.login(ws, key, "inv", "wrong", "", policy=FAST_POLICY, now=at)
        assert refused.value.retry_after == 0
        with ws.engine.connect() as conn:
            locked = conn.execute(
                select(users.c.locked_until).where(users.c.username == "inv")
            ).scalar_one()
        delay = 0 if locked is None else (locked.replace(tzinfo=UTC) - at).total_seconds()
        delays.append(delay)
        at = at + timedelta(seconds=delay + 1)
    assert delays[: FAST_POLICY.free_failures] == [0] * FAST_POLICY.free_failures
    assert delays[FAST_POLICY.free_failures :] == sorted(delays[FAST_POLICY.free_failures :])
    assert delays[-1] == FAST_POLICY.max_delay_seconds
    # While locked, even the right password and code are refused (and not checked).
    code = pyotp.TOTP(people.secrets["inv"]).at(at - timedelta(seconds=1))
    with pytest.raises(web_auth.LoginRefusedError) as locked_out:
        web_auth.login(
            ws, key, "inv", PASSWORD, code, policy=FAST_POLICY, now=at - timedelta(seconds=2)
        )
    assert locked_out.value.retry_after > 0
    # After the wait the right credentials work and the counter resets.
    web_auth.login(
        ws,
        key,
        "inv",
        PASSWORD,
        pyotp.TOTP(people.secrets["inv"]).at(at),
        policy=FAST_POLICY,
        now=at,
    )
    with ws.engine.connect() as conn:
        assert (
            conn.execute(
                select(users.c.failed_logins).where(users.c.username == "inv")
            ).scalar_one()
            == 0
        )


def test_locked_account_answers_429_with_retry_after(web: tuple) -> None:
    client, people, _, _ = web
    for _ in range(FAST_POLICY.free_failures + 1):
        _post_login(client, "analyst", "wrong password!!", "000000")
    token = login_csrf(client)
    response = client.post(
        "/login",
        data={
            "username": "analyst",
            "password": PASSWORD,
            "code": people.code("analyst"),
            "csrf_token": token,
        },
    )
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0


@both_backends
def test_logout_ends_the_session_and_logout_everywhere_ends_all(web: tuple) -> None:
    client, people, ws, key = web
    other = TestClient(create_app(ws, key, policy=FAST_POLICY))
    csrf = sign_in(client, people, "inv")
    old_cookie = client.cookies.get(SESSION_COOKIE)
    client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    replay = TestClient(create_app(ws, key, policy=FAST_POLICY))
    replay.cookies.set(SESSION_COOKIE, old_cookie or "", domain="testserver.local", path="/")
    assert replay.get("/api/me").status_code == 401
    csrf = sign_in(client, people, "inv")
    sign_in(other, people, "inv")
    assert other.get("/api/me").status_code == 200
    response = client.post("/logout/everywhere", data={"csrf_token": csrf}, follow_redirects=False)
    assert response.status_code == 303
    assert other.get("/api/me").status_code == 401
    assert client.get("/api/me").status_code == 401


def test_sessions_expire_when_idle(web: tuple) -> None:
    _, _, ws, key = web
    at = datetime.now(UTC)
    with open_session(ws, "admin", key=key) as s:
        secret = web_auth.enrol_totp(s, "reviewer").secret
    result = web_auth.login(
        ws, key, "reviewer", PASSWORD, pyotp.TOTP(secret).at(at), policy=FAST_POLICY, now=at
    )
    assert web_auth.identify(ws, result.session_id, policy=FAST_POLICY, now=at) is not None
    later = at + timedelta(minutes=FAST_POLICY.idle_minutes + 1)
    assert web_auth.identify(ws, result.session_id, policy=FAST_POLICY, now=later) is None


@both_backends
def test_totp_secret_is_sealed_and_rewrapped_on_rotation(web: tuple) -> None:
    _, people, ws, key = web
    with ws.engine.connect() as conn:
        uid, sealed = conn.execute(
            select(users.c.id, users.c.totp_secret).where(users.c.username == "inv")
        ).one()
    assert people.secrets["inv"].encode() not in bytes(sealed)
    assert web_auth.open_totp_secret(key, uid, bytes(sealed)) == people.secrets["inv"]
    new_key = WorkspaceKey.generate()
    with ws.engine.begin() as conn:
        assert web_auth.rewrap_totp_secrets(conn, key, new_key) == len(people.secrets)
    with ws.engine.connect() as conn:
        resealed = conn.execute(select(users.c.totp_secret).where(users.c.id == uid)).scalar_one()
    assert web_auth.open_totp_secret(new_key, uid, bytes(resealed)) == people.secrets["inv"]


def test_passwords_are_argon2id_and_short_ones_refused(web: tuple) -> None:
    _, _, ws, key = web
    with ws.engine.connect() as conn:
        digest = conn.execute(
            select(users.c.password_hash).where(users.c.username == "inv")
        ).scalar_one()
    assert digest.startswith("$argon2id$") and PASSWORD not in digest
    from sijill.errors import InputError, PermissionDeniedError

    with open_session(ws, "admin", key=key) as s, pytest.raises(InputError):
        web_auth.set_password(s, "inv", "short", FAST_POLICY)
    with open_session(ws, "inv", key=key) as s, pytest.raises(PermissionDeniedError):
        web_auth.set_password(s, "admin", "another long password", FAST_POLICY)


def test_language_switch_is_kept_per_user_and_turns_the_page_rtl(web: tuple) -> None:
    client, people, _, _ = web
    csrf = sign_in(client, people, "inv")
    assert 'dir="ltr"' in client.get("/cases").text
    response = client.post(
        "/account/language", data={"language": "ar", "csrf_token": csrf, "next": "/cases"}
    )
    assert response.status_code == 200
    page = client.get("/cases").text
    assert 'lang="ar" dir="rtl"' in page and "القضايا" in page
    assert (
        client.post("/account/language", data={"language": "xx", "csrf_token": csrf}).status_code
        == 400
    )


def test_open_redirect_after_login_is_refused(web: tuple) -> None:
    client, people, _, _ = web
    token = login_csrf(client)
    response = client.post(
        "/login",
        data={
            "username": "inv",
            "password": PASSWORD,
            "code": people.code("inv"),
            "csrf_token": token,
            "next": "//evil.example/steal",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/cases"


@both_backends
def test_a_totp_code_signs_in_once_only(web: tuple) -> None:
    _, people, ws, key = web
    at = datetime(2026, 11, 25, 12, 0, 10, tzinfo=UTC)
    totp = pyotp.TOTP(people.secrets["analyst"])
    code = totp.at(at)
    web_auth.login(ws, key, "analyst", PASSWORD, code, policy=FAST_POLICY, now=at)
    # The same code, replayed within its window (also from the next step), is refused.
    for later in (at + timedelta(seconds=5), at + timedelta(seconds=35)):
        with pytest.raises(web_auth.LoginRefusedError):
            web_auth.login(ws, key, "analyst", PASSWORD, code, policy=FAST_POLICY, now=later)
    # So is the previous step's code once a later one was used; the next step's code works.
    with pytest.raises(web_auth.LoginRefusedError):
        web_auth.login(
            ws,
            key,
            "analyst",
            PASSWORD,
            totp.at(at - timedelta(seconds=30)),
            policy=FAST_POLICY,
            now=at,
        )
    nxt = at + timedelta(seconds=30)
    web_auth.login(ws, key, "analyst", PASSWORD, totp.at(nxt), policy=FAST_POLICY, now=nxt)
    # A new enrolment starts afresh: the new secret's current code is accepted.
    with open_session(ws, "admin", key=key) as s:
        secret = web_auth.enrol_totp(s, "analyst").secret
    web_auth.login(
        ws, key, "analyst", PASSWORD, pyotp.TOTP(secret).at(at), policy=FAST_POLICY, now=at
    )


def test_one_address_trying_many_accounts_is_slowed_down(web: tuple) -> None:
    """Per-account delays do not stop one password tried against every user; this does."""
    from sijill.web.throttle import AddressThrottle

    _, people, ws, key = web
    clock = [1000.0]
    app = create_app(ws, key, policy=FAST_POLICY)
    app.state.sijill.throttle = AddressThrottle(limit=4, window_seconds=60, clock=lambda: clock[0])
    with TestClient(app) as client:
        for username in ("inv", "analyst", "reviewer", "nobody"):
            assert _post_login(client, username, "a guessed password!", "123456") == 403
        # The address has used its allowance: even the right credentials wait now.
        refused = _login_response(client, "admin", PASSWORD, people.code("admin"))
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["retry-after"]) <= 61
        clock[0] += 61  # the window passes
        assert _post_login(client, "admin", PASSWORD, people.code("admin")) == 303


def test_throttle_forgets_old_failures_and_bounds_its_memory() -> None:
    from sijill.web import throttle

    clock = [0.0]
    limiter = throttle.AddressThrottle(limit=2, window_seconds=10, clock=lambda: clock[0])
    limiter.record_failure("10.0.0.1")
    clock[0] = 5
    limiter.record_failure("10.0.0.1")
    assert limiter.retry_after("10.0.0.1") == 6
    assert limiter.retry_after("10.0.0.2") == 0
    clock[0] = 10.5  # the first failure left the window
    assert limiter.retry_after("10.0.0.1") == 0
    for i in range(throttle.MAX_ADDRESSES + 5):
        limiter.record_failure(f"addr-{i}")
    assert len(limiter._failures) == throttle.MAX_ADDRESSES
