"""The ground floor: atomic writes, JSON cleaning, TOML reading, error formatting and name suggestions."""
