"""The news-style development set (evaluation/news/news.jsonl) is what its README promises: at
least 150 short reports, every sub-event type at least five times, at least 20 texts with no
event, gold that the evaluation's reader accepts and that is consistent with itself."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

from eventcoder.evaluate import read_annotated
from eventcoder.lexicon import codebook

NEWS = Path(__file__).resolve().parents[1] / "evaluation" / "news" / "news.jsonl"
RECORDS = [json.loads(line) for line in NEWS.read_text(encoding="utf-8").splitlines() if line.strip()]
_SENTENCE_END = re.compile(r"[.!?][\"”']?\s+(?=[A-Z\"“])")
# words whose full stop does not end a sentence ("Lt. Col.", "U.S. and British")
_ABBREVIATION = re.compile(r"(?:\b[A-Z]|\b(?:Lt|Col|Gen|Maj|Capt|St|Mr|Dr|Sept|Jan|Feb|Aug|Oct|Nov|Dec))$")


def _sentences(text: str) -> int:
    """How many sentences ``text`` has (a full stop after an abbreviation ends none)."""
    ends = [m for m in _SENTENCE_END.finditer(text) if not _ABBREVIATION.search(text[: m.start()])]
    return len(ends) + 1


def test_the_set_is_large_and_covers_every_sub_event_type() -> None:
    articles = read_annotated(str(NEWS))
    assert len(articles) >= 150
    counts = Counter(event.sub_event_type for article in articles for event in article.events)
    assert set(counts) == set(codebook().order)
    assert min(counts.values()) >= 5, counts.most_common()[-3:]
    assert sum(1 for article in articles if not article.events) >= 20


def test_ids_and_texts_are_unique_and_texts_are_short() -> None:
    assert len({r["id"] for r in RECORDS}) == len(RECORDS)
    assert len({r["text"] for r in RECORDS}) == len(RECORDS)
    for record in RECORDS:
        sentences = _sentences(record["text"].strip())
        assert 1 <= sentences <= 4, (record["id"], sentences)


def test_the_set_spans_many_countries_and_outlets() -> None:
    countries = {e["country"] for r in RECORDS for e in r["events"]}
    outlets = {r["outlet"] for r in RECORDS}
    assert len(countries) >= 40 and len(outlets) >= 30


def test_gold_events_are_consistent() -> None:
    book = codebook()
    for record in RECORDS:
        published = dt.date.fromisoformat(record["published"])
        for event in record["events"]:
            assert event["event_type"] == book.event_type[event["sub_event_type"]], record["id"]
            if event["event_date"] is not None:
                # an event is reported after it happens, and within weeks of it
                delay = published - dt.date.fromisoformat(event["event_date"])
                assert dt.timedelta(0) <= delay <= dt.timedelta(days=14), record["id"]
            assert isinstance(event["fatalities"], int) and event["fatalities"] >= 0
            for name in (event["actor1"], event["actor2"]):
                # ACLED's actor names carry no "terrorist" / "insurgent" labels (CODEBOOK.md sec. 4)
                assert name is None or not re.search(r"terrorist|insurgent", name, re.I), record["id"]
