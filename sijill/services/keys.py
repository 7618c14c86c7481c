"""Use cases for the workspace key: unlock (resuming an interrupted rotation), rotate, split, recover."""

from __future__ import annotations

from pathlib import Path

from sijill.errors import InputError, WorkspaceError
from sijill.services import name_index
from sijill.services.access import Permission
from sijill.services.name_index import name_index_forms
from sijill.services.session import Session
from sijill.services.web_auth import rewrap_totp_secrets
from sijill.store import audit, identities
from sijill.vault.identity import IdentityVault
from sijill.vault.keys import (
    Keyring,
    WorkspaceKey,
    keyring_for_recovered_key,
    read_key_file,
    rotate,
    unlock_with_key_file,
    write_key_file,
)
from sijill.vault.keys import add_key_file as add_key_file_wrapping
from sijill.vault.shamir import recover_workspace_key, split_workspace_key
from sijill.vault.signing import rewrap_signing_key
from sijill.workspace import Workspace


def _pending(workspace: Workspace) -> Path:
    return workspace.settings.keys_dir / "keyring.pending.json"


def signing_key_path(workspace: Workspace) -> Path:
    """The audit signing key file (private key encrypted under the workspace key)."""
    return workspace.settings.keys_dir / "audit-signing.json"


def unlock_workspace(workspace: Workspace, passphrase: str) -> WorkspaceKey:
    """Unlock with the passphrase, first finishing or abandoning an interrupted key rotation."""
    pending = _pending(workspace)
    if pending.exists():
        _resume_rotation(workspace, passphrase, pending)
    return workspace.unlock(passphrase)


def _resume_rotation(workspace: Workspace, passphrase: str, pending: Path) -> None:
    old_key = workspace.unlock(passphrase)
    new_key = workspace.unlock_keyring(Keyring.load(pending), passphrase)
    new_vault = IdentityVault(new_key)
    with workspace.engine.connect() as conn:
        wrapped = identities.wrapped_keys(conn)
    if wrapped and all(new_vault.cipher.is_current(w) for _, _, w in wrapped):
        rewrap_signing_key(signing_key_path(workspace), old_key, new_key)
        pending.replace(workspace.keyring_path)
    else:  # the database transaction never committed: the old key is still the key
        pending.unlink()


def rotate_keys(workspace: Workspace, passphrase: str, actor: str) -> tuple[str, tuple[str, ...]]:
    """Replace the workspace key: re-wrap every data key and re-index names; data stays as it is.

    Follows the crash-safe order: pending keyring, one database transaction, signing key,
    atomic rename. Returns the new key id and the labels of key files that no longer unlock
    (make new ones). Old shares and old backups keep the old key.
    """
    old_keyring = Keyring.load(workspace.keyring_path)
    rotation = rotate(old_keyring, passphrase)
    pending = _pending(workspace)
    rotation.keyring.save(pending)
    old_vault = IdentityVault(rotation.old_key, normalise=name_index_forms)
    new_vault = IdentityVault(rotation.new_key, normalise=name_index_forms)
    with workspace.engine.begin() as conn:
        for table, owner_id, wrapped in identities.wrapped_keys(conn):
            if table == identities.TABLE:  # names are re-indexed: index terms depend on the key
                stored = identities.load_sealed(conn, owner_id)
                if stored is not None:
                    opened = old_vault.open(table, owner_id, stored[0], stored[1])
                    identities.replace_terms(conn, owner_id, new_vault.index_terms_for(opened))
            new_wrapped = old_vault.rewrap(table, owner_id, wrapped, new_vault)
            identities.replace_wrapped_key(conn, table, owner_id, new_wrapped)
        name_index.mark_index_current(conn)  # the terms above follow today's name rules
        totp = rewrap_totp_secrets(conn, rotation.old_key, rotation.new_key)
        audit.append_entry(
            conn,
            actor,
            "keys.rotate",
            "",
            {"new_key_id": rotation.new_key.key_id, "totp_rewrapped": totp},
        )
    rewrap_signing_key(signing_key_path(workspace), rotation.old_key, rotation.new_key)
    pending.replace(workspace.keyring_path)
    return rotation.new_key.key_id, rotation.dropped_key_files


def add_key_file(s: Session, path: Path, label: str) -> None:
    """Create a key file that also unlocks the workspace (admins); keep it on removable media."""
    s.require(Permission.MANAGE_KEYS)
    if not label.strip():
        raise InputError("give the key file a label", hint='e.g. --label "usb-stick-1"')
    keyring_path = s.workspace.keyring_path
    keyring = Keyring.load(keyring_path)
    if any(w.label == label for w in keyring.wrappings):
        raise InputError(f"the keyring already has a key file labelled {label!r}")
    secret = write_key_file(path)
    add_key_file_wrapping(keyring, s.key, secret, label).save(keyring_path)
    s.audit("keys.add_key_file", "", label=label)


def unlock_with_key_file_at(workspace: Workspace, path: Path) -> WorkspaceKey:
    """Unlock the workspace with a key file instead of the passphrase."""
    return unlock_with_key_file(Keyring.load(workspace.keyring_path), read_key_file(path))


def split_key(s: Session, shares: int, threshold: int) -> list[str]:
    """Split the workspace key into shares for safekeeping (admins); any `threshold` recover it."""
    s.require(Permission.MANAGE_KEYS)
    if not 2 <= threshold <= shares <= 16:
        raise InputError("need 2 ≤ threshold ≤ shares ≤ 16", hint="e.g. --shares 3 --threshold 2")
    texts = split_workspace_key(s.key, shares=shares, threshold=threshold)
    s.audit("keys.split", "", shares=shares, threshold=threshold)
    return texts


def recover_key(
    workspace: Workspace, share_texts: list[str], new_passphrase: str, actor: str
) -> str:
    """Rebuild the keyring from key shares under a new passphrase (when the passphrase is lost)."""
    key = recover_workspace_key(share_texts)
    keyring = Keyring.load(workspace.keyring_path)
    if key.key_id != keyring.key_id:
        raise WorkspaceError(
            "these shares recover a key that does not belong to this workspace (or an old, rotated key)",
            hint="use shares made since the last `sijill keys rotate`; nothing was changed",
        )
    fresh = keyring_for_recovered_key(
        key, new_passphrase, workspace_id=keyring.workspace_id, params=keyring.kdf
    )
    fresh.save(workspace.keyring_path)
    (workspace.settings.keys_dir / "unlock-failures.json").unlink(missing_ok=True)
    with workspace.engine.begin() as conn:
        audit.append_entry(conn, actor, "keys.recover", "", {"key_id": key.key_id})
    return key.key_id
