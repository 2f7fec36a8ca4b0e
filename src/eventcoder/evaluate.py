"""Score the engine on gold data: an ACLED CSV whose ``notes`` texts are the articles, or a JSONL
of annotated articles (``evaluation/news/news.jsonl``: news-style texts with their gold events).

Conventions (documented in docs/EVALUATION.md):

* each distinct ``notes`` text is one article, published on its row's ``event_date``;
* rows of the legacy taxonomy (no ``sub_event_type``) are skipped and counted, never mixed in;
* each gold row is compared with the article's *first* predicted event (document order of its
  trigger), the event an analyst reading the output would take for the report's main event; an
  article with no predicted event counts as wrong on every field;
* actor names are compared case- and accent-insensitively with the regime years of state forces
  ignored (``Military Forces of Kenya (2013-2022)`` = ``Military Forces of Kenya (2022-)``);
* admin1 names are compared through the gazetteer's aliases (ACLED writes ``Idleb``, GeoNames
  ``Idlib``);
* a coder's category label at the start of a note ("Looting: On 9 May ...", "Non-violent
  activity: ...") is removed before the engine reads the text: it is ACLED's answer written into
  the note, which no news article carries.

Annotated articles (JSONL, one object a line: ``text``, ``events`` and optionally ``id``,
``published``, ``outlet``) follow the same conventions, and:

* a text whose ``events`` list is empty reports no event ACLED would code; the share of such texts
  on which the engine codes nothing is ``no_event_rate``, and an event coded on one counts as a
  wrong label in ``sub_event_type_f1`` (it lowers the precision of the type it was given);
* a text with several gold events pairs them one-to-one with the engine's events, each taking the
  first free event of its sub-event type, else of its event type, else the first free event;
  with one gold event, that event is compared with the engine's first, as for ACLED rows;
* a gold field that is absent or null is not scored (only ``sub_event_type`` is required);
  ``location`` is scored when gold gives it: the same name, or names the gazetteer resolves to a
  common place ("City - District" matches "City").
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventcoder.config import PipelineConfig
from eventcoder.errors import InputError
from eventcoder.model import Event

FIELDS: tuple[str, ...] = (
    "coverage",
    "no_event_rate",
    "event_type",
    "sub_event_type",
    "sub_event_type_f1",
    "actor_recall",
    "country",
    "admin1",
    "location",
    "within_25km",
    "within_25km_gp1",
    "geo_precision",
    "fatalities",
    "event_date",
)

#: gold label of a text that reports no event (never one of the 25 sub-event types)
NO_EVENT = "(none)"
_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
_EVENT_TEXT_FIELDS = ("event_type", "event_date", "actor1", "actor2", "country", "admin1", "location")

_CODER_LABEL = re.compile(r"^\s*[A-Z][A-Za-z/ -]{2,40}:\s+(?=\S)")
# ACLED coders' remarks inside a note say how the row was coded, which is the answer key, not
# news text: "(coded as Djibo at geoprecision 3)", "[coded to Prague]", ", coded as Olympia
# (Washington).", "Unknown fatalities coded as 10." An article never carries them.
_CODER_BRACKET = re.compile(r"\s*(?:\([^()\[\]]*\bcoded\b[^()\[\]]*(?:\([^()]*\)[^()\[\]]*)*\)"
                            r"|\[[^\[\]]*\bcoded\b[^\[\]]*\])", re.I)
# the clause ends at the next comma outside brackets: ", coded to Mutarule (Ruzizi, Uvira)"
_CODER_CLAUSE = re.compile(r",\s*(?:and\s+)?(?:(?:the\s+)?(?:location|event)\s+(?:was\s+|is\s+)?)?"
                           r"coded\s+(?:as|to|at|in|under)\b(?:[^.;,()]|\([^()]*\))*", re.I)
# a remark inside a sentence that goes on after it: "households in Bukkuyum LGA coded to Bukuyum
# were displaced" (the sentence is the report; only the remark goes)
_CODER_INLINE = re.compile(r"(?<=[\w)])\s+coded\s+(?:as|to)\s+[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*"
                           r"(?:\s*\([^()]*\))?(?=\s+[a-z])(?!\s+(?:district|province|county|"
                           r"region|state|town|city|village|municipality|commune|department|"
                           r"governorate|area|with|at|and|in)\b)")
_CODER_SENTENCE = re.compile(r"(?:^|(?<=[.!?]))[^.!?]*\b(?:coded|geo-?precision)\b[^.!?]*[.!?]?", re.I)
_REGIME = re.compile(r"\s*\((?:\d{4})?\s*-\s*(?:\d{4})?\)")


def normalise_actor(name: str) -> str:
    """Actor name key for comparison: no accents, lower case, regime years dropped.

    >>> normalise_actor("Military Forces of Kenya (2013-2022)")
    'military forces of kenya'
    """
    text = unicodedata.normalize("NFKD", _REGIME.sub("", name))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text).strip().lower()


def strip_coder_label(notes: str) -> str:
    """A note without the coder's leading category label.

    >>> strip_coder_label("Looting: On 9 May 2020, rebels looted crops.")
    'On 9 May 2020, rebels looted crops.'
    >>> strip_coder_label("On 9 May 2020, rebels looted crops.")
    'On 9 May 2020, rebels looted crops.'
    """
    return _CODER_LABEL.sub("", notes, count=1)


def strip_coder_notes(notes: str) -> str:
    """A note as an article would read: no leading label, no remarks on how it was coded.

    >>> strip_coder_notes("Looting: On 9 May 2020, rebels looted crops near Pama (coded as "
    ...                   "Pama at geoprecision 2). Unknown fatalities coded as 10.")
    'On 9 May 2020, rebels looted crops near Pama.'
    >>> strip_coder_notes("Militants trained in western Washington, coded as Olympia "
    ...                   "(Washington). Two were arrested.")
    'Militants trained in western Washington. Two were arrested.'
    >>> strip_coder_notes("Gunmen killed 3 [coded to Baku with GP2] in the town.")
    'Gunmen killed 3 in the town.'
    >>> strip_coder_notes("Fighters, coded as Security Belt Forces by default, arrived at Socotra.")
    'Fighters, arrived at Socotra.'
    >>> strip_coder_notes("Gunmen abducted a priest near Pama, location coded as Pama (Kompienga).")
    'Gunmen abducted a priest near Pama.'
    >>> strip_coder_notes("Farmers in Gusau LGA coded to Gusau fled their homes.")
    'Farmers in Gusau LGA fled their homes.'
    """
    text = _CODER_BRACKET.sub("", strip_coder_label(notes))
    text = _CODER_CLAUSE.sub("", text)
    text = _CODER_INLINE.sub("", text)
    text = _CODER_SENTENCE.sub("", text)
    return re.sub(r"\s{2,}", " ", text).strip()


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km.

    >>> round(haversine_km(0, 0, 0, 1))
    111
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


@dataclass
class GoldRow:
    """The fields of one gold ACLED row that the evaluation scores."""

    gold_id: str
    notes: str
    event_date: str | None
    event_type: str
    sub_event_type: str
    actors: list[str]
    country: str
    admin1: str
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    fatalities: int | None
    location: str | None = None
    #: the outlet(s) of ACLED's ``source`` column: the article's source metadata
    source: str | None = None

    @classmethod
    def from_row(cls, row: dict[str, str], index: int) -> "GoldRow":
        def number(value: str | None) -> float | None:
            try:
                return float(value) if value not in (None, "") else None
            except ValueError:
                return None

        gp = number(row.get("geo_precision"))
        actors = [row.get("actor1") or "", row.get("actor2") or ""]
        return cls(
            gold_id=row.get("gold_id") or row.get("event_id_cnty") or f"row{index}",
            notes=(row.get("notes") or "").strip(),
            event_date=(row.get("event_date") or "").strip()[:10],
            event_type=(row.get("event_type") or "").strip(),
            sub_event_type=(row.get("sub_event_type") or "").strip(),
            actors=[a.strip() for a in actors if a and a.strip()],
            country=(row.get("country") or "").strip(),
            admin1=(row.get("admin1") or "").strip(),
            latitude=number(row.get("latitude")),
            longitude=number(row.get("longitude")),
            geo_precision=int(gp) if gp is not None else None,
            fatalities=int(number(row.get("fatalities")) or 0),
            source=(row.get("source") or "").strip() or None,
        )


@dataclass
class GoldArticle:
    """One text the engine reads, with the gold events it reports (none for a no-event text).

    ``pair_by_type`` says how several gold events meet the engine's events: ACLED rows sharing a
    notes text all meet the first event (the CSV convention); annotated articles are paired
    one-to-one (see the module docstring).
    """

    gold_id: str
    text: str
    published: str | None
    events: list[GoldRow]
    source: str | None = None
    pair_by_type: bool = False


@dataclass
class NoEventCheck:
    """A text with no gold event beside the first event the engine coded on it, if any."""

    article: GoldArticle
    event: Event | None


@dataclass
class Comparison:
    """One gold row beside the event chosen for it."""

    gold: GoldRow
    event: Event | None
    scores: dict[str, bool | None] = field(default_factory=dict)


@dataclass
class Report:
    """Per-field figures of one evaluation run."""

    rows: int
    articles: int
    skipped_legacy: int
    figures: dict[str, float]
    counts: dict[str, int]
    per_type: dict[str, dict[str, float]]
    comparisons: list[Comparison] = field(default_factory=list, repr=False)
    no_event_checks: list[NoEventCheck] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict[str, Any]:
        """Machine-readable figures (the ``--json`` output)."""
        out: dict[str, Any] = {
            "rows": self.rows,
            "articles": self.articles,
            "skipped_legacy": self.skipped_legacy,
        }
        if self.no_event_checks:
            out["no_event_articles"] = len(self.no_event_checks)
        out.update(
            {
                "figures": {k: round(v, 4) for k, v in self.figures.items()},
                "counts": self.counts,
                "per_sub_event_type": self.per_type,
            }
        )
        return out

    def format(self) -> str:
        """A plain-text table for people."""
        lines = [
            f"rows scored: {self.rows} from {self.articles} articles"
            + (f", {len(self.no_event_checks)} of them with no gold event" if self.no_event_checks else "")
            + (f" ({self.skipped_legacy} legacy-taxonomy rows skipped)" if self.skipped_legacy else ""),
            f"{'field':<22}{'score':>8}{'n':>8}",
        ]
        for name in FIELDS:
            if name in self.figures:
                lines.append(f"{name:<22}{self.figures[name]:>8.3f}{self.counts.get(name, 0):>8}")
        lines.append("")
        lines.append(f"{'sub_event_type':<38}{'n':>5}{'prec':>7}{'rec':>7}{'f1':>7}")
        for label, m in sorted(self.per_type.items()):
            lines.append(
                f"{label:<38}{int(m['support']):>5}{m['precision']:>7.2f}{m['recall']:>7.2f}{m['f1']:>7.2f}"
            )
        return "\n".join(lines)


def read_gold(paths: Sequence[str]) -> tuple[list[GoldRow], int]:
    """Gold rows from ACLED CSV files, and the number of legacy rows skipped."""
    rows: list[GoldRow] = []
    skipped = 0
    csv.field_size_limit(sys.maxsize)
    for path in paths:
        file = Path(path)
        if not file.is_file():
            raise InputError(path, "no such file")
        with file.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or "notes" not in reader.fieldnames:
                raise InputError(path, "not an ACLED CSV with a 'notes' column")
            for i, row in enumerate(reader):
                if not (row.get("sub_event_type") or "").strip():
                    skipped += 1
                    continue
                gold = GoldRow.from_row(row, i)
                if gold.notes:
                    rows.append(gold)
    return rows, skipped


def is_annotated_jsonl(path: str) -> bool:
    """True when ``path`` holds annotated articles (JSONL) rather than an ACLED CSV: by its
    extension (``.jsonl``, ``.ndjson``, ``.json`` / ``.csv``), else by its first character.

    >>> is_annotated_jsonl("news.jsonl"), is_annotated_jsonl("acled.csv")
    (True, False)
    """
    suffix = Path(path).suffix.lower()
    if suffix in _JSONL_SUFFIXES:
        return True
    if suffix == ".csv":
        return False
    try:
        with Path(path).open(encoding="utf-8-sig", errors="replace") as fh:
            head = fh.read(4096).lstrip()
    except OSError:
        return False
    return head.startswith("{")


def _iso_date(value: Any, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{what} must be a YYYY-MM-DD string or null")
    try:
        return dt.date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        raise ValueError(f"{what} is not a YYYY-MM-DD date: {value!r}") from None


def _gold_event(raw: Any, gold_id: str, text: str) -> GoldRow:
    """One gold event of an annotated article; ValueError says what is wrong with it."""
    from eventcoder.lexicon import codebook

    if not isinstance(raw, dict):
        raise ValueError("each item of 'events' must be an object")
    book = codebook()
    sub = raw.get("sub_event_type")
    if sub not in book.event_type:
        raise ValueError(f"unknown sub_event_type {sub!r} (one of ACLED's 25 is required)")
    for name in _EVENT_TEXT_FIELDS:
        if raw.get(name) is not None and not isinstance(raw[name], str):
            raise ValueError(f"{name} must be a string or null")
    event_type = raw.get("event_type") or book.event_type[sub]
    if event_type != book.event_type[sub]:
        raise ValueError(f"event_type {event_type!r} does not contain sub_event_type {sub!r}")
    fatalities = raw.get("fatalities")
    if fatalities is not None and (isinstance(fatalities, bool) or not isinstance(fatalities, int) or fatalities < 0):
        raise ValueError("fatalities must be a whole number >= 0 or null")
    return GoldRow(
        gold_id=gold_id,
        notes=text,
        event_date=_iso_date(raw.get("event_date"), "event_date"),
        event_type=event_type,
        sub_event_type=sub,
        actors=[a.strip() for a in (raw.get("actor1"), raw.get("actor2")) if a and a.strip()],
        country=(raw.get("country") or "").strip(),
        admin1=(raw.get("admin1") or "").strip(),
        latitude=None,
        longitude=None,
        geo_precision=None,
        fatalities=fatalities,
        location=(raw.get("location") or "").strip() or None,
    )


def read_annotated(path: str) -> list[GoldArticle]:
    """Annotated articles from a JSONL file (one JSON object a line, blank lines skipped).

    A record has ``text`` (required), ``events`` (required: a list, empty when the text reports no
    event), and optionally ``id``, ``published`` (YYYY-MM-DD) and ``outlet``. A malformed line
    raises :class:`InputError` naming the file and the line.

    >>> read_annotated("evaluation/news/news.jsonl")[0].events[0].sub_event_type  # doctest: +SKIP
    'Government regains territory'
    """
    file = Path(path)
    if not file.is_file():
        raise InputError(path, "no such file")
    try:
        lines = file.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError:
        raise InputError(path, "not UTF-8 text") from None
    articles: list[GoldArticle] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise ValueError(f"not valid JSON ({err.msg})") from None
            if not isinstance(record, dict):
                raise ValueError("not a JSON object")
            text = record.get("text")
            if not isinstance(text, str) or not text.strip():
                raise ValueError("no 'text' (a non-empty string is required)")
            events = record.get("events")
            if not isinstance(events, list):
                raise ValueError("no 'events' list (an empty list means the text reports no event)")
            gold_id = str(record.get("id") or f"line{number}")
            if gold_id in seen:
                raise ValueError(f"duplicate id {gold_id!r}")
            seen.add(gold_id)
            outlet = record.get("outlet")
            articles.append(
                GoldArticle(
                    gold_id=gold_id,
                    text=text,
                    published=_iso_date(record.get("published"), "published"),
                    events=[
                        _gold_event(raw, gold_id if len(events) == 1 else f"{gold_id}#{i + 1}", text)
                        for i, raw in enumerate(events)
                    ],
                    source=outlet if isinstance(outlet, str) else None,
                    pair_by_type=True,
                )
            )
        except ValueError as err:
            raise InputError(path, f"line {number}: {err}") from None
    if not articles:
        raise InputError(path, "no annotated articles")
    return articles


def read_gold_articles(paths: Sequence[str]) -> tuple[list[GoldArticle], int]:
    """The texts to score and their gold events, from ACLED CSVs and annotated JSONL files alike,
    and the number of legacy CSV rows skipped."""
    csv_paths: list[str] = []
    annotated: list[GoldArticle] = []
    for path in paths:
        if not Path(path).is_file():
            raise InputError(path, "no such file")
        if is_annotated_jsonl(path):
            annotated.extend(read_annotated(path))
        else:
            csv_paths.append(path)
    rows, skipped = read_gold(csv_paths) if csv_paths else ([], 0)
    by_text: dict[tuple[str, str], list[GoldRow]] = defaultdict(list)
    for row in rows:
        by_text[(row.notes, row.event_date or "")].append(row)
    articles = [
        GoldArticle(golds[0].gold_id, strip_coder_notes(text), published, golds, source=golds[0].source)
        for (text, published), golds in by_text.items()
    ]
    return articles + annotated, skipped


def _weighted_f1(pairs: Iterable[tuple[str, str]]) -> tuple[float, dict[str, dict[str, float]]]:
    # NO_EVENT is never averaged as a label of its own: a text with no gold event only counts
    # against the precision of the type the engine wrongly gave it
    tp: Counter[str] = Counter()
    pred_n: Counter[str] = Counter()
    gold_n: Counter[str] = Counter()
    for gold, pred in pairs:
        gold_n[gold] += 1
        pred_n[pred] += 1
        if gold == pred:
            tp[gold] += 1
    per: dict[str, dict[str, float]] = {}
    total = sum(n for label, n in gold_n.items() if label != NO_EVENT)
    weighted = 0.0
    for label, support in gold_n.items():
        if label == NO_EVENT:
            continue
        precision = tp[label] / pred_n[label] if pred_n[label] else 0.0
        recall = tp[label] / support
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per[label] = {"support": support, "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}
        weighted += f1 * support
    return (weighted / total if total else 0.0), per


def _label_pairs(comparisons: list[Comparison], no_event: Sequence[NoEventCheck]) -> list[tuple[str, str]]:
    pairs = [(c.gold.sub_event_type, c.event.sub_event_type if c.event else NO_EVENT) for c in comparisons]
    pairs.extend((NO_EVENT, n.event.sub_event_type if n.event else NO_EVENT) for n in no_event)
    return pairs


def score(
    comparisons: list[Comparison],
    same_admin1: Any,
    no_event: Sequence[NoEventCheck] = (),
    same_location: Any = None,
) -> tuple[dict[str, float], dict[str, int]]:
    """Fill each comparison's per-field verdicts and return the figures and their counts.

    ``same_location(gold_name, event_name, country)`` compares locations (names only when not
    given); ``no_event`` adds ``no_event_rate`` and the texts' wrong labels to the F1.
    """
    hits: dict[str, list[bool]] = defaultdict(list)
    for comp in comparisons:
        gold, event = comp.gold, comp.event
        s: dict[str, bool | None] = {}
        s["coverage"] = event is not None
        s["event_type"] = event is not None and event.event_type == gold.event_type
        s["sub_event_type"] = event is not None and event.sub_event_type == gold.sub_event_type
        if gold.country:
            s["country"] = event is not None and event.country == gold.country
        if gold.admin1:
            s["admin1"] = bool(
                event is not None
                and event.admin1
                and event.country == gold.country
                and same_admin1(event.admin1, gold.admin1, gold.country)
            )
        if gold.location:
            s["location"] = bool(
                event is not None
                and event.location
                and (same_location or _same_location_name)(gold.location, event.location, gold.country)
            )
        if gold.latitude is not None and gold.longitude is not None:
            near = bool(
                event is not None
                and event.latitude is not None
                and event.longitude is not None
                and haversine_km(event.latitude, event.longitude, gold.latitude, gold.longitude) <= 25
            )
            s["within_25km"] = near
            if gold.geo_precision == 1:
                s["within_25km_gp1"] = near
        if gold.geo_precision is not None:
            s["geo_precision"] = event is not None and event.geo_precision == gold.geo_precision
        if gold.fatalities is not None:
            s["fatalities"] = event is not None and event.fatalities == gold.fatalities
        if gold.event_date is not None:
            s["event_date"] = event is not None and event.event_date == gold.event_date
        for actor in gold.actors:
            found = False
            if event is not None:
                names = [event.actor1, event.actor2]
                for assoc in (event.assoc_actor_1, event.assoc_actor_2):
                    names.extend((assoc or "").split("; "))
                keys = {normalise_actor(n) for n in names if n}
                found = normalise_actor(actor) in keys
            hits["actor_recall"].append(found)
        comp.scores = s
        for name, verdict in s.items():
            if verdict is not None:
                hits[name].append(bool(verdict))
    for check in no_event:
        hits["no_event_rate"].append(check.event is None)
    figures = {name: sum(v) / len(v) for name, v in hits.items() if v}
    counts = {name: len(v) for name, v in hits.items()}
    f1, _ = _weighted_f1(_label_pairs(comparisons, no_event))
    figures["sub_event_type_f1"] = f1
    counts["sub_event_type_f1"] = len(comparisons)
    return figures, counts


def _same_location_name(gold: str, got: str, country: str | None) -> bool:
    """Location names equal without accents and case; "City - District" also matches "City"."""
    a, b = normalise_actor(gold), normalise_actor(got)
    return a == b or a.split(" - ")[0] == b.split(" - ")[0]


def _same_admin1(name_a: str | None, name_b: str | None, country: str | None) -> bool:
    # the gazetteer is loaded only when gold gives an admin1 (a stub-pipeline test never needs it)
    from eventcoder.gazetteer import get_gazetteer

    return bool(get_gazetteer().same_admin1(name_a, name_b, country))


def _same_location(gold: str, got: str, country: str | None) -> bool:
    """The same name, or two names the gazetteer resolves to a common place in ``country``."""
    from eventcoder.gazetteer import get_gazetteer

    if _same_location_name(gold, got, country):
        return True
    gazetteer = get_gazetteer()
    ids = {c.place_id for c in gazetteer.lookup(gold.split(" - ")[0], country or None)}
    return bool(ids & {c.place_id for c in gazetteer.lookup(got.split(" - ")[0], country or None)})


def in_text_order(events: Sequence[Event]) -> list[Event]:
    """The events in the order their evidence stands in the text (evidence from the article's
    metadata, such as the outlet's country, has no place in it and does not count)."""
    return sorted(events, key=lambda e: min((ev.start for ev in e.evidence if ev.origin == "text"), default=0))


def pair_events(golds: Sequence[GoldRow], events: Sequence[Event]) -> list[Comparison]:
    """Gold events paired one-to-one with the engine's (in document order): each takes the first
    free event of its sub-event type, else of its event type, else the first free one.

    >>> pair_events([], [])
    []
    """
    free = list(events)
    out: list[Comparison] = []
    for gold in golds:
        pick = next((e for e in free if e.sub_event_type == gold.sub_event_type), None)
        if pick is None:
            pick = next((e for e in free if e.event_type == gold.event_type), None)
        if pick is None and free:
            pick = free[0]
        if pick is not None:
            free.remove(pick)
        out.append(Comparison(gold, pick))
    return out


def evaluate(gold_paths: Sequence[str], config: PipelineConfig | None = None) -> Report:
    """Run the engine over the gold texts (ACLED CSV notes, annotated JSONL articles) and score
    it field by field.

    >>> report = evaluate(["acled.csv"])          # doctest: +SKIP
    >>> report.figures["event_type"]              # doctest: +SKIP
    0.91
    """
    from eventcoder.ingest import article_from_text
    from eventcoder.pipeline import get_pipeline

    articles, skipped = read_gold_articles(gold_paths)
    pipe = get_pipeline(config or PipelineConfig())
    comparisons: list[Comparison] = []
    no_event: list[NoEventCheck] = []
    for gold in articles:
        try:
            date = dt.date.fromisoformat(gold.published) if gold.published else None
        except ValueError:
            date = None
        doc = pipe(article_from_text(gold.text, published=date, source=gold.source))
        events = in_text_order(doc.events)
        first = events[0] if events else None
        if not gold.events:
            no_event.append(NoEventCheck(gold, first))
        elif gold.pair_by_type and len(gold.events) > 1:
            comparisons.extend(pair_events(gold.events, events))
        else:
            comparisons.extend(Comparison(row, first) for row in gold.events)
    figures, counts = score(comparisons, _same_admin1, no_event, _same_location)
    _, per_type = _weighted_f1(_label_pairs(comparisons, no_event))
    return Report(
        rows=len(comparisons),
        articles=len(articles),
        skipped_legacy=skipped,
        figures=figures,
        counts=counts,
        per_type=per_type,
        comparisons=comparisons,
        no_event_checks=no_event,
    )


def dump_errors(report: Report, field_name: str, limit: int = 50) -> str:
    """A readable list of rows wrong on ``field_name`` (for development); ``no_event_rate``
    lists the no-event texts the engine coded an event on."""
    out = []
    if field_name == "no_event_rate":
        for check in report.no_event_checks:
            if check.event is not None:
                out.append(
                    f"- {check.article.gold_id} gold=(none)\n  got={check.event.sub_event_type}\n  {check.article.text[:400]}"
                )
        return "\n".join(out[:limit])
    for comp in report.comparisons:
        if comp.scores.get(field_name) is False:
            ev = comp.event
            got = json.dumps(
                {
                    k: getattr(ev, k)
                    for k in ("sub_event_type", "actor1", "actor2", "country", "admin1", "location", "fatalities", "event_date")
                }
                if ev
                else None,
                ensure_ascii=False,
            )
            out.append(
                f"- {comp.gold.gold_id} gold={comp.gold.sub_event_type}|{comp.gold.actors}|{comp.gold.country}|{comp.gold.admin1}|{comp.gold.fatalities}|{comp.gold.event_date}\n  got={got}\n  {comp.gold.notes[:400]}"
            )
            if len(out) >= limit:
                break
    return "\n".join(out)
