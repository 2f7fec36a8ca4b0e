"""The actor dictionary's lookups and resolution, and the actors stage on hand-written texts.

Stage tests run the real spaCy model (marked ``slow``); the texts are written for these tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from eventcoder import actors as actors_module
from eventcoder.actors import (
    Actor,
    load_actors,
    make_actors,
    resolve_actor,
    spelling_variants,
)
from eventcoder.config import PipelineConfig
from eventcoder.errors import DataError
from eventcoder.model import ActorMention, Article, Document

ACTORS = load_actors()

# Real spellings of group names in English-language news, and the ACLED actor they name. Several
# are not listed in the data file and come from the spelling variants generated at load time.
ALIASES = [
    ("Hay'at Tahrir al-Sham", "HTS: Hayat Tahrir al Sham"),
    ("Hayat Tahrir al Sham", "HTS: Hayat Tahrir al Sham"),
    ("Hay'at Tahrir ash-Sham", "HTS: Hayat Tahrir al Sham"),
    ("Tahrir al-Sham Hay'at", "HTS: Hayat Tahrir al Sham"),
    ("Levant Liberation Board", "HTS: Hayat Tahrir al Sham"),
    ("Levant Liberation Committee", "HTS: Hayat Tahrir al Sham"),
    ("Al-Nusra Front", "HTS: Hayat Tahrir al Sham"),
    ("Jabhat al-Nusra", "HTS: Hayat Tahrir al Sham"),
    ("Jabhat el-Nusra", "HTS: Hayat Tahrir al Sham"),
    ("Nusra Front", "HTS: Hayat Tahrir al Sham"),
    ("Jabhat Fatah al-Sham", "HTS: Hayat Tahrir al Sham"),
    ("HTS", "HTS: Hayat Tahrir al Sham"),
    ("Faylaq al-Sham", "Al Sham Corps"),
    ("Failaq al Sham", "Al Sham Corps"),
    ("Jeish al-Nasr", "Jaish al Nasr"),
    ("Jaysh al-Nasr", "Jaish al Nasr"),
    ("Jeish al-Nukhbah", "Jaish al Nukhba"),
    ("Ahrar ash-Sham", "AAS: Ahrar al Sham"),
    ("Ahrar al-Sham", "AAS: Ahrar al Sham"),
    ("Nur al-Din al-Zinki", "Nour al Din al Zenki Movement"),
    ("National Front for Liberation", "NLF: National Liberation Front"),
    ("Syrian Democratic Forces", "QSD: Syrian Democratic Forces"),
    ("Daesh", "Islamic State"),
    ("ISIL", "Islamic State"),
    ("ISIS-K", "Islamic State (Afghanistan)"),
    ("Al-Shabab", "Al Shabaab"),
    ("al Shabaab", "Al Shabaab"),
    ("Harakat al-Shabaab al-Mujahidin", "Al Shabaab"),
    ("Tehreek-e-Taliban Pakistan", "TTP: Tehreek-i-Taliban Pakistan"),
    ("Tehrik-i-Taliban Pakistan", "TTP: Tehreek-i-Taliban Pakistan"),
    ("Jama'at Nusrat al-Islam wal-Muslimin", "JNIM: Group for Support of Islam and Muslims"),
    ("Islamic State in the Greater Sahara", "Islamic State (Greater Sahara)"),
    ("ISWAP", "Islamic State (West Africa)"),
    ("Boko Haram", "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad"),
    ("Ansar Allah", "Military Forces of Yemen (2016-) Supreme Political Council"),
    ("Houthis", "Military Forces of Yemen (2016-) Supreme Political Council"),
    ("Saudi-led coalition", "Operation Restoring Hope"),
    ("US-led coalition", "Global Coalition Against Daesh"),
    ("Mouvement du 23 mars", "M23: March 23 Movement"),
    ("Allied Democratic Forces", "ADF: Allied Democratic Forces"),
    ("Rapid Support Forces", "RSF: Rapid Support Forces"),
    ("Kurdistan Workers' Party", "PKK: Kurdistan Workers Party"),
    ("Cartel Jalisco Nueva Generacion", "CJNG: Jalisco New Generation Cartel"),
    ("Clan del Golfo", "Gulf Clan"),
    ("Ejercito de Liberacion Nacional", "ELN: National Liberation Army"),
    ("FARC dissidents", "FARC Dissident: Revolutionary Armed Forces of Colombia Dissident Faction"),
    ("Lashkar-e-Toiba", "LeT: Lashkar-e-Taiba"),
    ("Tamil Tigers", "LTTE: Liberation Tigers of Tamil Eelam"),
    ("Arakan Army", "ULA/AA: United League of Arakan/Arakan Army"),
    ("People's Defence Force", "PDF: People's Defense Force"),
    ("Tigray Defence Forces", "TPLF: Tigray People's Liberation Front"),
    ("Comando Vermelho", "CV: Red Command"),
    ("al-Qaida", "Al Qaeda"),
    ("Hizbollah", "Hezbollah"),
    ("Izz ad-Din al-Qassam Brigades", "Al Qassam Brigades"),
]


@pytest.mark.parametrize(("surface", "name"), ALIASES, ids=[a for a, _ in ALIASES])
def test_alias_names_the_acled_actor(surface: str, name: str) -> None:
    actor = ACTORS.lookup(surface)
    assert actor is not None and actor.name == name


@pytest.mark.parametrize(
    ("surface", "country"),
    [("SAA", "Syria"), ("FARDC", "Democratic Republic of Congo"), ("ANDSF", "Afghanistan"),
     ("IDF", "Israel"), ("Tatmadaw", "Myanmar"), ("KDF", "Kenya"), ("Kenya Defence Forces", "Kenya")],
)
def test_army_names_are_state_forces_of_their_country(surface: str, country: str) -> None:
    actor = ACTORS.lookup(surface)
    assert actor == Actor("Military Forces", 1, country, "state")


@pytest.mark.parametrize(
    ("surface", "name"),
    [("al-Oula al-Saheliyeh", "First Coastal Division"), ("Jeish al-Nukhbah", "Jaish al Nukhba"),
     ("Liwa al-Horiyeh", "Liwa al Hurriya"), ("Tehrik i Taliban Pakistan", "TTP: Tehreek-i-Taliban Pakistan")],
)
def test_variant_spellings_come_from_rules_not_from_the_list(surface: str, name: str) -> None:
    listed = {alias.lower() for entry in ACTORS.actors.values() for alias in entry.aliases}
    assert surface.lower() not in listed
    actor = ACTORS.lookup(surface)
    assert actor is not None and actor.name == name


def test_acronyms_match_only_in_their_own_case() -> None:
    assert ACTORS.lookup("IS") is not None
    assert ACTORS.lookup("is") is None
    assert ACTORS.lookup("hts") is None


def test_spelling_variants_cover_hyphens_apostrophes_and_articles() -> None:
    variants = {v.lower() for v in spelling_variants("Hay'at Tahrir al-Sham", ACTORS.transliterations)}
    assert {"hayat tahrir al sham", "hay'at tahrir el-sham", "hayat tahrir ash-sham"} <= variants
    assert spelling_variants("HTS") == ["HTS"]


# -- resolution ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "on", "name"),
    [
        ("Kenya", dt.date(2010, 6, 1), "Police Forces of Kenya (2002-2013)"),
        ("Kenya", dt.date(2020, 6, 1), "Police Forces of Kenya (2013-2022)"),
        ("Kenya", dt.date(2023, 6, 1), "Police Forces of Kenya (2022-)"),
        ("Kenya", None, "Police Forces of Kenya (2022-)"),
        ("Syria", dt.date(2018, 5, 29), "Police Forces of Syria (2000-2024)"),
        ("Syria", dt.date(2025, 2, 1), "Police Forces of Syria (2024-)"),
        ("Myanmar", dt.date(2020, 5, 1), "Police Forces of Myanmar (2016-2021)"),
        ("Myanmar", dt.date(2021, 3, 1), "Police Forces of Myanmar (2021-)"),
        ("Democratic Republic of Congo", dt.date(2020, 1, 1),
         "Police Forces of the Democratic Republic of Congo (2019-)"),
        ("Bangladesh", dt.date(2024, 7, 20), "Police Forces of Bangladesh (2009-2024)"),
    ],
)
def test_state_forces_take_the_regime_of_the_event_date(
    country: str, on: dt.date | None, name: str
) -> None:
    police = Actor("Police Forces", 1, None, "state")
    assert resolve_actor(police, country, on).name == name


def test_forces_abroad_take_inter_8() -> None:
    turkish = Actor("Military Forces", 1, "Turkey", "state")
    home = resolve_actor(turkish, "Turkey", dt.date(2018, 5, 29))
    abroad = resolve_actor(turkish, "Syria", dt.date(2018, 5, 29))
    assert (home.name, home.inter) == ("Military Forces of Turkey (2016-)", 1)
    assert (abroad.name, abroad.inter) == ("Military Forces of Turkey (2016-)", 8)


@pytest.mark.parametrize(
    ("country", "event_country", "name"),
    [("Saudi Arabia", "Yemen", "Operation Restoring Hope"),
     ("United States", "Syria", "Global Coalition Against Daesh"),
     ("United States", "Somalia", "Military Forces of the United States (2021-2025)")],
)
def test_forces_abroad_coded_as_the_coalition_acled_uses(
    country: str, event_country: str, name: str
) -> None:
    actor = resolve_actor(Actor("Military Forces", 1, country, "state"), event_country, dt.date(2022, 3, 1))
    assert actor.name == name and actor.inter == 8


@pytest.mark.parametrize(
    ("name", "country", "expected"),
    [
        ("Unidentified Armed Group", "Syria", "Unidentified Armed Group (Syria)"),
        ("Civilians", "Kenya", "Civilians (Kenya)"),
        ("Protesters", "Kenya", "Protesters (Kenya)"),
        ("Rioters", "Bangladesh", "Rioters (Bangladesh)"),
        ("Islamic State", "Syria", "Islamic State (Syria)"),
        ("Islamic State", "Nigeria", "Islamic State (West Africa)"),
        ("Civilians", None, "Civilians (Unknown)"),
    ],
)
def test_generic_actors_take_the_country(name: str, country: str | None, expected: str) -> None:
    generic = ACTORS.generics.get(name)
    inter = generic.inter if generic else 2
    assert resolve_actor(Actor(name, inter, None, "generic"), country).name == expected


def test_generic_actor_keeps_its_own_country() -> None:
    syrians = Actor("Civilians", 7, "Syria", "generic")
    assert resolve_actor(syrians, "Turkey").name == "Civilians (Syria)"


def test_bare_force_of_no_known_country_is_unidentified() -> None:
    actor = resolve_actor(Actor("Military Forces", 1, None, "state"), None)
    assert (actor.name, actor.inter) == ("Unidentified Military Forces", 8)


@pytest.mark.parametrize(
    ("name", "on", "expected", "inter"),
    [
        ("Taliban", dt.date(2020, 5, 1), "Taliban", 2),
        ("Taliban", dt.date(2022, 5, 1), "Military Forces of Afghanistan (2021-)", 1),
        ("AMISOM: African Union Mission in Somalia (2007-)", dt.date(2022, 6, 1),
         "ATMIS: African Union Transition Mission in Somalia (2022-)", 8),
        ("Islamic State (Greater Sahara)", dt.date(2020, 5, 1), "Islamic State (Greater Sahara)", 2),
        ("Islamic State (Greater Sahara)", dt.date(2022, 5, 1), "Islamic State (Sahel)", 2),
        ("RSF: Rapid Support Forces", dt.date(2020, 5, 1),
         "Military Forces of Sudan (2019-) Rapid Support Forces", 1),
        ("RSF: Rapid Support Forces", dt.date(2023, 5, 1), "RSF: Rapid Support Forces", 2),
    ],
)
def test_named_actors_take_the_name_of_their_era(
    name: str, on: dt.date, expected: str, inter: int
) -> None:
    entry = ACTORS.actors[name]
    actor = resolve_actor(entry.actor(), entry.country, on)
    assert (actor.name, actor.inter) == (expected, inter)


@pytest.mark.parametrize(
    ("country", "expected"),
    [("Burkina Faso", "Police Forces of Burkina Faso (2015-2022) Gendarmerie"),
     ("Turkey", "Military Forces of Turkey (2016-) Gendarmerie"),
     ("Nigeria", "Military Forces of Nigeria (2015-2023)")],
)
def test_unit_names_resolve_by_the_country_of_the_event(country: str, expected: str) -> None:
    gendarmes = Actor("Military Forces Gendarmerie", 1, None, "state")
    assert resolve_actor(gendarmes, country, dt.date(2020, 1, 1)).name == expected


# -- user files --------------------------------------------------------------------------------


def test_user_file_adds_actors_and_aliases(tmp_path: Path) -> None:
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "version: 1\n"
        "actors:\n"
        "  - name: 'KLF: Kestrel Liberation Front'\n"
        "    inter: 2\n"
        "    country: Syria\n"
        "    aliases: [Kestrel Front, Jabhat al-Kestrel]\n"
        "  - name: 'HTS: Hayat Tahrir al Sham'\n"
        "    aliases: [Tahrir Board]\n",
        encoding="utf-8",
    )
    merged = load_actors(str(extra))
    assert merged.lookup("Jabhat el-Kestrel") == Actor("KLF: Kestrel Liberation Front", 2, "Syria")
    assert merged.lookup("Tahrir Board").name == "HTS: Hayat Tahrir al Sham"
    # the built-in aliases stay, and the built-in dictionary is not changed
    assert merged.lookup("Nusra Front").name == "HTS: Hayat Tahrir al Sham"
    assert load_actors().lookup("Tahrir Board") is None


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("version: 1\nactors:\n  - name: Foo\n    inter: 9\n", 3, "inter code"),
        ("version: 1\nactors:\n  - name: Foo\n    inter: 2\n    colour: red\n", 3, "unknown field"),
        ("version: 1\nactors:\n  - name: Foo\n    inter: 2\n    country: Atlantis\n", 3,
         "unknown country"),
        ("version: 1\nactors:\n  - name: Foo\n    inter: 2\n    aliases: [Nusra Front]\n", 3,
         "also names"),
        ("version: 1\nactors:\n  - name: Foo\n    inter: 2\n  - name: Foo\n    inter: 3\n", 5,
         "twice"),
        ("version: 1\nactors:\n  - name: Foo\n    inter: [2\n", 5, "not valid YAML"),
        ("version: 1\ncountries:\n  - name: Atlantis\n    regimes: [2020-01-01, 2010-01-01]\n", 3,
         "increasing"),
    ],
    ids=["inter", "field", "country", "collision", "duplicate", "syntax", "regimes"],
)
def test_bad_user_file_is_a_data_error_with_file_and_line(
    tmp_path: Path, text: str, line: int, reason: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_actors(str(bad))
    assert info.value.path == str(bad)
    assert info.value.line == line
    assert reason in info.value.reason
    assert str(info.value).startswith(f"{bad}:{line}: ")


def test_missing_user_file_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="cannot read"):
        load_actors(str(tmp_path / "absent.yaml"))


# -- the cache ---------------------------------------------------------------------------------


_KESTREL = (
    "version: 1\n"
    "actors:\n"
    "  - name: 'KLF: Kestrel Liberation Front'\n"
    "    inter: 2\n"
    "    country: Syria\n"
    "    aliases: [Jabhat al-Kestrel]\n"
)


def test_dictionary_is_loaded_once_whether_or_not_none_is_given() -> None:
    assert load_actors() is load_actors(None)


def test_a_new_process_reads_the_checked_dictionary_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVENTCODER_CACHE", str(tmp_path / "cache"))
    extra = tmp_path / "mine.yaml"
    extra.write_text(_KESTREL, encoding="utf-8")
    built = load_actors(str(extra))
    [cached] = (tmp_path / "cache").glob("actors-*.pickle")
    # what a new process does: the per-process cache is empty, the file is there
    read = actors_module._load_actors.__wrapped__(str(extra))
    assert read is not built and read.fingerprint == built.fingerprint
    assert read.actors == built.actors and read.countries == built.countries
    assert read.index() == built.index()
    assert read.lookup("Jabhat el-Kestrel") == Actor("KLF: Kestrel Liberation Front", 2, "Syria")
    assert list(read.surface_forms()) == list(built.surface_forms())
    # a changed source is a new entry; an unreadable entry is built again
    extra.write_text(_KESTREL.replace("Jabhat al-Kestrel", "Kestrel Front"), encoding="utf-8")
    changed = actors_module._load_actors.__wrapped__(str(extra))
    assert changed.fingerprint != built.fingerprint
    assert changed.lookup("Kestrel Front") is not None
    assert changed.lookup("Jabhat al-Kestrel") is None
    cached.write_bytes(b"not a pickle")
    extra.write_text(_KESTREL, encoding="utf-8")
    again = actors_module._load_actors.__wrapped__(str(extra))
    assert again.index() == built.index()
    assert len(list((tmp_path / "cache").glob("actors-*.pickle"))) == 2
    assert not list((tmp_path / "cache").glob("*.tmp"))


def test_an_unwritable_cache_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("EVENTCODER_CACHE", str(blocker / "cache"))
    extra = tmp_path / "mine.yaml"
    extra.write_text(_KESTREL, encoding="utf-8")
    assert load_actors(str(extra)).lookup("Jabhat al-Kestrel") is not None


# -- the stage ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tag() -> Callable[..., list[ActorMention]]:
    """``tag(text)``: the actor mentions the real nlp and actors stages find in ``text``."""
    from eventcoder.nlp import make_nlp

    config = PipelineConfig()
    nlp, actors = make_nlp(config), make_actors(config)

    def run(text: str, published: dt.date | None = dt.date(2020, 5, 1)) -> list[ActorMention]:
        article = Article(id="t", text=text, published=published)
        return actors(nlp(Document(article=article, text=text))).actors

    return run


def _named(mentions: list[ActorMention]) -> list[tuple[str, str]]:
    return [(m.span.text, m.actor.name) for m in mentions]


@pytest.mark.slow
def test_dictionary_names_override_the_model(tag: Callable[..., list[ActorMention]]) -> None:
    mentions = tag("Fighters of Tahrir al-Sham Hay'at (the Levant Liberation Board) attacked the town.")
    assert ("Tahrir al-Sham Hay'at", "HTS: Hayat Tahrir al Sham") in _named(mentions)
    assert ("Levant Liberation Board", "HTS: Hayat Tahrir al Sham") in _named(mentions)
    assert all(m.span.text == m.span.text.strip() for m in mentions)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "surface", "country"),
    [
        ("The Syrian army shelled the village.", "Syrian army", "Syria"),
        ("Turkish troops entered the town.", "Turkish troops", "Turkey"),
        ("Russian warplanes struck the market.", "Russian warplanes", "Russia"),
        ("A Turkish drone struck a car.", "Turkish drone", "Turkey"),
        ("Kenyan police fired tear gas.", "Kenyan police", "Kenya"),
        ("The Burkinabe air force bombed a convoy.", "Burkinabe air force", "Burkina Faso"),
        ("Turkey's army moved north.", "Turkey's army", "Turkey"),
        ("South Sudanese soldiers looted shops.", "South Sudanese soldiers", "South Sudan"),
        ("Congolese government forces retook the hill.", "Congolese government forces",
         "Democratic Republic of Congo"),
        ("Military forces of India fired across the line.", "Military forces of India", "India"),
    ],
)
def test_demonym_and_force_noun_name_that_states_forces(
    tag: Callable[..., list[ActorMention]], text: str, surface: str, country: str
) -> None:
    states = [m for m in tag(text) if m.actor.kind == "state"]
    assert [(m.span.text, m.actor.country) for m in states] == [(surface, country)]


@pytest.mark.slow
def test_a_spaced_dash_joins_no_words(tag: Callable[..., list[ActorMention]]) -> None:
    # a wire dateline's dash is no hyphen: "- Russian warplanes" are Russia's, unlike "pro-Russian"
    states = [m for m in tag("BEIRUT, March 8 (Reuters) - Russian warplanes struck the town.")
              if m.actor.kind == "state"]
    assert [(m.span.text, m.actor.country) for m in states] == [("Russian warplanes", "Russia")]
    assert not [m for m in tag("Pro-Russian fighters shelled the town.") if m.actor.country == "Russia"]


@pytest.mark.slow
def test_the_two_sides_are_the_parties_named_before(tag: Callable[..., list[ActorMention]]) -> None:
    text = ("On Saturday, Syrian troops and HTS fighters clashed near Saraqib. "
            "The same day, the two sides exchanged 30 detainees.")
    sides = [m for m in tag(text) if m.span.text == "the two sides"]
    assert [(m.actor.name, m.actor.country, m.sentence) for m in sides] == [
        ("Military Forces", "Syria", 1), ("HTS: Hayat Tahrir al Sham", "Syria", 1)
    ]
    # no two parties named before, or a side of a road: no actor
    assert not [m for m in tag("The two sides exchanged 30 detainees.") if m.span.text == "The two sides"]
    text = "Syrian troops and HTS fighters clashed. Mines lay on both sides of the road."
    assert not [m for m in tag(text) if "sides" in m.span.text]


@pytest.mark.slow
def test_the_rebels_are_the_group_named_just_before(tag: Callable[..., list[ActorMention]]) -> None:
    text = "M23 rebels seized the town of Kirumba. By Thursday the rebels held the town centre."
    later = [m for m in tag(text) if m.sentence == 1 and m.span.text == "rebels"]
    assert [m.actor.name for m in later] == ["M23: March 23 Movement"]
    # two groups named before: no telling which; an indefinite noun is not a reference back
    text = "M23 and ADF rebels attacked Beni. By Thursday the rebels held the town centre."
    assert [m.actor.name for m in tag(text) if m.span.text == "rebels" and m.sentence == 1] == ["Opposition Rebels"]
    text = "M23 rebels seized Kirumba. Other rebels attacked Beni."
    assert [m.actor.name for m in tag(text) if m.span.text == "rebels" and m.sentence == 1] == ["Opposition Rebels"]


@pytest.mark.slow
def test_backed_and_made_do_not_name_the_state(tag: Callable[..., list[ActorMention]]) -> None:
    mentions = tag("Turkish-backed factions used Russian-made rockets.")
    assert not [m for m in mentions if m.actor.kind == "state"]


@pytest.mark.slow
def test_bare_force_and_generic_nouns_wait_for_the_country(
    tag: Callable[..., list[ActorMention]],
) -> None:
    mentions = tag("Unknown gunmen killed two civilians before police arrived.")
    found = {(m.span.text, m.actor.name, m.actor.kind, m.actor.country) for m in mentions}
    assert ("Unknown gunmen", "Unidentified Armed Group", "generic", None) in found
    assert ("two civilians", "Civilians", "generic", None) in found or (
        "civilians", "Civilians", "generic", None) in found
    assert ("police", "Police Forces", "state", None) in found


@pytest.mark.slow
def test_demonym_gives_a_generic_actor_its_country(tag: Callable[..., list[ActorMention]]) -> None:
    civilians = [m for m in tag("Airstrikes killed Syrian civilians.") if m.actor.name == "Civilians"]
    assert [m.actor.country for m in civilians] == ["Syria"]


@pytest.mark.slow
def test_noun_that_only_describes_is_not_an_actor(tag: Callable[..., list[ActorMention]]) -> None:
    assert tag("A military analyst said the talks would fail.") == []


@pytest.mark.slow
def test_noun_after_a_group_joins_its_mention(tag: Callable[..., list[ActorMention]]) -> None:
    mentions = tag("Taliban militants stormed a checkpoint.")
    assert _named(mentions) == [("Taliban militants", "Taliban")]


@pytest.mark.slow
def test_every_listed_group_is_a_member(tag: Callable[..., list[ActorMention]]) -> None:
    text = (
        "The groups of Falcon Brigade, Jaysh al-Nasr, al-Burj Battalion, Faylaq al-Sham and "
        "7th Regiment have formed a new coalition in the north."
    )
    members = [(m.span.text, m.actor.name, m.actor.inter) for m in tag(text) if m.role == "member"]
    assert members == [
        ("Falcon Brigade", "Falcon Brigade", 2),
        ("Jaysh al-Nasr", "Jaish al Nasr", 2),
        ("al-Burj Battalion", "Al-Burj Battalion", 2),
        ("Faylaq al-Sham", "Al Sham Corps", 2),
        ("7th Regiment", "7th Regiment", 2),
    ]


@pytest.mark.slow
def test_listed_unknown_groups_are_political_militias_by_default(
    tag: Callable[..., list[ActorMention]],
) -> None:
    text = "Factions including the Red Hawks, Blue Lions and Black Wolves signed the pact."
    members = [(m.actor.name, m.actor.inter, m.actor.country) for m in tag(text) if m.role == "member"]
    assert members == [("Red Hawks", 3, None), ("Blue Lions", 3, None), ("Black Wolves", 3, None)]


@pytest.mark.slow
def test_a_list_of_places_is_not_a_list_of_groups(tag: Callable[..., list[ActorMention]]) -> None:
    mentions = tag("Rebel groups attacked several towns, including Idlib, Hama and Aleppo.")
    assert not [m for m in mentions if m.role == "member"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "surface", "name", "role"),
    [
        ("Residents protested against the eviction.", "Residents", "Protesters", None),
        ("Members of the teachers' union staged a sit-in outside the ministry.",
         "Members of the teachers' union", "Protesters", None),
        ("Police dispersed supporters of the opposition party.",
         "supporters of the opposition party", "Protesters", None),
        ("Angry villagers torched a bus.", "Angry villagers", "Rioters", None),
        ("A protest was held in the town centre.", "protest", "Protesters", "implied"),
    ],
)
def test_crowds_are_named_by_what_they_do(
    tag: Callable[..., list[ActorMention]], text: str, surface: str, name: str, role: str | None
) -> None:
    crowds = [(m.span.text, m.actor.name, m.role) for m in tag(text) if m.actor.name == name]
    assert (surface, name, role) in crowds


@pytest.mark.slow
def test_gunmen_who_torch_are_not_a_crowd(tag: Callable[..., list[ActorMention]]) -> None:
    names = [m.actor.name for m in tag("Gunmen torched a bus.")]
    assert names == ["Unidentified Armed Group"]


@pytest.mark.slow
def test_either_of_two_groups_is_the_joint_actor(tag: Callable[..., list[ActorMention]]) -> None:
    mentions = tag("Presumed JNIM and/or ISGS militants attacked the village.")
    assert _named(mentions)[0] == (
        "JNIM and/or ISGS militants",
        "JNIM: Group for Support of Islam and Muslims and/or Islamic State (Greater Sahara)",
    )


@pytest.mark.slow
def test_identity_group_and_militia_noun_make_an_ethnic_militia(
    tag: Callable[..., list[ActorMention]],
) -> None:
    pokot = [m for m in tag("Pokot raiders attacked a village and stole cattle.") if m.actor.inter == 4]
    assert [(m.span.text, m.actor.name, m.actor.country) for m in pokot] == [
        ("Pokot raiders", "Pokot Ethnic Militia", "Kenya")
    ]
    fulani = [m for m in tag("In Nigeria, Fulani herdsmen attacked farmers.") if m.actor.inter == 4]
    assert resolve_actor(fulani[0].actor, "Nigeria").name == "Fulani Ethnic Militia (Nigeria)"
    assert resolve_actor(fulani[0].actor, "Benin").name == "Fulani Ethnic Militia (Benin)"


@pytest.mark.slow
def test_raiders_from_abroad_keep_their_homeland(tag: Callable[..., list[ActorMention]]) -> None:
    raiders = [m for m in tag("Karamojong raiders attacked a Kenyan village.") if m.actor.inter == 4]
    assert resolve_actor(raiders[0].actor, "Kenya").name == "Karamajong Ethnic Militia (Uganda)"


@pytest.mark.slow
def test_short_name_counts_only_in_its_own_country(tag: Callable[..., list[ActorMention]]) -> None:
    syria = tag("In Idlib, Syria, Tahrir fighters shelled a base of the Syrian army.")
    egypt = tag("Crowds filled Tahrir Square in Cairo, Egypt.")
    assert "HTS: Hayat Tahrir al Sham" in [m.actor.name for m in syria]
    assert "HTS: Hayat Tahrir al Sham" not in [m.actor.name for m in egypt]


@pytest.mark.slow
def test_state_as_subject_is_a_country_mention(tag: Callable[..., list[ActorMention]]) -> None:
    mentions = tag("Sources said Ankara was behind the attacks.")
    assert [(m.span.text, m.actor.country, m.role) for m in mentions] == [("Ankara", "Turkey", "country")]


@pytest.mark.slow
def test_sentence_index_and_offsets_point_into_the_text(
    tag: Callable[..., list[ActorMention]],
) -> None:
    text = "The army arrived. Later, Al-Shabaab fighters attacked the camp."
    mentions = tag(text)
    for mention in mentions:
        assert text[mention.span.start : mention.span.end] == mention.span.text
    assert [(m.sentence, m.actor.name) for m in mentions] == [
        (0, "Military Forces"), (1, "Al Shabaab")
    ]


@pytest.mark.slow
def test_stage_leaves_non_english_documents_alone() -> None:
    stage = make_actors(PipelineConfig())
    doc = Document(article=Article(id="fr", text="x"), text="x", language="fr")
    assert stage(doc).actors == []


# -- groups that fight in several countries ------------------------------------------------------


@pytest.mark.parametrize(
    ("surface", "countries"),
    [
        ("JNIM", {"Mali", "Burkina Faso", "Niger"}),
        ("ISGS", {"Mali", "Burkina Faso", "Niger"}),
        ("Al-Shabaab", {"Somalia", "Kenya"}),
        ("ISWAP", {"Nigeria", "Niger", "Chad", "Cameroon"}),
        ("Hezbollah", {"Lebanon", "Syria"}),
    ],
)
def test_groups_of_several_countries_have_no_home_country(surface: str, countries: set[str]) -> None:
    # a home country would be evidence that every event of the group happened there
    actor = ACTORS.lookup(surface)
    assert actor is not None and actor.country is None
    assert countries <= set(ACTORS.actors[actor.name].countries)


def test_a_group_of_several_countries_needs_no_home_country(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "version: 1\nactors:\n  - name: Foo\n    inter: 2\n    country: Mali\n"
        "    countries: [Mali, Niger]\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match="several 'countries'"):
        load_actors(str(bad))
    bad.write_text("version: 1\nactors:\n  - name: Foo\n    inter: 2\n    countries: [Atlantis]\n",
                   encoding="utf-8")
    with pytest.raises(DataError, match="unknown countries"):
        load_actors(str(bad))


def test_donbas_peoples_militias_are_the_naf() -> None:
    # the armed formations of the DPR and LPR together formed the United Armed Forces of Novorossiya
    for surface in ("Luhansk People's Militia", "Donbass People's Militia", "LPR militia"):
        assert ACTORS.lookup(surface).name == "NAF: United Armed Forces of Novorossiya"


@pytest.mark.slow
def test_government_positions_are_the_state_forces(tag: Callable[..., list[ActorMention]]) -> None:
    mentions = tag("Rebel forces fired mortars at governmental positions near the town in Ukraine.")
    state = [m for m in mentions if m.actor.kind == "state"]
    assert [m.span.text for m in state] == ["governmental positions"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Gunmen suspected to be Al Shabaab militants abducted three teachers.", "Al Shabaab"),
        ("Attackers believed to be linked to ISWAP burned the market.", "Islamic State (West Africa)"),
        ("Armed men, thought to be members of JNIM, stole cattle.",
         "JNIM: Group for Support of Islam and Muslims"),
    ],
)
def test_unidentified_men_named_as_a_group_are_that_group(
    tag: Callable[..., list[ActorMention]], text: str, name: str
) -> None:
    mentions = tag(text)
    assert [m.actor.name for m in mentions if m.actor.inter in (2, 3)] == [name]
    # the mention covers the armed men, who are the subject of the clause
    assert mentions[0].span.start == 0 and mentions[0].actor.name == name


@pytest.mark.slow
def test_unidentified_men_who_are_not_named_stay_unidentified(
    tag: Callable[..., list[ActorMention]],
) -> None:
    mentions = tag("Gunmen attacked Al Shabaab positions near the border.")
    assert [m.actor.name for m in mentions] == ["Unidentified Armed Group", "Al Shabaab"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "ally"),
    [
        ("Burkinabe soldiers backed by VDP militia clashed with JNIM militants.", "VDP"),
        ("Nigerian troops, with the support of the Civilian JTF, repelled the attack.", "Civilian JTF"),
        ("Malian soldiers alongside Wagner Group fighters attacked the village.", "Wagner"),
    ],
)
def test_forces_fighting_alongside_an_actor_are_its_allies(
    tag: Callable[..., list[ActorMention]], text: str, ally: str
) -> None:
    mentions = tag(text)
    allies = [m for m in mentions if m.role == "ally"]
    assert len(allies) == 1 and ally in allies[0].span.text
    # the other side keeps no role: it is not anyone's ally
    assert all(m.role is None for m in mentions if m is not allies[0])


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "Gunmen attacked a church in Kaya. JNIM claimed responsibility.",
        "Gunmen attacked a church in Kaya. JNIM later claimed the deadly attack.",
        "A bomb hit a bus in Kabul. The bombing was claimed by IS-K on Monday.",
        "A bomb hit a bus in Kabul. The bombing was claimed by the Islamic State.",
    ],
)
def test_a_group_claiming_an_attack_is_its_claimant(tag: Callable[..., list[ActorMention]], text: str) -> None:
    claimants = [m for m in tag(text) if m.role == "claimant"]
    assert len(claimants) == 1 and claimants[0].sentence == 1


@pytest.mark.slow
def test_a_group_that_attacks_is_not_a_claimant(tag: Callable[..., list[ActorMention]]) -> None:
    assert all(m.role is None for m in tag("JNIM fighters attacked the town and took the mayor hostage."))


@pytest.mark.slow
def test_islamist_militants_in_mozambique_are_its_islamist_militia(
    tag: Callable[..., list[ActorMention]],
) -> None:
    # ACLED's name for the Cabo Delgado insurgency; elsewhere the words name no one group
    mozambique = tag("Mozambique's army retook the town from Islamist militants.")
    assert "Islamist Militia (Mozambique)" in [m.actor.name for m in mozambique]
    syria = tag("Syrian troops retook the town from Islamist militants.")
    assert "Islamist Militia (Mozambique)" not in [m.actor.name for m in syria]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("The Afghan government released 67 prisoners in Kabul.", "Afghanistan"),
        ("Kenya's government extended the curfew in Nairobi.", "Kenya"),
    ],
)
def test_a_states_government_is_a_state_actor(
    tag: Callable[..., list[ActorMention]], text: str, country: str
) -> None:
    governments = [m.actor for m in tag(text) if m.actor.name == "Government"]
    assert governments and governments[0].country == country
    resolved = resolve_actor(governments[0], country, dt.date(2020, 5, 9))
    assert resolved.name.startswith(f"Government of {country} (") and resolved.inter == 1


@pytest.mark.slow
def test_government_forces_and_foreign_governments_are_not_the_government(
    tag: Callable[..., list[ActorMention]],
) -> None:
    assert not [m for m in tag("Congolese government forces retook the hill.") if m.actor.name == "Government"]
    mentions = tag("Gunmen abducted an aid worker in Burkina Faso's north, Burkina Faso's security "
                   "ministry and the Canadian government said.")
    assert not [m for m in mentions if m.actor.name == "Government"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("An APC was hit by a roadside bomb, wounding two soldiers.", []),
        ("Nigerian police arrested 12 APC members in Kano.",
         ["APC: All Progressives Congress"]),
    ],
)
def test_weak_acronym_names_a_party_only_in_its_country(
    tag: Callable[..., list[ActorMention]], text: str, named: list[str]
) -> None:
    # "APC" is an armoured vehicle until a Nigerian name puts the article in Nigeria
    found = [m.actor.name for m in tag(text) if m.actor.name.startswith("APC")]
    assert found == named


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "country"),
    [("The navy apprehended six fishermen off the coast.", None),
     ("The Coast Guard detained 40 migrants at sea.", None),
     ("The Russian Navy fired cruise missiles at the port.", "Russia")],
)
def test_a_bare_force_noun_unit_waits_for_the_country(
    tag: Callable[..., list[ActorMention]], text: str, country: str | None
) -> None:
    # one country's unit named by a bare force noun ("Navy", "Coast Guard") is any country's
    # until an owner or the article's country says whose
    forces = [m.actor for m in tag(text) if m.actor.kind == "state"]
    assert forces and {a.country for a in forces} == {country}
