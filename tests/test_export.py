"""``eventcoder export``: the store's merged events, filtered, in every format; the ACLED CSV
loads into pandas with ACLED's dtypes and keeps Arabic intact (UTF-8 with BOM)."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from eventcoder import linking
from eventcoder.model import ACLED_COLUMNS, JSONL_FIELDS, Evidence
from eventcoder.store import open_store

from conftest import Run
from test_store import coded, make_report, postgres_url, store_target  # noqa: F401 - fixtures

Invoke = Callable[..., Run]

ARABIC = "مظاهرة في حلب"

#: ACLED's column types as its exports load into pandas: numbers where ACLED has numbers
#: (nullable integers where a value may be unknown), text elsewhere, dates parsed.
ACLED_DTYPES = {
    "event_id_cnty": "string",
    "year": "Int64",
    "time_precision": "Int64",
    "disorder_type": "string",
    "event_type": "string",
    "sub_event_type": "string",
    "actor1": "string",
    "assoc_actor_1": "string",
    "inter1": "Int64",
    "actor2": "string",
    "assoc_actor_2": "string",
    "inter2": "Int64",
    "interaction": "Int64",
    "civilian_targeting": "string",
    "iso": "Int64",
    "region": "string",
    "country": "string",
    "admin1": "string",
    "admin2": "string",
    "admin3": "string",
    "location": "string",
    "latitude": "float64",
    "longitude": "float64",
    "geo_precision": "Int64",
    "source": "string",
    "source_scale": "string",
    "notes": "string",
    "fatalities": "int64",
    "tags": "string",
    "timestamp": "Int64",
}


@pytest.fixture
def db(store_target: str) -> str:
    """A store with four events, none of which merges with another (other days, countries and
    types): Kenya and Syria, one with Arabic text, one with a formula."""
    with open_store(store_target) as store:
        store.write([
            coded("k1", make_report("k1", event_date="2024-03-01")),
            coded("k2", make_report("k2", event_date="2024-03-05", source="=HYPERLINK(1)",
                                    fatalities=2, event_type="Riots",
                                    sub_event_type="Mob violence", actor1="Rioters (Kenya)",
                                    inter1=5, interaction=50)),
            coded("s1", make_report(
                "s1", event_date="2024-03-03", country="Syria", admin1="Aleppo",
                location="حلب", notes=ARABIC, actor1="Protesters (Syria)", latitude=36.2021,
                longitude=37.1343, evidence=[Evidence(0, 6, "مظاهرة", "event_type")])),
            coded("u1", make_report("u1", event_date=None, time_precision=None, country=None,
                                    admin1=None, location=None, latitude=None, longitude=None,
                                    geo_precision=None)),
        ])
        store.recompute(linking.merge_events)
    return store_target


@pytest.fixture
def ids(db: str) -> dict[str, str]:
    """The id of each merged event by the article its only report comes from: the export
    carries the merged event's own id (a hash of its members), not the report's."""
    with open_store(db) as store:
        sources = {event.event_id: store.sources(event.event_id) for event in store.events()}
    assert sorted(sources.values()) == [[(name, f"{name}-e0")] for name in ("k1", "k2", "s1", "u1")]
    return {members[0][0]: event_id for event_id, members in sources.items()}


def test_acled_csv_loads_into_pandas_with_acled_dtypes(
    invoke: Invoke, db: str, ids: dict[str, str]
) -> None:
    pandas = pytest.importorskip("pandas")
    run = invoke("export", "--db", db)
    assert run.status == 0, run.stderr
    data = run.stdout.encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    frame = pandas.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=ACLED_DTYPES,
                            parse_dates=["event_date"], keep_default_na=False,
                            na_values=[""])
    assert list(frame.columns) == list(ACLED_COLUMNS)
    assert str(frame["event_date"].dtype).startswith("datetime64")
    assert list(frame["event_id_cnty"]) == [ids[n] for n in ("u1", "k1", "s1", "k2")]
    syria = frame[frame["country"] == "Syria"].iloc[0]
    assert syria["notes"] == ARABIC and syria["location"] == "حلب"
    assert syria["latitude"] == pytest.approx(36.2021) and syria["year"] == 2024
    assert list(frame["fatalities"]) == [0, 0, 0, 2]
    # a formula cell is escaped, so a spreadsheet shows it instead of running it
    assert frame[frame["event_id_cnty"] == ids["k2"]].iloc[0]["source"] == "'=HYPERLINK(1)"


def test_jsonl_carries_event_id_and_the_record(
    invoke: Invoke, db: str, ids: dict[str, str]
) -> None:
    run = invoke("export", "--db", db, "--format", "jsonl")
    records = [json.loads(line) for line in run.stdout.splitlines()]
    assert [r["event_id"] for r in records] == [ids[n] for n in ("u1", "k1", "s1", "k2")]
    assert all(list(r) == list(JSONL_FIELDS) for r in records)
    assert records[2]["evidence"] == [
        {"start": 0, "end": 6, "text": "مظاهرة", "field": "event_type"}]


def test_geojson(invoke: Invoke, db: str, ids: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "events.geojson"
    run = invoke("export", "--db", db, "--format", "geojson", "--output", out)
    assert (run.status, run.stdout) == (0, "")
    collection = json.loads(out.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    points = {f["id"]: f["geometry"] for f in collection["features"]}
    assert points[ids["s1"]] == {"type": "Point", "coordinates": [37.1343, 36.2021]}
    assert points[ids["u1"]] is None


def test_parquet(invoke: Invoke, db: str, ids: dict[str, str], tmp_path: Path) -> None:
    parquet = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "events.parquet"
    run = invoke("export", "--db", db, "--format", "parquet", "--output", out,
                 "--country", "syria")
    assert run.status == 0, run.stderr
    table = parquet.read_table(out)
    assert table.column_names == list(JSONL_FIELDS)
    [row] = table.to_pylist()
    assert (row["event_id"], row["notes"], row["fatalities"]) == (ids["s1"], ARABIC, 0)
    assert row["evidence"] == [{"start": 0, "end": 6, "text": "مظاهرة", "field": "event_type",
                                "origin": "text"}]


def test_an_empty_parquet_export_still_has_the_columns(invoke: Invoke, db: str,
                                                       tmp_path: Path) -> None:
    parquet = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "none.parquet"
    assert invoke("export", "--db", db, "--format", "parquet", "-o", out,
                  "--country", "Mali").status == 0
    table = parquet.read_table(out)
    assert table.num_rows == 0 and table.column_names == list(JSONL_FIELDS)


def test_parquet_without_pyarrow_names_the_install_command(
    invoke: Invoke, db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    run = invoke("export", "--db", db, "--format", "parquet", "-o", tmp_path / "x.parquet")
    assert run.status == 1
    assert run.errors == ["eventcoder: error: --format parquet needs the 'parquet' extra: "
                          "pip install 'eventcoder[parquet]'"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (["--since", "2024-03-02"], ["s1", "k2"]),
        (["--until", "2024-03-03"], ["k1", "s1"]),
        (["--country", "Kenya", "--since", "2024-03-01"], ["k1", "k2"]),
        (["--admin1", "aleppo"], ["s1"]),
        (["--event-type", "Riots"], ["k2"]),
        (["--event-type", "Peaceful protest"], ["u1", "k1", "s1"]),
        (["--actor", "protesters (syria)"], ["s1"]),
    ],
)
def test_filters(invoke: Invoke, db: str, ids: dict[str, str], filters: list[str],
                 expected: list[str]) -> None:
    run = invoke("export", "--db", db, "--format", "jsonl", *filters)
    assert [json.loads(line)["event_id"] for line in run.stdout.splitlines()] == [
        ids[name] for name in expected]


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["export"], 2, "export needs --db PATH_OR_URL"),
        (["export", "--db", "nope.sqlite"], 1, "--db: no such database: nope.sqlite"),
        (["export", "--db", "x", "--since", "May"], 2, "--since: not a date"),
        (["export", "--db", "x", "--format", "xls"], 2, "Invalid value for '--format'"),
    ],
)
def test_errors_are_one_line(invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                             args: list[str], status: int, message: str) -> None:
    monkeypatch.chdir(tmp_path)
    run = invoke(*args)
    assert run.status == status
    [line] = run.errors
    assert line.startswith("eventcoder: error: ") and message in line
