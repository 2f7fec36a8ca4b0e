"""The trigger lexicon (``data/triggers.yaml``) and the codebook tables (``data/codebook.yaml``).

Both are data; this module loads, validates and compiles them once per process.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from eventcoder.errors import DataError


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
    try:
        return safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        line = getattr(getattr(err, "problem_mark", None), "line", None)
        raise DataError(str(path), f"invalid YAML: {err}", None if line is None else line + 1) from err


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


class Lexicon:
    """Compiled cue patterns: one regular expression per cue family."""

    def __init__(self, data: dict[str, Any], origin: str = "triggers.yaml") -> None:
        self.patterns: dict[str, re.Pattern[str]] = {}
        self.primary: set[str] = set()
        for name, spec in (data.get("cues") or {}).items():
            alternatives = spec.get("patterns") or []
            if not alternatives:
                raise DataError(origin, f"cue {name!r} has no patterns")
            try:
                self.patterns[name] = re.compile(
                    r"(?<![\w-])(?:" + "|".join(f"(?:{p})" for p in alternatives) + r")(?![\w])",
                    re.IGNORECASE,
                )
            except re.error as err:
                raise DataError(origin, f"cue {name!r}: bad pattern: {err}") from err
            if spec.get("primary"):
                self.primary.add(name)

    def find(self, text: str, offset: int = 0) -> list[Cue]:
        """All cues in ``text`` (a sentence), with spans shifted by ``offset``.

        >>> lexicon().find("Police fired tear gas.")[0].name
        'intervention'
        """
        found: list[Cue] = []
        for name, pattern in self.patterns.items():
            for m in pattern.finditer(text):
                if m.end() > m.start():
                    found.append(Cue(name, offset + m.start(), offset + m.end(), m.group(0)))
        found.sort(key=lambda c: (c.start, -c.end))
        return found


@functools.cache
def lexicon() -> Lexicon:
    """The built-in trigger lexicon, compiled once."""
    return Lexicon(_read_yaml("triggers.yaml"))
