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
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from eventcoder import linking
from eventcoder.model import Article, CodedArticle, Event, Evidence, Failure, MergedEvent
from eventcoder.store import MIGRATIONS, EventFilter, Store, StoreError, open_store

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


def test_recompute_builds_merged_events_and_sources_from_the_reports(store: Store) -> None:
    store.write([coded("a1", make_report("a1")), coded("a2", make_report("a2", country=None))])
    assert store.recompute(linking.merge_events) == 2
    assert store.dirty_blocks() == []
    assert [e.event_id for e in store.events()] == ["a1-e0", "a2-e0"]
    assert store.sources("a1-e0") == [("a1", "a1-e0")]
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
    assert [e.event_id for e in store.events()] == ["a1-e0"]
    articles = {row[0]: row for row in store.dump()["articles"]}
    assert articles["b2"][7] == "a1" and articles["b2"][8] == 0
    assert [i for i, _ in store.signatures()] == ["a1"]


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
    assert [event.event_id for event in store.events(where)] == expected


def test_arabic_and_evidence_survive_the_round_trip(store: Store) -> None:
    text = "قصف على إدلب"
    report = make_report("a1", notes=text, location="إدلب",
                         evidence=[Evidence(6, 12, "إدلب", "location")])
    store.write([coded("a1", report)])
    store.recompute(linking.merge_events)
    [event] = store.events()
    assert event == report
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


