"""``eventcoder run``: a corpus into the store, idempotent, independent of input order and of the
number of workers, bad input recorded as failures (issue 5, acceptance 6). The kill-and-resume
test is ``test_run_kill.py``.

The stub pipeline (conftest.py) codes one event per sentence with "protest"; :class:`PlacedStub`
also places it in the town it names, so that reports of one town and day from different articles
merge into one event (``linking.merge_events``) as the real pipeline's do. One test runs the real
pipeline end to end (marked e2e).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from eventcoder import batch, linking
from eventcoder.config import PipelineConfig
from eventcoder.ingest import article_from_text, content_id
from eventcoder.model import Article, Document, Failure
from eventcoder.progress import RunProgress, estimate_total
from eventcoder.store import open_store

from conftest import Run, StubPipeline, stub_pipeline
from test_store import postgres_url, store_target  # noqa: F401 - fixtures

Runner = Callable[..., Run]

TOWNS = ["Nairobi", "Kisumu", "Mombasa", "Nakuru", "Eldoret", "Thika", "Garissa", "Nyeri"]
#: admin1 and point of each town (rounded), for PlacedStub
TOWN_PLACES = {
    "Nairobi": ("Nairobi", -1.286, 36.817), "Kisumu": ("Kisumu", -0.092, 34.768),
    "Mombasa": ("Mombasa", -4.044, 39.668), "Nakuru": ("Nakuru", -0.303, 36.080),
    "Eldoret": ("Uasin Gishu", 0.514, 35.270), "Thika": ("Kiambu", -1.033, 37.069),
    "Garissa": ("Garissa", -0.453, 39.646), "Nyeri": ("Nyeri", -0.420, 36.948),
}


class PlacedStub(StubPipeline):
    """The stub pipeline with each event placed (precision 1) in the town its sentence names:
    reports of one town and day from different articles are then one event to the merge.
    corpus_records gives one town and day to articles 56 apart (8 towns, 28 days)."""

    def __call__(self, article: Article) -> Document:
        doc = super().__call__(article)
        placed = []
        for event in doc.events:
            town = next((name for name in TOWNS if name in (event.notes or "")), None)
            if town is not None:
                admin1, latitude, longitude = TOWN_PLACES[town]
                event = dataclasses.replace(event, admin1=admin1, location=town,
                                            latitude=latitude, longitude=longitude,
                                            geo_precision=1)
            placed.append(event)
        doc.events = placed
        return doc


def corpus_records(count: int, *, seed: int = 0) -> list[dict[str, Any]]:
    """``count`` distinct article records: one or two protest sentences and a quiet one."""
    out = []
    for n in range(count):
        town = TOWNS[(n + seed) % len(TOWNS)]
        text = (
            f"Hundreds of traders protested in {town} on Monday over fee number {n}. "
            f"The county said talks would resume. "
            + (f"Students also protested at the university in {town}." if n % 3 == 0 else "")
        )
        out.append({"id": None, "text": text, "published": f"2024-03-{1 + n % 28:02d}",
                    "source": f"Outlet {n % 5}", "title": f"Protest {n}"})
    return out


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8") as stream:
        for record in records:
            stream.write(json.dumps({k: v for k, v in record.items() if v is not None}) + "\n")
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "corpus.jsonl", corpus_records(40))


def test_run_codes_a_corpus_and_a_rerun_adds_nothing(
    run_cli: Runner, corpus: Path, store_target: str
) -> None:
    first = run_cli("run", corpus, "--db", store_target)
    assert first.status == 0, first.stderr
    assert first.stdout == ""
    assert "40 articles coded" in first.stderr and "Traceback" not in first.stderr
    with open_store(store_target) as store:
        counts = store.counts()
        dump = store.dump()
        assert counts["articles"] == 40
        assert counts["reports"] == 40 + 14  # a second protest in every third article
        assert counts["events"] == counts["reports"] == counts["event_sources"]
        assert counts["failures"] == 0
    again = run_cli("run", corpus, "--db", store_target)
    assert again.status == 0 and "40 already stored" in again.stderr
    with open_store(store_target) as store:
        assert store.dump() == dump


def test_workers_and_input_order_do_not_change_the_store(
    run_cli: Runner, tmp_path: Path
) -> None:
    records = corpus_records(30)
    forward = write_jsonl(tmp_path / "forward.jsonl", records)
    backward = write_jsonl(tmp_path / "backward.jsonl", records[::-1])
    dumps = []
    for name, path, workers in (("one", forward, "1"), ("two", backward, "2"),
                                ("three", forward, "3")):
        db = tmp_path / f"{name}.sqlite"
        result = run_cli("run", path, "--db", db, "--workers", workers)
        assert result.status == 0, result.stderr
        with open_store(str(db)) as store:
            dumps.append(store.dump())
    assert dumps[0]["articles"] and dumps[0]["events"]
    assert dumps[0] == dumps[1] == dumps[2]


#: Three outlets' words for one protest (different enough not to be near-duplicates).
OUTLETS = [
    "Hundreds of traders protested in {town} on Monday against new market fees, witnesses said.",
    "In {town}, a protest by market vendors blocked the main road for several hours.",
    "Shopkeepers staged a protest outside the county offices of {town}, police said.",
]


def test_reports_of_one_event_from_several_outlets_merge_whatever_the_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 5: events from different articles merge into one event that keeps every source,
    whatever the input order, the number of workers, or how the articles came in runs."""
    monkeypatch.setattr("eventcoder.pipeline.get_pipeline", PlacedStub)
    records = [
        {"text": template.format(town=town), "published": "2024-03-04", "source": f"Outlet {i}"}
        for town in ("Nakuru", "Garissa")
        for i, template in enumerate(OUTLETS)
    ]
    # the same town two days later: another event
    records.append({"text": "Traders protested again in Nakuru on Wednesday.",
                    "published": "2024-03-06", "source": "Outlet 0"})
    forward = write_jsonl(tmp_path / "forward.jsonl", records)
    backward = write_jsonl(tmp_path / "backward.jsonl", records[::-1])
    first = write_jsonl(tmp_path / "first.jsonl", records[1::2])
    rest = write_jsonl(tmp_path / "rest.jsonl", records[::2])
    dumps = []
    for name, runs, workers in (("forward", [forward], 1), ("backward", [backward], 2),
                                ("two-runs", [rest, first], 1)):
        with open_store(str(tmp_path / f"{name}.sqlite")) as store:
            for path in runs:
                batch.run([str(path)], store, workers=workers)
            dumps.append(store.dump())
            if name == "forward":
                groups = sorted(
                    sorted(article for article, _ in store.sources(event.event_id))
                    for event in store.events()
                )
                rows = {row[0]: row for row in store.dump()["events"]}
    ids = [content_id(record["text"]) for record in records]
    assert groups == sorted([sorted(ids[0:3]), sorted(ids[3:6]), [ids[6]]])
    assert sorted(row[13] for row in rows.values()) == [1, 3, 3]  # sources per event
    assert len(dumps[0]["reports"]) == 7 and len(dumps[0]["event_sources"]) == 7
    assert dumps[0] == dumps[1] == dumps[2]


def test_bad_input_is_recorded_and_the_good_is_stored(
    run_cli: Runner, tmp_path: Path, store_target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Acceptance 6: good, binary, empty, oversized and malformed records in one batch."""
    good = corpus_records(7)
    folder = tmp_path / "batch"
    folder.mkdir()
    write_jsonl(folder / "a-good.jsonl", good[:3])
    with (folder / "a-good.csv").open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([["published", "text"], [good[6]["published"],
                                                              good[6]["text"]]])
    (folder / "b-good.txt").write_text(good[3]["text"], encoding="utf-8")
    (folder / "c-binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 40)
    (folder / "d-empty.txt").write_bytes(b"")
    (folder / "e-oversized.txt").write_text("Protesters marched. " * 200, encoding="utf-8")
    mixed = [
        json.dumps({"text": good[4]["text"]}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"title": "no text here"}),
        json.dumps({"text": good[5]["text"], "published": "last Tuesday"}),
        json.dumps({"text": "Protesters marched. " * 200}),
    ]
    (folder / "f-mixed.jsonl").write_text("\n".join(mixed) + "\n", encoding="utf-8")
    (folder / "g-latin1.csv").write_bytes(
        "text\nManifestantes en Bogotá protestaron.\n".encode("latin-1"))

    monkeypatch.setenv("EVENTCODER_MAX_BYTES", "2000")
    result = run_cli("run", folder, "--db", store_target)
    assert result.status == 1
    assert "Traceback" not in result.stderr
    expected = {
        f"{folder}/c-binary.txt": "binary file (contains NUL bytes), not text",
        f"{folder}/d-empty.txt": "empty file",
        f"{folder}/e-oversized.txt": "file too large (4.0 kB; the limit is 2.0 kB, set by "
        "EVENTCODER_MAX_BYTES)",
        f"{folder}/f-mixed.jsonl:2": "not valid JSON (Expecting property name enclosed in "
        "double quotes, column 2)",
        f"{folder}/f-mixed.jsonl:3": "a record must be a JSON object, not an array",
        f"{folder}/f-mixed.jsonl:4": "record has no text (expected a non-empty 'text' or 'html')",
        f"{folder}/f-mixed.jsonl:5": "published is not a date (expected YYYY-MM-DD): "
        "'last Tuesday'",
        f"{folder}/f-mixed.jsonl:6": "line too large (more than 2.0 kB; the limit is 2.0 kB, "
        "set by EVENTCODER_MAX_BYTES)",
        f"{folder}/g-latin1.csv": "not UTF-8; convert it to UTF-8, e.g. iconv -f latin1 -t utf-8",
    }
    with open_store(store_target) as store:
        failures = {failure.input: failure.reason for failure in store.failures()}
        assert failures == expected
        stored = {article.id for article in store.articles()}
        assert stored == {content_id(record["text"]) for record in good[:5] + good[6:]}
        reported = {event.article_id for event in store.events()}
        assert reported == stored
    # one line per failure on stderr, naming the input and the reason
    for name, reason in expected.items():
        assert f"eventcoder: error: {name}: {reason}" in result.errors


def test_a_failing_document_is_recorded_not_fatal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Failing:
        def __init__(self) -> None:
            self.inner = stub_pipeline()

        def __call__(self, article: Any) -> Any:
            if "Kisumu" in article.text:
                raise ValueError("bad offset")
            return self.inner(article)

    monkeypatch.setattr("eventcoder.pipeline.get_pipeline", lambda config=None: Failing())
    corpus = write_jsonl(tmp_path / "c.jsonl", corpus_records(8))
    with open_store(str(tmp_path / "e.sqlite")) as store:
        seen: list[Failure] = []
        stats = batch.run([str(corpus)], store, on_failure=seen.append)
        assert (stats.coded, stats.failed) == (7, 1)
        [failure] = store.failures()
        assert failure.input == f"{corpus}:2"
        assert failure.reason == "internal error (ValueError: bad offset)"
        assert seen == [Failure(failure.input, failure.reason)]


def test_stdin_is_an_input(run_cli: Runner, tmp_path: Path) -> None:
    records = corpus_records(3)
    data = "".join(json.dumps(r) + "\n" for r in records).encode()
    result = run_cli("run", "-", "--db", tmp_path / "e.sqlite", stdin=data)
    assert result.status == 0, result.stderr
    with open_store(str(tmp_path / "e.sqlite")) as store:
        assert store.counts()["articles"] == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "x.txt"], "run needs --db PATH_OR_URL"),
        (["run", "x.txt", "--db", "e.sqlite", "--workers", "0"], "Invalid value for '--workers'"),
        (["run", "x.txt", "--db", "e.sqlite", "--published", "soon"], "--published: not a date"),
    ],
)
def test_usage_errors_are_one_line(invoke: Callable[..., Run], args: list[str], message: str,
                                   tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke(*args)
    assert result.status == 2
    [line] = result.errors
    assert line.startswith("eventcoder: error: ") and message in line


def test_scheduler_without_dask_names_the_install_command(
    invoke: Callable[..., Run], corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # import fails as if missing
    result = invoke("run", corpus, "--db", tmp_path / "e.sqlite", "--scheduler", "tcp://127.0.0.1:1")
    assert result.status == 1
    assert result.errors == [
        "eventcoder: error: --scheduler (a Dask cluster) needs the 'dask' extra: "
        "pip install 'eventcoder[dask]'"
    ]


def test_quiet_progress_lines_when_not_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("eventcoder.progress.QUIET_EVERY", 0.0)
    stream = io.StringIO()
    with RunProgress(["-"], stream) as progress:
        assert progress.total is None and not progress.terminal
        stats = batch.RunStats(coded=5, failed=1)
        progress.update(stats)
        progress.finish(stats, {"articles": 5, "events": 7, "failures": 1})
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("eventcoder: 6 articles done (") and lines[0].endswith(
        "/s), 1 failed")
    assert "5 articles coded" in lines[1] and "the store holds 5 articles, 7 events" in lines[1]


def test_progress_bar_on_a_terminal_shows_rate_and_eta(tmp_path: Path, corpus: Path) -> None:
    stream = io.StringIO()
    with RunProgress([str(corpus)], stream, terminal=True) as progress:
        assert progress.total == 40
        progress.update(batch.RunStats(coded=10, total=40))
        progress._bar.refresh()
    shown = stream.getvalue()
    assert "10/40" in shown and "articles/s" in shown and "ETA" in shown


def test_estimate_total_counts_records(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "a.jsonl", corpus_records(4))
    (tmp_path / "b.csv").write_text("text\none\ntwo\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text("one", encoding="utf-8")
    assert estimate_total([str(tmp_path)]) == 7
    assert estimate_total([str(tmp_path), "-"]) is None


class ExactCopies:
    """Stands in for linking.MinHashIndex: near-duplicates are texts equal but for case and
    spacing (the real index finds copies by shingle overlap)."""

    def __init__(self, threshold: float = 0.8) -> None:
        self.known: dict[bytes, list[str]] = {}

    def signature(self, text: str) -> bytes:
        return " ".join(text.lower().split()).encode()

    def add(self, article_id: str, signature: bytes) -> None:
        self.known.setdefault(signature, []).append(article_id)

    def query(self, signature: bytes) -> list[str]:
        return sorted(self.known.get(signature, []))


@pytest.mark.parametrize("order", ["forward", "backward"])
def test_near_duplicates_are_linked_to_the_smallest_id_whatever_the_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, use_stub_pipeline: None, order: str
) -> None:
    monkeypatch.setattr(linking, "MinHashIndex", ExactCopies)
    text = "Traders protested in Nakuru on Monday over fees."
    copies = [text, text.upper(), "  " + text.replace(" ", "  ")]
    ids = sorted(content_id(copy) for copy in copies)
    records = [{"text": copy, "published": "2024-03-04"} for copy in copies]
    records.sort(key=lambda r: content_id(r["text"]), reverse=order == "backward")
    path = write_jsonl(tmp_path / "copies.jsonl", records)
    with open_store(str(tmp_path / "e.sqlite")) as store:
        batch.run([str(path)], store)
        linked = {row[0]: row[7] for row in store.dump()["articles"]}
        assert linked == {ids[0]: None, ids[1]: ids[0], ids[2]: ids[0]}
        assert {event.article_id for event in store.events()} == {ids[0]}
        assert store.counts()["reports"] == 1


def test_the_config_reaches_every_worker(tmp_path: Path) -> None:
    # no pickled models: the config is plain data a worker rebuilds the pipeline from
    import pickle

    config = PipelineConfig(max_bytes=1234, actors_file="extra.yaml")
    article = article_from_text("Protesters marched in Nairobi.")
    work = [(article, b"", ())]
    assert pickle.loads(pickle.dumps((config, work))) == (config, work)


@pytest.mark.e2e
def test_real_pipeline_end_to_end(run_cli: Runner, tmp_path: Path) -> None:
    """The real pipeline into the store and out again: the store's events are extract's."""
    example = Path(__file__).resolve().parent.parent / "examples" / "idlib-wire.txt"
    db = tmp_path / "e.sqlite"
    result = run_cli("run", example, "--db", db, "--published", "2024-03-08", stub=False)
    assert result.status == 0, result.stderr
    extracted = run_cli("extract", example, "--published", "2024-03-08", stub=False)
    expected = [json.loads(line) for line in extracted.stdout.splitlines()]
    assert expected
    exported = run_cli("export", "--db", db, "--format", "jsonl", stub=False)
    assert exported.status == 0, exported.stderr
    got = [json.loads(line) for line in exported.stdout.splitlines()]
    # reports of one article never merge: each stored event is one of its reports, under the
    # merged event's own id
    with open_store(str(db)) as store:
        sources = {event.event_id: store.sources(event.event_id) for event in store.events()}
    assert all(len(members) == 1 for members in sources.values())
    for record in got:
        [(article_id, report_id)] = sources[record["event_id"]]
        assert article_id == record["article_id"]
        record["event_id"] = report_id
    key = lambda record: record["event_id"]  # noqa: E731
    assert sorted(got, key=key) == sorted(expected, key=key)
