"""Batch runs: a corpus into the store, idempotent, resumable, failures recorded.

:func:`run` reads the inputs (``ingest.read_inputs``), decides for each article whether it needs
coding, has the pipeline code it (here, in a local process pool, or on a Dask cluster:
``scale.py``), writes each chunk of results to the store in one transaction, and at the end
recomputes the merged events of every merge block that changed (``Store.recompute`` with
``linking.merge_events``).

Why the final store is the same whatever happens:

* **idempotent**: articles are keyed by content hash; an article already stored is not coded
  again, and writing one twice changes nothing. Failures are keyed by input.
* **resumable**: the store only ever holds whole committed chunks. A run killed at any moment
  (``kill -9`` included) and started again skips what was committed and codes the rest; merge
  blocks marked dirty in the same transactions as their reports are recomputed by the next run
  even when the killed run never reached its merge step.
* **independent of order and workers**: each article is coded alone by a pipeline rebuilt from
  the same :class:`~eventcoder.config.PipelineConfig`; merged events are recomputed from all
  stored reports of a block; of two copies of one text with different metadata the smaller
  metadata key wins (``store.metadata_key``); of a group of near-duplicate texts (MinHash,
  ``linking.MinHashIndex``) the smallest article id is the one coded and the others are linked
  to it (an article coded earlier is demoted when a smaller near-duplicate arrives, and stays
  demoted when the chunks are written in another order than planned: ``Store.write``).

Memory: the main process keeps the MinHash index of stored articles and the ids (with their
metadata key) of the articles seen in this run; a chunk in flight per worker, twice over.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from eventcoder import linking, pipeline
from eventcoder.config import PipelineConfig
from eventcoder.errors import EventcoderError, InputError
from eventcoder.ingest import read_inputs
from eventcoder.model import Article, CodedArticle, Event, Failure, event_from_dict
from eventcoder.store import Store, metadata_key

__all__ = ["RunStats", "Work", "code_chunk", "decode_results", "encode_results", "run"]

#: One article to code: the article, its MinHash signature, the stored articles it demotes.
Work = tuple[Article, bytes, tuple[str, ...]]
Result = CodedArticle | Failure
#: Codes chunks of work and yields each chunk's results (in any order) with its chunk id.
Coder = Callable[[Iterator[list[Work]]], Iterator[tuple[list[Result], str | None]]]


@dataclass
class RunStats:
    """What a run did so far; handed to the progress callback after every write."""

    read: int = 0
    coded: int = 0
    skipped: int = 0
    duplicates: int = 0
    failed: int = 0
    reports: int = 0
    not_english: int = 0
    started: float = field(default_factory=time.monotonic)
    #: an estimate of how many articles the inputs hold, when it can be had cheaply
    total: int | None = None

    @property
    def done(self) -> int:
        """Articles finished: coded, skipped, linked as duplicates, or failed."""
        return self.coded + self.skipped + self.duplicates + self.failed

    @property
    def rate(self) -> float:
        """Articles finished per second since the start."""
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0


def run(
    inputs: Sequence[str],
    store: Store,
    config: PipelineConfig | None = None,
    *,
    published: dt.date | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    chunk_size: int | None = None,
    stdin: BinaryIO | None = None,
    on_progress: Callable[[RunStats], None] | None = None,
    on_failure: Callable[[Failure], None] | None = None,
    on_warning: Callable[[str, str], None] | None = None,
    total: int | None = None,
) -> RunStats:
    """Code every article of ``inputs`` into ``store``; return what was done.

    ``workers`` > 1 codes in a local process pool; ``scheduler`` (``tcp://host:port``) on a
    Dask cluster instead. Nothing raises for one bad input or document: it is recorded in the
    store's failures (and passed to ``on_failure``). ``on_warning(origin, warning)`` gets the
    pipeline's warnings (an article not in English).

    >>> from eventcoder.store import open_store
    >>> stats = run(["corpus.jsonl"], open_store("events.sqlite"))      # doctest: +SKIP
    >>> stats.coded, stats.failed                                         # doctest: +SKIP
    (1200, 3)
    """
    config = config or PipelineConfig()
    if workers < 1:
        raise EventcoderError(f"--workers must be at least 1, not {workers}")
    stats = RunStats(total=total)
    if scheduler is not None:
        from eventcoder import scale

        coder: Coder = scale.dask_coder(scheduler, config, store, chunk_size=chunk_size or 32)
        chunk = chunk_size or 32
    elif workers > 1:
        coder = _pool_coder(config, workers)
        chunk = chunk_size or 8
    else:
        coder = _local_coder(config)
        chunk = chunk_size or 16
    def report(failures: Sequence[Failure]) -> None:
        for failure in failures:
            if on_failure is not None:
                on_failure(failure)

    def work() -> Iterator[list[Work]]:
        # planned from the store as it is once the coder has loaded what a killed run left
        planner = _Planner(store, stats)
        items = read_inputs(list(inputs), published, config.max_bytes, stdin=stdin)
        for group in _chunks(items, chunk):
            todo, linked, failures = planner.plan(group)
            if linked or failures:
                store.write(linked, failures)
                report(failures)
                if on_progress is not None:
                    on_progress(stats)
            if todo:
                yield todo

    for results, chunk_id in coder(work()):
        coded = [item for item in results if isinstance(item, CodedArticle)]
        failures = [item for item in results if isinstance(item, Failure)]
        store.write(coded, failures, chunk_id=chunk_id)
        stats.coded += len(coded)
        stats.failed += len(failures)
        stats.reports += sum(len(item.reports) for item in coded)
        stats.not_english += sum(item.language not in (None, "en") for item in coded)
        report(failures)
        if on_warning is not None:
            for item in coded:
                for warning in item.warnings:
                    on_warning(item.article.origin or item.article.id, warning)
        if on_progress is not None:
            on_progress(stats)
    store.recompute(linking.merge_events)
    return stats


class _Planner:
    """Decides, in the main process, what each article needs: nothing (stored already),
    a link (near-duplicate of a coded article), or coding."""

    def __init__(self, store: Store, stats: RunStats) -> None:
        self.store = store
        self.stats = stats
        self.index = linking.MinHashIndex()
        for article_id, signature in store.signatures():
            self.index.add(article_id, signature)
        #: metadata key of every article planned in this run, by id
        self.seen: dict[str, tuple[str, ...]] = {}
        #: coded articles demoted to duplicates in this run (the index cannot forget them)
        self.demoted: set[str] = set()

    def plan(
        self, group: list[Article | InputError]
    ) -> tuple[list[Work], list[CodedArticle], list[Failure]]:
        failures = [Failure(item.origin, item.reason) for item in group if isinstance(item, InputError)]
        self.stats.read += len(group)
        self.stats.failed += len(failures)
        articles = [item for item in group if isinstance(item, Article)]
        known = self.store.known([article.id for article in articles])
        todo: list[Work] = []
        linked: list[CodedArticle] = []
        for article in articles:
            key = metadata_key(article)
            previous = self.seen.get(article.id, known.get(article.id))
            if previous is not None and previous <= key:
                self.stats.skipped += 1
                continue
            self.seen[article.id] = key
            signature = self.index.signature(article.text)
            near = [
                other
                for other in self.index.query(signature)
                if other != article.id and other not in self.demoted
            ]
            if near and min(near) < article.id:
                self.stats.duplicates += 1
                linked.append(
                    CodedArticle(_bare(article), signature, duplicate_of=min(near))
                )
                continue
            self.index.add(article.id, signature)
            self.demoted.update(near)
            todo.append((article, signature, tuple(sorted(near))))
        return todo, linked, failures


def code_chunk(config: PipelineConfig, chunk: Sequence[Work]) -> list[Result]:
    """Code a chunk of articles with the pipeline built from ``config`` (once per process):
    what a worker process, or a Dask worker, runs. One document's error is its failure."""
    pipe = pipeline.get_pipeline(config)
    results: list[Result] = []
    for article, signature, demote in chunk:
        origin = article.origin or article.id
        try:
            doc = pipe(article)
        except EventcoderError as err:
            results.append(Failure(origin, _one_line(str(err))))
            continue
        except Exception as err:  # noqa: BLE001 - one document's bug must not end the batch
            results.append(
                Failure(origin, f"internal error ({type(err).__name__}: {_one_line(str(err))})")
            )
            continue
        results.append(
            CodedArticle(
                _bare(article),
                signature,
                reports=tuple(doc.events),
                language=doc.language,
                demote=demote,
                warnings=tuple(doc.warnings),
            )
        )
    return results


def _local_coder(config: PipelineConfig) -> Coder:
    def coder(chunks: Iterator[list[Work]]) -> Iterator[tuple[list[Result], str | None]]:
        for chunk in chunks:
            yield code_chunk(config, chunk), None

    return coder


def _pool_coder(config: PipelineConfig, workers: int) -> Coder:
    def coder(chunks: Iterator[list[Work]]) -> Iterator[tuple[list[Result], str | None]]:
        from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

        with ProcessPoolExecutor(max_workers=workers) as pool:
            pending: set[Future[list[Result]]] = set()
            for chunk in chunks:
                pending.add(pool.submit(code_chunk, config, chunk))
                # two chunks in flight per worker: busy workers, bounded memory
                while len(pending) >= 2 * workers:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in sorted(done, key=id):
                        yield future.result(), None
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in sorted(done, key=id):
                    yield future.result(), None

    return coder


def _chunks(
    items: Iterable[Article | InputError], size: int
) -> Iterator[list[Article | InputError]]:
    group: list[Article | InputError] = []
    for item in items:
        group.append(item)
        if len(group) >= size:
            yield group
            group = []
    if group:
        yield group


def _bare(article: Article) -> Article:
    """The article without its text: the store keeps metadata, reports and evidence only."""
    return dataclasses.replace(article, text="")


def _one_line(message: str) -> str:
    return " ".join(message.split())


# --- results as text (Dask chunk files) ----------------------------------------------------------


def encode_results(results: Iterable[Result]) -> str:
    """Results as JSON lines, the format of a Dask chunk file."""
    lines = []
    for item in results:
        if isinstance(item, Failure):
            record: dict[str, Any] = {"failure": item.input, "reason": item.reason}
        else:
            article = item.article
            record = {
                "id": article.id,
                "published": article.published.isoformat() if article.published else None,
                "title": article.title,
                "source": article.source,
                "url": article.url,
                "origin": article.origin,
                "signature": item.signature.hex(),
                "reports": [report.as_dict() for report in item.reports],
                "language": item.language,
                "duplicate_of": item.duplicate_of,
                "demote": list(item.demote),
                "warnings": list(item.warnings),
            }
        lines.append(json.dumps(record, ensure_ascii=False) + "\n")
    return "".join(lines)


def decode_results(text: str) -> list[Result]:
    """The inverse of :func:`encode_results`."""
    results: list[Result] = []
    for line in text.splitlines():
        record = json.loads(line)
        if "failure" in record:
            results.append(Failure(record["failure"], record["reason"]))
            continue
        published = record["published"]
        article = Article(
            id=record["id"],
            text="",
            published=dt.date.fromisoformat(published) if published else None,
            title=record["title"],
            source=record["source"],
            url=record["url"],
            origin=record["origin"],
        )
        reports: tuple[Event, ...] = tuple(event_from_dict(r) for r in record["reports"])
        results.append(
            CodedArticle(
                article,
                bytes.fromhex(record["signature"]),
                reports=reports,
                language=record["language"],
                duplicate_of=record["duplicate_of"],
                demote=tuple(record["demote"]),
                warnings=tuple(record["warnings"]),
            )
        )
    return results
