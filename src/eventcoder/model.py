"""Records that flow through the pipeline.

One :class:`Document` goes through every stage (``ingest -> clean -> nlp -> actors -> places ->
events -> merge``); each stage reads the fields earlier stages filled and adds its own. All offsets
stored in records are offsets into ``Document.text`` (the cleaned text); :meth:`Document.to_source`
maps them back to the text the user gave, which is what evidence spans in the output point into.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

#: ACLED's columns, in ACLED's order. Every writer derives its columns from this one list.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)

#: The JSONL record's fields (DESIGN.md, command-line contract), in order.
JSONL_FIELDS: tuple[str, ...] = (
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
    "article_id",
    "event_id",
    "confidence",
    "evidence",
)


@dataclass(frozen=True, slots=True)
class Article:
    """One input article as the user gave it.

    ``text`` is the text evidence spans point into: the file's text, or for HTML the main text
    that trafilatura extracted.
    """

    id: str
    text: str
    published: dt.date | None = None
    title: str | None = None
    source: str | None = None
    url: str | None = None
    origin: str | None = None


@dataclass(frozen=True, slots=True)
class Span:
    """A character span ``[start, end)`` into ``Document.text``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Evidence:
    """A span into the article text as the user gave it, labelled with the field it supports.

    ``origin`` is ``"text"`` for such a span. Evidence from the article's metadata instead has
    ``origin == "source"`` (the outlet whose home country an event's country is, when the text
    names none: :mod:`eventcoder.outlets`); its ``text`` is then the source's words and
    ``start == end == 0``. Only such records carry the key ``origin`` in :meth:`as_dict`.

    >>> Evidence(0, 0, "Hiru News", "country", "source").as_dict()["origin"]
    'source'
    """

    start: int
    end: int
    text: str
    field: str
    origin: str = "text"

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end, "text": self.text,
                               "field": self.field}
        if self.origin != "text":
            out["origin"] = self.origin
        return out


@dataclass(frozen=True, slots=True)
class Actor:
    """An entry of the actor dictionary: the ACLED-style canonical name and its inter code."""

    name: str
    inter: int
    country: str | None = None
    #: named | state | generic (generic names get the country filled in later) | observer (a
    #: monitoring mission that reports events and is never a side of them)
    kind: str = "named"
    #: admin1 names (of ``country``) of the actor's home ground, from the dictionary: a regional
    #: insurgency's provinces, a monitoring mission's area; weak context for the places stage
    areas: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ActorMention:
    """An actor named in the text."""

    span: Span
    actor: Actor
    sentence: int
    #: "member" when the mention is one of a listed group of members of a coalition.
    role: str | None = None


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry, resolved: coordinates and the admin areas that contain it."""

    name: str
    country: str
    country_code: str
    latitude: float | None
    longitude: float | None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    geonameid: int | None = None
    feature: str = "city"  # city | admin1 | admin2 | country | supplement
    population: int = 0


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A toponym in the text and the place it resolved to.

    ``precision`` is ACLED's geo_precision implied by how the text names it: 1 for a named town,
    2 for "near X", "X countryside", a road between towns, 3 for a province or region only.
    """

    span: Span
    place: Place
    sentence: int
    precision: int = 1
    score: float = 1.0


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression resolved against the publication date."""

    span: Span
    date: dt.date
    precision: int
    sentence: int
    #: True for "reported on Saturday"-style dates that say when a report came, not an event.
    reported: bool = False


@dataclass(frozen=True, slots=True)
class FatalityMention:
    """A death count in the text; ``count`` follows ACLED's conventions for vague words."""

    span: Span
    count: int
    sentence: int
    includes_perpetrator: bool = False
    #: the count came from a vague word ("several", "a number of"); ``count`` is then the low
    #: reading (3) and the events stage may raise it to 10 for a significant attack
    vague: bool = False
    #: the words name who died ("four members of Tahrir al-Sham"), when the text says
    victims: Span | None = None


@dataclass(slots=True)
class Mention:
    """An event mention: one trigger in one sentence, with the arguments found for it."""

    sub_event_type: str
    event_type: str
    trigger: Span
    sentence: int
    confidence: float
    actor1: Actor | None = None
    assoc_actor_1: list[Actor] = field(default_factory=list)
    actor2: Actor | None = None
    assoc_actor_2: list[Actor] = field(default_factory=list)
    place: PlaceMention | None = None
    date: DateMention | None = None
    fatalities: list[FatalityMention] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    #: spans into Document.text, by field, before they are mapped to source offsets
    spans: list[tuple[str, Span]] = field(default_factory=list)


@dataclass(slots=True)
class Event:
    """One coded event: ACLED's fields plus provenance."""

    event_date: str | None
    time_precision: int | None
    event_type: str
    sub_event_type: str
    actor1: str | None
    assoc_actor_1: str | None
    inter1: int | None
    actor2: str | None
    assoc_actor_2: str | None
    inter2: int | None
    interaction: int | None
    civilian_targeting: str | None
    country: str | None
    admin1: str | None
    admin2: str | None
    admin3: str | None
    location: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    source: str | None
    notes: str | None
    fatalities: int
    article_id: str
    event_id: str
    confidence: float
    evidence: list[Evidence] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The JSONL record: ACLED's column names in lower case, then provenance."""
        out: dict[str, Any] = {}
        for name in JSONL_FIELDS:
            value = getattr(self, name)
            if name == "evidence":
                value = [ev.as_dict() for ev in value]
            out[name] = value
        return out


@dataclass(frozen=True)
class MergedEvent:
    """One real-world event and every report of it (``linking.merge_events``).

    ``event`` is the merged record, with its own ``event_id`` derived from its members; ``sources``
    are the member reports, each with its own article id and evidence, sorted by
    ``(article_id, event_id)``; ``fatalities_disagree`` says the reports gave different death
    tolls (the merged record carries the lowest, as ACLED does, and says so in its notes).
    """

    event: Event
    sources: tuple[Event, ...]
    fatalities_disagree: bool


@dataclass(slots=True)
class Document:
    """The typed document every stage reads and extends."""

    article: Article
    #: cleaned text: quotes and dashes normalised, boilerplate blanked
    text: str = ""
    #: ``offsets[i]`` is the index in ``article.text`` of ``text[i]``; one extra entry for the end
    offsets: list[int] = field(default_factory=list)
    spacy_doc: Any = None
    #: sentence boundaries as (start, end) offsets into ``text``
    sentences: list[tuple[int, int]] = field(default_factory=list)
    language: str | None = None
    actors: list[ActorMention] = field(default_factory=list)
    #: monitoring missions the text names as reporting what happened ("the OSCE SMM observed
    #: ..."): never a side of an event, but their area is context for the places stage
    observers: list[ActorMention] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    fatalities: list[FatalityMention] = field(default_factory=list)
    country: str | None = None
    #: evidence of ``country`` that is no span of the text: the outlet whose home country it is,
    #: when the text names none (``outlets.decide_country``)
    country_evidence: Evidence | None = None
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of ``text`` to offsets into ``article.text``."""
        if not self.offsets:
            return start, end
        src_start = self.offsets[start]
        # the end maps through the last character of the span so a removed tail is not included
        src_end = self.offsets[end - 1] + 1 if end > start else src_start
        return src_start, src_end

    def evidence(self, span: Span, field_name: str) -> Evidence:
        """Evidence for ``span`` (an offset pair into ``text``) pointing into the source text."""
        start, end = self.to_source(span.start, span.end)
        return Evidence(start, end, self.article.text[start:end], field_name)

    def sentence_of(self, offset: int) -> int:
        """Index of the sentence containing ``offset`` (the last one if past the end)."""
        for index, (start, end) in enumerate(self.sentences):
            if start <= offset < end:
                return index
        return max(len(self.sentences) - 1, 0)


def event_from_dict(record: dict[str, Any]) -> Event:
    """The :class:`Event` of a JSONL record (:meth:`Event.as_dict`), as a store keeps it.

    >>> event = event_from_dict({"event_type": "Protests", "sub_event_type": "Peaceful protest",
    ...     "fatalities": 0, "article_id": "a1", "event_id": "e1", "confidence": 0.5,
    ...     "evidence": [{"start": 0, "end": 6, "text": "Police", "field": "actor1"}]})
    >>> event.evidence[0].field, event.country
    ('actor1', None)
    """
    values = {name: record.get(name) for name in JSONL_FIELDS}
    values["evidence"] = [Evidence(**span) for span in record.get("evidence") or []]
    values["fatalities"] = values["fatalities"] or 0
    values["confidence"] = values["confidence"] or 0.0
    return Event(**values)


@dataclass(frozen=True, slots=True)
class CodedArticle:
    """What a batch run stores for one article: the article, its reports, or its link.

    ``reports`` are the article's own events (one per actor pair, place and day in it);
    ``duplicate_of`` names the article this one is a near-duplicate of (it is then not coded and
    has no reports); ``demote`` lists stored articles that turn out to be near-duplicates of
    this one (see ``batch.py``: the smallest id of a group of copies is the one coded).
    """

    article: Article
    signature: bytes = b""
    reports: tuple[Event, ...] = ()
    language: str | None = None
    duplicate_of: str | None = None
    demote: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Failure:
    """An input or document a batch run could not code, and why (one line)."""

    input: str
    reason: str
    time: str = ""
