"""Derived data kept between processes: pickles in :func:`eventcoder.config.cache_dir`.

A new process would otherwise parse the same data files and derive the same tables again (the
checked actor dictionary, the actor ruler's phrases, the trigger lexicon's cue gates). Each such
file is named by a :func:`fingerprint` of everything it is derived from: the data files' texts,
the source of the module deriving it (which changes without a new version in a development
install), the package version and the Python version (pickle). A changed input gives a new
name, so a stale file is never read; a missing, corrupt or foreign file is built again, and a
cache that cannot be written is skipped. The gazetteer's SQLite index (``gazetteer.py``) follows
the same naming rule.

:func:`compile_regex` keeps compiled regular expressions the same way. Compiling the long
alternations built from our data files (cue families, place and date words, country names) is
the largest part of a new process's own start-up, and ``re`` keeps compiled patterns for one
process only. What ``re`` would compile for a pattern is fixed by the pattern, its flags and
the Python version, so a kept pattern needs no invalidation beyond that version.
"""

from __future__ import annotations

import atexit
import gc
import hashlib
import os
import pickle
import re
import sys
import tempfile
from pathlib import Path
from re import _compiler, _parser  # type: ignore[attr-defined]
from typing import TypeVar

import _sre  # the engine behind re.compile

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


# ------------------------------------------------------------------------ compiled expressions
# ``re.compile(p, flags)`` is ``_sre.compile(p, *what _compiler.compile derives from parsing p)``:
# the parse and the code generation, in pure Python, are the cost; ``_sre.compile`` itself only
# copies the code (and validates it). A kept entry is those derived arguments, so the pattern
# made from it is the one ``re.compile`` makes (``==`` compares the code: tests/test_cache.py).

_REGEX_FORMAT = 1
#: past this many kept expressions, a save keeps only those the saving process used
_MAX_REGEXES = 2000

_Entry = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]


class _RegexCache:
    """The process's compiled expressions, backed by one pickle of :data:`_Entry` per pattern and
    flags in :func:`eventcoder.config.cache_dir`; new entries are saved when the process exits."""

    def __init__(self) -> None:
        self._compiled: dict[tuple[str, int], re.Pattern[str]] = {}
        self._entries: dict[tuple[str, int], _Entry] | None = None
        self._path: Path | None = None
        self._added = False

    def compile(self, pattern: str, flags: int) -> re.Pattern[str]:
        key = (pattern, flags)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._from_entry(key) or self._new(key)
            self._compiled[key] = compiled
        return compiled

    def _from_entry(self, key: tuple[str, int]) -> re.Pattern[str] | None:
        entry = self._load().get(key)
        if entry is None:
            return None
        try:
            return _sre.compile(key[0], *entry)
        except (TypeError, ValueError, RuntimeError, OverflowError):  # a damaged entry
            return None

    def _new(self, key: tuple[str, int]) -> re.Pattern[str]:
        pattern, flags = key
        try:
            parsed = _parser.parse(pattern, flags)  # a bad pattern raises re.error, as re does
            # opcodes are named int constants that refuse to be pickled: keep plain ints
            code = [int(op) for op in _compiler._code(parsed, flags)]
        except re.error:
            raise
        except Exception:  # noqa: BLE001 - internals this does not know: compile as usual
            return re.compile(pattern, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        entry: _Entry = (flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex,
                         tuple(indexgroup))
        compiled = _sre.compile(pattern, *entry)
        entries = self._load()
        entries[key] = entry
        if not self._added:
            self._added = True
            atexit.register(self.save)
        return compiled

    def _load(self) -> dict[tuple[str, int], _Entry]:
        if self._entries is None:
            self._path = _regex_cache_path()
            self._entries = read_cache(self._path, dict) or {}
        return self._entries

    def save(self) -> None:
        """Write the entries this process added (with those already kept) to the cache file."""
        if not self._added or self._entries is None or self._path is None:
            return
        entries = read_cache(self._path, dict) or {}  # another process may have added some
        entries.update(self._entries)
        if len(entries) > _MAX_REGEXES:
            entries = {key: entries[key] for key in self._compiled if key in entries}
        write_cache(self._path, entries)
        self._added = False


def _regex_cache_path() -> Path:
    from eventcoder.config import cache_dir

    name = fingerprint(f"regexes-v{_REGEX_FORMAT}", str(_sre.MAGIC), str(_sre.CODESIZE),
                       str(sys.maxunicode))
    return cache_dir() / f"regexes-{name}.pickle"


_REGEXES = _RegexCache()


def longest_first(word: str) -> tuple[int, str]:
    """Sort key for the words of an alternation: the longest first (so that "Democratic Republic
    of the Congo" is tried before "Congo"), then in alphabetical order. A set's order changes
    from one process to the next; this one does not, so the same data makes the same pattern
    text (and one cache entry, not one per process).

    >>> sorted({"Congo", "DR Congo", "Mali"}, key=longest_first)
    ['DR Congo', 'Congo', 'Mali']
    """
    return -len(word), word


def compile_regex(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, the same pattern object, read from the cache folder when
    a process compiled it before (see above): for the long expressions built from data files.

    >>> compile_regex(r"(?i)air ?strikes?").search("An AIRSTRIKE hit").group(0)
    'AIRSTRIKE'
    """
    return _REGEXES.compile(pattern, int(flags))


__all__ = ["compile_regex", "fingerprint", "longest_first", "read_cache", "write_cache"]
