"""Tests of the merge stage (within one article): which mentions are one event, and the
evidence each event carries."""

from __future__ import annotations

import dataclasses

import pytest

from eventcoder.config import PipelineConfig
from eventcoder.merge import compatible, trigger_phrase
from eventcoder.model import Actor, Article, Document, Mention, Place, PlaceMention, Span

TOWN = Place("Kismayo", "Somalia", "SO", -0.36, 42.55, geonameid=55671)
CITY = Place("Mogadishu", "Somalia", "SO", 2.04, 45.34, geonameid=53654)


def _mention(sentence: int, place: Place, place_sentence: int) -> Mention:
    return Mention(
        sub_event_type="Armed clash",
        event_type="Battles",
        trigger=Span(0, 1, "x"),
        sentence=sentence,
        confidence=0.5,
        actor1=Actor("Al Shabaab", 2, "Somalia"),
        place=PlaceMention(Span(0, 1, "x"), place, place_sentence),
    )


def test_a_place_borrowed_from_an_earlier_sentence_does_not_split_an_event() -> None:
    first = _mention(1, TOWN, 1)
    # the follow-up sentence names no place; the one it borrowed is another town of sentence 1
    follow_up = _mention(2, CITY, 1)
    assert compatible(first, follow_up)
    # two places each named by the mention's own sentence are two events
    assert not compatible(first, _mention(2, CITY, 2))


@pytest.fixture(scope="module")
def parse():
    from eventcoder.nlp import make_nlp

    nlp = make_nlp(PipelineConfig())

    def run(text: str):
        return nlp(Document(article=Article(id="t", text=text), text=text)).spacy_doc

    return run


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "trigger", "phrase"),
    [
        ("Islamic State cells attacked one of their checkpoints near the town.", "attacked",
         "attacked one of their checkpoints"),
        ("Jihadists killed 15 civilians in an attack on a village near Djibo.", "attack",
         "attack on a village"),
        ("Fighting broke out on Wednesday morning at the entrance.", "Fighting", "Fighting broke out"),
        ("Police fired tear gas and arrested 30 people.", "tear gas", "fired tear gas"),
        ("A patrol came under fire near the town.", "came", "came under fire"),
        ("The demonstrators marched peacefully to the port.", "marched", "marched peacefully"),
    ],
)
def test_trigger_phrase_takes_the_object_or_the_verb(parse, text: str, trigger: str, phrase: str) -> None:
    start = text.index(trigger)
    span = trigger_phrase(parse(text), start, start + len(trigger))
    assert span is not None and text[span[0] : span[1]] == phrase


@pytest.mark.slow
def test_trigger_phrase_is_none_when_the_word_stands_alone(parse) -> None:
    text = "The attack was condemned."
    assert trigger_phrase(parse(text), 4, 10) is None
    assert trigger_phrase(None, 4, 10) is None


def test_a_reports_day_does_not_contradict_the_events_day() -> None:
    import datetime as dt

    from eventcoder.model import DateMention

    def dated(mention: Mention, day: int, reported: bool) -> Mention:
        mention.date = DateMention(Span(0, 1, "x"), dt.date(2023, 9, day), 1, mention.sentence, reported)
        return mention

    # "... security sources told reporters on Tuesday" then "... arrived late on Sunday"
    assert compatible(dated(_mention(0, TOWN, 0), 12, True), dated(_mention(1, TOWN, 1), 10, False))
    # two days the text gives for events are two events
    assert not compatible(dated(_mention(0, TOWN, 0), 12, False), dated(_mention(1, TOWN, 1), 10, False))
    # with a report's day, the event must be at the same town (here: another town, borrowed)
    assert not compatible(dated(_mention(0, TOWN, 0), 12, True), dated(_mention(2, CITY, 1), 10, False))
    # a day lent by another sentence is no report's day
    lent = dated(_mention(2, TOWN, 2), 12, True)
    lent.date = dataclasses.replace(lent.date, sentence=0)
    assert not compatible(lent, dated(_mention(1, TOWN, 1), 10, False))


def test_a_capture_and_the_battle_for_the_same_town_are_one_event() -> None:
    import datetime as dt

    from eventcoder.merge import merge_mentions
    from eventcoder.model import DateMention

    # "... government forces recaptured the town of X" (day lent by the lede), then "dozens of
    # militants were killed in Saturday's battle" (its own day): one regain, on Saturday
    def capture(day_from_sentence: int) -> Mention:
        mention = _mention(4, TOWN, 4)
        mention.sub_event_type = "Government regains territory"
        mention.actor1 = Actor("Military Forces", 1, "Somalia", "state")
        mention.date = DateMention(Span(0, 1, "x"), dt.date(2024, 1, 21), 1, day_from_sentence, False)
        return mention

    def battle(place: Place, place_sentence: int) -> Mention:
        mention = _mention(5, place, place_sentence)
        mention.actor1 = Actor("Military Forces", 1, "Somalia", "state")
        mention.date = DateMention(Span(0, 1, "x"), dt.date(2024, 1, 20), 1, 5, False)
        return mention

    assert compatible(capture(0), battle(TOWN, 4))
    [event] = merge_mentions([capture(0), battle(TOWN, 4)])
    assert (event.sub_event_type, event.date.date) == ("Government regains territory", dt.date(2024, 1, 20))
    # a battle elsewhere, or on a day of its own with the capture's own day, stays apart
    assert not compatible(capture(0), battle(CITY, 5))
    assert not compatible(capture(4), battle(TOWN, 4))
