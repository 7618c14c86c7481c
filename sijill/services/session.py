"""A unit of work: one acting user, one database transaction, audited, with the vault on demand."""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from sijill.domain.cases import User
from sijill.errors import LockedError, NotFoundError, PermissionDeniedError
from sijill.services.access import Permission, allowed
from sijill.services.name_index import name_index_forms
from sijill.store import audit
from sijill.store import cases as case_store
from sijill.vault.identity import IdentityVault
from sijill.vault.keys import WorkspaceKey
from sijill.workspace import Workspace

USER_ENV = "SIJILL_USER"
KeyProvider = Callable[[], WorkspaceKey]


@dataclass
class Session:
    """What every service function receives: who acts, in which transaction, with which key."""

    workspace: Workspace
    conn: Connection
    actor: User
    key_provider: KeyProvider | None = None
    _key: WorkspaceKey | None = field(default=None, repr=False)
    _member_cases: set[int] | None = field(default=None, repr=False)
    _vault: IdentityVault | None = field(default=None, repr=False)
    _refusals: list[tuple[str, str]] = field(default_factory=list, repr=False)

    @property
    def member_cases(self) -> set[int]:
        """The ids of the cases the actor belongs to."""
        if self._member_cases is None:
            self._member_cases = case_store.member_case_ids(self.conn, self.actor.id)
        return self._member_cases

    def can(self, permission: Permission, case_id: int | None = None) -> bool:
        """Whether the actor may do `permission` (in `case_id`, when case-scoped)."""
        member = case_id is None or case_id in self.member_cases
        return allowed(self.actor.role, permission, is_member=member)

    def require(self, permission: Permission, case_id: int | None = None, target: str = "") -> None:
        """Refuse (and audit the refusal) unless the actor may do `permission`."""
        if self.can(permission, case_id):
            return
        self.audit_refusal(permission, target)
        where = " in this case" if case_id is not None and self.actor.role != "admin" else ""
        raise PermissionDeniedError(
            f"{self.actor.username} ({self.actor.role}) may not {permission.value.replace('_', ' ')}{where}",
            hint="ask an admin for the role or case membership this needs",
        )

    def audit(self, action: str, target: str = "", **details: Any) -> None:
        """Write an audit entry in this transaction (never pass protected plaintext)."""
        audit.append_entry(self.conn, self.actor.username, action, target, details)

    def audit_refusal(self, permission: Permission, target: str) -> None:
        """Record a refused request durably, even though the request's own transaction rolls back.

        The entry is written when the session ends, in a transaction of its own: writing it now
        from a second connection would wait on this session's own locks (SQLite's write lock,
        PostgreSQL's audit-chain lock) whenever the session has already written something.
        """
        self._refusals.append((permission.value, target))

    def write_refusals(self) -> None:
        """Write the refusals recorded by `audit_refusal` (called once the session has ended)."""
        if not self._refusals:
            return
        with self.workspace.engine.begin() as conn:
            for permission, target in self._refusals:
                audit.append_entry(
                    conn, self.actor.username, "refused", target, {"permission": permission}
                )
        self._refusals.clear()

    @property
    def key(self) -> WorkspaceKey:
        """The unlocked workspace key (asked for once, when first needed)."""
        if self._key is None:
            if self.key_provider is None:
                raise LockedError(
                    "the workspace is locked: this needs the passphrase",
                    hint="give --passphrase-file FILE or set SIJILL_PASSPHRASE (see `sijill unlock --help`)",
                )
            self._key = self.key_provider()
        return self._key

    @property
    def identity_vault(self) -> IdentityVault:
        """Seals, opens and blind-indexes identity fields under the workspace key."""
        if self._vault is None:
            self._vault = IdentityVault(self.key, normalise=name_index_forms)
        return self._vault


def acting_username(explicit: str | None = None) -> str:
    """The acting user: --user, else SIJILL_USER, else the operating-system user."""
    if explicit:
        return explicit
    if env := os.environ.get(USER_ENV):
        return env
    try:
        return getpass.getuser()
    except Exception:
        return "admin"


@contextmanager
def open_session(
    workspace: Workspace,
    username: str | None = None,
    key_provider: KeyProvider | None = None,
    key: WorkspaceKey | None = None,
) -> Iterator[Session]:
    """One transaction as one user: committed when the block succeeds, rolled back otherwise."""
    name = acting_username(username)
    session: Session | None = None
    try:
        with workspace.engine.begin() as conn:
            try:
                actor = case_store.get_user(conn, name)
            except NotFoundError:
                raise NotFoundError(
                    f"no Sijill user {name!r} in this workspace",
                    hint="an admin adds users with `sijill users add`; choose one with --user or SIJILL_USER",
                ) from None
            if actor.disabled:
                raise PermissionDeniedError(f"user {name!r} is disabled")
            session = Session(workspace, conn, actor, key_provider, key)
            yield session
    finally:
        if session is not None:  # after commit or rollback: refusals are kept either way
            session.write_refusals()
