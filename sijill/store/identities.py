"""The ONE narrow interface to source identities: sealed per field, keyed per record.

Everything that identifies a source goes through `write_identity` / `read_identity` /
`shred_identity`. Values are sealed by a `RecordSealer` (the vault's envelope encryption): a
per-record data key wrapped by the workspace key, each field bound to table, row and field name.
Deleting the wrapped data key (crypto-shredding) makes every copy of the fields unreadable.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import Connection, delete, insert, select, update

from sijill.domain.sources import SourceIdentity
from sijill.store.schema import blind_index, data_keys, source_identity_fields

TABLE = "sources"


class RecordCipherLike(Protocol):
    """Encrypts and decrypts the fields of one record."""

    def encrypt(self, field: str, value: str) -> bytes: ...

    def decrypt(self, field: str, token: bytes) -> str: ...


class RecordSealer(Protocol):
    """Creates and opens per-record ciphers (implemented by `sijill.vault.envelope.FieldCipher`)."""

    def new_record(self, table: str, row_id: int) -> tuple[bytes, RecordCipherLike]: ...

    def open_record(self, table: str, row_id: int, wrapped_key: bytes) -> RecordCipherLike: ...


def _cipher(conn: Connection, sealer: RecordSealer, source_id: int) -> RecordCipherLike:
    wrapped = conn.execute(
        select(data_keys.c.wrapped).where(
            data_keys.c.owner_table == TABLE, data_keys.c.owner_id == source_id
        )
    ).scalar()
    if wrapped is not None:
        return sealer.open_record(TABLE, source_id, wrapped)
    wrapped, cipher = sealer.new_record(TABLE, source_id)
    conn.execute(
        insert(data_keys).values(
            owner_table=TABLE, owner_id=source_id, wrapped=wrapped, key_version=1
        )
    )
    return cipher


def write_identity(
    conn: Connection,
    sealer: RecordSealer,
    source_id: int,
    identity: SourceIdentity,
    index_tokens: dict[str, list[str]] | None = None,
) -> None:
    """Replace a source's identity: every field sealed; blind-index tokens replaced."""
    cipher = _cipher(conn, sealer, source_id)
    conn.execute(
        delete(source_identity_fields).where(source_identity_fields.c.source_id == source_id)
    )
    rows = [
        {"source_id": source_id, "field": name, "sealed": cipher.encrypt(name, value)}
        for name, value in identity.as_dict().items()
    ]
    if rows:
        conn.execute(insert(source_identity_fields), rows)
    conn.execute(
        delete(blind_index).where(
            blind_index.c.owner_table == TABLE, blind_index.c.owner_id == source_id
        )
    )
    tokens = [
        {"owner_table": TABLE, "owner_id": source_id, "field": field, "token": token}
        for field, values in (index_tokens or {}).items()
        for token in dict.fromkeys(values)
    ]
    if tokens:
        conn.execute(insert(blind_index), tokens)


def read_identity(conn: Connection, sealer: RecordSealer, source_id: int) -> SourceIdentity | None:
    """A source's identity, or None when it has none (or it was shredded)."""
    rows = conn.execute(
        select(source_identity_fields.c.field, source_identity_fields.c.sealed).where(
            source_identity_fields.c.source_id == source_id
        )
    ).all()
    wrapped = conn.execute(
        select(data_keys.c.wrapped).where(
            data_keys.c.owner_table == TABLE, data_keys.c.owner_id == source_id
        )
    ).scalar()
    if not rows or wrapped is None:
        return None
    cipher = sealer.open_record(TABLE, source_id, wrapped)
    return SourceIdentity.from_dict({r.field: cipher.decrypt(r.field, r.sealed) for r in rows})


def find_by_token(conn: Connection, field: str, token: str) -> list[int]:
    """Source ids whose blind index holds `token` for `field` (no decryption involved)."""
    rows = conn.execute(
        select(blind_index.c.owner_id).where(
            blind_index.c.owner_table == TABLE,
            blind_index.c.field == field,
            blind_index.c.token == token,
        )
    )
    return sorted({r.owner_id for r in rows})


def shred_identity(conn: Connection, source_id: int) -> None:
    """Crypto-shred: destroy the data key, the sealed fields and the index tokens of a source."""
    conn.execute(
        delete(data_keys).where(data_keys.c.owner_table == TABLE, data_keys.c.owner_id == source_id)
    )
    conn.execute(
        delete(source_identity_fields).where(source_identity_fields.c.source_id == source_id)
    )
    conn.execute(
        delete(blind_index).where(
            blind_index.c.owner_table == TABLE, blind_index.c.owner_id == source_id
        )
    )


def wrapped_keys(conn: Connection) -> list[tuple[str, int, bytes]]:
    """Every wrapped data key (for key rotation: re-wrap, never re-encrypt data)."""
    return [(r.owner_table, r.owner_id, r.wrapped) for r in conn.execute(select(data_keys))]


def replace_wrapped_key(
    conn: Connection, table: str, owner_id: int, wrapped: bytes, version: int
) -> None:
    """Store a re-wrapped data key after rotation."""
    conn.execute(
        update(data_keys)
        .where(data_keys.c.owner_table == table, data_keys.c.owner_id == owner_id)
        .values(wrapped=wrapped, key_version=version)
    )
