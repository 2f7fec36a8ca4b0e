"""Score cross-article merging on the development corpus of this folder (docs/EVALUATION.md).

    python evaluation/merge/score.py            # figures, then every wrong or missed pair

Every article of ``articles.jsonl`` goes through the real pipeline; the events of all articles
go through :func:`eventcoder.linking.merge_events`; pairs of reports are scored against the gold
event ids. The corpus is ours (written for this project), so it is committed; nothing here reads
ACLED's data.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from eventcoder.linking import MinHashIndex, merge_events
from eventcoder.model import Article, Event, MergedEvent

HERE = Path(__file__).resolve().parent
ARTICLES = HERE / "articles.jsonl"
EVENTS = HERE / "events.jsonl"
#: How many shuffled orders the order-independence check tries.
SHUFFLES = 5


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@dataclass
class Report:
    """One extracted event, the gold event it reports, and what extraction got wrong."""

    event: Event
    gold: str
    #: "type", "date", "place" (more than 25 km from the gold place, or another country)
    errors: tuple[str, ...] = ()


def extraction_errors(event: Event, gold: dict) -> tuple[str, ...]:
    """What the extracted event gets wrong against its gold event (the gate's own criteria:
    the event type, the date within the report's precision, the place within 25 km)."""
    from eventcoder.gazetteer import haversine_km
    from eventcoder.lexicon import codebook
    from eventcoder.linking import date_window

    errors = []
    if event.event_type != codebook().event_type[gold["sub_event_type"]]:
        errors.append("type")
    window = date_window(event)
    if window is None or not window[0] <= dt.date.fromisoformat(gold["date"]) <= window[1]:
        errors.append("date")
    if (
        event.country != gold["country"]
        or event.latitude is None
        or event.longitude is None
        or haversine_km(event.latitude, event.longitude, gold["latitude"], gold["longitude"]) > 25
    ):
        errors.append("place")
    return tuple(errors)


@dataclass
class Result:
    """The figures of one run, and the pairs behind them."""

    reports: list[Report]
    merged: list[MergedEvent]
    articles: int
    articles_without_event: list[str]
    true_pairs: int = 0
    predicted_pairs: int = 0
    correct_pairs: int = 0
    false_merges: list[tuple[Report, Report]] = field(default_factory=list)
    missed: list[tuple[Report, Report]] = field(default_factory=list)
    #: gold pairs whose two reports were both extracted right (type, date, place), and how many
    #: of them were merged: the merge's own recall, apart from extraction errors
    clean_true_pairs: int = 0
    clean_correct_pairs: int = 0
    #: why each missed pair was missed: the extraction errors of its reports, or "merge"
    miss_causes: dict[str, int] = field(default_factory=dict)
    order_independent: bool = True
    duplicates_found: int = 0
    duplicates_expected: int = 0
    false_duplicates: list[tuple[str, str]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def clean_recall(self) -> float:
        return self.clean_correct_pairs / self.clean_true_pairs if self.clean_true_pairs else 1.0

    def format(self) -> str:
        gold_events = len({r.gold for r in self.reports})
        return "\n".join(
            [
                f"articles: {self.articles} ({len(self.articles_without_event)} without any event)",
                f"reports (extracted events): {len(self.reports)} of {gold_events} gold events",
                f"merged events: {len(self.merged)}",
                f"report pairs from different articles, same gold event: {self.true_pairs}",
                f"pairs merged: {self.predicted_pairs}, of which correct: {self.correct_pairs}",
                f"pairwise merge precision: {self.precision:.3f}",
                f"pairwise merge recall (end to end): {self.recall:.3f}",
                f"pairs of rightly extracted reports: {self.clean_true_pairs}, merged: "
                f"{self.clean_correct_pairs}, recall {self.clean_recall:.3f}",
                "missed pairs by cause: "
                + ", ".join(f"{k} {v}" for k, v in sorted(self.miss_causes.items())),
                f"same result under {SHUFFLES} shuffled input orders: {self.order_independent}",
                f"near-duplicate articles found: {self.duplicates_found} of "
                f"{self.duplicates_expected}, false: {len(self.false_duplicates)}",
            ]
        )


def _gold_of(event: Event, candidates: Sequence[str], gold_events: dict[str, dict]) -> str:
    """The gold event an extracted event reports: the article's only one, or for an article that
    reports several, the one whose date (then place name) the extracted event matches best."""
    if len(candidates) == 1:
        return candidates[0]

    def distance(gold_id: str) -> tuple[int, int, str]:
        gold = gold_events[gold_id]
        days = 99
        if event.event_date:
            days = abs((dt.date.fromisoformat(event.event_date) - dt.date.fromisoformat(gold["date"])).days)
        same_type = 0 if event.sub_event_type == gold["sub_event_type"] else 1
        return (days, same_type, gold_id)

    return min(candidates, key=distance)


def extract_reports(records: list[dict], gold_events: dict[str, dict]) -> tuple[list[Report], list[str]]:
    """Every article through the real pipeline; each event labelled with its gold event."""
    from eventcoder.pipeline import get_pipeline

    pipeline = get_pipeline()
    reports: list[Report] = []
    empty: list[str] = []
    for record in records:
        article = Article(
            id=record["id"],
            text=record["text"],
            published=dt.date.fromisoformat(record["published"]),
            source=record["source"],
        )
        events = pipeline(article).events
        if not events:
            empty.append(record["id"])
        for event in events:
            gold = _gold_of(event, record["gold"], gold_events)
            reports.append(Report(event, gold, extraction_errors(event, gold_events[gold])))
    return reports, empty


def _partition(merged: list[MergedEvent]) -> list[tuple[str, tuple[tuple[str, str], ...], int, str]]:
    return [
        (m.event.event_id, tuple((s.article_id, s.event_id) for s in m.sources), m.event.fatalities, m.event.event_date or "")
        for m in merged
    ]


def score(reports: list[Report], records: list[dict], empty: list[str], max_km: float = 10.0) -> Result:
    """Pairwise figures of :func:`merge_events` over ``reports``."""
    events = [r.event for r in reports]
    merged = merge_events(events, max_km=max_km)
    result = Result(reports, merged, len(records), empty)
    cluster_of: dict[tuple[str, str], int] = {}
    for number, m in enumerate(merged):
        for source in m.sources:
            cluster_of[(source.article_id, source.event_id)] = number
    for a, b in itertools.combinations(reports, 2):
        if a.event.article_id == b.event.article_id:
            continue
        same_gold = a.gold == b.gold
        together = cluster_of[(a.event.article_id, a.event.event_id)] == cluster_of[(b.event.article_id, b.event.event_id)]
        result.true_pairs += same_gold
        result.predicted_pairs += together
        result.correct_pairs += same_gold and together
        if together and not same_gold:
            result.false_merges.append((a, b))
        if same_gold and not (a.errors or b.errors):
            result.clean_true_pairs += 1
            result.clean_correct_pairs += together
        if same_gold and not together:
            result.missed.append((a, b))
            cause = "+".join(sorted(set(a.errors) | set(b.errors))) or "merge"
            result.miss_causes[cause] = result.miss_causes.get(cause, 0) + 1
    expected = _partition(merged)
    rng = random.Random(5)
    for _ in range(SHUFFLES):
        shuffled = list(events)
        rng.shuffle(shuffled)
        if _partition(merge_events(shuffled, max_km=max_km)) != expected:
            result.order_independent = False
    _score_duplicates(result, records)
    return result


def _score_duplicates(result: Result, records: list[dict]) -> None:
    """Near-duplicate detection over the corpus: every syndicated copy must find its original,
    and no two differently written articles may be taken for copies."""
    index = MinHashIndex()
    signatures = {r["id"]: index.signature(r["text"]) for r in records}
    for record_id in sorted(signatures):
        index.add(record_id, signatures[record_id])
    copies = {r["id"]: r["copy_of"] for r in records if r.get("copy_of")}
    result.duplicates_expected = len(copies)
    for record_id in sorted(signatures):
        for other in index.query(signatures[record_id]):
            if other <= record_id:
                continue
            if copies.get(other) == record_id or copies.get(record_id) == other:
                result.duplicates_found += 1
            else:
                result.false_duplicates.append((record_id, other))


def describe(report: Report) -> str:
    e = report.event
    return (
        f"{report.gold} {'/'.join(report.errors) or 'ok'} {e.article_id}: {e.event_date}/p{e.time_precision} {e.sub_event_type} | "
        f"{e.actor1} / {e.actor2} | {e.location} ({e.admin1}; {e.admin2}) p{e.geo_precision} "
        f"| {e.fatalities}"
    )


def run(max_km: float = 10.0) -> Result:
    """Extract, merge and score the corpus of this folder."""
    records = read_jsonl(ARTICLES)
    gold_events = {g["id"]: g for g in read_jsonl(EVENTS)}
    reports, empty = extract_reports(records, gold_events)
    return score(reports, records, empty, max_km)


def main() -> int:
    result = run()
    print(result.format())
    if result.articles_without_event:
        print("\narticles without an event:", ", ".join(result.articles_without_event))
    print(f"\nfalse merges ({len(result.false_merges)}):")
    for a, b in result.false_merges:
        print("  ", describe(a), "\n    ", describe(b))
    print(f"\nmissed pairs ({len(result.missed)}):")
    for a, b in result.missed:
        print("  ", describe(a), "\n    ", describe(b))
    for a, b in result.false_duplicates:
        print("false near-duplicate:", a, b)
    return 0


if __name__ == "__main__":
    sys.exit(main())
