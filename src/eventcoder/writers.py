"""Writers: :class:`Event` records out as JSONL, ACLED CSV or GeoJSON.

Each writer takes an iterable of events and a text stream, writes the events as they come (so a
caller that yields events document by document can flush between documents) and returns how
many it wrote. Columns derive from :data:`eventcoder.model.JSONL_FIELDS` and
:data:`eventcoder.model.ACLED_COLUMNS`; nothing here lists them again.

ACLED CSV choices, for columns the engine does not code itself:

* ``event_id_cnty`` carries the engine's ``event_id``, so a CSV row can be traced back;
* ``year`` comes from ``event_date``; ``disorder_type`` from the event type as
  ``data/codebook.yaml`` gives it, with its overrides for the sub-event types ACLED files
  under another disorder (checked against ACLED's own export, acled-dev.csv: all 1,253 *Mob
  violence* rows are "Political violence", all 818 *Violent demonstration* rows
  "Demonstrations", and 15 of 19 *Excessive force against protesters* rows "Political violence;
  Demonstrations", as the codebook says; the other 4 come from an older export);
* ``iso`` (numeric) and ``region`` come from ``data/countries.csv`` by country name, and stay
  blank for a country it does not list;
* ``source_scale``, ``tags`` and ``timestamp`` (ACLED's upload time) stay blank: the engine has
  no such facts, and a made-up timestamp would make two runs differ;
* latitude and longitude have 4 decimals, as ACLED's do.

The file starts with a UTF-8 byte-order mark so Excel reads it as UTF-8, and a text cell that
starts with ``= + - @``, a tab or a carriage return gets a leading ``'``, so a spreadsheet shows
it instead of running it as a formula.
"""

from __future__ import annotations

import csv
import functools
import json
from collections.abc import Callable, Iterable
from importlib import resources
from typing import Any, BinaryIO, TextIO


from eventcoder.lexicon import codebook
from eventcoder.errors import ExtraMissingError
from eventcoder.model import ACLED_COLUMNS, JSONL_FIELDS, Event

__all__ = [
    "EXPORT_FORMATS",
    "FORMATS",
    "Writer",
    "acled_row",
    "disorder_type",
    "geojson_feature",
    "write_acled_csv",
    "write_geojson",
    "write_jsonl",
    "write_parquet",
]

Writer = Callable[[Iterable[Event], TextIO], int]

#: Text that a spreadsheet would take for a formula when a cell starts with it.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

#: ACLED columns the engine fills from numbers; they are never formula-escaped.
_NUMERIC = frozenset(
    {"year", "time_precision", "inter1", "inter2", "interaction", "iso", "latitude",
     "longitude", "geo_precision", "fatalities"}
)


def write_jsonl(events: Iterable[Event], stream: TextIO) -> int:
    """One JSON object per line per event: :meth:`Event.as_dict`, UTF-8 kept as it is.

    >>> import io, sys
    >>> write_jsonl([], io.StringIO())
    0
    """
    count = 0
    for event in events:
        stream.write(json.dumps(event.as_dict(), ensure_ascii=False))
        stream.write("\n")
        count += 1
    return count


def write_acled_csv(events: Iterable[Event], stream: TextIO) -> int:
    """ACLED's columns in ACLED's order, one row per event, after a byte-order mark.

    ``stream`` should be opened with ``newline=""``; rows end in CRLF as RFC 4180 says.

    >>> import io
    >>> out = io.StringIO()
    >>> write_acled_csv([], out)
    0
    >>> out.getvalue()[:30]
    '\\ufeffevent_id_cnty,event_date,year'
    """
    stream.write("\ufeff")
    writer = csv.writer(stream)
    writer.writerow(ACLED_COLUMNS)
    count = 0
    for event in events:
        row = acled_row(event)
        writer.writerow([row[column] for column in ACLED_COLUMNS])
        count += 1
    return count


def acled_row(event: Event) -> dict[str, str]:
    """The ACLED CSV cells of ``event``, by column, as text (blank for unknown).

    >>> from eventcoder.model import Event
    >>> row = acled_row(Event("2024-03-04", 1, "Riots", "Mob violence", "Rioters (Kenya)", None,
    ...     5, None, None, None, 50, None, "Kenya", "Nairobi", None, None, "Nairobi", -1.2833,
    ...     36.8167, 1, "=cmd()", None, 0, "a1", "e1", 0.8))
    >>> row["year"], row["disorder_type"], row["latitude"], row["source"], row["iso"]
    ('2024', 'Political violence', '-1.2833', "'=cmd()", '404')
    """
    iso, region = _country_facts().get((event.country or "").casefold(), ("", ""))
    values: dict[str, Any] = {
        column: getattr(event, column, None) for column in ACLED_COLUMNS
    }
    values.update(
        event_id_cnty=event.event_id,
        year=event.event_date[:4] if event.event_date else None,
        disorder_type=disorder_type(event.event_type, event.sub_event_type),
        iso=iso,
        region=region,
        latitude=_coordinate(event.latitude),
        longitude=_coordinate(event.longitude),
    )
    return {column: _cell(column, values[column]) for column in ACLED_COLUMNS}


def disorder_type(event_type: str, sub_event_type: str | None = None) -> str | None:
    """ACLED's disorder type of an event type (and sub-event type), or None if unknown.

    >>> disorder_type("Protests", "Peaceful protest")
    'Demonstrations'
    >>> disorder_type("Riots", "Mob violence")
    'Political violence'
    """
    book = codebook()
    if sub_event_type in book.disorder_type:
        return book.disorder_type[sub_event_type]
    return book.event_disorder.get(event_type)


def write_geojson(events: Iterable[Event], stream: TextIO) -> int:
    """An RFC 7946 FeatureCollection: one Feature per event, one feature per line.

    >>> import io
    >>> out = io.StringIO()
    >>> write_geojson([], out)
    0
    >>> json.loads(out.getvalue())
    {'type': 'FeatureCollection', 'features': []}
    """
    stream.write('{"type": "FeatureCollection", "features": [')
    count = 0
    for event in events:
        stream.write(",\n" if count else "\n")
        stream.write(json.dumps(geojson_feature(event), ensure_ascii=False))
        count += 1
    stream.write("\n]}\n")
    return count


def geojson_feature(event: Event) -> dict[str, Any]:
    """A GeoJSON Feature: a Point at ``[longitude, latitude]`` (RFC 7946 order), or a null
    geometry when the event has no coordinates; the JSONL record as properties.

    >>> from eventcoder.model import Event
    >>> feature = geojson_feature(Event("2024-03-04", 1, "Protests", "Peaceful protest", None,
    ...     None, None, None, None, None, None, None, "Kenya", None, None, None, None, None, None,
    ...     None, None, None, 0, "a1", "e1", 0.5))
    >>> feature["geometry"] is None, feature["id"]
    (True, 'e1')
    """
    geometry: dict[str, Any] | None = None
    if event.latitude is not None and event.longitude is not None:
        geometry = {"type": "Point", "coordinates": [event.longitude, event.latitude]}
    return {
        "type": "Feature",
        "id": event.event_id,
        "geometry": geometry,
        "properties": event.as_dict(),
    }


#: Output formats by name, as ``extract --format`` takes them.
FORMATS: dict[str, Writer] = {
    "jsonl": write_jsonl,
    "csv": write_acled_csv,
    "geojson": write_geojson,
}


#: Text output formats by name, as ``export --format`` takes them (``parquet`` is binary:
#: :func:`write_parquet`).
EXPORT_FORMATS: dict[str, Writer] = {
    "acled-csv": write_acled_csv,
    "jsonl": write_jsonl,
    "geojson": write_geojson,
}

#: Rows per Parquet row group: bounds the memory of an export of any size.
_PARQUET_BATCH = 10_000


def write_parquet(events: Iterable[Event], stream: BinaryIO) -> int:
    """The JSONL record's fields as Parquet columns (evidence a list of structs), written in
    row groups of 10,000 events; needs pyarrow (the optional extra ``parquet``).

    >>> import io
    >>> write_parquet([], io.BytesIO())                      # doctest: +SKIP
    0
    """
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as err:
        raise ExtraMissingError("--format parquet", "parquet") from err
    schema = _parquet_schema(pa)
    count = 0
    batch: list[dict[str, Any]] = []
    with pq.ParquetWriter(stream, schema) as writer:
        for event in events:
            record = event.as_dict()
            # a fixed schema: every evidence struct says where it comes from ("text" or "source")
            record["evidence"] = [{**ev, "origin": ev.get("origin", "text")} for ev in record["evidence"]]
            batch.append(record)
            count += 1
            if len(batch) >= _PARQUET_BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
        if batch or count == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    return count


def _parquet_schema(pa: Any) -> Any:
    """Column types from the :class:`Event` fields, so an empty export has them too."""
    integers = {"time_precision", "inter1", "inter2", "interaction", "geo_precision",
                "fatalities"}
    floats = {"latitude", "longitude", "confidence"}
    evidence = pa.list_(pa.struct([("start", pa.int64()), ("end", pa.int64()),
                                   ("text", pa.string()), ("field", pa.string()),
                                   ("origin", pa.string())]))
    columns = []
    for name in JSONL_FIELDS:
        if name == "evidence":
            kind = evidence
        elif name in integers:
            kind = pa.int64()
        elif name in floats:
            kind = pa.float64()
        else:
            kind = pa.string()
        columns.append((name, kind))
    return pa.schema(columns)


def _cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    if column not in _NUMERIC and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def _coordinate(value: float | None) -> str | None:
    return None if value is None else f"{value:.4f}"


@functools.cache



@functools.cache
def _country_facts() -> dict[str, tuple[str, str]]:
    """Country name (case-folded, aliases too) -> (ISO numeric code, ACLED region).

    ``data/countries.csv`` is read defensively: a missing file or column leaves the cells blank
    rather than stopping the output.
    """
    try:
        text = resources.files("eventcoder").joinpath("data/countries.csv").read_text("utf-8-sig")
    except OSError:
        return {}
    facts: dict[str, tuple[str, str]] = {}
    for row in csv.DictReader(text.splitlines()):
        name = (row.get("name") or row.get("acled_name") or "").strip()
        if not name:
            continue
        value = ((row.get("iso_numeric") or "").strip(), (row.get("region") or "").strip())
        for key in (name, *(row.get("aliases") or "").split("|")):
            if key.strip():
                facts.setdefault(key.strip().casefold(), value)
    return facts
