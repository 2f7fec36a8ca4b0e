"""Whole-sentence rules of the events stage that the golden articles brought up: trends and
accusations report no event, weapons carried are not weapons used, and the damage an
interception's debris did is part of that interception."""

from __future__ import annotations

import pytest

import eventcoder

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a trend is no event
        ("Attacks on police in Khyber Pakhtunkhwa, Pakistan have risen sharply since November 2022.", []),
        # what one side accuses the other of doing is a claim
        ("On Tuesday Russia's defence ministry accused Kyiv of placing air defence systems among homes in Kharkiv, Ukraine.", []),
        # ... but a passive "accused of bombing" reports the bombing
        ("The army was accused of bombing herders in Nakwanye, Kenya on Monday, killing 71.", ["Remote explosive/landmine/IED"]),
        # weapons the attackers carried are not how they attacked
        (
            "On Wednesday some 20 militants armed with rocket launchers and hand grenades stormed the police "
            "station in Lakki Marwat, Pakistan, and policemen returned fire.",
            ["Armed clash"],
        ),
        # an interception, and the damage its debris did, are one event
        (
            "On Monday air defences destroyed 12 Shahed drones over the Poltava region of Ukraine. "
            "Falling debris damaged power lines but no one was hurt.",
            ["Disrupted weapons use"],
        ),
    ],
)
def test_what_a_sentence_reports(text: str, expected: list[str]) -> None:
    assert [e.sub_event_type for e in eventcoder.extract(text, published="2024-03-19")] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an inquiry into an event told before is no new event; nor a claim "dismissed as baseless"
        (
            "In Nakuru, Kenya, a student was shot dead when officers opened fire on demonstrators on Monday. "
            "The police watchdog said it had opened investigations into the Nakuru shooting. "
            "Officials dismissed as baseless claims that police had hired goons.",
            ["Excessive force against protesters"],
        ),
        # a crowd that dispersed on its own met no intervention
        (
            "In Mombasa, Kenya, about 200 residents marched peacefully to the county offices on Monday "
            "and dispersed without incident.",
            ["Peaceful protest"],
        ),
        # a region "fought over by drug cartels" is background; troops that "came under fire" fought
        (
            "Gunmen killed six members of one family in Uruapan, Mexico on Tuesday, the latest bloodshed in a "
            "region fought over by drug cartels. On Monday, National Guard troops came under fire from gunmen "
            "near Aguililla; four attackers died in the gunbattle.",
            ["Attack", "Armed clash"],
        ),
        # the same day again in a follow-up sentence continues the event
        (
            "Gunmen killed six members of one family in Uruapan, Mexico, prosecutors said Tuesday. The "
            "attackers arrived shortly after midnight Tuesday and opened fire in the home's courtyard.",
            ["Attack"],
        ),
    ],
)
def test_follow_ups_and_background(text: str, expected: list[str]) -> None:
    assert [e.sub_event_type for e in eventcoder.extract(text, published="2023-11-08")] == expected


def _coded(text: str, published: str = "2024-02-15") -> list[tuple[str, str | None, str | None, int]]:
    return [(e.sub_event_type, e.actor1, e.actor2, e.fatalities) for e in eventcoder.extract(text, published=published)]


def test_an_organisations_name_is_not_who_did_the_violence() -> None:
    # "Civilian" in an NGO's name makes no mob of civilians; its alarm reports the killing
    coded = _coded("Sahel Civilian Watch is alarmed by the killing of at least nine civilians in Tsafe, "
                   "Zamfara State, Nigeria on 12 February. Armed bandits attacked the town.")
    assert coded[0] == ("Attack", "Unidentified Armed Group (Nigeria)", "Civilians (Nigeria)", 9)


def test_an_opening_attack_phrase_does_not_hide_the_victims() -> None:
    # "In a separate attack on Monday, bandits killed ...": the victims follow "killed"
    coded = _coded("In a separate attack on Monday, bandits killed four residents in Gusau, Nigeria, "
                   "a police spokesman said.")
    assert [c[0] for c in coded] == ["Attack"]


def test_an_interception_opposes_the_articles_one_attacker() -> None:
    text = ("Russian missiles struck Kharkiv, Ukraine on Monday, killing three people. "
            "Ukraine's air force said its air defences destroyed 12 drones over the Poltava region on Monday.")
    coded = {c[0]: c for c in _coded(text, "2024-03-19")}
    assert coded["Disrupted weapons use"][2] is not None and "Russia" in coded["Disrupted weapons use"][2]


def test_a_headline_repeating_the_lede_is_one_event() -> None:
    text = ("Two policemen killed in Lakki Marwat attack\n\n"
            "Militants attacked a police station in Lakki Marwat, Pakistan late on Wednesday night, "
            "killing two policemen, police said.")
    assert [c[0] for c in _coded(text, "2023-08-17")] == ["Armed clash"]


def test_who_judges_an_event_is_no_side() -> None:
    coded = _coded("The UN strongly condemns the attack by a criminal gang on Saint-Marc, Haiti on 3 October, "
                   "which killed at least 20 people.", "2024-10-05")
    assert coded and all("UN: United Nations" not in (c[1], c[2]) for c in coded)


def test_bodies_recovered_after_a_strike_are_the_strikes_toll() -> None:
    coded = _coded("Rescuers recovered the bodies of five civilians from the rubble after air raids hit a "
                   "market in Jisr al-Shoghour, Syria on Monday.", "2023-10-10")
    assert [(c[0], c[3]) for c in coded] == [("Air/drone strike", 5)]
