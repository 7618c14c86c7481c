"""Written simulations: byte-identical for a seed, declared encodings, readable XLSX, truth files."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from sijill.errors import InputError
from sijill.simulate import SimulationConfig, preset_config, simulate, write_simulation


def _write(tmp: Path, seed: int, preset: str = "realistic") -> dict[str, str]:
    result = simulate(preset_config(preset, people=400, lists=4, seed=seed))
    paths = write_simulation(result, tmp)
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    first = _write(tmp_path / "one", 5)
    second = _write(tmp_path / "two", 5)
    assert first == second
    assert {
        "A.csv",
        "B.csv",
        "C.csv",
        "D.xlsx",
        "truth.csv",
        "capture_history.csv",
        "config.json",
    } <= set(first)
    other = _write(tmp_path / "three", 6)
    assert other["truth.csv"] != first["truth.csv"]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:  # type: ignore[type-arg]
    out = tmp_path_factory.mktemp("sim")
    result = simulate(preset_config("realistic", people=800, lists=4, seed=3))
    write_simulation(result, out)
    return out, {"result": result, "meta": json.loads((out / "config.json").read_text("utf-8"))}


def test_files_decode_as_declared_and_equal_the_tables(written: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    out, info = written
    result, meta = info["result"], info["meta"]
    for entry in meta["lists"]:
        raw = (out / entry["file"]).read_bytes()
        expected = result.lists[entry["name"]]
        if entry["format"] == "xlsx":
            sheet = openpyxl.load_workbook(io.BytesIO(raw), read_only=True).active
            rows = [
                ["" if v is None else str(v) for v in row]
                for row in sheet.iter_rows(values_only=True)
            ]
            assert rows[0] == list(expected.columns)
            width = len(rows[0])  # a sheet row ends at its last non-empty cell
            rows = [row + [""] * (width - len(row)) for row in rows]
            assert rows[1:] == expected.astype(str).values.tolist()
            continue
        if entry["encoding"] == "utf-8-sig":
            assert raw.startswith(b"\xef\xbb\xbf")
        if entry["encoding"] == "cp1256":
            with pytest.raises(UnicodeDecodeError):
                raw.decode("utf-8")
        text = raw.decode(entry["encoding"])
        table = pd.read_csv(
            io.StringIO(text), sep=entry["delimiter"], dtype=str, keep_default_na=False
        )
        pd.testing.assert_frame_equal(table, expected.astype(str), check_dtype=False)
        assert entry["id_column"] == table.columns[0]
        assert set(entry["columns"].values()) == set(table.columns)


def test_truth_history_and_description(written: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    out, info = written
    result, meta = info["result"], info["meta"]
    truth = pd.read_csv(out / "truth.csv", dtype={"record_id": str})
    assert list(truth.columns) == ["list", "record_id", "person_id"]
    assert len(truth) == meta["records"] == sum(len(t) for t in result.lists.values())
    history = pd.read_csv(out / "capture_history.csv")
    assert list(history.columns) == ["A", "B", "C", "D", "count"]
    assert len(history) == 15 and history["count"].sum() == meta["observed_N"]
    assert meta["true_N"] == 800 == len(pd.read_csv(out / "persons.csv"))
    assert SimulationConfig.from_dict(meta["config"]) == result.config
    per_list = {e["name"]: e["persons"] for e in meta["lists"]}
    assert per_list == truth.groupby("list")["person_id"].nunique().to_dict()


def test_out_must_be_a_folder(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(InputError, match="not a directory"):
        write_simulation(simulate(preset_config("easy", people=20, lists=2)), target)
