"""``python -m geostress.cli``."""

from geostress.cli.app import main

main()
