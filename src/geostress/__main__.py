"""``python -m geostress``: the ``geostress`` command (:mod:`geostress.cli.app`)."""

from geostress.cli.app import main

if __name__ == "__main__":
    main()
