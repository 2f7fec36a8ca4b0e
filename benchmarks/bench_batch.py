"""Benchmark ``eventcoder run``: one process, ``--workers 2``, and a Dask cluster of two workers,
side by side in one run, on a 10,000-article corpus of ACLED notes texts (issue 5).

Usage::

    python benchmarks/bench_batch.py [--limit N] [--write]

The corpus: ``benchmarks/corpus.py``'s selection rule (modern rows with notes, one row per
distinct text, ranked by a salted hash of ``gold_id``) taken to 10,000 texts (``--limit`` takes
fewer, for a quick check; refused with ``--write``), each published on its row's
``event_date``, written as a JSONL file under ``benchmarks/out/`` (git-ignored: ACLED's texts
are never committed).

A warm-up ``eventcoder extract`` first builds the derived files of the cache if they are missing
(the gazetteer index, about a minute, once per machine). Then each mode is a fresh
``python -m eventcoder run corpus.jsonl --db <fresh SQLite file>`` (plus ``--workers 2`` or
``--scheduler``), timed from start to exit, so model loading is counted (it is a few seconds
against minutes of coding). For Dask a scheduler and two single-threaded worker
processes (no nanny, statistical profiler off, event-loop check every second) are started on
loopback before the clock starts and stopped after.
Throughput is articles / wall seconds; speed-up is a mode's throughput over the single
process's. Memory: every process of the mode (the run, its pool workers, the Dask workers) is
sampled with psutil every 0.2 s; the report gives each one's peak RSS (MB = 10^6 bytes). After
the three runs the three stores are compared: they must be identical.

Targets: two workers at least 1.7x one process; peak memory per worker under 700 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
RESULTS = HERE / "RESULTS.md"
SIZE = 10_000
TARGET_SPEEDUP = 1.7
TARGET_WORKER_MB = 700.0
_MARKER = "<!-- newest results first; bench_extract.py --write inserts below this line -->"

sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "src"))


def build_corpus(limit: int | None) -> tuple[Path, int, str]:
    """The corpus as JSONL under benchmarks/out/; (path, texts, checksum)."""
    import corpus

    texts = corpus.select(corpus.candidates(), SIZE)
    if len(texts) < SIZE:
        raise SystemExit(f"only {len(texts)} distinct modern notes texts, {SIZE} wanted")
    if limit is not None:
        texts = texts[:limit]
    OUT.mkdir(exist_ok=True)
    path = OUT / f"batch-corpus-{len(texts)}.jsonl"
    with path.open("w", encoding="utf-8") as stream:
        for text in texts:
            stream.write(json.dumps({
                "text": text.text,
                "published": text.published.isoformat() if text.published else None,
                "source": "ACLED notes",
            }, ensure_ascii=False) + "\n")
    return path, len(texts), corpus.checksum(texts)[:16]


class Sampler:
    """Peak RSS of a set of process trees, sampled every 0.2 s in a thread."""

    def __init__(self, roots: list[int], labels: dict[int, str] | None = None) -> None:
        import psutil

        self._psutil = psutil
        self.roots = roots
        self.labels = labels or {}
        self.peaks: dict[str, float] = {}
        #: CPU seconds (user + system) each process spent while sampled (a Dask worker's
        #: start-up, before the run, is not counted)
        self.cpu: dict[str, float] = {}
        self._cpu_first: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "Sampler":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        psutil = self._psutil
        while not self._stop.is_set():
            for root in self.roots:
                try:
                    top = psutil.Process(root)
                    procs = [top, *top.children(recursive=True)]
                except psutil.Error:
                    continue
                for proc in procs:
                    try:
                        rss = proc.memory_info().rss / 1e6
                        times = proc.cpu_times()
                        name = self.labels.get(proc.pid) or (
                            "run (main process)" if proc.pid == root else f"pool worker {proc.pid}"
                        )
                    except psutil.Error:
                        continue
                    self.peaks[name] = max(self.peaks.get(name, 0.0), rss)
                    spent = times.user + times.system
                    first = self._cpu_first.setdefault(name, spent if proc.pid != root else 0.0)
                    self.cpu[name] = spent - first
            self._stop.wait(0.2)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_mode(name: str, corpus: Path, db: Path, extra: list[str],
             watch: list[int], labels: dict[int, str]) -> dict[str, Any]:
    command = [sys.executable, "-m", "eventcoder", "run", str(corpus), "--db", str(db), *extra]
    print(f"[{name}] {' '.join(command[1:])}", file=sys.stderr, flush=True)
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            cwd=REPO)
    with Sampler([proc.pid, *watch], labels) as sampler:
        _, err = proc.communicate()
    seconds = time.perf_counter() - start
    stderr = err.decode("utf-8", "replace").strip().splitlines()
    return {"mode": name, "seconds": seconds, "status": proc.returncode,
            "summary": stderr[-1] if stderr else "", "peaks": sampler.peaks, "cpu": sampler.cpu}


def dask_cluster(tmp: Path) -> tuple[str, list[subprocess.Popen[bytes]]]:
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    log = (tmp / "dask.log").open("wb")
    procs = [subprocess.Popen([sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1",
                               "--port", str(port), "--no-dashboard"], stdout=log, stderr=log)]
    # Dask's worker samples its task thread's stack every 10 ms (the dashboard's profile) and
    # checks its event loop every 20 ms: both take the GIL from the coding thread. Measured on
    # 1,000 texts, interleaved runs: about 15% more worker CPU with them on (43.7 and 37.8 CPU s
    # against 37.6 and 30.0). A throughput cluster turns them down (README, "Dask").
    env = dict(os.environ, DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED="False",
               DASK_DISTRIBUTED__ADMIN__TICK__INTERVAL="1s")
    for n in range(2):
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "dask", "worker", address, "--nthreads", "1", "--no-nanny",
             "--no-dashboard", "--host", "127.0.0.1", "--name", f"w{n}", "--memory-limit", "0"],
            stdout=log, stderr=log, env=env))
    from dask.distributed import Client

    with Client(address, timeout="60s") as client:
        client.wait_for_workers(2, timeout=120)
    return address, procs


def stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in reversed(procs):
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def same_stores(paths: list[Path]) -> bool:
    from eventcoder.store import open_store

    dumps = []
    for path in paths:
        with open_store(str(path)) as store:
            dumps.append(store.dump())
    return all(dump == dumps[0] for dump in dumps[1:])


def report(results: list[dict[str, Any]], texts: int, checksum: str, same: bool) -> str:
    base = texts / results[0]["seconds"]
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True, check=False).stdout.strip()
    lines = [
        f"## Batch runs: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, commit {commit}",
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}. Load average at the end: {load}.",
        f"Corpus: {texts:,} ACLED notes texts (selection sha256 {checksum}). "
        "Command: `python benchmarks/bench_batch.py`. Targets: two workers at least "
        f"{TARGET_SPEEDUP}x one; peak memory per worker under {TARGET_WORKER_MB:g} MB.",
        "",
        "| mode | seconds | articles/s | speed-up | exit | peak RSS per process (MB) |",
        "|---|---|---|---|---|---|",
    ]
    for result in results:
        rate = texts / result["seconds"]
        peaks = ", ".join(f"{name} {mb:.0f}" for name, mb in sorted(result["peaks"].items()))
        lines.append(
            f"| {result['mode']} | {result['seconds']:.1f} | {rate:.1f} | {rate / base:.2f}x | "
            f"{result['status']} | {peaks} |"
        )
    lines += ["", f"The three stores are {'identical' if same else 'NOT identical'}.", ""]
    for result in results:
        lines.append(f"- {result['mode']}: {result['summary']}")
    lines.append("")
    for result in results:
        cpu = ", ".join(f"{name} {sec:.1f}" for name, sec in sorted(result["cpu"].items()))
        lines.append(f"- CPU seconds, {result['mode']}: {cpu}")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, help="only the first N texts (a quick check)")
    parser.add_argument("--write", action="store_true", help="add the report to RESULTS.md")
    args = parser.parse_args()
    if args.write and args.limit is not None:
        parser.error("--write needs the full corpus: drop --limit")
    corpus_path, texts, checksum = build_corpus(args.limit)
    print(f"corpus: {texts:,} texts in {corpus_path}", file=sys.stderr)
    # the first run on a machine builds the gazetteer index (about a minute): not timed
    subprocess.run([sys.executable, "-m", "eventcoder", "extract", "examples/idlib-wire.txt",
                    "--published", "2024-03-08"], cwd=REPO, stdout=subprocess.DEVNULL,
                   check=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp_name:
        tmp = Path(tmp_name)
        dbs = [tmp / f"{name}.sqlite" for name in ("one", "two", "dask")]
        results.append(run_mode("1 process", corpus_path, dbs[0], [], [], {}))
        results.append(run_mode("--workers 2", corpus_path, dbs[1], ["--workers", "2"], [], {}))
        address, procs = dask_cluster(tmp)
        try:
            labels = {proc.pid: f"dask worker {n}" for n, proc in enumerate(procs[1:])}
            labels[procs[0].pid] = "dask scheduler"
            results.append(run_mode("Dask, 2 workers", corpus_path, dbs[2],
                                    ["--scheduler", address],
                                    [proc.pid for proc in procs], labels))
        finally:
            stop(procs)
        same = same_stores(dbs)
    text = report(results, texts, checksum, same)
    print(text)
    if args.write:
        current = RESULTS.read_text(encoding="utf-8")
        if _MARKER in current:
            current = current.replace(_MARKER, _MARKER + "\n\n" + text, 1)
        else:
            current = current + "\n" + text
        RESULTS.write_text(current, encoding="utf-8")
    return 0 if same and all(r["status"] == 0 for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
