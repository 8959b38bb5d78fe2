"""Calibration of model parameters from the observation store (pure functions: a Store or frames in, numbers out)."""

from __future__ import annotations

#: Default nominal GDP growth for projections beyond CBO's actuals: CBO's February 2026 baseline puts debt of
#: $56,152bn at 120% of GDP in FY2036 (GDP ≈ $46.8tn), 4.0% a year from FY2025's actual $30,362bn.
DEFAULT_NOMINAL_GROWTH = 0.040
