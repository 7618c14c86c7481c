"""Shared fixtures: workspaces on SQLite and (when SIJILL_TEST_DATABASE_URL is set) PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from sijill.vault.keys import KdfParams, WorkspaceKey
from sijill.workspace import Workspace, init_workspace

PG_ENV = "SIJILL_TEST_DATABASE_URL"
#: Cheap Argon2id settings for tests only; production uses RFC 9106's second set (the default).
TEST_KDF = KdfParams(time_cost=1, memory_cost_kib=1024, parallelism=1)
TEST_PASSPHRASE = "correct horse battery staple"
ADMIN = "admin"

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def _postgres_database() -> Iterator[str]:
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set (CI starts a PostgreSQL server and sets it)")
    name = f"sijill_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Which database the workspace fixture uses."""
    return str(request.param)


@pytest.fixture
def workspace_and_key(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Workspace, WorkspaceKey]]:
    """A fresh workspace (admin user `admin`) on each backend, with its unlocked key."""
    monkeypatch.setenv("SIJILL_PASSPHRASE", TEST_PASSPHRASE)
    monkeypatch.setenv("SIJILL_USER", ADMIN)
    monkeypatch.delenv("SIJILL_WORKSPACE", raising=False)
    root = tmp_path / "ws"
    if backend == "postgres":
        gen = _postgres_database()
        url = next(gen)
        ws, key = init_workspace(
            root, passphrase=TEST_PASSPHRASE, database_url=url, admin=ADMIN, kdf=TEST_KDF
        )
        monkeypatch.setenv("SIJILL_DATABASE_URL", url)
        yield ws, key
        ws.close()
        gen.close()
    else:
        monkeypatch.delenv("SIJILL_DATABASE_URL", raising=False)
        ws, key = init_workspace(root, passphrase=TEST_PASSPHRASE, admin=ADMIN, kdf=TEST_KDF)
        yield ws, key
        ws.close()


@pytest.fixture
def workspace(workspace_and_key: tuple[Workspace, WorkspaceKey]) -> Workspace:
    """A fresh workspace on each backend."""
    return workspace_and_key[0]
