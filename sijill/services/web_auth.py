"""Use cases for signing in to the web app: passwords, TOTP, server-side sessions, lock-out.

Passwords are hashed with Argon2id (argon2-cffi). The TOTP secret is sealed under the workspace
key (its own data key, bound to the user row). A session id lives only in the browser's cookie;
the database keeps its SHA-256, so a copy of the database does not let anyone sign in. Failed
sign-ins lead to growing delays and then a lock-out; "log out everywhere" moves the user's
`sessions_valid_after` forward and drops every stored session.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection

from sijill.errors import InputError, IntegrityError, PermissionDeniedError
from sijill.services.access import Permission
from sijill.services.session import Session
from sijill.store import audit as audit_store
from sijill.store import web_sessions as store
from sijill.vault.envelope import DATA_KEY_TOKEN_BYTES, FieldCipher
from sijill.vault.keys import WorkspaceKey
from sijill.workspace import Workspace

MIN_PASSWORD_LENGTH = 12
LANGUAGES = ("en", "ar")
_TOTP_TABLE = "users"
_TOTP_FIELD = "totp_secret"
# A fixed hash verified for unknown user names, so timing does not tell which names exist.
_DUMMY_PASSWORD = "not a real password, only for equal timing"


class LoginRefusedError(PermissionDeniedError):
    """A sign-in that did not succeed (wrong credentials, locked out, no second factor)."""

    def __init__(self, message: str, *, hint: str | None = None, retry_after: int = 0) -> None:
        super().__init__(message, hint=hint)
        self.retry_after = retry_after


@dataclass(frozen=True)
class AuthPolicy:
    """Sign-in settings: hash cost, session lifetimes, and the failed-login schedule.

    Attributes:
        time_cost, memory_cost_kib, parallelism: Argon2id settings for new password hashes
            (the default is argon2-cffi's RFC 9106 low-memory profile).
        session_hours: Absolute lifetime of a session.
        idle_minutes: A session unused this long is closed.
        free_failures: Failed sign-ins allowed before delays start.
        max_delay_seconds: The longest delay (also the lock-out length).
        lockout_after: Consecutive failures that lock the account for `max_delay_seconds`.
        require_totp: Whether a second factor is compulsory (users without one cannot sign in).
        single_use_codes: Refuse a TOTP code whose time step was already used to sign in (an
            observed code cannot be replayed within its window, RFC 6238 section 5.2).
    """

    time_cost: int = 3
    memory_cost_kib: int = 65536
    parallelism: int = 4
    session_hours: int = 12
    idle_minutes: int = 30
    free_failures: int = 3
    max_delay_seconds: int = 900
    lockout_after: int = 10
    require_totp: bool = True
    single_use_codes: bool = True

    def hasher(self) -> PasswordHasher:
        """The Argon2id hasher with these settings."""
        return PasswordHasher(
            time_cost=self.time_cost,
            memory_cost=self.memory_cost_kib,
            parallelism=self.parallelism,
        )

    def delay_after(self, failures: int) -> int:
        """Seconds a user must wait after `failures` consecutive failed sign-ins."""
        if failures >= self.lockout_after:
            return self.max_delay_seconds
        if failures <= self.free_failures:
            return 0
        return int(min(2 ** (failures - self.free_failures), self.max_delay_seconds))


@dataclass(frozen=True)
class TotpEnrolment:
    """A new TOTP secret: show it once (as text or a QR code of `uri`) to the user."""

    username: str
    secret: str
    uri: str


@dataclass(frozen=True)
class LoginResult:
    """A successful sign-in: the new session id (for the cookie only) and its CSRF token."""

    session_id: str
    csrf_token: str
    username: str
    language: str


@dataclass(frozen=True)
class WebIdentity:
    """Who a request's session belongs to."""

    user_id: int
    username: str
    role: str
    language: str
    csrf_token: str
    id_hash: str


def hash_session_id(session_id: str) -> str:
    """The stored form of a session id."""
    return hashlib.sha256(session_id.encode()).hexdigest()


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _may_manage(s: Session, username: str) -> None:
    if username != s.actor.username:
        s.require(Permission.MANAGE_USERS, target=f"user:{username}")


def set_password(
    s: Session, username: str, password: str, policy: AuthPolicy | None = None
) -> None:
    """Set a user's web password (the user themself, or an admin); resets failures."""
    _may_manage(s, username)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(
            f"a password needs at least {MIN_PASSWORD_LENGTH} characters",
            hint="a passphrase of four or more random words is easy to type and hard to guess",
        )
    auth = store.find_user_auth(s.conn, username)
    if auth is None:
        raise InputError(f"no user {username!r}", hint="`sijill users list` shows the users")
    digest = (policy or AuthPolicy()).hasher().hash(password)
    store.update_user_auth(
        s.conn, auth.user_id, password_hash=digest, failed_logins=0, locked_until=None
    )
    s.audit("user.password", f"user:{username}")


def seal_totp_secret(key: WorkspaceKey, user_id: int, secret: str) -> bytes:
    """Encrypt a TOTP secret under its own data key, bound to the user's row."""
    wrapped, record = FieldCipher(key).new_record(_TOTP_TABLE, user_id)
    return wrapped + record.encrypt(_TOTP_FIELD, secret)


def open_totp_secret(key: WorkspaceKey, user_id: int, sealed: bytes) -> str:
    """Decrypt a sealed TOTP secret (IntegrityError if it was altered or moved)."""
    wrapped, token = sealed[:DATA_KEY_TOKEN_BYTES], sealed[DATA_KEY_TOKEN_BYTES:]
    record = FieldCipher(key).open_record(_TOTP_TABLE, user_id, wrapped)
    return record.decrypt(_TOTP_FIELD, token)


def rewrap_totp_secrets(conn: Connection, old_key: WorkspaceKey, new_key: WorkspaceKey) -> int:
    """Re-wrap every sealed TOTP secret for a rotated workspace key; returns how many."""
    from sqlalchemy import select

    from sijill.store.schema import users

    old, new = FieldCipher(old_key), FieldCipher(new_key)
    count = 0
    rows = conn.execute(select(users.c.id, users.c.totp_secret).where(users.c.totp_secret != None))  # noqa: E711
    for row in rows.all():
        sealed = bytes(row.totp_secret)
        wrapped, token = sealed[:DATA_KEY_TOKEN_BYTES], sealed[DATA_KEY_TOKEN_BYTES:]
        rewrapped = old.rewrap(wrapped, _TOTP_TABLE, row.id, new)
        store.update_user_auth(conn, row.id, totp_secret=rewrapped + token)
        count += 1
    return count


def enrol_totp(s: Session, username: str) -> TotpEnrolment:
    """Give a user a new TOTP secret (replacing any old one) and end their sessions."""
    _may_manage(s, username)
    auth = store.find_user_auth(s.conn, username)
    if auth is None:
        raise InputError(f"no user {username!r}", hint="`sijill users list` shows the users")
    secret = pyotp.random_base32()
    store.update_user_auth(
        s.conn,
        auth.user_id,
        totp_secret=seal_totp_secret(s.key, auth.user_id, secret),
        totp_last_step=None,
    )
    store.delete_user_sessions(s.conn, auth.user_id)
    s.audit("user.totp", f"user:{username}")
    uri = pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name="Sijill")
    return TotpEnrolment(username, secret, uri)


def _verify_password(hasher: PasswordHasher, stored: str | None, password: str) -> bool:
    try:
        return bool(hasher.verify(stored or _dummy_hash(), password)) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


_DUMMY_HASH: list[str] = []


def _dummy_hash() -> str:
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(PasswordHasher().hash(_DUMMY_PASSWORD))
    return _DUMMY_HASH[0]


def _verify_totp(key: WorkspaceKey, auth: store.UserAuth, code: str, at: datetime) -> int | None:
    """The time step the code belongs to (the previous, current or next one), or None."""
    if auth.totp_secret is None:
        return None
    try:
        secret = open_totp_secret(key, auth.user_id, auth.totp_secret)
    except IntegrityError:
        return None
    totp = pyotp.TOTP(secret)
    for offset in (-1, 0, 1):
        when = at + timedelta(seconds=offset * totp.interval)
        if hmac.compare_digest(totp.at(when), code.strip()):
            return int(totp.timecode(when))
    return None


_WRONG = "the user name, password or code is wrong"


def login(
    workspace: Workspace,
    key: WorkspaceKey,
    username: str,
    password: str,
    code: str = "",
    *,
    policy: AuthPolicy | None = None,
    now: datetime | None = None,
) -> LoginResult:
    """Check a password and TOTP code; on success open a new session (always a fresh id).

    Every failure gives the same message. After `policy.free_failures` consecutive failures
    the account waits a growing delay, and after `policy.lockout_after` it is locked for
    `policy.max_delay_seconds`; attempts during a wait are refused without being checked.
    """
    policy = policy or AuthPolicy()
    at = _now(now)
    with workspace.engine.begin() as conn:
        auth = store.find_user_auth(conn, username)
        if auth is not None and auth.locked_until is not None and auth.locked_until > at:
            wait = int((auth.locked_until - at).total_seconds()) + 1
            raise LoginRefusedError(
                f"too many failed sign-ins: wait {wait} s before trying again",
                hint="an admin can reset the password with `sijill users set-password`",
                retry_after=wait,
            )
        password_ok = _verify_password(
            policy.hasher(), auth.password_hash if auth else None, password
        )
        if auth is None or auth.disabled or not password_ok:
            _record_failure(conn, auth, username, policy, at)
        else:
            has_totp = auth.totp_secret is not None
            step = _verify_totp(key, auth, code, at) if has_totp else None
            replayed = (
                step is not None
                and policy.single_use_codes
                and auth.totp_last_step is not None
                and step <= auth.totp_last_step
            )
            totp_ok = step is not None and not replayed
            if (has_totp and not totp_ok) or (policy.require_totp and not has_totp):
                _record_failure(conn, auth, username, policy, at)
            else:
                if step is not None:
                    store.update_user_auth(conn, auth.user_id, totp_last_step=step)
                return _open_session(conn, auth, totp_ok, policy, at)
    raise LoginRefusedError(_WRONG, hint="check the code on your authenticator app")


def _record_failure(
    conn: Connection,
    auth: store.UserAuth | None,
    username: str,
    policy: AuthPolicy,
    at: datetime,
) -> None:
    if auth is None:
        # Nothing to count against; the refusal is still audited (name cut short, no secrets).
        audit_store.append_entry(conn, username[:64], "web.login_failed", "", {"known": False})
        return
    failures = auth.failed_logins + 1
    delay = policy.delay_after(failures)
    locked = at + timedelta(seconds=delay) if delay else None
    store.update_user_auth(conn, auth.user_id, failed_logins=failures, locked_until=locked)
    audit_store.append_entry(
        conn,
        auth.username,
        "web.login_failed",
        f"user:{auth.username}",
        {"failures": failures, "delay_s": delay},
    )


def _open_session(
    conn: Connection, auth: store.UserAuth, totp_ok: bool, policy: AuthPolicy, at: datetime
) -> LoginResult:
    session_id = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    store.delete_expired(conn, at)
    store.add_session(
        conn,
        store.WebSessionRow(
            hash_session_id(session_id),
            auth.user_id,
            csrf,
            totp_ok,
            at,
            at,
            at + timedelta(hours=policy.session_hours),
        ),
    )
    store.update_user_auth(conn, auth.user_id, failed_logins=0, locked_until=None)
    audit_store.append_entry(
        conn, auth.username, "web.login", f"user:{auth.username}", {"totp": totp_ok}
    )
    return LoginResult(session_id, csrf, auth.username, auth.language)


def identify(
    workspace: Workspace,
    session_id: str,
    *,
    policy: AuthPolicy | None = None,
    now: datetime | None = None,
) -> WebIdentity | None:
    """The signed-in user of a session id, or None if it is unknown, expired or revoked."""
    policy = policy or AuthPolicy()
    at = _now(now)
    if not session_id or len(session_id) > 200:
        return None
    id_hash = hash_session_id(session_id)
    with workspace.engine.begin() as conn:
        row = store.find_session(conn, id_hash)
        if row is None:
            return None
        auth = store.get_user_auth(conn, row.user_id)
        idle = row.last_seen_at + timedelta(minutes=policy.idle_minutes)
        revoked = (
            auth.sessions_valid_after is not None and row.created_at <= auth.sessions_valid_after
        )
        no_factor = policy.require_totp and not row.second_factor_done
        if row.expires_at <= at or idle <= at or auth.disabled or revoked or no_factor:
            store.delete_session(conn, id_hash)
            return None
        if (at - row.last_seen_at).total_seconds() > 60:
            store.touch_session(conn, id_hash, at)
        return WebIdentity(
            auth.user_id, auth.username, auth.role, auth.language, row.csrf_token, id_hash
        )


def csrf_matches(identity: WebIdentity, token: str | None) -> bool:
    """Whether a submitted CSRF token is this session's (constant-time)."""
    return bool(token) and hmac.compare_digest(identity.csrf_token, token or "")


def logout(workspace: Workspace, identity: WebIdentity) -> None:
    """End this session."""
    with workspace.engine.begin() as conn:
        store.delete_session(conn, identity.id_hash)
        audit_store.append_entry(conn, identity.username, "web.logout", f"user:{identity.username}")


def logout_everywhere(s: Session, *, now: datetime | None = None) -> int:
    """End every session of the acting user (e.g. after losing a laptop); returns how many."""
    auth = store.get_user_auth(s.conn, s.actor.id)
    store.update_user_auth(s.conn, auth.user_id, sessions_valid_after=_now(now))
    count = store.delete_user_sessions(s.conn, auth.user_id)
    s.audit("web.logout_everywhere", f"user:{auth.username}", sessions=count)
    return count


def set_language(s: Session, language: str) -> str:
    """Choose the acting user's interface language ("en" or "ar")."""
    if language not in LANGUAGES:
        raise InputError(f"unknown interface language {language!r}", hint="use en or ar")
    store.update_user_auth(s.conn, s.actor.id, language=language)
    s.audit("user.language", f"user:{s.actor.username}", language=language)
    return language


def user_language(s: Session) -> str:
    """The acting user's interface language."""
    return store.get_user_auth(s.conn, s.actor.id).language
