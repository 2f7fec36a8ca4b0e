"""Derived data kept between processes: pickles in :func:`eventcoder.config.cache_dir`.

A new process would otherwise parse the same data files and derive the same tables again (the
checked actor dictionary, the actor ruler's phrases, the trigger lexicon's cue gates). Each such
file is named by a :func:`fingerprint` of everything it is derived from: the data files' texts,
the source of the module deriving it (which changes without a new version in a development
install), the package version and the Python version (pickle). A changed input gives a new
name, so a stale file is never read; a missing, corrupt or foreign file is built again, and a
cache that cannot be written is skipped. The gazetteer's SQLite index (``gazetteer.py``) follows
the same naming rule.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import TypeVar

_T = TypeVar("_T")


def fingerprint(kind: str, *parts: str) -> str:
    """A short hash of ``parts`` (texts, names, versions), the package version and Python's.

    >>> fingerprint("demo", "a") == fingerprint("demo", "a") != fingerprint("demo", "b")
    True
    """
    from eventcoder import __version__

    digest = hashlib.sha256()
    for part in (kind, __version__, sys.version, *parts):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:20]


def read_cache(path: Path, kind: type[_T]) -> _T | None:
    """The ``kind`` object pickled at ``path`` by :func:`write_cache`, or ``None`` when the file
    is missing, unreadable or holds something else (it is then built again)."""
    collecting = gc.isenabled()
    # unpickling creates many objects at once; with a spaCy model loaded, the collections it
    # would trigger cost several times the reading
    gc.disable()
    try:
        with path.open("rb") as stream:
            value = pickle.load(stream)  # noqa: S301 - our own cache file, named by its sources
    except (OSError, EOFError, pickle.PickleError, AttributeError, ImportError, TypeError,
            ValueError, IndexError, KeyError):
        return None
    finally:
        if collecting:
            gc.enable()
    return value if isinstance(value, kind) else None


def write_cache(path: Path, value: object) -> None:
    """Pickle ``value`` to ``path`` atomically; a cache that cannot be written is skipped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as stream:
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp_name, path)
    except OSError:
        pass  # a full disk: the next process builds it again
    finally:
        Path(tmp_name).unlink(missing_ok=True)


__all__ = ["fingerprint", "read_cache", "write_cache"]
