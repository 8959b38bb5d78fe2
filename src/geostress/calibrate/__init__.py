"""Calibration of model parameters from the observation store (pure functions: a Store or frames in, numbers out)."""

from __future__ import annotations

#: FALLBACK nominal GDP growth, used only for CBO baselines older than every CBO economic-projection vintage in
#: the store (before January 2025): later baselines follow CBO's own GDP path
#: (:func:`geostress.calibrate.fiscal.nominal_gdp_path`). 4.0% a year is what CBO's February 2026 baseline implies
#: from FY2025's actual $30,362bn to FY2036 ($56,152bn of debt at 120% of GDP, GDP ≈ $46.8tn).
DEFAULT_NOMINAL_GROWTH = 0.040
