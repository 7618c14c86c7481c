"""Evidence packages: originals byte-identical, consent respected, custody logged, tampering caught."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from sijill.demo import DemoBuilder, build_demo
from sijill.errors import InputError, IntegrityError, PermissionDeniedError
from sijill.reports.package import verify_package
from sijill.services import evidence
from sijill.services.packages import PackageResult, build_package
from sijill.services.session import open_session
from tests.conftest import TEST_KDF

DAY = date(2026, 1, 15)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoBuilder]:
    root = tmp_path_factory.mktemp("package") / "demo"
    builder = build_demo(root, "demo passphrase", kdf=TEST_KDF, only={"case"})
    with open_session(builder.workspace, builder.admin, key=builder.key) as s:
        secret = root.parent / "identifying-photo.txt"
        secret.write_bytes(b"synthetic: a photo that would identify W-001\n")
        evidence.add_evidence(s, 1, secret, description="identifies a witness", sensitive=True)
    yield builder
    builder.workspace.close()


@pytest.fixture(scope="module")
def iiim(demo: DemoBuilder) -> PackageResult:
    with open_session(demo.workspace, "nour", key=demo.key) as s:
        return build_package(s, "iiim", demo.workspace.root / "pkg-iiim", "SAY", on=DAY)


def _copy(package: PackageResult, tmp_path: Path) -> Path:
    target = tmp_path / "copy"
    shutil.copytree(package.directory, target)
    return target


def test_package_holds_originals_consented_testimonies_and_custody(
    demo: DemoBuilder, iiim: PackageResult
) -> None:
    root = iiim.directory
    listing = json.loads((root / "evidence.json").read_text("utf-8"))
    assert [e["code"] for e in listing] == ["EV-001", "EV-002", "EV-003", "EV-004"]
    with open_session(demo.workspace, "nour", key=demo.key) as s:
        for entry in listing:
            item = next(i for i in evidence.list_evidence(s, 1) if i.code == entry["code"])
            copy = root / entry["file"]
            assert hashlib.sha256(copy.read_bytes()).hexdigest() == item.sha256
            assert evidence.original_sha256(s, item) == item.sha256  # sensitive ones decrypt to it
            steps = evidence.custody_log(s, item.code)
            assert (steps[-1].action, steps[-1].reason) == ("packaged", "packaged for iiim")
            custody = json.loads((root / entry["custody_log"]).read_text("utf-8"))
            assert custody["custody"][-1]["reason"] == "packaged for iiim"
    # W-003 and W-007 gave no IIIM consent: their testimonies stay out.
    assert iiim.testimonies == ["T-001", "T-002", "T-004", "T-005", "T-006", "T-008"]
    shared = json.loads((root / "testimonies" / "testimonies.json").read_text("utf-8"))
    assert {t["source"] for t in shared}.isdisjoint({"W-003", "W-007"})
    text = "".join(p.read_text("utf-8", "replace") for p in root.rglob("*") if p.is_file())
    for name in ("Najjar", "النجار", "Dabbagh", "الدباغ", "Homsi", "الحمصي"):
        assert name not in text
    assert "Huda Mahmoud al-Ali" in text  # W-004 consented to being named (services.export)
    manifest = json.loads((root / "manifest.json").read_text("utf-8"))
    assert manifest["signing_key_fingerprint"] == iiim.fingerprint
    assert iiim.fingerprint in (root / "public_key.txt").read_text("utf-8")


def test_sensitive_items_never_go_to_a_published_scope(demo: DemoBuilder) -> None:
    with open_session(demo.workspace, "nour", key=demo.key) as s:
        result = build_package(s, "public", demo.workspace.root / "pkg-public", "SAY", on=DAY)
    assert result.evidence == ["EV-001", "EV-002", "EV-003"]
    assert result.withheld["sensitive evidence (scope is published)"] == 1
    assert verify_package(result.directory).ok


def test_verify_accepts_an_intact_package_and_a_trusted_fingerprint(iiim: PackageResult) -> None:
    check = verify_package(iiim.directory, iiim.fingerprint)
    assert check.ok and check.signature_valid and check.trusted
    assert check.checked == iiim.files
    assert verify_package(iiim.directory, "0000:" + iiim.fingerprint[5:]).trusted is False


def test_verify_catches_a_flipped_byte(iiim: PackageResult, tmp_path: Path) -> None:
    copy = _copy(iiim, tmp_path)
    target = copy / "evidence" / "EV-001-transfer-register-synthetic.csv"
    data = bytearray(target.read_bytes())
    data[10] ^= 0x01
    target.write_bytes(bytes(data))
    check = verify_package(copy)
    assert check.signature_valid and not check.ok
    assert check.changed == ["evidence/EV-001-transfer-register-synthetic.csv"]


def test_verify_catches_a_removed_and_an_added_file(iiim: PackageResult, tmp_path: Path) -> None:
    copy = _copy(iiim, tmp_path)
    (copy / "custody" / "EV-002.json").unlink()
    (copy / "evidence" / "planted.txt").write_text("not part of the package")
    check = verify_package(copy)
    assert check.missing == ["custody/EV-002.json"]
    assert check.extra == ["evidence/planted.txt"]
    assert not check.ok


def test_verify_catches_a_rewritten_manifest(iiim: PackageResult, tmp_path: Path) -> None:
    copy = _copy(iiim, tmp_path)
    target = copy / "evidence" / "EV-002-sketch-white-building.txt"
    target.write_bytes(b"replaced\n")
    manifest = json.loads((copy / "manifest.json").read_text("utf-8"))
    manifest["files_sha256"]["evidence/EV-002-sketch-white-building.txt"] = hashlib.sha256(
        b"replaced\n"
    ).hexdigest()
    (copy / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    check = verify_package(copy)
    assert check.changed == [] and not check.signature_valid and not check.ok
    # A signature from another key, with that key swapped in, fails against the manifest's key.
    (copy / "manifest.sig").write_text(base64.b64encode(b"\x00" * 64).decode())
    assert not verify_package(copy).signature_valid


def test_package_refuses_changed_originals_non_empty_folders_and_analysts(
    demo: DemoBuilder, tmp_path: Path
) -> None:
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "x").write_text("x")
    with (
        pytest.raises(InputError, match="not empty"),
        open_session(demo.workspace, "nour", key=demo.key) as s,
    ):
        build_package(s, "iiim", occupied, "SAY")
    with (
        pytest.raises(PermissionDeniedError),
        open_session(demo.workspace, "sami", key=demo.key) as s,
    ):
        build_package(s, "iiim", tmp_path / "analyst", "SAY")
    with open_session(demo.workspace, "nour", key=demo.key) as s:
        item = evidence.list_evidence(s, 1)[1]
        path = evidence.original_file(s, item)
    mode = path.stat().st_mode
    path.chmod(0o600)
    saved = path.read_bytes()
    path.write_bytes(saved + b"tampered")
    try:
        with (
            pytest.raises(IntegrityError, match=item.code),
            open_session(demo.workspace, "nour", key=demo.key) as s,
        ):
            build_package(s, "iiim", tmp_path / "tampered", "SAY")
    finally:
        path.write_bytes(saved)
        path.chmod(mode)
    assert not (tmp_path / "tampered").exists()
