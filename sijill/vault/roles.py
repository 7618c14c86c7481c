"""Roles and permissions as pure functions; the services enforce them for CLI, API and web alike.

Each cell of the table is one of: never, only for members of the record's case, or always.

================  =====  ============  =======  ========
permission        admin  investigator  analyst  reviewer
================  =====  ============  =======  ========
read_identity     yes    own cases     no       no
write_source      yes    own cases     no       no
read_testimony    yes    own cases     no       own cases
manage_users      yes    no            no       no
read_audit        yes    no            no       yes
run_linkage       yes    yes           yes      no
run_estimate      yes    yes           yes      no
export            yes    own cases     no       no
================  =====  ============  =======  ========

Why: identities and testimonies are need-to-know per case; analysts work on victim lists,
linkage and estimates and never need who the witnesses are; reviewers check work read-only
(which includes the audit log) without seeing identities. Admins hold the workspace and can do
everything; keep that role to very few people. A refusal should itself be audited by the caller.
"""

from __future__ import annotations

from enum import Enum, StrEnum

from sijill.errors import InputError, PermissionDeniedError


class Role(StrEnum):
    """The roles a workspace user can have (exactly one each)."""

    ADMIN = "admin"
    INVESTIGATOR = "investigator"
    ANALYST = "analyst"
    REVIEWER = "reviewer"


class Permission(StrEnum):
    """Actions the services check before acting."""

    READ_IDENTITY = "read_identity"
    WRITE_SOURCE = "write_source"
    READ_TESTIMONY = "read_testimony"
    MANAGE_USERS = "manage_users"
    READ_AUDIT = "read_audit"
    RUN_LINKAGE = "run_linkage"
    RUN_ESTIMATE = "run_estimate"
    EXPORT = "export"


class Scope(Enum):
    """How far one role's permission reaches."""

    NEVER = "never"
    CASE_MEMBER = "case member"
    ALWAYS = "always"


_N, _C, _A = Scope.NEVER, Scope.CASE_MEMBER, Scope.ALWAYS
_P = Permission
PERMISSIONS: dict[Role, dict[Permission, Scope]] = {
    Role.ADMIN: dict.fromkeys(Permission, _A),
    Role.INVESTIGATOR: {
        _P.READ_IDENTITY: _C, _P.WRITE_SOURCE: _C, _P.READ_TESTIMONY: _C, _P.MANAGE_USERS: _N,
        _P.READ_AUDIT: _N, _P.RUN_LINKAGE: _A, _P.RUN_ESTIMATE: _A, _P.EXPORT: _C,
    },
    Role.ANALYST: {
        _P.READ_IDENTITY: _N, _P.WRITE_SOURCE: _N, _P.READ_TESTIMONY: _N, _P.MANAGE_USERS: _N,
        _P.READ_AUDIT: _N, _P.RUN_LINKAGE: _A, _P.RUN_ESTIMATE: _A, _P.EXPORT: _N,
    },
    Role.REVIEWER: {
        _P.READ_IDENTITY: _N, _P.WRITE_SOURCE: _N, _P.READ_TESTIMONY: _C, _P.MANAGE_USERS: _N,
        _P.READ_AUDIT: _A, _P.RUN_LINKAGE: _N, _P.RUN_ESTIMATE: _N, _P.EXPORT: _N,
    },
}  # fmt: skip


def scope(role: Role | str, permission: Permission | str) -> Scope:
    """Return how far `role` holds `permission`; InputError for an unknown role or permission."""
    try:
        return PERMISSIONS[Role(role)][Permission(permission)]
    except ValueError:
        raise InputError(
            f"unknown role {role!r} or permission {permission!r}",
            hint=f"roles: {', '.join(Role)}; permissions: {', '.join(Permission)}",
        ) from None


def can(role: Role | str, permission: Permission | str, *, is_case_member: bool) -> bool:
    """Say whether `role` may do `permission` on a record of a case it is (or is not) in.

    For actions not tied to one case (e.g. manage_users), pass ``is_case_member=False``.
    """
    granted = scope(role, permission)
    return granted is Scope.ALWAYS or (granted is Scope.CASE_MEMBER and is_case_member)


def require(
    role: Role | str, permission: Permission | str, *, is_case_member: bool, target: str = ""
) -> None:
    """Raise PermissionDeniedError unless `can(...)`; the message names role and action."""
    if not can(role, permission, is_case_member=is_case_member):
        where = f" on {target}" if target else ""
        needs_case = scope(role, permission) is Scope.CASE_MEMBER
        raise PermissionDeniedError(
            f"role {Role(role).value} may not {Permission(permission).value}{where}",
            hint="ask an admin to add you to this case" if needs_case else None,
        )
