"""The places stage reading what a text states outright about a place: a coder's statement of
the coded place, possessives without their apostrophe, admin units named with their kind word,
and the halves of hyphenated names (documents built by hand, no spaCy model)."""

from __future__ import annotations

import pytest

from eventcoder.model import Document, PlaceMention
from eventcoder.places import PlaceResolver, choose_place, place_words

from conftest import place_document


@pytest.fixture(scope="module")
def stage(place_stage: PlaceResolver) -> PlaceResolver:
    return place_stage


def places(stage: PlaceResolver, text: str) -> Document:
    return stage(place_document(text))


def named(doc: Document) -> list[tuple[str, str]]:
    return [(p.span.text, p.place.name) for p in doc.places]


def only(doc: Document, surface: str) -> PlaceMention:
    found = [p for p in doc.places if p.span.text == surface]
    assert len(found) == 1, named(doc)
    return found[0]


# -- a coder's statement of the coded place ------------------------------------------------


@pytest.mark.parametrize(("text", "surface", "admin1", "precision"), [
    # the statement's precision is the one reported, and it wins over the places named before
    ("Rebels looted crops near Djibo and Arbinda (coded as Pama at geoprecision 2).",
     "Pama", "Est", 2),
    ("Gunmen killed three people in Kismayo [coded to Baidoa with GP3].", "Baidoa", "Bay", 3),
    ("Gunmen killed three people in Kismayo [coded to Baidoa with gp 1].", "Baidoa", "Bay", 1),
    # with no precision stated, the place's own precision; the areas named with it stay areas
    ("Protesters gathered outside Parliament House (coded to Canberra, Australian Capital "
     "Territory) to demand action.", "Canberra", "Australian Capital Territory", 1),
])
def test_coded_statement_wins_at_its_precision(stage: PlaceResolver, text: str, surface: str,
                                               admin1: str, precision: int) -> None:
    doc = places(stage, text)
    assert [p.span.text for p in doc.places if p.place.feature != "country"] == [surface]
    mention = only(doc, surface)
    assert mention.place.admin1 == admin1
    assert mention.precision == precision
    # the evidence is the name in the statement, not an earlier mention of another place
    assert doc.text[mention.span.start:mention.span.end] == surface
    assert mention.span.start > doc.text.index("coded")
    chosen = choose_place(doc, 0, 0)
    assert chosen is not None and chosen.span.text == surface


def test_coded_statement_keeps_an_earlier_mention_of_the_same_place_out(
        stage: PlaceResolver) -> None:
    doc = places(stage, "Militants attacked a post near Djibo (coded as Djibo at geoprecision 2).")
    djibo = [p for p in doc.places if p.place.name == "Djibo"]
    assert len(djibo) == 1 and djibo[0].precision == 2
    assert djibo[0].span.start > doc.text.index("coded")


def test_without_a_statement_the_places_are_read_as_before(stage: PlaceResolver) -> None:
    doc = places(stage, "Rebels looted crops near Djibo on Monday.")
    assert only(doc, "Djibo").precision == 2
    # "coded" elsewhere in the text names no place: fatalities, actors
    doc = places(stage, "Rebels looted crops near Djibo. Unknown fatalities coded as 10.")
    assert only(doc, "Djibo").precision == 2


# -- possessives without their apostrophe --------------------------------------------------


@pytest.mark.parametrize(("text", "surface", "city", "admin1"), [
    ("Evicted hawkers and security officers engaged in running battles in Nairobis CBD.",
     "Nairobis", "Nairobi", "Nairobi"),
    ("Police fired tear gas at protesters in Mogadishus Hodan district.",
     "Mogadishus", "Mogadishu", "Banadir"),
])
def test_possessive_without_apostrophe(stage: PlaceResolver, text: str, surface: str,
                                       city: str, admin1: str) -> None:
    doc = places(stage, text)
    mention = only(doc, surface)
    assert (mention.place.name, mention.place.admin1, mention.precision) == (city, admin1, 1)


def test_a_plural_is_no_possessive_of_a_small_namesake(stage: PlaceResolver) -> None:
    # only a well-known place's name is read through a missing apostrophe: "Kenyans" stays a
    # nationality, and an unknown plural finds no town of its singular
    doc = places(stage, "Kenyans took to the streets in Kisumu.")
    assert doc.country == "Kenya"
    assert [p.span.text for p in doc.places if p.place.feature != "country"] == ["Kisumu"]
    # after "the" it is a region's plural ("the Carolinas"), not Carolina, Puerto Rico
    doc = places(stage, "Storms hit the Carolinas as protesters marched in Kisumu.")
    assert [p.span.text for p in doc.places if p.place.feature != "country"] == ["Kisumu"]


# -- admin units named with their kind word ------------------------------------------------


def test_a_district_in_brackets_lies_in_the_province_not_the_big_city(
        stage: PlaceResolver) -> None:
    # "Loma Hermosa district (Buenos Aires)": the gazetteer lacks the district; Buenos Aires
    # is both a city of millions and a province, and a district lies in the province
    doc = places(stage, "In Loma Hermosa district (Buenos Aires), students staged a protest.")
    assert doc.country == "Argentina"
    area = only(doc, "Buenos Aires")
    assert area.place.admin1 == "Buenos Aires"
    assert area.precision == 2  # a named part of the province that cannot be placed
    # an unknown name that is no admin unit is rather one of the big city's quarters
    doc = places(stage, "Students staged a protest in Villa Crespo (Buenos Aires).")
    assert only(doc, "Buenos Aires").place.admin1 == "Autonomous City of Buenos Aires"


def test_south_sudan_payam_is_an_admin_area(stage: PlaceResolver) -> None:
    words = place_words()
    assert words.admin_after.match(" payam")
    assert words.town_after.match(" corregimiento") and words.town_after.match(" vereda")
    assert words.town_before.search("residents of Barangays ")


# -- the halves of hyphenated names --------------------------------------------------------


def test_a_direction_joined_to_an_unknown_name_is_no_province(stage: PlaceResolver) -> None:
    # a dozen countries have a province called "North": "Tharaka-North" is none of them
    doc = places(stage, "Raiders hit the village of Kiangeni in Tharaka-North county.")
    assert doc.country is None
    assert doc.places == []
    # a hyphenated name the gazetteer knows whole keeps its meaning
    doc = places(stage, "Fighting broke out in Nord-Kivu on Monday.")
    assert only(doc, "Nord-Kivu").place.admin1 == "Nord-Kivu"


def test_a_name_before_a_peoples_name_is_no_place(stage: PlaceResolver) -> None:
    doc = places(stage, "Bor Dinka pastoralists attacked Kubu in Lokiliri payam (Juba county, "
                        "Central Equatoria state).")
    assert doc.country == "South Sudan"
    assert all(p.place.admin1 == "Central Equatoria" for p in doc.places
               if p.place.feature != "country"), named(doc)
    chosen = choose_place(doc, 0, doc.text.index("attacked"))
    assert chosen is not None and chosen.place.admin1 == "Central Equatoria"
    # in a place slot the name is the place
    doc = places(stage, "Cattle raiders attacked a village in Bor county, Jonglei.")
    assert any(p.place.admin1 == "Jonglei" for p in doc.places)


def test_a_town_after_a_city_and_province_of_one_name_lies_in_one_of_them(
        stage: PlaceResolver) -> None:
    # GeoNames knows Mykolaivkas in other oblasts, none in Kyiv's: "Kyiv" after the comma is
    # the province holding a village the gazetteer lacks
    doc = places(stage, "Ukrainian troops retook Mykolaivka, Kyiv, on Sunday.")
    assert doc.country == "Ukraine"
    assert [(p.place.admin1, p.precision) for p in doc.places
            if p.place.feature != "country"] == [("Kyiv", 2)]
    # a town that lies in the province keeps its own reading
    doc = places(stage, "Russian forces shelled Bucha, Kyiv.")
    bucha = only(doc, "Bucha")
    assert (bucha.place.admin1, bucha.precision) == ("Kyiv", 1)


def test_unknown_names_in_brackets_are_held_by_the_area_after_them(stage: PlaceResolver) -> None:
    # neither Kotagala is in the gazetteer: the province after them in the brackets still
    # holds the place (a direction-named province, read only as the area holding a place)
    doc = places(stage, "Sri Lankan teachers protested in Kotagala (Kotagala, Central) on Monday.")
    assert doc.country == "Sri Lanka"
    central = [p for p in doc.places if p.place.feature != "country"]
    assert [(p.span.text, p.place.admin1, p.precision) for p in central] == [
        ("Central", "Central", 2)]
