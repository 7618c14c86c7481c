"""Demo part: four simulated victim lists (known truth) written as files and imported whole.

The lists come from `sijill.simulate` (the `realistic` preset, fixed seed): Arabic and Latin
names, a full-name column, Arabic and English headers, UTF-8 with and without BOM, Windows-1256
and XLSX. Later demo parts (linkage, estimation) read `builder.facts["lists"]`.
"""

from __future__ import annotations

import json

from sijill.demo import DemoBuilder
from sijill.services import lists
from sijill.services.session import open_session
from sijill.simulate import preset_config, simulate, write_simulation

ORDER = 20
PEOPLE = 2000
SEED = 20_110_315  # fixed: the demo is the same every time


def extend(builder: DemoBuilder) -> None:
    """Simulate the lists into `<workspace>/imports/`, import each, and record what was made."""
    folder = builder.workspace.root / "imports"
    result = simulate(preset_config("realistic", people=PEOPLE, lists=4, seed=SEED))
    write_simulation(result, folder)
    config = json.loads((folder / "config.json").read_text("utf-8"))
    imported: list[str] = []
    details: list[str] = []
    with open_session(builder.workspace, builder.admin, key=builder.key) as s:
        for lst in config["lists"]:
            report = lists.import_list(
                s,
                folder / lst["file"],
                lst["name"],
                id_column=lst["id_column"],
                organisation=f"simulated documentation group {lst['name']}",
            )
            imported.append(lst["name"])
            fmt = lst["format"] + (f", {lst['encoding']}" if lst["encoding"] else "")
            details.append(
                f"  list {lst['name']}: {report.rows} records ({fmt}, "
                f"{lst['header_language']} headers, {lst['scheme']} names)"
            )
    builder.facts["lists"] = {
        "names": imported,
        "folder": str(folder),
        "truth": str(folder / "truth.csv"),
        "capture_history": str(folder / "capture_history.csv"),
        "config": str(folder / "config.json"),
        "true_N": config["true_N"],
        "observed_N": config["observed_N"],
    }
    builder.say(
        f"Victim lists: {len(imported)} simulated lists of {config['observed_N']} documented "
        f"victims (true total {config['true_N']}), imported whole with provenance"
    )
    for line in details:
        builder.say(line)
