"""Benchmark of the vault library path: identity-field encryption vs a plaintext baseline.

Run: .venv/bin/python bench/vault_throughput.py [--rows N]
Prints rows/s for writing and reading four identity fields per row with and without
encryption (same run, same synthetic rows), plus key re-wrapping, blind indexes, file
encryption, audit chaining and the Argon2id unlock time with the production parameters.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import random
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sijill.vault.audit_chain import AuditChain, verify_chain
from sijill.vault.blind_index import BlindIndexer
from sijill.vault.envelope import FieldCipher
from sijill.vault.file_crypto import EVIDENCE_LABEL, EncryptingWriter, iter_decrypted
from sijill.vault.identity import IdentityVault
from sijill.vault.keys import KdfParams, WorkspaceKey, create_keyring, unlock

GIVEN = ["محمد", "أحمد", "عبد الرحمن", "Mohammad", "Ahmad", "Yousef", "Khaled", "Omar"]
FAMILY = ["الحسن", "الأحمد", "al-Hasan", "Haddad", "Kurdi", "Shami", "Masri", "Halabi"]


def _rows(count: int, seed: int = 11) -> list[dict[str, str]]:
    rng = random.Random(seed)
    return [
        {
            "name_ar": f"{rng.choice(GIVEN)} {rng.choice(GIVEN)} {rng.choice(FAMILY)}",
            "name_latin": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)} {i}",
            "phone": f"+963 9{rng.randrange(10**8):08d}",
            "address": f"Street {rng.randrange(200)}, district {rng.randrange(30)}, Aleppo",
        }
        for i in range(count)
    ]


def _timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


FIELDS = ("name_ar", "name_latin", "phone", "address")


def _bench_sqlite(rows: list[dict[str, str]], key: WorkspaceKey) -> None:
    """Import and read back through stdlib sqlite3 (WAL), plain vs IdentityVault."""
    vault = IdentityVault(key)
    n = len(rows)
    with tempfile.TemporaryDirectory() as scratch:
        db = sqlite3.connect(Path(scratch) / "bench.db")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(f"CREATE TABLE plain (id INTEGER PRIMARY KEY, {', '.join(FIELDS)})")
        db.execute(f"CREATE TABLE sealed (id INTEGER PRIMARY KEY, data_key, {', '.join(FIELDS)})")
        db.execute("CREATE TABLE terms (id INTEGER, domain TEXT, term TEXT)")
        db.execute("CREATE INDEX terms_by_term ON terms (domain, term)")

        def import_plain() -> None:
            with db:
                db.executemany(
                    "INSERT INTO plain VALUES (?, ?, ?, ?, ?)",
                    ((i, *(r[f] for f in FIELDS)) for i, r in enumerate(rows)),
                )

        def import_sealed() -> None:
            with db:
                for i, row in enumerate(rows):
                    sealed = vault.seal("sources", i, row)
                    db.execute(
                        "INSERT INTO sealed VALUES (?, ?, ?, ?, ?, ?)",
                        (i, sealed.data_key, *(sealed.fields[f] for f in FIELDS)),
                    )
                    db.executemany(
                        "INSERT INTO terms VALUES (?, ?, ?)",
                        ((i, d, t) for d, ts in sealed.index_terms.items() for t in ts),
                    )

        def read_plain() -> None:
            for row in db.execute("SELECT * FROM plain"):
                dict(zip(FIELDS, row[1:], strict=True))

        def read_sealed() -> None:
            for row in db.execute("SELECT * FROM sealed"):
                vault.open("sources", row[0], row[1], dict(zip(FIELDS, row[2:], strict=True)))

        timings = [_timed(f) for f in (import_plain, import_sealed, read_plain, read_sealed)]
        probe = rows[n // 2]["name_ar"]
        lookups = 2_000
        t_lookup = _timed(
            lambda: [
                db.execute(
                    "SELECT id FROM terms WHERE domain = 'name' AND term = ?",
                    (vault.lookup_terms(probe)[0],),
                ).fetchall()
                for _ in range(lookups)
            ]
        )
        db.close()
    print(f"{'SQLite (WAL), stdlib sqlite3':38s} {'rows/s':>12s}")
    for label, seconds in zip(
        ("import plain", "import encrypted + blind index", "read plain", "read + decrypt"),
        timings,
        strict=True,
    ):
        print(f"{label:38s} {n / seconds:12,.0f}")
    print(f"{'look-up by blind index (queries/s)':38s} {lookups / t_lookup:12,.0f}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--file-mib", type=int, default=64)
    args = parser.parse_args()
    rows = _rows(args.rows)
    key = WorkspaceKey.generate()
    cipher = FieldCipher(key)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"load average before the run: {os.getloadavg()[0]:.2f}")
    print(f"rows: {len(rows)} x 4 identity fields\n")

    plain_store: list[dict[str, bytes]] = []
    t_plain_w = _timed(
        lambda: plain_store.extend({f: v.encode() for f, v in r.items()} for r in rows)
    )
    t_plain_r = _timed(lambda: [{f: v.decode() for f, v in r.items()} for r in plain_store])

    sealed: list[tuple[bytes, dict[str, bytes | None]]] = []

    def write_encrypted() -> None:
        for row_id, row in enumerate(rows):
            wrapped, record = cipher.new_record("sources", row_id)
            sealed.append((wrapped, record.encrypt_fields(row)))

    def read_encrypted() -> None:
        for row_id, (wrapped, tokens) in enumerate(sealed):
            cipher.open_record("sources", row_id, wrapped).decrypt_fields(tokens)

    t_enc_w = _timed(write_encrypted)
    t_enc_r = _timed(read_encrypted)
    n = len(rows)
    print(f"{'path':38s} {'rows/s':>12s}")
    print(f"{'plaintext write (encode) baseline':38s} {n / t_plain_w:12,.0f}")
    print(f"{'plaintext read (decode) baseline':38s} {n / t_plain_r:12,.0f}")
    print(f"{'encrypted write (new key + 4 fields)':38s} {n / t_enc_w:12,.0f}")
    print(f"{'encrypted read (unwrap + 4 fields)':38s} {n / t_enc_r:12,.0f}")
    per_row = (t_enc_w + t_enc_r - t_plain_w - t_plain_r) / n * 1e6
    print(f"encryption cost per row (write+read): {per_row:.1f} us")
    token_bytes = sum(len(w) + sum(len(t or b"") for t in f.values()) for w, f in sealed)
    plain_bytes = sum(sum(len(v) for v in r.values()) for r in plain_store)
    print(f"storage: {token_bytes / n:.0f} B/row encrypted vs {plain_bytes / n:.0f} B/row plain\n")

    new_cipher = FieldCipher(WorkspaceKey.generate())
    t_rewrap = _timed(
        lambda: [cipher.rewrap(w, "sources", i, new_cipher) for i, (w, _) in enumerate(sealed)]
    )
    print(f"{'key rotation: re-wrap data keys/s':38s} {n / t_rewrap:12,.0f}")
    index = BlindIndexer(key)
    t_index = _timed(lambda: [index.terms(r["name_ar"]) for r in rows])
    print(f"{'blind index terms (rows/s)':38s} {n / t_index:12,.0f}")
    chain = AuditChain()
    t_audit = _timed(
        lambda: [
            chain.append(actor="u1", action="source.read_identity", target=f"W-{i:03d}")
            for i in range(n)
        ]
    )
    t_verify = _timed(lambda: verify_chain(chain.entries))
    print(f"{'audit append (entries/s)':38s} {n / t_audit:12,.0f}")
    print(f"{'audit verify (entries/s)':38s} {n / t_verify:12,.0f}\n")

    data = os.urandom(args.file_mib * 1024 * 1024)
    block = 1 << 20
    with tempfile.TemporaryDirectory() as scratch:
        plain_path, sealed_path = Path(scratch) / "plain.bin", Path(scratch) / "sealed.sjl"

        def copy_plain() -> None:
            with plain_path.open("wb") as out:
                for start in range(0, len(data), block):
                    out.write(data[start : start + block])

        def encrypt_to_disk() -> None:
            with (
                sealed_path.open("wb") as out,
                EncryptingWriter(out, key, label=EVIDENCE_LABEL) as writer,
            ):
                for start in range(0, len(data), block):
                    writer.write(data[start : start + block])

        def decrypt_from_disk() -> None:
            with sealed_path.open("rb") as src:
                for _ in iter_decrypted(src, key, label=EVIDENCE_LABEL, what="bench"):
                    pass

        t_copy = _timed(copy_plain)
        t_hash = _timed(lambda: hashlib.sha256(data).hexdigest())
        t_fenc = _timed(encrypt_to_disk)
        t_fdec = _timed(decrypt_from_disk)
    mib = args.file_mib
    print(f"{'file: plain write to disk (MiB/s)':38s} {mib / t_copy:12,.0f}")
    print(f"{'file: SHA-256 in memory (MiB/s)':38s} {mib / t_hash:12,.0f}")
    print(f"{'file: encrypt to disk (MiB/s)':38s} {mib / t_fenc:12,.0f}")
    print(f"{'file: read + decrypt + verify (MiB/s)':38s} {mib / t_fdec:12,.0f}\n")

    _bench_sqlite(rows, key)

    params = KdfParams()
    keyring, _ = create_keyring("benchmark passphrase", params=params)
    t_unlock = _timed(lambda: unlock(keyring, "benchmark passphrase"))
    print(
        f"Argon2id unlock, t={params.time_cost} m={params.memory_cost_kib // 1024} MiB "
        f"p={params.parallelism}: {t_unlock:.2f} s"
    )
    print(f"load average after the run: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
