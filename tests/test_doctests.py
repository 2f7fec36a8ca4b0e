"""The examples in the package's docstrings are tests too: each module's doctests run here, so
an example that stops being true fails the suite instead of misleading a reader."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import eventcoder

# (not ``__main__``: importing it runs the command)
MODULES = sorted(m.name for m in pkgutil.iter_modules(eventcoder.__path__, "eventcoder.")
                 if m.name != "eventcoder.__main__")


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
