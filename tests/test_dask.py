"""Acceptance 3 of issue 5: a real Dask scheduler and two worker processes on loopback, started
here, produce the same store as a local run of the same corpus.

The workers load the placed stub pipeline (``test_run.PlacedStub``: reports of one town and day
from different articles merge) through a Dask preload script; the
``eventcoder run --scheduler`` process is the real command line, which only plans and loads:
each worker rebuilds the pipeline from the config it is sent.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from eventcoder import batch
from eventcoder.store import open_store

from test_run import PlacedStub, corpus_records, write_jsonl

pytest.importorskip("dask.distributed", reason="needs the 'dask' extra: pip install -e '.[dask]'")

TESTS = Path(__file__).resolve().parent

_PRELOAD = """
import os
import sys
from pathlib import Path

sys.path.insert(0, {tests!r})
import test_run
import eventcoder.pipeline


def get_pipeline(config=None):
    # leaves a mark per worker process that built a pipeline, for the test to count
    (Path({marks!r}) / str(os.getpid())).touch()
    return test_run.PlacedStub(config)


eventcoder.pipeline.get_pipeline = get_pipeline
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[str]:
    """``tcp://127.0.0.1:PORT`` of a scheduler with two single-threaded worker processes."""
    preload = tmp_path / "stub_preload.py"
    marks = tmp_path / "pipelines"
    marks.mkdir()
    preload.write_text(_PRELOAD.format(tests=str(TESTS), marks=str(marks)), encoding="utf-8")
    address = f"tcp://127.0.0.1:{free_port()}"
    logs = tmp_path / "dask-logs"
    logs.mkdir()
    port = address.rsplit(":", 1)[1]
    commands = [
        [sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port", port,
         "--no-dashboard"],
        *[
            [sys.executable, "-m", "dask", "worker", address, "--nthreads", "1", "--no-nanny",
             "--no-dashboard", "--host", "127.0.0.1", "--preload", str(preload),
             "--name", f"w{n}", "--memory-limit", "0"]
            for n in range(2)
        ],
    ]
    procs: list[subprocess.Popen[bytes]] = []
    try:
        for n, command in enumerate(commands):
            log = (logs / f"{n}.log").open("wb")
            procs.append(subprocess.Popen(command, stdout=log, stderr=log, cwd=tmp_path))
            log.close()
            if n == 0:
                wait_for_port(int(port))
        from dask.distributed import Client

        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def wait_for_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"the Dask scheduler did not listen on port {port}")


def test_a_dask_cluster_makes_the_same_store_as_a_local_run(
    cluster: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = corpus_records(120)
    corpus = write_jsonl(tmp_path / "corpus.jsonl", records)
    (tmp_path / "empty.txt").write_bytes(b"")
    inputs = [corpus, tmp_path / "empty.txt"]

    local_db = tmp_path / "local.sqlite"
    monkeypatch.setattr("eventcoder.pipeline.get_pipeline", PlacedStub)
    with open_store(str(local_db)) as store:
        stats = batch.run([str(path) for path in inputs], store)
    assert (stats.coded + stats.duplicates, stats.failed) == (120, 1)

    dask_db = tmp_path / "dask.sqlite"
    command = [sys.executable, "-m", "eventcoder", "run", *map(str, inputs), "--db",
               str(dask_db), "--scheduler", cluster]
    proc = subprocess.run(command, capture_output=True, cwd=tmp_path, timeout=600,
                          env=dict(os.environ), check=False)
    stderr = proc.stderr.decode()
    assert proc.returncode == 1, stderr
    assert "Traceback" not in stderr
    # texts that differ in one number are near-duplicates (MinHash): linked, not coded
    assert stats.duplicates > 0
    assert (f"{stats.coded} articles coded, 0 already stored, "
            f"{stats.duplicates} near-duplicates linked, 1 failed") in stderr

    with open_store(str(local_db)) as a, open_store(str(dask_db)) as b:
        expected, got = a.dump(), b.dump()
        assert len(expected["articles"]) == 120 and expected["events"]
        assert max(row[13] for row in expected["events"]) > 1  # reports of several articles merged
        assert got == expected
        # both workers coded chunks, each loaded once; every chunk file was removed once loaded
        with b.transaction(write=False) as tx:
            chunks = tx.execute("SELECT COUNT(*) FROM chunks")[0][0]
        assert chunks >= 2
    assert list(Path(str(dask_db) + ".chunks").iterdir()) == []
    # both worker processes built the pipeline (from the config) and coded chunks
    assert len(list((tmp_path / "pipelines").iterdir())) == 2

    again = subprocess.run(command, capture_output=True, cwd=tmp_path, timeout=600,
                           env=dict(os.environ), check=False)
    assert "120 already stored" in again.stderr.decode()
    with open_store(str(dask_db)) as b:
        assert b.dump() == expected


def test_chunk_files_left_by_a_killed_run_are_loaded_once(tmp_path: Path) -> None:
    """A chunk file written (atomically) but not loaded when the run died is loaded by the next
    run without coding it again; a half-written temporary file is ignored."""
    from eventcoder.batch import Work
    from eventcoder.ingest import article_from_text
    from eventcoder.scale import _leftovers, chunk_id, spool_dir
    from eventcoder.batch import encode_results
    from eventcoder.model import CodedArticle

    db = str(tmp_path / "e.sqlite")
    with open_store(db) as store:
        spool = spool_dir(store)
        spool.mkdir()
        article = article_from_text("Traders protested in Nakuru.", origin="x.txt")
        chunk: list[Work] = [(article, b"", ())]
        key = chunk_id(chunk)
        (spool / f"{key}.jsonl").write_text(
            encode_results([CodedArticle(article, b"", language="en")]), encoding="utf-8")
        (spool / f".{key}.123.tmp").write_text("{half a line", encoding="utf-8")
        for results, loaded in _leftovers(spool):
            assert store.write(results, chunk_id=loaded) == 1
        assert store.chunk_loaded(key) and store.known([article.id])
        assert list(spool.iterdir()) == []
