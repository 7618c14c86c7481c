"""DuckDB spill directories: a killed run's are removed by the next run, live ones are kept."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sijill.linkage.backends import SPILL_PREFIX, DuckDBBackend, remove_stale_spill_dirs


def _dead_pid() -> int:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                           capture_output=True, text=True)  # fmt: skip
    return int(child.stdout)


def _spill_dir(root: Path, pid: int) -> Path:
    path = root / f"{SPILL_PREFIX}{pid}-abc123"
    path.mkdir()
    (path / "duckdb_temp_block-1.block").write_bytes(b"spilled list rows")
    return path


def test_only_directories_of_dead_processes_are_removed(tmp_path: Path) -> None:
    stale = _spill_dir(tmp_path, _dead_pid())
    live = _spill_dir(tmp_path, os.getpid())
    unrelated = tmp_path / f"{SPILL_PREFIX}notapid-x"
    unrelated.mkdir()
    assert remove_stale_spill_dirs(tmp_path) == [stale]
    assert not stale.exists() and live.exists() and unrelated.exists()


def test_a_new_duckdb_run_sweeps_stale_spill_dirs_and_names_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    stale = _spill_dir(tmp_path, _dead_pid())
    backend = DuckDBBackend(memory_limit="200MB", threads=1)
    backend.database_api()
    try:
        assert not stale.exists()
        own = [p.name for p in tmp_path.iterdir()]
        assert any(name.startswith(f"{SPILL_PREFIX}{os.getpid()}-") for name in own)
    finally:
        backend.close()
    assert not any(p.name.startswith(SPILL_PREFIX) for p in tmp_path.iterdir())
