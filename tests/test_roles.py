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
