"""The event's place when a sentence names several: a road leading out of the province the
text states for the scene.

Sentences written for these tests (documents built by hand, no spaCy model); the villages in
them are invented, the areas and towns are real (docs/CODING.md, Geocoding).
"""

from __future__ import annotations

import pytest

from eventcoder.model import Document, PlaceMention
from eventcoder.places import PlaceResolver, choose_place

from conftest import place_document


@pytest.fixture(scope="module")
def stage(place_stage: PlaceResolver) -> PlaceResolver:
    return place_stage


def placed(stage: PlaceResolver, text: str, word: str) -> tuple[Document, PlaceMention]:
    doc = stage(place_document(text))
    mention = choose_place(doc, doc.sentence_of(doc.text.index(word)), doc.text.index(word))
    assert mention is not None, [(p.span.text, p.place.name) for p in doc.places]
    return doc, mention


def test_a_road_out_of_the_stated_province_does_not_move_the_event(
        stage: PlaceResolver) -> None:
    # the scene's village is unknown, the bracket states its province: the road's known end
    # (Yangon) is where the road leads, not where the bomb went off
    doc, mention = placed(stage, "On Monday, in Kwenzari town (Pyapon district, Ayeyarwady "
                          "region) a parcel bomb went off beside a clinic on the "
                          "Kwenzari-Yangon road.", "bomb")
    assert mention.place.admin1 == "Ayeyarwady"
    assert mention.precision == 2
    assert not [p for p in doc.places if p.place.admin1 == "Yangon"]


def test_the_known_end_may_come_first(stage: PlaceResolver) -> None:
    _doc, mention = placed(stage, "In Kwenzari town (Pyapon district, Ayeyarwady region) gunmen "
                           "stopped a bus on the Yangon-Kwenzari road.", "gunmen")
    assert mention.place.admin1 == "Ayeyarwady"


def test_a_road_end_inside_the_stated_province_stays(stage: PlaceResolver) -> None:
    doc, mention = placed(stage, "On Monday, in Kwenzari village (Yangon region) a parcel bomb "
                          "went off beside a clinic on the Kwenzari-Yangon road.", "bomb")
    assert mention.place.admin1 == "Yangon"
    assert [p for p in doc.places if p.span.text == "Yangon"]


def test_a_road_with_no_stated_province_keeps_its_known_end(stage: PlaceResolver) -> None:
    _doc, mention = placed(stage, "On Monday a parcel bomb went off beside a clinic on the "
                           "Kwenzari-Yangon road.", "bomb")
    assert mention.place.admin1 == "Yangon"


# --- a distance from a town: the event is not in it ----------------------------------------

def test_a_distance_joined_to_its_unit_names_a_reference_point(stage: PlaceResolver) -> None:
    # "30km from" (no space) is the same phrase as "30 km from": near the town, precision 2,
    # and the county the clause states holds the event
    doc, mention = placed(stage, "Bandits ambushed a lorry in Kilifi County, 30km from "
                          "Mombasa.", "ambushed")
    assert [p.precision for p in doc.places if p.span.text == "Mombasa"] == [2]
    assert mention.place.admin1 == "Kilifi"
    assert mention.precision == 3


def test_a_distance_outside_a_town_is_not_the_town(stage: PlaceResolver) -> None:
    _doc, mention = placed(stage, "Bandits ambushed a lorry in Kwale County, 25km outside of "
                           "Mombasa.", "ambushed")
    assert mention.place.admin1 == "Kwale"


def test_just_outside_a_town_is_still_near_it(stage: PlaceResolver) -> None:
    _doc, mention = placed(stage, "Bandits ambushed a lorry just outside Mombasa.", "ambushed")
    assert mention.place.admin1 == "Mombasa"
    assert mention.precision == 2
