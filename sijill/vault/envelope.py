"""Field-level envelope encryption: per-record data keys wrapped by the workspace key.

Each protected record (a source, a contact) gets its own random 32-byte data key. The data key
is stored wrapped (AES-256-GCM) by a subkey of the workspace key, with ``datakey|table|row_id``
as associated data. Each protected field is encrypted (AES-256-GCM) under the record's data key
with ``field|table|row_id|field_name`` as associated data, so a ciphertext copied to another row
or another field does not decrypt: it raises `IntegrityError` naming the table, row and field.

Token formats (compact bytes, for BLOB columns)::

    field token:    0x01 'F' nonce(12) ciphertext+tag(16)
    data-key token: 0x01 'K' key_id(8) nonce(12) wrapped key(32)+tag(16)

The leading version byte is also bound into the associated data. The key id in a data-key token
says which workspace key wrapped it, so a half-finished rotation is reported as such.

Key rotation re-wraps the data keys only (`FieldCipher.rewrap`); field tokens never change.

Nonces are random (96 bits). Each data key encrypts a handful of fields and the wrapping subkey
one data key per record, far below the 2^32 messages per key that NIST SP 800-38D allows for
random nonces, even for millions of records.

Crypto-shredding: to destroy a record's protected fields, the caller deletes its wrapped data
key (and may delete the field tokens too). Without the data key the tokens are random noise,
even where copies of them survive (free database pages, the WAL). Copies of the *wrapped data
key* can survive in old database pages and in backups taken before the deletion; those stay
openable with the workspace key. So after deleting sources: run SQLite ``VACUUM`` with
``secure_delete`` on, then rotate the workspace key and destroy keyring copies, key shares and
backups that predate the rotation; backups are encrypted under the workspace key they were made
with, so they become unreadable with it.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from sijill.errors import InputError, IntegrityError
from sijill.vault.keys import KEY_BYTES, NONCE_BYTES, WorkspaceKey

FORMAT_VERSION = 1
_VERSION = bytes([FORMAT_VERSION])
_FIELD = b"F"
_DATA_KEY = b"K"
_KEY_ID_BYTES = 8
_TAG_BYTES = 16
DATA_KEY_TOKEN_BYTES = 2 + _KEY_ID_BYTES + NONCE_BYTES + KEY_BYTES + _TAG_BYTES
_WRAP_LABEL = "datakey-wrap"

RowId = int | str


class RecordCipher:
    """Encrypts and decrypts the protected fields of one record with its data key."""

    __slots__ = ("_aead", "row_id", "table")

    def __init__(self, data_key: bytes, table: str, row_id: RowId) -> None:
        if len(data_key) != KEY_BYTES:
            raise InputError(f"a data key is {KEY_BYTES} bytes")
        self.table = _check_part("table", table)
        self.row_id = _check_part("row id", str(row_id))
        self._aead = AESGCM(data_key)

    def encrypt(self, field: str, value: str) -> bytes:
        """Encrypt one field value into a token bound to this table, row and field."""
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, value.encode("utf-8"), self._aad(field))
        return _VERSION + _FIELD + nonce + sealed

    def decrypt(self, field: str, token: bytes) -> str:
        """Decrypt a token; raise IntegrityError if it was altered or belongs elsewhere."""
        if len(token) < 2 + NONCE_BYTES + _TAG_BYTES or token[:2] != _VERSION + _FIELD:
            raise self._error(field, "is not a Sijill field token of a supported version")
        nonce, sealed = token[2 : 2 + NONCE_BYTES], token[2 + NONCE_BYTES :]
        try:
            plain = self._aead.decrypt(nonce, sealed, self._aad(field))
        except InvalidTag:
            raise self._error(
                field,
                "failed its integrity check: it was altered, copied from another row or field, "
                "or the record's data key is wrong",
            ) from None
        return plain.decode("utf-8")

    def encrypt_fields(self, values: Mapping[str, str | None]) -> dict[str, bytes | None]:
        """Encrypt several fields at once; None stays None (an empty protected field)."""
        return {f: None if v is None else self.encrypt(f, v) for f, v in values.items()}

    def decrypt_fields(self, tokens: Mapping[str, bytes | None]) -> dict[str, str | None]:
        """Decrypt several fields at once; None stays None."""
        return {f: None if t is None else self.decrypt(f, t) for f, t in tokens.items()}

    def _aad(self, field: str) -> bytes:
        name = _check_part("field", field)
        return _VERSION + f"field|{self.table}|{self.row_id}|{name}".encode()

    def _error(self, field: str, problem: str) -> IntegrityError:
        return IntegrityError(
            f"protected field {self.table}.{field} of row {self.row_id} {problem}",
            hint="restore this record from a backup; run `sijill audit verify` to look for "
            "tampering",
        )


class FieldCipher:
    """The one narrow interface the store uses for protected fields.

    Typical use::

        cipher = FieldCipher(workspace_key)
        wrapped, record = cipher.new_record("sources", 17)
        row.data_key = wrapped
        row.name_ar = record.encrypt("name_ar", "...")
        ...
        record = cipher.open_record("sources", 17, row.data_key)
        name = record.decrypt("name_ar", row.name_ar)
    """

    def __init__(self, workspace_key: WorkspaceKey) -> None:
        self.key_id = bytes.fromhex(workspace_key.key_id)
        self._wrap = AESGCM(workspace_key.derive(_WRAP_LABEL))

    def new_record(self, table: str, row_id: RowId) -> tuple[bytes, RecordCipher]:
        """Create a data key for a new record; store the returned wrapped key with the row."""
        data_key = secrets.token_bytes(KEY_BYTES)
        return self._wrap_key(data_key, table, row_id), RecordCipher(data_key, table, row_id)

    def open_record(self, table: str, row_id: RowId, wrapped_key: bytes) -> RecordCipher:
        """Unwrap a record's data key; raise IntegrityError if it is not this record's."""
        return RecordCipher(self._unwrap_key(wrapped_key, table, row_id), table, row_id)

    def rewrap(
        self, wrapped_key: bytes, table: str, row_id: RowId, new_cipher: FieldCipher
    ) -> bytes:
        """Re-wrap one record's data key under another workspace key (key rotation)."""
        return new_cipher._wrap_key(self._unwrap_key(wrapped_key, table, row_id), table, row_id)

    def is_current(self, wrapped_key: bytes) -> bool:
        """Say whether a wrapped data key was made with this workspace key (rotation progress)."""
        return hmac.compare_digest(wrapped_key[2 : 2 + _KEY_ID_BYTES], self.key_id)

    def _wrap_key(self, data_key: bytes, table: str, row_id: RowId) -> bytes:
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = self._wrap.encrypt(nonce, data_key, _key_aad(table, row_id))
        return _VERSION + _DATA_KEY + self.key_id + nonce + sealed

    def _unwrap_key(self, wrapped_key: bytes, table: str, row_id: RowId) -> bytes:
        where = f"{table} row {row_id}"
        if len(wrapped_key) != DATA_KEY_TOKEN_BYTES or wrapped_key[:2] != _VERSION + _DATA_KEY:
            raise IntegrityError(f"the data key of {where} is damaged or of an unknown version")
        if not self.is_current(wrapped_key):
            raise IntegrityError(
                f"the data key of {where} is wrapped under another workspace key "
                f"(id {wrapped_key[2 : 2 + _KEY_ID_BYTES].hex()}, this key is {self.key_id.hex()})",
                hint="finish the interrupted key rotation (`sijill keys rotate`) or unlock the "
                "workspace this record came from",
            )
        nonce = wrapped_key[2 + _KEY_ID_BYTES : 2 + _KEY_ID_BYTES + NONCE_BYTES]
        sealed = wrapped_key[2 + _KEY_ID_BYTES + NONCE_BYTES :]
        try:
            return self._wrap.decrypt(nonce, sealed, _key_aad(table, row_id))
        except InvalidTag:
            raise IntegrityError(
                f"the data key of {where} failed its integrity check: it was altered or copied "
                "from another record",
                hint="restore this record from a backup",
            ) from None


def _key_aad(table: str, row_id: RowId) -> bytes:
    return _VERSION + (
        f"datakey|{_check_part('table', table)}|{_check_part('row id', str(row_id))}".encode()
    )


def _check_part(what: str, value: str) -> str:
    # The separator must not occur inside a part, or ("a|b", "c") and ("a", "b|c") would share
    # associated data and a token could be moved between them.
    if not value or "|" in value or "\x00" in value:
        raise InputError(f"{what} {value!r} cannot be used for encryption: empty or contains '|'")
    return value
