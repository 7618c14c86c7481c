"""Tests for the workspace keyring: passphrase and key-file unlocking, rotation, back-off."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sijill.errors import InputError, LockedError, WorkspaceError
from sijill.vault.keys import (
    KdfParams,
    Keyring,
    WorkspaceKey,
    add_key_file,
    change_passphrase,
    create_keyring,
    generate_key_file_text,
    read_key_file,
    rotate,
    unlock,
    unlock_with_key_file,
    write_key_file,
)
from sijill.vault.unlock import (
    FailureCounter,
    read_passphrase,
    unlock_delay,
    unlock_with_backoff,
)

FAST = KdfParams(time_cost=1, memory_cost_kib=64, parallelism=1)
CANARY = "Qasim-Canary-7341 قاسم الكناري"


def test_default_kdf_params_meet_rfc9106_second_set() -> None:
    params = KdfParams()
    assert params.meets_rfc9106_second_set()
    assert params.time_cost >= 3
    assert params.memory_cost_kib >= 64 * 1024
    assert params.parallelism >= 4
    assert params.salt_bytes >= 16
    assert params.hash_bytes >= 32
    assert not FAST.meets_rfc9106_second_set()


def test_create_keyring_uses_default_params_when_none_given() -> None:
    keyring, _ = create_keyring("a long passphrase for once", params=None)
    assert keyring.kdf == KdfParams()
    assert len(keyring.salt) == 16


def test_unlock_round_trip_and_wrong_passphrase(tmp_path: Path) -> None:
    keyring, key = create_keyring("correct horse battery", params=FAST)
    keyring.save(tmp_path / "keyring.json")
    loaded = Keyring.load(tmp_path / "keyring.json")
    assert unlock(loaded, "correct horse battery") == key
    with pytest.raises(LockedError, match="wrong passphrase"):
        unlock(loaded, "correct horse batter")
    with pytest.raises(InputError):
        unlock(loaded, "")


def test_keyring_file_never_holds_key_or_passphrase(tmp_path: Path) -> None:
    keyring, key = create_keyring(CANARY, params=FAST)
    path = tmp_path / "keyring.json"
    keyring.save(path)
    data = path.read_bytes()
    raw = key.reveal_bytes()
    assert raw not in data
    assert raw.hex().encode() not in data
    import base64

    assert base64.b64encode(raw) not in data
    for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
        assert CANARY.encode(encoding) not in data
    assert (path.stat().st_mode & 0o777) == 0o600
    assert CANARY not in repr(key) and raw.hex() not in repr(key)


def test_passphrase_is_unicode_normalised() -> None:
    composed, decomposed = "caf\u00e9 سرّ والليل", "cafe\u0301 سرّ والليل"
    keyring, key = create_keyring(composed, params=FAST)
    assert unlock(keyring, decomposed) == key


def test_damaged_or_foreign_keyring_is_refused() -> None:
    keyring, _ = create_keyring("passphrase one", params=FAST)
    with pytest.raises(WorkspaceError):
        Keyring.from_json("{}")
    doc = json.loads(keyring.to_json())
    doc["key_id"] = "00" * 8
    with pytest.raises(WorkspaceError, match="altered"):
        unlock(Keyring.from_json(json.dumps(doc)), "passphrase one")
    doc = json.loads(keyring.to_json())
    doc["workspace_id"] = "another"
    with pytest.raises(LockedError):
        unlock(Keyring.from_json(json.dumps(doc)), "passphrase one")


def test_key_file_unlocks_and_wrong_file_does_not(tmp_path: Path) -> None:
    keyring, key = create_keyring("passphrase pw", params=FAST)
    good, bad = tmp_path / "good.key", tmp_path / "bad.key"
    good.write_text(generate_key_file_text())
    bad.write_text(generate_key_file_text())
    keyring = add_key_file(keyring, key, read_key_file(good), "usb-1")
    assert unlock_with_key_file(keyring, read_key_file(good)) == key
    with pytest.raises(LockedError):
        unlock_with_key_file(keyring, read_key_file(bad))
    (tmp_path / "junk.key").write_text("hello")
    with pytest.raises(InputError):
        read_key_file(tmp_path / "junk.key")
    with pytest.raises(InputError):
        add_key_file(keyring, key, read_key_file(bad), "usb-1")


def test_write_key_file_is_private_and_never_overwrites(tmp_path: Path) -> None:
    keyring, key = create_keyring("passphrase pw", params=FAST)
    path = tmp_path / "usb" / "workspace.key"
    secret = write_key_file(path)
    assert (path.stat().st_mode & 0o777) == 0o600
    keyring = add_key_file(keyring, key, secret, "usb")
    assert unlock_with_key_file(keyring, read_key_file(path)) == key
    with pytest.raises(InputError, match="already exists"):
        write_key_file(path)
    assert unlock_with_key_file(keyring, read_key_file(path)) == key


def test_change_passphrase_keeps_key_and_key_files(tmp_path: Path) -> None:
    keyring, key = create_keyring("old passphrase", params=FAST)
    secret_text = generate_key_file_text()
    (tmp_path / "k").write_text(secret_text)
    secret = read_key_file(tmp_path / "k")
    keyring = add_key_file(keyring, key, secret, "usb")
    changed = change_passphrase(keyring, "old passphrase", "new passphrase")
    assert unlock(changed, "new passphrase") == key
    assert unlock_with_key_file(changed, secret) == key
    with pytest.raises(LockedError):
        unlock(changed, "old passphrase")
    assert changed.salt != keyring.salt


def test_rotate_gives_new_key_and_keeps_supplied_key_files(tmp_path: Path) -> None:
    keyring, key = create_keyring("passphrase pw", params=FAST)
    (tmp_path / "a").write_text(generate_key_file_text())
    (tmp_path / "b").write_text(generate_key_file_text())
    a, b = read_key_file(tmp_path / "a"), read_key_file(tmp_path / "b")
    keyring = add_key_file(add_key_file(keyring, key, a, "a"), key, b, "b")
    rotation = rotate(keyring, "passphrase pw", key_file_secrets=[a])
    assert rotation.old_key == key
    assert rotation.new_key != key
    assert rotation.keyring.key_id == rotation.new_key.key_id != keyring.key_id
    assert rotation.dropped_key_files == ("b",)
    assert unlock(rotation.keyring, "passphrase pw") == rotation.new_key
    assert unlock_with_key_file(rotation.keyring, a) == rotation.new_key
    with pytest.raises(LockedError):
        unlock_with_key_file(rotation.keyring, b)


def test_workspace_key_derivations_are_separate() -> None:
    key = WorkspaceKey.generate()
    assert key.derive("a") != key.derive("b")
    assert key.derive("a") == key.derive("a")
    assert key.derive("a", salt=b"1" * 16) != key.derive("a")
    with pytest.raises(InputError):
        WorkspaceKey(b"short")


def test_invalid_kdf_params_are_refused() -> None:
    for params in (
        KdfParams(time_cost=0),
        KdfParams(memory_cost_kib=4, parallelism=1),
        KdfParams(salt_bytes=8),
        KdfParams(hash_bytes=16),
        KdfParams(time_cost=65),
    ):
        with pytest.raises(InputError):
            create_keyring("passphrase pw", params=params)
    keyring, _ = create_keyring("passphrase pw", params=FAST)
    doc = json.loads(keyring.to_json())
    doc["kdf"]["memory_cost_kib"] = 1 << 40
    with pytest.raises(WorkspaceError, match="4 GiB"):
        Keyring.from_json(json.dumps(doc))


def test_short_new_passphrases_are_refused() -> None:
    with pytest.raises(InputError, match="shorter than 10"):
        create_keyring("short", params=FAST)
    keyring, _ = create_keyring("a fine passphrase", params=FAST)
    with pytest.raises(InputError, match="shorter than 10"):
        change_passphrase(keyring, "a fine passphrase", "tiny")


def test_unlock_delay_grows_and_caps() -> None:
    assert [unlock_delay(n) for n in range(0, 8)] == [0, 1, 2, 4, 8, 16, 30, 30]
    assert unlock_delay(100) == 30


def test_backoff_persists_failures_and_resets_on_success(tmp_path: Path) -> None:
    keyring, key = create_keyring("the right passphrase", params=FAST)
    counter_path = tmp_path / "unlock-failures.json"
    slept: list[float] = []
    for _ in range(3):
        with pytest.raises(LockedError, match="failed attempt"):
            unlock_with_backoff(keyring, "wrong", counter_path, sleep=slept.append)
    assert slept == [1.0, 2.0]
    assert FailureCounter(counter_path).read() == 3
    assert (
        unlock_with_backoff(keyring, "the right passphrase", counter_path, sleep=slept.append)
        == key
    )
    assert slept == [1.0, 2.0, 4.0]
    assert FailureCounter(counter_path).read() == 0
    counter_path.write_text("not json")
    assert FailureCounter(counter_path).read() == 0


def test_read_passphrase_sources(tmp_path: Path) -> None:
    assert read_passphrase({}, None) is None
    assert read_passphrase({"SIJILL_PASSPHRASE": "from env"}, None) == "from env"
    file = tmp_path / "pass.txt"
    file.write_text(" spaced pass \n")
    assert read_passphrase({"SIJILL_PASSPHRASE": "from env"}, file) == " spaced pass "
    with pytest.raises(InputError):
        read_passphrase({"SIJILL_PASSPHRASE": ""}, None)
    (tmp_path / "empty").write_text("\n")
    with pytest.raises(InputError):
        read_passphrase({}, tmp_path / "empty")
    with pytest.raises(InputError):
        read_passphrase({}, tmp_path / "missing")
