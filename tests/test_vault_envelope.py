"""Tests for field envelope encryption and streaming file encryption."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sijill.errors import InputError, IntegrityError
from sijill.vault.envelope import DATA_KEY_TOKEN_BYTES, FieldCipher
from sijill.vault.file_crypto import (
    EVIDENCE_LABEL,
    EncryptingWriter,
    decrypt_file,
    encrypt_file,
    iter_decrypted,
)
from sijill.vault.keys import WorkspaceKey

NAME_AR = "محمد الكناري الشاهد"
NAME_LATIN = "Mhd Canary-Witness-4412"
_PROPERTY_CIPHER = FieldCipher(WorkspaceKey.generate())


def _encodings(text: str) -> list[bytes]:
    return [text.encode(e) for e in ("utf-8", "utf-16-le", "utf-16-be")]


def test_fields_round_trip_and_hide_plaintext() -> None:
    cipher = FieldCipher(WorkspaceKey.generate())
    wrapped, record = cipher.new_record("sources", 17)
    assert len(wrapped) == DATA_KEY_TOKEN_BYTES
    tokens = record.encrypt_fields({"name_ar": NAME_AR, "name_latin": NAME_LATIN, "phone": None})
    assert tokens["phone"] is None
    reopened = cipher.open_record("sources", 17, wrapped)
    assert reopened.decrypt_fields(tokens) == {
        "name_ar": NAME_AR,
        "name_latin": NAME_LATIN,
        "phone": None,
    }
    blob = b"".join(t for t in tokens.values() if t) + wrapped
    for needle in _encodings(NAME_AR) + _encodings(NAME_LATIN):
        assert needle not in blob
    # same plaintext twice gives different tokens (fresh nonce each time)
    assert record.encrypt("name_ar", NAME_AR) != record.encrypt("name_ar", NAME_AR)


def test_token_moved_to_other_field_or_row_fails_naming_it() -> None:
    cipher = FieldCipher(WorkspaceKey.generate())
    wrapped17, rec17 = cipher.new_record("sources", 17)
    token = rec17.encrypt("name_ar", NAME_AR)
    with pytest.raises(IntegrityError, match=r"sources\.name_latin of row 17") as info:
        rec17.decrypt("name_latin", token)
    assert NAME_AR not in str(info.value)
    # another row sharing the same data key still fails: the row id is bound too
    other_row = cipher.open_record("sources", 17, wrapped17)
    other_row.row_id = "18"
    with pytest.raises(IntegrityError, match="row 18"):
        other_row.decrypt("name_ar", token)
    # another row with its own key
    _, rec18 = cipher.new_record("sources", 18)
    with pytest.raises(IntegrityError):
        rec18.decrypt("name_ar", token)
    # a data key moved to another row or table
    with pytest.raises(IntegrityError, match="sources row 18"):
        cipher.open_record("sources", 18, wrapped17)
    with pytest.raises(IntegrityError, match="contacts row 17"):
        cipher.open_record("contacts", 17, wrapped17)


def test_every_single_byte_change_of_a_token_is_detected() -> None:
    cipher = FieldCipher(WorkspaceKey.generate())
    wrapped, record = cipher.new_record("sources", 3)
    token = record.encrypt("name_ar", NAME_AR)
    for i in range(len(token)):
        bad = bytearray(token)
        bad[i] ^= 0x01
        with pytest.raises(IntegrityError):
            record.decrypt("name_ar", bytes(bad))
    for i in range(len(wrapped)):
        bad = bytearray(wrapped)
        bad[i] ^= 0x80
        with pytest.raises(IntegrityError):
            cipher.open_record("sources", 3, bytes(bad))
    with pytest.raises(IntegrityError):
        record.decrypt("name_ar", token[:-1])
    with pytest.raises(IntegrityError):
        record.decrypt("name_ar", b"")


def test_rotation_rewraps_data_keys_and_keeps_fields_readable() -> None:
    old, new = FieldCipher(WorkspaceKey.generate()), FieldCipher(WorkspaceKey.generate())
    rows = {}
    for row_id in range(20):
        wrapped, record = old.new_record("sources", row_id)
        rows[row_id] = (wrapped, record.encrypt("name_ar", f"{NAME_AR} {row_id}"))
    rewrapped = {i: old.rewrap(w, "sources", i, new) for i, (w, _) in rows.items()}
    for row_id, (wrapped, token) in rows.items():
        assert new.is_current(rewrapped[row_id]) and not new.is_current(wrapped)
        record = new.open_record("sources", row_id, rewrapped[row_id])
        assert record.decrypt("name_ar", token) == f"{NAME_AR} {row_id}"
        with pytest.raises(IntegrityError, match="another workspace key"):
            new.open_record("sources", row_id, wrapped)


def test_crypto_shredding_deleting_data_key_leaves_tokens_unreadable() -> None:
    cipher = FieldCipher(WorkspaceKey.generate())
    _, record = cipher.new_record("sources", 5)
    token = record.encrypt("name_ar", NAME_AR)
    # the wrapped key is deleted; a fresh key for the same row cannot open the old token
    new_wrapped, _ = cipher.new_record("sources", 5)
    with pytest.raises(IntegrityError):
        cipher.open_record("sources", 5, new_wrapped).decrypt("name_ar", token)


def test_ambiguous_names_are_refused() -> None:
    cipher = FieldCipher(WorkspaceKey.generate())
    with pytest.raises(InputError):
        cipher.new_record("sources|x", 1)
    _, record = cipher.new_record("sources", 1)
    with pytest.raises(InputError):
        record.encrypt("", "x")


def _encrypt_bytes(key: WorkspaceKey, data: bytes, chunk_size: int) -> bytes:
    out = io.BytesIO()
    with EncryptingWriter(out, key, label=EVIDENCE_LABEL, chunk_size=chunk_size) as writer:
        for start in range(0, len(data), 7):
            writer.write(data[start : start + 7])
    return out.getvalue()


def _decrypt_bytes(key: WorkspaceKey, blob: bytes) -> bytes:
    chunks = iter_decrypted(io.BytesIO(blob), key, label=EVIDENCE_LABEL, what="test stream")
    return b"".join(chunks)


@pytest.mark.parametrize("size", [0, 1, 31, 32, 33, 64, 200])
def test_stream_round_trip_at_chunk_boundaries(size: int) -> None:
    key = WorkspaceKey.generate()
    data = bytes(range(256))[:size]
    assert _decrypt_bytes(key, _encrypt_bytes(key, data, 32)) == data


def test_stream_truncation_reordering_and_flips_are_detected() -> None:
    key = WorkspaceKey.generate()
    data = NAME_AR.encode() * 10
    blob = _encrypt_bytes(key, data, 32)
    header_len = 4 + 1 + 4 + 16 + 4
    body = blob[header_len:]
    chunk = 32 + 16
    chunks = [body[i : i + chunk] for i in range(0, len(body), chunk)]
    assert len(chunks) > 3
    for needle in _encodings(NAME_AR):
        assert needle not in blob
    cases = {
        "drop last chunk": blob[:header_len] + b"".join(chunks[:-1]),
        "cut mid-chunk": blob[:-5],
        "swap chunks": blob[:header_len] + chunks[1] + chunks[0] + b"".join(chunks[2:]),
        "duplicate chunk": blob[:header_len] + chunks[0] + b"".join(chunks),
        "appended": blob + chunks[-1],
        "header only": blob[:header_len],
        "empty": b"",
    }
    for bad in cases.values():
        with pytest.raises(IntegrityError):
            _decrypt_bytes(key, bad)
    for i in range(0, len(blob), 3):
        bad = bytearray(blob)
        bad[i] ^= 0x04
        with pytest.raises(IntegrityError):
            _decrypt_bytes(key, bytes(bad))
    with pytest.raises(IntegrityError):
        _decrypt_bytes(WorkspaceKey.generate(), blob)


def test_file_helpers_write_output_only_when_verified(tmp_path: Path) -> None:
    key = WorkspaceKey.generate()
    src = tmp_path / "statement.txt"
    src.write_bytes(NAME_LATIN.encode() * 10_000)
    enc, out = tmp_path / "statement.sjl", tmp_path / "statement.out"
    encrypt_file(src, enc, key)
    assert NAME_LATIN.encode() not in enc.read_bytes()
    decrypt_file(enc, out, key)
    assert out.read_bytes() == src.read_bytes()
    damaged = tmp_path / "damaged.sjl"
    damaged.write_bytes(enc.read_bytes()[:-100])
    target = tmp_path / "never.out"
    with pytest.raises(IntegrityError, match=r"damaged\.sjl"):
        decrypt_file(damaged, target, key)
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "damaged.sjl",
        "statement.out",
        "statement.sjl",
        "statement.txt",
    ]


@settings(max_examples=200, deadline=None)
@given(value=st.text(max_size=200), field=st.from_regex(r"[a-z_]{1,12}", fullmatch=True))
def test_any_text_round_trips(value: str, field: str) -> None:
    record = _PROPERTY_CIPHER.new_record("sources", 1)[1]
    assert record.decrypt(field, record.encrypt(field, value)) == value
