"""The trigger lexicon (``data/triggers.yaml``) and the codebook tables (``data/codebook.yaml``).

Both are data; this module loads, validates and compiles them once per process.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from eventcoder.cache import compile_regex, fingerprint, read_cache, write_cache
from eventcoder.config import cache_dir
from eventcoder.errors import DataError

#: the layout of a cached :class:`Lexicon`; a new one names new cache files
_CACHE_FORMAT = 1


@dataclass(frozen=True, slots=True)
class Cue:
    """One cue word found in the text: its family name and its span in ``Document.text``."""

    name: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Codebook:
    """ACLED's taxonomy: sub-event types in hierarchy order and their event and disorder types."""

    order: tuple[str, ...]
    event_type: dict[str, str]
    disorder_type: dict[str, str]
    #: event type -> disorder type, for events whose sub-event type is unknown
    event_disorder: dict[str, str]

    def rank(self, sub_event_type: str) -> int:
        """Position in ACLED's hierarchy (smaller wins)."""
        return self.order.index(sub_event_type)


_FAST_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """``yaml.safe_load``, with libyaml's parser when PyYAML was built with it (several times
    faster, the same data); a malformed text is parsed again by the pure-Python parser, so the
    error says what it always said.

    >>> safe_load("schema: 1")
    {'schema': 1}
    """
    try:
        return yaml.load(text, Loader=_FAST_SAFE_LOADER)  # noqa: S506 - a SafeLoader
    except yaml.YAMLError:
        return yaml.safe_load(text)


def _read_yaml(name: str) -> Any:
    path = resources.files("eventcoder") / "data" / name
    return _parse_yaml(str(path), path.read_text(encoding="utf-8"))


def csv_rows(origin: str, text: str, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of one of our CSV data files with their line numbers; ``#`` lines are comments
    and the header must be exactly ``columns``.

    >>> list(csv_rows("x.csv", "# a note\\nname,code\\nGulu,UG\\n", ("name", "code")))
    [(3, {'name': 'Gulu', 'code': 'UG'})]
    """
    lines = [(no, line) for no, line in enumerate(text.splitlines(), start=1)
             if not line.startswith("#")]
    reader = csv.DictReader(line for _no, line in lines)
    if tuple(reader.fieldnames or ()) != columns:
        raise DataError(origin, f"columns must be {','.join(columns)}",
                        lines[0][0] if lines else None)
    for (line_no, _line), row in zip(lines[1:], reader, strict=False):
        yield line_no, {k: v or "" for k, v in row.items()}


def _parse_yaml(origin: str, text: str) -> Any:
    try:
        return safe_load(text)
    except yaml.YAMLError as err:
        line = getattr(getattr(err, "problem_mark", None), "line", None)
        raise DataError(origin, f"invalid YAML: {err}", None if line is None else line + 1) from err


@functools.cache
def codebook() -> Codebook:
    """The codebook tables, loaded once.

    >>> codebook().event_type["Suicide bomb"]
    'Explosions/Remote violence'
    """
    data = _read_yaml("codebook.yaml")
    order: list[str] = []
    event_type: dict[str, str] = {}
    disorder: dict[str, str] = {}
    event_disorder: dict[str, str] = {}
    for et in data["event_types"]:
        event_disorder[et["name"]] = et["disorder_type"]
        for sub in et["sub_event_types"]:
            order.append(sub)
            event_type[sub] = et["name"]
            disorder[sub] = et["disorder_type"]
    disorder.update(data.get("disorder_overrides") or {})
    return Codebook(tuple(order), event_type, disorder, event_disorder)


# ---------------------------------------------------------------------------- the cue gates
# Searching a sentence with each family's pattern (a case-insensitive alternation of dozens of
# phrases, tried at every character) is the costly part of `find`, and most families have no cue
# in most sentences. So each alternative of a pattern is read once (from the parse tree ``re``
# itself makes of it) for two things every match of it must have, and a family's pattern is run
# only on a sentence that has both for one of its alternatives; elsewhere it would find nothing,
# so the cues found are the same:
#
# * its *heads*: the first 2-4 letters a match can start with, at a position where a word may
#   start (the family pattern's ``(?<![\w-])``);
# * its *need*: strings one of which every match contains ("nerve agent" or "sarin").
#
# Both are compared with the sentence *folded*: ASCII letters lower-cased, and the only four
# other characters that a case-insensitive ``re`` pattern matches to an ASCII letter mapped to
# it (tests/test_lexicon.py checks this list over all of Unicode), offsets unchanged.

_FOLD_SPECIAL = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
_FOLD = str.maketrans({**{chr(c): chr(c).lower() for c in range(ord("A"), ord("Z") + 1)},
                       **_FOLD_SPECIAL})

_HEAD = 4  # letters of a head, at most
_MIN_HEAD = 2  # an alternative that may start with one letter has no heads
_MIN_NEED = 3  # a need with a shorter string is in nearly every sentence: no use
_MAX_STRINGS = 256  # "(?:a|b) (?:c|d)" gives 4 strings; an analysis past this many stops
# a position where a word may start, and up to _HEAD characters after it
_STARTS = re.compile(rf"(?<![\w-])(?=(.{{1,{_HEAD}}}))", re.DOTALL)

_Strings = frozenset[str]


def _fold(text: str) -> str:
    return text.lower() if text.isascii() else text.translate(_FOLD)


def _word_heads(folded: str) -> set[str]:
    """Every string of 2 to _HEAD characters that starts where a word may start."""
    grams = _STARTS.findall(folded)
    return {gram[:n] for gram in grams for n in range(_MIN_HEAD, _HEAD + 1)}


def _heads(items: Any, state: set[tuple[str, bool]]) -> set[tuple[str, bool]] | None:
    """Extend the prefixes in ``state`` (text, still open) by the parsed sequence ``items``: the
    prefixes, of at most _HEAD characters, that a match can start with. None when they cannot be
    told (too many of them)."""
    from re import _constants as c  # noqa: PLC0415 - the parser of ``re`` itself

    for op, av in items:
        if not any(is_open for _text, is_open in state):
            break
        if op is c.LITERAL and av < 128:
            char = chr(av).lower()
            state = {(t + char, len(t) + 1 < _HEAD) if o else (t, o) for t, o in state}
        elif op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero-width: consumes nothing
        elif op is c.SUBPATTERN:
            inner = _heads(av[3], state)
            if inner is None:
                return None
            state = inner
        elif op is c.BRANCH:
            merged: set[tuple[str, bool]] = set()
            for branch in av[1]:
                inner = _heads(branch, state)
                if inner is None:
                    return None
                merged |= inner
            state = merged
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            low, high, body = av
            once = _heads(body, state)
            if once is None:
                return None
            if high != 1:  # what follows one repetition is another or the rest: stop there
                once = {(t, False) for t, _o in once}
            state = once | state if low == 0 else once
        else:  # a character class, any character, a letter outside ASCII...: the prefix ends
            state = {(t, False) for t, _o in state}
        if len(state) > _MAX_STRINGS:
            return None
    return state


def _needs(items: Any) -> tuple[list[_Strings], _Strings, _Strings, bool]:
    """The needs of a parsed sequence: those found inside it; the strings it starts with and
    ends with (to join with the literal text around it); and whether it is nothing but those
    (a literal, or a choice of literals)."""
    from re import _constants as c  # noqa: PLC0415

    found: list[_Strings] = []
    run: set[str] = {""}  # the literal text just before, one of these strings
    head: _Strings | None = None

    def close() -> None:
        nonlocal head, run
        if head is None:
            head = frozenset(run)
        if "" not in run:
            found.append(frozenset(run))
        run = {""}

    def join(choices: _Strings) -> None:
        nonlocal run
        if len(run) * len(choices) > _MAX_STRINGS:
            close()
        run = {r + x for r in run for x in choices}

    for op, av in items:
        if op is c.LITERAL and av < 128:
            run = {r + chr(av).lower() for r in run}
        elif op is c.SUBPATTERN:
            inner, first, last, pure = _needs(av[3])
            join(first)
            if not pure:
                close()
                found.extend(inner)
                run = set(last)
        elif op is c.BRANCH:
            parts = [_needs(branch) for branch in av[1]]
            if all(pure for _inner, _first, _last, pure in parts):
                join(frozenset().union(*(first for _inner, first, _last, _pure in parts)))
                continue
            close()
            bests = [_best([*inner, first, last]) for inner, first, last, _pure in parts]
            if all(best is not None for best in bests):
                found.append(frozenset().union(*bests))  # type: ignore[arg-type]
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1:
            close()
            inner, first, last, _pure = _needs(av[2])
            found.extend([*inner, first, last])
        else:  # optional, zero-width, a class...: what follows is another run
            close()
    if head is None:
        return [], frozenset(run), frozenset(run), True
    last_run = frozenset(run)
    close()
    return found, head, last_run, False


def _best(needs: list[_Strings]) -> _Strings | None:
    """The most selective need: the one whose shortest string is longest."""
    usable = [n for n in needs if n and min(map(len, n)) >= _MIN_NEED]
    return max(usable, key=lambda n: (min(map(len, n)), -len(n)), default=None)


@dataclass(frozen=True)
class _Gate:
    """What one alternative of a family's pattern needs in a sentence (None: not known)."""

    family: str
    heads: _Strings | None
    need: tuple[str, ...] | None


def _gate(family: str, alternative: str) -> _Gate:
    from re import _parser  # noqa: PLC0415

    try:
        parsed = _parser.parse(alternative, re.IGNORECASE)
        state = _heads(parsed, {("", True)})
        inner, first, last, _pure = _needs(parsed)
    except Exception:  # noqa: BLE001 - a parse this does not follow: no gate, only slower
        return _Gate(family, None, None)
    heads = None
    if state is not None and all(len(text) >= _MIN_HEAD for text, _open in state):
        heads = frozenset(text for text, _open in state)
    need = _best([*inner, first, last])
    return _Gate(family, heads, None if need is None else tuple(sorted(need)))


def fold(text: str) -> str:
    """``text`` with ASCII letters lower-cased and the four other characters that a
    case-insensitive pattern matches to an ASCII letter mapped to it; offsets unchanged.

    >>> fold("KILLED in Idlib")
    'killed in idlib'
    """
    return _fold(text)


class Prefiltered:
    """A compiled pattern and a cheap test that tells, for most texts it does not match, that
    it cannot: the strings (one of which every match contains) read from its parse tree as
    for the cue gates above. :meth:`search` answers exactly as ``pattern.search``; a pattern
    whose matches need no such string (``None``) is always searched.

    >>> armed = Prefiltered(re.compile(r"(?i)gunm[ae]n|rifles?"))
    >>> armed.need
    ('gunm', 'rifle')
    >>> armed.search("Two men died.") is None, armed.search("GUNMEN fired").group(0)
    (True, 'GUNMEN')
    """

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.need = _pattern_need(pattern)

    def may_match(self, folded: str) -> bool:
        """False when the pattern cannot match the text whose :func:`fold` is ``folded``."""
        return self.need is None or any(s in folded for s in self.need)

    def search(self, text: str, folded: str | None = None) -> re.Match[str] | None:
        """``pattern.search(text)``, skipped when :meth:`may_match` says it would find nothing;
        pass ``folded`` (``fold(text)``) when several patterns test one text."""
        if self.need is not None and not self.may_match(_fold(text) if folded is None else folded):
            return None
        return self.pattern.search(text)

    def finditer(self, text: str, folded: str | None = None) -> Iterator[re.Match[str]]:
        """``pattern.finditer(text)``, empty at once when :meth:`may_match` says so."""
        if self.need is not None and not self.may_match(_fold(text) if folded is None else folded):
            return iter(())
        return self.pattern.finditer(text)


def _pattern_need(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    from re import _parser  # noqa: PLC0415

    try:
        inner, first, last, _pure = _needs(_parser.parse(pattern.pattern, pattern.flags))
    except Exception:  # noqa: BLE001 - a parse this does not follow: no prefilter, only slower
        return None
    # a string of two letters ("ak" of "AK-47") still rules out most texts: the cue gates'
    # minimum (_MIN_NEED) weighs the cost of a gate searched per sentence and family
    usable = [n for n in (*inner, first, last) if n and min(map(len, n)) >= 2]
    need = max(usable, key=lambda n: (min(map(len, n)), -len(n)), default=None)
    if need is None:
        return None
    # a string that holds another of them adds nothing ("shot dead" holds "shot")
    return tuple(sorted(s for s in need if not any(t != s and t in s for t in need)))


class Lexicon:
    """Compiled cue patterns: one regular expression per cue family.

    Each alternative of a pattern also has a gate, what every match of it must have in the
    sentence (see "the cue gates" above); :meth:`find` runs a family's pattern only on sentences
    that pass the gate of one of its alternatives.

    A new lexicon compiles every pattern (so that a bad one is reported at once). A lexicon read
    back from the cache (:func:`lexicon`) was checked when it was written, and compiles a
    family's pattern only when a sentence first passes its gate (one article needs about half of
    them), through :func:`eventcoder.cache.compile_regex`.
    """

    def __init__(self, data: dict[str, Any], origin: str = "triggers.yaml") -> None:
        #: family -> the source of its pattern, compiled case-insensitively
        self._sources: dict[str, str] = {}
        self._compiled: dict[str, re.Pattern[str]] = {}
        self.primary: set[str] = set()
        gates: list[_Gate] = []
        for name, spec in (data.get("cues") or {}).items():
            alternatives = spec.get("patterns") or []
            if not alternatives:
                raise DataError(origin, f"cue {name!r} has no patterns")
            self._sources[name] = (
                r"(?<![\w-])(?:" + "|".join(f"(?:{p})" for p in alternatives) + r")(?![\w])"
            )
            try:
                self._pattern(name)
            except re.error as err:
                raise DataError(origin, f"cue {name!r}: bad pattern: {err}") from err
            gates += [_gate(name, p) for p in alternatives]
            if spec.get("primary"):
                self.primary.add(name)
        #: families with an alternative that has no gate: searched in every sentence
        self._ungated = frozenset(g.family for g in gates if g.heads is None and g.need is None)
        gated = [g for g in gates if g.family not in self._ungated]
        #: head -> families with an alternative that needs only to start with it
        self._head_families: dict[str, set[str]] = {}
        #: head -> (family, need) of the alternatives that start with it and need more
        self._head_needs: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for g in gated:
            for head in g.heads or ():
                if g.need is None:
                    self._head_families.setdefault(head, set()).add(g.family)
                else:
                    self._head_needs.setdefault(head, []).append((g.family, g.need))
        self._heads = frozenset(self._head_families) | frozenset(self._head_needs)
        #: (family, need) of the alternatives without heads: their need alone decides
        self._headless = [(g.family, g.need) for g in gated if g.heads is None]

    def __getstate__(self) -> dict[str, Any]:
        # a pickled pattern is compiled again when it is read: keep the sources only
        return {**self.__dict__, "_compiled": {}}

    def _pattern(self, name: str) -> re.Pattern[str]:
        pattern = self._compiled.get(name)
        if pattern is None:
            pattern = self._compiled[name] = compile_regex(self._sources[name], re.IGNORECASE)
        return pattern

    @property
    def patterns(self) -> dict[str, re.Pattern[str]]:
        """Every family's compiled pattern, in the order of the data file."""
        return {name: self._pattern(name) for name in self._sources}

    def _families(self, text: str) -> set[str]:
        """The families whose pattern may match in ``text``: a superset of those that do."""
        folded = _fold(text)
        heads = self._heads.intersection(_word_heads(folded))
        out = set(self._ungated)
        for head in heads:
            out.update(self._head_families.get(head, ()))
        for head in heads:
            for family, need in self._head_needs.get(head, ()):
                if family not in out and any(s in folded for s in need):
                    out.add(family)
        for family, need in self._headless:
            if family not in out and any(s in folded for s in need):  # type: ignore[union-attr]
                out.add(family)
        return out

    def find(self, text: str, offset: int = 0) -> list[Cue]:
        """All cues in ``text`` (a sentence), with spans shifted by ``offset``.

        >>> lexicon().find("Police fired tear gas.")[0].name
        'intervention'
        """
        found: list[Cue] = []
        families = self._families(text)
        for name in self._sources:
            if name not in families:
                continue
            for m in self._pattern(name).finditer(text):
                if m.end() > m.start():
                    found.append(Cue(name, offset + m.start(), offset + m.end(), m.group(0)))
        found.sort(key=lambda c: (c.start, -c.end))
        return found


@functools.cache
def lexicon() -> Lexicon:
    """The built-in trigger lexicon, compiled once per process.

    Its cue gates, read from the parse trees of 600-odd alternatives, are kept in
    :func:`eventcoder.config.cache_dir` under a fingerprint of ``triggers.yaml`` and of this
    module (``eventcoder.cache``), so a new process reads them back instead.
    """
    path = resources.files("eventcoder") / "data" / "triggers.yaml"
    text = path.read_text(encoding="utf-8")
    cached = cache_dir() / f"lexicon-{_lexicon_fingerprint(text)}.pickle"
    lex = read_cache(cached, Lexicon)
    if lex is None:
        lex = Lexicon(_parse_yaml(str(path), text))
        write_cache(cached, lex)
    return lex


def _lexicon_fingerprint(text: str) -> str:
    return fingerprint(f"lexicon-cache-v{_CACHE_FORMAT}", text,
                       Path(__file__).read_text(encoding="utf-8"))
