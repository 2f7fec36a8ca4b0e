"""Score the engine on gold data: an ACLED CSV whose ``notes`` texts are the articles.

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
    "event_type",
    "sub_event_type",
    "sub_event_type_f1",
    "actor_recall",
    "country",
    "admin1",
    "within_25km",
    "within_25km_gp1",
    "geo_precision",
    "fatalities",
    "event_date",
)

_CODER_LABEL = re.compile(r"^\s*[A-Z][A-Za-z/ -]{2,40}:\s+(?=\S)")
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
    event_date: str
    event_type: str
    sub_event_type: str
    actors: list[str]
    country: str
    admin1: str
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    fatalities: int

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
        )


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

    def as_dict(self) -> dict[str, Any]:
        """Machine-readable figures (the ``--json`` output)."""
        return {
            "rows": self.rows,
            "articles": self.articles,
            "skipped_legacy": self.skipped_legacy,
            "figures": {k: round(v, 4) for k, v in self.figures.items()},
            "counts": self.counts,
            "per_sub_event_type": self.per_type,
        }

    def format(self) -> str:
        """A plain-text table for people."""
        lines = [
            f"rows scored: {self.rows} from {self.articles} articles"
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


def _weighted_f1(pairs: Iterable[tuple[str, str]]) -> tuple[float, dict[str, dict[str, float]]]:
    tp: Counter[str] = Counter()
    pred_n: Counter[str] = Counter()
    gold_n: Counter[str] = Counter()
    for gold, pred in pairs:
        gold_n[gold] += 1
        pred_n[pred] += 1
        if gold == pred:
            tp[gold] += 1
    per: dict[str, dict[str, float]] = {}
    total = sum(gold_n.values())
    weighted = 0.0
    for label, support in gold_n.items():
        precision = tp[label] / pred_n[label] if pred_n[label] else 0.0
        recall = tp[label] / support
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per[label] = {"support": support, "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}
        weighted += f1 * support
    return (weighted / total if total else 0.0), per


def score(comparisons: list[Comparison], same_admin1: Any) -> tuple[dict[str, float], dict[str, int]]:
    """Fill each comparison's per-field verdicts and return the figures and their counts."""
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
        s["fatalities"] = event is not None and event.fatalities == gold.fatalities
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
    figures = {name: sum(v) / len(v) for name, v in hits.items() if v}
    counts = {name: len(v) for name, v in hits.items()}
    f1, _ = _weighted_f1(
        (c.gold.sub_event_type, c.event.sub_event_type if c.event else "(none)") for c in comparisons
    )
    figures["sub_event_type_f1"] = f1
    counts["sub_event_type_f1"] = len(comparisons)
    return figures, counts


def evaluate(gold_paths: Sequence[str], config: PipelineConfig | None = None) -> Report:
    """Run the engine over the gold CSVs' notes and score it field by field.

    >>> report = evaluate(["acled.csv"])          # doctest: +SKIP
    >>> report.figures["event_type"]              # doctest: +SKIP
    0.91
    """
    from eventcoder.gazetteer import get_gazetteer
    from eventcoder.ingest import article_from_text
    from eventcoder.pipeline import get_pipeline

    rows, skipped = read_gold(gold_paths)
    pipe = get_pipeline(config or PipelineConfig())
    by_text: dict[tuple[str, str], list[GoldRow]] = defaultdict(list)
    for row in rows:
        by_text[(row.notes, row.event_date)].append(row)
    comparisons: list[Comparison] = []
    for (text, published), golds in by_text.items():
        try:
            date = dt.date.fromisoformat(published)
        except ValueError:
            date = None
        doc = pipe(article_from_text(strip_coder_label(text), published=date))
        events = sorted(doc.events, key=lambda e: min((ev.start for ev in e.evidence), default=0))
        first = events[0] if events else None
        comparisons.extend(Comparison(gold, first) for gold in golds)
    figures, counts = score(comparisons, get_gazetteer().same_admin1)
    _, per_type = _weighted_f1(
        (c.gold.sub_event_type, c.event.sub_event_type if c.event else "(none)") for c in comparisons
    )
    return Report(
        rows=len(rows),
        articles=len(by_text),
        skipped_legacy=skipped,
        figures=figures,
        counts=counts,
        per_type=per_type,
        comparisons=comparisons,
    )


def dump_errors(report: Report, field_name: str, limit: int = 50) -> str:
    """A readable list of rows wrong on ``field_name`` (for development)."""
    out = []
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
