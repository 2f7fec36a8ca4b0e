"""A nationality of people who are foreigners where they are says whose, never where.

Sentences written for these tests (documents built by hand, no spaCy model). Refugees,
hostages, expatriate staff, tourists and diplomats are named by their nationality because they
are abroad: "Malian refugees" are not in Mali, "an aid worker (Canadian)" was not kidnapped in
Canada. Such a demonym names no country, no generic actor it describes votes for its country,
and the word is no town either (Canadian, Texas).
"""

from __future__ import annotations

import pytest

from eventcoder.model import Actor, Document
from eventcoder.places import PlaceResolver

from conftest import place_document


@pytest.fixture(scope="module")
def stage(place_stage: PlaceResolver) -> PlaceResolver:
    return place_stage


def run(stage: PlaceResolver, text: str, source: str | None = None,
        actors: tuple[tuple[str, Actor], ...] = ()) -> Document:
    return stage(place_document(text, source, actors))


@pytest.mark.parametrize("text, nationality", [
    ("Gunmen kidnapped an international aid worker (Canadian) outside a school.", "Canada"),
    ("Militants abducted five Malian refugees at a water point.", "Mali"),
    ("Pirates seized a tanker and took its Indian crew hostage.", "India"),
    ("Two German tourists were robbed at gunpoint on a beach road.", "Germany"),
    ("Unknown men shot at a car carrying Egyptian diplomats.", "Egypt"),
])
def test_a_foreigners_nationality_names_no_country(stage: PlaceResolver, text: str,
                                                   nationality: str) -> None:
    doc = run(stage, text)
    assert doc.country != nationality
    assert all(p.place.country != nationality for p in doc.places)


def test_nor_does_the_generic_actor_it_describes(stage: PlaceResolver) -> None:
    text = "Gunmen abducted three Chinese engineers at a quarry."
    victims = Actor("Civilians", 7, "China", "generic")
    doc = run(stage, text, actors=(("Chinese engineers", victims),))
    assert doc.country is None


def test_the_place_the_text_names_still_decides(stage: PlaceResolver) -> None:
    doc = run(stage, "Gunmen abducted three Chinese engineers near Kaduna.")
    assert doc.country == "Nigeria"


def test_the_outlet_still_speaks_when_the_text_names_no_place(stage: PlaceResolver) -> None:
    doc = run(stage, "Gunmen kidnapped an aid worker (Canadian) outside a school.",
              source="Daily Nation (Kenya)")
    assert doc.country == "Kenya"


@pytest.mark.parametrize("text, country", [
    # a nationality on a place noun, or on the people of the country at home, still counts
    ("Militants attacked a small Kenyan town near the coast.", "Kenya"),
    ("Nigerian police dispersed the crowd with tear gas.", "Nigeria"),
])
def test_other_demonyms_keep_their_weight(stage: PlaceResolver, text: str, country: str) -> None:
    assert run(stage, text).country == country
