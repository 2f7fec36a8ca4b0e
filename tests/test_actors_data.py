"""The shipped actor dictionary (``data/actors.yaml``) keeps its schema and its coverage."""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

import pytest
import yaml

from eventcoder.actors import FORCE_NAMES, STATE_ID_PREFIX, load_actors


def _raw() -> dict[str, Any]:
    text = (resources.files("eventcoder") / "data" / "actors.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


RAW = _raw()
ACTORS = load_actors()

# The armed groups and states DESIGN.md and the codebook name, and the countries heavy in the
# development data, under ACLED's spelling.
REQUIRED_ACTORS = [
    "HTS: Hayat Tahrir al Sham",
    "Al Sham Corps",
    "NLF: National Liberation Front",
    "Idlib Free Army",
    "Jaish al Nasr",
    "Jaish al Nukhba",
    "First Coastal Division",
    "Second Coastal Division",
    "AAS: Ahrar al Sham",
    "Nour al Din al Zenki Movement",
    "QSD: Syrian Democratic Forces",
    "YPG: Peoples Protection Units",
    "Islamic State",
    "JWS: Syrian National Army",
    "Global Coalition Against Daesh",
    "Al Shabaab",
    "Taliban",
    "TTP: Tehreek-i-Taliban Pakistan",
    "JNIM: Group for Support of Islam and Muslims",
    "Islamic State (Greater Sahara)",
    "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad",
    "Islamic State (West Africa)",
    "Military Forces of Yemen (2016-) Supreme Political Council",
    "Operation Restoring Hope",
    "M23: March 23 Movement",
    "ADF: Allied Democratic Forces",
    "RSF: Rapid Support Forces",
    "PKK: Kurdistan Workers Party",
    "CJNG: Jalisco New Generation Cartel",
    "Sinaloa Cartel",
    "ELN: National Liberation Army",
    "Gulf Clan",
    "FARC Dissident: Revolutionary Armed Forces of Colombia Dissident Faction",
    "NAF: United Armed Forces of Novorossiya",
    "AMISOM: African Union Mission in Somalia (2007-)",
    "MINUSMA: United Nations Multidimensional Integrated Stabilization Mission in Mali (2013-)",
    "Wagner Group",
]
REQUIRED_COUNTRIES = [
    "Syria", "Russia", "Turkey", "Iran", "Israel", "Palestine", "United States", "Iraq", "Yemen",
    "Afghanistan", "Pakistan", "Nigeria", "Mali", "Burkina Faso", "Niger", "Somalia",
    "Democratic Republic of Congo", "Sudan", "Ukraine", "Mexico", "Colombia", "Kenya",
    "Sri Lanka", "Bangladesh", "India", "Myanmar", "Ethiopia",
]


def test_top_level_keys_are_the_documented_ones() -> None:
    assert RAW["version"] == 1
    assert set(RAW) <= {
        "version", "transliterations", "countries", "actors", "generic", "forces",
        "descriptive_heads", "units", "crowds", "crowd_heads", "identity_groups", "militia_nouns",
        "both_sides",
    }


@pytest.mark.parametrize("section", ["actors", "countries", "generic", "identity_groups", "crowds"])
def test_names_are_unique_within_a_section(section: str) -> None:
    names = [entry["name"] for entry in RAW[section]]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    assert not duplicates


def test_canonical_names_are_unique_across_actors_and_generics() -> None:
    actor_names = {entry["name"] for entry in RAW["actors"]}
    assert not actor_names & {entry["name"] for entry in RAW["generic"]}


def test_inter_codes_are_acled_codes() -> None:
    for section in ("actors", "generic", "crowds"):
        for entry in RAW[section]:
            assert entry["inter"] in range(1, 9), entry["name"]
    for entry in RAW["actors"]:
        for era in entry.get("eras") or []:
            assert era.get("inter", 1) in range(1, 9), entry["name"]


def test_actor_countries_are_known_countries() -> None:
    countries = {c["name"] for c in RAW["countries"]}
    for entry in RAW["actors"]:
        assert entry["country"] is None or entry["country"] in countries, entry["name"]
    for group in RAW["identity_groups"]:
        assert set(group["countries"]) <= countries, group["name"]


def test_every_alias_names_one_actor_unless_shared() -> None:
    ACTORS.check()
    for surface, ident, _, _ in ACTORS.surface_forms():
        options = ACTORS.alternatives(surface)
        if len(options) < 2:
            continue
        # several ids for one surface only when every named actor among them says "shared",
        # or all are state units of one name in several countries
        named = [o for o in options if not o.startswith(STATE_ID_PREFIX)]
        for name in named:
            assert surface.lower() in ACTORS.actors[name].shared, (surface, options)


def test_acronym_names_follow_acled_form() -> None:
    # "ACR: Full Name": the part before the colon is an acronym, not words
    for entry in RAW["actors"]:
        name = entry["name"]
        if ": " in name and " and/or " not in name:
            acronym = name.split(": ", 1)[0]
            assert re.fullmatch(r"[A-Z0-9][A-Za-z0-9()/\- ]*", acronym), name
            assert sum(ch.isupper() or ch.isdigit() for ch in acronym) >= 2, name


def test_regimes_are_increasing_and_make_acled_names() -> None:
    for country in ACTORS.countries.values():
        assert list(country.regimes) == sorted(country.regimes), country.name
        for force in FORCE_NAMES:
            name = country.force_name(force, None)
            if country.regimes:
                assert re.fullmatch(r"(Military Forces|Police Forces|Government) of .+ \(\d{4}-(\d{4})?\)", name)


def test_demonyms_name_one_country() -> None:
    seen: dict[str, str] = {}
    for country in RAW["countries"]:
        for word in (*(country.get("demonyms") or []), *(country.get("names") or [])):
            assert seen.setdefault(word.lower(), country["name"]) == country["name"], word


def test_generic_nouns_name_one_generic_actor() -> None:
    seen: dict[str, str] = {}
    for generic in RAW["generic"]:
        for noun in generic["nouns"]:
            assert seen.setdefault(noun.lower(), generic["name"]) == generic["name"], noun


def test_force_nouns_are_military_or_police_not_both() -> None:
    assert not set(RAW["forces"]["military"]) & set(RAW["forces"]["police"])


def test_references_between_entries_resolve() -> None:
    for entry in ACTORS.actors.values():
        for name in entry.joint:
            assert name in ACTORS.actors, entry.name
    for country in ACTORS.countries.values():
        for where, name in country.abroad.items():
            assert where in ACTORS.countries and name in ACTORS.actors


@pytest.mark.parametrize("name", REQUIRED_ACTORS)
def test_required_actor_is_present(name: str) -> None:
    assert name in ACTORS.actors


@pytest.mark.parametrize("name", REQUIRED_COUNTRIES)
def test_required_country_has_demonyms_and_regimes(name: str) -> None:
    country = ACTORS.countries[name]
    assert country.demonyms and country.regimes


def test_generic_actors_and_crowds_are_present() -> None:
    assert {"Unidentified Armed Group", "Civilians", "Protesters", "Rioters"} <= set(ACTORS.generics)
    assert {"Protesters", "Rioters"} <= set(ACTORS.crowds)


@pytest.mark.parametrize(
    ("alias", "name"),
    [("Gran Grif", "Gran Grif Gang"), ("400 Mawozo", "400 Mawozo Gang"),
     ("5 Segonn", "Village de Dieu Gang"), ("G9 an Fanmi e Alye", "G9 Family and Allies"),
     ("Viv Ansanm coalition", "Viv Ansanm")],
)
def test_haitis_gangs_are_named_apart(alias: str, name: str) -> None:
    entry = ACTORS.actors[name]
    assert entry.country == "Haiti" and entry.inter == 3
    assert alias in entry.aliases


# Parties, coalitions and movements of the countries heavy in the development data, under
# ACLED's "ACR: Full Name" form, with the country they place an article in. ACLED names them
# beside the protesters or rioters their members form: they carry the crowd's inter, 6.
REQUIRED_PARTIES = [
    ("ODM: Orange Democratic Movement", "Kenya"),
    ("CORD: Coalition for Reforms and Democracy", "Kenya"),
    ("PNU: Party of National Unity", "Kenya"),
    ("UNP: United National Party", "Sri Lanka"),
    ("UPFA: United People's Freedom Alliance", "Sri Lanka"),
    ("JVP: Janatha Vimukthi Peramuna", "Sri Lanka"),
    ("SLFP: Sri Lanka Freedom Party", "Sri Lanka"),
    ("AL: Awami League", "Bangladesh"),
    ("BNP: Bangladesh Nationalist Party", "Bangladesh"),
    ("BCL: Bangladesh Chhatra League", "Bangladesh"),
    ("CDP: Congress for Democracy and Progress", "Burkina Faso"),
    ("MPP: People's Movement for Progress", "Burkina Faso"),
    ("NLD: National League for Democracy", "Myanmar"),
    ("KDP: Kurdistan Democratic Party", "Iraq"),
    ("PRI: Institutional Revolutionary Party", "Mexico"),
    ("MORENA: National Regeneration Movement", "Mexico"),
    ("BJP: Bharatiya Janata Party", "India"),
    ("PTI: Pakistan Tehreek-i-Insaf", "Pakistan"),
    ("ZANU-PF: Zimbabwe African National Union-Patriotic Front", "Zimbabwe"),
]


@pytest.mark.parametrize(("name", "country"), REQUIRED_PARTIES)
def test_party_is_a_crowd_affiliation_of_one_country(name: str, country: str) -> None:
    entry = ACTORS.actors[name]
    # a single home country, so that naming the party votes for it (places._country)
    assert (entry.inter, entry.country, entry.countries) == (6, country, ())


@pytest.mark.parametrize(
    ("surface", "name"),
    [("UNP", "UNP: United National Party"), ("Chhatra League", "BCL: Bangladesh Chhatra League"),
     ("CORD", "CORD: Coalition for Reforms and Democracy"), ("Janatha Vimukthi Peramuna",
     "JVP: Janatha Vimukthi Peramuna"), ("Presidential Security Regiment",
     "@military:Burkina Faso:Presidential Security Unit")],
)
def test_party_and_unit_aliases_name_them(surface: str, name: str) -> None:
    key = surface if surface.isupper() else surface.lower()
    assert ACTORS.index()[key] == name


@pytest.mark.parametrize(
    ("acronym", "name"),
    [("APC", "APC: All Progressives Congress"), ("NASA", "NASA: National Super Alliance"),
     ("ANP", "ANP: Awami National Party")],
)
def test_acronym_listed_as_weak_is_no_strong_alias(acronym: str, name: str) -> None:
    # "APC" is also an armoured personnel carrier: it names the Nigerian party only where the
    # article is already about Nigeria
    assert ACTORS.index().get(acronym) != name
    assert acronym in ACTORS.actors[name].weak_aliases


@pytest.mark.parametrize("acronym", ["TNA", "NPP", "ANC", "UPC", "MRC"])
def test_acronyms_of_parties_in_several_countries_are_shared(acronym: str) -> None:
    owners = [n for n in ACTORS.alternatives(acronym) if not n.startswith(STATE_ID_PREFIX)]
    countries = {ACTORS.actors[n].country for n in owners}
    assert len(countries) >= 2
    for name in owners:
        assert acronym.lower() in ACTORS.actors[name].shared
