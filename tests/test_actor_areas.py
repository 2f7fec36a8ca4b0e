"""Actors that say where: the ``areas`` of actors.yaml, observers, and identity militias.

An actor's home ground (a regional group's provinces, a monitoring mission's area) is weak
context for the places stage: among a name's namesakes inside the article's country it prefers
one inside those areas, but only where the text itself says nothing that tells them apart, and
it never makes a place of its own. Sentences written for these tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from eventcoder.actors import ActorDictionary, load_actors, resolve_actor
from eventcoder.config import PipelineConfig
from eventcoder.errors import DataError
from eventcoder.gazetteer import get_gazetteer
from eventcoder.model import Actor, Article, Document
from eventcoder.places import PlaceResolver

from conftest import place_document

ACTORS = load_actors()
NAF = "NAF: United Armed Forces of Novorossiya"
SMM = "OSCE SMM: OSCE Special Monitoring Mission to Ukraine"
DONBAS = ("Donetsk", "Luhansk")


# -- the data --------------------------------------------------------------------------------


def _with_areas() -> list[tuple[str, str, str]]:
    named = [(name, entry.country or "", area) for name, entry in ACTORS.actors.items()
             for area in entry.areas]
    units = [(unit.name, country.name, area) for country in ACTORS.countries.values()
             for unit in country.units for area in unit.areas]
    assert units, "regional state forces (the Liyu Police) list their areas"
    groups = [(group.name, group.countries[0], area)
              for group in ACTORS.identity_groups.values() for area in group.areas]
    assert groups, "communal groups of one country (Turkana) list their areas"
    return named + units + groups


@pytest.mark.parametrize(("name", "country", "area"), _with_areas())
def test_each_area_is_one_admin1_unit_of_the_actors_country(name: str, country: str,
                                                            area: str) -> None:
    units = get_gazetteer().admin_units(area, country)
    assert [u.place.feature for u in units] == ["admin1"], (name, area, units)


def test_areas_are_given_where_the_home_ground_is_narrow() -> None:
    # regional groups and a mission carry areas; national actors and transnational groups none
    assert ACTORS.actors[NAF].areas == DONBAS
    assert ACTORS.actors[SMM].areas == DONBAS
    assert ACTORS.actors["BLA: Baloch Liberation Army"].areas == ("Balochistan",)
    assert ACTORS.actors["Taliban"].areas == ()
    assert all(not e.areas for e in ACTORS.actors.values() if e.country is None)
    assert all(not e.areas for e in ACTORS.actors.values() if e.inter in (5, 6, 7))


def test_the_areas_travel_on_the_actor_record_and_through_its_eras() -> None:
    actor = ACTORS.actors[NAF].actor()
    assert actor.areas == DONBAS
    assert resolve_actor(actor, "Ukraine", dt.date(2019, 5, 1)).areas == DONBAS


def _load(text: str) -> ActorDictionary:
    actors = ActorDictionary()
    actors.load("<test>", "version: 1\ncountries:\n  - {name: Kenya, demonyms: [Kenyan]}\n"
                          + text)
    return actors


def test_a_regional_force_carries_its_units_areas() -> None:
    liyu = ACTORS.actor_for_id("@police:Ethiopia:Liyu Police")
    assert liyu is not None and (liyu.country, liyu.areas) == ("Ethiopia", ("Somali",))
    national = ACTORS.actor_for_id("@police:Ethiopia")
    assert national is not None and national.areas == ()


def test_a_communal_group_of_several_countries_has_no_areas() -> None:
    assert ACTORS.identity_groups["Pokot"].areas == ("West Pokot", "Baringo")
    assert ACTORS.identity_groups["Fulani"].areas == ()
    with pytest.raises(DataError, match="'areas' needs exactly one country"):
        ActorDictionary().load("<test>", "version: 1\ncountries: [{name: Kenya}, {name: Uganda}]\n"
                               "identity_groups:\n  - {name: Lakeside, countries: [Kenya, Uganda],"
                               " areas: [Busia]}\n")


def test_a_portable_unit_has_no_areas() -> None:
    with pytest.raises(DataError, match="portable unit has no 'areas'"):
        _load("units:\n  - {name: Night Watch, force: police, areas: [Turkana]}\n")


def test_areas_need_a_home_country() -> None:
    with pytest.raises(DataError, match="'areas' needs a home 'country'"):
        _load("actors:\n  - {name: Roaming Band, inter: 3, country: null, areas: [Turkana]}\n")


def test_an_observer_is_a_kind_of_its_own_and_other_kinds_fail() -> None:
    loaded = _load("actors:\n  - {name: Lake Watch Mission, inter: 8, country: Kenya,"
                   " kind: observer, areas: [Turkana]}\n")
    assert loaded.actors["Lake Watch Mission"].actor() == Actor(
        "Lake Watch Mission", 8, "Kenya", "observer", ("Turkana",))
    with pytest.raises(DataError, match="'kind' must be"):
        _load("actors:\n  - {name: Lake Watch Mission, inter: 8, country: Kenya, kind: witness}\n")


@pytest.mark.parametrize("name", [
    # ethnic and communal groups of the conflicts the engine covers, beyond East Africa's
    "Kuki", "Meitei", "Sinhalese", "Konkomba", "Zaghawa", "Nande", "Shilluk", "Eggon", "Ogiek",
])
def test_communal_groups_of_several_regions_are_known(name: str) -> None:
    assert name in ACTORS.identity_groups


def test_no_identity_group_is_a_common_english_word() -> None:
    # matched in their own case, but a capitalised sentence opener must still be a group:
    # names such as "Fur", "Bari" or "Hamar" are left out for that reason
    common = {"fur", "bari", "hamar", "tama", "bozo", "somali", "bengali", "moran"}
    # nor do whole nations whose "youths" are far more often victims than raiders
    common |= {"tamil", "igbo"}
    names = {a.lower() for g in ACTORS.identity_groups.values() for a in g.aliases}
    assert not names & common


# -- the places stage, on hand-built documents (no spaCy model) --------------------------------


@pytest.fixture(scope="module")
def stage(place_stage: PlaceResolver) -> PlaceResolver:
    return place_stage


def run(stage: PlaceResolver, text: str, actors: tuple[tuple[str, Actor], ...] = (),
        observers: tuple[tuple[str, Actor], ...] = ()) -> Document:
    return stage(place_document(text, actors=actors, observers=observers))


def admin1s(doc: Document) -> list[str | None]:
    return [p.place.admin1 for p in doc.places if p.place.feature != "country"]


SEPARATISTS = Actor("Separatist forces", 2, "Ukraine", "named", DONBAS)
MONITORS = Actor("Ceasefire monitors", 8, "Ukraine", "observer", DONBAS)
# Mykhaylivka / Mykhailivka: villages of that name lie in a dozen Ukrainian oblasts, the
# largest in Zaporizhzhia, smaller ones in Luhansk and Donetsk
VILLAGE = "Mykhaylivka"


def test_without_an_actor_the_largest_namesake_wins(stage: PlaceResolver) -> None:
    doc = run(stage, f"Ukraine: explosions were heard overnight near {VILLAGE}.")
    assert admin1s(doc) == ["Zaporizhzhia"]


def test_an_actors_home_ground_picks_the_namesake_inside_it(stage: PlaceResolver) -> None:
    text = f"Separatist forces fired mortars overnight near {VILLAGE}, Ukraine."
    doc = run(stage, text, actors=(("Separatist forces", SEPARATISTS),))
    assert admin1s(doc)[0] in DONBAS


def test_an_observers_area_counts_as_an_actors(stage: PlaceResolver) -> None:
    text = f"Ceasefire monitors recorded 40 explosions near {VILLAGE}."
    doc = run(stage, text, observers=(("Ceasefire monitors", MONITORS),))
    assert doc.country == "Ukraine"
    assert admin1s(doc)[0] in DONBAS


def test_a_province_the_text_names_outranks_the_actors_area(stage: PlaceResolver) -> None:
    text = f"Separatist forces fired mortars near {VILLAGE} in Zaporizhzhia oblast, Ukraine."
    doc = run(stage, text, actors=(("Separatist forces", SEPARATISTS),))
    assert "Zaporizhzhia" in admin1s(doc)
    assert not set(admin1s(doc)) & set(DONBAS)


def test_an_area_never_makes_a_place_of_its_own(stage: PlaceResolver) -> None:
    doc = run(stage, "Separatist forces fired mortars overnight, Ukraine's army said.",
              actors=(("Separatist forces", SEPARATISTS),))
    assert admin1s(doc) == []


def test_an_actor_at_home_elsewhere_says_nothing_of_this_countrys_namesakes(
        stage: PlaceResolver) -> None:
    # the areas are read only in the actor's own country, the article's
    abroad = Actor("Border raiders", 3, "Russia", "named", ("Belgorod",))
    text = f"Ukraine: explosions were heard overnight near {VILLAGE}; Border raiders were blamed."
    doc = run(stage, text, actors=(("Border raiders", abroad),))
    assert admin1s(doc) == ["Zaporizhzhia"]


# -- with the real nlp and actors stages ---------------------------------------------------------


@pytest.fixture(scope="module")
def tag() -> Callable[[str], Document]:
    from eventcoder.actors import make_actors
    from eventcoder.nlp import make_nlp

    config = PipelineConfig()
    nlp, actors = make_nlp(config), make_actors(config)

    def run_text(text: str) -> Document:
        article = Article(id="t", text=text, published=dt.date(2020, 5, 1))
        return actors(nlp(Document(article=article, text=text)))

    return run_text


@pytest.mark.slow
def test_a_regional_force_named_in_the_text_brings_its_area(
        tag: Callable[[str], Document]) -> None:
    doc = tag("Somali Liyu Police fired on herders at a well on Tuesday, elders said.")
    assert [(m.actor.country, m.actor.areas) for m in doc.actors
            if m.actor.kind == "state"] == [("Ethiopia", ("Somali",))]


@pytest.mark.slow
def test_a_monitoring_mission_is_an_observer_not_a_side(tag: Callable[[str], Document]) -> None:
    doc = tag("The OSCE Special Monitoring Mission recorded 30 explosions near Zolote on Sunday.")
    assert [m.actor.name for m in doc.observers] == [SMM]
    assert SMM not in [m.actor.name for m in doc.actors]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "name", "country"), [
    ("Kuki gunmen attacked a hill village before dawn.", "Kuki Ethnic Militia", "India"),
    ("Eggon militiamen attacked a village near the river.", "Eggon Ethnic Militia", "Nigeria"),
    ("Shilluk fighters raided a cattle camp at dawn.", "Shilluk Ethnic Militia", "South Sudan"),
])
def test_a_communal_group_with_a_militia_noun_is_its_ethnic_militia(
        tag: Callable[[str], Document], text: str, name: str, country: str) -> None:
    militias = [m.actor for m in tag(text).actors if m.actor.inter == 4]
    assert [(a.name, a.country) for a in militias] == [(name, country)]
    assert militias[0].areas  # each of these groups lives in one country's named provinces
    assert resolve_actor(militias[0], None).name == f"{name} ({country})"


@pytest.mark.slow
def test_a_group_of_many_countries_takes_the_events(tag: Callable[[str], Document]) -> None:
    militias = [m.actor for m in tag("Zaghawa militiamen attacked a village.").actors
                if m.actor.inter == 4]
    assert militias[0].country is None
    assert resolve_actor(militias[0], "Chad").name == "Zaghawa Ethnic Militia (Chad)"


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "Kuki leaders met the governor in Imphal on Monday.",
    "Sinhalese traders reopened their shops in Kandy on Monday.",
])
def test_a_group_name_without_a_militia_noun_is_no_militia(
        tag: Callable[[str], Document], text: str) -> None:
    assert not [m for m in tag(text).actors if m.actor.inter == 4]


@pytest.mark.slow
def test_a_missions_report_places_its_event_in_the_missions_area() -> None:
    from eventcoder.ingest import article_from_text
    from eventcoder.pipeline import get_pipeline

    text = f"On 3 May, the OSCE SMM recorded 25 explosions near {VILLAGE}."
    doc = get_pipeline(PipelineConfig())(article_from_text(text, published=dt.date(2020, 5, 4)))
    assert [(e.country, e.admin1 in DONBAS) for e in doc.events] == [("Ukraine", True)]
    assert not any(SMM in (e.actor1 or "", e.actor2 or "") for e in doc.events)
