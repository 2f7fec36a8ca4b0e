"""The one exception hierarchy of eventcoder.

::

    EventcoderError                 anything eventcoder raises on purpose
    ├── InputError                  an input cannot be read (missing, empty, binary, not UTF-8,
    │                               too large, malformed record); carries the input's name
    ├── DataError                   a package or user data file (actors, lexicon, gazetteer) is
    │                               invalid; carries the file and line
    ├── ModelError                  a trained model directory is missing or incompatible
    └── ExtraMissingError           an optional extra is not installed; names the pip command

The library raises and never prints or exits; the CLI maps these to one-line messages and exit
codes, and batch runs record them as failures of one document.
"""

from __future__ import annotations


class EventcoderError(Exception):
    """Base class of every error eventcoder raises on purpose."""


class InputError(EventcoderError):
    """An input that cannot be read. ``str(err)`` is the one-line message for the user."""

    def __init__(self, origin: str, reason: str) -> None:
        self.origin = origin
        self.reason = reason
        super().__init__(f"{origin}: {reason}")


class DataError(EventcoderError):
    """A data file (actor dictionary, lexicon, gazetteer dump) is invalid."""

    def __init__(self, path: str, reason: str, line: int | None = None) -> None:
        self.path = path
        self.reason = reason
        self.line = line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")


class ModelError(EventcoderError):
    """A trained model directory is missing, corrupt or incompatible."""


class ExtraMissingError(EventcoderError):
    """An optional feature needs an extra that is not installed."""

    def __init__(self, feature: str, extra: str) -> None:
        self.feature = feature
        self.extra = extra
        super().__init__(f"{feature} needs the '{extra}' extra: pip install 'eventcoder[{extra}]'")
