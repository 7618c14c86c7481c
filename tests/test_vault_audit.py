"""Tests for the hash-chained audit log and its signed heads."""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sijill.errors import InputError, IntegrityError, LockedError
from sijill.vault.audit_chain import (
    AuditChain,
    AuditEntry,
    parse_log,
    serialise_log,
    verify_chain,
)
from sijill.vault.keys import WorkspaceKey
from sijill.vault.signing import (
    AuditSigner,
    export_head,
    load_head,
    read_public_key,
    rewrap_signing_key,
)

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _chain(n: int = 20) -> AuditChain:
    chain = AuditChain()
    actions = ["source.create", "source.read_identity", "testimony.update", "export"]
    for i in range(n):
        chain.append(
            actor=f"user-{i % 3}",
            action=actions[i % len(actions)],
            target=f"W-{i:03d}",
            details={"case": "C-002", "fields": ["name_ar", "phone"], "note": "مراجعة"},
            time=START + timedelta(minutes=i),
        )
    return chain


def test_a_fresh_chain_verifies_and_round_trips() -> None:
    chain = _chain()
    result = verify_chain(chain.entries)
    assert result.ok and result.entries_checked == 20 and result.first_bad_seq is None
    assert parse_log(serialise_log(chain.entries)) == chain.entries
    assert chain.entries[0].time == "2026-01-05T09:00:00.000000Z"
    continued = AuditChain(parse_log(serialise_log(chain.entries)))
    continued.append(actor="a", action="b", target="c")
    assert verify_chain(continued.entries).ok
    assert verify_chain([]).ok


def test_every_single_byte_flip_of_the_serialised_log_is_detected() -> None:
    data = serialise_log(_chain(8).entries)
    rng = random.Random(20261125)
    undetected = []
    for position in range(len(data)):
        for mask in (0x01, rng.randrange(1, 256)):
            flipped = bytearray(data)
            flipped[position] ^= mask
            try:
                if verify_chain(parse_log(bytes(flipped))).ok:
                    undetected.append(position)
            except IntegrityError:
                pass
    assert undetected == []


def test_modified_inserted_reordered_deleted_entries_name_first_bad_seq() -> None:
    entries = _chain().entries
    modified = list(entries)
    modified[6] = dataclasses.replace(entries[6], actor="someone-else")
    assert verify_chain(modified).first_bad_seq == 7

    rehashed = list(entries)  # an attacker recomputes the changed entry's own hash
    changed = dataclasses.replace(entries[6], target="W-999")
    rehashed[6] = dataclasses.replace(changed, hash=changed.computed_hash())
    assert verify_chain(rehashed).first_bad_seq == 8

    other = _chain(3).entries[1]
    inserted = [*entries[:10], other, *entries[10:]]
    assert verify_chain(inserted).first_bad_seq == 11

    reordered = list(entries)
    reordered[3], reordered[4] = reordered[4], reordered[3]
    assert verify_chain(reordered).first_bad_seq == 4

    deleted = entries[:5] + entries[6:]
    assert verify_chain(deleted).first_bad_seq == 6
    assert not verify_chain(entries[1:]).ok

    result = verify_chain(deleted)
    with pytest.raises(IntegrityError, match="seq 6"):
        result.raise_if_failed()


def test_truncation_is_detected_against_the_signed_head(tmp_path: Path) -> None:
    chain = _chain()
    signer = AuditSigner.generate()
    head = signer.sign_head(chain.entries[-1], time=START)
    export_head(head, tmp_path / "head.json")
    head = load_head(tmp_path / "head.json")
    key = signer.public_key
    assert verify_chain(chain.entries, head=head, trusted_public_key=key).ok
    truncated = verify_chain(chain.entries[:-2], head=head, trusted_public_key=key)
    assert not truncated.ok and truncated.first_bad_seq == 19
    assert "removed from the end" in truncated.reason
    # the log may grow after the head was exported
    chain.append(actor="a", action="b", target="c")
    assert verify_chain(chain.entries, head=head, trusted_public_key=key).ok
    # a rewritten log with the same length does not match the head
    forged = AuditChain(_chain().entries[:19])
    forged.append(actor="intruder", action="source.read_identity", target="W-019")
    assert verify_chain(forged.entries, head=head, trusted_public_key=key).first_bad_seq == 20
    with pytest.raises(InputError):
        verify_chain(chain.entries, head=head)


def test_forged_or_foreign_heads_are_rejected() -> None:
    entries = _chain().entries
    signer, intruder = AuditSigner.generate(), AuditSigner.generate()
    head = signer.sign_head(entries[-1])
    lowered = dataclasses.replace(head, seq=10, hash=entries[9].hash)
    assert not verify_chain(entries[:10], head=lowered, trusted_public_key=signer.public_key).ok
    fake = intruder.sign_head(entries[9])
    assert not verify_chain(entries[:10], head=fake, trusted_public_key=signer.public_key).ok
    assert head.verify(signer.public_key) and not head.verify(intruder.public_key)


def test_signing_key_file_is_encrypted_and_survives_rotation(tmp_path: Path) -> None:
    key, new_key = WorkspaceKey.generate(), WorkspaceKey.generate()
    signer = AuditSigner.generate()
    path = tmp_path / "keys" / "audit-signing.json"
    signer.save(path, key)
    assert signer._private.private_bytes_raw().hex() not in path.read_text()
    assert read_public_key(path) == signer.public_key
    assert AuditSigner.load(path, key).public_key == signer.public_key
    with pytest.raises(LockedError):
        AuditSigner.load(path, new_key)
    rewrap_signing_key(path, key, new_key)
    assert AuditSigner.load(path, new_key).fingerprint == signer.fingerprint
    with pytest.raises(LockedError):
        AuditSigner.load(path, key)


def test_details_must_be_plain_json_and_times_aware() -> None:
    chain = AuditChain()
    with pytest.raises(InputError):
        chain.append(actor="a", action="b", target="c", details={"x": object()})
    with pytest.raises(InputError):
        chain.append(actor="a", action="b", target="c", details={"x": float("nan")})
    with pytest.raises(InputError):
        chain.append(actor="a", action="b", target="c", time=datetime(2026, 1, 1))
    assert chain.entries == []
    assert isinstance(chain.append(actor="a", action="b", target="c"), AuditEntry)


def test_parse_log_rejects_non_canonical_lines() -> None:
    data = serialise_log(_chain(2).entries)
    with pytest.raises(IntegrityError, match="newline"):
        parse_log(data[:-1])
    with pytest.raises(IntegrityError, match="line 2"):
        parse_log(data.replace(b'{"action"', b'{ "action"').replace(b"{ ", b"{", 1))
    with pytest.raises(IntegrityError):
        parse_log(data + b"\n")
