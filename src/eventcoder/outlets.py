"""The article's outlet as a weak prior of its country.

An analyst who reads "Police shot two protesters in Kibera" in the Daily Nation knows it is Kenya:
most outlets report their own country. :func:`home_country` reads an article's ``source`` (one
outlet, or several joined by ";" or "," as ACLED writes them) against ``data/outlets.yaml`` and the
country names of ``data/countries.csv``. In the places stage the home country is one vote among
the text's (:func:`decide_country`, :data:`PRIOR_EVIDENCE`: as much as a link "X, Kitui county"):
it decides when the text names no country, or only weakly another (a small namesake abroad of a
village the gazetteer lacks); a country's name in the text, a province's or a big city's wins.
An event whose country the outlet decided says so in its evidence (:func:`country_evidence`:
origin ``"source"``, the outlet's name, no span of the text).

How a source is read, part by part:

1. a name of the file's ``international`` list (wire agencies, international broadcasters, NGOs,
   social media, "Local Source") says nothing;
2. a name the file lists under a country is that country ("Ada Derana" is Sri Lanka); 1 and 2
   also read the name without trailing words of a language service ("BBC Hausa", "Agence France
   Presse -- English": the international agency, whatever its language);
3. a country named in the part is that country: by name, alias or demonym, as a qualifier
   ("Star (Kenya)") or inside the name ("Kenya Broadcasting Corporation", "Nigerian Tribune");
   a part naming two countries says nothing;
4. a part that is a web address under a country's domain ("Kresy.pl", "Inform.zp.ua") is that
   country, unless the file lists the domain among the ``generic_domains`` sold worldwide
   (".tv", ".co", ".fm"); with a country named in it, the two must agree;
5. the part without its bracketed qualifier is looked up as in 1 and 2.

Parts the file does not know are ignored; parts that name different countries give no country.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from importlib import resources

import yaml
from unidecode import unidecode

from eventcoder.errors import DataError
from eventcoder.lexicon import safe_load
from eventcoder.model import Document, Evidence

__all__ = ["PRIOR_EVIDENCE", "OutletTable", "country_evidence", "decide_country", "home_country",
           "load_outlets", "outlet_key", "outlet_table", "source_parts"]

#: the evidence origin of a field supported by the article's source metadata, not its text
SOURCE_ORIGIN = "source"

_NON_WORD = re.compile(r"[^a-z0-9]+")
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
#: a web address's country-code domain at the end of a part ("Agora.md", "Inform.zp.ua")
_DOMAIN = re.compile(r"[a-z0-9-]\.([a-z]{2})$")
#: country-code domains whose code is not the country's ISO code
_DOMAIN_ISO2 = {"uk": "GB"}


def outlet_key(name: str) -> str:
    """The form names are compared in: no case, accents, punctuation or leading "The".

    >>> outlet_key("The Star (Kenya)"), outlet_key("L'Observateur Paalga"), outlet_key("lefaso.net")
    ('star kenya', 'l observateur paalga', 'lefaso net')
    >>> outlet_key("Mail & Guardian")
    'mail and guardian'
    """
    text = unidecode(name).casefold().replace("&", " and ")
    text = _NON_WORD.sub(" ", text).strip()
    return text[4:] if text.startswith("the ") else text


def source_parts(source: str | None) -> list[str]:
    """The outlets of a source string: parts split at ";" and "," outside brackets.

    >>> source_parts("Daily Nation (Kenya); Reuters, Capital FM")
    ['Daily Nation (Kenya)', 'Reuters', 'Capital FM']
    >>> source_parts("Daily Mirror (Colombo, Sri Lanka)")
    ['Daily Mirror (Colombo, Sri Lanka)']
    >>> source_parts(None)
    []
    """
    if not source:
        return []
    parts: list[str] = []
    depth, start = 0, 0
    for index, char in enumerate(source):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(depth - 1, 0)
        elif char in ";," and depth == 0:
            parts.append(source[start:index])
            start = index + 1
    parts.append(source[start:])
    return [part.strip() for part in parts if part.strip()]


@dataclass(frozen=True)
class OutletTable:
    """``data/outlets.yaml`` compiled, with the country names of ``data/countries.csv``.

    ``home`` maps an outlet's key to its country; ``international`` holds the keys of sources
    with no home country; ``named`` finds country names, aliases and demonyms (keys) inside a
    part's key, longest first, and ``named_country`` gives their country; ``iso2`` maps a
    country name to its ISO code; ``services`` finds a trailing service word; ``domains`` maps
    a country-code web domain to its country (generic ones left out).
    """

    home: dict[str, str]
    international: frozenset[str]
    named: re.Pattern[str]
    named_country: dict[str, str]
    iso2: dict[str, str]
    #: trailing words of a language service or edition ("... -- English", "BBC Hausa")
    services: re.Pattern[str]
    #: country-code domain ("pl") -> country, without the ``generic_domains`` of the file
    domains: dict[str, str]

    def _names(self, key: str) -> list[str]:
        """``key``, then ``key`` without each trailing service word in turn ("bbc somali
        service" -> "bbc somali" -> "bbc")."""
        names = [key]
        while True:
            found = self.services.search(names[-1])
            if found is None or found.start() == 0:
                return names
            names.append(names[-1][: found.start()].rstrip())

    def part_country(self, part: str) -> str | None:
        """The home country one outlet name gives, or None.

        >>> table = outlet_table()
        >>> [table.part_country(p) for p in ("Ada Derana", "Star (Kenya)", "Reuters",
        ...                                  "Nigerian Tribune", "Sunrise Weekly")]
        ['Sri Lanka', 'Kenya', None, 'Nigeria', None]
        >>> table.part_country("Agora.md"), table.part_country("Inform.zp.ua"), table.part_country("Tuko.tv")
        ('Moldova', 'Ukraine', None)
        >>> table.part_country("BBC Somali Service"), table.part_country("Agence France Presse -- English")
        (None, None)
        """
        key = outlet_key(part)
        for name in self._names(key):
            if name in self.international:
                return None
            if name in self.home:
                return self.home[name]
        words = key
        domain = _DOMAIN.search(part.strip().casefold())
        if domain is not None:
            # a web address: the site's name speaks (an international outlet's national site,
            # "BBC.co.uk", still reports the world), then its domain, not the letters between
            words = outlet_key(part.strip().split(".")[0])
            if words in self.international:
                return None
        named = {self.named_country[m.group(1)] for m in self.named.finditer(words)}
        if domain is not None and domain.group(1) in self.domains:
            # a national domain: most sites under it are of that country's people
            named.add(self.domains[domain.group(1)])
        if len(named) == 1:
            return named.pop()
        if named:
            return None  # "Sudan Tribune (France)": which one the outlet reports is unclear
        bare = outlet_key(_BRACKETED.sub(" ", part))
        if bare != key and bare not in self.international:
            return self.home.get(bare)
        return None


def _countries_csv() -> tuple[dict[str, str], dict[str, str]]:
    """(key of a country name, alias or demonym -> country name; country name -> ISO2)."""
    path = resources.files("eventcoder") / "data" / "countries.csv"
    names: dict[str, str] = {}
    iso2: dict[str, str] = {}
    ambiguous: set[str] = set()
    for row in csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()):
        country = row["name"].strip()
        iso2.setdefault(country, row["iso2"].strip())
        forms = [country, *(row.get("aliases") or "").split("|"),
                 *(row.get("demonyms") or "").split("|")]
        for form in filter(None, (f.strip() for f in forms)):
            key = outlet_key(form)
            if names.get(key, country) != country:
                ambiguous.add(key)  # "Congolese": both Congos; names no one country
            names[key] = country
    return {k: v for k, v in names.items() if k not in ambiguous}, iso2


@functools.lru_cache(maxsize=1)
def outlet_table() -> OutletTable:
    """``data/outlets.yaml``, checked and compiled once per process.

    >>> outlet_table().home[outlet_key("Radio Okapi")]
    'Democratic Republic of Congo'
    """
    path = resources.files("eventcoder") / "data" / "outlets.yaml"
    return load_outlets(path.read_text(encoding="utf-8"), str(path))


def load_outlets(text: str, where: str = "outlets.yaml") -> OutletTable:
    """An outlet table from the YAML ``text`` (the schema of ``data/outlets.yaml``); an invalid
    file raises :class:`~eventcoder.errors.DataError` naming ``where`` and the fault.

    >>> load_outlets("{version: 1, international: [Reuters], countries: {Kenya: [Taifa Leo]}}").home
    {'taifa leo': 'Kenya'}
    """
    try:
        data = safe_load(text)
    except yaml.YAMLError as err:
        raise DataError(where, f"not valid YAML ({err.__class__.__name__})") from None
    if not isinstance(data, dict) or data.get("version") != 1:
        raise DataError(where, "expected a mapping with 'version: 1'")
    known, iso2 = _countries_csv()

    def names_of(value: object, what: str) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(n, str) and outlet_key(n) for n in value):
            raise DataError(where, f"{what}: expected a list of names")
        return value

    international = frozenset(outlet_key(n) for n in names_of(data.get("international"), "international"))
    not_in_names = set()
    for name in names_of(data.get("not_in_names", []), "not_in_names"):
        if name not in iso2:
            raise DataError(where, f"not_in_names: {name!r} is no country of countries.csv")
        not_in_names.add(name)
    countries = data.get("countries")
    if not isinstance(countries, dict):
        raise DataError(where, "expected 'countries': a mapping of country -> list of outlets")
    home: dict[str, str] = {}
    for country, outlets in countries.items():
        if country not in iso2:
            raise DataError(where, f"{country!r} is no country of countries.csv")
        for name in names_of(outlets, str(country)):
            key = outlet_key(name)
            if home.get(key, country) != country:
                raise DataError(where, f"{name!r} is listed for {home[key]!r} and {country!r}")
            if key in international:
                raise DataError(where, f"{name!r} is listed as international and for {country!r}")
            home[key] = country
    named_country = {k: c for k, c in known.items() if c not in not_in_names}
    alternation = "|".join(re.escape(k) for k in sorted(named_country, key=len, reverse=True))
    # a country name right after "new" is a US state or a new thing ("New Mexico Journal")
    named = re.compile(r"(?<![a-z0-9])(?<!\bnew )(" + alternation + r")(?![a-z0-9])")
    services = [outlet_key(n) for n in names_of(data.get("services", []), "services")]
    trailing = "|".join(re.escape(k) for k in sorted(services, key=len, reverse=True)) or "(?!)"
    services_pattern = re.compile(r"(?<![a-z0-9])(?:" + trailing + r")$")
    generic = set()
    for code in names_of(data.get("generic_domains", []), "generic_domains"):
        if not re.fullmatch(r"[a-z]{2}", code):
            raise DataError(where, f"generic_domains: {code!r} is no two-letter domain")
        generic.add(code)
    by_code = {code.casefold(): country for country, code in iso2.items() if code}
    by_code.update({d: by_code[c.casefold()] for d, c in _DOMAIN_ISO2.items() if c.casefold() in by_code})
    domains = {d: country for d, country in by_code.items() if d not in generic}
    return OutletTable(home, international, named, named_country, iso2, services_pattern, domains)


@functools.lru_cache(maxsize=4096)
def _home_part(source: str) -> tuple[str, str] | None:
    table = outlet_table()
    found = [(part, country) for part in source_parts(source)
             if (country := table.part_country(part)) is not None]
    if not found or len({country for _, country in found}) > 1:
        return None
    return found[0]


def home_country(source: str | None) -> str | None:
    """The home country of an article's outlet(s), or None when the source names none, only
    international ones, or outlets of different countries.

    >>> home_country("Daily Nation (Kenya); Reuters")
    'Kenya'
    >>> home_country("Kenya Broadcasting Corporation"), home_country("Sri Lanka Mirror")
    ('Kenya', 'Sri Lanka')
    >>> home_country("AFP; Xinhua"), home_country("Twitter"), home_country(None)
    (None, None, None)
    >>> print(home_country("Daily Nation (Kenya); Ada Derana"))
    None
    """
    found = _home_part(source) if source else None
    return found[1] if found else None


#: what the outlet's home country adds to the article's country: as much as a link "X, Kitui
#: county" or nearly a wire dateline (places.py), outlets reporting from home as reporters file
#: from where they are; less than a country's name in the text, a province's or a big city's
PRIOR_EVIDENCE = 3.0
#: added to the outlet's vote when the text's own evidence for its home country reaches
#: :data:`AGREEMENT_THRESHOLD` (a town's reading there, a national body, the police)
AGREEMENT_EVIDENCE = 1.0
AGREEMENT_THRESHOLD = 1.0


def decide_country(doc: Document, totals: dict[str, float], minimum: float) -> str | None:
    """The article's country (ISO2): the one the text's evidence ``totals`` (ISO2 -> weight,
    from the places stage) and the outlet's home country (:data:`PRIOR_EVIDENCE`) add up to most,
    if at least ``minimum``. When the outlet's vote decides (the text names no country, or only
    weakly another: a small namesake abroad of an unknown village), it is recorded as
    ``doc.country_evidence``.

    >>> from eventcoder.model import Article
    >>> doc = Document(Article(id="a", text="Police dispersed protesters.", source="Hiru News"))
    >>> decide_country(doc, {}, 0.45), doc.country_evidence.text, doc.country_evidence.origin
    ('LK', 'Hiru News', 'source')
    >>> decide_country(doc, {"KE": 8.0}, 0.45)
    'KE'
    >>> decide_country(Document(Article(id="b", text="...", source="Reuters")), {}, 0.45) is None
    True
    """
    text_code = max(totals, key=lambda c: totals[c]) if totals else None
    if text_code is not None and totals[text_code] < minimum:
        text_code = None
    source = doc.article.source
    found = _home_part(source) if source else None
    if found is None:
        return text_code
    part, country = found
    home = outlet_table().iso2[country]
    votes = dict(totals)
    # the text agreeing with the outlet (a namesake at home of a province abroad: "Yala" in a
    # Kenyan paper is the Kenyan town, not the Thai province) makes its vote surer
    agreeing = votes.get(home, 0.0) >= AGREEMENT_THRESHOLD
    votes[home] = votes.get(home, 0.0) + PRIOR_EVIDENCE + (AGREEMENT_EVIDENCE if agreeing else 0.0)
    code = max(votes, key=lambda c: votes[c])
    if votes[code] < minimum:
        return None
    if code == home and code != text_code:
        doc.country_evidence = Evidence(0, 0, part, "country", SOURCE_ORIGIN)
    return code


def country_evidence(doc: Document, country: str | None) -> list[Evidence]:
    """The evidence of an event's ``country`` that no text span gives: the outlet whose home
    country it is, when the places stage took it from there (and a later stage kept it).

    >>> from eventcoder.model import Article
    >>> doc = Document(Article(id="a", text="Police dispersed protesters.", source="Hiru News"))
    >>> doc.country = "Sri Lanka" if decide_country(doc, {}, 0.45) == "LK" else None
    >>> [e.text for e in country_evidence(doc, "Sri Lanka")], country_evidence(doc, "India")
    (['Hiru News'], [])
    """
    evidence = doc.country_evidence
    if evidence is None or country is None or country != doc.country:
        return []
    return [evidence] if outlet_table().part_country(evidence.text) == country else []

