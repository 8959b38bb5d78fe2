"""A run of one fiscal year draws its fan charts: a bar of bands and a marker, not an empty axis and warnings."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
from matplotlib.image import imread

from geostress.data.store import Store
from geostress.results.plots import fan_charts
from geostress.run.engine import run_scenario
from geostress.spec.scenario import load_scenario


def _band_pixels(png: Path) -> int:
    """Pixels of the band colour's hue (any alpha over white): blue clearly above red and green."""
    image = imread(png)[..., :3]
    red, green, blue = image[..., 0], image[..., 1], image[..., 2]
    return int(np.count_nonzero((blue - red > 0.08) & (blue > green)))


def test_a_one_year_run_draws_bands_and_markers_without_warnings(store: Store, tmp_path: Path) -> None:
    spec = load_scenario("baseline").with_overrides(**{"scenario.horizon_years": 1, "simulation.paths": 50})
    result = run_scenario(spec, store=store)
    assert len(result.annual_frame()) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib's "identical low and high xlims" was the symptom
        charts = fan_charts(result, tmp_path)
    for variable, png in charts.items():
        assert _band_pixels(png) > 20_000, variable  # the bands: a bar, not an empty axis
    several = load_scenario("baseline").with_overrides(**{"scenario.horizon_years": 3, "simulation.paths": 50})
    wide = fan_charts(run_scenario(several, store=store), tmp_path / "three")
    assert all(_band_pixels(png) > 20_000 for png in wide.values())
