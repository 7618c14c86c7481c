"""Storage of sealed source identities: wrapped data key, one token per field, blind index terms.

The vault (`sijill.vault.identity.IdentityVault`) seals and opens; this module only stores what it
produces. Deleting the wrapped data key (crypto-shredding) leaves every copy of the tokens — in old
database pages or backups — undecryptable.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, delete, insert, select, update

from sijill.store.schema import blind_index, data_keys, source_identity_fields
from sijill.vault.identity import SealedIdentity

TABLE = "sources"


def save_sealed(conn: Connection, source_id: int, sealed: SealedIdentity) -> None:
    """Replace a source's stored identity (key, tokens, index terms) with `sealed`."""
    key_filter = (data_keys.c.owner_table == TABLE, data_keys.c.owner_id == source_id)
    if conn.execute(select(data_keys.c.owner_id).where(*key_filter)).first() is None:
        conn.execute(
            insert(data_keys).values(owner_table=TABLE, owner_id=source_id, wrapped=sealed.data_key)
        )
    else:
        conn.execute(update(data_keys).where(*key_filter).values(wrapped=sealed.data_key))
    conn.execute(
        delete(source_identity_fields).where(source_identity_fields.c.source_id == source_id)
    )
    rows = [
        {"source_id": source_id, "field": name, "sealed": token}
        for name, token in sealed.fields.items()
        if token is not None
    ]
    if rows:
        conn.execute(insert(source_identity_fields), rows)
    replace_terms(conn, source_id, sealed.index_terms)


def replace_terms(conn: Connection, source_id: int, terms: dict[str, list[str]]) -> None:
    """Replace a source's blind index terms (domain → terms)."""
    conn.execute(
        delete(blind_index).where(
            blind_index.c.owner_table == TABLE, blind_index.c.owner_id == source_id
        )
    )
    rows = [
        {"owner_table": TABLE, "owner_id": source_id, "field": domain, "token": term}
        for domain, values in terms.items()
        for term in values
    ]
    if rows:
        conn.execute(insert(blind_index), rows)


def load_sealed(conn: Connection, source_id: int) -> tuple[bytes, dict[str, bytes | None]] | None:
    """A source's wrapped data key and field tokens, or None when it has no identity."""
    wrapped = conn.execute(
        select(data_keys.c.wrapped).where(
            data_keys.c.owner_table == TABLE, data_keys.c.owner_id == source_id
        )
    ).scalar()
    if wrapped is None:
        return None
    rows = conn.execute(
        select(source_identity_fields.c.field, source_identity_fields.c.sealed).where(
            source_identity_fields.c.source_id == source_id
        )
    )
    return bytes(wrapped), {r.field: bytes(r.sealed) for r in rows}


def find_by_terms(conn: Connection, domain: str, terms: Iterable[str]) -> list[int]:
    """Source ids having any of these blind index terms (no decryption involved)."""
    wanted = list(terms)
    if not wanted:
        return []
    rows = conn.execute(
        select(blind_index.c.owner_id).where(
            blind_index.c.owner_table == TABLE,
            blind_index.c.field == domain,
            blind_index.c.token.in_(wanted),
        )
    )
    return sorted({r.owner_id for r in rows})


def shred(conn: Connection, source_id: int) -> None:
    """Crypto-shred: destroy the data key, the tokens and the index terms of a source."""
    conn.execute(
        delete(data_keys).where(data_keys.c.owner_table == TABLE, data_keys.c.owner_id == source_id)
    )
    conn.execute(
        delete(source_identity_fields).where(source_identity_fields.c.source_id == source_id)
    )
    replace_terms(conn, source_id, {})


def wrapped_keys(conn: Connection) -> list[tuple[str, int, bytes]]:
    """Every wrapped data key (for key rotation: re-wrap, never re-encrypt data)."""
    return [(r.owner_table, r.owner_id, bytes(r.wrapped)) for r in conn.execute(select(data_keys))]


def replace_wrapped_key(conn: Connection, table: str, owner_id: int, wrapped: bytes) -> None:
    """Store a re-wrapped data key after rotation."""
    conn.execute(
        update(data_keys)
        .where(data_keys.c.owner_table == table, data_keys.c.owner_id == owner_id)
        .values(wrapped=wrapped, key_version=data_keys.c.key_version + 1)
    )
