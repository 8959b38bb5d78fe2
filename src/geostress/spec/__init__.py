"""Specifications: what to run (scenario, minerals, reserves, sweep specs), presets by name, one knob module."""
