"""The places stage on hand-written sentences (documents built by hand, no spaCy model), and
on the seed article with the real spaCy model.

Precision follows CODEBOOK.md sec. 7: a named town 1; near a town, its countryside, a road
between towns 2; a province only 3 at its capital; a country alone is flagged
(``feature == "country"``, no coordinates) and never chosen as an event's place.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eventcoder.config import PipelineConfig
from eventcoder.model import Actor, ActorMention, Article, Document, PlaceMention, Span
from eventcoder.places import (
    PlaceResolver,
    acled_admin1_names,
    choose_place,
    country_cues,
    main_place,
    make_places,
    place_words,
)

from conftest import place_document


@pytest.fixture(scope="module")
def stage(place_stage: PlaceResolver) -> PlaceResolver:
    return place_stage


def make_doc(text: str, actors: list[tuple[str, str]] = ()) -> Document:  # type: ignore[assignment]
    """A document with sentences split at full stops and the given actor names marked."""
    return place_document(text, actors=[(surface, Actor(name, 2)) for surface, name in actors])


def places(stage: PlaceResolver, text: str, **kw: object) -> Document:
    return stage(make_doc(text, **kw))  # type: ignore[arg-type]


def only(doc: Document, surface: str) -> PlaceMention:
    found = [p for p in doc.places if p.span.text == surface]
    assert len(found) == 1, [(p.span.text, p.place.name) for p in doc.places]
    return found[0]


def test_named_town_is_precision_1(stage: PlaceResolver) -> None:
    doc = places(stage, "Gunmen attacked a police checkpoint in Kismayo on Monday.")
    assert doc.country == "Somalia"
    mention = only(doc, "Kismayo")
    assert mention.precision == 1
    assert mention.place.geonameid == 55671
    assert doc.text[mention.span.start:mention.span.end] == "Kismayo"


def test_near_a_town_is_precision_2(stage: PlaceResolver) -> None:
    doc = places(stage, "Russian forces shelled positions near Orikhiv, Zaporizhzhia oblast.")
    assert doc.country == "Ukraine"
    assert only(doc, "Orikhiv").precision == 2
    # the oblast after the town only says where the town is
    chosen = choose_place(doc, 0, doc.text.index("shelled"))
    assert chosen is not None and chosen.span.text == "Orikhiv"


def test_near_the_town_of_x_is_precision_2(stage: PlaceResolver) -> None:
    doc = places(stage, "Gunmen attacked a checkpoint near the town of Kismayo on Monday.")
    assert only(doc, "Kismayo").precision == 2
    doc = places(stage, "Gunmen attacked a checkpoint in the town of Kismayo on Monday.")
    assert only(doc, "Kismayo").precision == 1
    doc = places(stage, "Gunmen attacked a village near the southern town of Kismayo on Monday.")
    assert only(doc, "Kismayo").precision == 2
    doc = places(stage, "Gunmen attacked a village in the southern town of Kismayo on Monday.")
    assert only(doc, "Kismayo").precision == 1


def test_countryside_is_precision_2_at_the_town(stage: PlaceResolver) -> None:
    doc = places(stage, "Regime forces shelled villages in the Idlib countryside.")
    mention = only(doc, "Idlib")
    assert (mention.precision, mention.place.geonameid) == (2, 169389)


def test_province_only_is_precision_3_at_its_capital(stage: PlaceResolver) -> None:
    doc = places(stage, "A new coalition of armed groups was formed in Idlib province.")
    mention = only(doc, "Idlib")
    assert mention.precision == 3
    assert mention.place.admin1 == "Idlib"
    assert mention.place.geonameid == 169389  # the provincial capital's point


def test_road_between_two_towns_is_precision_2_at_the_first(stage: PlaceResolver) -> None:
    doc = places(stage, "A bus was attacked on the Mandera-Elwak road on Tuesday.")
    assert doc.country == "Kenya"
    mention = only(doc, "Mandera")
    assert mention.precision == 2 and mention.place.feature == "city"
    assert not [p for p in doc.places if p.span.text == "Elwak"]


def test_road_connecting_a_to_b(stage: PlaceResolver) -> None:
    doc = places(stage, "A bomb went off on a road connecting Mandera to Elwak, killing two.")
    mention = choose_place(doc, 0, doc.text.index("bomb"))
    assert mention is not None
    assert (mention.span.text, mention.precision) == ("Mandera", 2)


def test_road_from_a_big_city_is_placed_at_the_small_town(stage: PlaceResolver) -> None:
    # Garissa (a city of over 100,000) is ten times Dadaab: the road is located by Dadaab
    doc = places(stage, "A bomb went off on a road connecting Garissa to Dadaab, killing two.")
    mention = choose_place(doc, 0, doc.text.index("bomb"))
    assert mention is not None
    assert (mention.span.text, mention.precision) == ("Dadaab", 2)


def test_country_only_is_flagged_and_never_chosen(stage: PlaceResolver) -> None:
    doc = places(stage, "Protests against fuel prices were reported in Kenya.")
    assert doc.country == "Kenya"
    mention = only(doc, "Kenya")
    assert mention.place.feature == "country"
    assert mention.place.latitude is None and mention.precision == 3
    assert choose_place(doc, 0, doc.text.index("Protests")) is None
    assert main_place(doc) is None


def test_admin_named_in_the_text_picks_the_namesake(stage: PlaceResolver) -> None:
    # Daura is a town in Katsina and one in Yobe: the state named after it decides
    yobe = places(stage, "Gunmen attacked Daura, Yobe state, overnight.")
    katsina = places(stage, "Gunmen attacked Daura, Katsina state, overnight.")
    assert only(yobe, "Daura").place.admin1 == "Yobe"
    assert only(katsina, "Daura").place.admin1 == "Katsina"


def test_country_from_several_places(stage: PlaceResolver) -> None:
    doc = places(stage, "Clashes in Kisumu spread to Homa Bay and Migori on Tuesday.")
    assert doc.country == "Kenya"
    assert {p.place.country for p in doc.places} == {"Kenya"}


def test_actor_names_are_not_places(stage: PlaceResolver) -> None:
    text = "Fighters of the Idlib Free Army clashed with regime forces in Saraqib."
    doc = places(stage, text, actors=[("Idlib Free Army", "Idlib Free Army")])
    assert [p.span.text for p in doc.places] == ["Saraqib"]
    assert doc.country == "Syria"


def test_capitalised_words_are_not_places(stage: PlaceResolver) -> None:
    doc = places(stage, "Police dispersed the crowd. Mobile phones were seized by the Army.")
    assert doc.places == []
    assert doc.country is None


def test_choose_place_clause_sentence_and_previous(stage: PlaceResolver) -> None:
    text = ("Protesters marched in Nairobi on Monday, while police fired tear gas in Mombasa. "
            "Two people were arrested.")
    doc = places(stage, text)
    assert choose_place(doc, 0, text.index("marched")).span.text == "Nairobi"  # type: ignore[union-attr]
    assert choose_place(doc, 0, text.index("fired")).span.text == "Mombasa"  # type: ignore[union-attr]
    # no place in the trigger's sentence: the nearest previous sentence that names one
    assert choose_place(doc, 1, text.index("arrested")).sentence == 0  # type: ignore[union-attr]


def test_empty_document(stage: PlaceResolver) -> None:
    doc = stage(make_doc(""))
    assert doc.places == [] and doc.country is None


def test_place_words_load() -> None:
    words = place_words()
    assert words.admin_after.match(" governorate")
    assert words.near_before.search("clashes near ")
    assert "police" in words.not_places


def test_cue_words_before_a_name_are_searched_as_their_pattern_would() -> None:
    """EndWords skips texts its test rules out; on any text it finds what the pattern finds."""
    import yaml
    from importlib import resources

    data = yaml.safe_load((resources.files("eventcoder") / "data" / "place_words.yaml").read_text(
        encoding="utf-8"))
    words = place_words()
    for key in ("admin_before", "town_before", "near_before"):
        gated = getattr(words, key)
        assert gated.ends  # read from the data: the test is on
        texts = []
        for word in data[key]:
            for form in (word, word.upper(), word.title(), word.replace(" ", "  \n")):
                texts += [f"fighting {form} ", f"fighting {form} the ", f"x-{form}\t", form,
                          f"{form} THE  ", f"{form}s ", f"{form}, ", f"the {form} of the "]
        texts += ["", " ", "the ", "in the ", "Ri\u017fle near \u212aismayo "]
        for text in texts:
            expected = gated.pattern.search(text)
            found = gated.search(text)
            assert (found and found.span()) == (expected and expected.span()), (key, text)


@pytest.mark.slow
def test_seed_article_places(shared_dir: Path) -> None:
    """The seed's places, from its own spellings, with the real spaCy model."""
    spacy = pytest.importorskip("spacy")
    nlp = spacy.load(PipelineConfig().spacy_model)
    text = (shared_dir / "seed" / "000_0a35fa250ab60b8c.txt").read_text(encoding="utf-8")
    sdoc = nlp(text)
    doc = Document(article=Article(id="seed", text=text), text=text, spacy_doc=sdoc,
                   sentences=[(s.start_char, s.end_char) for s in sdoc.sents])
    doc = make_places(PipelineConfig())(doc)
    assert doc.country == "Syria"
    ids = {p.place.geonameid for p in doc.places}
    assert {174259, 170865} <= ids  # al-Dana, Darkoush
    darkoush = [p for p in doc.places if p.place.geonameid == 170865]
    assert darkoush[0].precision == 2  # "in Darkoush region"
    road = [p for p in doc.places if p.span.text in ("Idlib", "Ma\u2019arat Mesrin")
            and doc.text[p.span.end:p.span.end + 6].lstrip("-\u2019 ").startswith(("Ma", "road"))]
    assert road and all(p.precision == 2 for p in road)
    ma_arat = [p for p in doc.places if "Mesrin" in p.span.text]
    assert all(p.place.geonameid == 167605 for p in ma_arat)


def test_part_of_a_province_is_not_its_capital(stage: PlaceResolver) -> None:
    doc = places(stage, "A bomb hit a car in Darkoush region in western Idlib.")
    darkoush = only(doc, "Darkoush")
    idlib = only(doc, "Idlib")
    assert (darkoush.precision, darkoush.place.geonameid) == (2, 170865)
    assert idlib.precision == 3
    chosen = choose_place(doc, 0, doc.text.index("hit"))
    assert chosen is not None and chosen.span.text == "Darkoush"


# --- country evidence -------------------------------------------------------------------------


def test_admin_area_holding_a_place_outweighs_a_foreign_namesake(stage: PlaceResolver) -> None:
    # Kinda is a Swedish district and no Syrian town GeoNames knows; "in Idleb" names the
    # province holding it, so the unknown village is placed at the province's seat, precision 2
    doc = places(stage, "Regime forces shelled Kinda in Idleb on Monday.")
    assert doc.country == "Syria"
    assert [p.place.country for p in doc.places] == ["Syria"]
    mention = only(doc, "Idleb")
    assert (mention.place.admin1, mention.precision) == ("Idlib", 2)


def test_direction_words_alone_are_no_places(stage: PlaceResolver) -> None:
    # "Northwestern" is Zambia's North-Western province only by name
    doc = places(stage, "Clashes continued in Northwestern Syria on Tuesday.")
    assert doc.country == "Syria"
    assert not [p for p in doc.places if p.span.text == "Northwestern"]


def test_pieces_of_an_unknown_name_are_no_places(stage: PlaceResolver) -> None:
    # "Sulayman" (Soliman, Tunisia) and "Kandi" (Kandi, Benin) are parts of one unknown name
    doc = places(stage, "A bomb exploded near Sulayman Kandi on Friday.")
    assert doc.places == [] and doc.country is None


def test_big_cities_name_the_country(stage: PlaceResolver) -> None:
    # Puno is also an alternate name of Pune; Puno and Lima together are Peru
    doc = places(stage, "Residents of Puno city protested against the return of travellers "
                        "stranded in Lima.")
    assert doc.country == "Peru"
    assert only(doc, "Puno").place.admin1 == "Puno"


def test_a_country_named_across_a_border_is_the_other_side(stage: PlaceResolver) -> None:
    doc = places(stage, "Soldiers fired in the town of Gorom-Gorom near the border with Mali.")
    assert doc.country == "Burkina Faso"
    assert only(doc, "Gorom-Gorom").precision == 1


def test_capitalised_particle_that_is_a_city(stage: PlaceResolver) -> None:
    doc = places(stage, "Protesters gathered in Van on Sunday.")
    assert doc.country == "Turkey"
    assert only(doc, "Van").place.admin1 == "Van"


def test_misspelt_admin_area_is_matched_among_admin_units(stage: PlaceResolver) -> None:
    doc = places(stage, "Villagers protested in Makeuni county on Friday.")
    assert doc.country == "Kenya"
    assert doc.places[0].place.admin1 == "Makueni"


# --- links: "X, Y", "X (Y, Z)", "X in Y" -------------------------------------------------------


def test_bracketed_admin_chain_places_the_town_and_hides_the_areas(stage: PlaceResolver) -> None:
    doc = places(stage, "Gunmen attacked Musawa (Musawa LGA, Katsina) overnight.")
    assert doc.country == "Nigeria"
    assert [(p.span.text, p.place.admin1) for p in doc.places] == [("Musawa", "Katsina")]
    chosen = choose_place(doc, 0, doc.text.index("attacked"))
    assert chosen is not None and (chosen.span.text, chosen.precision) == ("Musawa", 1)


def test_unknown_village_in_a_district_is_placed_at_its_seat(stage: PlaceResolver) -> None:
    # the village is invented; Yagha is a province of Burkina Faso (GeoNames admin2)
    doc = places(stage, "Militants burned houses in Kpatchegou village (Yagha province).")
    assert doc.country == "Burkina Faso"
    mention = only(doc, "Yagha")
    assert (mention.place.admin1, mention.precision) == ("Sahel", 2)


def test_place_outside_its_named_area_is_not_that_place(stage: PlaceResolver) -> None:
    # GeoNames' only Berezivske lies in Kharkiv oblast; the text puts this one in Luhansk
    doc = places(stage, "Artillery fire was reported near Berezivske, Luhansk oblast, on Monday.")
    assert doc.country == "Ukraine"
    assert {p.place.admin1 for p in doc.places} == {"Luhansk"}


def test_list_of_towns_is_not_a_chain(stage: PlaceResolver) -> None:
    # Homa Bay is a town and a county: in a list it is the town, and Kisumu stays Kisumu
    doc = places(stage, "Protesters blocked roads in Kisumu, Homa Bay and Migori on Monday.")
    assert [p.place.name for p in doc.places] == ["Kisumu", "Homa Bay", "Migori"]
    assert all(p.precision == 1 for p in doc.places)


def test_road_between_a_bracketed_town_and_another(stage: PlaceResolver) -> None:
    doc = places(stage, "Militants abducted a trader between Djibo (Djibo, Soum) and Bourzanga.")
    chosen = choose_place(doc, 0, doc.text.index("abducted"))
    assert chosen is not None
    assert (chosen.place.name, chosen.precision) == ("Djibo", 2)
    assert not [p for p in doc.places if p.span.text in ("Soum", "Bourzanga")]


def test_place_named_as_a_reference_point_is_near(stage: PlaceResolver) -> None:
    doc = places(stage, "Clashes erupted in Sirwah district west of Marib city on Saturday.")
    assert only(doc, "Marib").precision == 2
    chosen = choose_place(doc, 0, doc.text.index("Clashes"))
    assert chosen is not None and chosen.span.text == "Sirwah"


def test_town_and_province_of_one_name_is_the_town(stage: PlaceResolver) -> None:
    town = places(stage, "Demonstrators marched in Kirkuk on Saturday.").places
    province = places(stage, "Demonstrators marched in Kirkuk province on Saturday.").places
    assert [(p.place.name, p.precision) for p in town] == [("Kirkuk", 1)]
    assert [(p.place.name, p.precision) for p in province] == [("Kirkuk", 3)]


def test_admin1_is_written_under_acleds_name(stage: PlaceResolver) -> None:
    # GeoNames files Salfit under its governorate; ACLED's admin1 is the West Bank
    doc = places(stage, "Settlers uprooted olive trees in Salfit on Tuesday.")
    assert [(p.place.name, p.place.admin1) for p in doc.places] == [("Salfīt", "West Bank")]
    doc = places(stage, "Fighters arrived at the port of Hadibu, Socotra, on Friday.")
    assert {p.place.admin1 for p in doc.places} == {"Suqutra"}


def test_a_city_locating_a_town_of_its_province_is_no_event_place(stage: PlaceResolver) -> None:
    doc = places(stage, "Russian forces came to Vasylivka, Zaporizhia and stole property.")
    assert [p.place.name for p in doc.places] == ["Vasylivka"]
    chosen = choose_place(doc, 0, doc.text.index("stole"))
    assert chosen is not None and chosen.place.admin1 == "Zaporizhzhia"


def test_admin1_names_file_is_well_formed() -> None:
    names = acled_admin1_names()
    assert len(names) >= 50
    for (code, ours), acled in names.items():
        assert len(code) == 2 and code.isupper(), code
        assert ours and acled and ours != acled, (code, ours)


@pytest.mark.parametrize(
    ("text", "country"),
    [
        # English words with a capital are no hamlets abroad ("Grenade" is no Grenada); a
        # country's name inside an organisation's name still names the country
        ("Grenade attack kills public works officer and injures member of Kenya Red Cross.",
         "Kenya"),
        # of two namesake districts and towns, the larger: Colombo in Sri Lanka, not in Brazil
        ("Workers protested opposite the railway station in Colombo City (Colombo, Colombo "
         "district).", "Sri Lanka"),
        # the last area of a bracketed chain is the writer's statement of the province; a
        # province whose name only folds to the same key ("Acre" for "Accra") is not it
        ("Protesters blocked the road near the power plant in Joubb Jannine (West Bekaa).",
         "Lebanon"),
        ("A party secretary was arrested in Accra (Accra) for assault.", "Ghana"),
        # where people fled to or came from is not where the event happened
        ("Gunmen attacked a police post in Wajir on Monday and fled into Somalia.", "Kenya"),
    ],
)
def test_country_evidence(stage: PlaceResolver, text: str, country: str) -> None:
    assert places(stage, text).country == country


@pytest.mark.parametrize(
    ("text", "name", "admin1"),
    [
        # a possessive is the place's name ("one of Kisumu's slums")
        ("In one of Kisumu's slums, youths barricaded roads.", "Kisumu", "Kisumu"),
    ],
)
def test_a_possessive_names_the_place(stage: PlaceResolver, text: str, name: str,
                                                  admin1: str) -> None:
    doc = places(stage, text)
    assert doc.country == "Kenya"
    assert (name, admin1) in [(p.place.name, p.place.admin1) for p in doc.places]


def test_country_cues_file_is_well_formed(stage: PlaceResolver) -> None:
    cues = country_cues()
    assert len(cues.country_of) >= 100
    for country in set(cues.country_of.values()):
        assert stage.gazetteer.country(country) is not None, country


@pytest.mark.parametrize(
    ("text", "country"),
    [
        # a national party places the article in its country, even with no place named
        ("A clash erupted between UPFA and UNP supporters. A woman was injured.", "Sri Lanka"),
        ("ODM infighting becomes riot as party supporters dispute primary results.", "Kenya"),
        # a nationality in the plural
        ("Kenyans take to the streets to protest against the government.", "Kenya"),
        ("Kenya's president ordered the army to restore calm.", "Kenya"),
        # a province's own name inside a longer name still names it
        ("A group of 500 Nakuru Matatu drivers protested a killing by police.", "Kenya"),
    ],
)
def test_country_without_a_placed_name(stage: PlaceResolver, text: str, country: str) -> None:
    assert places(stage, text).country == country


def test_acronyms_match_in_their_case_only() -> None:
    cues = country_cues()
    assert cues.countries("UNP supporters marched.") == {"unp": "Sri Lanka"}
    assert cues.countries("The unp was closed.") == {}
    assert cues.countries("the Awami league office") == {"awami league": "Bangladesh"}


def test_abroad_country_is_weak_evidence(stage: PlaceResolver) -> None:
    # a town, even a small one, outweighs the country the attackers came from
    doc = places(stage, "Gunmen from Somalia attacked a police post in Mandera.")
    assert doc.country == "Kenya"
    fled = places(stage, "The attackers fled into Somalia after the raid.")
    # alone the country is still the best the text offers, but it is never a placed event
    assert all(p.place.feature == "country" for p in fled.places)


def test_police_of_a_country_name_it(stage: PlaceResolver) -> None:
    text = "Kenyan police arrested two Somali nationals on Monday."
    doc = make_doc(text)
    doc.actors.append(ActorMention(Span(0, 13, "Kenyan police"),
                                   Actor("Police Forces", 1, "Kenya", "state"), 0))
    assert stage(doc).country == "Kenya"


@pytest.mark.parametrize(
    ("text", "surface", "precision"),
    [
        ("Militants attacked a village in the area of Gorom-Gorom.", "Gorom-Gorom", 2),
        ("Russian forces attacked in the direction of Toshkivka, Luhansk.", "Toshkivka", 2),
        # a named part of a town is the town, precision 1
        ("Police fired tear gas in the Soba area of Khartoum.", "Khartoum", 1),
        ("Police defused two grenades in Upuldeniya, an area of Anuradhapura city.",
         "Anuradhapura", 1),
        # "near" wins over the word that names the town; the outskirts are the town itself
        ("A group of protesters staged a protest near Batticaloa city.", "Batticaloa", 2),
        ("Gunmen attacked a checkpoint on the outskirts of Djibo.", "Djibo", 1),
        # a road word before a hyphenated pair of towns
        ("An army unit neutralized an IED on the axis Djibo-Bourzanga.", "Djibo", 2),
        # members of a list before a plural type word share it
        ("The coalition conducted air raids on Harib and Al Jubah districts (Marib).", "Harib",
         2),
        ("Members of Chatra Dal staged a protest in Narsingdi Sadar upazila (Dhaka).",
         "Narsingdi", 2),
    ],
)
def test_area_words_and_precision(stage: PlaceResolver, text: str, surface: str,
                                  precision: int) -> None:
    assert only(places(stage, text), surface).precision == precision


# --- with the real spaCy model ------------------------------------------------------------


@pytest.fixture(scope="module")
def parsed() -> object:
    spacy = pytest.importorskip("spacy")
    nlp = spacy.load(PipelineConfig().spacy_model)

    def parse(text: str) -> Document:
        sdoc = nlp(text)
        return Document(article=Article(id="t", text=text), text=text, spacy_doc=sdoc,
                        sentences=[(s.start_char, s.end_char) for s in sdoc.sents])

    return parse


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "country", "admin1"),
    [
        # the only place is inside an organisation's name: where the body sits is the place
        ("The Van Governor's Office extended the ban on all protests for 15 days.", "Turkey",
         "Van"),
        ("Students of the Kisumu Girls' School went on strike on Monday.", "Kenya", "Kisumu"),
        # a name in brackets after a place is its area, whatever entity spaCy makes of it
        ("Workers blocked the road in front of the Habib Bourguiba International Airport "
         "(Monastir) on Friday.", "Tunisia", "Monastir"),
    ],
)
def test_places_inside_names(stage: PlaceResolver, parsed: Any, text: str, country: str,
                             admin1: str) -> None:
    doc = stage(parsed(text))
    assert doc.country == country
    assert [p.place.admin1 for p in doc.places] == [admin1]


def test_an_unnamed_town_is_the_one_named_before(stage: PlaceResolver) -> None:
    text = ("Rebels seized the town of Kirumba on Thursday. Fighting broke out at the entrance to "
            "the town, a trading hub on the road north from Goma. Police patrolled Goma.")
    doc = places(stage, text)
    second = doc.text.index("Fighting")
    chosen = choose_place(doc, doc.sentence_of(second), second)
    assert chosen is not None and chosen.span.text == "Kirumba"
    # a place the clause names for itself stays the event's
    third = doc.text.index("patrolled")
    chosen = choose_place(doc, doc.sentence_of(third), third)
    assert chosen is not None and chosen.span.text == "Goma"


# -- wire datelines and hyphenated names (places.dateline_end, name_particles) ------------------


def test_dateline_end_finds_the_wire_city() -> None:
    from eventcoder.places import dateline_end

    assert dateline_end("MOGADISHU, Somalia, March 3 (Wire) - Gunmen attacked a hotel.") == 9
    assert dateline_end("COTABATO CITY \u2014 A grenade exploded.") == len("COTABATO CITY")
    assert dateline_end("Gunmen attacked a hotel in Mogadishu. It burned.") == 0
    assert dateline_end("UN - The council met.") == 0  # two capitals: an acronym


def test_dateline_names_the_country_when_the_body_names_no_known_place(
        stage: PlaceResolver) -> None:
    doc = places(stage, "MAIDUGURI \u2014 Gunmen killed five farmers on Tuesday, residents said.")
    assert doc.country == "Nigeria"
    chosen = choose_place(doc, 0, doc.text.index("killed"))
    assert chosen is not None and chosen.place.name == "Maiduguri"


def test_a_place_in_the_event_clause_beats_the_dateline(stage: PlaceResolver) -> None:
    doc = places(stage, "NAIROBI \u2014 Police dispersed traders in Eldoret on Monday.")
    assert doc.country == "Kenya"
    chosen = choose_place(doc, 0, doc.text.index("dispersed"))
    assert chosen is not None and chosen.place.name == "Eldoret"


def test_dateline_keeps_a_small_namesake_abroad_out(stage: PlaceResolver) -> None:
    # a suburb GeoNames lacks is not the namesake town of another country
    doc = places(stage, "BULAWAYO \u2014 Police arrested 12 vendors at a market in Hillside "
                        "on Friday.")
    assert doc.country == "Zimbabwe"
    assert all(p.place.country == "Zimbabwe" for p in doc.places), [
        (p.span.text, p.place.country) for p in doc.places]


def test_dateline_city_over_a_namesake_province_abroad(stage: PlaceResolver) -> None:
    doc = places(stage, "BENI \u2014 Rebels killed nine people in Beni territory on Friday.")
    assert doc.country == "Democratic Republic of Congo"


def test_hyphenated_name_with_a_french_particle(stage: PlaceResolver) -> None:
    doc = places(stage, "Protesters burned tyres in central Port-au-Prince on Monday.")
    assert doc.country == "Haiti"
    assert only(doc, "Port-au-Prince").place.name == "Port-au-Prince"


def test_dateline_outlet_in_brackets_names_no_place(stage: PlaceResolver) -> None:
    doc = places(stage, "KANO, Nigeria, May 4 (Savanna Wire) - Gunmen abducted 12 traders "
                        "near Kura on Friday.")
    assert doc.country == "Nigeria"
    assert not [p for p in doc.places if p.span.text == "Wire"]


def test_direction_adjective_keeps_the_name_locative(stage: PlaceResolver) -> None:
    # "in central Niger" is the country, not a namesake town elsewhere
    doc = places(stage, "Soldiers were ambushed between two villages in central Niger on Monday.")
    assert doc.country == "Niger"


def test_function_word_namesake_does_not_hide_a_longer_name(stage: PlaceResolver) -> None:
    # "In Dera" is a namesake somewhere; the name after the function word is the place
    doc = places(stage, "In Dera Ghazi Khan, police arrested two suspects on Friday.")
    assert doc.country == "Pakistan"
    assert only(doc, "Dera Ghazi Khan").place.country == "Pakistan"


def test_province_located_by_a_city_holds_the_event(stage: PlaceResolver) -> None:
    doc = places(stage, "In Kunar province, east of Jalalabad, gunmen killed two guards on "
                        "Sunday.")
    chosen = choose_place(doc, 0, doc.text.index("killed"))
    assert chosen is not None and chosen.place.admin1 == "Kunar"
    assert chosen.precision == 3


def test_unnamed_part_of_a_town_is_the_town(stage: PlaceResolver) -> None:
    doc = places(stage, "Shells hit a northern district of Donetsk on Friday.")
    mention = only(doc, "Donetsk")
    assert mention.place.feature != "admin1" and mention.precision == 1
    # "the district of X" names the district itself
    doc = places(stage, "Troops clashed with rebels in the district of Kurram on Monday.")
    assert only(doc, "Kurram").precision == 2


def test_dateline_is_in_no_list_with_the_body(stage: PlaceResolver) -> None:
    # the dateline's city, left unread abroad, is no unknown part of the event's town
    doc = make_doc("DUSHANBE (Wire) \u2014 A bomb exploded outside a mosque in the northern "
                   "Afghan city of Kunduz on Friday.")
    body = doc.text.index("A bomb")
    doc.sentences = [(0, body), (body, len(doc.text))]  # as the splitter cuts after the dash
    doc = stage(doc)
    chosen = choose_place(doc, doc.sentence_of(doc.text.index("exploded")),
                          doc.text.index("exploded"))
    assert chosen is not None and chosen.place.admin1 == "Kunduz" and chosen.precision == 1


def test_english_word_of_a_longer_name_is_no_namesake(stage: PlaceResolver) -> None:
    doc = places(stage, "Protesters burned copies of the Housing Bill on Tuesday.")
    assert doc.places == [] and doc.country is None  # "Bill" is no short name of Billings


def test_half_of_an_unknown_hyphenated_name_is_no_namesake(stage: PlaceResolver) -> None:
    # GeoNames lists "Pont" as a short name of French towns called "Pont-..."
    for text in ("Gunmen stormed Pont-Hakim on Monday.", "Gunmen stormed Pont-Gaude on Monday."):
        doc = places(stage, text)
        assert doc.places == [] and doc.country is None, [
            (p.span.text, p.place.name) for p in doc.places]


def test_near_a_name_is_a_town_rather_than_a_namesake_province_abroad(
        stage: PlaceResolver) -> None:
    doc = places(stage, "Rebels ambushed a convoy about 15 km from Beni on Sunday.")
    assert doc.country == "Democratic Republic of Congo"


def test_possessive_ends_a_name(stage: PlaceResolver) -> None:
    # "Kampala's" is the town; the unknown name after it is a part of it, not of its name
    doc = places(stage, "A blast hit a bar in Kampala's Kawempe Mbogo division on Sunday.")
    assert doc.country == "Uganda"
    assert only(doc, "Kampala's").place.name == "Kampala"


# -- the areas a text states, the people and journeys it names --------------------------------


def test_a_direction_named_province_holding_an_unknown_town_gives_the_admin1(
        stage: PlaceResolver) -> None:
    # "Central" is Sri Lanka's Central Province where the text is about Sri Lanka (the UNP is a
    # Sri Lankan party); the town GeoNames lacks is somewhere in it: precision 2 at its capital
    doc = places(stage, "Gunmen opened fire on the house of a UNP supporter in Peradeniya, "
                        "Central.")
    assert doc.country == "Sri Lanka"
    chosen = choose_place(doc, 0, doc.text.index("opened"))
    assert chosen is not None and chosen.place.admin1 == "Central" and chosen.precision == 2


def test_a_direction_word_alone_names_no_country(stage: PlaceResolver) -> None:
    # a dozen countries have a Western province: the word says nothing of which
    doc = places(stage, "Monks staged a protest in Aluthgama town, Western, on Friday.")
    assert doc.country is None


def test_a_town_named_in_the_sentence_beats_the_province_of_an_unknown_place(
        stage: PlaceResolver) -> None:
    doc = places(stage, "In Port-au-Prince - Tabarre, Ouest, residents erected barricades.")
    chosen = choose_place(doc, 0, doc.text.index("erected"))
    assert chosen is not None and chosen.place.name == "Port-au-Prince"
    assert chosen.precision == 1


@pytest.mark.parametrize(
    ("text", "admin1"),
    [
        # the towns of a road lie in the areas after it; a namesake elsewhere is no end of it
        ("Gunmen killed two travellers along the Ochadam-Okele-Ejule road (Ofu, Kogi).",
         "Kogi"),
        # a highway leaving another division's city: the stretch in Tangail is the place
        ("Protesters burned tires on the Mymensingh-Jamalpur highway, Ghatail upazila "
         "(Tangail, Dhaka).", "Dhaka"),
    ],
)
def test_a_road_lies_in_the_areas_the_text_puts_it_in(stage: PlaceResolver, text: str,
                                                       admin1: str) -> None:
    doc = places(stage, text)
    assert {p.place.admin1 for p in doc.places if p.place.feature != "country"} == {admin1}


@pytest.mark.parametrize(
    ("text", "admin1"),
    [
        ("The army clashed with the TNLA in Muse district, Shan state.", "Shan-North"),
        ("Protesters marched in Taunggyi on Sunday.", "Shan-South"),
        ("Police arrested ten protesters in Tachileik.", "Shan-East"),
        ("Soldiers raided a village near Pyay.", "Bago-West"),
        ("Soldiers raided a village near Taungoo.", "Bago-East"),
    ],
)
def test_myanmar_admin1_follows_acleds_split_of_shan_and_bago(stage: PlaceResolver, text: str,
                                                               admin1: str) -> None:
    doc = places(stage, text)
    assert {p.place.admin1 for p in doc.places} == {admin1}


def test_a_people_named_like_a_place_is_no_place(stage: PlaceResolver) -> None:
    # the people's county is no place where the text names one
    doc = places(stage, "Turkana raiders killed two herders in Baringo county.")
    assert doc.country == "Kenya"
    assert {p.place.admin1 for p in doc.places} == {"Baringo"}
    # nor is a town of the people's name ever
    doc = places(stage, "Most of the victims were Kikuyu, police said.")
    assert [p for p in doc.places if p.place.feature != "country"] == []
    # where the text names no place, the people's home county is the best it says
    doc = places(stage, "Turkana raiders killed a girl and stole cattle from a village.")
    assert [(p.place.admin1, p.precision) for p in doc.places] == [("Turkana", 3)]
    # in a place slot it is the place
    doc = places(stage, "Clashes in Turkana left two people dead.")
    assert only(doc, "Turkana").place.admin1 == "Turkana"


def test_where_a_journey_started_is_not_the_scene(stage: PlaceResolver) -> None:
    doc = places(stage, "Special forces arrested a journalist in Shabwah governorate as he was "
                        "travelling from Aden to see his family.")
    chosen = choose_place(doc, 0, doc.text.index("arrested"))
    assert chosen is not None and chosen.place.admin1 == "Shabwah"
    # named alone, the home of a person is the best the text says
    doc = places(stage, "Gunmen killed a trader from Gao on Monday.")
    chosen = choose_place(doc, 0, doc.text.index("killed"))
    assert chosen is not None and chosen.place.name == "Gao"


def test_a_country_named_only_as_a_border_or_a_destination_is_not_the_scene(
        stage: PlaceResolver) -> None:
    doc = places(stage, "Unknown gunmen killed a police officer near the border with Somalia.")
    assert doc.country is None
    doc = places(stage, "Kenyan police arrested two men attempting to cross into Somalia.")
    assert doc.country == "Kenya"


@pytest.mark.parametrize(
    ("text", "country", "admin1"),
    [
        # a loose namesake abroad (Kwale, Kenya) contradicts the province the text states
        ("Militants vandalised the mayor's office in the town of Coalla (Coalla, Gnagna).",
         "Burkina Faso", "Est"),
        ("An IED struck a cart between Solle (Solle, Loroum) and Ingane.", "Burkina Faso",
         "Nord"),
        # "wa" (Arabic "and") inside a district's name; the district says which Al Jawf
        ("Houthi fighters deployed to the front (Khabb wa Ash Shaaf, Al Jawf).", "Yemen",
         "Al Jawf"),
        # ACLED's own name of a province
        ("Warplanes struck PKK positions in Dinarta district of Ninewa.", "Iraq", "Ninewa"),
    ],
)
def test_the_areas_a_text_states_decide_between_namesakes(stage: PlaceResolver, text: str,
                                                          country: str, admin1: str) -> None:
    doc = places(stage, text)
    assert doc.country == country
    assert {p.place.admin1 for p in doc.places if p.place.feature != "country"} == {admin1}


def test_a_group_fighting_in_a_few_countries_keeps_hamlets_abroad_out(
        stage: PlaceResolver) -> None:
    jnim = "JNIM: Group for Support of Islam and Muslims"
    # GeoNames' only Mansila is Gobernador Mansilla, Argentina: no place for JNIM's war
    doc = places(stage, "JNIM militants abducted two members in Tiabongou (Mansila, Mansila).",
                 actors=[("JNIM", jnim)])
    assert doc.country is None and doc.places == []
    # a country the text names clearly still wins
    doc = places(stage, "JNIM militants attacked a police post in Kafolo, Ivory Coast.",
                 actors=[("JNIM", jnim)])
    assert doc.country == "Ivory Coast"
    # and a town of the region is placed as before
    doc = places(stage, "JNIM militants attacked an army post near Djibo.",
                 actors=[("JNIM", jnim)])
    assert doc.country == "Burkina Faso" and only(doc, "Djibo").precision == 2


def test_an_admin_word_only_some_countries_use_keeps_namesakes_abroad_out(
        stage: PlaceResolver) -> None:
    # Matungu is unknown; GeoNames' loose namesakes are Tanzanian: "sub-county" is Kenyan or
    # Ugandan
    doc = places(stage, "Ten houses were torched in Mirere village, Matungu sub-county.")
    assert doc.country not in ("Tanzania",)
    assert all(p.place.country in ("Kenya", "Uganda") for p in doc.places)
    # "Sadar" is a type word ("the headquarters upazila of Narsingdi"), no place of its own
    doc = places(stage, "Locals killed a man in Narsingdi Sadar upazila on Sunday.")
    assert doc.country == "Bangladesh"
    assert [(p.place.admin1, p.precision) for p in doc.places] == [("Dhaka", 2)]


def test_admin_word_countries_are_known_countries(stage: PlaceResolver) -> None:
    pairs = place_words().admin_word_countries
    assert len(pairs) >= 10
    for _pattern, countries in pairs:
        assert countries and all(stage.gazetteer.country(c) is not None for c in countries)


@pytest.mark.parametrize(
    ("text", "surface", "precision"),
    [
        # a hromada (territorial community) is an area around its town: precision 2 at the
        # town
        ("Drones dropped explosives on a settlement of the Krasnopillia territorial community, "
         "Sumy.", "Krasnopillia", 2),
        # a front named after an unknown place in a known district: somewhere in it
        ("Airstrikes targeted Al Mijazah frontline (Baqim, Sadah).", "Baqim", 2),
    ],
)
def test_parts_of_areas_are_precision_2(stage: PlaceResolver, text: str, surface: str,
                                        precision: int) -> None:
    doc = places(stage, text)
    chosen = choose_place(doc, 0, 0)
    assert chosen is not None and chosen.span.text == surface
    assert chosen.precision == precision


def test_a_city_joined_to_one_of_its_districts_is_the_city(stage: PlaceResolver) -> None:
    # ACLED's "City - District" (CODEBOOK.md sec. 7): the city, precision 1
    doc = places(stage, "Militants hurled a grenade at a police post in Mogadishu-Bondhere "
                        "district (Bondhere, Banadir).")
    chosen = choose_place(doc, 0, doc.text.index("hurled"))
    assert chosen is not None and chosen.place.name == "Mogadishu" and chosen.precision == 1


def test_a_sadar_upazila_lies_in_the_area_after_it(stage: PlaceResolver) -> None:
    # the headquarters upazila of Narsingdi, in Dhaka division: Dhaka only says where it is
    doc = places(stage, "BNP members staged a protest in Narsingdi Sadar upazila (Dhaka).")
    chosen = choose_place(doc, 0, doc.text.index("protest"))
    assert chosen is not None and chosen.span.text == "Narsingdi" and chosen.precision == 2
    assert chosen.place.admin1 == "Dhaka"


@pytest.mark.parametrize(
    ("text", "admin1"),
    [
        # capitals' provinces under ACLED's names, not GeoNames' romanisation or short form
        ("Protesters gathered in Pyongyang.", "Pyongyang"),
        ("Protesters gathered in Canberra.", "Australian Capital Territory"),
    ],
)
def test_capital_provinces_take_acled_names(stage: PlaceResolver, text: str, admin1: str) -> None:
    doc = places(stage, text)
    assert [p.place.admin1 for p in doc.places] == [admin1]
