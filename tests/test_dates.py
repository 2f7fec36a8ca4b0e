"""Tests of the dates stage: relative and absolute dates resolved against the publication date."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from eventcoder.config import PipelineConfig
from eventcoder.dates import find_dates, make_dates, read_data_file
from eventcoder.model import Article, Document


# 2018-05-29 is a Tuesday
TUESDAY = dt.date(2018, 5, 29)
SATURDAY = dt.date(2018, 5, 26)



def _first(text: str, published: dt.date | None = TUESDAY):
    found = find_dates(text, published, [])
    assert found, f"no date found in {text!r}"
    return found[0]


@pytest.mark.parametrize(
    ("text", "published", "expected", "precision"),
    [
        ("Gunmen attacked the town on Saturday.", TUESDAY, "2018-05-26", 1),
        ("Gunmen attacked the town on Saturday.", SATURDAY, "2018-05-26", 1),
        ("Gunmen attacked the town last Saturday.", SATURDAY, "2018-05-19", 1),
        ("Gunmen attacked the town on Tuesday.", TUESDAY, "2018-05-29", 1),
        ("Clashes broke out on Tuesday night.", dt.date(2018, 5, 31), "2018-05-29", 1),
        ("Raids on the night of Friday to Saturday.", TUESDAY, "2018-05-25", 1),
        ("Protesters gathered yesterday.", TUESDAY, "2018-05-28", 1),
        ("Protesters gathered today.", TUESDAY, "2018-05-29", 1),
        ("Police fired tear gas this morning.", TUESDAY, "2018-05-29", 1),
        ("Shelling continued overnight.", TUESDAY, "2018-05-29", 1),
        ("Shelling continued last night.", TUESDAY, "2018-05-28", 1),
        ("Two died two days ago.", TUESDAY, "2018-05-27", 1),
        ("Clashes erupted last week.", TUESDAY, "2018-05-23", 2),
        ("Clashes erupted earlier this week.", dt.date(2018, 5, 31), "2018-05-29", 2),
        ("Clashes erupted at the weekend.", TUESDAY, "2018-05-26", 2),
        ("Clashes erupted over the weekend.", dt.date(2018, 5, 27), "2018-05-26", 2),
        ("Clashes erupted earlier this month.", TUESDAY, "2018-05-15", 3),
        ("Clashes erupted earlier this month.", dt.date(2018, 5, 9), "2018-05-04", 3),
        ("Clashes erupted last month.", TUESDAY, "2018-04-15", 3),
        ("Clashes erupted on the 12th, police said.", TUESDAY, "2018-05-12", 1),
        ("Clashes erupted on the 30th.", dt.date(2018, 5, 28), "2018-04-30", 1),
        ("On 26 May, troops advanced.", TUESDAY, "2018-05-26", 1),
        ("On May 26, troops advanced.", TUESDAY, "2018-05-26", 1),
        ("On 26 May 2018, troops advanced.", TUESDAY, "2018-05-26", 1),
        ("On 9 May 2020, protesters gathered.", dt.date(2020, 5, 9), "2020-05-09", 1),
        ("On October 12, police arrested him.", dt.date(2018, 10, 13), "2018-10-12", 1),
        ("On October 8th, police arrested him.", dt.date(2018, 10, 13), "2018-10-08", 1),
        ("On Sept. 5, 2017 troops advanced.", TUESDAY, "2017-09-05", 1),
        ("The sit-in began on Jan.29 and ended later.", dt.date(2014, 1, 30), "2014-01-29", 1),
        ("Clashes on 8/10/2022 in the capital.", dt.date(2022, 10, 9), "2022-10-08", 1),
        ("Clashes on 10/8/2022 in the capital.", dt.date(2022, 10, 9), "2022-10-08", 1),
        ("Clashes on 25/12/2021 in the capital.", dt.date(2022, 1, 3), "2021-12-25", 1),
        ("Clashes on 2022-10-08 in the capital.", dt.date(2022, 10, 9), "2022-10-08", 1),
        ("One dead in an attack on 22/12.", dt.date(2017, 12, 23), "2017-12-22", 1),
        ("Around 8 May 2020, troops advanced.", dt.date(2020, 5, 10), "2020-05-08", 2),
        ("Around 6 May 2020 (week of), troops beat a man.", dt.date(2020, 5, 10), "2020-05-06", 2),
        ("Around 15 March 2022 (month of), raiders struck.", dt.date(2022, 3, 31), "2022-03-15", 3),
        ("Around 25 June 2022 (weekend of), people marched.", dt.date(2022, 6, 27), "2022-06-25", 2),
        ("Fighting between 3 and 5 May left two dead.", TUESDAY, "2018-05-03", 2),
        ("Fighting from 28 April to 2 May left two dead.", TUESDAY, "2018-04-28", 2),
        ("Fighting on 15-16 January left two dead.", dt.date(2018, 1, 20), "2018-01-15", 2),
        ("Fighting in early May left two dead.", TUESDAY, "2018-05-01", 3),
        ("Fighting at the end of April left two dead.", TUESDAY, "2018-04-30", 3),
        ("During the month of October 2017, militants attacked.", TUESDAY, "2017-10-15", 3),
        ("On Saturday, May 26, troops advanced.", TUESDAY, "2018-05-26", 1),
        # year inference: the latest such date not after publication (+1 day)
        ("On 30 December, troops advanced.", dt.date(2019, 1, 2), "2018-12-30", 1),
        ("On 2 January, troops advanced.", dt.date(2019, 1, 1), "2019-01-02", 1),
        ("On 3 January, troops advanced.", dt.date(2019, 1, 1), "2018-01-03", 1),
    ],
)
def test_resolves(text: str, published: dt.date, expected: str, precision: int) -> None:
    mention = _first(text, published)
    assert (mention.date.isoformat(), mention.precision) == (expected, precision)


@pytest.mark.parametrize(
    ("text", "reported"),
    [
        ("The militant groups declared in a statement on Tuesday that they had merged.", True),
        ("Field sources reported on Saturday that Ankara was trying to force a dissolution.", True),
        ("Police said on Tuesday that four people were killed.", True),
        ("The army announced on Saturday the capture of the town.", True),
        ("As reported on 15 May, police arrested 39 people.", True),
        ("On Tuesday, the ministry said that the talks had failed.", True),
        ("Four people were killed on Saturday, police said.", False),
        # a trailing attribution after a comma: the date is still the event's
        ("Shelling killed 15 civilians in El Fasher, the capital, on Sunday, medics said.", False),
        ("Gunmen killed nine villagers in Tsafe, in Zamfara state, on Monday, police said on Tuesday.", False),
        ("The rebels withdrew, on Saturday, the army said, adding that the road was open.", True),
        ("Five were reported killed on Saturday.", False),
        ("Police said four people were killed on Saturday.", False),
        ("Gunmen attacked the village on Saturday.", False),
        ("On Saturday, gunmen attacked the village.", False),
        ("On Saturday, gunmen killed three and said they would return.", False),
    ],
)
def test_reported(text: str, reported: bool) -> None:
    assert _first(text).reported is reported


@pytest.mark.parametrize(
    "text",
    [
        "The uprising in 2011 changed the country.",
        "The group has been active since 2015.",
        "Curfew has been in place since 12 May.",
        "The talks will resume next Monday.",
        "Leaders will meet on Friday.",
        "Churches were attacked on Easter Sunday.",
        "He may 5 times have tried.",
        "Protesters sat in front of the office.",
        "Veterans of the October 2014 insurrection protested.",
        "Clashes on 12 March 2011 started the war.",  # more than a year before publication
        "The protest is planned for 30 June.",  # after publication + 1 day
        "During the last week of February, rioters struck.",
        "Prices rose by 5/8 of a point.",
        "The 12th Brigade moved in.",
    ],
)
def test_skips(text: str) -> None:
    assert find_dates(text, TUESDAY, []) == []


def test_never_after_publication() -> None:
    text = "On 31 May, on 30 May, on Wednesday and on the 31st, nothing happened."
    assert all(m.date <= TUESDAY + dt.timedelta(days=1) for m in find_dates(text, TUESDAY, []))


def test_without_publication_date_keeps_only_dates_with_a_year() -> None:
    found = find_dates("On Saturday and on 26 May and on 26 May 2018, troops advanced.", None, [])
    assert [m.date.isoformat() for m in found] == ["2018-05-26"]


def test_spans_and_sentences() -> None:
    text = "Troops advanced. On Saturday, gunmen attacked the town."
    sentences = [(0, 16), (17, len(text))]
    (mention,) = find_dates(text, TUESDAY, sentences)
    assert mention.sentence == 1
    assert text[mention.span.start:mention.span.end] == mention.span.text == "Saturday"


def test_stage_fills_document() -> None:
    text = "Police dispersed protesters yesterday."
    doc = Document(Article("a1", text, published=TUESDAY), text=text, sentences=[(0, len(text))])
    doc = make_dates(PipelineConfig())(doc)
    assert [m.date for m in doc.dates] == [dt.date(2018, 5, 28)]


def test_data_file_schema() -> None:
    words = read_data_file("date_words.yaml")
    assert words["schema"] == 1
    assert sorted(set(words["months"].values())) == list(range(1, 13))
    assert sorted(words["weekdays"].values()) == list(range(7))
    assert all(isinstance(v, int) and 0 <= v <= 7 for v in words["relative_days"].values())
    for phrase, spec in words["relative_periods"].items():
        assert spec["unit"] in {"week", "weekend", "month"}, phrase
        assert spec["offset"] in (0, -1), phrase
    assert set(words["precision_remarks"].values()) <= {1, 2, 3}
    assert all(v == 0 for v in words["anaphoric_days"].values())
    for key in ("approximate_before", "history_before", "future_cues", "reporting_words",
                "weekday_blockers", "day_parts"):
        assert words[key] and all(isinstance(w, str) and w for w in words[key]), key
    for position, day in words["month_positions"].items():
        assert day == "last" or (isinstance(day, int) and 1 <= day <= 28), position


def test_seed_article_dates(shared_dir: Path) -> None:
    text = next((shared_dir / "seed").glob("*.txt")).read_text(encoding="utf-8")
    found = find_dates(text, dt.date(2018, 5, 29), [])
    assert [(m.span.text, m.date.isoformat(), m.reported) for m in found] == [
        ("Tuesday", "2018-05-29", True),
        ("Saturday", "2018-05-26", True),
    ]


@pytest.mark.slow
def test_acled_dev_event_dates(shared_dir: Path) -> None:
    """Quality floor: the first non-reported date (else publication) is the coded event date."""
    path = shared_dir / "data" / "acled-dev.csv"
    right = total = 0
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["taxonomy"] != "modern" or row["notes_first"] != "1":
                continue
            published = dt.date.fromisoformat(row["event_date"])
            found = [m for m in find_dates(row["notes"], published, []) if not m.reported]
            right += (found[0].date if found else published) == published
            total += 1
    assert total > 1000
    assert right / total >= 0.97


def test_reported_opening_a_later_sentence() -> None:
    text = "Troops advanced. On Tuesday, the ministry said that talks failed."
    (mention,) = find_dates(text, TUESDAY, [(0, 16), (17, len(text))])
    assert mention.reported and mention.sentence == 1


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        # a wire dateline dates the report; the event keeps the day its own sentence gives
        ("BEIRUT, March 8 (Reuters) - Warplanes struck the town on Thursday.",
         [("March 8", True), ("Thursday", False)]),
        ("ADEN, Yemen, April 15 (Xinhua) -- A child was killed on Sunday.",
         [("April 15", True), ("Sunday", False)]),
        # no dateline: a date opening the text is the event's
        ("On 8 March, warplanes struck the town - residents said.", [("8 March", False)]),
        ("March 8 - Warplanes struck the town.", [("March 8", False)]),
    ],
)
def test_dateline_date_is_reported(text: str, dates: list[tuple[str, bool]]) -> None:
    found = find_dates(text, dt.date(2024, 4, 15), [])
    assert [(m.span.text, m.reported) for m in found] == dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fighting broke out on Saturday. The same day, the two sides exchanged prisoners.",
         [("Saturday", "2018-05-26", 1), ("The same day", "2018-05-26", 1)]),
        ("Gunmen attacked the village last week. That night, they burned the market.",
         [("last week", "2018-05-23", 2), ("That night", "2018-05-23", 2)]),
        # the anchor is an event's date, not a report's
        ("Police said on Tuesday that gunmen attacked on Saturday and fled that night.",
         [("Tuesday", "2018-05-29", 1), ("Saturday", "2018-05-26", 1), ("that night", "2018-05-26", 1)]),
        # "the next day" dates a sequel: not resolved
        ("Gunmen abducted a driver on Saturday and released him the next day.",
         [("Saturday", "2018-05-26", 1)]),
        # nothing to count from, and "the day before yesterday" is its own phrase
        ("That night, gunmen attacked the village.", []),
        ("Gunmen attacked the village the day before yesterday.", [("the day before yesterday", "2018-05-27", 1)]),
    ],
)
def test_same_day_counts_from_the_date_before(text: str, expected: list[tuple[str, str, int]]) -> None:
    found = find_dates(text, TUESDAY, [])
    assert [(m.span.text, m.date.isoformat(), m.precision) for m in found] == expected
