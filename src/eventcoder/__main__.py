"""``python -m eventcoder``: the same command line as the ``eventcoder`` script."""

from eventcoder.cli import run

run()
