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


def _first_type(text: str) -> str | None:
    from eventcoder import extract

    events = extract(text, published="2024-03-06")
    return events[0].sub_event_type if events else None


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # party supporters and crowds who beat people are rioters: mob violence, not an attack
        ("Supporters of the ruling party assaulted and injured two opposition activists in Khulna on Monday.", "Mob violence"),
        # a party named "League" is not a sports article
        ("Members of the Awami League beat up a local trader in Rajshahi on Monday.", "Mob violence"),
        # force on protesters: lethal is excessive force, non-lethal is intervention
        ("Police shot dead two demonstrators during a protest against fuel prices in Nairobi on Tuesday.", "Excessive force against protesters"),
        ("Ruling party activists attacked a rally of opposition supporters in Chittagong on Sunday.", "Protest with intervention"),
        ("Police fired shots in the air to disperse protesters in Nairobi on Tuesday.", "Protest with intervention"),
        # an attempt to disperse is already an intervention
        ("Police tried to disperse hundreds of farmers protesting in Lahore on Friday.", "Protest with intervention"),
        # demonstrators fighting police: a violent demonstration
        ("Students staged a demonstration in Barisal on Sunday and clashed with police.", "Violent demonstration"),
        ("Protesters lit bonfires on the main road in Kisii on Tuesday.", "Violent demonstration"),
        # a common word inside an actor's name still reports what it says
        ("On Friday, pro-government reinforcements arrived in the port city of Hodeidah.", "Change to group/activity"),
        ("Twelve police officers joined the Taliban in Kunduz province on Tuesday.", "Change to group/activity"),
        ("A new armed group announced its formation in Kandahar on Friday.", "Change to group/activity"),
        # a measure told with its cause: the cause does not type the event
        ("The government declared a curfew in Jos on Tuesday after riots between two communities.", "Change to group/activity"),
        ("Troops were deployed in Garissa on Tuesday to prevent attacks by militants.", "Change to group/activity"),
        ("On Monday, police arrested a former minister in Lusaka over the killing of a journalist.", "Arrests"),
        # ... but violence told with how it happened keeps its weapon
        ("A soldier was killed in Dhusamareb on Monday after an IED exploded under his vehicle.", "Remote explosive/landmine/IED"),
        # violence that fell on property only
        ("Suspected militants attacked a school in Djibasso on Monday and burned two classrooms. No casualties were reported.", "Looting/property destruction"),
        # a raid that hurt no one is the arrest; detentions by a non-state group are abductions
        ("Soldiers raided a village near Jasim on Friday and arrested 15 young men.", "Arrests"),
        ("Fighters of the SDF detained a man in Raqqa on Monday.", "Abduction/forced disappearance"),
        ("Police officers stripped two boys naked in Kassala on Monday.", "Sexual violence"),
        # weapons stopped or seized
        ("Police officers shot down a drone flying over the port in Mombasa on Sunday.", "Disrupted weapons use"),
        ("On Monday, police recovered 80 sticks of dynamite from a house in Kisumu.", "Disrupted weapons use"),
        # a denial names what it denies, and an attempt governs only the verb after it
        ("Police dismantled a militant camp in Bura on Monday. No arrests were reported, though weapons were recovered.", "Disrupted weapons use"),
        ("On Monday, the coast guard detained 40 migrants attempting to cross the sea off Sfax.", "Arrests"),
        # goods and property taken or destroyed
        ("Militants seized four donkey carts carrying grain from traders near Djibo on Sunday.", "Looting/property destruction"),
        ("Soldiers set dozens of houses on fire in a village near Monywa on Thursday.", "Looting/property destruction"),
        ("Settlers destroyed 40 Palestinian-owned olive trees near Nablus on Friday.", "Looting/property destruction"),
        # people taken
        ("Russian forces forcibly deported 200 civilians from Kherson on Saturday.", "Abduction/forced disappearance"),
        ("Gunmen seized an ambulance together with its driver near Arbinda on Friday.", "Abduction/forced disappearance"),
        # weapons found, destroyed, or that went off while being handled
        ("Police found a grenade on a bus bound for Malindi on Monday.", "Disrupted weapons use"),
        ("Two militants were killed near Dori on Sunday while planting IEDs on the road.", "Disrupted weapons use"),
        ("Soldiers destroyed three IEDs between Douentza and Boni on Wednesday.", "Disrupted weapons use"),
        ("Militants detonated an IED against an army vehicle near Gorom-Gorom on Monday, wounding three soldiers.", "Remote explosive/landmine/IED"),
        # an arrest for a protest is an arrest; arrests right after a protest are its outcome
        ("Police arrested the union secretary in Harare on Tuesday for taking part in a protest march.", "Arrests"),
        ("Police arrested 25 students in Harare on Tuesday after a protest outside the ministry.", "Protest with intervention"),
        # movements, deployments and security measures
        ("The government decided to deploy 2,000 police officers to Eldoret on Monday.", "Change to group/activity"),
        ("On Tuesday, al Shabaab fighters entered two villages near Bardera and preached in the mosque.", "Change to group/activity"),
        ("The junta cut off internet access in 12 townships of Magway on Thursday.", "Change to group/activity"),
        # fighting and territory, verbs in any tense
        ("On Monday, Malian and French forces engaged suspected JNIM and/or ISGS militants near Menaka.", "Armed clash"),
        ("On Sunday, the army reclaims Yei from rebels.", "Government regains territory"),
        ("On Monday, gunmen hurled explosives at the district office in Wajir.", "Grenade"),
        # ACLED's Other: threats, propaganda, escapes, resignations, checkpoints run by armed groups
        ("On Monday, militants ran a checkpoint between Kaya and Dori.", "Other"),
        ("The prime minister resigned in Kathmandu on Saturday.", "Other"),
        ("On Wednesday, several bomb threats were sent to schools in Zagreb.", "Other"),
        ("Members of a white supremacist group dropped banners from an overpass in Dayton on Saturday.", "Other"),
        ("On Friday, three prisoners escaped from the central prison in Kumasi.", "Other"),
        # an armed group's aid handouts are a change to its activity (a relief agency's are no event)
        ("Members of a drug cartel distributed food packages to families in Tijuana on Saturday.", "Change to group/activity"),
        # two sides exchanging fire, or small arms with the shells: a battle
        ("Government and rebel forces exchanged artillery fire near Sennar on Wednesday.", "Armed clash"),
        ("Regime forces shelled rebel positions with mortars and small arms near Daraa on Monday.", "Armed clash"),
        ("Regime forces shelled rebel positions with heavy machine guns near Daraa on Monday.", "Shelling/artillery/missile attack"),
        ("On Tuesday, soldiers thwarted an attack by militants on a base near Kidal, killing several fighters.", "Armed clash"),
        # groups fighting with guns are armed groups; with machetes, a mob
        ("Members of two clans clashed with firearms in Gedaref on Monday.", "Armed clash"),
        ("Members of two clans clashed with machetes in Gedaref on Monday.", "Mob violence"),
        # crowds (youths, student activists) fighting police or each other are rioters
        ("A clash occurred between police and a group of youths in Nuwara Eliya on Sunday.", "Mob violence"),
        ("On Monday, activists of two rival student groups clashed on the campus in Rajshahi.", "Mob violence"),
        ("Government troops clashed with Al Shabaab militants near Afgoye on Monday.", "Armed clash"),
        # who was harmed: headline passives, and people off duty are civilians
        ("Herdsman shot dead in attack by armed raiders in Baringo on Monday.", "Attack"),
        ("Gunmen shot dead an off-duty police officer in Culiacan on Thursday.", "Attack"),
        ("Police and ruling party members foiled a protest by opposition supporters in Bogura on Sunday.", "Protest with intervention"),
        # police action a sentence or two after the protest is still its outcome
        ("Students blocked the highway near Naivasha on Monday to protest the new policy. Many motorists were stranded for hours. Police arrested seven of them.", "Protest with intervention"),
        ("Parents staged a protest in Vavuniya on Monday, but it was stopped by military forces.", "Protest with intervention"),
        # tear gas is not a shooting; police who kill at a peaceful protest use excessive force,
        # but a riot stays a violent demonstration whatever force answered it
        ("Riot police fired tear gas at protesters in Nairobi on Friday.", "Protest with intervention"),
        ("Youths protested the poor state of a road in Kericho on Monday. Police, who were dispersing the crowd, shot and killed a motorcyclist.", "Excessive force against protesters"),
        ("Students rioted in Bobo-Dioulasso on Monday and set public buildings on fire. Police shot dead a child during the rioting.", "Violent demonstration"),
        # unorganised people who beat someone are a mob; a gun makes its bearer an armed group
        ("The leader of the students' association was assaulted by a group of ten people in Kandy on Monday.", "Mob violence"),
        ("Residents caught and beat a suspected thief in Guayaquil on Tuesday.", "Mob violence"),
        ("On Monday, two men opened fire and killed three people at a bar in Celaya.", "Attack"),
        # territory: "captured X" where X is a place; who took it decides the sub-event type;
        # the capture that ends a battle is that battle's outcome
        ("On Monday, Russian forces captured Bakhmut after heavy fighting.", "Non-state actor overtakes territory"),
        ("Rebels recaptured the town of Kalehe on Sunday after fierce fighting with the army.", "Non-state actor overtakes territory"),
        ("On Monday, the army clashed with M23 rebels near Kibumba and regained the territory.", "Government regains territory"),
        ("On Monday, Ukrainian troops clashed with Russian forces near Kharkiv. The city of Izium was liberated.", "Government regains territory"),
        ("Malian soldiers clashed with jihadists near Mopti on Monday. The army recaptured the town of Boni.", "Government regains territory"),
        # an attack whose next sentence reports rape is sexual violence
        ("Gunmen attacked three women collecting firewood near Tawila on Thursday. They raped a 12-year-old girl.", "Sexual violence"),
        ("Separatists assaulted ten pupils in Bamenda on Monday and undressed them.", "Sexual violence"),
        # weapons named without a verb of use are equipment; a missile test harms no one
        ("On Saturday, a convoy of regime reinforcements with tanks and heavy weaponry reached Deir Hafer.", "Change to group/activity"),
        ("North Korea test-fired a ballistic missile from near Wonsan towards the sea on Wednesday.", "Change to group/activity"),
        ("Government forces fired artillery at rebel positions near Deir Hafer on Saturday.", "Shelling/artillery/missile attack"),
        # an arrest that a protest is about is no intervention against it
        ("Journalists held a protest outside the press club in Multan on Friday against the arrest of their editor.", "Peaceful protest"),
        ("Police arrested ten protesters in Multan on Friday.", "Protest with intervention"),
        ("The road in front of the office in Kurunegala was blocked by demonstrators on Monday and tyres were being burnt.", "Violent demonstration"),
        ("On Monday, demonstrators wounded two policemen in Savalou.", "Violent demonstration"),
        # crude bombs thrown at a house with no demonstration: mob violence, not an IED
        ("On Friday, unidentified men threw two crude bombs at the residence of an opposition leader in Rangpur.", "Mob violence"),
        ("Members of the ruling party exploded cocktail bombs at the opposition office in Pabna on Wednesday.", "Mob violence"),
        ("Protesters threw petrol bombs at police in Dhaka on Friday.", "Violent demonstration"),
        # intervention in any tense, a car driven into the crowd; a request for intervention is none
        ("Supporters of the candidate protested in Kakamega on Monday over delays in releasing results; anti-riot police intervene to maintain order.", "Protest with intervention"),
        ("Protesters blocked the road near the port in Tripoli on Tuesday. A driver rammed the protesters.", "Protest with intervention"),
        ("Residents protested in Encarnacion on Monday and requested the authorities' intervention against the factory.", "Peaceful protest"),
        ("Unidentified persons shot and injured four students in Sylhet on Tuesday during their protest against tuition fees.", "Excessive force against protesters"),
    ],
)
def test_sentence_types(sentence: str, expected: str) -> None:
    assert _first_type(sentence) == expected


@pytest.mark.e2e
def test_capturing_a_person_is_not_territory() -> None:
    from eventcoder import extract

    events = extract("On Monday, police captured Abu Bakr, a militant commander, in Mosul.", published="2024-03-06")
    assert not any("territory" in e.sub_event_type for e in events)


@pytest.mark.e2e
def test_armed_forces_blocking_a_road_is_no_protest() -> None:
    from eventcoder import extract

    events = extract("A regime checkpoint blocked the road of a US military patrol near Qamishli on Monday.", published="2024-03-06")
    assert events and events[0].event_type == "Strategic developments"


WIRE_KADUNA = """KANO, Nigeria (Reuters) - Gunmen killed at least 12 villagers in an attack on Kurmin village in Kaduna state on Sunday, police said on Monday.
The attackers arrived on motorcycles after midnight and opened fire on residents, police spokesman Mohammed Jalige said in a statement.
"Our men have been deployed to the area and calm has been restored," he said, adding that no arrests had been made.
Kaduna has seen a wave of kidnappings and killings by armed gangs, known locally as bandits, in the past two years.
Governor Uba Sani, who was elected in 2023, condemned the attack and promised that the perpetrators would be brought to justice.
Thousands of people have been displaced by the violence, according to the United Nations.
The gunmen escaped into the forest before security forces arrived, a resident said.
"""

WIRE_IDLIB = """BEIRUT (AP) - Syrian government forces and rebels clashed on Tuesday near the town of Saraqeb in Idlib province, a war monitor said, killing six fighters.
The Syrian Observatory for Human Rights said government warplanes also struck rebel positions near the town.
Protesters in the rebel-held city of Idlib later took to the streets to denounce the offensive.
Turkey, which backs some rebel factions, has deployed thousands of troops to the province since 2020.
"""


@pytest.mark.e2e
def test_wire_story_background_is_not_events() -> None:
    """A wire story of my own: one attack; the trend ("has seen a wave of kidnappings"), the
    arrival of forces without a place of its own and "at least 12 villagers" (not a passive)
    add nothing and change nothing."""
    from eventcoder import extract

    events = extract(WIRE_KADUNA, published="2024-03-11")
    assert [e.sub_event_type for e in events] == ["Attack"]
    assert events[0].fatalities == 12


@pytest.mark.e2e
def test_wire_story_protest_against_an_offensive_is_peaceful() -> None:
    from eventcoder import extract

    types = [e.sub_event_type for e in extract(WIRE_IDLIB, published="2024-03-12")]
    assert types[0] == "Armed clash"
    assert "Peaceful protest" in types
    assert "Violent demonstration" not in types
    assert "Change to group/activity" not in types  # "since 2020" is history


@pytest.mark.e2e
def test_aid_by_a_relief_agency_is_no_event() -> None:
    assert _first_type("The World Food Programme distributed food aid in Maiduguri on Saturday.") is None


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a chemical load makes the weapon a chemical weapon, whatever delivers it
        ("Rebels fired rockets filled with chlorine at an army post near Hama on Sunday, wounding six soldiers.", "Chemical weapon"),
        ("An army helicopter dropped a barrel bomb loaded with chlorine on Kafr Zita on Monday.", "Chemical weapon"),
        # aircraft and drones that drop explosives strike from the air
        ("Military aircraft struck a rebel camp near Kidal on Tuesday, killing nine fighters.", "Air/drone strike"),
        ("Soldiers dropped explosives from drones on rebel trenches near Loikaw on Friday.", "Air/drone strike"),
        ("Enemy aircraft struck Sumy with guided aerial bombs on Sunday, killing three people.", "Air/drone strike"),
        # a suicide car bomber or an explosives-laden truck driven into a post
        ("A suicide car bomber struck a police station in Bosaso on Wednesday, killing four officers.", "Suicide bomb"),
        ("Militants drove an explosives-laden van into an army camp in Bannu on Friday, killing seven soldiers.", "Suicide bomb"),
        # lynchings: crowds that burn or beat suspects
        ("Villagers near Gulu set two suspected thieves alight on Tuesday after catching them in a shop.", "Mob violence"),
        ("An angry crowd in Kano beat a man accused of blasphemy on Monday.", "Mob violence"),
        ("An enraged crowd torched three houses in Sargodha on Friday after a rumour of desecration.", "Mob violence"),
        # territory: driven out, handed over, walked in after a withdrawal
        ("Government troops pushed the rebels out of the village of Kalay on Thursday after heavy fighting.", "Government regains territory"),
        ("Rebel fighters entered the town of Bambari on Sunday without resistance after the army withdrew.", "Non-violent transfer of territory"),
        ("The peacekeeping mission handed over its base in Aguelhok to the national army on Friday.", "Non-violent transfer of territory"),
        ("Gunmen took control of the town of Dessalines on Monday after storming the police station.", "Non-state actor overtakes territory"),
        # a coup is Other, above the measures its leaders announce
        ("Army officers seized power in Niamey on Wednesday and dissolved the government.", "Other"),
        # interceptions that failed: the shelling that killed people is the event
        ("Rebels shelled Donetsk on Monday, killing three people; air defences shot down two rockets.", "Shelling/artillery/missile attack"),
        # killed militants said to be "neutralised" are no disrupted weapons
        ("Troops killed 12 militants in Gwoza on Monday and said 12 more were neutralised.", "Armed clash"),
        # two armies fighting: no riot, whatever the adjective
        ("Violent clashes broke out between the army and the Kachin Independence Army near Bhamo on Sunday.", "Armed clash"),
        ("Rebel fighters clashed with troops near Saravena on Sunday, killing two soldiers.", "Armed clash"),
        ("Gunmen killed five people in a bar in Irapuato on Saturday, one of the most violent cities in the state.", "Attack"),
        # a withdrawal "without a fight" told after "after" still says how the town changed hands
        ("On Friday, soldiers entered the river town of Mopti after the militants pulled out overnight without a fight, a resident said.", "Non-violent transfer of territory"),
        # troops that repel an assault fight armed men, not civilians
        ("Government troops repelled a rebel assault near Kalehe on Monday, the army said.", "Armed clash"),
    ],
)
def test_news_wire_types(text: str, expected: str) -> None:
    assert _first_type(text) == expected


@pytest.mark.e2e
@pytest.mark.parametrize(
    "text",
    [
        # games use the words of violence
        "The visitors' striker fired a low shot past the keeper in the 80th minute. Their defence held against a late attack.",
        "Australia's pace attack ripped through the top order on Friday, bowling the hosts out for 120.",
        # an epidemic kills with no perpetrator
        "The health ministry said on Monday the measles outbreak had killed more than 60 children since March.",
        # a crime at home is not political violence
        "A woman was charged with murder on Friday after her husband was found stabbed at their flat in Leeds. Neighbours said the couple had a history of domestic disputes.",
        # a court case about an old attack; a wildfire; a plan to meet; an analysis; a routine swearing-in
        "A court in Niamey on Monday sentenced three men to 20 years in prison for their part in a 2017 attack on a mosque.",
        "A wildfire burned through pine forests and homes near Valparaiso on Sunday, forcing the evacuation of two suburbs.",
        "Ministers of Kenya and Uganda met in Kampala on Tuesday and agreed to hold a regional summit next year.",
        "Analysis: Five years after the war, displacement and violence against civilians remain high, researchers say.",
        "Ghana's president was sworn in for a second term on Tuesday after winning the December vote.",
    ],
)
def test_news_texts_without_events(text: str) -> None:
    assert _first_type(text) is None


@pytest.mark.e2e
def test_transitional_leader_sworn_in_is_other() -> None:
    assert _first_type("A retired general was sworn in as transitional president in Ouagadougou on Friday.") == "Other"


@pytest.mark.e2e
def test_epidemic_measures_are_still_coded() -> None:
    # the disease makes its deaths no event, not the curfew it causes
    assert _first_type("The governor imposed a curfew in Goma on Monday to contain the cholera outbreak.") == "Change to group/activity"


def test_entry_after_withdrawal_is_a_transfer() -> None:
    assert classify({"change", "entry", "nonviolent"}, target="unknown", protest_context=False, actor_kinds={2}) == "Non-violent transfer of territory"
    assert classify({"change", "entry"}, target="unknown", protest_context=False, actor_kinds={2}) == "Change to group/activity"


def test_coup_ranks_above_measures() -> None:
    assert classify({"coup", "change"}, target="unknown", protest_context=False, actor_kinds={1}) == "Other"


def test_interception_with_casualties_is_the_attack() -> None:
    names = {"disrupt", "shelling", "attack", "harm", "interception"}
    assert classify(names, target="civilian", protest_context=False, actor_kinds={8}) == "Shelling/artillery/missile attack"
    # a premature explosion that killed its makers stays disrupted weapons use
    assert classify({"disrupt", "ied", "attack", "harm"}, target="armed", protest_context=False, actor_kinds={2}) == "Disrupted weapons use"
