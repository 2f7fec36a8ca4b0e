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
