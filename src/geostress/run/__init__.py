"""Orchestration: spec → parameters, seeding, the ensemble runner, the coupled loop, sweeps, tipping, sensitivity."""
