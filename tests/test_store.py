"""The event store, the same tests on both databases: a real SQLite file, and a real PostgreSQL
server (``.ci/run`` starts one and sets ``EVENTCODER_TEST_POSTGRES_URL``; each test gets a
database of its own). Without the variable the PostgreSQL cases skip saying so, except under
``CI=true``, where that is a failure.

The fixtures ``store_target`` (a fresh database, as the ``--db`` argument) and ``make_report``
are imported by the other store, run, Dask and export tests.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from eventcoder import linking
from eventcoder.model import Article, CodedArticle, Event, Evidence, Failure, MergedEvent
from eventcoder.store import MIGRATIONS, EventFilter, Store, StoreError, block_of, open_store

POSTGRES_URL = "EVENTCODER_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", "postgresql"]


def postgres_admin_url() -> str:
    """The test server's URL; skipped (a failure under CI=true) when it is not set."""
    url = os.environ.get(POSTGRES_URL, "")
    if not url:
        message = (
            f"needs a PostgreSQL server: set {POSTGRES_URL} to its URL "
            "(.ci/postgres start DIR starts one and prints it)"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + "; CI must have it")
        pytest.skip(message)
    return url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A URL of a new, empty database on the test server, dropped afterwards."""
    import psycopg

    admin = postgres_admin_url()
    name = f"eventcoder_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    parts = urlsplit(admin)
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=BACKENDS)
def store_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """``--db`` for a fresh store: a SQLite file path, or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "events.sqlite")
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def store(store_target: str) -> Iterator[Store]:
    with open_store(store_target) as opened:
        yield opened


def make_report(article_id: str, number: int = 0, **fields: Any) -> Event:
    """A report of ``article_id`` with sensible values; ``fields`` override them."""
    values: dict[str, Any] = dict(
        event_date="2024-03-04", time_precision=1, event_type="Protests",
        sub_event_type="Peaceful protest", actor1="Protesters (Kenya)", assoc_actor_1=None,
        inter1=6, actor2=None, assoc_actor_2=None, inter2=None, interaction=60,
        civilian_targeting=None, country="Kenya", admin1="Nairobi", admin2=None, admin3=None,
        location="Nairobi", latitude=-1.2833, longitude=36.8167, geo_precision=1,
        source="Daily Nation", notes=None, fatalities=0, article_id=article_id,
        event_id=f"{article_id}-e{number}", confidence=0.7,
        evidence=[Evidence(0, 8, "Protests", "event_type")],
    )
    values.update(fields)
    return Event(**values)


def coded(article_id: str, *reports: Event, **meta: Any) -> CodedArticle:
    article = Article(id=article_id, text="", published=dt.date(2024, 3, 4),
                      origin=meta.pop("origin", f"{article_id}.txt"), **meta)
    return CodedArticle(article, b"sig-" + article_id.encode(), reports=reports, language="en")


def test_migrations_are_named_recorded_and_run_once(store_target: str) -> None:
    with open_store(store_target) as store:
        assert store.migrations() == [name for name, _ in MIGRATIONS]
        store.write([coded("a1", make_report("a1"))])
    with open_store(store_target) as store:  # reopening applies nothing again, loses nothing
        assert store.migrations() == [name for name, _ in MIGRATIONS]
        assert store.counts()["articles"] == 1


def test_a_database_from_a_newer_version_is_refused(store_target: str) -> None:
    with open_store(store_target) as store, store.transaction() as tx:
        tx.execute("INSERT INTO migrations (name, applied) VALUES (?, ?)", ("9999_future", "x"))
    with pytest.raises(StoreError, match="newer eventcoder.*9999_future"):
        open_store(store_target)


def test_write_stores_articles_and_reports_and_twice_changes_nothing(store: Store) -> None:
    items = [coded("a1", make_report("a1"), make_report("a1", 1, country="Uganda")),
             coded("a2")]
    assert store.write(items) == 2
    before = store.dump()
    assert store.write(items) == 0
    assert store.dump() == before
    assert store.counts() == {"articles": 2, "reports": 2, "events": 0, "event_sources": 0,
                              "failures": 0}
    assert [r.event_id for r in store.reports("a1")] == ["a1-e0", "a1-e1"]
    assert store.reports("a1")[0] == make_report("a1")
    assert store.dirty_blocks() == ["Kenya", "Uganda"]
    assert store.known(["a1", "zz"]) == {"a1": ("2024-03-04", "", "", "")}


def members(store: Store, where: EventFilter | None = None) -> list[list[str]]:
    """The report ids of each merged event ``store.events(where)`` yields, in its order: what a
    test names an event by (a merged event's own id is a hash of its members)."""
    return [[report for _, report in store.sources(event.event_id)]
            for event in store.events(where)]


def test_recompute_builds_merged_events_and_sources_from_the_reports(store: Store) -> None:
    # two events that cannot merge: the second has no country (and so no place)
    reports = [make_report("a1"), make_report("a2", country=None)]
    store.write([coded("a1", reports[0]), coded("a2", reports[1])])
    assert store.recompute(linking.merge_events) == 2
    assert store.dirty_blocks() == []
    assert sorted(members(store)) == [["a1-e0"], ["a2-e0"]]
    for event in store.events():
        [(article, report_id)] = store.sources(event.event_id)
        [report] = [r for r in reports if r.event_id == report_id]
        # an event of one report is that report, under the merged event's own id
        assert event.event_id == linking.merged_event_id([report]) != report_id
        assert dataclasses.replace(event, event_id=report_id) == report
        assert article == report.article_id
    # nothing dirty: nothing recomputed, nothing changed
    before = store.dump()
    assert store.recompute(linking.merge_events) == 0
    assert store.dump() == before


def test_recompute_keeps_every_source_and_the_merged_record(store: Store) -> None:
    def merge_all(reports: list[Event]) -> list[MergedEvent]:
        # stands in for linking.merge_events: every report of a block is one event
        ordered = tuple(sorted(reports, key=lambda r: (r.article_id, r.event_id)))
        merged = dataclasses.replace(ordered[0], event_id="m-" + ordered[0].event_id,
                                     fatalities=min(r.fatalities for r in ordered))
        return [MergedEvent(merged, ordered, fatalities_disagree=True)]

    store.write([coded("a2", make_report("a2", fatalities=5)),
                 coded("a1", make_report("a1", fatalities=3))])
    store.recompute(merge_all)
    [event] = store.events()
    assert (event.event_id, event.fatalities) == ("m-a1-e0", 3)
    assert store.sources("m-a1-e0") == [("a1", "a1-e0"), ("a2", "a2-e0")]
    rows = store.dump()["events"]
    assert [(row[12], row[13]) for row in rows] == [(1, 2)]  # fatalities_disagree, sources
    assert store.counts()["event_sources"] == 2


def test_of_two_copies_the_smaller_metadata_wins_whatever_the_order(
    store_target: str, tmp_path: Path
) -> None:
    early = coded("a1", make_report("a1", source="A"), source="A")
    late = coded("a1", make_report("a1", source="B"), source="B")
    with open_store(store_target) as store:
        store.write([late])
        store.write([early])
        first = store.dump()
    with open_store(str(tmp_path / "other.sqlite")) as other:
        other.write([early])
        other.write([late])
        assert other.dump() == first
    assert [row[2] for row in first["articles"]] == ["A"]


def test_failures_are_keyed_by_input_and_cleared_by_success(store: Store) -> None:
    store.write([], [Failure("bad.txt", "empty file"), Failure("x.jsonl:3", "not valid JSON")])
    store.write([], [Failure("bad.txt", "empty file")])
    assert [(f.input, f.reason) for f in store.failures()] == [
        ("bad.txt", "empty file"), ("x.jsonl:3", "not valid JSON")]
    assert all(dt.datetime.fromisoformat(f.time) for f in store.failures())
    store.write([coded("a1", origin="bad.txt")])
    assert [f.input for f in store.failures()] == ["x.jsonl:3"]


def test_a_demoted_article_loses_its_reports_and_links_to_the_coded_copy(store: Store) -> None:
    store.write([coded("b2", make_report("b2"))])
    store.recompute(linking.merge_events)
    demoting = dataclasses.replace(coded("a1", make_report("a1")), demote=("b2",))
    store.write([demoting])
    store.recompute(linking.merge_events)
    assert members(store) == [["a1-e0"]]
    articles = {row[0]: row for row in store.dump()["articles"]}
    assert articles["b2"][7] == "a1" and articles["b2"][8] == 0
    assert [i for i, _ in store.signatures()] == ["a1"]


def test_two_articles_reporting_one_event_merge_into_one_event_with_both_sources(
    store: Store, tmp_path: Path
) -> None:
    """Issue 5: reports of one event from different articles merge into one event that keeps
    every source and its evidence; the result does not depend on the order the reports came
    in, on whether they came in one run or several, and recomputing it changes nothing."""
    first = make_report("a1", fatalities=3, source="Daily Nation",
                        evidence=[Evidence(0, 8, "Protests", "event_type"),
                                  Evidence(20, 27, "Nairobi", "location")])
    # the same protest, 300 m away in another outlet's words, with another death toll
    second = make_report("a2", fatalities=5, source="The Star", location="Nairobi CBD",
                         latitude=-1.2861, longitude=36.8181,
                         evidence=[Evidence(4, 13, "protested", "event_type")])
    later = make_report("a3", event_date="2024-03-11")  # the same place a week later
    items = [coded("a1", first), coded("a2", second), coded("a3", later)]
    store.write(items)
    store.recompute(linking.merge_events)

    assert sorted(members(store)) == [["a1-e0", "a2-e0"], ["a3-e0"]]
    [merged] = [e for e in store.events() if len(store.sources(e.event_id)) == 2]
    assert store.sources(merged.event_id) == [("a1", "a1-e0"), ("a2", "a2-e0")]
    assert merged.event_id == linking.merged_event_id([first, second])
    assert (merged.fatalities, merged.source) == (3, "Daily Nation; The Star")
    assert "Reported fatalities differ (3, 5)" in (merged.notes or "")
    dump = store.dump()
    [row] = [row for row in dump["events"] if row[0] == merged.event_id]
    assert (row[11], row[12], row[13]) == (3, 1, 2)  # fatalities, fatalities_disagree, sources
    evidence = {row[1]: row[3] for row in dump["event_sources"] if row[0] == merged.event_id}
    assert evidence == {
        report.event_id: json.dumps([ev.as_dict() for ev in report.evidence], ensure_ascii=False)
        for report in (first, second)
    }

    # idempotent: writing the same articles again and recomputing changes nothing, and a
    # recompute of a clean block gives the same rows
    assert store.write(items) == 0
    assert store.recompute(linking.merge_events) == 0
    assert store.recompute(linking.merge_events, ["Kenya"]) == 1
    assert store.dump() == dump

    # independent of order and of how the articles were split between runs: one at a time,
    # in reverse, with the merged events recomputed after each, ends with the same store
    with open_store(str(tmp_path / "one-by-one.sqlite")) as other:
        for item in reversed(items):
            other.write([item])
            other.recompute(linking.merge_events)
        assert other.dump() == dump


def test_merging_block_by_block_is_merging_everything(store: Store) -> None:
    """The store merges the reports of one block (``block_of``: the country) at a time; that
    loses no merge only if merge_events never joins reports of two blocks."""
    reports = [
        make_report("k1", admin1="Busia", location="Busia", latitude=0.4608, longitude=34.1115),
        make_report("k2", admin1="Busia", location="Busia", latitude=0.4608, longitude=34.1115),
        # 2 km away across the border, the same day: another country's event
        make_report("u1", country="Uganda", admin1="Busia", location="Busia",
                    latitude=0.4544, longitude=34.0928, actor1="Protesters (Uganda)"),
        # a province apart but 3 km apart (Kasarani, Nairobi and Githurai, Kiambu): one event
        make_report("k3", event_date="2024-03-05", location="Kasarani",
                    latitude=-1.2195, longitude=36.8869),
        make_report("k4", event_date="2024-03-05", admin1="Kiambu", location="Githurai",
                    latitude=-1.2000, longitude=36.9100),
        make_report("n1", country=None),
        make_report("n2", country=None),
    ]
    whole = linking.merge_events(reports)
    blocks: dict[str, list[Event]] = {}
    for report in reports:
        blocks.setdefault(block_of(report), []).append(report)
    assert sorted(blocks) == ["", "Kenya", "Uganda"]
    by_block = [merged for part in blocks.values() for merged in linking.merge_events(part)]
    key = lambda merged: merged.event.event_id  # noqa: E731
    assert sorted(by_block, key=key) == sorted(whole, key=key)
    assert sorted([s.event_id for s in m.sources] for m in whole) == [
        ["k1-e0", "k2-e0"], ["k3-e0", "k4-e0"], ["n1-e0"], ["n2-e0"], ["u1-e0"]]

    store.write([coded(report.article_id, report) for report in reports])
    assert store.recompute(linking.merge_events) == 3
    assert sorted(members(store)) == sorted([s.event_id for s in m.sources] for m in whole)


def test_minhash_signatures_round_trip_and_find_the_copy(store: Store) -> None:
    """What the planner does: signatures made by MinHashIndex are stored as bytes, read back
    (PostgreSQL returns a memoryview) and loaded into a new index that finds a copy."""
    index = linking.MinHashIndex()
    text = ("Hundreds of traders protested in Nakuru on Monday against new market fees, "
            "witnesses said. The county government said talks would resume on Friday.")
    other = "Police fired tear gas at students who marched in Eldoret over unpaid bursaries."
    store.write([dataclasses.replace(coded("a1"), signature=index.signature(text)),
                 dataclasses.replace(coded("a2"), signature=index.signature(other))])
    stored = list(store.signatures())
    assert stored == [("a1", index.signature(text)), ("a2", index.signature(other))]
    assert all(type(signature) is bytes for _, signature in stored)
    planner = linking.MinHashIndex()
    for article_id, signature in stored:
        planner.add(article_id, signature)
    assert planner.query(index.signature("NAKURU, March 4 (Horizon Wire) - " + text)) == ["a1"]
    assert planner.query(index.signature("Traders marched in Kisumu.")) == []


def test_demotions_hold_whatever_order_the_articles_are_written_in(
    store: Store, tmp_path: Path
) -> None:
    """Chunks are written as they finish (a worker pool, Dask, a resumed run), not as they were
    planned: an article may be written after the article that demotes it. Planned in the order
    d4, b2, c3, a1: b2 is a near-duplicate of d4 with a smaller id (it demotes d4), c3 one of b2
    (linked to it), a1 one of b2 with a smaller id still (it demotes b2)."""
    items = [
        coded("d4", make_report("d4")),
        dataclasses.replace(coded("b2", make_report("b2")), demote=("d4",)),
        dataclasses.replace(coded("c3"), duplicate_of="b2"),
        dataclasses.replace(coded("a1", make_report("a1")), demote=("b2",)),
    ]
    dumps = []
    for number, order in enumerate(itertools.permutations(items)):
        with open_store(str(tmp_path / f"{number}.sqlite")) as other:
            for item in order:
                other.write([item])
            other.recompute(linking.merge_events)
            dumps.append(other.dump())
    for item in items[::-1]:
        store.write([item])
        if item.article.id == "a1":  # written first: b2 is demoted before it arrives
            assert store.known(["a1", "b2"]) == {"a1": ("2024-03-04", "", "", "")}
            assert [article.id for article in store.articles()] == ["a1"]
    store.recompute(linking.merge_events)
    dumps.append(store.dump())
    assert all(dump == dumps[0] for dump in dumps)
    assert [(row[0], row[7], row[8]) for row in dumps[0]["articles"]] == [
        ("a1", None, 1), ("b2", "a1", 0), ("c3", "a1", 0), ("d4", "a1", 0)]
    assert members(store) == [["a1-e0"]]


def test_a_chunk_loads_once(store: Store) -> None:
    assert store.write([coded("a1")], chunk_id="c1") == 1
    assert store.chunk_loaded("c1")
    assert store.write([coded("a2")], chunk_id="c1") == 0
    assert store.counts()["articles"] == 1


def test_signatures_are_stored_bytes(store: Store) -> None:
    store.write([coded("a2"), coded("a1")])
    assert list(store.signatures()) == [("a1", b"sig-a1"), ("a2", b"sig-a2")]


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (EventFilter(), ["u", "a", "b", "c"]),
        (EventFilter(since="2024-03-02"), ["b", "c"]),
        (EventFilter(until="2024-03-02"), ["a", "b"]),
        (EventFilter(since="2024-03-02", until="2024-03-02"), ["b"]),
        (EventFilter(country="syria"), ["b", "c"]),
        (EventFilter(country="Syria", admin1="IDLIB"), ["c"]),
        (EventFilter(event_type="battles"), ["b"]),
        (EventFilter(event_type="Air/drone strike"), ["c"]),
        (EventFilter(actor="tahrir"), ["b", "c"]),
        (EventFilter(actor="hay'at"), ["c"]),
        (EventFilter(actor="100%"), []),
        (EventFilter(actor="_"), []),
        (EventFilter(actor="kenya"), ["u", "a"]),
    ],
)
def test_event_filters(store: Store, where: EventFilter, expected: list[str]) -> None:
    hts = "HTS: Hayat Tahrir al-Sham"
    store.write([
        coded("a", make_report("a", event_id="a", event_date="2024-03-01")),
        coded("u", make_report("u", event_id="u", event_date=None)),
        coded("b", make_report("b", event_id="b", event_date="2024-03-02", country="Syria",
                               admin1="Aleppo", event_type="Battles",
                               sub_event_type="Armed clash", actor1=hts)),
        coded("c", make_report("c", event_id="c", event_date="2024-03-03", country="Syria",
                               admin1="Idlib", event_type="Explosions/Remote violence",
                               sub_event_type="Air/drone strike", actor1="Military Forces of Syria",
                               actor2="Civilians (Syria)", assoc_actor_2=f"{hts} Hay'at")),
    ])
    store.recompute(linking.merge_events)
    # four distinct events (other days, provinces or types): none merges with another
    assert sorted(members(store)) == [["a"], ["b"], ["c"], ["u"]]
    assert members(store, where) == [[name] for name in expected]


def test_arabic_and_evidence_survive_the_round_trip(store: Store) -> None:
    text = "قصف على إدلب"
    report = make_report("a1", notes=text, location="إدلب",
                         evidence=[Evidence(6, 12, "إدلب", "location")])
    store.write([coded("a1", report)])
    store.recompute(linking.merge_events)
    [event] = store.events()
    assert store.sources(event.event_id) == [("a1", "a1-e0")]
    assert dataclasses.replace(event, event_id=report.event_id) == report
    assert store.dump()["event_sources"][0][3] == (
        '[{"start": 6, "end": 12, "text": "إدلب", "field": "location"}]')


def test_a_missing_folder_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such folder"):
        open_store(str(tmp_path / "nope" / "events.sqlite"))


def test_sqlite_file_is_in_wal_mode(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "e.sqlite")) as store, store.transaction() as tx:
        assert tx.execute("PRAGMA journal_mode")[0][0] == "wal"


def test_an_unreachable_postgres_server_is_one_clear_error(tmp_path: Path) -> None:
    pytest.importorskip("psycopg")
    with pytest.raises(StoreError, match="cannot connect to postgresql://nobody@/x"):
        open_store(f"postgresql://nobody:secret@/x?host={tmp_path}")


