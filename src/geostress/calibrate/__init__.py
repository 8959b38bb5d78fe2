"""Calibration of model parameters from the observation store (pure functions: a Store or frames in, numbers out)."""

from __future__ import annotations
