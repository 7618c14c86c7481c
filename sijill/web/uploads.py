"""Uploaded files: copied to an owner-only folder in the workspace under a safe name, size-capped."""

from __future__ import annotations

import re
import secrets
import shutil
from pathlib import Path

from fastapi import UploadFile

from sijill.errors import InputError
from sijill.web.state import MAX_UPLOAD_BYTES

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def safe_name(filename: str | None) -> str:
    """The file's own name without any folder part or control characters."""
    name = Path((filename or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable()).strip().lstrip(".")
    if not name:
        raise InputError("the upload has no file name", hint="choose a file to upload")
    return name[:200]


async def save_upload(upload: UploadFile, folder: Path) -> tuple[str, Path]:
    """Copy an upload into a new token folder; returns (token, path). Refuses oversize files."""
    token = secrets.token_urlsafe(24)
    target_dir = folder / token
    target_dir.mkdir(mode=0o700)
    target = target_dir / safe_name(upload.filename)
    size = 0
    with target.open("wb") as out:
        while chunk := await upload.read(1024 * 1024):
            size += len(chunk)
            if size > MAX_UPLOAD_BYTES:
                out.close()
                shutil.rmtree(target_dir, ignore_errors=True)
                raise InputError(f"the file is larger than {MAX_UPLOAD_BYTES // 2**20} MiB")
            out.write(chunk)
    if size == 0:
        shutil.rmtree(target_dir, ignore_errors=True)
        raise InputError("the uploaded file is empty", hint="choose a file to upload")
    return token, target


def find_upload(folder: Path, token: str) -> Path:
    """The file saved under `token` by `save_upload` (a clear error when it has gone)."""
    if not _TOKEN.match(token):
        raise InputError("unknown upload", hint="upload the file again")
    target_dir = folder / token
    files = sorted(target_dir.iterdir()) if target_dir.is_dir() else []
    if not files:
        raise InputError("the uploaded file is no longer here", hint="upload the file again")
    return files[0]


def discard_upload(folder: Path, token: str) -> None:
    """Delete an upload once it is imported (or abandoned)."""
    if _TOKEN.match(token):
        shutil.rmtree(folder / token, ignore_errors=True)
