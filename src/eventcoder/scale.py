"""Scale-out on a Dask cluster: ``eventcoder run ... --scheduler tcp://HOST:PORT``.

The main process plans the run as it does locally (``batch.run``); each chunk of articles is
sent to the cluster with the :class:`~eventcoder.config.PipelineConfig`, never a model: the
worker calls ``pipeline.get_pipeline(config)``, which builds the pipeline once per worker
process and reuses it. A chunk's results come back as JSON lines, are written to a chunk file
in the spool folder (a temporary file renamed into place, so a file there is always whole), and
loaded into the store in one transaction that also records the chunk's id, so no chunk is loaded
twice. The file is removed once loaded; files left by a killed run are loaded by the next run
before it plans anything, so finished work is never lost or redone.

``dask[distributed]`` is the optional extra ``dask``; without it :func:`dask_coder` raises
:class:`~eventcoder.errors.ExtraMissingError` naming ``pip install 'eventcoder[dask]'``.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from eventcoder.batch import Coder, Result, Work, code_chunk, decode_results, encode_results
from eventcoder.config import PipelineConfig, cache_dir
from eventcoder.errors import EventcoderError, ExtraMissingError
from eventcoder.store import SQLiteStore, Store

__all__ = ["code_chunk_text", "dask_coder", "spool_dir"]


def code_chunk_text(config: PipelineConfig, chunk: list[Work]) -> str:
    """What a Dask worker runs: :func:`batch.code_chunk`, the results as JSON lines (plain
    text travels between machines whatever their Python objects)."""
    return encode_results(code_chunk(config, chunk))


def chunk_id(chunk: list[Work]) -> str:
    """A chunk's id: the hash of its article ids and metadata, the same in every run."""
    digest = hashlib.sha256()
    for article, _signature, demote in chunk:
        digest.update(repr((article.id, article.published, article.source, article.url,
                            article.title, demote)).encode("utf-8"))
    return digest.hexdigest()[:24]


def spool_dir(store: Store) -> Path:
    """Where chunk files wait to be loaded: beside a SQLite file, else in the cache."""
    if isinstance(store, SQLiteStore) and store.name != ":memory:":
        return Path(store.name + ".chunks")
    return cache_dir() / "chunks" / hashlib.sha256(store.name.encode("utf-8")).hexdigest()[:16]


def dask_coder(
    scheduler: str, config: PipelineConfig, store: Store, *, chunk_size: int = 32
) -> Coder:
    """A coder (see ``batch.run``) that codes chunks on the Dask cluster at ``scheduler``."""
    try:
        from dask.distributed import Client, as_completed
    except ImportError as err:
        raise ExtraMissingError("--scheduler (a Dask cluster)", "dask") from err
    if not scheduler.startswith(("tcp://", "tls://", "inproc://", "ucx://")):
        raise EventcoderError(f"--scheduler: expected tcp://HOST:PORT, not {scheduler!r}")
    try:
        client = Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as err:
        raise EventcoderError(f"--scheduler: cannot reach {scheduler}: {err}") from err
    spool = spool_dir(store)
    spool.mkdir(parents=True, exist_ok=True)
    # as many chunks in flight as the cluster has threads, twice over
    threads = max(sum(client.nthreads().values()), 1)

    def coder(chunks: Iterator[list[Work]]) -> Iterator[tuple[list[Result], str | None]]:
        try:
            yield from _leftovers(spool)
            futures = as_completed()
            in_flight = 0
            for chunk in chunks:
                key = chunk_id(chunk)
                if store.chunk_loaded(key):
                    continue
                futures.add(
                    client.submit(code_chunk_text, config, chunk, key=f"eventcoder-{key}",
                                  pure=False)
                )
                in_flight += 1
                while in_flight >= 2 * threads:
                    results, done, path = _land(spool, next(futures))
                    yield results, done
                    path.unlink(missing_ok=True)
                    in_flight -= 1
            for future in futures:
                results, done, path = _land(spool, future)
                yield results, done
                path.unlink(missing_ok=True)
        finally:
            client.close()

    return coder


def _land(spool: Path, future: object) -> tuple[list[Result], str, Path]:
    """Write a finished chunk's results to its file (atomically) and read them back to be
    loaded; the caller removes the file once they are (its generator resumes only after the
    store's commit)."""
    key = future.key.removeprefix("eventcoder-")  # type: ignore[attr-defined]
    text: str = future.result()  # type: ignore[attr-defined]
    path = spool / f"{key}.jsonl"
    handle, temp = tempfile.mkstemp(dir=spool, prefix=f".{key}.", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(temp, path)
    return decode_results(text), key, path


def _leftovers(spool: Path) -> Iterator[tuple[list[Result], str]]:
    """Chunk files a killed run wrote but may not have loaded: loaded now (once, by id)."""
    for stale in spool.glob(".*.tmp"):
        stale.unlink(missing_ok=True)
    for path in sorted(spool.glob("*.jsonl")):
        yield decode_results(path.read_text(encoding="utf-8")), path.stem
        # reached only after the store committed the chunk
        path.unlink(missing_ok=True)
