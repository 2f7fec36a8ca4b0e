"""Events the engine wrote nothing for: piracy, closures for insecurity, stand-offs without
violence, a government meeting rebels, deliveries of arms, migrants held, elections by a
parliament, an attempted looting, a lone report whose place stands in a sentence of its own
(docs/CODING.md). The sentences are invented, in the register of wire reports."""

from __future__ import annotations

import pytest

from eventcoder.lexicon import lexicon


def _names(text: str) -> set[str]:
    return {c.name for c in lexicon().find(text, 0)}


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("a cargo ship was boarded by armed pirates off the coast", "abduction"),
        ("pirates boarded a fishing trawler in the gulf", "abduction"),
        ("strikers slashed the tyres of two lorries at the depot", "riot"),
        ("the tyres of three buses whose drivers ignored the strike were slashed", "riot"),
        ("dockers marched through the port demanding better pay", "protest"),
        ("Security sweep nets 40 suspected gang members", "arrest"),
        ("immigration officers detained 85 migrants hidden in a lorry", "arrest"),
        ("soldiers of the border brigade rescued 57 migrants left in a truck", "arrest"),
        ("prosecutors charged the mayor's driver, two aides and a former councillor over a coup plot", "arrest"),
        ("a camp of armed groups was identified near the river", "change"),
        ("the interior minister met rebel leaders in the capital", "change"),
        ("a navy ship delivered armoured vehicles to the port", "change"),
        ("a transport ship started offloading military equipment at the harbour", "change"),
        ("clinics in the district closed because of insecurity", "other"),
        ("the town hall shut its doors for fear of further attacks", "other"),
        ("villagers confronted the gendarmes without violence", "other"),
        ("a tense stand-off between herders and the police", "other"),
        ("a dozen men waving neo-nazi flags drove past the synagogue", "other"),
        ("lawmakers elected Maria Tavares as the new speaker", "other"),
        ("gunmen from a local militia blocked the main highway", "other"),
        ("a bag thought to hold explosives, was found beside the road", "disrupt"),
        ("raiders came to pillage the granary", "loot"),
        ("gunmen visited the school and threatened the teachers with death", "other"),
        ("militants who stopped at the clinic threatened to close it", "other"),
    ],
)
def test_new_cues(text: str, cue: str) -> None:
    assert cue in _names(text)


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        # a closure with no insecurity behind it is no event
        ("the clinic closed for the holidays", "other"),
        ("the library closed its doors over the summer", "other"),
        # meeting a lawyer, a delivery of food, an elected official: nothing of conflict
        ("the opposition leader met his lawyers", "change"),
        ("a truck delivered food to the camp", "change"),
        ("elected officials visited the site", "other"),
        # kidnappers demanding a ransom protest nothing
        ("kidnappers are demanding a ransom", "protest"),
        # a threat in a statement is no act of intimidation
        ("the union threatened to strike on Monday", "other"),
        ("the rebels threatened to attack the capital if talks failed", "other"),
    ],
)
def test_cues_that_must_not_fire(text: str, cue: str) -> None:
    assert cue not in _names(text)


def _events(text: str) -> list[tuple[str, str | None]]:
    import eventcoder

    return [(e.sub_event_type, e.country) for e in eventcoder.extract(text, published="2021-03-04")]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the lone act of a report whose place stands in a line of its own
        (
            "Around 30 armed bandits attacked travellers on a road and abducted four women. No "
            "injuries were reported. Motive unknown. LOCATION: Garbatulla town in Isiolo county.",
            "Abduction/forced disappearance",
        ),
        # an election season is no sports season
        (
            "Opposition youths attacked a polling agent as the election season opened in Eldoret.",
            "Mob violence",
        ),
        # an attempted looting is the looting
        ("Youths attempted to loot the market in Kisumu on Tuesday, but traders chased them away.",
         "Looting/property destruction"),
        # a stand-off that stayed peaceful
        (
            "On Monday, about 200 members of a village defence group confronted gendarmes without "
            "violence in Koupela.",
            "Other",
        ),
    ],
)
def test_events_written(text: str, expected: str) -> None:
    assert [t for t, _ in _events(text)][:1] == [expected]


@pytest.mark.slow
def test_general_statement_stays_no_event() -> None:
    # nouns of violence in a statement about the present are no act: no fallback for them
    text = (
        "Kidnappings are a lucrative business for criminal gangs. Experts say ransoms can reach "
        "thousands of dollars. Families rarely report them. Police rarely investigate."
    )
    assert _events(text) == []
