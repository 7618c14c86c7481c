"""`sijill estimate` and `sijill estimate-testimony` from the command line (JSON contract)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sijill.workspace import Workspace
from tests.clihelp import run_cli

MSE = Path(__file__).resolve().parents[2] / "shared" / "data" / "mse"


@pytest.fixture
def kosovo(tmp_path: Path) -> Path:
    source = MSE / "kosovo_1999.csv"
    if not source.exists():
        pytest.skip("shared reference data not present")
    return source


def test_estimate_json_contract(
    kosovo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    plot = tmp_path / "estimate.png"
    result = run_cli(
        capsys,
        "estimate",
        "--table",
        str(kosovo),
        "--method",
        "loglinear",
        "--json",
        "--plot",
        str(plot),
    )
    assert result.code == 0, result.err
    data = json.loads(result.out)
    for key in ("method", "estimate", "lower", "upper", "level", "n_observed"):
        assert key in data
    assert data["n_observed"] == 4400 and data["lower"] <= data["estimate"] <= data["upper"]
    assert plot.stat().st_size > 1000


def test_estimate_stratified(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = ["a,b,c,region,count"]
    for region, scale in (("north", 1), ("south", 2)):
        for pattern, count in (
            ("1,0,0", 60),
            ("0,1,0", 50),
            ("0,0,1", 40),
            ("1,1,0", 30),
            ("1,0,1", 25),
            ("0,1,1", 20),
            ("1,1,1", 15),
        ):
            rows.append(f"{pattern},{region},{count * scale}")
    table = tmp_path / "strata.csv"
    table.write_text("\n".join(rows) + "\n")
    result = run_cli(
        capsys,
        "estimate",
        "--table",
        str(table),
        "--method",
        "loglinear",
        "--strata",
        "region",
        "--json",
    )
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert set(data["strata"]) == {"north", "south"}
    assert data["estimate"] == pytest.approx(sum(s["estimate"] for s in data["strata"].values()))


def test_estimate_bad_input_is_clear(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = run_cli(capsys, "estimate", "--table", str(tmp_path / "nope.csv"))
    assert missing.code == 2 and "no capture-history file" in missing.err
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b,count\n1,0,-3\n0,1,4\n1,1,2\n")
    negative = run_cli(capsys, "estimate", "--table", str(bad), "--method", "chapman")
    assert negative.code != 0 and "Traceback" not in negative.err
    unknown = run_cli(
        capsys, "estimate", "--table", str(MSE / "kosovo_1999.csv"), "--method", "magic"
    )
    assert unknown.code == 2 and "unknown method" in unknown.err


def test_saydnaya_arithmetic_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    once = run_cli(
        capsys,
        "estimate-testimony",
        "--start",
        "2011-09",
        "--end",
        "2015-12",
        "--per-week",
        "1",
        "--per-event",
        "20-50",
        "--json",
    )
    twice = run_cli(
        capsys,
        "estimate-testimony",
        "--start",
        "2011-09",
        "--end",
        "2015-12",
        "--per-week",
        "1-2",
        "--per-event",
        "20-50",
        "--json",
    )
    a, b = json.loads(once.out), json.loads(twice.out)
    assert 4000 < a["lower"] < a["estimate"] < a["upper"] < 13500
    assert b["upper"] > a["upper"] * 1.5 and b["notes"]


def test_estimate_from_the_workspace_linkage(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_linkage_services import load_simulated_lists

    truth = load_simulated_lists(workspace, people=120, seed=4)
    settings = tmp_path / "settings.json"
    settings.write_text(json.dumps({"u_max_pairs": 100000, "seed": 3}))
    ws = str(workspace.root)
    assert run_cli(capsys, "-w", ws, "link", "--settings", str(settings)).code == 0
    plain = run_cli(capsys, "-w", ws, "estimate", "--method", "loglinear", "--json")
    assert plain.code == 0, plain.err
    data = json.loads(plain.out)
    people = truth["person_id"].nunique()
    assert 0.8 * people <= data["n_observed"] <= 1.3 * people  # linkage on 120 people is rough
    assert data["lower"] <= data["estimate"] <= data["upper"]
    strata = run_cli(
        capsys, "-w", ws, "estimate", "--method", "loglinear", "--strata", "sex", "--json"
    )
    assert strata.code == 0, strata.err
    assert json.loads(strata.out)["method"].startswith("stratified:")
