"""Admin areas the text states in words: the area a place lies in, the edge of two areas, a
name the areas rule out, a misspelt area.

Sentences written for these tests (documents built by hand, no spaCy model); the villages in
them are invented, the areas are real. Each states one rule of ``places.py`` (docs/CODING.md,
Geocoding).
"""

from __future__ import annotations

import pytest

from eventcoder.model import Actor, Document, PlaceMention
from eventcoder.places import PlaceResolver, choose_place, place_words

from conftest import place_document


@pytest.fixture(scope="module")
def stage(place_stage: PlaceResolver) -> PlaceResolver:
    return place_stage


def run(stage: PlaceResolver, text: str, source: str | None = None,
        actors: tuple[str, ...] = ()) -> Document:
    """The places stage on ``text``, with ``actors`` marked as the actors stage's named actors
    (it takes unknown capitalised runs for names of groups)."""
    return stage(place_document(text, source, [(s, Actor(s, 3)) for s in actors]))


def placed(doc: Document, word: str) -> PlaceMention:
    mention = choose_place(doc, 0, doc.text.index(word))
    assert mention is not None, [(p.span.text, p.place.name) for p in doc.places]
    return mention


# --- "between A and B states": the edge of two areas, no road ---------------------------------


@pytest.mark.parametrize("text, first", [
    ("Gunmen clashed with soldiers at the border between Sonora and Chihuahua states.",
     "Sonora"),
    ("Shelling was reported along the boundary between Idlib and Latakia.", "Idlib"),
    ("Raiders stole cattle in the border area between Baringo and Turkana counties.",
     "Baringo"),
])
def test_between_two_provinces_is_the_first_province(stage: PlaceResolver, text: str,
                                                      first: str) -> None:
    doc = run(stage, text)
    mention = placed(doc, text.split()[1])
    assert mention.span.text == first
    assert mention.place.admin1 == first and mention.precision == 3
    # the second province is the other side of the edge: no place of the event
    assert [p.span.text for p in doc.places] == [first]


def test_between_two_towns_is_still_a_road(stage: PlaceResolver) -> None:
    doc = run(stage, "Militants ambushed a convoy between Djibo and Arbinda on Monday.")
    mention = placed(doc, "ambushed")
    assert (mention.span.text, mention.precision) == ("Djibo", 2)


def test_between_two_area_names_without_a_border_or_type_word_is_a_road(
        stage: PlaceResolver) -> None:
    # Kisumu and Siaya are both counties and towns: with no "border" or "counties" the two
    # are read as the towns of a road, precision 2 at a town (the smaller, Siaya: a road
    # from a big city is placed at the small town), not a county at precision 3
    doc = run(stage, "Protesters blocked the highway between Kisumu and Siaya on Friday.")
    mention = placed(doc, "blocked")
    assert (mention.span.text, mention.precision, mention.place.feature) == ("Siaya", 2, "city")


# --- names with a Spanish "a" -------------------------------------------------------------------


def test_spanish_a_joins_a_department_name(stage: PlaceResolver) -> None:
    # "Gracias" alone is a town of Lempira; "Gracias a Dios" is the department
    doc = run(stage, "Soldiers destroyed a hidden airstrip near Krausirpi, Gracias a Dios.")
    assert doc.country == "Honduras"
    assert {p.place.admin1 for p in doc.places} == {"Gracias a Dios"}
    assert "Gracias" not in {p.span.text for p in doc.places}


def test_a_is_a_particle_of_names() -> None:
    assert "a" in place_words().particles


# --- an area stated with a name rules out its namesakes elsewhere ------------------------------


def test_stated_province_outweighs_a_big_namesake_elsewhere(stage: PlaceResolver) -> None:
    # Rionegro (Antioquia) is a city of over 100,000; the text puts its Rio Negro in Huila
    doc = run(stage, "A grenade was thrown at a farmhouse in Rio Negro corregimiento (Huila).")
    assert doc.country == "Colombia"
    mention = placed(doc, "grenade")
    assert mention.place.admin1 == "Huila" and mention.precision == 2


def test_a_repeated_name_is_not_the_namesake_its_areas_ruled_out(stage: PlaceResolver) -> None:
    text = ("Dissidents threatened leaders in Rio Negro corregimiento (Huila). Later a bomb hit "
            "the school of the Rio Negro reserve.")
    doc = run(stage, text)
    assert all(p.place.admin1 == "Huila" for p in doc.places), [
        (p.span.text, p.place.admin1) for p in doc.places]
    mention = placed(doc, "bomb")
    assert mention.place.admin1 == "Huila"


@pytest.mark.parametrize("text, town", [
    ("Students marched in Nablus city (Nablus, West Bank) on Friday.", "Nablus"),
    # ACLED's West Bank groups GeoNames' governorates: Hebron's is one of them
    ("Soldiers raided homes in Hebron (West Bank) and detained two men.", "Hebron"),
    ("A drone hit a building in Kyiv city (Kyiv oblast), injuring two.", "Kyiv"),
    ("Gunmen attacked a bus in Karachi (Sindh) at dawn.", "Karachi"),
])
def test_a_big_city_in_its_stated_province_stays(stage: PlaceResolver, text: str,
                                                  town: str) -> None:
    doc = run(stage, text)
    mention = placed(doc, text.split()[1])
    assert (mention.span.text, mention.precision) == (town, 1)


# --- a misspelt or unknown area is no town of another spelling ---------------------------------


def test_unknown_sub_county_is_not_a_town_of_another_spelling(stage: PlaceResolver) -> None:
    # no Kenyan area is called Matungu in the gazetteer; Mitunguu is a town of Meru county,
    # too far a spelling to be it: no place is better than a wrong one
    doc = run(stage, "A mob torched houses in Kivuli village, Matungu sub-county, Kenya.")
    assert doc.country == "Kenya"
    assert not [p for p in doc.places if p.place.feature != "country"], [
        (p.span.text, p.place.name) for p in doc.places]


def test_sub_county_spelt_all_but_as_its_town_is_the_town(stage: PlaceResolver) -> None:
    # "Cheptais" is written for the town GeoNames spells Cheptai (Bungoma county)
    doc = run(stage, "Gunmen shot two elders dead in Kaptoboi, Cheptais sub-county, Kenya.")
    assert {p.place.admin1 for p in doc.places if p.place.feature != "country"} == {"Bungoma"}


# --- a country's own name; an area after an unknown name -----------------------------------------


def test_a_country_name_is_the_country_not_a_town_listed_under_it(stage: PlaceResolver) -> None:
    # GeoNames lists "Iraq" as an alternate name of Arak (Markazi, Iran)
    doc = run(stage, "An old mine from the Iran-Iraq war exploded in Baneh county (Kurdistan), "
                     "wounding three porters.")
    assert doc.country == "Iran"
    assert "Markazi" not in {p.place.admin1 for p in doc.places}
    mention = placed(doc, "exploded")
    assert mention.place.admin1 == "Kurdistan"


def test_province_after_unknown_villages_and_a_comma_holds_them(stage: PlaceResolver) -> None:
    # the villages and the town are invented; Samar is a Philippine province (GeoNames admin2)
    text = ("Soldiers found two bombs between Barangays Tugnay and Bantolinao, Kalbaryo, Samar, "
            "on Monday.")
    doc = run(stage, text, source="Philippine Daily Inquirer",
              actors=("Barangays Tugnay", "Bantolinao", "Kalbaryo", "Samar"))
    assert doc.country == "Philippines"
    mention = placed(doc, "bombs")
    assert mention.place.admin1 == "Eastern Visayas" and mention.precision == 2


# --- checkpoints; where people came from ----------------------------------------------------------


def test_a_named_checkpoint_lies_in_the_region_stated_after_it(stage: PlaceResolver) -> None:
    # GeoNames' Senkivka lies in Kyiv oblast; the text puts this checkpoint in Chernihiv
    doc = run(stage, "Artillery shells landed near the Senkivka border checkpoint in Chernihiv "
                     "oblast on Monday.")
    assert doc.country == "Ukraine"
    mention = placed(doc, "Artillery")
    assert mention.place.admin1 == "Chernihiv" and mention.precision == 2


@pytest.mark.parametrize("text, origin, scene", [
    ("Gunmen ambushed a lorry travelling to Abyei from Wau in Twic county, abducting two women.",
     "Wau", "Warrap"),
    ("Troops and local vigilantes from Bena town repelled bandits in Rijau on Sunday.",
     "Bena", "Niger"),
    ("Thousands marched from Colombo to Kandy (Kandy, Central) to demand a new vote.",
     "Colombo", "Central"),
    ("Villagers stopped the Colombo-bound night mail train at Hatton station.",
     "Colombo", "Central"),
])
def test_where_people_came_from_is_not_the_scene(stage: PlaceResolver, text: str, origin: str,
                                                 scene: str) -> None:
    doc = run(stage, text)
    mention = placed(doc, text.split()[1])
    assert mention.span.text != origin
    assert mention.place.admin1 == scene


def test_a_kenyan_location_is_named_after_its_village(stage: PlaceResolver) -> None:
    doc = run(stage, "Police arrested ten traders in Gatundu location, Kiambu County.")
    mention = placed(doc, "arrested")
    assert (mention.span.text, mention.place.admin1, mention.precision) == (
        "Gatundu", "Kiambu", 1)


def test_an_unknown_sub_location_in_a_known_area_is_placed_at_the_area(
        stage: PlaceResolver) -> None:
    # the sub-location is invented: the event lies somewhere in the constituency, precision 2
    doc = run(stage, "Raiders stole goats at Kamarindi sub-location, Kimilili, Kenya.")
    mention = placed(doc, "stole")
    assert (mention.place.admin1, mention.precision) == ("Bungoma", 2)


def test_kenyan_admin_words_are_listed_for_kenya() -> None:
    words = place_words()
    assert any(pattern.search("Kamarindi sub-location") and "Kenya" in countries
               for pattern, countries in words.admin_word_countries)


def test_villages_of_a_stated_municipality_are_no_far_town(stage: PlaceResolver) -> None:
    # La Mesa (Cundinamarca) is a town of 27,000 some 600 km away; the text names a rural
    # settlement of a municipality of Cesar (the other two settlements are invented)
    text = ("In the countryside of Pueblo Bello municipality (Cesar), 90 families fled after "
            "armed men threatened the El Volador, La Mesa and Las Minas corregimientos.")
    doc = run(stage, text)
    assert "Cundinamarca" not in {p.place.admin1 for p in doc.places}
    mention = placed(doc, "fled")
    assert mention.place.admin1 == "Cesar"


@pytest.mark.parametrize("text, first", [
    ("Air strikes hit villages in the provinces of Idlib and Hama on Monday.", "Idlib"),
    ("Protests were held in the counties of Kisumu, Siaya and Migori.", "Kisumu"),
])
def test_a_list_after_a_plural_type_word_is_a_list_of_areas(stage: PlaceResolver, text: str,
                                                             first: str) -> None:
    doc = run(stage, text)
    assert all(p.precision == 3 for p in doc.places if p.place.feature != "country"), [
        (p.span.text, p.precision) for p in doc.places]
    mention = placed(doc, text.split()[1])
    assert (mention.place.admin1, mention.precision) == (first, 3)
