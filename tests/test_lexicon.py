"""The trigger lexicon and codebook tables are data: check their schema and a few meanings."""

from __future__ import annotations

import re
from importlib import resources

import pytest
import yaml

from eventcoder.lexicon import Lexicon, codebook, lexicon
from eventcoder.errors import DataError

ACLED_SUB_EVENT_TYPES = {
    "Government regains territory", "Non-state actor overtakes territory", "Armed clash",
    "Excessive force against protesters", "Protest with intervention", "Peaceful protest",
    "Violent demonstration", "Mob violence", "Chemical weapon", "Air/drone strike", "Suicide bomb",
    "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade",
    "Sexual violence", "Attack", "Abduction/forced disappearance", "Agreement", "Arrests",
    "Change to group/activity", "Disrupted weapons use", "Headquarters or base established",
    "Looting/property destruction", "Non-violent transfer of territory", "Other",
}


def test_codebook_has_all_25_sub_event_types_in_hierarchy_order() -> None:
    book = codebook()
    assert set(book.order) == ACLED_SUB_EVENT_TYPES
    assert len(book.order) == 25
    assert book.rank("Air/drone strike") < book.rank("Shelling/artillery/missile attack")
    assert book.rank("Armed clash") < book.rank("Air/drone strike")
    assert book.rank("Attack") < book.rank("Abduction/forced disappearance")
    assert book.disorder_type["Mob violence"] == "Political violence"
    assert book.disorder_type["Peaceful protest"] == "Demonstrations"


def test_every_trigger_pattern_compiles_and_is_a_string() -> None:
    data = yaml.safe_load((resources.files("eventcoder") / "data" / "triggers.yaml").read_text())
    assert data["schema"] == 1
    for name, spec in data["cues"].items():
        assert isinstance(spec.get("primary"), bool), name
        for pattern in spec["patterns"]:
            assert isinstance(pattern, str), f"{name}: {pattern!r} (quote it: YAML read a mapping)"
            re.compile(pattern)


def test_bad_pattern_is_a_data_error() -> None:
    with pytest.raises(DataError, match="bad pattern"):
        Lexicon({"cues": {"x": {"primary": True, "patterns": ["(unclosed"]}}})


@pytest.mark.parametrize(
    ("sentence", "cue"),
    [
        ("Russian warplanes struck the town.", "air"),
        ("A roadside bomb exploded near a convoy.", "ied"),
        ("A suicide bomber blew himself up at the gate.", "suicide"),
        ("Police fired tear gas to disperse the crowd.", "intervention"),
        ("Hundreds of teachers staged a sit-in outside parliament.", "protest"),
        ("Gunmen abducted three aid workers.", "abduction"),
        ("Engineers defused an IED on the road.", "disrupt"),
        ("The two groups signed a ceasefire agreement.", "agreement"),
        ("The army shelled the village with mortars.", "shelling"),
        ("A hand grenade was thrown into the bar.", "grenade"),
    ],
)
def test_cues(sentence: str, cue: str) -> None:
    assert cue in {c.name for c in lexicon().find(sentence)}


def test_stun_grenades_are_not_grenade_attacks() -> None:
    names = {c.name for c in lexicon().find("Police threw stun grenades at the marchers.")}
    assert "grenade" not in names
    assert "stun_grenade" in names


def test_may_the_month_is_not_a_modal() -> None:
    cues = lexicon().find("On 9 May 2020, gunmen killed a farmer.")
    assert not any(c.name == "modality" and c.text == "May" for c in cues)


def test_the_two_sides_of_a_war_are_no_mob() -> None:
    # belligerents exchanging prisoners are "the two sides"; only rival groups or factions of
    # civilians make a mob
    names = {c.name for c in lexicon().find("The same day, the two sides released 30 detainees.")}
    assert "mob" not in names
    assert "mob" in {c.name for c in lexicon().find("Two rival factions fought with machetes.")}


@pytest.mark.parametrize("phrase", ["since 2014", "since late 2014", "in mid-2019", "during early 2015"])
def test_a_year_with_or_without_early_late_mid_is_history(phrase: str) -> None:
    cues = lexicon().find(f"The war began {phrase}, when rebels seized control of the capital.")
    assert any(c.name == "modality" and c.text == phrase for c in cues), cues


def test_since_an_episode_in_a_year_is_history() -> None:
    cues = lexicon().find("The town has been attacked several times since ISWAP split from Boko Haram in 2016.")
    assert any(c.name == "modality" and c.text.startswith("since ISWAP") for c in cues), cues


def test_names_with_league_are_not_sports_words() -> None:
    from eventcoder.events import _NON_CONFLICT

    assert not _NON_CONFLICT.search("Members of the Awami League attacked a trader.")
    assert _NON_CONFLICT.search("He scored twice as the league leaders won the match.")


def test_joined_a_named_group_is_a_change_cue() -> None:
    assert "change" in {c.name for c in lexicon().find("Twelve policemen joined the Taliban.")}
