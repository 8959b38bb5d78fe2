"""Sub-commands of the geostress command line, each with a register(app) function."""
