"""Write a scenario run to a folder: Parquet tables, a JSON summary and fan-chart PNGs.

Layout of ``out_dir``:

* ``fan.parquet``: tidy long ``scenario, quantile, period, variable, value`` (quantiles ``p05 .. p95`` and
  ``deterministic``; deterministic rows only, for every annual column, when the run had no paths);
* ``annual.parquet``: the deterministic fiscal-year table (``fiscal_year`` plus USD bn levels, ratios and rates);
* ``monthly.parquet``: the deterministic monthly detail (``month`` = first day of the month, ``fiscal_year``
  and every :data:`~geostress.model.fiscal.MONTHLY_FIELDS` column);
* ``summary.json``: :meth:`ScenarioResult.summary` plus the scenario specification under ``"spec"``; its
  ``provenance`` names the geostress version, the data the run read and the CBO vintage
  (:mod:`geostress.results.provenance`);
* ``fan_debt_to_gdp.png``, ``fan_net_interest_to_gdp.png``, ``fan_interest_to_revenue.png``,
  ``fan_yield_10y.png`` (:mod:`geostress.results.plots`).

The whole set is written into a hidden staging folder inside ``out_dir`` first and moved into place as one step
(:func:`geostress.util.staging.staged_output`): after a failure, or a kill while the files are written, the folder
holds the complete previous set; a kill during the final short step of renames is completed by the next run into
the folder, which also removes the staging folders of killed runs. Other files in ``out_dir`` are left alone.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geostress.util.staging import staged_output
from geostress.results.ensemble import FAN_VARIABLES
from geostress.errors import DataError
from geostress.model.fiscal import MONTHLY_FIELDS

FAN_COLUMNS: tuple[str, ...] = ("scenario", "quantile", "period", "variable", "value")


def monthly_frame(result: Any) -> pd.DataFrame:
    """Deterministic monthly detail: ``month`` (period start), ``fiscal_year`` and :data:`MONTHLY_FIELDS`."""
    detail = np.asarray(result.deterministic.monthly[0])
    months = pd.date_range(pd.Timestamp(result.calibration.start), periods=detail.shape[0], freq="MS")
    frame = pd.DataFrame(detail, columns=list(MONTHLY_FIELDS))
    frame.insert(0, "fiscal_year", np.where(months.month >= 10, months.year + 1, months.year).astype(np.int64))
    frame.insert(0, "month", months)
    return frame


def summary_payload(result: Any) -> dict[str, Any]:
    """:meth:`ScenarioResult.summary` with the scenario specification as ``"spec"``."""
    payload = dict(result.summary())
    payload["spec"] = result.spec.model_dump(mode="json")
    return payload


def write_results(result: Any, out_dir: Path | str) -> dict[str, Path]:
    """Write every output of a :class:`~geostress.run.engine.ScenarioResult` into ``out_dir`` (created if needed).

    All files are written to a staging folder and moved in together (module docstring): on any error ``out_dir``
    keeps its previous files.

    Returns
    -------
    dict
        ``fan``, ``annual``, ``monthly``, ``summary`` and one ``fan_<variable>`` entry per chart → file path.

    Raises
    ------
    GeostressError
        A file of ``out_dir`` cannot be replaced (a folder in its place, no permission); the message names it.
    """
    out = Path(out_dir)
    with staged_output(out, "results") as staged:
        names = _write_set(result, staged)
    return {key: out / name for key, name in names.items()}


def _write_set(result: Any, folder: Path) -> dict[str, str]:
    """Write the files of :func:`write_results` into ``folder`` (a fresh staging folder); key → file name."""
    from geostress.results.plots import FILE_NAMES, fan_chart

    names = {"fan": "fan.parquet", "annual": "annual.parquet", "monthly": "monthly.parquet",
             "summary": "summary.json", **{f"fan_{var}": FILE_NAMES[var] for var in FAN_VARIABLES}}
    result.to_frame()[list(FAN_COLUMNS)].reset_index(drop=True).to_parquet(folder / names["fan"], index=False)
    result.annual_frame().reset_index().to_parquet(folder / names["annual"], index=False)
    monthly_frame(result).to_parquet(folder / names["monthly"], index=False)
    text = json.dumps(summary_payload(result), indent=1, default=str, ensure_ascii=False) + "\n"
    (folder / names["summary"]).write_text(text, encoding="utf-8")
    for var in FAN_VARIABLES:
        fan_chart(result, var, folder / names[f"fan_{var}"])
    return names


def load_fan(path: Path | str) -> pd.DataFrame:
    """Read a ``fan.parquet`` (or the folder holding one) back as the tidy long frame."""
    file = Path(path)
    if file.is_dir():
        file = file / "fan.parquet"
    if not file.is_file():
        raise DataError(f"no fan file at {file}; run `geostress run SCENARIO.toml --out DIR` first")
    frame = pd.read_parquet(file)
    missing = [c for c in FAN_COLUMNS if c not in frame.columns]
    if missing:
        raise DataError(f"{file} is not a fan file: columns {missing} are missing")
    return frame
