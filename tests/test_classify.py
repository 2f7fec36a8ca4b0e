"""ACLED's hierarchy as the classifier applies it (CODEBOOK.md sec. 2)."""

from __future__ import annotations

import pytest

from eventcoder.events import classify


@pytest.mark.parametrize(
    ("cues", "target", "protest", "kinds", "expected"),
    [
        ({"air", "shelling"}, "armed", False, set(), "Air/drone strike"),
        ({"air", "clash", "strict_clash"}, "armed", False, {1, 2}, "Armed clash"),
        ({"abduction", "attack", "harm"}, "civilian", False, set(), "Attack"),
        ({"abduction", "attack"}, "civilian", False, set(), "Abduction/forced disappearance"),
        ({"overtake"}, "unknown", False, {2}, "Non-violent transfer of territory"),
        ({"grenade", "ied", "generic_explosion"}, "civilian", False, set(), "Grenade"),
        ({"grenade", "ied"}, "civilian", False, set(), "Remote explosive/landmine/IED"),
        ({"loot", "attack"}, "civilian", False, set(), "Looting/property destruction"),
        ({"attack", "civilian_doers"}, "civilian", False, set(), "Mob violence"),
        ({"abduction"}, "civilian", False, set(), "Abduction/forced disappearance"),
        ({"attack"}, "armed", False, {3, 2}, "Armed clash"),
        ({"attack"}, "civilian", False, set(), "Attack"),
        ({"protest"}, "unknown", True, set(), "Peaceful protest"),
        ({"protest", "intervention"}, "unknown", True, set(), "Protest with intervention"),
        ({"protest", "riot"}, "unknown", True, set(), "Violent demonstration"),
        ({"protest", "excessive", "intervention"}, "unknown", True, set(), "Excessive force against protesters"),
        ({"suicide", "ied"}, "armed", False, set(), "Suicide bomb"),
        ({"ied", "disrupt"}, "unknown", False, {1}, "Disrupted weapons use"),
        ({"chemical", "air"}, "civilian", False, set(), "Chemical weapon"),
        ({"mob", "attack"}, "civilian", False, set(), "Mob violence"),
        ({"overtake", "clash", "strict_clash"}, "armed", False, {2, 1}, "Non-state actor overtakes territory"),
        ({"regain", "clash"}, "armed", False, {1, 2}, "Government regains territory"),
        ({"overtake", "nonviolent"}, "unknown", False, {2}, "Non-violent transfer of territory"),
        ({"agreement"}, "unknown", False, {2, 3}, "Agreement"),
        ({"change"}, "unknown", False, {2}, "Change to group/activity"),
        ({"loot"}, "unknown", False, set(), "Looting/property destruction"),
        ({"hq"}, "unknown", False, {2}, "Headquarters or base established"),
        ({"other"}, "unknown", False, set(), "Other"),
        ({"sexual", "attack"}, "civilian", False, set(), "Sexual violence"),
        ({"grenade"}, "civilian", False, set(), "Grenade"),
        ({"arrest"}, "unknown", False, {1}, "Arrests"),
        (set(), "unknown", False, set(), None),
    ],
)
def test_classify(cues: set[str], target: str, protest: bool, kinds: set[int], expected: str | None) -> None:
    assert classify(cues, target=target, protest_context=protest, actor_kinds=kinds) == expected


def _events(text: str, published: str = "2023-05-04") -> list[tuple[str, str | None, str | None, int | None]]:
    import eventcoder

    return [
        (e.sub_event_type, e.location, e.event_date, e.time_precision)
        for e in eventcoder.extract(text, published=published)
    ]


@pytest.mark.slow
def test_two_clauses_at_two_places_are_two_events() -> None:
    text = ("In the southern city of Basra, hundreds of people blocked roads with burning tyres on "
            "Wednesday, while in Nasiriyah dozens rallied peacefully outside the council building.")
    assert [(t, loc) for t, loc, _, _ in _events(text)] == [
        ("Violent demonstration", "Basrah"), ("Peaceful protest", "Nasiriyah")
    ]
    # one place: the clauses report one event
    text = "Gunmen attacked an army post in Kirkuk on Wednesday, while soldiers returned fire."
    assert [t for t, _, _, _ in _events(text)] == ["Armed clash"]


@pytest.mark.slow
def test_an_arrest_on_another_day_is_not_the_protests_outcome() -> None:
    text = ("In Nasiriyah, dozens rallied outside the council building on Wednesday. "
            "Separately, police arrested a senior Islamic State official in Kirkuk on Tuesday.")
    assert [(t, d) for t, _, d, _ in _events(text)] == [
        ("Peaceful protest", "2023-05-03"), ("Arrests", "2023-05-02")
    ]


@pytest.mark.slow
def test_a_day_given_for_events_stays_exact_in_later_sentences() -> None:
    text = ("Police yesterday fired tear gas and arrested 23 protesters in Nairobi.\n\n"
            "In Kisumu, youths barricaded roads with burning tyres and pelted police with stones.")
    assert [(loc, d, p) for _, loc, d, p in _events(text, "2024-02-15")] == [
        ("Nairobi", "2024-02-14", 1), ("Kisumu", "2024-02-14", 1)
    ]


@pytest.mark.slow
def test_air_support_in_a_ground_battle_is_part_of_the_battle() -> None:
    text = ("Fighters of ISWAP attacked a military base in Mallam Fatori late on Sunday and exchanged "
            "fire with troops for several hours. Troops, backed by a fighter jet, pushed them back.")
    assert [t for t, _, _, _ in _events(text, "2023-09-12")] == ["Armed clash"]


@pytest.mark.slow
def test_a_later_sentence_borrows_the_events_day_not_the_reports() -> None:
    text = ("Jihadists killed at least 15 civilians in an attack on a village near Gorom-Gorom on "
            "Saturday, local sources told reporters on Tuesday. \"Armed men on motorbikes shot at "
            "everyone they found,\" a resident of Gorom-Gorom said.")
    assert [(t, d) for t, _, d, _ in _events(text, "2023-03-28")] == [("Attack", "2023-03-25")]
