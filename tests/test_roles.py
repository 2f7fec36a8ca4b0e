"""Who did what to whom when the sentence position misleads: allies and claims of an attack.

The actors stage tags a group fighting beside a side ("backed by X") as an ``ally`` and a group
claiming an attack as a ``claimant``; the events stage makes the ally an associated actor of
actor1 and the claimant the attacker of an attack by unidentified men."""

from __future__ import annotations

import pytest

import eventcoder

pytestmark = pytest.mark.e2e


def _actors(text: str) -> list[tuple[str | None, str | None, str | None]]:
    return [(e.actor1, e.assoc_actor_1, e.actor2) for e in eventcoder.extract(text, published="2024-03-06")]


def test_a_group_claiming_an_attack_by_gunmen_is_its_attacker() -> None:
    text = ("Gunmen killed 12 villagers in Solhan, Burkina Faso on Friday. "
            "JNIM claimed responsibility for the attack.")
    assert _actors(text) == [("JNIM: Group for Support of Islam and Muslims", None, "Civilians (Burkina Faso)")]


def test_without_a_claim_the_attackers_stay_unidentified() -> None:
    text = "Gunmen killed 12 villagers in Solhan, Burkina Faso on Friday. Residents fled to Sebba."
    assert [a1 for a1, _, _ in _actors(text)][:1] == ["Unidentified Armed Group (Burkina Faso)"]


def test_an_ally_of_the_army_is_its_associated_actor_not_the_other_side() -> None:
    text = "Burkinabe soldiers backed by VDP militia clashed with jihadists near Djibo on Sunday."
    [(actor1, assoc1, actor2)] = _actors(text)
    assert actor1.startswith("Military Forces of Burkina Faso")
    assert assoc1 == "VDP: Volunteer for Defense of Homeland"
    assert actor2 == "Unidentified Armed Group (Burkina Faso)"


def test_a_claim_by_a_group_named_in_an_apposition_is_parsed() -> None:
    text = ("A bomb exploded outside a mosque in Mazar-e-Sharif, Afghanistan on Wednesday, killing four "
            "worshippers, a Taliban police spokesman said. The Islamic State group's affiliate in the region, "
            "known as the Islamic State in Khorasan Province, claimed responsibility.")
    [(actor1, _, actor2)] = _actors(text)
    assert (actor1, actor2) == ("Islamic State (Afghanistan)", "Civilians (Afghanistan)")


def test_a_dateline_city_is_not_the_government_acting() -> None:
    text = ("Ouagadougou (Eventcoder Wire) - Jihadists killed at least 15 civilians in an attack on a "
            "village near Gorom-Gorom on Saturday.")
    [(actor1, _, actor2)] = _actors(text)
    assert (actor1, actor2) == ("Unidentified Armed Group (Burkina Faso)", "Civilians (Burkina Faso)")


def test_a_militia_named_beside_soldiers_as_one_subject_is_their_ally() -> None:
    text = ("On Sunday, soldiers and Volunteers for the Defence of the Homeland (VDP) repelled an attack "
            "on their positions in Djibo, Burkina Faso.")
    [(actor1, assoc1, actor2)] = _actors(text)
    assert actor1.startswith("Military Forces of Burkina Faso")
    assert assoc1 == "VDP: Volunteer for Defense of Homeland"
    assert actor2 == "Unidentified Armed Group (Burkina Faso)"
    # two that fight each other are the two sides
    text = "On Sunday, police and the Mungiki clashed in Nakuru, Kenya."
    [(actor1, assoc1, actor2)] = _actors(text)
    assert assoc1 is None and {actor1.split(" (")[0], actor2.split(" (")[0]} == {"Police Forces of Kenya", "Mungiki Militia"}


def test_the_sides_of_a_battle_are_those_of_its_verb_not_of_its_toll() -> None:
    text = ("PESHAWAR: Two policemen were martyred and three terrorists killed when militants of the banned "
            "Tehreek-i-Taliban Pakistan (TTP) attacked a police station in the city of Lakki Marwat on "
            "Wednesday night, police said.")
    [(actor1, _, actor2)] = _actors(text)
    assert actor1 == "TTP: Tehreek-i-Taliban Pakistan"
    assert actor2.startswith("Police Forces of Pakistan")


def test_women_protesting_are_the_associated_actor_of_the_protesters() -> None:
    text = ("In Kabul on Monday, Taliban fighters fired into the air to disperse about two dozen women "
            "protesting the ban on women working for aid groups.")
    [event] = eventcoder.extract(text, published="2023-02-09")
    assert event.sub_event_type == "Protest with intervention"  # warning shots hurt no one
    assert event.assoc_actor_1 == "Women (Afghanistan)"


def test_fighters_hit_by_an_air_strike_are_an_unidentified_armed_group() -> None:
    text = ("The army said drone strikes on Monday had destroyed a logistics base in the Boucle du Mouhoun "
            "region of Burkina Faso, killing several fighters.")
    [(actor1, _, actor2)] = _actors(text)
    assert actor1.startswith("Military Forces of Burkina Faso")
    assert actor2 == "Unidentified Armed Group (Burkina Faso)"


def test_a_nationality_names_the_state_that_fired() -> None:
    text = "Russian missiles struck a residential district of Kharkiv, Ukraine on Tuesday, killing three civilians."
    [(actor1, _, actor2)] = _actors(text)
    assert (actor1, actor2) == ("Military Forces of Russia (2000-)", "Civilians (Ukraine)")


def test_militants_a_sentence_after_the_one_group_named_are_its_fighters() -> None:
    text = ("Government forces recaptured the town of Mahaddayweyne in Middle Shabelle, Somalia on Saturday "
            "after al-Shabaab fighters attacked an army base there. The army said dozens of militants "
            "were killed in the battle.")
    assert [(a1.split(" (")[0], a2) for a1, _, a2 in _actors(text)] == [("Military Forces of Somalia", "Al Shabaab")]
    # "gunmen" may be anyone
    text = "Al-Shabaab attacked a base in Jowhar, Somalia on Friday. On Saturday gunmen killed a trader in Jowhar."
    assert ("Unidentified Armed Group (Somalia)", None, "Civilians (Somalia)") in _actors(text)
