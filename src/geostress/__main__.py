"""``python -m geostress``: the ``geostress`` command (:mod:`geostress.cli.app`)."""

from geostress.cli.app import main

main()
