"""The event store: articles, their event reports, merged events and their sources, failures.

One narrow interface (:class:`Store`) over two databases:

* an embedded **SQLite** file, the default (``--db events.sqlite``): WAL journal, so readers
  (an export, a test) never block the one writer, a batch run's main process;
* **PostgreSQL** for teams (``--db postgresql://user@host/db``), through psycopg 3, the optional
  extra ``postgres``.

Both run the same SQL (``?`` placeholders are rewritten to psycopg's ``%s``), so one test suite
covers both. Tables:

==================  ========================================================================
``articles``        one row per article, keyed by its content hash; ``signature`` (MinHash,
                    ``linking.py``) for near-duplicate detection; ``duplicate_of`` links a
                    near-duplicate copy to the article that was coded in its place (a row
                    without a signature: a demotion written before its article arrived)
``reports``         each article's own events (``Event`` as its JSONL record), keyed by
                    ``event_id``; ``block`` is the merge block (the event's country)
``events``          merged events (``linking.merge_events``: the id is a hash of the
                    members), recomputed from the reports of a block whenever the block
                    changed; filter columns beside the record
``event_sources``   every report of a merged event: its article, report id and evidence
``failures``        inputs and documents that could not be coded: input, reason, time
``dirty_blocks``    merge blocks whose reports changed since their events were computed
``chunks``          chunks of a Dask run already loaded (``scale.py``), so none loads twice
``migrations``      the named schema migrations applied, in order
==================  ========================================================================

Every write is one transaction, keyed by content hash (``INSERT ... ON CONFLICT``), so a run
killed at any moment leaves the store as it was after its last commit, and writing the same
article again changes nothing. Migrations are named functions (:data:`MIGRATIONS`); the names of
those applied are recorded in the database, and each runs once, in its own transaction.

>>> with open_store(":memory:") as store:
...     store.counts()["articles"]
0
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eventcoder.errors import EventcoderError, ExtraMissingError
from eventcoder.model import (
    Article,
    CodedArticle,
    Event,
    Failure,
    MergedEvent,
    event_from_dict,
)

__all__ = [
    "MIGRATIONS",
    "EventFilter",
    "Store",
    "StoreError",
    "open_store",
]

#: Tables a store holds, in the order :meth:`Store.counts` lists them.
TABLES = ("articles", "reports", "events", "event_sources", "failures")


class StoreError(EventcoderError):
    """The database cannot be opened, or was made by a newer eventcoder."""


@dataclass(frozen=True)
class EventFilter:
    """Which merged events :meth:`Store.events` yields; ``None`` means no condition.

    Dates are ``YYYY-MM-DD`` and inclusive; ``country``, ``admin1`` and ``event_type`` compare
    case-insensitively (``event_type`` matches the event or the sub-event type); ``actor`` is a
    case-insensitive substring of actor1, actor2 or an associated actor.
    """

    since: str | None = None
    until: str | None = None
    country: str | None = None
    admin1: str | None = None
    event_type: str | None = None
    actor: str | None = None


class _Tx:
    """One transaction's cursor, with ``?`` placeholders whatever the database."""

    def __init__(self, connection: Any, paramstyle: str) -> None:
        self._connection = connection
        self._percent = paramstyle == "format"

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self._percent else sql

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cursor = self._connection.cursor()
        try:
            cursor.execute(self._sql(sql), tuple(params))
            return list(cursor.fetchall()) if cursor.description is not None else []
        finally:
            cursor.close()

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = [tuple(row) for row in rows]
        if not rows:
            return
        cursor = self._connection.cursor()
        try:
            cursor.executemany(self._sql(sql), rows)
        finally:
            cursor.close()


# --- migrations ---------------------------------------------------------------------------------


def _m0001_tables(tx: _Tx, blob: str) -> None:
    """The tables of issue 5: articles, reports, merged events and sources, failures."""
    statements = [
        f"""CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            published TEXT,
            source TEXT,
            url TEXT,
            title TEXT,
            language TEXT,
            signature {blob},
            duplicate_of TEXT,
            reports INTEGER NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX articles_duplicate_of ON articles (duplicate_of)",
        """CREATE TABLE reports (
            event_id TEXT PRIMARY KEY,
            article_id TEXT NOT NULL,
            block TEXT NOT NULL,
            record TEXT NOT NULL
        )""",
        "CREATE INDEX reports_article ON reports (article_id)",
        "CREATE INDEX reports_block ON reports (block)",
        """CREATE TABLE events (
            event_id TEXT PRIMARY KEY,
            block TEXT NOT NULL,
            event_date TEXT,
            event_type TEXT,
            sub_event_type TEXT,
            country TEXT,
            admin1 TEXT,
            actor1 TEXT,
            actor2 TEXT,
            assoc_actor_1 TEXT,
            assoc_actor_2 TEXT,
            fatalities INTEGER NOT NULL,
            fatalities_disagree INTEGER NOT NULL,
            sources INTEGER NOT NULL,
            record TEXT NOT NULL
        )""",
        "CREATE INDEX events_block ON events (block)",
        "CREATE INDEX events_date ON events (event_date)",
        "CREATE INDEX events_country ON events (country, admin1)",
        """CREATE TABLE event_sources (
            event_id TEXT NOT NULL,
            report_id TEXT NOT NULL,
            article_id TEXT NOT NULL,
            evidence TEXT NOT NULL,
            PRIMARY KEY (event_id, report_id)
        )""",
        "CREATE INDEX event_sources_article ON event_sources (article_id)",
        """CREATE TABLE failures (
            input TEXT PRIMARY KEY,
            reason TEXT NOT NULL,
            time TEXT NOT NULL
        )""",
        "CREATE TABLE dirty_blocks (block TEXT PRIMARY KEY)",
        "CREATE TABLE chunks (id TEXT PRIMARY KEY)",
    ]
    for statement in statements:
        tx.execute(statement)


#: Schema migrations: (name, function), applied in order, each once, in its own transaction.
#: Add new ones at the end; never rename or change one that has shipped.
MIGRATIONS: tuple[tuple[str, Callable[[_Tx, str], None]], ...] = (
    ("0001_tables", _m0001_tables),
)

#: Any constant: the PostgreSQL advisory lock that serialises concurrent migrations.
_MIGRATION_LOCK = 5_2024_0005


# --- the store ----------------------------------------------------------------------------------


class Store:
    """The narrow interface every caller uses; :func:`open_store` picks the database.

    A store is used by one thread; the batch run's main process is its only writer.
    """

    #: ``qmark`` (sqlite3) or ``format`` (psycopg)
    paramstyle = "qmark"
    blob = "BLOB"

    def __init__(self, connection: Any, name: str) -> None:
        self._connection = connection
        self.name = name
        try:
            self._migrate()
        except BaseException:
            connection.close()
            raise

    # -- plumbing

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self, write: bool = True) -> Iterator[_Tx]:
        """One transaction: committed when the block ends, rolled back if it raises.
        ``write=False`` promises only reads (SQLite then takes no write lock)."""
        raise NotImplementedError
        yield  # pragma: no cover - a generator, for the type checker

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self.transaction(write=False) as tx:
            return tx.execute(sql, params)

    def _migrate(self) -> None:
        applied = self._applied()
        if applied is None:
            with self.transaction() as tx:
                self._lock_migrations(tx)
                tx.execute(
                    "CREATE TABLE IF NOT EXISTS migrations "
                    "(name TEXT PRIMARY KEY, applied TEXT NOT NULL)"
                )
                applied = {row[0] for row in tx.execute("SELECT name FROM migrations")}
        known = {name for name, _ in MIGRATIONS}
        unknown = sorted(applied - known)
        if unknown:
            raise StoreError(
                f"{self.name}: made by a newer eventcoder (migrations {', '.join(unknown)}); "
                "upgrade eventcoder to use it"
            )
        for name, migration in MIGRATIONS:
            if name in applied:
                continue
            with self.transaction() as tx:
                self._lock_migrations(tx)
                # another process may have applied it while this one waited for the lock
                if tx.execute("SELECT 1 FROM migrations WHERE name = ?", (name,)):
                    continue
                migration(tx, self.blob)
                tx.execute(
                    "INSERT INTO migrations (name, applied) VALUES (?, ?)", (name, _now())
                )

    def _applied(self) -> set[str] | None:
        """Names of the migrations applied, read without a write lock (a reader opening the
        store while a run writes must not queue behind it); None if there is no table yet."""
        with self.transaction(write=False) as tx:
            if not tx.execute(self._HAS_MIGRATIONS):
                return None
            return {row[0] for row in tx.execute("SELECT name FROM migrations")}

    _HAS_MIGRATIONS = "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'migrations'"

    def _lock_migrations(self, tx: _Tx) -> None:
        """Serialise migrations between processes (SQLite's write lock already does)."""

    def migrations(self) -> list[str]:
        """Names of the migrations applied to this database, in order."""
        return [row[0] for row in self._read("SELECT name FROM migrations ORDER BY name")]

    # -- what a run needs to know

    def known(self, ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """Of ``ids``, those stored, each with its metadata key (:func:`metadata_key`); a
        demotion recorded before its article arrived does not count."""
        found: dict[str, tuple[str, ...]] = {}
        with self.transaction(write=False) as tx:
            for start in range(0, len(ids), 500):
                part = list(ids[start : start + 500])
                marks = ", ".join("?" for _ in part)
                for row in tx.execute(
                    f"SELECT id, published, source, url, title FROM articles WHERE id IN ({marks}) "
                    "AND signature IS NOT NULL",
                    part,
                ):
                    found[row[0]] = tuple(value or "" for value in row[1:])
        return found

    def signatures(self) -> Iterator[tuple[str, bytes]]:
        """(id, signature) of every coded article (not those linked as duplicates), by id."""
        rows = self._read(
            "SELECT id, signature FROM articles WHERE duplicate_of IS NULL ORDER BY id"
        )
        for article_id, signature in rows:
            yield article_id, bytes(signature or b"")

    def chunk_loaded(self, chunk_id: str) -> bool:
        """Whether a Dask chunk with this id was loaded already."""
        return bool(self._read("SELECT 1 FROM chunks WHERE id = ?", (chunk_id,)))

    # -- writing

    def write(
        self,
        coded: Sequence[CodedArticle],
        failures: Sequence[Failure] = (),
        *,
        chunk_id: str | None = None,
    ) -> int:
        """Store coded articles and failures in one transaction; return how many articles were
        written (an article already stored with the same or a smaller metadata key is left as
        it is, so writing twice changes nothing, and of two copies of one text with different
        metadata the smaller key wins whatever the order)."""
        written = 0
        with self.transaction() as tx:
            if chunk_id is not None:
                if tx.execute("SELECT 1 FROM chunks WHERE id = ?", (chunk_id,)):
                    return 0
                tx.execute("INSERT INTO chunks (id) VALUES (?)", (chunk_id,))
            for item in coded:
                written += self._write_one(tx, item)
            for failure in failures:
                tx.execute(
                    "INSERT INTO failures (input, reason, time) VALUES (?, ?, ?) "
                    "ON CONFLICT (input) DO UPDATE SET reason = excluded.reason, "
                    "time = excluded.time",
                    (failure.input, failure.reason, failure.time or _now()),
                )
        return written

    def _write_one(self, tx: _Tx, item: CodedArticle) -> int:
        article = item.article
        key = metadata_key(article)
        row = tx.execute(
            "SELECT published, source, url, title, signature, duplicate_of FROM articles "
            "WHERE id = ?",
            (article.id,),
        )
        # A row without a signature is a demotion that arrived first (see below): the article
        # arrives as the near-duplicate it was found to be, whatever its metadata.
        pending = bool(row) and row[0][4] is None
        if row and not pending and tuple(value or "" for value in row[0][:4]) <= key:
            return 0
        # One text is one article: a copy with other metadata is linked where the text was.
        duplicate_of = item.duplicate_of or (row[0][5] if row else None)
        if duplicate_of is not None:
            # linked to an article demoted since (written out of order): link to what that
            # one links to (a link never points at a linked article, so one step is enough)
            found = tx.execute("SELECT duplicate_of FROM articles WHERE id = ?", (duplicate_of,))
            if found and found[0][0] is not None:
                duplicate_of = found[0][0]
        reports = [(report, block_of(report)) for report in item.reports]
        if duplicate_of is not None:
            reports = []
        if row:
            self._drop_reports(tx, article.id)
            tx.execute("DELETE FROM articles WHERE id = ?", (article.id,))
        tx.execute(
            "INSERT INTO articles (id, published, source, url, title, language, signature, "
            "duplicate_of, reports) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article.id,
                article.published.isoformat() if article.published else None,
                article.source,
                article.url,
                article.title,
                item.language,
                item.signature,
                duplicate_of,
                len(reports),
            ),
        )
        tx.executemany(
            "INSERT INTO reports (event_id, article_id, block, record) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (event_id) DO NOTHING",
            [
                (report.event_id, article.id, block, json.dumps(report.as_dict(), ensure_ascii=False))
                for report, block in reports
            ],
        )
        self._dirty(tx, {block for _, block in reports})
        # the articles this one demotes link to what this one links to (itself when coded)
        target = duplicate_of or article.id
        for other in item.demote:
            self._drop_reports(tx, other)
            tx.execute(
                "UPDATE articles SET duplicate_of = ?, reports = 0 WHERE id = ? OR duplicate_of = ?",
                (target, other, other),
            )
            # Chunks are written in the order they finish (worker pools, Dask, a resumed run),
            # so the demoted article may not be stored yet: a row without a signature records
            # the demotion until it arrives (and hides it from known(), so a run that never
            # stored it codes it again, as the duplicate it is).
            tx.execute(
                "INSERT INTO articles (id, duplicate_of) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
                (other, target),
            )
        if article.origin:
            tx.execute("DELETE FROM failures WHERE input = ?", (article.origin,))
        return 1

    def _drop_reports(self, tx: _Tx, article_id: str) -> None:
        blocks = {row[0] for row in tx.execute(
            "SELECT block FROM reports WHERE article_id = ?", (article_id,)
        )}
        tx.execute("DELETE FROM reports WHERE article_id = ?", (article_id,))
        self._dirty(tx, blocks)

    @staticmethod
    def _dirty(tx: _Tx, blocks: Iterable[str]) -> None:
        tx.executemany(
            "INSERT INTO dirty_blocks (block) VALUES (?) ON CONFLICT (block) DO NOTHING",
            [(block,) for block in sorted(blocks)],
        )

    # -- merged events

    def dirty_blocks(self) -> list[str]:
        """Merge blocks whose reports changed since their events were last computed."""
        return [row[0] for row in self._read("SELECT block FROM dirty_blocks ORDER BY block")]

    def recompute(
        self, merge: Callable[[Sequence[Event]], list[MergedEvent]], blocks: Iterable[str] | None = None
    ) -> int:
        """Recompute the merged events of ``blocks`` (default: every dirty block) from their
        reports, each block in one transaction; return how many blocks were recomputed.

        A block is all reports of one country (``block_of``): the cross-article merge never
        joins events of two countries, so a block is merged alone and only the blocks a run
        touched are recomputed. Memory is bounded by the largest block's reports.
        """
        todo = list(self.dirty_blocks() if blocks is None else blocks)
        for block in todo:
            with self.transaction() as tx:
                reports = [
                    event_from_dict(json.loads(row[0]))
                    for row in tx.execute(
                        "SELECT record FROM reports WHERE block = ? ORDER BY event_id", (block,)
                    )
                ]
                merged = merge(reports)
                tx.execute(
                    "DELETE FROM event_sources WHERE event_id IN "
                    "(SELECT event_id FROM events WHERE block = ?)",
                    (block,),
                )
                tx.execute("DELETE FROM events WHERE block = ?", (block,))
                tx.executemany(
                    "INSERT INTO events (event_id, block, event_date, event_type, sub_event_type, "
                    "country, admin1, actor1, actor2, assoc_actor_1, assoc_actor_2, fatalities, "
                    "fatalities_disagree, sources, record) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [_event_row(item, block) for item in merged],
                )
                tx.executemany(
                    "INSERT INTO event_sources (event_id, report_id, article_id, evidence) "
                    "VALUES (?, ?, ?, ?)",
                    [
                        (
                            item.event.event_id,
                            source.event_id,
                            source.article_id,
                            json.dumps([ev.as_dict() for ev in source.evidence], ensure_ascii=False),
                        )
                        for item in merged
                        for source in item.sources
                    ],
                )
                tx.execute("DELETE FROM dirty_blocks WHERE block = ?", (block,))
        return len(todo)

    # -- reading

    def events(self, where: EventFilter | None = None) -> Iterator[Event]:
        """Merged events matching ``where``, by date then id (undated first)."""
        sql, params = _filter_sql(where or EventFilter())
        for (record,) in self._read(
            f"SELECT record FROM events{sql} ORDER BY COALESCE(event_date, ''), event_id", params
        ):
            yield event_from_dict(json.loads(record))

    def sources(self, event_id: str) -> list[tuple[str, str]]:
        """(article id, report id) of every report of a merged event, sorted."""
        return [
            (row[0], row[1])
            for row in self._read(
                "SELECT article_id, report_id FROM event_sources WHERE event_id = ? "
                "ORDER BY article_id, report_id",
                (event_id,),
            )
        ]

    def reports(self, article_id: str | None = None) -> list[Event]:
        """The stored reports (of one article, or all), by event id."""
        sql = "SELECT record FROM reports"
        params: tuple[str, ...] = ()
        if article_id is not None:
            sql, params = sql + " WHERE article_id = ?", (article_id,)
        return [
            event_from_dict(json.loads(row[0]))
            for row in self._read(sql + " ORDER BY event_id", params)
        ]

    def articles(self) -> list[Article]:
        """Every stored article's metadata (text is not stored), by id."""
        return [
            Article(
                id=row[0],
                text="",
                published=dt.date.fromisoformat(row[1]) if row[1] else None,
                source=row[2],
                url=row[3],
                title=row[4],
            )
            for row in self._read(
                "SELECT id, published, source, url, title FROM articles "
                "WHERE signature IS NOT NULL ORDER BY id"
            )
        ]

    def failures(self) -> list[Failure]:
        """Every recorded failure, by input."""
        return [
            Failure(row[0], row[1], row[2])
            for row in self._read("SELECT input, reason, time FROM failures ORDER BY input")
        ]

    def counts(self) -> dict[str, int]:
        """Rows per table (:data:`TABLES`)."""
        with self.transaction(write=False) as tx:
            return {table: tx.execute(f"SELECT COUNT(*) FROM {table}")[0][0] for table in TABLES}

    def dump(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table, sorted, without the failure times: two stores hold the
        same data exactly when their dumps are equal (what the tests compare)."""
        columns = {
            "articles": "id, published, source, url, title, language, signature, duplicate_of, reports",
            "reports": "event_id, article_id, block, record",
            "events": "event_id, block, event_date, event_type, sub_event_type, country, admin1, "
            "actor1, actor2, assoc_actor_1, assoc_actor_2, fatalities, fatalities_disagree, "
            "sources, record",
            "event_sources": "event_id, report_id, article_id, evidence",
            "failures": "input, reason",
            "dirty_blocks": "block",
        }
        out: dict[str, list[tuple[Any, ...]]] = {}
        with self.transaction(write=False) as tx:
            for table, names in columns.items():
                rows = tx.execute(f"SELECT {names} FROM {table}")
                out[table] = sorted(
                    tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                    for row in rows
                )
        return out


class SQLiteStore(Store):
    """The embedded store: one SQLite file in WAL mode."""

    def __init__(self, path: str) -> None:
        if path != ":memory:":
            parent = Path(path).expanduser().resolve().parent
            if not parent.is_dir():
                raise StoreError(f"cannot open database {path}: no such folder {parent}")
        try:
            # autocommit at the driver; transactions are explicit (BEGIN IMMEDIATE) below
            connection = sqlite3.connect(path, isolation_level=None, timeout=60)
            connection.execute("PRAGMA journal_mode=WAL")
            # WAL + NORMAL: a killed process loses nothing committed; only a power cut may
            # lose the last transactions, never corrupt the file
            connection.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.DatabaseError as err:
            raise StoreError(f"cannot open database {path}: {err}") from err
        super().__init__(connection, path)

    @contextmanager
    def transaction(self, write: bool = True) -> Iterator[_Tx]:
        connection = self._connection
        try:
            # a writer takes the lock up front, so two writers queue instead of deadlocking
            connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        except sqlite3.DatabaseError as err:
            raise StoreError(f"{self.name}: {err}") from err
        try:
            yield _Tx(connection, self.paramstyle)
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")


class PostgresStore(Store):
    """The team store: a PostgreSQL database, through psycopg 3."""

    paramstyle = "format"
    blob = "BYTEA"

    def __init__(self, url: str) -> None:
        try:
            import psycopg
        except ImportError as err:
            raise ExtraMissingError("a PostgreSQL store", "postgres") from err
        try:
            connection = psycopg.connect(url, autocommit=True)
        except psycopg.Error as err:
            raise StoreError(f"cannot connect to {_redact(url)}: {_one_line(err)}") from err
        super().__init__(connection, _redact(url))

    @contextmanager
    def transaction(self, write: bool = True) -> Iterator[_Tx]:
        with self._connection.transaction():
            yield _Tx(self._connection, self.paramstyle)

    _HAS_MIGRATIONS = "SELECT 1 FROM pg_tables WHERE tablename = 'migrations' AND schemaname = current_schema()"

    def _lock_migrations(self, tx: _Tx) -> None:
        tx.execute("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK,))


def open_store(target: str) -> Store:
    """The store at ``target``: a ``postgresql://`` URL, or the path of a SQLite file (made if
    missing; ``:memory:`` for a throw-away one).

    >>> open_store(":memory:").migrations()
    ['0001_tables']
    """
    if target.startswith(("postgresql://", "postgres://")):
        return PostgresStore(target)
    if not target.strip():
        raise StoreError("--db: empty path")
    return SQLiteStore(target)


def metadata_key(article: Article) -> tuple[str, ...]:
    """What decides between two copies of one text with different metadata: the smaller wins."""
    return (
        article.published.isoformat() if article.published else "",
        article.source or "",
        article.url or "",
        article.title or "",
    )


def block_of(event: Event) -> str:
    """The merge block of a report: its country (empty when unknown)."""
    return event.country or ""


def _event_row(item: MergedEvent, block: str) -> tuple[Any, ...]:
    event = item.event
    return (
        event.event_id,
        block,
        event.event_date,
        event.event_type,
        event.sub_event_type,
        event.country,
        event.admin1,
        event.actor1,
        event.actor2,
        event.assoc_actor_1,
        event.assoc_actor_2,
        event.fatalities,
        int(item.fatalities_disagree),
        len(item.sources),
        json.dumps(event.as_dict(), ensure_ascii=False),
    )


def _filter_sql(where: EventFilter) -> tuple[str, list[str]]:
    clauses: list[str] = []
    params: list[str] = []
    if where.since:
        clauses.append("event_date >= ?")
        params.append(where.since)
    if where.until:
        clauses.append("event_date <= ?")
        params.append(where.until)
    for column in ("country", "admin1"):
        value = getattr(where, column)
        if value:
            clauses.append(f"LOWER({column}) = LOWER(?)")
            params.append(value)
    if where.event_type:
        clauses.append("(LOWER(event_type) = LOWER(?) OR LOWER(sub_event_type) = LOWER(?))")
        params += [where.event_type, where.event_type]
    if where.actor:
        pattern = "%" + _escape_like(where.actor.lower()) + "%"
        clauses.append(
            "(" + " OR ".join(
                f"LOWER({column}) LIKE ? ESCAPE '!'"
                for column in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")
            ) + ")"
        )
        params += [pattern] * 4
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _escape_like(text: str) -> str:
    # '!' as the escape character: '\' means something else to each database's string syntax
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_")


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _redact(url: str) -> str:
    """The URL without its password, for messages."""
    head, sep, tail = url.partition("@")
    if not sep or "://" not in head:
        return url
    scheme, _, credentials = head.partition("://")
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}@{tail}"


def _one_line(err: Exception) -> str:
    return " ".join(str(err).split())
