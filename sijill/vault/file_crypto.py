"""Streaming AES-256-GCM for evidence files and backups, in authenticated chunks.

Layout::

    header: b"SJLF" version(1) chunk_size(u32) salt(16) associated_len(u32) associated
    chunks: AES-GCM(plaintext chunk) each chunk_size + 16 bytes, the last one shorter or equal

Each file gets its own key, HKDF(workspace key, salt, label), so the chunk nonce can simply be
the chunk index. The associated data of every chunk is the whole header, the chunk index and a
final-chunk flag: changing the header, reordering, dropping, duplicating or appending chunks,
or cutting the file after any chunk is detected. The `associated` bytes are stored in clear but
authenticated (the backup puts the workspace id there).

Decryption yields each chunk only after its tag is checked, but a cut-off file is only noticed
at the end, so callers must not act on the output before the stream is finished;
`decrypt_file` writes to a temporary file and renames it only when everything verified.
"""

from __future__ import annotations

import os
import secrets
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from sijill.errors import InputError, IntegrityError
from sijill.vault.keys import WorkspaceKey

MAGIC = b"SJLF"
FORMAT_VERSION = 1
DEFAULT_CHUNK_SIZE = 64 * 1024
EVIDENCE_LABEL = "evidence-file"
_SALT_BYTES = 16
_TAG_BYTES = 16
_FIXED = struct.Struct(">4sBI16sI")
_MAX_ASSOCIATED = 1 << 20


@dataclass(frozen=True)
class StreamHeader:
    """The clear, authenticated start of an encrypted stream."""

    chunk_size: int
    salt: bytes
    associated: bytes

    def to_bytes(self) -> bytes:
        """Serialise exactly as written at the start of the stream."""
        fixed = _FIXED.pack(MAGIC, FORMAT_VERSION, self.chunk_size, self.salt, len(self.associated))
        return fixed + self.associated


class EncryptingWriter:
    """A write-only stream that encrypts into `dst`; `close()` writes the final chunk.

    Use it as a context manager, or call `close()`; without it the output is cut off and will
    not decrypt. Closing does not close `dst`.
    """

    def __init__(
        self,
        dst: BinaryIO,
        key: WorkspaceKey,
        *,
        label: str,
        associated: bytes = b"",
        chunk_size: int = DEFAULT_CHUNK_SIZE,
    ) -> None:
        if not 1 <= chunk_size <= 1 << 30:
            raise InputError("chunk size must be between 1 byte and 1 GiB")
        if len(associated) > _MAX_ASSOCIATED:
            raise InputError("associated data in an encrypted stream is limited to 1 MiB")
        self.header = StreamHeader(chunk_size, secrets.token_bytes(_SALT_BYTES), associated)
        self._header_bytes = self.header.to_bytes()
        self._aead = AESGCM(key.derive(label, salt=self.header.salt))
        self._dst = dst
        self._buffer = bytearray()
        self._index = 0
        self._closed = False
        dst.write(self._header_bytes)

    def write(self, data: bytes) -> int:
        """Buffer and encrypt data; full chunks are written as soon as more data follows."""
        if self._closed:
            raise ValueError("write to a closed EncryptingWriter")
        self._buffer += data
        size = self.header.chunk_size
        # Keep at least one byte back: only close() knows which chunk is the last one.
        start = 0
        with memoryview(self._buffer) as view:
            while len(self._buffer) - start > size:
                self._emit(bytes(view[start : start + size]), final=False)
                start += size
        del self._buffer[:start]
        return len(data)

    def close(self) -> None:
        """Write the final chunk (possibly empty); further writes are refused."""
        if not self._closed:
            self._emit(bytes(self._buffer), final=True)
            self._buffer.clear()
            self._closed = True

    def __enter__(self) -> EncryptingWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _emit(self, chunk: bytes, *, final: bool) -> None:
        nonce, aad = _chunk_nonce_aad(self._header_bytes, self._index, final)
        self._dst.write(self._aead.encrypt(nonce, chunk, aad))
        self._index += 1


def read_stream_header(src: BinaryIO, *, what: str) -> StreamHeader:
    """Read and sanity-check the header; its authenticity is checked with the first chunk."""
    fixed = src.read(_FIXED.size)
    if len(fixed) != _FIXED.size:
        raise IntegrityError(f"{what} is too short to be a Sijill encrypted file")
    magic, version, chunk_size, salt, assoc_len = _FIXED.unpack(fixed)
    if magic != MAGIC:
        raise IntegrityError(f"{what} is not a Sijill encrypted file")
    if version != FORMAT_VERSION:
        raise IntegrityError(f"{what} uses encrypted-file format {version}, this Sijill reads 1")
    if not 1 <= chunk_size <= 1 << 30 or assoc_len > _MAX_ASSOCIATED:
        raise IntegrityError(f"{what} has a damaged header")
    associated = src.read(assoc_len)
    if len(associated) != assoc_len:
        raise IntegrityError(f"{what} has a damaged header")
    return StreamHeader(chunk_size, salt, associated)


def iter_decrypted(
    src: BinaryIO, key: WorkspaceKey, *, label: str, what: str, header: StreamHeader | None = None
) -> Iterator[bytes]:
    """Yield verified plaintext chunks; raise IntegrityError on any change or truncation.

    Args:
        src: the encrypted stream, positioned at its start (or just after the header if
            `header` is given).
        key: the workspace key the stream was made with.
        label: the purpose label used when encrypting (e.g. ``EVIDENCE_LABEL``).
        what: how to name the stream in error messages (e.g. ``"evidence file x.pdf"``).
        header: the already-read header, when the caller needed it first.
    """
    header = header or read_stream_header(src, what=what)
    header_bytes = header.to_bytes()
    aead = AESGCM(key.derive(label, salt=header.salt))
    size = header.chunk_size + _TAG_BYTES
    current = _read_up_to(src, size)
    index = 0
    while True:
        following = _read_up_to(src, size) if len(current) == size else b""
        final = not following
        nonce, aad = _chunk_nonce_aad(header_bytes, index, final)
        try:
            yield aead.decrypt(nonce, current, aad)
        except (InvalidTag, ValueError):
            raise IntegrityError(
                f"{what} failed its integrity check at chunk {index}: it was altered, cut "
                "short or extended, or it was not made with this workspace key",
            ) from None
        if final:
            return
        current = following
        index += 1


def encrypt_file(
    src_path: Path, dst_path: Path, key: WorkspaceKey, *, label: str = EVIDENCE_LABEL
) -> None:
    """Encrypt a file into `dst_path` (written atomically)."""
    with (
        src_path.open("rb") as src,
        AtomicOutput(dst_path) as dst,
        EncryptingWriter(dst, key, label=label) as writer,
    ):
        while block := src.read(DEFAULT_CHUNK_SIZE):
            writer.write(block)


def decrypt_file(
    src_path: Path, dst_path: Path, key: WorkspaceKey, *, label: str = EVIDENCE_LABEL
) -> None:
    """Decrypt into `dst_path`, which appears only if the whole file verified."""
    with src_path.open("rb") as src, AtomicOutput(dst_path) as dst:
        for chunk in iter_decrypted(src, key, label=label, what=f"encrypted file {src_path.name}"):
            dst.write(chunk)


class AtomicOutput:
    """Open a temp file beside `path`; rename it into place only if the block succeeds."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")

    def __enter__(self) -> BinaryIO:
        fd = os.open(self.tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self.handle: BinaryIO = os.fdopen(fd, "wb")
        return self.handle

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self.handle.close()
        if exc_type is None:
            os.replace(self.tmp, self.path)
        else:
            self.tmp.unlink(missing_ok=True)


def _chunk_nonce_aad(header_bytes: bytes, index: int, final: bool) -> tuple[bytes, bytes]:
    counter = index.to_bytes(8, "big")
    return bytes(4) + counter, header_bytes + counter + (b"\x01" if final else b"\x00")


def _read_up_to(src: BinaryIO, size: int) -> bytes:
    parts: list[bytes] = []
    remaining = size
    while remaining:
        block = src.read(remaining)
        if not block:
            break
        parts.append(block)
        remaining -= len(block)
    return b"".join(parts)
