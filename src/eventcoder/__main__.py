"""``python -m eventcoder``: the same command line as the ``eventcoder`` script."""

from eventcoder.cli import script_main

script_main()
