"""Synthetic victim populations and documentation lists with known truth (``sijill simulate``).

Analysts test a method where the answer is known before trusting it on real lists. This package
draws a population of victims with realistic Syrian names (the project's own tables), sex, birth
year, date and place of death; then K lists that capture them with latent-class and covariate
heterogeneity and copying between lists, each recording names in its own script and spelling
scheme, with its own columns, dates, typos, duplicates, missing values, file format and encoding.

Presets (see `sijill.simulate.presets`): ``easy`` (homogeneous, clean, independent lists),
``realistic`` (two latent classes, covariate effects, one copying list, mixed scripts and
conventions, moderate noise), ``hard`` (a nearly invisible class, strong copying, heavy noise,
sparse fields) and ``large`` (``realistic`` with family names that grow with the population,
for runs at scale).

Example:
    >>> from sijill.simulate import preset_config, simulate, write_simulation
    >>> result = simulate(preset_config("realistic", people=2000, lists=4, seed=1))
    >>> paths = write_simulation(result, "sim-out")
"""

from sijill.simulate.config import (
    LatentClass,
    ListConfig,
    PopulationConfig,
    SimulationConfig,
)
from sijill.simulate.presets import PRESETS, preset_config, resolve_config
from sijill.simulate.run import SimulationResult, simulate
from sijill.simulate.transliterate import SCHEMES
from sijill.simulate.writer import write_simulation

__all__ = [
    "PRESETS",
    "SCHEMES",
    "LatentClass",
    "ListConfig",
    "PopulationConfig",
    "SimulationConfig",
    "SimulationResult",
    "preset_config",
    "resolve_config",
    "simulate",
    "write_simulation",
]
