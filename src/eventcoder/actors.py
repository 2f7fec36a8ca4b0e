"""The actor dictionary and the actors stage.

The dictionary (``data/actors.yaml``, schema documented at the top of that file) knows named armed
groups with their ACLED names, inter codes and aliases; each country's demonyms, names and state
forces per regime; generic actors ("unknown gunmen" -> Unidentified Armed Group); force nouns;
identity groups whose militias ACLED names "<Group> Ethnic Militia (<Country>)". Spelling variants
of aliases (hyphen or space, apostrophe or none, ``al-``/``el-``/``ash-`` article forms, common
transliteration alternations) are generated when the file is loaded, so the file stays readable.

The stage (:func:`make_actors`) reads the ``ACTOR`` entities the nlp stage's entity ruler set,
adds generic and state-force mentions from matchers built once, and fills ``doc.actors``.
Generic and bare state actors carry no country; :func:`resolve_actor` fills it in for an event's
country and date.

What the stage puts in ``doc.actors`` (``ActorMention.actor.kind`` / ``.role``):

- ``named``: a dictionary actor under its canonical name ("HTS: Hayat Tahrir al Sham"), or a
  group listed as a member of a coalition that the dictionary does not know (its text as name);
- ``state``: ``Military Forces`` / ``Police Forces`` (optionally with a unit: "Police Forces
  Prison Guards"), with the country when the text names it ("Syrian army") and ``None`` when
  it does not ("the police"); :func:`resolve_actor` picks the regime by date;
- ``generic``: ``Unidentified Armed Group``, ``Civilians``, ``Protesters``, ``Rioters``,
  ``<Group> Ethnic Militia``..., country ``None`` unless a demonym gives it ("Syrian civilians").

Monitoring missions (``kind: observer`` in the dictionary: "the OSCE SMM observed ...") report
events and are never a side of one: they go to ``doc.observers``, apart from ``doc.actors``.
A dictionary actor carries its ``areas`` (admin1 names of its home ground), context for the
places stage.

Roles: ``None`` (the actor itself), ``"member"`` (one of the groups listed as forming or joining a
coalition), ``"backer"`` ("Turkish-backed": the backer of someone else), ``"affiliate"``
("ISIS-linked"), ``"country"`` (a state named as the subject of a clause, "Ankara was behind
..."), ``"implied"`` (a crowd stood for by its event alone, "a protest was held"), ``"ally"``
(fighting on the side of the actor named just before: "soldiers backed by VDP militia"; ACLED's
associated actor), ``"claimant"`` (a group claiming an attack: "JNIM claimed responsibility").
"Gunmen suspected to be Al Shabaab" is one mention of the named group.
Crowd mentions ("members of the BNP staged a protest") may contain a named actor, which ACLED
codes as an associated actor; every other pair of mentions is disjoint.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from eventcoder.cache import compile_regex, fingerprint, longest_first, read_cache, write_cache
from eventcoder.config import PipelineConfig, cache_dir
from eventcoder.errors import DataError
from eventcoder.model import Actor, ActorMention, Document, Span

Stage = Callable[[Document], Document]

#: Label of the entities the nlp stage's ruler sets from this dictionary.
ACTOR_LABEL = "ACTOR"
#: Prefix of ruler ids that name a state force rather than a dictionary actor.
STATE_ID_PREFIX = "@"
#: Name of an unresolved state actor, by force; :func:`resolve_actor` adds country and regime.
FORCE_NAMES: dict[str, str] = {"military": "Military Forces", "police": "Police Forces", "government": "Government"}
#: What a generic actor's country becomes when the country of an event is not known.
UNKNOWN_COUNTRY = "Unknown"

_SCHEMA_VERSION = 1
_CACHE_FORMAT = 2
# tables computed from the entries on first use; loading another file drops them
_DERIVED_TABLES = ("_surface_table", "_country_word_table", "_alternatives_table", "_militias")
_MAX_VARIANTS = 200
_ARTICLES = frozenset({"al", "el"})
# Arabic "sun letters" assimilate the article: al-Sham -> ash-Sham, al-Din -> ad-Din.
_SUN_PREFIXES = ("sh", "th", "dh", "t", "d", "r", "z", "s", "n")
_APOSTROPHES = "'\u2019\u2018`\u02bf\u02be"


# --------------------------------------------------------------------------------------------
# records of the dictionary


@dataclass(frozen=True, slots=True)
class Era:
    """From ``start`` on, the actor goes by ``name`` (and ``inter`` when given)."""

    start: dt.date
    name: str
    inter: int | None = None


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """A dictionary actor: its ACLED name, inter code, country and surface forms."""

    name: str
    inter: int
    country: str | None
    kind: str = "named"
    aliases: tuple[str, ...] = ()
    weak_aliases: tuple[str, ...] = ()
    shared: frozenset[str] = frozenset()
    eras: tuple[Era, ...] = ()
    by_country: Mapping[str, str] = field(default_factory=dict)
    #: the two actors this joint name stands for ("JNIM ... and/or Islamic State ...")
    joint: frozenset[str] = frozenset()
    #: the countries a transnational group fights in (JNIM: Mali, Burkina Faso, Niger ...); such a
    #: group has no home ``country``, so naming it says nothing of where an event happened
    countries: tuple[str, ...] = ()
    #: admin1 names of the group's home ground in ``country`` (a regional insurgency's
    #: provinces, a monitoring mission's area): weak context for the places stage
    areas: tuple[str, ...] = ()
    source: str = ""
    line: int | None = None

    def actor(self) -> Actor:
        """The :class:`Actor` this entry stands for (its canonical name, no era applied)."""
        return Actor(self.name, self.inter, self.country, self.kind, self.areas)


@dataclass(frozen=True, slots=True)
class Unit:
    """A named unit of a country's forces, e.g. India's Border Security Force (police)."""

    name: str
    force: str
    aliases: tuple[str, ...] = ()
    #: admin1 names of the unit's home ground, for a regional force ("Liyu Police": Somali
    #: region); carried on the mentions the actors stage makes, context for the places stage
    areas: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CountryEntry:
    """A country: how the news names it and its people, and its state forces per regime."""

    name: str
    label: str
    demonyms: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    metonyms: tuple[str, ...] = ()
    regimes: tuple[dt.date, ...] = ()
    military: tuple[str, ...] = ()
    police: tuple[str, ...] = ()
    units: tuple[Unit, ...] = ()
    #: the actor its forces are coded as in other countries ("Operation Restoring Hope" in Yemen)
    abroad: Mapping[str, str] = field(default_factory=dict)
    source: str = ""
    line: int | None = None

    def regime(self, on: dt.date | None) -> str:
        """The regime suffix in force on ``on``: ``"(2013-2022)"``, ``"(2022-)"``.

        No date means the current (last) regime; a date before the first listed regime gives the
        first one, the closest ACLED name the dictionary knows.

        >>> c = CountryEntry("Kenya", "Kenya", regimes=(dt.date(2013, 4, 9), dt.date(2022, 9, 13)))
        >>> c.regime(dt.date(2020, 1, 1)), c.regime(None)
        ('(2013-2022)', '(2022-)')
        """
        if not self.regimes:
            return ""
        index = len(self.regimes) - 1
        if on is not None:
            index = 0
            for i, start in enumerate(self.regimes):
                if start <= on:
                    index = i
        start = self.regimes[index]
        end = self.regimes[index + 1].year if index + 1 < len(self.regimes) else ""
        return f"({start.year}-{end})"

    def force_name(self, force: str, on: dt.date | None, unit: str | None = None) -> str:
        """ACLED's name of this country's ``force`` ("military"/"police") on date ``on``."""
        regime = self.regime(on)
        name = f"{FORCE_NAMES[force]} of {self.label}"
        if regime:
            name = f"{name} {regime}"
        return f"{name} {unit}" if unit else name


@dataclass(frozen=True, slots=True)
class GenericEntry:
    """A generic actor ("Civilians"): its inter code and the nouns that name it."""

    name: str
    inter: int
    nouns: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class IdentityGroup:
    """An ethnic or communal group whose militia ACLED names "<name> Ethnic Militia (<country>)"."""

    name: str
    countries: tuple[str, ...]
    aliases: tuple[str, ...]
    militia: str = "Ethnic Militia"
    #: admin1 names of the group's home ground, for a group of one country (Turkana: Turkana
    #: county); carried on its militia's mentions, context for the places stage
    areas: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Crowd:
    """A crowd actor named by what it does: the subject of ``verbs`` ("protested"), of
    ``light_verbs`` with one of ``events`` as object ("staged a sit-in"), the object of
    ``target_verbs`` ("dispersed"). With ``weak_verbs`` the subject must look like a crowd."""

    name: str
    inter: int
    verbs: frozenset[str]
    weak_verbs: frozenset[str]
    light_verbs: frozenset[str]
    events: frozenset[str]
    target_verbs: frozenset[str]
    #: events that stand for the crowd with nobody named ("a protest was held")
    implied: frozenset[str]


# --------------------------------------------------------------------------------------------
# spelling variants


def _strip_apostrophes(word: str) -> str:
    return "".join(ch for ch in word if ch not in _APOSTROPHES)


def _is_case_sensitive(alias: str) -> bool:
    """Acronyms (``HTS``, ``IS``, ``LeT``, ``M23``) only match in their own case.

    Lower-cased matching of "IS" or "AA" would fire on ordinary words.
    """
    if " " in alias.strip():
        return False
    letters = [ch for ch in alias if ch.isalpha()]
    if not letters:
        return True
    upper = sum(ch.isupper() for ch in letters)
    return upper >= 2 and upper * 2 >= len(letters) or (len(letters) <= 3 and upper >= 1)


def spelling_variants(alias: str, classes: Mapping[str, tuple[str, ...]] | None = None) -> list[str]:
    """Spellings of ``alias`` that news uses for the same name, the alias itself first.

    Hyphens become spaces and back, apostrophes go, the Arabic article takes its ``al-``, ``el-``
    and assimilated (``ash-``, ``ad-``) forms, words of a transliteration class (``jaish``,
    ``jeish``, ``jaysh``) replace each other, and a final ``-ah`` / ``-a`` alternate. A writer
    spells the articles and separators of one name alike, so those vary together while each
    word varies on its own; that keeps the count in the hundreds for long names.

    >>> "Tahrir al Sham Hayat" in spelling_variants("Tahrir al-Sham Hay'at")
    True
    >>> "Ahrar ash-Sham" in spelling_variants("Ahrar al-Sham")
    True
    """
    classes = classes or {}
    text = " ".join(alias.replace("\u2019", "'").replace("\u2018", "'").split())
    if _is_case_sensitive(text):
        return [text]
    parts = re.split(r"([\s-]+)", text)
    words = parts[0::2]
    seps = parts[1::2]
    lowered = [_strip_apostrophes(w).lower() for w in words]
    arabic = any(w in _ARTICLES for w in lowered) or any(w in classes for w in lowered)
    word_options: list[list[str]] = []
    article_slots: list[int] = []
    for index, word in enumerate(words):
        key = lowered[index]
        if key in _ARTICLES and index + 1 < len(words):
            article_slots.append(index)
            word_options.append([word])
            continue
        options = [word]
        bare = _strip_apostrophes(word)
        if bare and bare != word:
            options.append(bare)
        if arabic:
            options += list(classes.get(key, ()))
            if len(key) >= 4 and key.endswith("ah"):
                options.append(bare[:-1])
            elif len(key) >= 4 and key.endswith("a"):
                options.append(bare + "h")
            elif len(key) >= 4 and key.endswith("eh"):
                options.append(bare[:-2] + "a")
        word_options.append(list(dict.fromkeys(options)))

    def article(index: int, style: str) -> str:
        """The article before word ``index + 1`` in ``style``: as written, al, el, assimilated."""
        if style == "as written":
            return words[index]
        if style == "assimilated":
            following = lowered[index + 1]
            for prefix in _SUN_PREFIXES:
                if following.startswith(prefix):
                    return "a" + prefix[0] + ("h" if len(prefix) == 2 else "")
            return "al"
        return style

    def separator(index: int, style: str) -> str:
        sep = seps[index]
        if style == "as written" or not ("-" in sep or lowered[index] in _ARTICLES):
            return sep
        # "al-Sham" / "al Sham"; other hyphens ("Tehrik-i-Taliban") become spaces too
        return " " if style == "spaces" else ("-" if lowered[index] in _ARTICLES else sep)

    article_styles = ["as written", "al", "el", "assimilated"] if article_slots else ["as written"]
    sep_styles = ["as written", "spaces", "hyphens"] if seps else ["as written"]
    out: dict[str, str] = {text.lower(): text}
    word_combos = list(itertools.islice(itertools.product(*word_options), _MAX_VARIANTS))
    for combo in word_combos:
        for a_style in article_styles:
            for s_style in sep_styles:
                pieces: list[str] = []
                for index, word in enumerate(combo):
                    pieces.append(article(index, a_style) if index in article_slots else word)
                    if index < len(seps):
                        pieces.append(separator(index, s_style))
                variant = "".join(pieces)
                out.setdefault(variant.lower(), variant)
    return list(out.values())


def _auto_aliases(name: str) -> list[str]:
    """``"HTS: Hayat Tahrir al Sham"`` also answers to ``HTS`` and ``Hayat Tahrir al Sham``."""
    out = [name]
    if ": " in name:
        acronym, full = name.split(": ", 1)
        out += [full, acronym]
    return out


# --------------------------------------------------------------------------------------------
# loading


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that records each mapping's line as ``__line__`` for error messages."""


# libyaml's parser, when PyYAML was built with it: the same nodes and marks, several times faster
_FastLineLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", _LineLoader)
if _FastLineLoader is not _LineLoader:
    _FastLineLoader = type("_FastLineLoader", (_FastLineLoader,), {"__doc__": _LineLoader.__doc__})


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


for _loader in {_LineLoader, _FastLineLoader}:
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _parse_yaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_FastLineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError:
        # parsed again for the message: the pure-Python parser names the problem and its line
        # in the words users (and the tests) know
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass


def _read_yaml(path: str, text: str) -> dict[str, Any]:
    try:
        data = _parse_yaml(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(err, "problem", None) or str(err)
        raise DataError(path, f"not valid YAML: {problem}", line) from err
    if data is None:
        return {"__line__": 1}
    if not isinstance(data, dict):
        raise DataError(path, "expected a mapping with 'actors', 'countries', ... at the top", 1)
    return data


class _Reader:
    """Typed access to one YAML mapping, raising :class:`DataError` with file and line."""

    def __init__(self, path: str, raw: Any, what: str, line: int | None) -> None:
        if not isinstance(raw, dict):
            raise DataError(path, f"{what}: expected a mapping, got {type(raw).__name__}", line)
        self.path = path
        self.raw = raw
        self.what = what
        self.line = raw.get("__line__", line)

    def fail(self, reason: str) -> DataError:
        return DataError(self.path, f"{self.what}: {reason}", self.line)

    def check_keys(self, allowed: Iterable[str]) -> None:
        unknown = sorted(set(self.raw) - set(allowed) - {"__line__"})
        if unknown:
            raise self.fail(f"unknown field(s) {', '.join(unknown)}")

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.raw.get(key)
        if value is None:
            if required:
                raise self.fail(f"missing '{key}'")
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"'{key}' must be a non-empty string, got {value!r}")
        return value.strip()

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.raw.get(key) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(f"'{key}' must be a list of non-empty strings")
        return tuple(v.strip() for v in value)

    def inter(self, key: str = "inter") -> int:
        value = self.raw.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 8:
            raise self.fail(f"'{key}' must be an ACLED inter code 1-8, got {value!r}")
        return value

    def date(self, value: Any) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError as err:
            raise self.fail(f"not a date (YYYY-MM-DD): {value!r}") from err


class ActorDictionary:
    """The actor dictionary, loaded once: named actors, countries, generics, force nouns.

    >>> actors = load_actors()
    >>> actors.lookup("Tahrir al-Sham Hay'at").name
    'HTS: Hayat Tahrir al Sham'
    """

    def __init__(self) -> None:
        self.actors: dict[str, ActorEntry] = {}
        self.countries: dict[str, CountryEntry] = {}
        self.generics: dict[str, GenericEntry] = {}
        self.force_nouns: dict[str, tuple[str, ...]] = {"military": (), "police": ()}
        self.force_modifiers: tuple[str, ...] = ()
        self.needs_owner: frozenset[str] = frozenset()
        self.identity_groups: dict[str, IdentityGroup] = {}
        self.militia_nouns: tuple[str, ...] = ()
        self.transliterations: dict[str, tuple[str, ...]] = {}
        #: named units any country's forces have ("Prison Guards"): the article gives the country
        self.portable_units: tuple[Unit, ...] = ()
        self.crowds: dict[str, Crowd] = {}
        self.crowd_heads: frozenset[str] = frozenset()
        self.descriptive_heads: frozenset[str] = frozenset()
        #: phrases naming the two parties of the fighting reported before ("the two sides")
        self.both_sides: tuple[str, ...] = ()
        self._index: dict[str, str] | None = None
        #: identifies the sources the dictionary was loaded from, for caches of tables derived
        #: from it (the nlp stage's ruler); ``None`` for a dictionary built by hand
        self.fingerprint: str | None = None

    # -- loading --------------------------------------------------------------------------

    def load(self, path: str, text: str) -> None:
        """Merge one YAML file of the documented schema into the dictionary.

        An actor or country already present is extended: lists (aliases, demonyms, units) are
        joined, and scalar fields the file gives replace the old ones.
        """
        data = _read_yaml(path, text)
        top = _Reader(path, data, "file", 1)
        top.check_keys(
            {"version", "transliterations", "actors", "countries", "generic", "forces",
             "identity_groups", "militia_nouns", "units", "crowds", "crowd_heads",
             "descriptive_heads", "both_sides"}
        )
        version = data.get("version", _SCHEMA_VERSION)
        if version != _SCHEMA_VERSION:
            raise top.fail(f"schema version {version!r} is not supported (expected {_SCHEMA_VERSION})")
        for group in self._list(path, data, "transliterations"):
            if not isinstance(group, list) or not all(isinstance(w, str) for w in group):
                raise DataError(path, "transliterations: each entry must be a list of words", None)
            words = tuple(dict.fromkeys(w.lower() for w in group))
            for word in words:
                self.transliterations[word] = tuple(w for w in words if w != word)
        seen: set[tuple[str, str]] = set()

        def once(kind: str, reader: _Reader) -> _Reader:
            # merging is for a second file; twice the same name in one file is a mistake
            name = reader.raw.get("name")
            if (kind, str(name)) in seen:
                raise reader.fail(f"{name!r} is listed twice in this file")
            seen.add((kind, str(name)))
            return reader

        for raw in self._list(path, data, "countries"):
            self._add_country(once("country", _Reader(path, raw, "country", data.get("__line__"))))
        for raw in self._list(path, data, "actors"):
            self._add_actor(once("actor", _Reader(path, raw, "actor", data.get("__line__"))))
        for raw in self._list(path, data, "generic"):
            reader = _Reader(path, raw, "generic actor", None)
            reader.check_keys({"name", "inter", "nouns"})
            name = reader.text("name", required=True)
            assert name is not None
            old = self.generics.get(name)
            nouns = (old.nouns if old else ()) + reader.texts("nouns")
            self.generics[name] = GenericEntry(name, reader.inter(), tuple(dict.fromkeys(nouns)))
        if "forces" in data:
            reader = _Reader(path, data["forces"], "forces", None)
            reader.check_keys({"military", "police", "modifiers", "needs_owner"})
            for force in ("military", "police"):
                merged = self.force_nouns[force] + reader.texts(force)
                self.force_nouns[force] = tuple(dict.fromkeys(merged))
            self.force_modifiers = tuple(dict.fromkeys(self.force_modifiers + reader.texts("modifiers")))
            self.needs_owner = self.needs_owner | {n.lower() for n in reader.texts("needs_owner")}
        for raw in self._list(path, data, "identity_groups"):
            reader = _Reader(path, raw, "identity group", None)
            reader.check_keys({"name", "countries", "aliases", "militia", "areas"})
            name = reader.text("name", required=True)
            assert name is not None
            countries = reader.texts("countries")
            for country in countries:
                if country not in self.countries:
                    raise reader.fail(f"{name}: unknown country {country!r}")
            militia = reader.text("militia") or "Ethnic Militia"
            aliases = tuple(dict.fromkeys((name, *reader.texts("aliases"))))
            areas = reader.texts("areas")
            if areas and len(countries) != 1:
                # an area is an admin1 unit of one country
                raise reader.fail(f"{name}: 'areas' needs exactly one country")
            self.identity_groups[name] = IdentityGroup(name, countries, aliases, militia, areas)
        for raw in self._list(path, data, "units"):
            unit = self._unit(_Reader(path, raw, "unit", None))
            if unit.areas:
                # (a unit every country has lies in no one country's provinces)
                raise DataError(path, f"unit {unit.name}: a portable unit has no 'areas'", None)
            self.portable_units += (unit,)
        for raw in self._list(path, data, "crowds"):
            reader = _Reader(path, raw, "crowd", None)
            reader.check_keys(
                {"name", "inter", "verbs", "weak_verbs", "light_verbs", "events", "target_verbs",
                 "implied"}
            )
            name = reader.text("name", required=True)
            assert name is not None

            def words(key: str) -> frozenset[str]:
                return frozenset(w.lower() for w in reader.texts(key))

            self.crowds[name] = Crowd(
                name, reader.inter(), words("verbs"), words("weak_verbs"), words("light_verbs"),
                words("events"), words("target_verbs"), words("implied") or words("events"),
            )
        if "descriptive_heads" in data:
            heads = _Reader(path, {"d": data["descriptive_heads"]}, "descriptive_heads", None)
            self.descriptive_heads = self.descriptive_heads | {w.lower() for w in heads.texts("d")}
        if "crowd_heads" in data:
            heads = _Reader(path, {"crowd_heads": data["crowd_heads"]}, "crowd_heads", None)
            self.crowd_heads = self.crowd_heads | {w.lower() for w in heads.texts("crowd_heads")}
        if "both_sides" in data:
            sides = _Reader(path, {"both_sides": data["both_sides"]}, "both_sides", None)
            self.both_sides = tuple(dict.fromkeys(self.both_sides + tuple(w.lower() for w in sides.texts("both_sides"))))
        if "militia_nouns" in data:
            nouns = _Reader(path, {"militia_nouns": data["militia_nouns"]}, "militia_nouns", None)
            self.militia_nouns = tuple(dict.fromkeys(self.militia_nouns + nouns.texts("militia_nouns")))
        self._index = None
        self.fingerprint = None
        for table in _DERIVED_TABLES:
            self.__dict__.pop(table, None)

    @staticmethod
    def _list(path: str, data: dict[str, Any], key: str) -> list[Any]:
        value = data.get(key) or []
        if not isinstance(value, list):
            raise DataError(path, f"'{key}' must be a list", data.get("__line__"))
        return value

    def _add_country(self, reader: _Reader) -> None:
        reader.check_keys(
            {"name", "label", "demonyms", "names", "metonyms", "regimes", "military", "police",
             "units", "abroad"}
        )
        name = reader.text("name", required=True)
        assert name is not None
        old = self.countries.get(name)
        regimes_raw = reader.raw.get("regimes")
        if regimes_raw is None:
            regimes = old.regimes if old else ()
        else:
            if not isinstance(regimes_raw, list):
                raise reader.fail(f"{name}: 'regimes' must be a list of start dates")
            regimes = tuple(reader.date(v) for v in regimes_raw)
            if list(regimes) != sorted(regimes) or len(set(regimes)) != len(regimes):
                raise reader.fail(f"{name}: regime start dates must be in increasing order")
        units = list(old.units) if old else []
        for raw in reader.raw.get("units") or []:
            units.append(self._unit(_Reader(reader.path, raw, f"unit of {name}", reader.line)))

        def merged(key: str) -> tuple[str, ...]:
            before: tuple[str, ...] = getattr(old, key) if old else ()
            return tuple(dict.fromkeys(before + reader.texts(key)))

        abroad = dict(old.abroad) if old else {}
        raw_abroad = reader.raw.get("abroad") or {}
        if not isinstance(raw_abroad, dict):
            raise reader.fail(f"{name}: 'abroad' must map countries to actor names")
        abroad.update({k: v for k, v in raw_abroad.items() if k != "__line__"})

        self.countries[name] = CountryEntry(
            name=name,
            label=reader.text("label") or (old.label if old else name),
            demonyms=merged("demonyms"),
            names=tuple(dict.fromkeys((name, *merged("names")))),
            metonyms=merged("metonyms"),
            regimes=regimes,
            military=merged("military"),
            police=merged("police"),
            units=tuple(units),
            abroad=abroad,
            source=reader.path,
            line=reader.line,
        )

    @staticmethod
    def _unit(unit: _Reader) -> Unit:
        unit.check_keys({"name", "force", "aliases", "areas"})
        force = unit.text("force", required=True)
        if force not in FORCE_NAMES:
            raise unit.fail(f"'force' must be one of {', '.join(FORCE_NAMES)}, got {force!r}")
        unit_name = unit.text("name", required=True)
        assert unit_name is not None and force is not None
        return Unit(unit_name, force, unit.texts("aliases"), unit.texts("areas"))

    def _add_actor(self, reader: _Reader) -> None:
        reader.check_keys(
            {"name", "inter", "country", "kind", "aliases", "weak_aliases", "shared", "eras",
             "by_country", "joint", "countries", "areas"}
        )
        name = reader.text("name", required=True)
        assert name is not None
        old = self.actors.get(name)
        inter = reader.inter() if "inter" in reader.raw or old is None else old.inter
        country = reader.text("country") if "country" in reader.raw else (old.country if old else None)
        if country is not None and country not in self.countries:
            raise reader.fail(f"{name}: unknown country {country!r} (add it under 'countries')")
        countries = reader.texts("countries") or (old.countries if old else ())
        unknown = [c for c in countries if c not in self.countries]
        if unknown:
            raise reader.fail(f"{name}: unknown countries {unknown} (add them under 'countries')")
        if country is not None and len(countries) > 1:
            # a home country would pull every event of the group there (Al Shabaab in Kenya)
            raise reader.fail(f"{name}: an actor of several 'countries' has 'country: null'")
        kind = reader.text("kind") or (old.kind if old else "named")
        if kind not in ("named", "generic", "observer"):
            raise reader.fail(f"{name}: 'kind' must be 'named', 'generic' or 'observer', got {kind!r}")
        areas = reader.texts("areas") or (old.areas if old else ())
        if areas and country is None:
            # an area is an admin1 unit of one country: a group without a home has none
            raise reader.fail(f"{name}: 'areas' needs a home 'country'")
        eras = list(old.eras) if old else []
        for raw in reader.raw.get("eras") or []:
            era = _Reader(reader.path, raw, f"era of {name}", reader.line)
            era.check_keys({"from", "name", "inter"})
            era_name = era.text("name", required=True)
            assert era_name is not None
            eras.append(Era(era.date(raw.get("from")), era_name, era.inter() if "inter" in raw else None))
        eras.sort(key=lambda e: e.start)
        by_country = dict(old.by_country) if old else {}
        raw_by_country = reader.raw.get("by_country") or {}
        if not isinstance(raw_by_country, dict):
            raise reader.fail(f"{name}: 'by_country' must map countries to names")
        for key, value in raw_by_country.items():
            if key == "__line__":
                continue
            if key not in self.countries or not isinstance(value, str):
                raise reader.fail(f"{name}: by_country needs known countries and names, got {key!r}")
            by_country[key] = value
        self.actors[name] = ActorEntry(
            name=name,
            inter=inter,
            country=country,
            kind=kind,
            aliases=tuple(dict.fromkeys((old.aliases if old else ()) + reader.texts("aliases"))),
            weak_aliases=tuple(
                dict.fromkeys((old.weak_aliases if old else ()) + reader.texts("weak_aliases"))
            ),
            shared=(old.shared if old else frozenset()) | {s.lower() for s in reader.texts("shared")},
            eras=tuple(eras),
            by_country=by_country,
            joint=frozenset(reader.texts("joint")) or (old.joint if old else frozenset()),
            countries=countries,
            areas=areas,
            source=reader.path,
            line=reader.line,
        )

    # -- derived tables ----------------------------------------------------------------------

    def prepare(self) -> None:
        """Compute every derived table now (before the dictionary is cached), not on first use."""
        for table in _DERIVED_TABLES:
            getattr(self, table)
        self.index()

    def __getstate__(self) -> dict[str, Any]:
        # the surface forms are generated again if needed: the tables made from them are kept
        state = dict(self.__dict__)
        state.pop("_surface_table", None)
        return state

    def surface_forms(self) -> Iterator[tuple[str, str, bool, str]]:
        """Every (surface, id, case_sensitive, origin) the entity ruler should match.

        ``id`` is an actor's canonical name, or ``@<force>:<country>[:<unit>]`` for a state force.
        ``origin`` names the entry, for error messages.
        """
        return iter(self._surface_table)

    @functools.cached_property
    def _surface_table(self) -> list[tuple[str, str, bool, str]]:
        # several tables derive from it: the spelling variants are generated once
        return list(self._generate_surface_forms())

    def _generate_surface_forms(self) -> Iterator[tuple[str, str, bool, str]]:
        for entry in self.actors.values():
            # a joint name's parts ("JNIM") belong to the actors it joins
            own = [entry.name] if entry.joint else _auto_aliases(entry.name)
            # an acronym listed as weak ("APC" of "APC: All Progressives Congress" is also an
            # armoured vehicle) names the actor only where the article is about its country
            weak = set(entry.weak_aliases)
            own = [alias for alias in own if alias == entry.name or alias not in weak]
            for alias in (*own, *entry.aliases):
                for variant in spelling_variants(alias, self.transliterations):
                    yield variant, entry.name, _is_case_sensitive(variant), entry.name
        for country in self.countries.values():
            for force in ("military", "police"):
                for alias in getattr(country, force):
                    for variant in spelling_variants(alias, self.transliterations):
                        ident = f"{STATE_ID_PREFIX}{force}:{country.name}"
                        yield variant, ident, _is_case_sensitive(variant), country.name
            for unit in country.units:
                for alias in (unit.name, *unit.aliases):
                    for variant in spelling_variants(alias, self.transliterations):
                        ident = f"{STATE_ID_PREFIX}{unit.force}:{country.name}:{unit.name}"
                        yield variant, ident, _is_case_sensitive(variant), country.name
        for unit in self.portable_units:
            for alias in unit.aliases:
                for variant in spelling_variants(alias, self.transliterations):
                    ident = f"{STATE_ID_PREFIX}{unit.force}::{unit.name}"
                    yield variant, ident, _is_case_sensitive(variant), unit.name

    def check(self) -> None:
        """Raise :class:`DataError` for an alias that names two actors neither of which marks it
        shared, and for references (``joint``, ``abroad``) to actors the dictionary lacks."""
        for entry in self.actors.values():
            missing = sorted(name for name in entry.joint if name not in self.actors)
            if missing or (entry.joint and len(entry.joint) != 2):
                raise DataError(entry.source, f"{entry.name}: 'joint' needs two known actors, "
                                f"unknown: {', '.join(missing) or '-'}", entry.line)
        for country in self.countries.values():
            for where, name in country.abroad.items():
                if where not in self.countries or name not in self.actors:
                    raise DataError(country.source, f"{country.name}: abroad {where!r} -> "
                                    f"{name!r}: unknown country or actor", country.line)
        seen: dict[str, tuple[str, str]] = {}
        for surface, ident, case_sensitive, origin in self.surface_forms():
            key = surface if case_sensitive else surface.lower()
            if key not in seen:
                seen[key] = (ident, origin)
                continue
            other, _ = seen[key]
            if other == ident or self._is_shared(key, ident, other):
                continue
            if ident.startswith(STATE_ID_PREFIX) and other.startswith(STATE_ID_PREFIX):
                # units of the same name in several countries ("Gendarmerie"): the article's
                # country decides, like for shared aliases
                continue
            entry = self.actors.get(ident) or self.countries.get(origin)
            raise DataError(
                entry.source if entry else "actors",
                f"alias {surface!r} of {origin!r} also names {other!r}; "
                "list it under 'shared' in both entries if that is intended",
                entry.line if entry else None,
            )

    def _is_shared(self, key: str, *idents: str) -> bool:
        """True when every dictionary actor among ``idents`` lists ``key`` as shared."""
        for ident in idents:
            if ident.startswith(STATE_ID_PREFIX):
                continue
            entry = self.actors.get(ident)
            if entry is None or key.lower() not in entry.shared:
                return False
        return True

    def alternatives(self, surface: str) -> tuple[str, ...]:
        """Every id a surface form names: one for most, several for shared aliases and units."""
        table = self._alternatives_table
        text = " ".join(surface.replace("\u2019", "'").split())
        return table.get(text) or table.get(text.lower()) or ()

    @functools.cached_property
    def _alternatives_table(self) -> dict[str, tuple[str, ...]]:
        table: dict[str, list[str]] = {}
        for surface, ident, case_sensitive, _ in self.surface_forms():
            ids = table.setdefault(surface if case_sensitive else surface.lower(), [])
            if ident not in ids:
                ids.append(ident)
        return {key: tuple(ids) for key, ids in table.items() if len(ids) > 1}

    def index(self) -> dict[str, str]:
        """Lower-cased (or exact, for acronyms) surface form -> id, first entry winning."""
        if self._index is None:
            index: dict[str, str] = {}
            for surface, ident, case_sensitive, _ in self.surface_forms():
                index.setdefault(surface if case_sensitive else surface.lower(), ident)
            self._index = index
        return self._index

    def ruler_patterns(self, tokenizer: Callable[[str], Any] | None = None) -> list[dict[str, Any]]:
        """Patterns for spaCy's entity ruler: phrase patterns (matched on LOWER) and, for
        acronyms, token patterns on ORTH. Shared aliases get one pattern per actor sharing them;
        the actors stage picks one by the article's country.

        ``tokenizer`` splits acronyms with punctuation ("ISIS-K") the way spaCy will.
        """
        patterns: list[dict[str, Any]] = []
        seen: set[tuple[str, str]] = set()
        for surface, ident, case_sensitive, _ in self.surface_forms():
            key = (surface if case_sensitive else surface.lower(), ident)
            if key in seen:
                continue
            seen.add(key)
            if case_sensitive:
                words = [t.text for t in tokenizer(surface)] if tokenizer else surface.split()
                pattern: Any = [{"ORTH": w} for w in words]
            else:
                pattern = surface
            patterns.append({"label": ACTOR_LABEL, "pattern": pattern, "id": ident})
        return patterns

    # -- lookups --------------------------------------------------------------------------

    def lookup(self, text: str) -> Actor | None:
        """The actor ``text`` names exactly (any known spelling), or ``None``.

        State-force names give the bare state actor of that country (regime not yet chosen).

        >>> load_actors().lookup("Levant Liberation Board").name
        'HTS: Hayat Tahrir al Sham'
        """
        text = " ".join(text.replace("\u2019", "'").split())
        ident = self.index().get(text) or self.index().get(text.lower())
        return self.actor_for_id(ident) if ident else None

    def actor_for_id(self, ident: str) -> Actor | None:
        """The :class:`Actor` behind a ruler id (a canonical name or a state-force id)."""
        if ident.startswith(STATE_ID_PREFIX):
            force, country, *unit = ident[1:].split(":", 2)
            home = self.countries.get(country)
            areas = next((u.areas for u in (home.units if home and unit else ())
                          if u.name == unit[0]), ())
            return Actor(
                _unit_name(FORCE_NAMES[force], unit[0] if unit else None),
                1,
                country or None,
                "state",
                areas,
            )
        entry = self.actors.get(ident)
        return entry.actor() if entry else None

    def joint_actor(self, first: str, second: str) -> Actor | None:
        """The joint ACLED actor for "``first`` or ``second``", if the dictionary has one."""
        pair = frozenset((first, second))
        for entry in self.actors.values():
            if entry.joint == pair:
                return entry.actor()
        return None

    def country_of(self, word: str) -> str | None:
        """The country a demonym, country name or metonym names (``"Burkinabe"`` -> Burkina Faso)."""
        return self._country_words().get(" ".join(word.lower().split()))

    @functools.cached_property
    def _country_word_table(self) -> dict[str, str]:
        table: dict[str, str] = {}
        for country in self.countries.values():
            for word in (*country.demonyms, *country.names, *country.metonyms):
                table.setdefault(word.lower(), country.name)
        return table

    def _country_words(self) -> dict[str, str]:
        return self._country_word_table

    # -- resolution -------------------------------------------------------------------------

    def state_actor(
        self,
        country: str,
        force: str,
        on: dt.date | None = None,
        *,
        unit: str | None = None,
        event_country: str | None = None,
    ) -> Actor:
        """The state actor of ``country``'s ``force`` for the regime in force on ``on``.

        Inter 1 at home; 8 when ``event_country`` is another country (forces fighting abroad).

        >>> load_actors().state_actor("Syria", "military", dt.date(2018, 5, 29)).name
        'Military Forces of Syria (2000-2024)'
        """
        entry = self.countries.get(country)
        if entry is not None and event_country in entry.abroad and force != "government":
            coalition = self.actors[entry.abroad[event_country]]
            return self.resolve(coalition.actor(), event_country, on, event_country=event_country)
        if entry is None:
            name = f"{FORCE_NAMES[force]} of {country}"
            name = f"{name} {unit}" if unit else name
        else:
            name = entry.force_name(force, on, unit)
        inter = 8 if event_country is not None and event_country != country else 1
        return Actor(name, inter, country, "state")

    @functools.cached_property
    def _militias(self) -> dict[str, IdentityGroup]:
        return {f"{g.name} {g.militia}": g for g in self.identity_groups.values()}

    def _unit_of(self, country: str, force: str, unit: str) -> tuple[str, str | None]:
        """The force and unit name ``country`` knows for ``unit``; an unknown unit is dropped,
        except the portable ones (prison guards), which every country has."""
        entry = self.countries.get(country)
        for known in (*(entry.units if entry else ()), *self.portable_units):
            if known.name.lower() == unit.lower():
                return known.force, known.name
        return force, None

    def resolve(
        self,
        actor: Actor,
        country: str | None,
        on: dt.date | None = None,
        *,
        event_country: str | None = None,
    ) -> Actor:
        """See :func:`resolve_actor`."""
        event_country = event_country or country
        if actor.kind == "state":
            force, unit, named_country = _parse_state_name(actor.name)
            home = actor.country or named_country or country
            if force is None:
                return actor
            if home is None:
                return Actor(f"Unidentified {FORCE_NAMES[force]}", 8, None, "state")
            if unit is not None:
                force, unit = self._unit_of(home, force, unit)
            return self.state_actor(home, force, on, unit=unit, event_country=event_country)
        if actor.kind == "generic":
            base = _GENERIC_SUFFIX.sub("", actor.name)
            home = actor.country or country
            group = self._militias.get(base)
            if group is not None and actor.country is None and home not in group.countries:
                # raiders from elsewhere keep their homeland: "Karamajong ... (Uganda)" in Kenya
                home = group.countries[0]
            entry = self.actors.get(base)
            if home is not None and entry is not None and home in entry.by_country:
                return Actor(entry.by_country[home], actor.inter, home, "named")
            return Actor(f"{base} ({home or UNKNOWN_COUNTRY})", actor.inter, home, "generic")
        entry = self.actors.get(actor.name)
        name, inter = actor.name, actor.inter
        if entry is not None and on is not None:
            for era in entry.eras:
                if era.start <= on:
                    name = era.name
                    inter = era.inter if era.inter is not None else inter
        home = actor.country
        if inter in (1, 8) and home is not None and event_country is not None:
            inter = 8 if event_country != home else 1
        if name == actor.name and inter == actor.inter:
            return actor
        return Actor(name, inter, home, actor.kind, actor.areas)


_GENERIC_SUFFIX = re.compile(r"\s*\([^()]*\)$")
_STATE_NAME = re.compile(
    r"^(?P<force>Military Forces|Police Forces|Government)(?: of (?P<country>.+?) \(\d{4}-\d{0,4}\))?(?: (?P<unit>.+))?$"
)


def _unit_name(base: str, unit: str | None) -> str:
    return f"{base} {unit}" if unit else base


def _parse_state_name(name: str) -> tuple[str | None, str | None, str | None]:
    """``"Police Forces of India (2014-) Border Security Force"`` -> (police, unit, India)."""
    match = _STATE_NAME.match(name)
    if not match:
        return None, None, None
    force = match["force"].split()[0].lower()
    country = match["country"]
    if country and country.startswith("the "):
        country = country[4:]
    return force, match["unit"], country


def _read_package_file() -> tuple[str, str]:
    resource = resources.files("eventcoder") / "data" / "actors.yaml"
    return str(resource), resource.read_text(encoding="utf-8")


def load_actors(extra_file: str | None = None) -> ActorDictionary:
    """The built-in actor dictionary, merged with ``extra_file`` (same schema) when given.

    Loaded once per process for each ``extra_file``; raises :class:`DataError` naming the file and
    line of an invalid entry. A checked dictionary, with its derived tables, is kept in
    :func:`eventcoder.config.cache_dir` under a hash of its sources and of this module, so a new
    process reads it back instead of parsing the YAML and generating the spelling variants again.

    >>> load_actors().lookup("Nusra Front").inter
    2
    """
    # one cache entry for load_actors() and load_actors(None)
    return _load_actors(extra_file)


@functools.lru_cache(maxsize=8)
def _load_actors(extra_file: str | None) -> ActorDictionary:
    sources = [_read_package_file()]
    if extra_file is not None:
        path = Path(extra_file)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise DataError(str(path), f"cannot read the actor file: {err}") from err
        sources.append((str(path), text))
    fingerprint = _fingerprint(sources)
    cached = cache_dir() / f"actors-{fingerprint}.pickle"
    actors = read_cache(cached, ActorDictionary)
    if actors is None:
        actors = ActorDictionary()
        for path_name, text in sources:
            actors.load(path_name, text)
        actors.check()
        actors.fingerprint = fingerprint
        actors.prepare()
        write_cache(cached, actors)
    return actors


def _fingerprint(sources: list[tuple[str, str]]) -> str:
    """What a cached dictionary depends on: its files (names and texts) and the code deriving its
    tables (this module, which changes without a new version in a development install), with
    the package and Python versions that :func:`eventcoder.cache.fingerprint` adds."""
    return fingerprint(f"actors-cache-v{_CACHE_FORMAT}", Path(__file__).read_text(encoding="utf-8"),
                       *(part for pair in sources for part in pair))


def resolve_actor(
    actor: Actor,
    country: str | None,
    on: dt.date | None = None,
    *,
    event_country: str | None = None,
    dictionary: ActorDictionary | None = None,
) -> Actor:
    """``actor`` named as ACLED names it for an event in ``country`` on date ``on``.

    - generic actors take the country: ``Unidentified Armed Group (Syria)``; an actor that knows
      its own country (``Civilians`` from "Syrian civilians") keeps it; actors with ACLED names
      per country use them (``Islamic State`` in Nigeria -> ``Islamic State (West Africa)``);
      with no country at all the name gets ``(Unknown)``, which ACLED never uses, so such rows
      stand out instead of passing for coded data;
    - state actors take the regime in force on ``on`` (the current one when ``on`` is None):
      ``Military Forces of Syria (2000-2024)``; inter 8 when ``event_country`` (default
      ``country``) is not their own; a bare force with no country becomes ``Unidentified Military
      Forces`` / ``Unidentified Police Forces``, inter 8, as ACLED does for unattributed forces;
    - named actors take the name of their era (``Taliban`` -> ``Military Forces of Afghanistan
      (2021-)`` from 15 August 2021) and inter 8 abroad when they are state forces.

    >>> resolve_actor(Actor("Unidentified Armed Group", 3, None, "generic"), "Syria").name
    'Unidentified Armed Group (Syria)'
    >>> soldiers = Actor("Military Forces", 1, None, "state")
    >>> resolve_actor(soldiers, "Kenya", dt.date(2020, 5, 1)).name
    'Military Forces of Kenya (2013-2022)'
    >>> turkish = Actor("Military Forces", 1, "Turkey", "state")
    >>> resolve_actor(turkish, "Syria", dt.date(2018, 5, 29)).inter
    8
    """
    return (dictionary or load_actors()).resolve(actor, country, on, event_country=event_country)


# --------------------------------------------------------------------------------------------
# the stage


@dataclass(frozen=True, slots=True)
class _Found:
    start: int  # token indices into the spaCy doc
    end: int
    actor: Actor
    role: str | None = None
    priority: int = 0


# "<actor>-backed X": X is not the actor. Backers and affiliates are kept with a role; the rest
# ("Turkish-made", "Syrian-born") names no actor at all.
_BACKER_WORDS = frozenset({"backed", "led", "sponsored", "supported", "funded", "controlled", "held",
                           "run", "trained", "armed", "commanded", "directed"})
_AFFILIATE_WORDS = frozenset({"linked", "affiliated", "allied", "aligned", "inspired", "loyal"})
# between unidentified armed men and the group the text says they were: "gunmen suspected to be
# (members of) Al Shabaab", "attackers, believed to be linked to ISWAP,"
_IDENTIFIED_AS = re.compile(
    r"\s*,?\s*(?:(?:who|that)\s+(?:are|were|was|is)\s+)?(?:widely\s+)?"
    r"(?:suspected|believed|thought|said|presumed|alleged|reported|understood|identified)\s+"
    r"(?:to\s+(?:be|have\s+been)\s+|as\s+)"
    r"(?:(?:members?|fighters?|militants?|part)\s+of\s+|(?:linked|affiliated|allied|loyal)\s+(?:to|with)\s+"
    r"|from\s+)?(?:the\s+|an?\s+)?",
    re.IGNORECASE,
)
# "militants of the banned Tehreek-i-Taliban Pakistan", "fighters from the Islamic State":
# unidentified armed men whose group the text names right after them
_MEMBERS_OF = re.compile(r"\s+(?:of|from)\s+(?:the\s+)?(?:banned\s+|outlawed\s+|proscribed\s+)?", re.IGNORECASE)
_FIGHTER_WORDS = re.compile(r"(?i)militants|insurgents|jihadists|fighters")
# a group claiming an attack: "JNIM (later) claimed responsibility", "claimed by IS-K"
_CLAIMED_AFTER = re.compile(
    r"(?:\s+(?:militants|fighters|group))?\s*,?\s+(?:(?:has|have|had)\s+)?(?:(?:later|then|also|\w+ly)\s+)?"
    r"(?:claimed|claims|claiming|took|takes|has\s+taken|admitted)\s+(?:responsibility|credit"
    r"|(?:the|this|that|both|these|those)\s+(?:\w+\s+)?(?:attacks?|bombings?|blasts?|killings?"
    r"|explosions?|ambush(?:es)?|abductions?|kidnappings?|assaults?|raids?|strikes?|assassinations?))",
    re.IGNORECASE,
)
_CLAIMED_BEFORE = re.compile(r"\bclaimed\s+by\s+(?:the\s+)?$", re.IGNORECASE)
# the parse's way to the same: the group inside the subject of "claim" ("The Islamic State
# group's affiliate, known as IS-K, claimed responsibility", "The al-Qaeda-linked Group for
# Support of Islam and Muslims (JNIM) claimed the attack")
_CLAIM_VERBS = frozenset({"claim", "take", "admit"})
_CLAIMED_THINGS = frozenset({
    "responsibility", "credit", "attack", "bombing", "blast", "killing", "explosion", "ambush",
    "abduction", "kidnapping", "assault", "raid", "strike", "assassination",
})
# the links from a name up to the head of the noun phrase that holds it
_INSIDE_PHRASE = frozenset({"compound", "amod", "poss", "pobj", "prep", "appos", "acl", "conj", "nmod", "npadvmod", "punct"})
# a wire dateline opening the text or a line: "Ouagadougou (Agency) -", "KABUL, Afghanistan -"
_DATELINE_AFTER = re.compile(r"(?:\s*,\s*[A-Z][\w .'-]{0,40})?\s*(?:\([^()\n]{1,60}\))?\s*(?:[-\u2013\u2014:]|,\s*[A-Z][a-z]+\.?\s+\d)")
# state forces and a militia as one subject: "soldiers and Volunteers for the Defence of ..."
_JOINED_WITH = re.compile(r"\s*,?\s*(?:and|as well as|together with)\s+(?:the\s+|members\s+of\s+(?:the\s+)?)?", re.IGNORECASE)
# ... unless the sentence says they fought each other
_FIGHT_EACH_OTHER = re.compile(
    r"[^.;]{0,80}?\b(?:(?:clash\w*|fought|fight\w*|battl\w*|exchang\w*|skirmish\w*)(?!\s+(?:alongside|beside|with|together|side by side))"
    r"|each other|one another)\b",
    re.IGNORECASE,
)
# between an actor and another fighting on its side: "soldiers backed by VDP", "the army, with
# the support of local militias", "troops alongside Wagner forces"
_ALLIED_WITH = re.compile(
    r"\s*,?\s*(?:(?:who\s+(?:were|was|are|is)\s+)?(?:backed|supported|assisted|aided|accompanied|reinforced|joined|helped)\s+by"
    r"|with\s+the\s+(?:support|backing|help|assistance)\s+of|(?:together|jointly)\s+with|alongside"
    r"|in\s+(?:coordination|cooperation|collaboration)\s+with|(?:supported|backed)\s+by)"
    r"\s+(?:the\s+|some\s+|local\s+|allied\s+|members\s+of\s+(?:the\s+)?)?",
    re.IGNORECASE,
)
_BACKED = _BACKER_WORDS | _AFFILIATE_WORDS | frozenset(
    {"made", "built", "based", "born", "origin", "speaking", "language", "owned", "style"}
)
_AGAINST = frozenset({"anti", "counter", "non", "ex", "former"})
# A list of groups: a group noun, then (within a few words) what introduces its members.
# "including" alone is not enough: "including Idlib, Hama and Aleppo" lists places.
_LIST_TRIGGERS = re.compile(
    r"\b(?:groups?|factions?|brigades?|battalions?|militias?|organi[sz]ations?|movements?|members?|"
    r"coalition|alliance|front|formations?|units?|outfits?|rebels|insurgents|militants)\b"
    r"[^.;!?]{0,40}?"
    r"(?:\bof\b|:|\bincluding\b|\bsuch as\b|\bnamely\b|\bcompris(?:ing|es|ed of)\b|"
    r"\bcomposed of\b|\bconsisting of\b|\bmade up of\b|\bgrouping\b|\bbring(?:s|ing) together\b|"
    r"\bamong them\b)",
    re.IGNORECASE,
)
# Entity labels of items that are not groups even in a list ("Idlib, Hama and Aleppo").
_NOT_GROUP_LABELS = frozenset({"GPE", "LOC", "FAC", "DATE", "TIME", "CARDINAL", "MONEY", "PERCENT"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_NAME_PARTICLES = frozenset({"al", "el", "ad", "ash", "as", "at", "ar", "an", "az", "ath", "ul", "wal",
                             "of", "the", "de", "del", "des", "du", "la", "le", "bin", "ibn", "abu",
                             "bani", "-", "'", "'s", "&", "i", "e", "y"})
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)?$", re.IGNORECASE)
_MIN_LIST_ITEMS = 3


def _doc_text(sd: Any) -> str:
    """``sd.text``, read once per document: spaCy's ``Doc.text`` joins every token at each read."""
    text = sd.user_data.get(_DOC_TEXT)
    if text is None:
        text = sd.user_data[_DOC_TEXT] = sd.text
    return text


_DOC_TEXT = "eventcoder.text"


class ActorTagger:
    """Finds actor mentions in a parsed document; built once, no per-document state."""

    def __init__(self, nlp: Any, actors: ActorDictionary) -> None:
        from spacy.matcher import PhraseMatcher

        self.actors = actors
        self.vocab = nlp.vocab
        # ids behind names several actors share: they cannot vote for the article's country
        self._ambiguous_ids = frozenset(
            ident for ids in actors._alternatives_table.values() for ident in ids
        )
        self._force_words = frozenset(n.lower() for ns in actors.force_nouns.values() for n in ns)
        self._person_words = frozenset(
            {noun.lower() for g in actors.generics.values() for noun in g.nouns if " " not in noun}
            | actors.crowd_heads
            | {"hundreds", "thousands", "dozens", "scores", "some", "many", "others", "all"}
        )
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        make = nlp.make_doc
        self._keys: dict[int, tuple[str, str]] = {}

        def add(kind: str, value: str, phrases: Iterable[str], exact: bool = False) -> None:
            key = f"{kind}|{value}"
            docs = [make(p) for p in dict.fromkeys(phrases)]
            if not docs:
                return
            (self.exact if exact else self.matcher).add(key, docs)
            self._keys[self.vocab.strings[key]] = (kind, value)

        for generic in actors.generics.values():
            add("generic", generic.name, generic.nouns)
        for force, nouns in actors.force_nouns.items():
            add("force", force, nouns)
        add("modifier", "", actors.force_modifiers)
        for country in actors.countries.values():
            # demonyms and country names are capitalised in English; exact case avoids "chad"
            forms = [*country.demonyms, *country.names]
            add("country", country.name, forms, exact=True)
            add("country", country.name, [f.upper() for f in forms if len(f) > 3], exact=True)
            add("metonym", country.name, country.metonyms, exact=True)
        for group in actors.identity_groups.values():
            add("identity", group.name, group.aliases, exact=True)
        add("militia", "", actors.militia_nouns)
        for entry in actors.actors.values():
            variants = [
                v for alias in entry.weak_aliases
                for v in spelling_variants(alias, actors.transliterations)
            ]
            add("weak", entry.name, [v for v in variants if not _is_case_sensitive(v)])
            add("weak", entry.name, [v for v in variants if _is_case_sensitive(v)], exact=True)

    def __call__(self, doc: Document) -> list[ActorMention]:
        """The actors ``doc`` names (observers left out: see :meth:`tag`)."""
        return self.tag(doc)[0]

    def tag(self, doc: Document) -> tuple[list[ActorMention], list[ActorMention]]:
        """The actors ``doc`` names, and apart from them the observers (monitoring missions,
        ``kind: observer``), which report events and are never a side of one."""
        sd = doc.spacy_doc
        if sd is None:
            return [], []
        found: list[_Found] = []
        # entities of the ruler first: the dictionary knows these names better than the model
        for ent in sd.ents:
            if ent.label_ != ACTOR_LABEL or not ent.ent_id_:
                continue
            role = self._affix_role(sd, ent.start, ent.end)
            if role == "against":
                continue
            found.append(_Found(ent.start, ent.end, Actor(ent.ent_id_, 0), role, priority=3))

        matches: dict[str, list[tuple[int, int, str]]] = {}
        for matcher in (self.matcher, self.exact):
            for key, start, end in matcher(sd):
                kind, value = self._keys[key]
                matches.setdefault(kind, []).append((start, end, value))
        hint = self._country_hint(matches, found)
        found = [f for f in (self._choose(sd, f, hint) for f in found) if f is not None]
        found += self._compose(sd, matches, hint, found)
        found += self._weak(matches, hint)
        chosen = self._joint(sd, _select(found))
        chosen = self._members(sd, chosen)
        chosen = self._crowds(sd, chosen)
        chosen = self._governments(sd, chosen, hint)
        out: list[ActorMention] = []
        observers: list[ActorMention] = []
        sentence_index = {sent.start: i for i, sent in enumerate(sd.sents)}
        for item in sorted(chosen, key=lambda f: f.start):
            span = sd[item.start : item.end]
            mention = ActorMention(
                span=Span(span.start_char, span.end_char, span.text),
                actor=item.actor,
                sentence=sentence_index.get(span.sent.start, 0),
                role=item.role,
            )
            # (set apart before the rules that pair parties: an observer stands for no side)
            (observers if item.actor.kind == "observer" else out).append(mention)
        out = self._identified(sd, self._definite_generics(sd, self._both_sides(sd, out, sentence_index)))
        return self._claimants(sd, self._allies(sd, out)), observers

    def _claimants(self, sd: Any, found: list[ActorMention]) -> list[ActorMention]:
        """"IS-K claimed responsibility", "the attack was claimed by JNIM": the group is the
        attacker of the event the claim is about (often told in an earlier sentence), role
        ``"claimant"``; the events stage gives it to an event whose attacker is unidentified."""
        out: list[ActorMention] = []
        for m in found:
            if (
                m.role is None
                and m.actor.kind != "state"
                and m.actor.name not in self.actors.generics
                and m.actor.inter in (2, 3, 4)
                and (
                    _CLAIMED_AFTER.match(_doc_text(sd), m.span.end)
                    or _CLAIMED_BEFORE.search(_doc_text(sd)[max(0, m.span.start - 40) : m.span.start])
                    or _claims_by_parse(sd, m.span.start, m.span.end)
                )
            ):
                m = ActorMention(m.span, m.actor, m.sentence, "claimant")
            out.append(m)
        return out

    def _identified(self, sd: Any, found: list[ActorMention]) -> list[ActorMention]:
        """"gunmen suspected to be Al Shabaab militants", "attackers believed to be linked to
        ISWAP": the text names who the unidentified armed men were, so the mention is the named
        group, spanning the whole phrase (its head stays the clause's subject or object)."""
        out: list[ActorMention] = []
        skip: set[int] = set()
        for index, m in enumerate(found):
            if index in skip:
                continue
            nxt = found[index + 1] if index + 1 < len(found) else None
            if (
                nxt is not None
                and nxt.sentence == m.sentence
                and m.actor.kind == "generic"
                and m.actor.inter in (2, 3)
                and m.actor.name in self.actors.generics
                and nxt.actor.kind != "state"
                and nxt.actor.name not in self.actors.generics
                and nxt.actor.inter in (2, 3, 4)
                and nxt.role is None
                and (
                    _IDENTIFIED_AS.fullmatch(_doc_text(sd)[m.span.end : nxt.span.start])
                    or _MEMBERS_OF.fullmatch(_doc_text(sd)[m.span.end : nxt.span.start])
                )
            ):
                span = Span(m.span.start, nxt.span.end, _doc_text(sd)[m.span.start : nxt.span.end])
                out.append(ActorMention(span, nxt.actor, m.sentence, m.role))
                skip.add(index + 1)
                continue
            out.append(m)
        return out

    def _allies(self, sd: Any, found: list[ActorMention]) -> list[ActorMention]:
        """"soldiers backed by VDP militia", "the army, with the support of local militias":
        a group named as fighting alongside the actor just before it is that actor's ally
        (ACLED's associated actor), role ``"ally"``, not a party on the other side."""
        out: list[ActorMention] = []
        for index, m in enumerate(found):
            before = found[index - 1] if index else None
            if (
                before is not None
                and before.sentence == m.sentence
                and m.role is None
                and before.actor.inter in (1, 2, 3, 4, 8)
                and m.actor.inter in (1, 2, 3, 4, 8)
                and _ALLIED_WITH.fullmatch(_doc_text(sd)[before.span.end : m.span.start])
            ):
                m = ActorMention(m.span, m.actor, m.sentence, "ally")
            elif (
                before is not None
                and before.sentence == m.sentence
                and m.role is None
                and before.role is None
                and before.actor.kind == "state"
                and before.actor.inter == 1
                and m.actor.kind == "named"
                and m.actor.inter in (3, 4)
                and _JOINED_WITH.fullmatch(_doc_text(sd)[before.span.end : m.span.start])
                and not _FIGHT_EACH_OTHER.match(_doc_text(sd), m.span.end)
            ):
                # "soldiers and VDP volunteers repelled an attack": a militia named beside state
                # forces as one subject fights on their side (ACLED's associated actor), unless
                # the two fight each other ("police and the Mungiki clashed")
                m = ActorMention(m.span, m.actor, m.sentence, "ally")
            elif (
                out
                and out[-1].role == "ally"
                and out[-1].actor.name == m.actor.name
                and m.role is None
                and re.fullmatch(r"\s*\(\s*", _doc_text(sd)[out[-1].span.end : m.span.start])
            ):
                m = ActorMention(m.span, m.actor, m.sentence, "ally")  # the ally's acronym
            out.append(m)
        return out

    #: how many sentences back "the rebels" may look for the group it refers to
    _ANAPHORA_SENTENCES = 2

    def _definite_generics(self, sd: Any, found: list[ActorMention]) -> list[ActorMention]:
        """"M23 rebels seized Kirumba ... By Thursday the rebels held the town": a definite
        generic armed noun ("the rebels", "the militants", "the attackers") names the armed
        group the text named last, a sentence or two before, when there is exactly one."""
        out: list[ActorMention] = []
        for index, m in enumerate(found):
            actor = m.actor
            definite = re.search(r"\bthe\s+$", _doc_text(sd)[max(0, m.span.start - 4) : m.span.start], re.I) or (
                m.span.text.lower().startswith("the ")
            )
            # "dozens of militants were killed" a sentence or two after the text named one
            # rebel group: its fighters (the words a report uses for a named group's men;
            # "gunmen" and "attackers" may be anyone)
            fighters = _FIGHTER_WORDS.fullmatch(m.span.text.split()[-1]) is not None
            if actor.kind == "generic" and actor.name in self.actors.generics and actor.inter in (2, 3) and (definite or fighters):
                named = {
                    e.actor.name: e.actor
                    for e in found[:index]
                    if m.sentence - self._ANAPHORA_SENTENCES <= e.sentence <= m.sentence
                    and e.role != "member"
                    and e.actor.inter in ((2, 3, 4) if definite else (2,))
                    and e.actor.name not in self.actors.generics
                }
                if len(named) == 1:
                    m = ActorMention(m.span, next(iter(named.values())), m.sentence, m.role)
            out.append(m)
        return out

    def _both_sides(self, sd: Any, found: list[ActorMention], sentence_index: dict[int, int]) -> list[ActorMention]:
        """"The two sides released 30 detainees": the two armed parties of the nearest sentence
        before that names two, each as a mention at the phrase."""
        if not self.actors.both_sides:
            return found
        pattern = re.compile(
            r"\b(?:" + "|".join(re.escape(p) for p in sorted(self.actors.both_sides, key=len, reverse=True))
            + r")\b(?!\s+of\b)",
            re.IGNORECASE,
        )
        out = list(found)
        for match in pattern.finditer(_doc_text(sd)):
            span = sd.char_span(match.start(), match.end(), alignment_mode="expand")
            if span is None or any(m.span.start < match.end() and match.start() < m.span.end for m in found):
                continue
            here = sentence_index.get(span.sent.start, 0)
            for sentence in range(here, -1, -1):
                parties: list[Actor] = []
                for m in found:
                    if (
                        m.sentence == sentence
                        and m.span.end <= match.start()
                        and m.role != "member"
                        and m.actor.inter in (1, 2, 3, 4, 8)
                        and m.actor not in parties
                    ):
                        parties.append(m.actor)
                if len(parties) >= 2:
                    phrase = Span(match.start(), match.end(), match.group())
                    out += [ActorMention(phrase, actor, here) for actor in parties[:2]]
                    break
        return sorted(out, key=lambda m: m.span.start)

    # -- parts ----------------------------------------------------------------------------

    def _choose(self, sd: Any, item: _Found, hint: str | None) -> _Found | None:
        """The actor behind a ruler entity; for a name several actors share, the one of the
        article's country; for a unit name several countries share, the unit with no country."""
        ident = item.actor.name
        text = sd[item.start : item.end].text
        options = self.actors.alternatives(text)
        # a unit whose name is a bare force noun ("the Navy", "Coast Guard") names no country
        # even when only one country lists it: "the navy apprehended Indian fishermen" in a Sri
        # Lankan article is Sri Lanka's, not Russia's; "Russian Navy" stays Russia's
        bare = ident.startswith(STATE_ID_PREFIX) and text.lower() in self._force_words
        if len(options) > 1 or bare:
            options = options or (ident,)
            if all(o.startswith(STATE_ID_PREFIX) for o in options):
                # a unit name of several countries ("Gendarmerie", "air force"): a demonym
                # before it ("Ukrainian air force") or else the event's country decides
                force, _, *unit = options[0][1:].split(":", 2)
                name = _unit_name(FORCE_NAMES[force], unit[0] if unit else None)
                return _Found(item.start, item.end, Actor(name, 1, None, "state"), item.role, item.priority)
            home = [o for o in options if self._country_of_id(o) == hint]
            if home:
                ident = home[0]
        actor = self.actors.actor_for_id(ident)
        if actor is None:
            return None
        return _Found(item.start, item.end, actor, item.role, item.priority)

    def _ambiguous(self, item: _Found) -> bool:
        return item.actor.name in self._ambiguous_ids

    def _country_of_id(self, ident: str) -> str | None:
        if ident.startswith(STATE_ID_PREFIX):
            return ident[1:].split(":")[1] or None
        entry = self.actors.actors.get(ident)
        return entry.country if entry else None

    @staticmethod
    def _affix_role(sd: Any, start: int, end: int) -> str | None:
        """"anti-Houthi" names the other side; "Turkish-backed" names a backer, not the actor."""
        if start >= 2 and sd[start - 1].text == "-" and sd[start - 2].lower_ in _AGAINST:
            return "against"
        if start >= 1 and sd[start - 1].lower_.rstrip("-") in _AGAINST and sd[start - 1].text.endswith("-"):
            return "against"
        if end + 1 < len(sd) and sd[end].text == "-":
            word = sd[end + 1].lower_
            if word in _BACKER_WORDS:
                return "backer"
            if word in _AFFILIATE_WORDS:
                return "affiliate"
            if word in _BACKED:
                return "against"
        return None

    def _country_hint(self, matches: dict[str, list[tuple[int, int, str]]], found: list[_Found]) -> str | None:
        """The country the article is most about, by its names, demonyms and known actors."""
        votes: Counter[str] = Counter()
        for kind in ("country", "metonym"):
            for _, _, country in matches.get(kind, ()):
                votes[country] += 1
        for item in found:
            country = self._country_of_id(item.actor.name)
            if country and not self._ambiguous(item):
                votes[country] += 1
        return votes.most_common(1)[0][0] if votes else None

    def _compose(
        self, sd: Any, matches: dict[str, list[tuple[int, int, str]]], hint: str | None,
        named: list[_Found],
    ) -> list[_Found]:
        """State forces, generic actors and identity militias from the matchers' hits."""
        out: list[_Found] = []
        # "South Sudanese" also contains "Sudanese": keep the longest name ending at a token
        owners: dict[int, tuple[int, str]] = {}
        for start, end, country in matches.get("country", ()):
            if end not in owners or start < owners[end][0]:
                owners[end] = (start, country)
        modifier_starts: dict[int, int] = {}
        for start, end, _ in matches.get("modifier", ()):
            modifier_starts[end] = min(start, modifier_starts.get(end, start))
        # a noun right after a named actor describes it: "Taliban militants", "Houthi forces"
        named_ends = {item.end: item for item in named}

        def owner_before(start: int) -> tuple[int, str] | None:
            """The demonym or country name before token ``start``, over modifiers and "'s"."""
            position = start
            for _ in range(4):
                owner = owners.get(position)
                if owner and not _hyphenated_before(sd, owner[0]):
                    return owner
                if position >= 1 and sd[position - 1].text in ("'s", "'"):
                    position -= 1
                    continue
                if position not in modifier_starts:
                    return None
                position = modifier_starts[position]
            return None

        starts = {}
        for start, end, country in matches.get("country", ()):
            if start not in starts or end > starts[start][0]:
                starts[start] = (end, country)

        def owner_after(end: int) -> tuple[int, str] | None:
            """"forces of India and Pakistan": the first country named after "of"."""
            if end + 1 < len(sd) and sd[end].lower_ == "of":
                position = end + 1
                if position < len(sd) and sd[position].lower_ == "the":
                    position += 1
                if position in starts:
                    return starts[position]
            return None

        def absorbed(start: int, end: int, agent: bool) -> bool:
            """Drop a noun that follows a named actor; an agent noun joins its span."""
            item = named_ends.get(start)
            if item is None:
                return False
            if agent:
                named.remove(item)
                named.append(_Found(item.start, end, item.actor, item.role, item.priority))
                del named_ends[start]
            return True

        # "Burkinabe air force", "Malian gendarmerie": a unit name several countries share,
        # owned by the demonym before it
        for item in list(named):
            if item.actor.kind == "state" and item.actor.country is None:
                owner = owner_before(item.start)
                if owner:
                    named.remove(item)
                    actor = Actor(item.actor.name, 1, owner[1], "state")
                    named.append(_Found(owner[0], item.end, actor, item.role, item.priority))
        for start, end, force in matches.get("force", ()):
            owner = owner_before(start)
            if (
                _hyphen_after(sd, end)
                or _hyphenated_before(sd, start)
                or _modifies_next(sd, start, end, self.actors.descriptive_heads, owner is not None)
                or absorbed(start, end, True)
            ):
                continue
            after = None if owner else owner_after(end)
            if owner:
                actor = Actor(FORCE_NAMES[force], 1, owner[1], "state")
                out.append(_Found(owner[0], end, actor, None, 2))
            elif after:
                actor = Actor(FORCE_NAMES[force], 1, after[1], "state")
                out.append(_Found(start, after[0], actor, None, 2))
            elif sd[start:end].text.lower() not in self.actors.needs_owner:
                out.append(_Found(start, end, Actor(FORCE_NAMES[force], 1, None, "state"), None, 1))
        for start, end, name in matches.get("generic", ()):
            entry = self.actors.generics[name]
            owner = owner_before(start)
            if (
                _hyphen_after(sd, end)
                or _modifies_next(sd, start, end, self.actors.descriptive_heads, owner is not None)
                or absorbed(start, end, entry.inter <= 3)
            ):
                continue
            home = owner[1] if owner else None
            first = owner[0] if owner else start
            out.append(_Found(first, end, Actor(name, entry.inter, home, "generic"), None, 2 if owner else 1))
        militia = {s: e for s, e, _ in matches.get("militia", ())}
        identities = sorted(matches.get("identity", ()))
        for index, (start, end, name) in enumerate(identities):
            stop = militia.get(end)
            if stop is None:
                # "Tiv and Jukun militias", "Turkana and Samburu raiders": a shared noun
                last_end = end
                for later_start, later_end, _ in identities[index + 1 :]:
                    between = {t.lower_ for t in sd[last_end:later_start]}
                    if not between or not between <= {"and", ",", "or"}:
                        break
                    if later_end in militia:
                        stop = end
                        break
                    last_end = later_end
            if stop is None:
                # "the Gourmantche burned houses": the group itself as the subject of a verb
                head = sd[end - 1]
                if head.dep_ == "nsubj" and head.head.pos_ == "VERB":
                    stop = end
            if stop is None:
                continue
            group = self.actors.identity_groups[name]
            # a group of several countries takes the event's country when resolved
            home = group.countries[0] if len(group.countries) == 1 else None
            actor = Actor(f"{group.name} {group.militia}", 4, home, "generic", group.areas)
            out.append(_Found(start, stop, actor, None, 2))
        # "Turkey was behind the attacks", "Ankara was trying": a state as the subject of a clause
        for kind in ("country", "metonym"):
            for start, end, country in matches.get(kind, ()):
                head = sd[end - 1]
                if head.dep_ in ("nsubj", "nsubjpass") and head.head.pos_ in ("VERB", "AUX"):
                    first_char = sd[start].idx
                    line_start = _doc_text(sd).rfind("\n", 0, first_char) + 1
                    if not _doc_text(sd)[line_start:first_char].strip() and _DATELINE_AFTER.match(_doc_text(sd), sd[end - 1].idx + len(sd[end - 1].text)):
                        # a wire dateline ("Ouagadougou (Agency) - Jihadists killed ..."), which
                        # the parser reads as the subject of the lede's verb, names no actor
                        continue
                    actor = Actor(FORCE_NAMES["military"], 1, country, "state")
                    out.append(_Found(start, end, actor, "country", 0))
        return out

    @functools.cached_property
    def _government_pattern(self) -> re.Pattern[str]:
        words = sorted(self.actors._country_words(), key=longest_first)
        alternation = "|".join(re.escape(w) for w in words)
        return compile_regex(
            rf"\b(?:(?P<owner>{alternation})(?:'s|\u2019s)?\s+government"
            rf"|government\s+of\s+(?:the\s+)?(?P<of>{alternation}))\b(?!\s*-)",
            re.IGNORECASE,
        )

    def _governments(self, sd: Any, chosen: list[_Found], hint: str | None) -> list[_Found]:
        """"The Afghan government released 67 prisoners", "Kenya's government", "the government
        of Mali": the civilian government of a state (ACLED's "Government of X (regime)"), a
        state actor like its forces. "Government forces" stays the military (found before). Only the
        government of the article's country: a foreign one comments ("the Canadian government said
        its citizen was missing") far more often than it acts."""
        out = list(chosen)
        if "government" not in _doc_text(sd).lower():
            return out  # every match has the word: a plain search spares the long alternation
        for match in self._government_pattern.finditer(_doc_text(sd)):
            country = self.actors.country_of(match["owner"] or match["of"])
            span = sd.char_span(match.start(), match.end(), alignment_mode="expand")
            if country is None or span is None or (hint is not None and country != hint):
                continue
            if any(f.start < span.end and span.start < f.end for f in out):
                continue
            out.append(_Found(span.start, span.end, Actor(FORCE_NAMES["government"], 1, country, "state"), None, 1))
        return out

    def _weak(self, matches: dict[str, list[tuple[int, int, str]]], hint: str | None) -> list[_Found]:
        out: list[_Found] = []
        for start, end, name in matches.get("weak", ()):
            entry = self.actors.actors[name]
            if hint is not None and hint in ((entry.country,) + entry.countries):
                out.append(_Found(start, end, entry.actor(), None, 2))
        return out

    def _joint(self, sd: Any, chosen: list[_Found]) -> list[_Found]:
        """"JNIM and/or ISGS militants": ACLED's joint actor when a report cannot tell."""
        ordered = sorted(chosen, key=lambda f: f.start)
        out: list[_Found] = []
        skip: set[int] = set()
        for i, item in enumerate(ordered):
            if i in skip:
                continue
            if i + 1 < len(ordered) and item.actor.kind == "named":
                nxt = ordered[i + 1]
                between = "".join(t.text for t in sd[item.end : nxt.start]).lower()
                if nxt.actor.kind == "named" and between in ("or", "and/or", "/"):
                    joint = self.actors.joint_actor(item.actor.name, nxt.actor.name)
                    if joint is not None:
                        out.append(_Found(item.start, nxt.end, joint, item.role, item.priority))
                        skip.add(i + 1)
                        continue
            out.append(item)
        return out

    def _crowds(self, sd: Any, chosen: list[_Found]) -> list[_Found]:
        """Protesters and rioters named by what they do ("residents protested", "supporters
        torched a bus", "police dispersed demonstrators"), and by the event alone ("a protest
        was held": role "implied"). A crowd mention may contain a named actor (the party whose
        members protested), which ACLED codes as an associated actor; generic mentions inside
        it ("residents") give way to it."""
        crowds = self.actors.crowds
        if not crowds:
            return chosen
        armed = [f for f in chosen if f.actor.kind == "state" or f.actor.inter <= 3]
        added: list[_Found] = []
        seen_heads: set[tuple[str, int]] = set()

        def subject_span(head: Any) -> tuple[int, int]:
            # the parse is projective: a head's subtree runs from its left to its right edge
            sent = head.sent
            start = max(head.left_edge.i, sent.start)
            end = min(head.right_edge.i + 1, sent.end)
            if end - start > 14:
                # a long relative clause or apposition: keep the head and its left modifiers
                start, end = head.left_edge.i, head.i + 1
            while start < end - 1 and sd[start].is_punct:
                start += 1
            while end - 1 > head.i and (sd[end - 1].is_punct or sd[end - 1].dep_ == "cc"):
                end -= 1
            return start, end

        crowd_nouns = {
            i: f.actor.inter for f in chosen if f.actor.name in crowds for i in range(f.start, f.end)
        }

        def add(crowd: Crowd, head: Any, role: str | None, weak: bool) -> None:
            key = (crowd.name, head.i)
            if key in seen_heads or head.pos_ not in ("NOUN", "PROPN", "PRON", "NUM"):
                return
            if crowd_nouns.get(head.i, 9) < crowd.inter:
                # "rioters staged a demonstration": a violent crowd stays one; but "protesters
                # pelted stones" are rioters too
                return
            if head.pos_ == "PRON" and head.lower_ not in ("they", "we", "some", "many", "others"):
                return
            # "gunmen torched", "police dispersed": an armed actor heads the phrase, not a crowd;
            # nor is a place or a date ("Somalia struck back", a misparse)
            if any(f.start <= head.i < f.end for f in armed) or head.ent_type_ in _PLACE_LABELS:
                return
            words = {head.lemma_.lower(), head.lower_}
            # "a number of residents", "a group of youths": the people are in the "of" phrase
            for prep in head.children:
                if prep.dep_ == "prep" and prep.lower_ == "of":
                    words |= {c.lemma_.lower() for c in prep.children if c.dep_ == "pobj"}
            if weak and not words & self.actors.crowd_heads:
                return
            # "the station was ransacked" parsed with "station" as subject: crowds are people
            if crowd.inter == 5 and not words & self._person_words and head.pos_ not in (
                "PROPN", "PRON", "NUM"
            ):
                return
            start, end = subject_span(head)
            seen_heads.add(key)
            added.append(_Found(start, end, Actor(crowd.name, crowd.inter, None, "generic"), role, 2))

        for sent in sd.sents:
            found_in_sentence = False
            for token in sent:
                lemma = token.lemma_.lower()
                verb = token.pos_ in ("VERB", "AUX") or (token.dep_ == "ROOT" and token.pos_ == "NOUN")
                forms = _verb_forms(token) if verb else set()
                for crowd in crowds.values():
                    is_event_noun = token.pos_ == "NOUN" and (
                        token.lower_ in crowd.events or lemma in crowd.events
                    )
                    if verb:
                        if forms & crowd.verbs:
                            weak = bool(forms & crowd.weak_verbs)
                            for subject in _subjects(token):
                                add(crowd, subject, None, weak)
                                found_in_sentence = True
                        elif forms & crowd.light_verbs and any(
                            child.dep_ in ("dobj", "attr", "pobj", "prep") and _names_event(child, crowd)
                            for child in token.children
                        ):
                            for subject in _subjects(token):
                                add(crowd, subject, None, False)
                                found_in_sentence = True
                        if forms & crowd.target_verbs:
                            for child in token.children:
                                if child.dep_ in ("dobj", "nsubjpass"):
                                    add(crowd, child, None, False)
                    if is_event_noun:
                        for child in token.children:
                            if child.dep_ == "prep" and child.lower_ == "by":
                                for pobj in child.children:
                                    if pobj.dep_ == "pobj":
                                        add(crowd, pobj, None, False)
                                        found_in_sentence = True
            if not found_in_sentence:
                for token in sent:
                    lemma = token.lemma_.lower()
                    for crowd in crowds.values():
                        if token.pos_ == "NOUN" and (token.lower_ in crowd.implied or lemma in crowd.implied):
                            has = any(a.actor.name == crowd.name and a.start >= sent.start and a.end <= sent.end
                                      for a in (*chosen, *added))
                            if not has and (crowd.name, token.i) not in seen_heads:
                                seen_heads.add((crowd.name, token.i))
                                actor = Actor(crowd.name, crowd.inter, None, "generic")
                                added.append(_Found(token.i, token.i + 1, actor, "implied", 1))
        if not added:
            return chosen
        def covered(item: _Found) -> bool:
            """A generic noun inside a crowd's span gives way to it, unless it names the other
            kind of crowd ("protesters" inside rioters who were protesting)."""
            if item.actor.kind != "generic":
                return False
            return any(
                c.role is None and c.start <= item.start and item.end <= c.end
                and (item.actor.name not in crowds or item.actor.name == c.actor.name)
                for c in added
            )

        return [f for f in chosen if not covered(f)] + added

    def _members(self, sd: Any, chosen: list[_Found]) -> list[_Found]:
        """Groups listed after "groups of", "factions", "including": each is a member actor."""
        text = _doc_text(sd)
        by_token = {i: item for item in chosen for i in range(item.start, item.end)}
        added: list[_Found] = []
        members: set[int] = set()
        for sent in sd.sents:
            for trigger in _LIST_TRIGGERS.finditer(text, sent.start_char, sent.end_char):
                first = sd.char_span(trigger.end(), sent.end_char, alignment_mode="expand")
                if first is None:
                    continue
                items = _list_items(sd, first.start, sent.end)
                if len(items) < _MIN_LIST_ITEMS:
                    continue
                items = [
                    (s, e) for s, e in items
                    if s in by_token or not _labelled_as(sd, s, e, _NOT_GROUP_LABELS)
                ]
                if len(items) < _MIN_LIST_ITEMS:
                    continue
                known = [by_token[s] for s, _ in items if s in by_token]
                inters = Counter(f.actor.inter for f in known if f.actor.kind == "named")
                inter = inters.most_common(1)[0][0] if inters else 3
                for start, end in items:
                    hit = next((by_token[i] for i in range(start, end) if i in by_token), None)
                    if hit is not None:
                        if hit.actor.kind == "named":
                            members.add(id(hit))
                        continue
                    name = _normalise_name(sd[start:end].text)
                    added.append(_Found(start, end, Actor(name, inter, None, "named"), "member", 1))
        out = [
            _Found(f.start, f.end, f.actor, "member", f.priority) if id(f) in members else f
            for f in chosen
        ]
        return out + added


def _claims_by_parse(sd: Any, start: int, end: int) -> bool:
    """Whether the name at characters ``start:end`` is inside the subject of "claimed
    responsibility" / "claimed the attack" (climbing the noun phrase that holds it)."""
    span = sd.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    token = span.root
    for _ in range(8):
        if token.dep_ == "nsubj":
            verb = token.head
            return verb.lemma_.lower() in _CLAIM_VERBS and any(
                child.dep_ == "dobj" and child.lemma_.lower() in _CLAIMED_THINGS for child in verb.children
            )
        if token.dep_ not in _INSIDE_PHRASE or token.head is token:
            return False
        token = token.head
    return False


def _labelled_as(sd: Any, start: int, end: int, labels: frozenset[str]) -> bool:
    """The whole span is one entity of the model with one of ``labels``."""
    return all(t.ent_type_ in labels for t in sd[start:end]) and sd[start].ent_iob_ == "B" and (
        end >= len(sd) or sd[end].ent_iob_ != "I"
    )


def _hyphen_after(sd: Any, end: int) -> bool:
    return end + 1 < len(sd) and sd[end].text == "-" and sd[end + 1].lower_ in _BACKED


def _subjects(verb: Any) -> list[Any]:
    """The subjects of ``verb``, those of the verb it is coordinated with when it has none,
    and their conjuncts ("residents and monks")."""
    heads = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
    # "beaten to death by a crowd": the agent of a passive verb
    heads += [p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
    probe = verb
    while not heads and probe.dep_ in ("conj", "xcomp", "advcl") and probe.head is not probe:
        probe = probe.head
        heads = [c for c in probe.children if c.dep_ in ("nsubj", "csubj")]
    out = list(heads)
    for head in heads:
        out += [c for c in head.conjuncts if c not in out]
    return out


def _names_event(token: Any, crowd: Crowd) -> bool:
    """``token`` or its object names one of the crowd's events ("staged a protest rally",
    "organised a sit-in")."""
    candidates = [token] + [c for c in token.children if c.dep_ == "pobj"]
    for cand in candidates:
        if cand.pos_ not in ("NOUN", "PROPN", "VERB"):
            continue
        if {cand.lower_, cand.lemma_.lower()} & crowd.events:
            return True
        # the words before the noun, as written: "a black-flag protest rally", "a sit-in"
        left = [t for t in cand.doc[cand.left_edge.i : cand.i + 1] if t.dep_ not in ("det", "nummod")]
        phrase = "".join(t.text_with_ws for t in left).lower().strip()
        words = phrase.split()
        if any(" ".join(words[i:]) in crowd.events for i in range(len(words))):
            return True
    return False


def _verb_forms(token: Any) -> set[str]:
    """The lemma and plain stems of a verb: the lemmatizer misses some ("staged" -> "stag")."""
    word = token.lower_
    forms = {token.lemma_.lower(), word}
    if word.endswith("ied"):
        forms.add(word[:-3] + "y")
    if word.endswith("ed"):
        forms |= {word[:-2], word[:-1]}
        if len(word) > 4 and word[-3] == word[-4]:
            forms.add(word[:-3])  # "clubbed" -> "club"
    if word.endswith("ing"):
        forms |= {word[:-3], word[:-3] + "e"}
    if word.endswith("es"):
        forms.add(word[:-2])
    if word.endswith("s"):
        forms.add(word[:-1])
    return forms


def _modifies_next(
    sd: Any, start: int, end: int, descriptive: frozenset[str], owned: bool
) -> bool:
    """"military analyst", "police spokesman": the noun only describes the next one.

    Headlines parse badly ("Police battle Mungiki sect" has "Police" modify "battle"), so only
    heads that are known to be descriptive, or any head of an unowned adjective, count.
    """
    last = sd[end - 1]
    if last.dep_ not in ("amod", "compound", "nmod"):
        return False
    head = last.head
    if head.i < end or head.pos_ not in ("NOUN", "PROPN") or head.dep_ == "ROOT":
        return False
    if head.lower_ in descriptive or head.lemma_.lower() in descriptive:
        return True
    return not owned and last.pos_ == "ADJ"


def _hyphenated_before(sd: Any, start: int) -> bool:
    """"pro-Syrian", "anti-government": the word before is joined by a hyphen.

    A spaced dash ("BEIRUT (Wire) - Russian warplanes ...") separates words and joins nothing.
    """
    if start < 1:
        return False
    before = sd[start - 1]
    if before.text == "-":
        return not before.whitespace_ and start >= 2 and not sd[start - 2].whitespace_
    return before.text.endswith("-") and len(before.text) > 1 and not before.whitespace_


def _select(found: list[_Found]) -> list[_Found]:
    """Non-overlapping mentions: higher priority first, then longer spans, then earlier."""
    taken: set[int] = set()
    out: list[_Found] = []
    for item in sorted(found, key=lambda f: (-f.priority, -(f.end - f.start), f.start)):
        tokens = range(item.start, item.end)
        if any(i in taken for i in tokens):
            continue
        taken.update(tokens)
        out.append(item)
    return out


def _list_items(sd: Any, start: int, stop: int) -> list[tuple[int, int]]:
    """Token ranges of the names in a list "A, B, al-C and 23rd D" starting at ``start``."""
    items: list[tuple[int, int]] = []
    i = start
    while i < stop and sd[i].text in (":", "the", "The"):
        i += 1
    item_start = i
    while i < stop:
        token = sd[i]
        if token.text in (",", ";") or token.lower_ in ("and", "&"):
            if i > item_start:
                items.append((item_start, i))
            elif token.lower_ != "and":
                break
            i += 1
            item_start = i
            continue
        if _name_token(token):
            i += 1
            continue
        break
    if i > item_start and (i >= stop or sd[i].text in (".", ")", "(") or not sd[i].is_alpha or
                           sd[i].pos_ in ("VERB", "AUX", "ADP", "PART")):
        items.append((item_start, i))
    # "the Lions of Tawhid": the article is not part of the name
    items = [(s + 1, e) if e - s > 1 and sd[s].lower_ == "the" else (s, e) for s, e in items]
    return [(s, e) for s, e in items if _looks_like_name(sd, s, e)]


def _name_token(token: Any) -> bool:
    text = token.text
    if text.lower() in _NAME_PARTICLES:
        return True
    if _ORDINAL.match(text):
        return True
    return text[:1].isupper() or text.lower() in {"al-", "el-"}


def _looks_like_name(sd: Any, start: int, end: int) -> bool:
    if end - start > 7:
        return False
    words = [t for t in sd[start:end] if t.text.lower() not in _NAME_PARTICLES]
    return bool(words) and all(w.text[:1].isupper() or _ORDINAL.match(w.text) for w in words)


def _normalise_name(text: str) -> str:
    """A listed group's surface text as a name: one space, no leading article, capital first."""
    text = " ".join(text.replace("\u2019", "'").split())
    text = re.sub(r"^(?:the|The)\s+", "", text)
    return text[:1].upper() + text[1:]


def make_actors(config: PipelineConfig) -> Stage:
    """The actors stage: fills ``doc.actors`` (and ``doc.observers``) from the ruler's entities
    and the matchers.

    Needs the nlp stage's ``doc.spacy_doc``. Built once; the returned function keeps no
    per-document state.

    >>> stage = make_actors(PipelineConfig())                        # doctest: +SKIP
    >>> [m.actor.name for m in stage(doc).actors]                    # doctest: +SKIP
    ['HTS: Hayat Tahrir al Sham', 'Military Forces']
    """
    from eventcoder.nlp import load_spacy

    nlp = load_spacy(config)
    tagger = ActorTagger(nlp, load_actors(config.actors_file))

    def actors_stage(doc: Document) -> Document:
        if doc.language not in (None, "en"):
            return doc
        doc.actors, doc.observers = tagger.tag(doc)
        return doc

    return actors_stage


__all__ = [
    "ACTOR_LABEL",
    "Actor",
    "ActorDictionary",
    "ActorEntry",
    "ActorTagger",
    "CountryEntry",
    "GenericEntry",
    "IdentityGroup",
    "Unit",
    "load_actors",
    "make_actors",
    "resolve_actor",
    "spelling_variants",
]
