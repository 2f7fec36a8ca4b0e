"""The capital rules (eventcoder.capitals, data/national_seats.yaml): "the capital" and national
institutions are places, national acts with no place are at the capital at precision 3, and
events in the field stay unplaced. Documents are built by hand (no spaCy model)."""

from __future__ import annotations

import pytest

from eventcoder.capitals import capital_of, national_act_place, national_seats
from eventcoder.gazetteer import Gazetteer, get_gazetteer
from eventcoder.model import Document
from eventcoder.places import PlaceResolver, choose_place

from conftest import place_document


@pytest.fixture(scope="module")
def stage(place_stage: PlaceResolver) -> PlaceResolver:
    return place_stage


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return get_gazetteer()


def make_doc(text: str) -> Document:
    return place_document(text)


def test_data_file_is_consistent(gaz: Gazetteer) -> None:
    seats = national_seats()
    assert seats.national_acts and seats.institutions
    # every seat the file names is a town of that country in the gazetteer
    for code, city in seats.seat_of_government.items():
        place = capital_of(gaz, code)
        assert place is not None and place.country_code == code, (code, city)
    for code, table in seats.institution_seats.items():
        for kind in table:
            place = capital_of(gaz, code, kind)
            assert place is not None and place.country_code == code, (code, kind)
    # events in the field are never national acts
    assert not seats.national_acts & {"Armed clash", "Attack", "Grenade", "Air/drone strike",
                                      "Remote explosive/landmine/IED", "Peaceful protest"}


@pytest.mark.parametrize("code, city", [
    ("KE", "Nairobi"), ("BF", "Ouagadougou"), ("NG", "Abuja"), ("BO", "La Paz"),
    ("CI", "Abidjan"), ("NL", "The Hague"), ("BJ", "Cotonou"), ("AF", "Kabul"),
])
def test_capital_is_the_seat_of_government(gaz: Gazetteer, code: str, city: str) -> None:
    place = capital_of(gaz, code)
    assert place is not None and place.name == city


@pytest.mark.parametrize("code, kind, city", [
    ("ZA", "parliament", "Cape Town"), ("ZA", None, "Pretoria"), ("KE", "parliament", "Nairobi"),
])
def test_institution_seats(gaz: Gazetteer, code: str, kind: str | None, city: str) -> None:
    place = capital_of(gaz, code, kind)
    assert place is not None and place.name == city


def test_contested_capital_has_no_seat(gaz: Gazetteer) -> None:
    assert capital_of(gaz, "IL") is None


def test_in_the_capital_is_the_capital(stage: PlaceResolver) -> None:
    doc = stage(make_doc("Two marches were held in the capital backing the arrested "
                         "Kenyan MP."))
    found = [p for p in doc.places if p.span.text == "the capital"]
    assert len(found) == 1 and found[0].place.name == "Nairobi" and found[0].precision == 1
    assert found[0].place.admin1 == "Nairobi"


def test_the_capital_as_a_reference_point_is_no_place(stage: PlaceResolver) -> None:
    doc = stage(make_doc("Islamic State cells still attack farmers in the farmland north of "
                         "the capital, Iraqi officials said."))
    assert not [p for p in doc.places if "capital" in p.span.text]


def test_near_the_capital_is_precision_2(stage: PlaceResolver) -> None:
    doc = stage(make_doc("Kenyan police fired tear gas at squatters near the capital."))
    assert [(p.place.name, p.precision) for p in doc.places
            if "capital" in p.span.text] == [("Nairobi", 2)]


def test_a_demonym_says_whose_capital(stage: PlaceResolver) -> None:
    doc = stage(make_doc("Police fired tear gas at students in the Ugandan capital on Monday."))
    assert [p.place.name for p in doc.places if "capital" in p.span.text] == ["Kampala"]


@pytest.mark.parametrize("text", [
    "Gunmen killed two traders in Baidoa, the capital of Bay province.",
    "Fighters entered the provincial capital overnight in Afghanistan.",
    "The court in Kenya handed down capital punishment to the attacker.",
    "Protesters gathered in the economic capital of Burkina Faso.",
])
def test_other_capitals_are_not_the_national_one(stage: PlaceResolver, text: str) -> None:
    doc = stage(make_doc(text))
    assert not [p for p in doc.places if "capital" in p.span.text.lower()]


def test_march_to_an_institution_is_in_the_capital(stage: PlaceResolver) -> None:
    doc = stage(make_doc("Some 200 Kenyan activists marched to the Supreme Court and "
                         "Parliament buildings with petitions."))
    found = [p for p in doc.places if p.span.text == "Supreme Court"]
    assert len(found) == 1 and found[0].place.name == "Nairobi" and found[0].precision == 1


def test_parliament_elsewhere_than_the_capital(stage: PlaceResolver) -> None:
    doc = stage(make_doc("South African protesters gathered outside Parliament on Tuesday."))
    assert [p.place.name for p in doc.places if p.span.text == "Parliament"] == ["Cape Town"]


def test_a_street_named_after_an_institution_is_no_institution(stage: PlaceResolver) -> None:
    doc = stage(make_doc("Kenyan protesters gathered at Kenyatta Avenue before heading to "
                         "Parliament Road."))
    assert not [p for p in doc.places if p.span.text == "Parliament"]


def test_an_institution_acting_is_no_place(stage: PlaceResolver) -> None:
    doc = stage(make_doc("Kenyan MPs sent the bill to parliament after a Supreme Court ruling."))
    assert not [p for p in doc.places if p.span.text.lower() in ("parliament", "supreme court")]


def test_national_act_is_at_the_capital_precision_3(gaz: Gazetteer) -> None:
    doc = make_doc("The government ordered a nationwide curfew to stop the riots.")
    doc.country = "Sri Lanka"
    place = choose_place(doc, 0, doc.text.index("ordered"), "Change to group/activity")
    assert place is not None and place.place.name == "Colombo" and place.precision == 3
    assert place.span.text == "government"  # the evidence is the national actor's words


@pytest.mark.parametrize("label", ["Armed clash", "Attack", "Grenade", "Peaceful protest"])
def test_an_event_in_the_field_stays_unplaced(gaz: Gazetteer, label: str) -> None:
    doc = make_doc("Government troops and the president's guard were attacked by gunmen.")
    doc.country = "Kenya"
    assert choose_place(doc, 0, doc.text.index("attacked"), label) is None


@pytest.mark.parametrize("text", [
    "Government forces were deployed after the unrest.",   # the government's forces
    "The state government announced a curfew.",            # a state's, not the nation's
    "Militants announced a new leader.",                   # no national actor
    "The president deployed the military to quell the violence.",  # where the troops go
])
def test_not_a_national_act(gaz: Gazetteer, text: str) -> None:
    doc = make_doc(text)
    doc.country = "Nigeria"
    assert national_act_place(doc, 0, "Change to group/activity", gaz) is None


def test_rival_governments_get_no_national_act(gaz: Gazetteer) -> None:
    doc = make_doc("The government declared a three day curfew.")
    doc.country = "Yemen"
    assert national_act_place(doc, 0, "Change to group/activity", gaz) is None
