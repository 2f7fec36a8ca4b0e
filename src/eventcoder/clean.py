"""Stage 2, clean: the text every later stage reads, and the map back to the user's text.

Reads ``doc.article.text``; adds ``doc.text`` and ``doc.offsets``. Cleaning

* normalises typographic quotes and apostrophes to ``'`` and ``"``, dashes to ``-`` (an em dash,
  which joins words without spaces, becomes `` - ``), odd spaces (no-break, thin, ideographic,
  tab) to a plain space, and every line break (``\\r\\n``, ``\\r``, U+2028...) to ``\\n``;
* drops invisible format characters (soft hyphen, zero-width space, byte-order mark, bidi marks)
  and stray control characters;
* collapses runs of spaces inside a line, strips line ends, keeps at most one blank line between
  paragraphs;
* drops whole lines of page furniture listed in ``data/boilerplate.yaml`` (tag lists, share
  buttons, "Read more", cookie notices).

``doc.offsets[i]`` is the index in ``article.text`` of ``doc.text[i]`` (characters that expand,
like an em dash, map each of their characters to the one source character), plus one entry for
the end; :meth:`Document.to_source` uses it to point evidence at the words the user gave.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

from eventcoder.cache import compile_regex
from eventcoder.config import PipelineConfig
from eventcoder.errors import DataError
from eventcoder.lexicon import safe_load
from eventcoder.model import Document
from eventcoder.pipeline import Stage

__all__ = ["Boilerplate", "clean_text", "load_boilerplate", "make_clean"]

#: Characters replaced one for another (or by several; an empty string drops the character).
_REPLACE: dict[str, str] = {
    **dict.fromkeys("\u2019\u2018\u02bc\u00b4`\u201b\u2032", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
    **dict.fromkeys("\u2013\u2010\u2011\u2012\u2212\ufe63\uff0d", "-"),
    # an em dash or horizontal bar often joins two words with no space ("Idlib—the province");
    # spaced out, they stay two words, and the collapse of spaces tidies "a — b" to "a - b"
    **dict.fromkeys("\u2014\u2015", " - "),
    "\u2026": "...",
    "\t": " ",
}

#: Line breaks of every kind; each ends one line of the source.
_LINE_BREAK = re.compile("\r\n|[\n\r\u2028\u2029\x0b\x0c\x85]")


class Boilerplate:
    """Whole-line patterns of page furniture, from ``data/boilerplate.yaml`` (or another file).

    >>> Boilerplate.load().matches("Share this: Facebook Twitter")
    'share buttons'
    >>> Boilerplate.load().matches("Police fired tear gas in Nairobi.") is None
    True
    """

    def __init__(
        self, patterns: Sequence[tuple[str, re.Pattern[str]]], keep: Sequence[str] = ()
    ) -> None:
        self.patterns = list(patterns)
        #: lines of news that no pattern may drop (the data file's own test cases)
        self.keep = list(keep)

    @classmethod
    def load(cls, path: str | None = None) -> Boilerplate:
        """The patterns of ``path``, or of the package's ``data/boilerplate.yaml``."""
        if path is None:
            source: Traversable = resources.files("eventcoder").joinpath("data/boilerplate.yaml")
            name = "eventcoder/data/boilerplate.yaml"
        else:
            source, name = Path(path), path
        try:
            data = safe_load(source.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as err:
            raise DataError(name, f"cannot read boilerplate patterns: {err}") from err
        return cls._from_data(data, name)

    @classmethod
    def _from_data(cls, data: Any, name: str) -> Boilerplate:
        if not isinstance(data, dict) or not isinstance(data.get("patterns"), list):
            raise DataError(name, "expected a mapping with a 'patterns' list")
        patterns: list[tuple[str, re.Pattern[str]]] = []
        for index, entry in enumerate(data["patterns"]):
            if not isinstance(entry, dict) or not isinstance(entry.get("pattern"), str):
                raise DataError(name, f"patterns[{index}] needs a 'pattern' string")
            label = str(entry.get("name") or f"patterns[{index}]")
            try:
                patterns.append((label, compile_regex(entry["pattern"], re.IGNORECASE)))
            except re.error as err:
                raise DataError(name, f"pattern {label!r} is not a valid regex: {err}") from err
        keep = [str(line) for line in data.get("keep") or []]
        return cls(patterns, keep)

    def matches(self, line: str) -> str | None:
        """The name of the first pattern matching the whole ``line``, or None."""
        for label, pattern in self.patterns:
            if pattern.fullmatch(line):
                return label
        return None


def load_boilerplate() -> Boilerplate:
    """The package's boilerplate patterns (a shorthand for :meth:`Boilerplate.load`).

    >>> len(load_boilerplate().patterns) > 5
    True
    """
    return Boilerplate.load()


def make_clean(config: PipelineConfig) -> Stage:
    """The clean stage: loads the boilerplate patterns once, then cleans each document.

    >>> from eventcoder.model import Article
    >>> clean = make_clean(PipelineConfig())
    >>> text = "\u201cWe\u2019re here\u201d \u2014 police.\\nShare this:"
    >>> doc = clean(Document(Article(id="a", text=text)))
    >>> doc.text
    '"We\\'re here" - police.'
    >>> doc.article.text[slice(*doc.to_source(1, 6))]
    'We\u2019re'
    """
    boilerplate = Boilerplate.load()

    def clean(doc: Document) -> Document:
        doc.text, doc.offsets = clean_text(doc.article.text, boilerplate)
        return doc

    return clean


def clean_text(text: str, boilerplate: Boilerplate | None = None) -> tuple[str, list[int]]:
    r"""``text`` cleaned, and for each character of the result its index in ``text`` (plus
    ``len(text)`` for the end).

    >>> source = "Police\u00a0fired   tear gas \u2013 twice.\r\n\r\n\r\nTwo  hurt. "
    >>> text, offsets = clean_text(source)
    >>> text
    'Police fired tear gas - twice.\n\nTwo hurt.'
    >>> offsets[13], offsets[-1]  # "tear" comes after a run of three spaces; then the end
    (15, 49)
    """
    chars: list[str] = []
    offsets: list[int] = []
    # source indices of the line breaks since the last line kept: one of them separates two
    # lines, two of them make the blank line between paragraphs, more are dropped
    breaks: list[int] = []
    start = 0
    for match in (*_LINE_BREAK.finditer(text), None):
        end = match.start() if match is not None else len(text)
        line, line_offsets = _clean_line(text, start, end)
        if line and boilerplate is not None and boilerplate.matches("".join(line)):
            line = []  # a dropped line takes its line break with it
        elif line:
            if chars:
                for index in breaks[:2]:
                    chars.append("\n")
                    offsets.append(index)
            chars.extend(line)
            offsets.extend(line_offsets)
            breaks = []
            if match is not None:
                breaks.append(match.start())
        elif match is not None and chars:
            breaks.append(match.start())
        if match is not None:
            start = match.end()
    offsets.append(len(text))
    return "".join(chars), offsets


def _clean_line(text: str, start: int, end: int) -> tuple[list[str], list[int]]:
    """One line's characters, normalised, with runs of spaces collapsed and the ends stripped."""
    line = text[start:end]
    # most lines of English news need nothing done: copied whole, they cost no per-character work
    if line.isascii() and line.isprintable() and "  " not in line and "`" not in line:
        if line == line.strip():
            return list(line), list(range(start, end))
    chars: list[str] = []
    offsets: list[int] = []
    for index in range(start, end):
        char = text[index]
        replacement = _REPLACE.get(char)
        if replacement is None:
            category = unicodedata.category(char)
            if category == "Zs":
                replacement = " "
            elif category in ("Cf", "Cc"):
                replacement = ""  # invisible: soft hyphen, zero-width space, BOM, controls
            else:
                replacement = char
        for out in replacement:
            if out == " " and (not chars or chars[-1] == " "):
                continue
            chars.append(out)
            offsets.append(index)
    while chars and chars[-1] == " ":
        chars.pop()
        offsets.pop()
    return chars, offsets
