"""Protection of witness identities: keys, envelope encryption, shares, audit chain, backups.

Modules, one job each:

- `keys`: the workspace key and its keyring (passphrase, key files, rotation);
- `kdf`: Argon2id for passphrases (RFC 9106 settings) and HKDF for labelled subkeys;
- `unlock`: passphrase sources (file, ``SIJILL_PASSPHRASE``) and growing delays after failures;
- `envelope`: per-record data keys and field tokens bound to table, row and field;
- `identity`: `IdentityVault`, the one interface the store uses for identity fields;
- `blind_index`: keyed HMAC terms of normalised names for look-up and blocking;
- `file_crypto`: streaming chunked encryption of evidence files;
- `shamir`: splitting the workspace key into shares for trustees, and recovery;
- `audit_chain` and `signing`: the hash-chained audit log and its Ed25519-signed heads;
- `backup`: encrypted, verified backup and restore of a workspace folder.
"""

from sijill.vault.audit_chain import AuditChain, AuditEntry, ChainVerification, verify_chain
from sijill.vault.backup import backup_workspace, read_backup_info, restore_workspace
from sijill.vault.blind_index import BlindIndexer
from sijill.vault.envelope import FieldCipher, RecordCipher
from sijill.vault.identity import IdentityVault, SealedIdentity
from sijill.vault.keys import (
    KdfParams,
    Keyring,
    KeyRotation,
    WorkspaceKey,
    change_passphrase,
    create_keyring,
    rotate,
    unlock,
    unlock_with_key_file,
)
from sijill.vault.shamir import recover_workspace_key, split_workspace_key
from sijill.vault.signing import AuditSigner, SignedHead, export_head, load_head
from sijill.vault.unlock import read_passphrase, unlock_with_backoff

__all__ = [
    "AuditChain",
    "AuditEntry",
    "AuditSigner",
    "BlindIndexer",
    "ChainVerification",
    "FieldCipher",
    "IdentityVault",
    "KdfParams",
    "KeyRotation",
    "Keyring",
    "RecordCipher",
    "SealedIdentity",
    "SignedHead",
    "WorkspaceKey",
    "backup_workspace",
    "change_passphrase",
    "create_keyring",
    "export_head",
    "load_head",
    "read_backup_info",
    "read_passphrase",
    "recover_workspace_key",
    "restore_workspace",
    "rotate",
    "split_workspace_key",
    "unlock",
    "unlock_with_backoff",
    "unlock_with_key_file",
    "verify_chain",
]
