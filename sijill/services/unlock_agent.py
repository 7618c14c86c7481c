"""`sijill unlock`: a small agent process that holds the workspace key in memory for a while.

Like ssh-agent: the key never touches the disk. The agent listens on a Unix socket in a private
per-user folder (mode 0700), answers only processes of the same user (checked with SO_PEERCRED),
and exits at its deadline, on `sijill lock`, or when its socket is removed.
Run as a module, it reads the key (hex) from stdin, never from argv or the environment.
"""

from __future__ import annotations

import hashlib
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sijill.errors import SijillError
from sijill.vault.keys import WorkspaceKey

_PEERCRED = struct.Struct("3i")


def socket_path(workspace_id: str) -> Path:
    """Where the agent of this workspace listens (short enough for AF_UNIX)."""
    folder = Path(tempfile.gettempdir()) / f"sijill-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    if folder.stat().st_uid != os.getuid() or folder.stat().st_mode & 0o077:
        raise SijillError(
            f"{folder} is not private to this user; refusing to use it for the key agent"
        )
    return folder / f"{hashlib.sha256(workspace_id.encode()).hexdigest()[:16]}.sock"


def _request(path: Path, message: bytes) -> bytes | None:
    if not path.exists():
        return None
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.settimeout(2.0)
            client.connect(str(path))
            client.sendall(message)
            return client.recv(256)
    except OSError:
        return None


def agent_key(workspace_id: str, expected_key_id: str) -> WorkspaceKey | None:
    """The key held by a running agent, or None (no agent, expired, or a different key)."""
    reply = _request(socket_path(workspace_id), b"KEY\n")
    if not reply or not reply.startswith(b"KEY "):
        return None
    try:
        key = WorkspaceKey(bytes.fromhex(reply[4:].strip().decode("ascii")))
    except (ValueError, SijillError):
        return None
    return key if key.key_id == expected_key_id else None


def stop_agent(workspace_id: str) -> bool:
    """Ask the agent to forget the key and exit; True if one was running."""
    return _request(socket_path(workspace_id), b"LOCK\n") is not None


def start_agent(workspace_id: str, key: WorkspaceKey, seconds: int) -> Path:
    """Start an agent holding `key` for `seconds`; returns its socket path once it listens."""
    stop_agent(workspace_id)
    path = socket_path(workspace_id)
    process = subprocess.Popen(
        [sys.executable, "-m", "sijill.services.unlock_agent", str(path), str(seconds)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        close_fds=True,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(key.reveal_bytes().hex().encode() + b"\n")
    process.stdin.close()
    if process.stdout.readline().strip() != b"ready":
        raise SijillError(
            "the unlock agent did not start", hint="try again, or pass the passphrase per command"
        )
    return path


def _serve(path: Path, material: bytes, seconds: int) -> None:
    deadline = time.monotonic() + seconds
    if path.exists():
        path.unlink()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_umask = os.umask(0o177)
    try:
        server.bind(str(path))
    finally:
        os.umask(old_umask)
    server.listen(4)
    print("ready", flush=True)
    try:
        while (left := deadline - time.monotonic()) > 0 and path.exists():
            server.settimeout(min(left, 1.0))
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn:
                _, uid, _ = _PEERCRED.unpack(
                    conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _PEERCRED.size)
                )
                if uid != os.getuid():
                    continue
                request = conn.recv(16)
                if request == b"KEY\n":
                    conn.sendall(b"KEY " + material.hex().encode() + b"\n")
                elif request == b"LOCK\n":
                    conn.sendall(b"LOCKED\n")
                    break
    finally:
        server.close()
        if path.exists():
            path.unlink()


def main() -> None:
    """Agent process entry: `python -m sijill.services.unlock_agent SOCKET SECONDS` (key on stdin)."""
    path, seconds = Path(sys.argv[1]), int(sys.argv[2])
    material = bytes.fromhex(sys.stdin.readline().strip())
    sys.stdin.close()
    _serve(path, material, seconds)


if __name__ == "__main__":
    main()
