"""Events the engine used to miss, and the precision they must keep: the trigger lexicon's newer
cues, attempts and hedges that are events, clauses joined by ", and", and one event told by the
lede and the body (docs/CODING.md)."""

from __future__ import annotations

import datetime as dt

import pytest

from eventcoder.fatalities import event_fatalities
from eventcoder.lexicon import lexicon
from eventcoder.merge import compatible
from eventcoder.model import Actor, DateMention, FatalityMention, Mention, Place, PlaceMention, Span


def _names(text: str) -> set[str]:
    return {c.name for c in lexicon().find(text, 0)}


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("gunmen threw a stun grenade at a trader's house", "grenade"),
        ("the army hit the village with strikes from jets", "air"),
        ("a drone believed to be Turkish then launched two strikes on a convoy", "air"),
        ("troops seized three villages from rebel control", "overtake"),
        ("a man was hit by a soldier with a rifle butt, leading to his death", "attack"),
        ("police carried out a security operation in the district", "change"),
        ("the militia placed three check points along the highway", "change"),
        ("police removed several checkpoints and concrete barriers", "change"),
        ("a military convoy crossed the border", "change"),
        ("soldiers surround the opposition leader's house", "change"),
        ("members of the cartel that controls the port distributed food packages", "change"),
        ("the governor extended the duration of the current curfew", "change"),
        ("rifles belonging to the local militia were seized by police", "disrupt"),
        ("troops seized two cocaine laboratories near the river", "loot"),
        ("worshippers ejected the church's pastor", "other"),
        ("militants attempted to abduct a teacher", "other"),
    ],
)
def test_new_cues(text: str, cue: str) -> None:
    assert cue in _names(text)


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        # stun grenades at a crowd stay crowd control
        ("police threw stun grenades at the protesters", "grenade"),
        # a strike by workers is no air strike
        ("dock workers went on strike with the backing of the union", "air"),
        # a surrounded town says who surrounded it, not a movement of its own
        ("the town, surrounded by hills, is calm", "change"),
        # taking control of security duties is no territory
        ("the army took over security duties from the police", "overtake"),
    ],
)
def test_cues_that_must_not_fire(text: str, cue: str) -> None:
    assert cue not in _names(text)


def test_an_age_is_a_person_not_a_group_of_victims() -> None:
    """The lede's "teenager" and the body's "19-year-old" are one death, not two."""

    def one(text: str, victims: str) -> FatalityMention:
        return FatalityMention(Span(0, len(text), text), 1, 0, victims=Span(0, len(victims), victims))

    assert event_fatalities([one("a teenager was shot dead", "teenager"), one("a 19-year-old was shot dead", "19-year-old")]) == 1
    # distinct groups still add up
    assert event_fatalities([one("a soldier was killed", "soldier"), one("a rebel was killed", "rebel")]) == 2


TOWN = Place("Nakuru", "Kenya", "KE", -0.28, 36.07, geonameid=184622)
OTHER = Place("Eldoret", "Kenya", "KE", 0.52, 35.27, geonameid=198629)
DAY = dt.date(2024, 2, 14)


def _mention(label: str, sentence: int, place: Place, day: dt.date = DAY) -> Mention:
    event_type = "Protests" if label.startswith("Excessive") else "Violence against civilians"
    return Mention(
        sub_event_type=label,
        event_type=event_type,
        trigger=Span(0, 1, "x"),
        sentence=sentence,
        confidence=0.5,
        actor1=Actor("Protesters (Kenya)", 6, "Kenya", kind="generic") if event_type == "Protests" else None,
        place=PlaceMention(Span(0, 1, "x"), place, sentence),
        date=DateMention(Span(0, 1, "x"), day, 1, sentence),
    )


def test_a_killing_and_the_lethal_force_on_a_protest_at_one_town_are_one_event() -> None:
    killing = _mention("Attack", 1, TOWN)
    assert compatible(killing, _mention("Excessive force against protesters", 3, TOWN))
    # another town, or another day, is another event
    assert not compatible(killing, _mention("Excessive force against protesters", 3, OTHER))
    assert not compatible(killing, _mention("Excessive force against protesters", 3, TOWN, DAY + dt.timedelta(days=1)))


def _events(text: str, published: str = "2024-02-15") -> list[tuple[str, str | None, int]]:
    import eventcoder

    return [(e.sub_event_type, e.location, e.fatalities) for e in eventcoder.extract(text, published=published)]


@pytest.mark.slow
def test_clauses_joined_by_and_at_two_places_are_two_events() -> None:
    text = ("Teargas fired at protesters as unrest spreads\n\n"
            "Police yesterday fired tear gas at hundreds of protesters in Eldoret, and a man was shot "
            "dead in Nakuru.\n\n"
            "In Nakuru, the man was shot dead when officers opened fire on demonstrators outside the "
            "market. Two other people were treated for gunshot wounds at the Nakuru hospital.")
    assert _events(text) == [
        ("Protest with intervention", "Eldoret", 0),
        ("Excessive force against protesters", "Nakuru", 1),
    ]
    # a list of towns after one cue stays one event
    text = "Police yesterday fired tear gas at protesters in Eldoret, Nakuru, and Kisumu."
    assert len(_events(text)) == 1


@pytest.mark.slow
def test_a_hedge_on_who_did_it_does_not_make_the_act_a_claim() -> None:
    text = ("On 4 March 2021, militants, who could be Al Shabaab, seized 40 goats from a herder "
            "near Garissa.")
    assert [t for t, _, _ in _events(text)] == ["Looting/property destruction"]
    text = "On 4 March 2021, militants could seize goats from herders near Garissa."
    assert _events(text) == []


@pytest.mark.slow
def test_leftover_ordnance_exploding_is_todays_explosion() -> None:
    text = ("On 2 May 2021, a shepherd was killed near Idlib city when an unexploded shell from "
            "previous fighting exploded.")
    assert [(t, f) for t, _, f in _events(text, "2021-05-03")] == [("Remote explosive/landmine/IED", 1)]


@pytest.mark.slow
def test_what_an_operation_found_is_its_outcome() -> None:
    text = ("On 3 June 2023, police carried out a security operation in Mandera town. "
            "Officers recovered rifles and ammunition hidden in a shop. "
            "The county commander praised the officers. The town was calm on Sunday.")
    assert [t for t, _, _ in _events(text, "2023-06-04")] == ["Disrupted weapons use"]


@pytest.mark.slow
def test_demonstrators_who_storm_a_building_riot() -> None:
    text = ("On 5 March 2021, university students marched through Kisumu against higher fees. "
            "Students stormed the county assembly chamber, and police dispersed them with tear gas.")
    assert [t for t, _, _ in _events(text, "2021-03-06")] == ["Violent demonstration"]
    # an intent to storm is no storming, and a killing the crowd protests is not its violence
    text = ("On 5 March 2021, police fired tear gas at nurses in Kisumu who were marching on the "
            "county offices to storm a budget meeting.")
    assert [t for t, _, _ in _events(text, "2021-03-06")] == ["Protest with intervention"]
    text = ("On 5 March 2021, hundreds of boda boda riders protested in Kisumu over the killing of "
            "a colleague by a police officer. Police dispersed them with tear gas.")
    assert [t for t, _, _ in _events(text, "2021-03-06")] == ["Protest with intervention"]


@pytest.mark.slow
def test_demonstrators_who_try_to_vandalise_riot() -> None:
    text = ("On 5 March 2021, tea pickers demanding unpaid wages marched to the estate offices in "
            "Kericho and tried to vandalise the gate. Police fired tear gas to disperse them.")
    assert [t for t, _, _ in _events(text, "2021-03-06")] == ["Violent demonstration"]


@pytest.mark.slow
def test_an_operation_with_no_fighting_is_a_movement_of_forces() -> None:
    text = ("On 5 March 2021, the army's military operation against bandits in the forests of "
            "Kainji was extended for another month.")
    assert [t for t, _, _ in _events(text, "2021-03-06")] == ["Change to group/activity"]
    text = ("On 5 March 2021, soldiers killed four bandits during a military operation in the "
            "forests of Kainji.")
    assert [t for t, _, _ in _events(text, "2021-03-06")] != ["Change to group/activity"]


@pytest.mark.slow
def test_the_verb_storm_is_no_weather() -> None:
    text = "On 5 March 2021, angry traders storm the council office in Voi and destroy property over new levies."
    assert [t for t, _, _ in _events(text, "2021-03-06")] == ["Mob violence"]
    text = "On 5 March 2021, a storm destroyed homes and killed two people in Voi."
    assert _events(text, "2021-03-06") == []


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("police violently dispersed the protesters", "excessive", "riot"),
        ("the march was brutally broken up", "excessive", None),
        ("protesters turned violent and burned tyres", "riot", None),
        ("clashes between the two clans left one dead", None, "mob"),
    ],
)
def test_force_the_text_calls_violent(text: str, present: str | None, absent: str | None) -> None:
    names = _names(text)
    assert present is None or present in names
    assert absent is None or absent not in names


@pytest.mark.slow
def test_men_armed_with_molotovs_who_attack_a_protest_use_force_on_it() -> None:
    text = ("On 4 February 2021, a gang armed with machetes and molotov cocktails attacked a teachers' "
            "rally in Kandy, injuring several marchers.")
    assert [t for t, _, _ in _events(text, "2021-02-05")] == ["Excessive force against protesters"]


@pytest.mark.slow
def test_a_cartel_that_clashes_with_police_is_no_mob() -> None:
    text = ("On 4 May 2021, gunmen of the Sinaloa Cartel clashed with municipal police in Culiacan. "
            "One officer was injured.")
    assert [t for t, _, _ in _events(text, "2021-05-05")] == ["Armed clash"]
    # two parties' supporters fighting with machetes stay a mob
    text = ("On 4 May 2021, supporters of two rival parties clashed with machetes and sticks in "
            "Ngozi. Ten people were injured.")
    assert [t for t, _, _ in _events(text, "2021-05-05")] == ["Mob violence"]
