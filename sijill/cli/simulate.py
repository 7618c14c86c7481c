"""Command: simulate (synthetic victim lists with known truth, for tests, demos and benchmarks)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import Progress

from sijill.cli.common import console
from sijill.simulate import resolve_config, simulate, write_simulation


def register(app: typer.Typer) -> None:
    """Add the `simulate` command."""

    @app.command("simulate")
    def simulate_command(
        out: Path = typer.Option(..., "--out", help="Folder to write the lists and truth into."),
        people: int | None = typer.Option(
            None, "--people", help="True number of victims N (default 10,000)."
        ),
        lists: int | None = typer.Option(
            None, "--lists", help="Number of lists for a preset (default 4)."
        ),
        seed: int | None = typer.Option(None, "--seed", help="Random seed (default 0)."),
        preset: str | None = typer.Option(
            None,
            "--preset",
            help="easy, realistic (default), hard or large (generated family names, for scale).",
        ),
        config: Path | None = typer.Option(
            None, "--config", help="JSON configuration (as written in config.json's 'config')."
        ),
    ) -> None:
        """Simulate victims and K documentation lists with known truth (same seed, same bytes)."""
        settings = resolve_config(
            preset=preset, config_file=config, people=people, lists=lists, seed=seed
        )
        steps = len(settings.lists) + 4
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("simulating", total=steps)

            def advance(message: str) -> None:
                progress.update(task, advance=1, description=message)

            result = simulate(settings, progress=advance)
            progress.update(task, description="writing files")
            paths = write_simulation(result, out)
            progress.update(task, completed=steps)
        console.print(f"Wrote {len(paths)} files to {out}:")
        for path in paths:
            console.print(f"  {path.name}")
        console.print(
            f"True N: {result.true_n}; observed on at least one list: {result.observed_n}; "
            f"records: {len(result.truth)} in {len(settings.lists)} lists."
        )
