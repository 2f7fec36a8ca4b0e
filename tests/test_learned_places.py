"""The model's places (``places.csv`` of ``eventcoder train``) and how they reach a document.

Every row and text here is invented for the test (made-up villages in real countries), never
ACLED data. Documents are built by hand, without spaCy: the stage reads only text, spans,
sentences and the places stage's readings.
"""

from __future__ import annotations

import pytest

from eventcoder.learned import ModelPlaces, PlaceEntry, _choose_entry, apply_model_places, place_key
from eventcoder.model import Article, Document, Place, PlaceMention, Span
from eventcoder.train import place_entries


def _row(location: str, lat: str, lon: str, precision: str = "1", admin1: str = "Donetsk",
         country: str = "Ukraine") -> dict[str, str]:
    return {"location": location, "country": country, "latitude": lat, "longitude": lon,
            "geo_precision": precision, "admin1": admin1, "admin2": "", "admin3": ""}


def _entry(name: str, country: str, admin1: str, lat: float, count: int = 1, admin2: str | None = None) -> PlaceEntry:
    code = {"Ukraine": "UA", "Mexico": "MX", "Costa Rica": "CR", "Kenya": "KE"}[country]
    return PlaceEntry(name, country, code, lat, 30.0, admin1, admin2, None, count)


def test_the_point_comes_from_the_rows_that_state_it_best() -> None:
    # many coarse rows (province level, or a point rounded to two decimals) against few exact
    # ones: the exact point wins, whatever the counts
    rows = [_row("Olkhovka Nova", "48.1", "37.9", precision="3")] * 9
    rows += [_row("Olkhovka Nova", "48.12", "37.95")] * 7
    rows += [_row("Olkhovka Nova", "48.2761", "37.6404")] * 2
    (entry,) = place_entries(rows)
    assert (entry["latitude"], entry["longitude"], entry["count"]) == (48.2761, 37.6404, 18)


def test_one_name_in_two_provinces_keeps_two_entries() -> None:
    rows = [_row("Zavodske Mala", "48.0011", "37.5012")] * 3
    rows += [_row("Zavodske Mala", "47.5123", "35.2234", admin1="Zaporizhia")]
    entries = place_entries(rows)
    assert sorted((e["admin1"], e["latitude"]) for e in entries) == [("Donetsk", 48.0011), ("Zaporizhia", 47.5123)]


def test_an_entry_is_chosen_only_in_the_countries_the_text_states() -> None:
    options = [_entry("San Tomasito", "Costa Rica", "San Jose", 9.9, count=5)]
    assert _choose_entry(options, ["Mexico"], "in san tomasito") is None
    assert _choose_entry(options, [], "in san tomasito") is options[0]


def test_the_text_s_province_chooses_among_namesakes() -> None:
    often = _entry("Zavodske Mala", "Ukraine", "Zaporizhia", 47.5, count=9)
    other = _entry("Zavodske Mala", "Ukraine", "Donetsk", 48.0, count=1)
    text = place_key("Russian forces shelled Zavodske Mala, Donetsk.")
    assert _choose_entry([often, other], ["Ukraine"], text) is other
    assert _choose_entry([often, other], ["Ukraine"], place_key("Shelling hit Zavodske Mala.")) is often


def _doc(text: str, places: list[PlaceMention], country: str | None = None) -> Document:
    doc = Document(article=Article(id="t", text=text), text=text, sentences=[(0, len(text))],
                   language="en")
    doc.places = places
    doc.country = country
    return doc


def _mention(text: str, name: str, place: Place, precision: int = 1) -> PlaceMention:
    start = text.index(name)
    return PlaceMention(Span(start, start + len(name), name), place, 0, precision)


def test_a_province_qualifying_a_town_stays_the_province() -> None:
    text = "On 3 May 2024, in Tlacotepec Viejo, Veracruz, gunmen shot at a police station."
    town = Place("Tlacotepec Viejo", "Mexico", "MX", 18.2, -94.4, admin1="Veracruz", feature="supplement")
    doc = _doc(text, [_mention(text, "Tlacotepec Viejo", town)], country="Mexico")
    places = ModelPlaces([
        PlaceEntry("Veracruz", "Mexico", "MX", 19.19, -96.15, "Veracruz", None, None, 50),
        PlaceEntry("Tlacotepec Viejo", "Mexico", "MX", 18.21, -94.41, "Veracruz", "Minatitlan", None, 2),
    ])
    out = apply_model_places(doc, places)
    assert [p.span.text for p in out.places] == ["Tlacotepec Viejo"]
    assert out.places[0].place.admin2 == "Minatitlan"


def _town_and_state(text: str) -> Document:
    """The text's village (a supplement entry) and, after it, the state Veracruz as the places
    stage reads it; the model knows Veracruz city."""
    town = Place("Tlacotepec Viejo", "Mexico", "MX", 18.2, -94.4, admin1="Veracruz", feature="supplement")
    state = Place("Veracruz", "Mexico", "MX", 19.5, -96.9, admin1="Veracruz", feature="admin1")
    doc = _doc(text, [_mention(text, "Tlacotepec Viejo", town), _mention(text, "Veracruz", state, 3)],
               country="Mexico")
    places = ModelPlaces([PlaceEntry("Veracruz", "Mexico", "MX", 19.19, -96.15, "Veracruz", None, None, 50)])
    return apply_model_places(doc, places)


def test_the_town_of_a_province_s_name_is_kept_when_the_text_says_town() -> None:
    out = _town_and_state(
        "On 3 May 2024, police dispersed traders in Tlacotepec Viejo, Veracruz city and Xalapa.")
    assert [(p.span.text, p.place.feature, p.place.latitude) for p in out.places][1] == ("Veracruz", "supplement", 19.19)


def test_a_province_read_by_the_places_stage_in_qualifier_position_is_kept() -> None:
    out = _town_and_state("On 3 May 2024, police dispersed traders in Tlacotepec Viejo, Veracruz.")
    assert [p.place.feature for p in out.places] == ["supplement", "admin1"]


def test_a_near_spelling_in_another_country_does_not_keep_out_the_export_s_place() -> None:
    # the gazetteer read "Kiborosi" as a look-alike town abroad; the export knows Kiborosi in
    # Kenya: the look-alike states no country, so the export's place is taken
    text = "On 3 May 2024, herders clashed in Kiborosi over water."
    lookalike = Place("Kiborozy", "Ukraine", "UA", 50.0, 30.0, feature="city")
    doc = _doc(text, [_mention(text, "Kiborosi", lookalike)], country="Ukraine")
    doc.places = [PlaceMention(doc.places[0].span, lookalike, 0, 1)]
    places = ModelPlaces([PlaceEntry("Kiborosi", "Kenya", "KE", 0.61, 35.3, "Baringo", None, None, 4)])
    out = apply_model_places(doc, places)
    assert [(p.place.name, p.place.country) for p in out.places] == [("Kiborosi", "Kenya")]
    assert out.country == "Kenya"


@pytest.mark.parametrize("country", ["Mexico", None])
def test_a_name_the_export_knows_only_abroad_is_not_added_where_the_text_states_a_country(country: str | None) -> None:
    text = "On 3 May 2024, in Tlacotepec Viejo, Veracruz, two men were shot in Colonia San Tomasito."
    town = Place("Tlacotepec Viejo", "Mexico", "MX", 18.2, -94.4, admin1="Veracruz", feature="supplement")
    doc = _doc(text, [_mention(text, "Tlacotepec Viejo", town)], country=country)
    places = ModelPlaces([PlaceEntry("San Tomasito", "Costa Rica", "CR", 9.9, -84.1, "San Jose", None, None, 5)])
    out = apply_model_places(doc, places)
    assert [p.place.name for p in out.places] == ["Tlacotepec Viejo"]


@pytest.mark.parametrize(("text", "found"), [
    ("On 3 May 2024, a mortar round fell in Kilimani Ndogo district of Mombasa.", ["Mombasa - Kilimani Ndogo"]),
    ("On 3 May 2024, a mortar round fell in Kilimani Ndogo district.", []),
])
def test_a_district_is_found_by_its_own_name_only_beside_its_city(text: str, found: list[str]) -> None:
    # every city has its "North Zone" or "Central": the district's name alone names the
    # export's district only when the text names its city as well
    places = ModelPlaces([PlaceEntry("Mombasa - Kilimani Ndogo", "Kenya", "KE", -4.05, 39.66, "Mombasa", None, None, 3)])
    out = apply_model_places(_doc(text, [], country="Kenya"), places)
    assert [p.place.name for p in out.places] == found
