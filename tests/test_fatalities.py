"""Tests of the fatalities stage: death counts with ACLED's conventions, and choosing one count."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from eventcoder.config import PipelineConfig
from eventcoder.dates import read_data_file
from eventcoder.fatalities import (
    event_fatalities,
    find_fatalities,
    make_fatalities,
    perpetrator_died,
)
from eventcoder.model import Article, Document, FatalityMention, Span




def _counts(text: str) -> list[int]:
    return [m.count for m in find_fatalities(text, [])]


def _total(text: str, significant: bool = False) -> int:
    return event_fatalities(find_fatalities(text, []), significant=significant)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # digits and number words, before and after the death word
        ("4 killed in an attack on a checkpoint.", 4),
        ("The blast killed 12 people.", 12),
        ("Gunmen opened fire, killing 12.", 12),
        ("Four members of Tahrir al-Sham were killed.", 4),
        ("Twenty-three soldiers died in the ambush.", 23),
        ("Twenty three soldiers died in the ambush.", 23),
        ("One hundred and five people were killed.", 105),
        ("A soldier was killed.", 1),
        ("One soldier was killed.", 1),
        ("Gunmen killed a farmer in his field.", 1),
        ("Unknown gunmen killed the mayor.", 1),
        ("Police shot dead two suspects.", 2),
        ("Two suspects were shot dead by police.", 2),
        ("Herders hacked a farmer to death.", 1),
        ("A farmer was hacked to death by herders.", 1),
        ("Residents beat to death a suspected thief.", 1),
        ("The bodies of three men were found near the river.", 3),
        ("The body of a man was found by the road.", 1),
        ("5 bodies were found on the outskirts.", 5),
        ("Two people lost their lives in the clash.", 2),
        ("One died on the way to hospital.", 1),
        ("He died in hospital.", 1),
        ("A bomb went off, killing two Tahrir militants.", 2),
        ("A 7 year old boy was killed by a stray bullet.", 1),
        ("Village chief abducted and executed by militants.", 1),
        ("Militants abducted, executed, and booby-trapped a volunteer fighter.", 1),
        ("A man was found handcuffed and killed in the river.", 1),
        ("Terror suspect killed in Mombasa.", 1),
        ("The clash led to the killing of 3 militants.", 3),
        ("Leaving 2 IS militants dead.", 2),
        ("At least 13 Taliban militants were killed.", 13),
        ("More than 20 people were killed.", 20),
        ("Up to 7 were killed in the slum.", 7),
        ("Between 1 and 3 armed men were killed.", 1),
        ("3-6 members of the militia were killed.", 3),
        ("A total of 5 people were killed.", 5),
        ("The death toll rose to 15.", 15),
        ("The attack left 3 fatalities.", 3),
        ("1 fatality.", 1),
        # vague words (ACLED: 3, or 10 for a significant attack) and round plurals
        ("Several people were killed.", 3),
        ("A number of Tahrir fighters were killed in a bomb attack.", 3),
        ("Many villagers died.", 3),
        ("An unspecified number of people were killed.", 3),
        ("Militants were killed in the raid.", 3),
        ("Fatalities were reported.", 3),
        ("Dozens were killed.", 12),
        ("Dozens of people were killed.", 12),
        ("Tens of people were killed.", 10),
        ("Scores of militants were killed.", 20),
        ("Hundreds of people died.", 100),
        ("A dozen soldiers were killed.", 12),
        # "killed and wounded": half, rounded down, at least one
        ("7 militants were killed and wounded.", 3),
        ("They killed or injured 4 militants.", 2),
        # the wounded are not the dead
        ("Gunmen killed one and wounded five.", 1),
        ("2 killed and 5 injured in the attack.", 2),
        ("5 were injured and 2 killed.", 2),
        ("Three people were injured and one killed.", 1),
        ("Killing 1 pastoralist and wounding another.", 1),
        ("At least 8 people were injured in the clash.", 0),
        ("There were casualties.", 0),
        # explicit zeros
        ("There were no casualties.", 0),
        ("No fatalities were reported.", 0),
        ("No one was killed.", 0),
        ("Neither injuries nor fatalities were reported.", 0),
        # deaths that did not happen, or are the background
        ("They threatened to kill 5 people.", 0),
        ("He tried to kill two guards.", 0),
        ("Three soldiers were not killed.", 0),
        ("Students protested over the killing of a student.", 0),
        ("Drivers protested the killing of a fellow driver.", 0),
        ("Police arrested a man accused of killing 2 people.", 0),
        ("Families demanded justice for two cadres that were assassinated.", 0),
        ("Protesters gathered after eight people were killed in an accident.", 0),
        ("Farmers slaughtered a lamb outside the office.", 0),
        ("Oxen were also killed during the operation.", 0),
        ("The protest died down in the evening.", 0),
        ("The military said that the slain militant was wanted.", 0),
        ("Nobody knows whether anyone was killed.", 0),
        ("On 2 May 2020, 1 policeman was killed.", 1),
        ("On 30 June 2022, a suspected militant was killed.", 1),
    ],
)
def test_event_count(text: str, expected: int) -> None:
    assert _total(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # distinct victim groups add up
        ("10 KDF soldiers were killed, and three Al Shabaab fighters were also killed.", 13),
        ("18 ISWAP and 3 Boko Haram fighters were killed.", 21),
        ("The raid killed 3 militants and 1-2 policemen.", 4),
        ("HPG claimed 6 Turkish soldiers and one PKK militant were killed.", 7),
        ("A 7 year old boy, a pregnant woman, and a demonstrator were killed.", 3),
        ("Four members were killed. Also, four more Tahrir members were killed.", 8),
        ("Gunmen killed a farmer and his son.", 2),
        ("Resulting in 25 ADF fighters and 6 military fatalities.", 31),
        # the same victims told twice: the lowest figure
        ("Four soldiers were killed. Officials said three soldiers died.", 3),
        ("Two men were shot and killed by gunmen. 2 fatalities.", 2),
        # totals win over their parts
        ("A cleric and three others were killed. 4 fatalities.", 4),
        ("10 people were killed, including 4 soldiers.", 10),
        ("Five people, among which a young girl, were killed.", 5),
        ("Two militants and five personnel including one policeman and four soldiers were killed.", 7),
        # a definite "the victim" refers back to a counted death
        ("Militants executed an elderly man. The corpse of the victim was found.", 1),
        # the perpetrator counted once
        ("The bomber blew himself up, killing 5.", 6),
        ("The attack killed 6 people, including the bomber.", 6),
        ("The gunman killed two judges before committing suicide.", 3),
    ],
)
def test_choosing(text: str, expected: int) -> None:
    assert _total(text) == expected


def test_significant_raises_vague_counts() -> None:
    assert _total("Several soldiers were killed.", significant=True) == 10
    assert _total("Several soldiers were killed.") == 3
    assert _total("Four soldiers were killed.", significant=True) == 4


def test_mention_fields() -> None:
    text = "Field sources said. Four members of Tahrir al-Sham were killed and several more wounded."
    (mention,) = find_fatalities(text, [(0, 19), (20, len(text))])
    assert mention.count == 4 and mention.sentence == 1 and not mention.vague
    assert mention.victims is not None and mention.victims.text == "members of Tahrir al-Sham"
    assert text[mention.span.start:mention.span.end] == mention.span.text
    (vague,) = find_fatalities("A number of Tahrir terrorists were killed.", [])
    assert vague.vague and vague.count == 3 and vague.victims.text == "Tahrir terrorists"
    (zero,) = find_fatalities("There were no casualties.", [])
    assert zero.count == 0 and zero.span.text == "no casualties"
    (total,) = find_fatalities("The attack killed 6 people, including the bomber.", [])
    assert total.includes_perpetrator


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("The bomber blew himself up at the gate.", "blew himself up"),
        ("A suicide bomber detonated his explosive vest near the base.", "detonated his explosive vest"),
        ("The shooter killed two and then killed himself.", "killed himself"),
        ("The attacker took his own life.", "took his own life"),
        ("Police arrested the bomber.", None),
        ("The attacker fled.", None),
    ],
)
def test_perpetrator_died(text: str, words: str | None) -> None:
    found = perpetrator_died(text)
    assert (found.text if found else None) == words


def test_attempted_suicide_is_no_death() -> None:
    assert _total("One of them attempted to commit suicide last week.") == 0


def test_event_fatalities_without_mentions() -> None:
    assert event_fatalities([]) == 0
    zero = FatalityMention(Span(0, 13, "no casualties"), 0, 0)
    assert event_fatalities([zero]) == 0


def test_stage_fills_document() -> None:
    text = "Two soldiers were killed."
    doc = Document(Article("a1", text), text=text, sentences=[(0, len(text))])
    doc = make_fatalities(PipelineConfig())(doc)
    assert [(m.count, m.victims.text) for m in doc.fatalities] == [(2, "soldiers")]


def test_data_file_schema() -> None:
    quantities = read_data_file("quantities.yaml")
    for table in ("units", "tens", "multipliers", "exact_words", "plural_words"):
        values = quantities[table]
        assert values and all(isinstance(k, str) and isinstance(v, int) and v >= 0 for k, v in values.items())
    assert quantities["units"]["one"] == 1 and quantities["tens"]["twenty"] == 20
    assert quantities["plural_words"] == {"tens": 10, "dozens": 12, "scores": 20, "hundreds": 100,
                                          "thousands": 1000}
    assert quantities["vague_count"] == 3 and quantities["vague_count_significant"] == 10
    assert all(isinstance(w, str) and w for w in quantities["vague_words"] + quantities["bound_words"])

    words = read_data_file("fatality_words.yaml")
    assert set(words["triggers"]) == {"object", "subject", "of", "of_nominal", "noun", "person_only"}
    lists = ["to_death_verbs", "toll_words", "zero_words", "zero_nouns", "zero_phrases",
             "zero_blockers", "injury_words", "not_death_adjacent", "not_death_before",
             "perpetrator_included", "perpetrator_died", "perpetrator_nouns", "additive_words",
             "subset_words", "generic_victims", "consequence_cues", "person_heads"]
    for key in lists + [f"triggers.{k}" for k in words["triggers"]]:
        value = words["triggers"][key.split(".")[1]] if "." in key else words[key]
        assert value and all(isinstance(w, str) and w.strip() for w in value), key
    # a death word is never also an injury word
    every_trigger = {w for ws in words["triggers"].values() for w in ws}
    assert not every_trigger & set(words["injury_words"])


def test_seed_article_counts(shared_dir: Path) -> None:
    text = next((shared_dir / "seed").glob("*.txt")).read_text(encoding="utf-8")
    found = find_fatalities(text, [])
    assert [(m.count, m.vague) for m in found] == [(4, False), (4, False), (3, True), (2, False)]
    assert "more" in found[1].span.text


@pytest.mark.slow
def test_acled_dev_fatalities(shared_dir: Path) -> None:
    """Quality floor: the chosen count equals the coded one for single-event notes."""
    path = shared_dir / "data" / "acled-dev.csv"
    right = total = 0
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["taxonomy"] != "modern" or row["notes_first"] != "1" or row["notes_group_size"] != "1":
                continue
            right += event_fatalities(find_fatalities(row["notes"], [])) == int(row["fatalities"])
            total += 1
    assert total > 1000
    assert right / total >= 0.93


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an acronym in brackets belongs to the victims' noun phrase
        ("Three fighters of the Syrian Democratic Forces (SDF) were killed on Tuesday.", [3]),
        ("Two members of the Kurdistan Workers Party (PKK) were killed.", [2]),
        # a number in brackets is an age or an aside, not a count
        ("The man (45) was killed in the attack.", [1]),
    ],
)
def test_brackets_inside_the_victims_noun_phrase(text: str, expected: list[int]) -> None:
    assert _counts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The conflict, which began in 2009, has killed more than 40,000 people.", []),
        ("The war has already killed 300,000 civilians.", []),
        # an event's own deaths stay, even in the perfect
        ("Gunmen have killed 12 villagers in Zamfara since Sunday.", [12]),
        ("The fighting killed 12 soldiers on Monday.", [12]),
    ],
)
def test_a_conflicts_cumulative_toll_is_no_events_count(text: str, expected: list[int]) -> None:
    assert _counts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "neutralised" said of people means killed (docs/CODING.md), of weapons it does not
        ('Two soldiers were killed and "dozens of terrorists were neutralised", it said.', [2, 12]),
        ("The army neutralised 12 terrorists near the town.", [12]),
        ("Five members of the gang were neutralized by police.", [5]),
        ("Sappers neutralised three IEDs on the road.", []),
        ("Two drones were neutralised over the city.", []),
    ],
)
def test_neutralised_counts_people_only(text: str, expected: list[int]) -> None:
    assert _counts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # after a comma a noun phrase without a number is an apposition, not another victim
        ("Al-Shabaab said it killed 20 soldiers, a figure that could not be confirmed.", [20]),
        ("Gunmen killed the driver, a father of three.", [1]),
        # a list goes on with "and"
        ("They killed three soldiers, a policeman and a child.", [3, 1, 1]),
        ("Gunmen killed two soldiers, three policemen and a child.", [2, 3, 1]),
    ],
)
def test_apposition_is_no_second_count(text: str, expected: list[int]) -> None:
    assert _counts(text) == expected


def test_a_statement_alarmed_by_a_killing_reports_it() -> None:
    assert _counts("Sahel Civilian Watch is alarmed by the killing of at least nine civilians in Tsafe.") == [9]
    # background of a protest stays unread
    assert _counts("Students protested the killing of a classmate.") == []
