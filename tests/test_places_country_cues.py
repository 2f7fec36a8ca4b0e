"""What a text says of the event's country, and what it does not say.

Sentences written for these tests (documents built by hand, no spaCy model). Each states one
rule of ``places.py``: a country's adjective on a place noun places the event in that country;
a possessive without its apostrophe reads for multi-word names too; the countries visitors come
from are not where the event is; an English word that ends a longer capitalised name, or opens a
sentence with no locative cue, is no place abroad; historical and informal regions
(``data/regions.csv``) name their country, and their admin1 only when they lie in one.
"""

from __future__ import annotations

import csv
import re
from importlib import resources

import pytest

from eventcoder.gazetteer import get_gazetteer, name_key
from eventcoder.model import Document
from eventcoder.places import REGION_COLUMNS, PlaceResolver, regions

from conftest import place_document


@pytest.fixture(scope="module")
def stage(place_stage: PlaceResolver) -> PlaceResolver:
    return place_stage


def run(stage: PlaceResolver, text: str) -> Document:
    return stage(place_document(text))


def placed(doc: Document) -> list[tuple[str, str | None, str]]:
    """(country, admin1, name) of the places that can locate an event."""
    return [(p.place.country, p.place.admin1, p.place.name) for p in doc.places
            if p.place.feature != "country"]


# -- a country's adjective on a place noun ------------------------------------------------------

@pytest.mark.parametrize(("text", "country"), [
    ("Bandits raided a Kenyan border town overnight and stole cattle.", "Kenya"),
    ("Gunmen abducted nine farmers from a remote Nigerian village on Sunday.", "Nigeria"),
    ("Smugglers exchanged fire with rangers within the Kenyan border on Friday.", "Kenya"),
    ("A drone struck a truck on Somali soil, officials said.", "Somalia"),
    ("Two boats were seized in Tanzanian waters near the lake shore.", "Tanzania"),
    ("Herders clashed on the Ugandan side of the border at dawn.", "Uganda"),
])
def test_demonym_on_a_place_noun_names_the_country(stage: PlaceResolver, text: str,
                                                   country: str) -> None:
    assert run(stage, text).country == country


def test_demonym_on_people_stays_a_hint(stage: PlaceResolver) -> None:
    # whose people, not where: the adjective alone is weaker than a place in another country
    doc = run(stage, "Kenyan traders were robbed at a market in Kampala on Monday.")
    assert doc.country == "Uganda"


def test_demonym_of_a_destination_stays_abroad(stage: PlaceResolver) -> None:
    doc = run(stage, "Shells fell on Goma and residents fled into Rwandan territory.")
    assert doc.country == "Democratic Republic of Congo"


@pytest.mark.parametrize("text", [
    "Gunmen abducted four Malian refugees near a camp on Monday.",
    "Coast guards stopped a boat carrying 90 Haitian migrants on Sunday.",
])
def test_demonym_of_people_abroad_names_no_country(stage: PlaceResolver, text: str) -> None:
    # refugees and migrants are found outside the country their adjective names
    doc = run(stage, text)
    assert doc.country not in ("Mali", "Haiti")


def test_embassy_of_a_country_is_abroad(stage: PlaceResolver) -> None:
    doc = run(stage, "Protesters gathered outside the Kenyan embassy in Kampala.")
    assert doc.country == "Uganda"


def test_somali_region_is_not_somalia(stage: PlaceResolver) -> None:
    # Ethiopia's Somali region: "region" is not one of the place nouns the adjective qualifies
    doc = run(stage, "Troops clashed with rebels in Jijiga, capital of the Somali region.")
    assert doc.country == "Ethiopia"


# -- possessives without an apostrophe --------------------------------------------------------

def test_possessive_of_a_multi_word_country_without_apostrophe(stage: PlaceResolver) -> None:
    doc = run(stage, "Sierra Leones former defence minister was detained by police.")
    assert doc.country == "Sierra Leone"


# -- visitors' countries ----------------------------------------------------------------------

def test_countries_of_visitors_are_not_the_event_country(stage: PlaceResolver) -> None:
    text = ("Presidents of Benin, Togo and Niger met the junta leader on Friday to discuss the "
            "transition in Guinea.")
    assert run(stage, text).country == "Guinea"


def test_every_country_of_a_list_of_destinations_is_abroad(stage: PlaceResolver) -> None:
    text = "Families fled to Chad and Cameroon after militiamen burned homes in Birao."
    assert run(stage, text).country == "Central African Republic"


def test_a_single_leader_of_a_country_is_still_evidence(stage: PlaceResolver) -> None:
    # not a list of visitors: the country's own leader acts at home
    assert run(stage, "The president of Malawi dissolved the cabinet.").country == "Malawi"


# -- fragments and common words ---------------------------------------------------------------

def test_tail_of_a_longer_name_is_no_place(stage: PlaceResolver) -> None:
    # "Valley Province" is the tail of an unknown name, not The Valley (Anguilla)
    doc = run(stage, "Police fired tear gas at marchers throughout Tana Valley Province.")
    assert doc.country != "Anguilla"
    assert not [p for p in placed(doc) if p[0] == "Anguilla"]


def test_english_word_opening_a_sentence_is_no_town_abroad(stage: PlaceResolver) -> None:
    doc = run(stage, "Orange supporters threw stones at police after the count.")
    assert doc.country is None
    assert placed(doc) == []


@pytest.mark.parametrize(("text", "country"), [
    # WordNet lists city names among its nouns: only an adjective or a verb is a common word
    ("Kampala traders closed their shops on Monday.", "Uganda"),
    # a big city's name after another capitalised word is still the city
    ("Greater Kampala saw protests on Monday.", "Uganda"),
])
def test_city_name_opening_a_sentence_is_still_the_city(stage: PlaceResolver, text: str,
                                                        country: str) -> None:
    assert run(stage, text).country == country


def test_english_word_in_a_place_slot_is_still_the_town(stage: PlaceResolver) -> None:
    doc = run(stage, "Police dispersed marchers in Orange, California, on Monday.")
    assert ("United States", "California", "Orange") in placed(doc)


# -- historical and informal regions -----------------------------------------------------------

@pytest.mark.parametrize(("text", "country"), [
    ("Two people died when rival groups fought in Nyanza region.", "Kenya"),
    ("Police fired tear gas at marchers throughout Rift Valley Province.", "Kenya"),
    ("Cattle raiders killed three herders in Karamoja on Wednesday.", "Uganda"),
    ("Rebels ambushed a convoy in West Nile, killing four soldiers.", "Uganda"),
    ("Militants attacked a checkpoint in northern Sinai.", "Egypt"),
    ("Shelling resumed across the Donbas overnight.", "Ukraine"),
    # a region's name is no piece of a longer one, even beside a particle and a weekday
    ("Troops clashed with rebels in central Mindanao on Sunday.", "Philippines"),
])
def test_region_names_its_country(stage: PlaceResolver, text: str, country: str) -> None:
    doc = run(stage, text)
    assert doc.country == country
    # a region of several admin1 areas is no event location
    assert placed(doc) == []


def test_region_within_one_admin1_is_that_admin1(stage: PlaceResolver) -> None:
    doc = run(stage, "Troops clashed with rebels in the Ogaden on Tuesday.")
    assert doc.country == "Ethiopia"
    assert [(c, a) for c, a, _n in placed(doc)] == [("Ethiopia", "Somali")]
    assert doc.places[0].precision == 3


def test_region_admin1_is_written_under_acled_name(stage: PlaceResolver) -> None:
    doc = run(stage, "Fighting spread across Wollo on Tuesday, residents said.")
    assert [(c, a) for c, a, _n in placed(doc)] == [("Ethiopia", "Amhara")]


def test_region_does_not_outvote_a_town_it_does_not_hold(stage: PlaceResolver) -> None:
    # Rwanda's town of Nyanza: the country named in the text wins
    doc = run(stage, "Police arrested two traders in Nyanza, Rwanda, on Monday.")
    assert doc.country == "Rwanda"


# -- the data file ------------------------------------------------------------------------------

def _rows() -> list[dict[str, str]]:
    path = resources.files("eventcoder") / "data" / "regions.csv"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines()
             if not line.startswith("#")]
    reader = csv.DictReader(lines)
    assert tuple(reader.fieldnames or ()) == REGION_COLUMNS
    return list(reader)


def test_regions_file_rows_are_complete() -> None:
    rows = _rows()
    assert rows
    for row in rows:
        assert row["name"].strip() and row["note"].strip(), row
        assert re.fullmatch(r"[A-Z]{2}", row["country_code"]), row


def test_regions_countries_and_admin1_areas_exist() -> None:
    gazetteer = get_gazetteer()
    for row in _rows():
        assert gazetteer.country(row["country_code"]) is not None, row
        if row["admin1"]:
            found = [c for c in gazetteer.lookup(row["admin1"], row["country_code"])
                     if c.place.feature == "admin1" and c.match == "exact"]
            assert found, row


def test_regions_are_not_names_the_gazetteer_knows_as_countries() -> None:
    # a region named like a country or a province of another would override it
    gazetteer = get_gazetteer()
    for key, region in regions().items():
        for cand in gazetteer.lookup(key):
            assert cand.place.feature != "country", (key, region)


def test_every_name_of_a_region_is_indexed() -> None:
    table = regions()
    for row in _rows():
        for text in [row["name"], *filter(None, row["aliases"].split("|"))]:
            assert table[name_key(text)].name == row["name"]


# -- a city and its province of one name ---------------------------------------------------------

def test_city_and_its_province_beat_a_province_only_namesake(stage: PlaceResolver) -> None:
    # Gaza is a city and a governorate in Palestine, a province only in Mozambique
    doc = run(stage, "Gaza residents said several homes were hit overnight.")
    assert doc.country == "Palestine"


def test_city_and_county_of_one_name_beat_a_folded_namesake(stage: PlaceResolver) -> None:
    # Kisii is a Kenyan town and county; Kisi (Nigeria) shares its name key only
    assert run(stage, "Rioters burned tyres in Kisii town.").country == "Kenya"


# -- a country's whole name ----------------------------------------------------------------

@pytest.mark.parametrize(("text", "country"), [
    ("Coast guards intercepted a boat carrying 90 migrants off the Turks and Caicos Islands.",
     "Turks and Caicos Islands"),
    ("Police in Trinidad and Tobago arrested six men after a shooting at a bar.",
     "Trinidad and Tobago"),
    ("Protesters blocked the main road in Saint Vincent and the Grenadines on Monday.",
     "Saint Vincent and the Grenadines"),
])
def test_a_country_named_with_and_is_one_name(stage: PlaceResolver, text: str,
                                              country: str) -> None:
    doc = run(stage, text)
    # not a piece of it: Islands (a district of Hong Kong), Tobago, the Grenadines
    assert doc.country == country
    assert all(c == country for c, _admin1, _name in placed(doc))

