"""Canary test: planted witness names never appear in any byte the vault writes."""

from __future__ import annotations

import sqlite3
import unicodedata
from pathlib import Path

import pytest

from sijill.errors import IntegrityError, SijillError
from sijill.vault.audit_chain import AuditChain, serialise_log
from sijill.vault.backup import backup_workspace
from sijill.vault.blind_index import BlindIndexer
from sijill.vault.envelope import FieldCipher
from sijill.vault.file_crypto import encrypt_file
from sijill.vault.keys import KdfParams, create_keyring
from sijill.vault.shamir import split_workspace_key
from sijill.vault.signing import AuditSigner, export_head

FAST = KdfParams(time_cost=1, memory_cost_kib=64, parallelism=1)
_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _canaries() -> list[str]:
    names = []
    for i in range(30):
        names.append(f"Zafirqa Canaryon-{i:02d} al-Wudhayf")
        names.append(f"زفيرقة كناريون {str(i).translate(_ARABIC_DIGITS)} الوضيفي")
    return names


def _needles(text: str) -> set[bytes]:
    forms = {text, text.casefold(), text.upper()}
    for form in ("NFC", "NFD", "NFKC", "NFKD"):
        forms.add(unicodedata.normalize(form, text))
    needles = set()
    for form in forms:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            needles.add(form.encode(encoding))
        needles.add(form.encode("utf-8").hex().encode())
    # the most distinctive piece alone, so a partial leak is caught too
    needles.add(text.split()[1].encode("utf-8"))
    return needles


def test_no_planted_name_appears_in_any_written_byte(tmp_path: Path) -> None:
    canaries = _canaries()
    assert len(canaries) >= 50
    workspace = tmp_path / "workspace"
    (workspace / "keys").mkdir(parents=True)
    passphrase = canaries[0]
    keyring, key = create_keyring(passphrase, workspace_id="ws-canary", params=FAST)
    keyring.save(workspace / "keys" / "keyring.json")
    signer = AuditSigner.generate()
    signer.save(workspace / "keys" / "audit-signing.json", key)

    cipher = FieldCipher(key)
    index = BlindIndexer(key)
    chain = AuditChain()
    rows = bytearray()
    errors: list[str] = []
    for row_id, name in enumerate(canaries, start=1):
        code = f"W-{row_id:03d}"
        wrapped, record = cipher.new_record("sources", row_id)
        token = record.encrypt("name", name)
        rows += wrapped + token + "".join(index.terms(name)).encode()
        chain.append(actor="investigator-1", action="source.create", target=code)
        # provoke an error: the token read as another field must not echo the name
        try:
            record.decrypt("contact", token)
        except IntegrityError as exc:
            errors.append(str(exc))
        if row_id % 7 == 0:  # delete: crypto-shred by dropping the wrapped key
            rows += token
            chain.append(actor="admin", action="source.delete", target=code)
    (workspace / "sijill.db").write_bytes(bytes(rows))
    (workspace / "audit.log").write_bytes(serialise_log(chain.entries))
    export_head(signer.sign_head(chain.entries[-1]), tmp_path / "head.json")
    plain_evidence = tmp_path / "statement.txt"
    plain_evidence.write_text("\n".join(canaries), encoding="utf-8")
    encrypt_file(plain_evidence, workspace / "statement.sjl", key)
    plain_evidence.unlink()
    (tmp_path / "shares.txt").write_text("\n".join(split_workspace_key(key, shares=3, threshold=2)))
    backup_workspace(workspace, tmp_path / "backup.sjb", key, workspace_id="ws-canary")
    (tmp_path / "errors.log").write_text("\n".join(errors), encoding="utf-8")
    assert len(errors) == len(canaries)

    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) >= 9
    hits = [
        (path.name, name)
        for path in files
        for name in canaries
        if any(needle in path.read_bytes() for needle in _needles(name))
    ]
    assert hits == []


def test_errors_from_the_vault_never_quote_plaintext() -> None:
    from sijill.vault.keys import WorkspaceKey

    cipher = FieldCipher(WorkspaceKey.generate())
    name = _canaries()[1]
    wrapped, record = cipher.new_record("sources", 1)
    token = record.encrypt("name", name)
    for attempt in (
        lambda: record.decrypt("name", token[:-1]),
        lambda: record.decrypt("phone", token),
        lambda: cipher.open_record("sources", 2, wrapped),
    ):
        with pytest.raises(SijillError) as info:
            attempt()
        assert name not in str(info.value) and name.split()[1] not in repr(info.value)


def test_sqlite_database_and_wal_hold_no_planted_name(tmp_path: Path) -> None:
    from sijill.vault.identity import IdentityVault
    from sijill.vault.keys import WorkspaceKey

    canaries = _canaries()
    vault = IdentityVault(WorkspaceKey.generate())
    db = sqlite3.connect(tmp_path / "sijill.db")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE sources (id INTEGER PRIMARY KEY, data_key BLOB, name_ar BLOB)")
    db.execute("CREATE TABLE terms (id INTEGER, domain TEXT, term TEXT)")
    with db:
        for row_id, name in enumerate(canaries, start=1):
            sealed = vault.seal("sources", row_id, {"name_ar": name})
            db.execute(
                "INSERT INTO sources VALUES (?, ?, ?)",
                (row_id, sealed.data_key, sealed.fields["name_ar"]),
            )
            db.executemany(
                "INSERT INTO terms VALUES (?, ?, ?)",
                [(row_id, d, t) for d, ts in sealed.index_terms.items() for t in ts],
            )
    with db:  # edit one, crypto-shred some
        row = db.execute("SELECT data_key FROM sources WHERE id = 3").fetchone()
        edited = vault.reseal("sources", 3, row[0], {"name_ar": canaries[3] + " (edited)"})
        db.execute("UPDATE sources SET name_ar = ? WHERE id = 3", (edited.fields["name_ar"],))
        db.execute("UPDATE sources SET data_key = NULL WHERE id % 5 = 0")
    stored = db.execute("SELECT id, data_key, name_ar FROM sources WHERE id = 3").fetchone()
    assert vault.open("sources", 3, stored[1], {"name_ar": stored[2]})["name_ar"].endswith(
        "(edited)"
    )
    files = [p for p in tmp_path.iterdir() if p.is_file()]
    assert {p.name for p in files} >= {"sijill.db", "sijill.db-wal"}
    hits = [
        (path.name, name)
        for path in files
        for name in canaries
        if any(needle in path.read_bytes() for needle in _needles(name))
    ]
    db.close()
    assert hits == []
